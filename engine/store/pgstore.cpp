#include "pgstore.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <libpq-fe.h>

#include "core/logging.h"
#include "core/text.h"
#include "migrations.h"
#include "trust/auditlog.h"
#include "trust/reviewqueue.h"

namespace l0 {

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

PgStore::Param optNum(const std::optional<qint64> &v)
{
    return v ? PgStore::Param(QByteArray::number(*v)) : std::nullopt;
}

// Hex form that PostgreSQL reads as bytea.
PgStore::Param bytea(const QByteArray &b)
{
    return QByteArray("\\x") + b.toHex();
}

} // namespace

PgStore::Rows &PgStore::Rows::operator=(Rows &&o) noexcept
{
    if (this != &o) {
        if (m_r)
            PQclear(m_r);
        m_r = o.m_r;
        o.m_r = nullptr;
    }
    return *this;
}

PgStore::Rows::~Rows()
{
    if (m_r)
        PQclear(m_r);
}

int PgStore::Rows::count() const
{
    return m_r ? PQntuples(m_r) : 0;
}

bool PgStore::Rows::isNull(int row, int col) const
{
    return PQgetisnull(m_r, row, col) != 0;
}

QString PgStore::Rows::text(int row, int col) const
{
    return QString::fromUtf8(PQgetvalue(m_r, row, col), PQgetlength(m_r, row, col));
}

QByteArray PgStore::Rows::bytes(int row, int col) const
{
    size_t n = 0;
    unsigned char *raw = PQunescapeBytea(reinterpret_cast<const unsigned char *>(PQgetvalue(m_r, row, col)), &n);
    QByteArray out(reinterpret_cast<const char *>(raw), qsizetype(n));
    PQfreemem(raw);
    return out;
}

qint64 PgStore::Rows::int64(int row, int col) const
{
    return QByteArray(PQgetvalue(m_r, row, col)).toLongLong();
}

int PgStore::Rows::columns() const
{
    return m_r ? PQnfields(m_r) : 0;
}

int PgStore::Rows::affected() const
{
    return m_r ? QByteArray(PQcmdTuples(m_r)).toInt() : 0;
}

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
    const qint64 now = nowMs();
    if (m_conn && now < m_nextRetryMs)
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("PostgreSQL is unreachable (retrying in %1 ms)").arg(m_nextRetryMs - now));
    if (m_conn)
        PQfinish(m_conn);
    m_prepared.clear();
    m_conn = PQconnectdb(m_url.constData());
    if (PQstatus(m_conn) != CONNECTION_OK) {
        // Back off 0.25 s, 0.5 s, ... up to 10 s between attempts.
        m_backoffMs = m_backoffMs == 0 ? 250 : qMin(m_backoffMs * 2, 10'000);
        m_nextRetryMs = now + m_backoffMs;
        const QString why = QString::fromUtf8(PQerrorMessage(m_conn)).trimmed();
        return makeError(ErrorCode::Unavailable, QStringLiteral("cannot connect to PostgreSQL: %1").arg(why));
    }
    m_backoffMs = 0;
    PQsetClientEncoding(m_conn, "UTF8");
    PGresult *r = PQexec(m_conn, "SET client_min_messages TO warning");
    PQclear(r);
    return {};
}

Error PgStore::failure(const QString &what, PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    const QByteArray sqlstate = state ? QByteArray(state) : QByteArray();
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
        m_nextRetryMs = 0; // reconnect on the next call
        m_prepared.clear();
    }
    return makeError(code, what + QStringLiteral(": ") + message);
}

Result<PgStore::Rows> PgStore::exec(const char *name, const char *sql, const std::vector<Param> &params)
{
    if (auto s = ensureConnected(); !s)
        return s.error();
    std::vector<const char *> values;
    values.reserve(params.size());
    for (const Param &p : params)
        values.push_back(p ? p->constData() : nullptr);
    PGresult *res = nullptr;
    const QByteArray key(name);
    if (!key.isEmpty()) {
        if (!m_prepared.contains(key)) {
            PGresult *prep = PQprepare(m_conn, name, sql, int(params.size()), nullptr);
            if (PQresultStatus(prep) != PGRES_COMMAND_OK) {
                Error e = failure(QStringLiteral("preparing %1").arg(QLatin1String(name)), prep);
                PQclear(prep);
                return e;
            }
            PQclear(prep);
            m_prepared.insert(key);
        }
        res = PQexecPrepared(m_conn, name, int(values.size()), values.data(), nullptr, nullptr, 0);
    } else {
        res = PQexecParams(m_conn, sql, int(values.size()), nullptr, values.data(), nullptr, nullptr, 0);
    }
    const ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        Error e = failure(key.isEmpty() ? QStringLiteral("query") : QString::fromLatin1(name), res);
        PQclear(res);
        return e;
    }
    return Rows(res);
}

