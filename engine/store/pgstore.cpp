#include "pgstore.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QThread>
#include <QTimeZone>

#include <libpq-fe.h>
#include <poll.h>

#include <utility>

#include "core/logging.h"

namespace l0 {

namespace {

using PgResult = std::shared_ptr<PGresult>;
constexpr qsizetype kMaxPrepared = 500; // texts built from data are not worth preparing past this
constexpr qint64 kMigrationLock = 7243701;

PgResult own(PGresult *r)
{
    return PgResult(r, PQclear);
}

// '?' placeholders become $1, $2, ... ('?' is one byte in UTF-8, never part of another character).
QByteArray translate(const QString &sql)
{
    const QByteArray utf8 = sql.toUtf8();
    QByteArray text;
    text.reserve(utf8.size() + 16);
    int n = 0;
    for (char c : utf8) {
        if (c == '?')
            text += '$' + QByteArray::number(++n);
        else
            text += c;
    }
    return text;
}

} // namespace

PgStore::~PgStore()
{
    if (m_conn)
        PQfinish(m_conn);
}

Result<std::unique_ptr<PgStore>> PgStore::open(const QString &url)
{
    std::unique_ptr<PgStore> s(new PgStore);
    s->m_url = url.toUtf8();
    if (auto st = s->ensureConnected(); !st)
        return st.error();
    return s;
}

Status PgStore::ensureConnected()
{
    if (m_conn && PQstatus(m_conn) == CONNECTION_OK)
        return {};
    // Backoff is measured on the monotonic clock: it is about real waiting, not the store's time.
    const auto now = std::chrono::steady_clock::now();
    if (m_conn && now < m_nextRetry)
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("PostgreSQL is unreachable (retrying in %1 ms)")
                .arg(std::chrono::duration_cast<std::chrono::milliseconds>(m_nextRetry - now).count()));
    if (m_conn)
        PQfinish(m_conn);
    m_prepared.clear();
    m_inTransaction = false;
    m_conn = PQconnectdb(m_url.constData());
    if (PQstatus(m_conn) != CONNECTION_OK) {
        // Back off 0.25 s, 0.5 s, ... up to 10 s between attempts.
        m_backoffMs = m_backoffMs == 0 ? 250 : qMin(m_backoffMs * 2, 10'000);
        m_nextRetry = now + std::chrono::milliseconds(m_backoffMs);
        const QString why = QString::fromUtf8(PQerrorMessage(m_conn)).trimmed();
        return makeError(ErrorCode::Unavailable, QStringLiteral("cannot connect to PostgreSQL: %1").arg(why));
    }
    m_backoffMs = 0;
    PQsetClientEncoding(m_conn, "UTF8");
    PQclear(PQexec(m_conn, "SET client_min_messages TO warning"));
    return {};
}

Error PgStore::failure(const QString &what, PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    const QByteArray sqlstate = state ? QByteArray(state) : QByteArray();
    m_lastSqlState = sqlstate;
    // 23514 is also a CHECK constraint's failure; "no partition of relation ... found for row"
    // names no constraint.
    const char *constraint = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : nullptr;
    m_lastNoPartition = sqlstate == "23514" && (!constraint || !*constraint);
    QString message = QString::fromUtf8(res ? PQresultErrorMessage(res) : PQerrorMessage(m_conn)).trimmed();
    if (message.isEmpty())
        message = QString::fromUtf8(PQerrorMessage(m_conn)).trimmed();
    ErrorCode code = ErrorCode::Internal;
    if (sqlstate == "23505")
        code = ErrorCode::AlreadyExists;
    else if (sqlstate == "42501")
        code = ErrorCode::PermissionDenied;
    else if (sqlstate.startsWith("08") || sqlstate.startsWith("57") || sqlstate == "40001" || sqlstate == "40P01"
        || PQstatus(m_conn) != CONNECTION_OK)
        code = ErrorCode::Unavailable;
    if (PQstatus(m_conn) != CONNECTION_OK) {
        m_nextRetry = {}; // reconnect on the next call
        m_prepared.clear();
    }
    return makeError(code, what + QStringLiteral(": ") + message);
}

Result<PgResult> PgStore::run(const QByteArray &sql, const std::vector<Value> &params, bool prepare)
{
    if (auto s = ensureConnected(); !s)
        return s.error();
    std::vector<const char *> values;
    values.reserve(params.size());
    for (const Value &p : params)
        values.push_back(p ? p->constData() : nullptr);
    QByteArray name = prepare ? m_statementNames.value(sql) : QByteArray();
    if (prepare && name.isEmpty() && m_statementNames.size() < kMaxPrepared) {
        name = "l0_" + QByteArray::number(m_statementNames.size() + 1);
        m_statementNames.insert(sql, name);
    }
    if (!name.isEmpty() && !m_prepared.contains(name)) {
        PgResult prep = own(PQprepare(m_conn, name.constData(), sql.constData(), int(params.size()), nullptr));
        if (PQresultStatus(prep.get()) != PGRES_COMMAND_OK)
            return failure(QStringLiteral("preparing"), prep.get());
        m_prepared.insert(name);
    }
    PgResult res = own(name.isEmpty()
            ? PQexecParams(m_conn, sql.constData(), int(values.size()), nullptr, values.data(), nullptr, nullptr, 0)
            : PQexecPrepared(m_conn, name.constData(), int(values.size()), values.data(), nullptr, nullptr, 0));
    const ExecStatusType st = PQresultStatus(res.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        return failure(QStringLiteral("query"), res.get());
    return res;
}

Result<std::vector<SqlSession::Row>> PgStore::query(const QString &sql, const std::vector<Value> &params)
{
    auto r = run(translate(sql), params, true);
    if (!r)
        return r.error();
    PGresult *res = r->get();
    const int columns = PQnfields(res);
    std::vector<Row> rows(size_t(PQntuples(res)));
    for (int i = 0; i < int(rows.size()); ++i) {
        rows[size_t(i)].cols.reserve(size_t(columns));
        for (int c = 0; c < columns; ++c)
            rows[size_t(i)].cols.push_back(
                PQgetisnull(res, i, c) ? Value() : Value(QByteArray(PQgetvalue(res, i, c), PQgetlength(res, i, c))));
    }
    return rows;
}

Result<int> PgStore::execute(const QString &sql, const std::vector<Value> &params)
{
    auto r = run(translate(sql), params, true);
    if (!r)
        return r.error();
    return QByteArray(PQcmdTuples(r->get())).toInt();
}

Result<qint64> PgStore::insert(const QString &sql, const std::vector<Value> &params)
{
    auto r = query(sql + QStringLiteral(" RETURNING id"), params);
    if (!r)
        return r.error();
    if (r->empty())
        return makeError(ErrorCode::Internal, QStringLiteral("the insert returned no id"));
    return r->at(0).int64(0);
}

Status PgStore::begin()
{
    auto r = run("BEGIN", {}, false);
    if (!r)
        return r.error();
    m_inTransaction = true;
    return {};
}

Status PgStore::commit()
{
    m_inTransaction = false;
    auto r = run("COMMIT", {}, false);
    return r ? Status() : Status(r.error());
}

void PgStore::rollback()
{
    m_inTransaction = false;
    if (m_conn && PQstatus(m_conn) == CONNECTION_OK)
        PQclear(PQexec(m_conn, "ROLLBACK"));
}

Result<qint64> PgStore::nextSeq()
{
    auto r = query(QStringLiteral("SELECT nextval('sync_seq')"));
    if (!r)
        return r.error();
    return r->at(0).int64(0);
}

Result<qint64> PgStore::lastSeq()
{
    // A fresh sequence reads 1 before and after its first nextval(): is_called tells.
    auto r = query(QStringLiteral("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM sync_seq"));
    if (!r)
        return r.error();
    return r->at(0).int64(0);
}

QString PgStore::forUpdateSkipLocked(const QString &ofTable) const
{
    return ofTable.isEmpty() ? QStringLiteral(" FOR UPDATE SKIP LOCKED")
                             : QStringLiteral(" FOR UPDATE OF %1 SKIP LOCKED").arg(ofTable);
}

Status PgStore::announce(const QString &what)
{
    auto r = query(QStringLiteral("SELECT pg_notify('l0_changes', ?)"), { str(what) });
    return r ? Status() : Status(r.error());
}

Status PgStore::lockExclusive(qint64 key)
{
    auto r = query(QStringLiteral("SELECT pg_advisory_xact_lock(CAST(? AS BIGINT))"), { num(key) });
    return r ? Status() : Status(r.error());
}

Status PgStore::listenForChanges()
{
    auto r = run("LISTEN l0_changes", {}, false);
    return r ? Status() : Status(r.error());
}

int PgStore::changeSocket() const
{
    return m_conn ? PQsocket(m_conn) : -1;
}

int PgStore::takeNotifications()
{
    if (!m_conn || PQconsumeInput(m_conn) != 1)
        return -1;
    int n = std::exchange(m_heldNotifications, 0);
    while (PGnotify *note = PQnotifies(m_conn)) {
        ++n;
        PQfreemem(note);
    }
    return n;
}

Status PgStore::checkSession()
{
    constexpr int kWaitMs = 3000;
    if (auto s = ensureConnected(); !s)
        return s;
    const QByteArray channel = "l0_probe_" + QByteArray::number(QRandomGenerator::system()->generate64(), 16);
    if (auto r = run(QByteArray("LISTEN ") + channel, {}, false); !r)
        return r.error();
    auto unlisten = qScopeGuard([&] { (void)run(QByteArray("UNLISTEN ") + channel, {}, false); });
    std::unique_ptr<PGconn, decltype(&PQfinish)> other(PQconnectdb(m_url.constData()), PQfinish);
    if (PQstatus(other.get()) != CONNECTION_OK)
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("cannot connect to PostgreSQL: %1")
                .arg(QString::fromUtf8(PQerrorMessage(other.get())).trimmed()));
    const QByteArray notify = QByteArray("NOTIFY ") + channel;
    PgResult sent = own(PQexec(other.get(), notify.constData()));
    if (PQresultStatus(sent.get()) != PGRES_COMMAND_OK)
        return failure(QStringLiteral("session check"), sent.get());
    QElapsedTimer waited;
    waited.start();
    for (;;) {
        if (PQconsumeInput(m_conn) != 1)
            return makeError(ErrorCode::Unavailable,
                QStringLiteral("PostgreSQL went away: %1").arg(QString::fromUtf8(PQerrorMessage(m_conn)).trimmed()));
        while (PGnotify *note = PQnotifies(m_conn)) {
            const bool probe = channel == note->relname;
            PQfreemem(note);
            if (probe)
                return {};
            ++m_heldNotifications; // the change channel's, for takeNotifications()
        }
        const qint64 left = kWaitMs - waited.elapsed();
        if (left <= 0)
            break;
        pollfd pfd { PQsocket(m_conn), POLLIN, 0 };
        (void)::poll(&pfd, 1, int(left));
    }
    return makeError(ErrorCode::Conflict,
        QStringLiteral("a notification sent to this connection did not arrive within %1 s: it is not a session "
                       "of its own, as behind a connection pooler in transaction mode. Nodes need a session "
                       "(LISTEN/NOTIFY, prepared statements): connect them directly or through session pooling "
                       "(PgBouncer: pool_mode = session)")
            .arg(kWaitMs / 1000));
}

Status PgStore::migrateTo(int version)
{
    if (auto r = query(QStringLiteral("SELECT pg_advisory_lock(CAST(? AS BIGINT))"), { num(kMigrationLock) }); !r)
        return r.error();
    auto unlock = qScopeGuard([this] {
        (void)query(QStringLiteral("SELECT pg_advisory_unlock(CAST(? AS BIGINT))"), { num(kMigrationLock) });
    });
    return SqlStore::migrateTo(version);
}

Result<bool> PgStore::hasTable(const QString &name)
{
    auto r = query(QStringLiteral("SELECT to_regclass(?) IS NOT NULL"), { str(name) });
    if (!r)
        return r.error();
    return !r->empty() && r->at(0).text(0) == QLatin1String("t");
}

Status PgStore::execScript(const QString &statement)
{
    auto r = run(statement.toUtf8(), {}, false);
    return r ? Status() : Status(r.error());
}

Result<qint64> PgStore::upsertEntry(const Candidate &c, qint64 createdMs)
{
    // Many nodes may file the same key at once: the upsert and the row lock serialise them.
    auto e = query(QStringLiteral("INSERT INTO entries (tenant_id, namespace, tier, cache_key, model, request, demand, "
                                  "created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (tenant_id, "
                                  "tier, cache_key) DO UPDATE SET demand = entries.demand + 1, updated_ms = "
                                  "EXCLUDED.updated_ms RETURNING id"),
        { num(c.tenantId), str(c.ns), str(c.tier), Value(c.cacheKey), str(c.model),
            Value(c.requestJson.isNull() ? QByteArray("") : c.requestJson), num(createdMs), num(createdMs) });
    if (!e)
        return e.error();
    const qint64 id = e->at(0).int64(0);
    if (auto lock = query(QStringLiteral("SELECT id FROM entries WHERE id = ? FOR UPDATE"), { num(id) }); !lock)
        return lock.error();
    return id;
}

Status PgStore::ensureLedgerMonths(const std::vector<CostEvent> &events)
{
    QSet<int> wanted;
    for (const CostEvent &e : events) {
        const QDate d = QDateTime::fromMSecsSinceEpoch(e.tsMs, QTimeZone::utc()).date();
        const int month = d.year() * 12 + d.month() - 1;
        if (!m_ledgerMonths.contains(month))
            wanted.insert(month);
    }
    for (int month : std::as_const(wanted)) {
        const qint64 startMs
            = QDateTime(QDate(month / 12, month % 12 + 1, 1), QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch();
        auto made = query(QStringLiteral("SELECT ledger_ensure_partitions(?, ?)"), { num(startMs), num(startMs) });
        // Whatever stops a month being made (a lock, a login without the node role's rights), the
        // events wait in the queue and the journal, as for an outage, and are not refused.
        if (!made)
            return makeError(ErrorCode::Unavailable,
                QStringLiteral("cannot make the ledger partition for %1: %2")
                    .arg(QDate(month / 12, month % 12 + 1, 1).toString(QStringLiteral("yyyy-MM")),
                        made.error().message));
        for (const Row &r : *made)
            qCInfo(lcStore) << "made ledger partition" << r.text(0);
        if (!m_inTransaction) // inside a caller's transaction it exists only once that commits
            m_ledgerMonths.insert(month);
    }
    return {};
}

Status PgStore::appendLedger(const std::vector<CostEvent> &events)
{
    constexpr int kAttempts = 3;
    Status st;
    for (int attempt = 1; attempt <= kAttempts; ++attempt) {
        if (auto s = ensureLedgerMonths(events); !s)
            return s;
        m_lastSqlState.clear();
        m_lastNoPartition = false;
        st = SqlStore::appendLedger(events);
        if (st)
            return st;
        // No partition holds a row: another node's retention dropped a month this one knew.
        if (m_lastNoPartition)
            m_ledgerMonths.clear();
        // A batch too big for one statement (over 10,000 events, after an outage) can deadlock
        // with another node's; PostgreSQL rolls one back, and the whole batch goes again
        // (duplicates are skipped by their uid).
        const bool again = m_lastNoPartition || m_lastSqlState == "40P01" || m_lastSqlState == "40001";
        if (!again || m_inTransaction)
            return st;
        if (attempt < kAttempts && !m_lastNoPartition)
            QThread::msleep(QRandomGenerator::global()->bounded(5u, 50u));
    }
    return st;
}

QString PgStore::insertIgnoringDuplicates(const QString &intoValues) const
{
    return QStringLiteral("INSERT INTO ") + intoValues + QStringLiteral(" ON CONFLICT DO NOTHING");
}

QString PgStore::blobLiteral(const QByteArray &raw) const
{
    return QStringLiteral("decode('%1', 'hex')").arg(QString::fromLatin1(raw.toHex()));
}

QString PgStore::blobAsHex(const QString &column) const
{
    return QStringLiteral("encode(%1, 'hex')").arg(column);
}

QString PgStore::entryIdsRelation(const std::vector<qint64> &ids, std::vector<Value> *params) const
{
    params->push_back(str(idList(ids)));
    return QStringLiteral("unnest(string_to_array(?, ',')::bigint[]) AS ids (id)");
}

} // namespace l0