Status PgStore::listenForChanges()
{
    auto r = exec("", "LISTEN l0_changes");
    return r ? Status() : Status(r.error());
}

int PgStore::socket() const
{
    return m_conn ? PQsocket(m_conn) : -1;
}

int PgStore::takeNotifications()
{
    if (!m_conn || PQconsumeInput(m_conn) != 1)
        return -1;
    int n = 0;
    while (PGnotify *note = PQnotifies(m_conn)) {
        ++n;
        PQfreemem(note);
    }
    return n;
}

Status PgStore::begin()
{
    auto r = exec("", "BEGIN");
    if (!r)
        return r.error();
    m_inTransaction = true;
    return {};
}

Status PgStore::commit()
{
    m_inTransaction = false;
    auto r = exec("", "COMMIT");
    return r ? Status() : Status(r.error());
}

void PgStore::rollback()
{
    m_inTransaction = false;
    if (m_conn && PQstatus(m_conn) == CONNECTION_OK)
        PQclear(PQexec(m_conn, "ROLLBACK"));
}

Result<std::vector<SqlSession::Row>> PgStore::query(const QString &sql, const std::vector<Value> &params)
{
    QByteArray text;
    int n = 0;
    for (QChar c : sql) {
        if (c == QLatin1Char('?'))
            text += '$' + QByteArray::number(++n);
        else
            text += QString(c).toUtf8();
    }
    auto r = exec("", text.constData(), params);
    if (!r)
        return r.error();
    std::vector<Row> rows;
    for (int i = 0; i < r->count(); ++i) {
        Row row;
        for (int c = 0; c < r->columns(); ++c)
            row.cols.push_back(r->isNull(i, c) ? Value() : Value(r->text(i, c).toUtf8()));
        rows.push_back(std::move(row));
    }
    return rows;
}

Result<qint64> PgStore::nextSeq()
{
    auto r = exec("next_seq", "SELECT nextval('sync_seq')");
    if (!r)
        return r.error();
    return r->int64(0, 0);
}

Result<int> PgStore::schemaVersion()
{
    auto exists = exec("", "SELECT to_regclass('schema_migrations') IS NOT NULL");
    if (!exists)
        return exists.error();
    if (exists->text(0, 0) != QLatin1String("t"))
        return 0;
    auto r = exec("", "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (!r)
        return r.error();
    return int(r->int64(0, 0));
}

Status PgStore::migrate()
{
    // One migrator at a time, whichever node or admin runs it.
    if (auto r = exec("", "SELECT pg_advisory_lock(7243701)"); !r)
        return r.error();
    auto unlock = qScopeGuard([this] { (void)exec("", "SELECT pg_advisory_unlock(7243701)"); });
    if (auto r = exec("",
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_ms "
            "BIGINT NOT NULL)");
        !r)
        return r.error();
    auto current = schemaVersion();
    if (!current)
        return current.error();
    for (const Migration &m : loadMigrations(QStringLiteral("postgresql"))) {
        if (m.number <= *current)
            continue;
        if (auto s = begin(); !s)
            return s;
        for (const QString &stmt : m.statements) {
            if (auto r = exec("", stmt.toUtf8().constData()); !r) {
                rollback();
                return makeError(r.error().code,
                    QStringLiteral("migration %1 (%2): %3").arg(m.number).arg(m.name, r.error().message));
            }
        }
        if (auto r = exec("", "INSERT INTO schema_migrations (version, name, applied_ms) VALUES ($1, $2, $3)",
                { num(m.number), str(m.name), num(nowMs()) });
            !r) {
            rollback();
            return r.error();
        }
        if (auto s = commit(); !s)
            return s;
        qCInfo(lcStore) << "applied migration" << m.number << m.name;
    }
    return {};
}

Result<Tenant> PgStore::addTenant(const QString &name, Policy policy)
{
    if (name.trimmed().isEmpty() || name.size() > 128)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a tenant name must be 1 to 128 characters"));
    auto r = exec("add_tenant", "INSERT INTO tenants (name, policy, created_ms) VALUES ($1, $2, $3) RETURNING id",
        { str(name), str(QString::fromLatin1(policyName(policy))), num(nowMs()) });
    if (!r) {
        if (r.error().code == ErrorCode::AlreadyExists)
            return makeError(ErrorCode::AlreadyExists, QStringLiteral("tenant %1 already exists").arg(name));
        return r.error();
    }
    return Tenant { r->int64(0, 0), name, policy };
}

Result<Tenant> PgStore::tenantByName(const QString &name)
{
    auto r = exec("tenant_by_name", "SELECT id, name, policy FROM tenants WHERE name = $1", { str(name) });
    if (!r)
        return r.error();
    if (r->count() == 0)
        return makeError(ErrorCode::NotFound, QStringLiteral("no tenant named %1").arg(name));
    return Tenant { r->int64(0, 0), r->text(0, 1), policyFromName(r->text(0, 2)).value_or(Policy::Approved) };
}

Result<std::vector<Tenant>> PgStore::tenants()
{
    auto r = exec("tenants", "SELECT id, name, policy FROM tenants ORDER BY id");
    if (!r)
        return r.error();
    std::vector<Tenant> out;
    for (int i = 0; i < r->count(); ++i)
        out.push_back(
            Tenant { r->int64(i, 0), r->text(i, 1), policyFromName(r->text(i, 2)).value_or(Policy::Approved) });
    return out;
}

Status PgStore::setTenantPolicy(const QString &name, Policy policy)
{
    auto r = exec("set_policy", "UPDATE tenants SET policy = $1 WHERE name = $2",
        { str(QString::fromLatin1(policyName(policy))), str(name) });
    if (!r)
        return r.error();
    if (r->affected() == 0)
        return makeError(ErrorCode::NotFound, QStringLiteral("no tenant named %1").arg(name));
    return {};
}

Result<IssuedKey> PgStore::issueKey(const QString &tenantName)
{
    auto tenant = tenantByName(tenantName);
    if (!tenant)
        return tenant.error();
    IssuedKey issued;
    issued.key = QStringLiteral("l0-")
        + QString::fromLatin1(randomBytes(24).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    issued.record.tenantId = tenant->id;
    issued.record.keyHash = sha256(issued.key.toUtf8());
    issued.record.prefix = issued.key.left(7);
    auto r = exec("issue_key",
        "INSERT INTO api_keys (tenant_id, key_hash, prefix, created_ms) VALUES ($1, $2, $3, $4) RETURNING id",
        { num(tenant->id), bytea(issued.record.keyHash), str(issued.record.prefix), num(nowMs()) });
    if (!r)
        return r.error();
    issued.record.id = r->int64(0, 0);
    return issued;
}

Result<std::vector<ApiKeyRecord>> PgStore::activeKeys()
{
    auto r = exec("active_keys", "SELECT id, tenant_id, key_hash, prefix FROM api_keys WHERE revoked_ms IS NULL");
    if (!r)
        return r.error();
    std::vector<ApiKeyRecord> out;
    for (int i = 0; i < r->count(); ++i)
        out.push_back({ r->int64(i, 0), r->int64(i, 1), r->bytes(i, 2), r->text(i, 3) });
    return out;
}

Result<CandidateReceipt> PgStore::addCandidate(const Candidate &c)
{
    const QByteArray content = QJsonDocument(c.result.toJson()).toJson(QJsonDocument::Compact);
    const QByteArray contentHash = sha256Hex(c.result.message.value(QLatin1String("content")).toString().toUtf8()
        + QJsonDocument(c.result.message).toJson(QJsonDocument::Compact));
    const qint64 now = c.createdMs > 0 ? c.createdMs : nowMs();
    return inTransaction([&]() -> Result<CandidateReceipt> {
        if (!c.uid.isEmpty()) {
            // Replayed from a journal: applied once only.
            auto once = exec("journal_once",
                "INSERT INTO journal_applied (uid, applied_ms) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                { str(c.uid), num(now) });
            if (!once)
                return once.error();
            if (once->affected() == 0)
                return CandidateReceipt {};
        }
        // Many nodes may file the same key at once: the upsert and the row lock serialise them.
        auto e = exec("upsert_entry",
            "INSERT INTO entries (tenant_id, namespace, tier, cache_key, model, request, demand, created_ms, "
            "updated_ms) "
            "VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) "
            "ON CONFLICT (tenant_id, tier, cache_key) DO UPDATE SET demand = entries.demand + 1, updated_ms = "
            "EXCLUDED.updated_ms "
            "RETURNING id",
            { num(c.tenantId), str(c.ns), str(c.tier), Param(c.cacheKey), str(c.model),
                Param(c.requestJson.isNull() ? QByteArray("") : c.requestJson), num(now) });
        if (!e)
            return e.error();
        CandidateReceipt receipt;
        receipt.entryId = e->int64(0, 0);
        if (auto lock = exec("lock_entry", "SELECT id FROM entries WHERE id = $1 FOR UPDATE", { num(receipt.entryId) });
            !lock)
            return lock.error();
        if (!c.query.isEmpty()) {
            auto q = exec("add_query",
                "INSERT INTO entry_queries (entry_id, query, seen_ms) SELECT $1, $2, $3 "
                "WHERE (SELECT COUNT(*) FROM entry_queries WHERE entry_id = $1) < 20",
                { num(receipt.entryId), str(c.query.left(4000)), num(now) });
            if (!q)
                return q.error();
        }
        auto v = exec("entry_versions",
            "SELECT version, content_sha256, state FROM versions WHERE entry_id = $1 ORDER BY version",
            { num(receipt.entryId) });
        if (!v)
            return v.error();
        int maxVersion = 0, open = 0;
        for (int i = 0; i < v->count(); ++i) {
            maxVersion = qMax(maxVersion, int(v->int64(i, 0)));
            const QString state = v->text(i, 2);
            // A text a reviewer turned down does not come back (see SqliteStore::addCandidate).
            const bool known = state == QLatin1String("pending") || state == QLatin1String("needs_second")
                || state == QLatin1String("approved") || state == QLatin1String("rejected");
            if (known && v->text(i, 1).toLatin1() == contentHash) {
                receipt.version = int(v->int64(i, 0));
                return receipt;
            }
            if (state == QLatin1String("pending") || state == QLatin1String("needs_second"))
                ++open;
        }
        if (open >= 3) {
            receipt.version = maxVersion;
            return receipt;
        }
        auto seq = nextSeq();
        if (!seq)
            return seq.error();
        receipt.version = maxVersion + 1;
        receipt.newVersion = true;
        auto ins = exec("add_version",
            "INSERT INTO versions (entry_id, version, state, content, content_sha256, risk, author, model_used, "
            "prompt_tokens, completion_tokens, created_ms, seq, findings) VALUES ($1, $2, 'pending', $3, $4, $5, $6, "
            "$7, $8, $9, $10, $11, $12)",
            { num(receipt.entryId), num(receipt.version), Param(content), Param(contentHash), str(c.risk),
                str(c.author), str(c.result.modelUsed), num(c.result.usage.promptTokens),
                num(c.result.usage.completionTokens), num(now), num(*seq), Param(c.findings) });
        if (!ins)
            return ins.error();
        if (auto a = appendAudit(*this, c.author, QStringLiteral("version.add"),
                QStringLiteral("entry/%1@%2").arg(receipt.entryId).arg(receipt.version),
                QJsonObject { { QLatin1String("content_sha256"), QString::fromLatin1(sha256Hex(content)) },
                    { QLatin1String("tier"), c.tier }, { QLatin1String("key"), QString::fromLatin1(c.cacheKey) },
                    { QLatin1String("risk"), c.risk } },
                now);
            !a)
            return a.error();
        if (auto n = notifyChange(*this, QStringLiteral("queue")); !n)
            return n.error();
        return receipt;
    });
}

Result<std::vector<QueueItem>> PgStore::queue(const QueueFilter &filter)
{
    const QString state = filter.state ? QString::fromLatin1(versionStateName(*filter.state)) : QString();
#define L0_QUEUE_COLUMNS                                                                                               \
    "SELECT v.entry_id, v.version, v.state, e.tenant_id, t.name, e.namespace, e.tier, e.model, v.risk, "               \
    "(SELECT query FROM entry_queries WHERE entry_id = e.id ORDER BY id LIMIT 1), v.content, e.demand, "               \
    "v.created_ms, v.claimed_by, v.claim_expires_ms, v.findings "
#define L0_QUEUE_WHERE                                                                                                 \
    "WHERE (CASE WHEN $1 <> '' THEN v.state = $1 WHEN $2 = 'all' THEN TRUE ELSE v.state IN ('pending', "               \
    "'needs_second') END) AND ($3 = '' OR t.name = $3) "                                                               \
    "ORDER BY e.demand DESC, v.created_ms, v.entry_id, v.version LIMIT $4"
    std::vector<Param> params { str(state), str(filter.all ? QStringLiteral("all") : QString()), str(filter.tenant),
        num(filter.limit) };
    if (!filter.entryIds.empty())
        params.push_back(str(idList(filter.entryIds)));
    // Given entries are joined from a list (one index probe each), not tested against every row.
    auto r = filter.entryIds.empty()
        ? exec("queue",
            L0_QUEUE_COLUMNS
            "FROM versions v JOIN entries e ON e.id = v.entry_id JOIN tenants t ON t.id = e.tenant_id " L0_QUEUE_WHERE,
            params)
        : exec("queue_entries",
            L0_QUEUE_COLUMNS "FROM unnest(string_to_array($5, ',')::bigint[]) AS ids (id) JOIN versions v ON "
                             "v.entry_id = ids.id JOIN entries e ON e.id = v.entry_id JOIN tenants t ON t.id = "
                             "e.tenant_id " L0_QUEUE_WHERE,
            params);
#undef L0_QUEUE_COLUMNS
#undef L0_QUEUE_WHERE
    if (!r)
        return r.error();
    std::vector<QueueItem> out;
    for (int i = 0; i < r->count(); ++i) {
        QueueItem it;
        it.entryId = r->int64(i, 0);
        it.version = int(r->int64(i, 1));
        it.state = versionStateFromName(r->text(i, 2)).value_or(VersionState::Pending);
        it.tenantId = r->int64(i, 3);
        it.tenant = r->text(i, 4);
        it.ns = r->text(i, 5);
        it.tier = r->text(i, 6);
        it.model = r->text(i, 7);
        it.risk = r->text(i, 8);
        it.query = r->isNull(i, 9) ? QString() : r->text(i, 9);
        auto res = ChatResult::fromJson(QJsonDocument::fromJson(r->text(i, 10).toUtf8()).object());
        if (res) {
            it.preview = answerPreview(*res);
            it.usage = res->usage;
            it.modelUsed = res->modelUsed;
        }
        it.hits = r->int64(i, 11);
        it.createdMs = r->int64(i, 12);
        if (!r->isNull(i, 14) && r->int64(i, 14) >= nowMs()) {
            it.claimedBy = r->text(i, 13);
            it.claimExpiresMs = r->int64(i, 14);
        }
        it.findings = r->text(i, 15).toUtf8();
        out.push_back(std::move(it));
    }
    return out;
}

Result<int> PgStore::decide(
    qint64 entryId, int version, VersionState decision, const QString &reviewer, const QString &reason)
{
    if (decision != VersionState::Approved && decision != VersionState::Rejected && decision != VersionState::Revoked)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a decision is approve, reject or revoke"));
    if (decision == VersionState::Rejected && reason.trimmed().isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a rejection needs a reason"));
    return inTransaction([&]() -> Result<int> {
        // Lock the entry's versions (what a reviewer may update), not the entry row.
        if (auto lock
            = exec("lock_versions", "SELECT version FROM versions WHERE entry_id = $1 FOR UPDATE", { num(entryId) });
            !lock)
            return lock.error();
        int v = version;
        if (v <= 0) {
            auto r = decision == VersionState::Revoked
                ? exec("max_approved", "SELECT MAX(version) FROM versions WHERE entry_id = $1 AND state = 'approved'",
                    { num(entryId) })
                : exec("max_waiting",
                    "SELECT MAX(version) FROM versions WHERE entry_id = $1 AND state IN ('pending', 'needs_second')",
                    { num(entryId) });
            if (!r)
                return r.error();
            if (r->isNull(0, 0))
                return makeError(ErrorCode::NotFound,
                    QStringLiteral("entry %1 has no version waiting for that decision").arg(entryId));
            v = int(r->int64(0, 0));
        }
        auto cur = exec("version_state", "SELECT state FROM versions WHERE entry_id = $1 AND version = $2",
            { num(entryId), num(v) });
        if (!cur)
            return cur.error();
        if (cur->count() == 0)
            return makeError(ErrorCode::NotFound, QStringLiteral("no version %1@%2").arg(entryId).arg(v));
        const QString state = cur->text(0, 0);
        const bool open = state == QLatin1String("pending") || state == QLatin1String("needs_second");
        if (decision == VersionState::Revoked ? state != QLatin1String("approved") : !open)
            return makeError(ErrorCode::Conflict, QStringLiteral("version %1@%2 is %3").arg(entryId).arg(v).arg(state));
        auto seq = nextSeq();
        if (!seq)
            return seq.error();
        auto u = exec("set_state",
            "UPDATE versions SET state = $1, decided_ms = $2, decided_by = $3, reason = $4, seq = $5 WHERE entry_id = "
            "$6 AND version = $7",
            { str(QString::fromLatin1(versionStateName(decision))), num(nowMs()), str(reviewer),
                reason.isEmpty() ? Param() : str(reason), num(*seq), num(entryId), num(v) });
        if (!u)
            return u.error();
        if (decision == VersionState::Approved) {
            if (auto t = applyTtl(*this, entryId, v, nowMs()); !t)
                return t.error();
            auto older = exec("older_approved",
                "SELECT version FROM versions WHERE entry_id = $1 AND state = 'approved' AND version <> $2",
                { num(entryId), num(v) });
            if (!older)
                return older.error();
            for (int i = 0; i < older->count(); ++i) {
                auto s2 = nextSeq();
                if (!s2)
                    return s2.error();
                auto r2 = exec("set_state",
                    "UPDATE versions SET state = $1, decided_ms = $2, decided_by = $3, reason = $4, seq = $5 WHERE "
                    "entry_id = $6 AND version = $7",
                    { str(QStringLiteral("revoked")), num(nowMs()), str(reviewer),
                        str(QStringLiteral("superseded by version %1").arg(v)), num(*s2), num(entryId),
                        num(older->int64(i, 0)) });
                if (!r2)
                    return r2.error();
            }
        }
        if (auto a = appendAudit(*this, reviewer, QStringLiteral("decision"),
                QStringLiteral("entry/%1@%2").arg(entryId).arg(v),
                QJsonObject { { QLatin1String("state"), QLatin1String(versionStateName(decision)) },
                    { QLatin1String("reason"), reason }, { QLatin1String("signed"), false } });
            !a)
            return a.error();
        if (auto n = notifyChange(*this, QStringLiteral("version")); !n)
            return n.error();
        return v;
    });
}

Result<std::vector<VersionChange>> PgStore::changesSince(qint64 afterSeq, int limit)
{
    auto r = exec("changes",
        "SELECT v.seq, v.entry_id, v.version, v.state, e.tenant_id, e.namespace, e.tier, e.cache_key, v.risk, "
        "v.content, v.author, v.expires_ms "
        "FROM versions v JOIN entries e ON e.id = v.entry_id WHERE v.seq > $1 ORDER BY v.seq LIMIT $2",
        { num(afterSeq), num(limit) });
    if (!r)
        return r.error();
    std::vector<VersionChange> out;
    for (int i = 0; i < r->count(); ++i) {
        VersionChange c;
        c.seq = r->int64(i, 0);
        c.entryId = r->int64(i, 1);
        c.version = int(r->int64(i, 2));
        c.state = versionStateFromName(r->text(i, 3)).value_or(VersionState::Pending);
        c.tenantId = r->int64(i, 4);
        c.ns = r->text(i, 5);
        c.tier = r->text(i, 6);
        c.cacheKey = r->text(i, 7).toLatin1();
        c.risk = r->text(i, 8);
        c.content = r->text(i, 9).toUtf8();
        c.author = r->text(i, 10);
        c.expiresMs = r->isNull(i, 11) ? 0 : r->int64(i, 11);
        auto res = ChatResult::fromJson(QJsonDocument::fromJson(c.content).object());
        if (!res) {
            qCWarning(lcStore) << "skipping unreadable version" << c.entryId << c.version << res.error().message;
            continue;
        }
        c.result = std::move(res.value());
        out.push_back(std::move(c));
    }
    return out;
}

Result<RulePackRecord> PgStore::addRulePack(
    const QString &tenantName, const QString &name, int version, const QByteArray &content, const QString &author)
{
    auto tenant = tenantByName(tenantName);
    if (!tenant)
        return tenant.error();
    auto seq = nextSeq();
    if (!seq)
        return seq.error();
    auto r = exec("add_pack",
        "INSERT INTO rule_packs (tenant_id, name, version, content, content_sha256, state, author, created_ms, seq) "
        "VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8) RETURNING id",
        { num(tenant->id), str(name), num(version), Param(content), Param(sha256Hex(content)), str(author),
            num(nowMs()), num(*seq) });
    if (!r) {
        if (r.error().code == ErrorCode::AlreadyExists)
            return makeError(ErrorCode::AlreadyExists,
                QStringLiteral("tenant %1 already has %2 version %3: raise the pack's version")
                    .arg(tenantName, name)
                    .arg(version));
        return r.error();
    }
    RulePackRecord rec;
    rec.id = r->int64(0, 0);
    rec.tenantId = tenant->id;
    rec.tenant = tenantName;
    rec.name = name;
    rec.version = version;
    rec.state = QStringLiteral("pending");
    rec.author = author;
    rec.seq = *seq;
    return rec;
}

namespace {
const char *const kPackSelect
    = "SELECT p.id, p.tenant_id, t.name, p.name, p.version, p.state, p.content, p.author, p.created_ms, p.seq "
      "FROM rule_packs p JOIN tenants t ON t.id = p.tenant_id ";

std::vector<RulePackRecord> readPacks(const PgStore::Rows &r)
{
    std::vector<RulePackRecord> out;
    for (int i = 0; i < r.count(); ++i) {
        RulePackRecord p;
        p.id = r.int64(i, 0);
        p.tenantId = r.int64(i, 1);
        p.tenant = r.text(i, 2);
        p.name = r.text(i, 3);
        p.version = int(r.int64(i, 4));
        p.state = r.text(i, 5);
        p.content = r.text(i, 6).toUtf8();
        p.author = r.text(i, 7);
        p.createdMs = r.int64(i, 8);
        p.seq = r.int64(i, 9);
        out.push_back(std::move(p));
    }
    return out;
}
} // namespace

Result<std::vector<RulePackRecord>> PgStore::rulePacks(const QString &tenant)
{
    const QByteArray sql = QByteArray(kPackSelect) + "WHERE ($1 = '' OR t.name = $1) ORDER BY p.id";
    auto r = exec("rule_packs", sql.constData(), { str(tenant) });
    if (!r)
        return r.error();
    return readPacks(*r);
}

Status PgStore::decideRulePack(qint64 id, bool activate, const QString &reviewer)
{
    if (auto s = begin(); !s)
        return s;
    auto body = [&]() -> Status {
        auto cur = exec("pack_state", "SELECT tenant_id, state FROM rule_packs WHERE id = $1 FOR UPDATE", { num(id) });
        if (!cur)
            return cur.error();
        if (cur->count() == 0)
            return makeError(ErrorCode::NotFound, QStringLiteral("no rule pack with id %1").arg(id));
        if (cur->text(0, 1) != QLatin1String("pending"))
            return makeError(
                ErrorCode::Conflict, QStringLiteral("rule pack %1 is %2, not pending").arg(id).arg(cur->text(0, 1)));
        const qint64 tenant = cur->int64(0, 0);
        if (activate) {
            auto active = exec("active_packs",
                "SELECT id FROM rule_packs WHERE tenant_id = $1 AND state = 'active' FOR UPDATE", { num(tenant) });
            if (!active)
                return active.error();
            for (int i = 0; i < active->count(); ++i) {
                auto seq = nextSeq();
                if (!seq)
                    return seq.error();
                if (auto u = exec("pack_set_state",
                        "UPDATE rule_packs SET state = $1, decided_ms = $2, decided_by = $3, seq = $4 WHERE id = $5",
                        { str(QStringLiteral("retired")), num(nowMs()), str(reviewer), num(*seq),
                            num(active->int64(i, 0)) });
                    !u)
                    return u.error();
            }
        }
        auto seq = nextSeq();
        if (!seq)
            return seq.error();
        if (auto u = exec("pack_set_state",
                "UPDATE rule_packs SET state = $1, decided_ms = $2, decided_by = $3, seq = $4 WHERE id = $5",
                { str(activate ? QStringLiteral("active") : QStringLiteral("rejected")), num(nowMs()), str(reviewer),
                    num(*seq), num(id) });
            !u)
            return u.error();
        if (auto n = notifyChange(*this, QStringLiteral("rulepack")); !n)
            return n;
        return {};
    };
    if (auto s = body(); !s) {
        rollback();
        return s;
    }
    return commit();
}

Result<std::vector<RulePackRecord>> PgStore::rulePackChangesSince(qint64 afterSeq)
{
    const QByteArray sql = QByteArray(kPackSelect) + "WHERE p.seq > $1 ORDER BY p.seq";
    auto r = exec("pack_changes", sql.constData(), { num(afterSeq) });
    if (!r)
        return r.error();
    return readPacks(*r);
}

Status PgStore::appendLedger(const std::vector<CostEvent> &events)
{
    if (events.empty())
        return {};
    if (auto s = begin(); !s)
        return s;
    // Many rows per statement: the rollup trigger runs once per statement, and the node writes
    // tens of thousands of events a second.
    constexpr size_t kBatch = 200;
    constexpr int kColumns = 16;
    // One statement text for n rows, ON CONFLICT (a journal replay) skipping what is stored.
    auto insertSql = [](size_t rows) {
        QByteArray sql = "INSERT INTO ledger_events (ts_ms, tenant_id, namespace, tier, shadow_hit, model_requested, "
                         "model_used, prompt_tokens, completion_tokens, actual_micros, baseline_micros, entry_id, "
                         "status, latency_ms, event_uid, intent) VALUES ";
        for (size_t r = 0; r < rows; ++r) {
            sql += r ? ",(" : "(";
            for (int c = 0; c < kColumns; ++c)
                sql += (c ? ",$" : "$") + QByteArray::number(int(r) * kColumns + c + 1);
            sql += ')';
        }
        sql += " ON CONFLICT DO NOTHING";
        return sql;
    };
    static const QByteArray batchSql = insertSql(kBatch), singleSql = insertSql(1);
    auto params = [](const CostEvent &e, std::vector<Param> *out) {
        out->insert(out->end(),
            { num(e.tsMs), num(e.tenantId), str(e.ns), str(QString::fromLatin1(tierName(e.tier))),
                num(e.shadowHit ? 1 : 0), str(e.modelRequested), str(e.modelUsed), num(e.promptTokens),
                num(e.completionTokens), optNum(e.actualMicros), optNum(e.baselineMicros),
                e.entryId > 0 ? num(e.entryId) : Param(), num(e.status), num(e.latencyMs),
                e.uid.isEmpty() ? Param() : str(e.uid), str(e.intent) });
    };
    size_t i = 0;
    for (; i + kBatch <= events.size(); i += kBatch) {
        std::vector<Param> p;
        p.reserve(kBatch * kColumns);
        for (size_t r = 0; r < kBatch; ++r)
            params(events[i + r], &p);
        if (auto r = exec("ledger_insert_batch", batchSql.constData(), p); !r) {
            rollback();
            return r.error();
        }
    }
    for (; i < events.size(); ++i) {
        std::vector<Param> p;
        params(events[i], &p);
        auto r = exec("ledger_insert", singleSql.constData(), p);
        if (!r) {
            rollback();
            return r.error();
        }
    }
    return commit();
}

Result<LedgerTotals> PgStore::ledgerTotals(const LedgerFilter &f)
{
    const std::vector<Param> params { optNum(f.sinceMs), optNum(f.untilMs), str(f.tenant) };
    const char *where
        = " WHERE ($1::bigint IS NULL OR l.ts_ms >= $1::bigint) AND ($2::bigint IS NULL OR l.ts_ms < $2::bigint) "
          "AND ($3 = '' OR l.tenant_id = (SELECT id FROM tenants WHERE name = $3))";
    const QByteArray totalsSql
        = QByteArray(
              "SELECT COUNT(*), "
              "COALESCE(SUM(CASE WHEN l.tier <> 'upstream' THEN 1 ELSE 0 END), 0), "
              "COALESCE(SUM(CASE WHEN l.tier = 'upstream' THEN 1 ELSE 0 END), 0), "
              "COALESCE(SUM(l.shadow_hit), 0), "
              "COALESCE(SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN "
              "l.actual_micros END), 0), "
              "COALESCE(SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN "
              "l.baseline_micros END), 0), "
              "COALESCE(SUM(CASE WHEN l.shadow_hit = 1 AND l.actual_micros IS NOT NULL THEN l.actual_micros END), 0), "
              "COALESCE(SUM(CASE WHEN l.actual_micros IS NULL OR l.baseline_micros IS NULL THEN 1 ELSE 0 END), 0), "
              "COALESCE(SUM(l.prompt_tokens), 0), COALESCE(SUM(l.completion_tokens), 0) FROM ledger_events l")
        + where;
    auto r = exec("ledger_totals", totalsSql.constData(), params);
    if (!r)
        return r.error();
    LedgerTotals t;
    t.requests = r->int64(0, 0);
    t.hits = r->int64(0, 1);
    t.upstream = r->int64(0, 2);
    t.shadowHits = r->int64(0, 3);
    t.actualMicros = r->int64(0, 4);
    t.baselineMicros = r->int64(0, 5);
    t.savedMicros = t.baselineMicros - t.actualMicros;
    t.shadowWouldSaveMicros = r->int64(0, 6);
    t.unpricedRequests = r->int64(0, 7);
    t.promptTokens = r->int64(0, 8);
    t.completionTokens = r->int64(0, 9);
    const QByteArray tierSql = QByteArray("SELECT l.tier, COUNT(*) FROM ledger_events l") + where + " GROUP BY l.tier";
    auto tiers = exec("ledger_tiers", tierSql.constData(), params);
    if (!tiers)
        return tiers.error();
    for (int i = 0; i < tiers->count(); ++i)
        t.requestsByTier.insert(tiers->text(i, 0), tiers->int64(i, 1));
    return t;
}

} // namespace l0
