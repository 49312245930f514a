#include "sqlitestore.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QVariant>

#include <atomic>

#include "core/logging.h"
#include "core/text.h"
#include "migrations.h"
#include "trust/auditlog.h"
#include "trust/reviewqueue.h"

namespace l0 {

namespace {
// BEGIN IMMEDIATE: take the write lock up front, waiting (busy timeout) for other writers. A
// deferred BEGIN that reads and then writes fails at once with "database is locked" when
// another connection wrote in between, which several consoles and a node on one file do.
bool beginImmediate(QSqlDatabase &db)
{
    QSqlQuery q(db);
    return q.exec(QStringLiteral("BEGIN IMMEDIATE"));
}
} // namespace

// Rolls back unless commit() was called; marks the store's session as in a transaction.
class SqliteTransaction {
public:
    explicit SqliteTransaction(SqliteStore *store)
        : m_store(store)
    {
        m_ok = beginImmediate(m_store->m_db);
        m_store->m_inTransaction = m_ok;
    }
    ~SqliteTransaction()
    {
        if (m_ok && !m_done)
            m_store->m_db.rollback();
        m_store->m_inTransaction = false;
    }
    bool started() const { return m_ok; }
    bool commit()
    {
        m_done = true;
        m_store->m_inTransaction = false;
        return m_store->m_db.commit();
    }

private:
    SqliteStore *m_store;
    bool m_ok = false;
    bool m_done = false;
};

namespace {

std::atomic<int> g_connectionCounter { 0 };

Error sqlError(const QString &what, const QSqlError &e)
{
    const QString text = e.text().trimmed();
    // SQLITE_BUSY / locked and I/O trouble can pass; constraint errors cannot.
    const bool transient = text.contains(QLatin1String("locked"), Qt::CaseInsensitive)
        || text.contains(QLatin1String("busy"), Qt::CaseInsensitive)
        || text.contains(QLatin1String("unable to open"), Qt::CaseInsensitive)
        || text.contains(QLatin1String("disk I/O"), Qt::CaseInsensitive);
    return makeError(transient ? ErrorCode::Unavailable : ErrorCode::Internal, what + QStringLiteral(": ") + text);
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QVariant optionalMicros(const std::optional<qint64> &v)
{
    return v ? QVariant(*v) : QVariant(QMetaType(QMetaType::LongLong));
}

// Qt binds a null QString as SQL NULL; text columns here are NOT NULL.
QString text(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

} // namespace

SqliteStore::~SqliteStore()
{
    m_ledgerBatch.reset();
    m_ledgerSingle.reset();
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const QString &path)
{
    const QFileInfo info(path);
    if (!info.absoluteDir().exists() && !QDir().mkpath(info.absolutePath())) {
        return makeError(ErrorCode::Unavailable, QStringLiteral("cannot create the directory for %1").arg(path));
    }
    std::unique_ptr<SqliteStore> s(new SqliteStore);
    s->m_connectionName = QStringLiteral("l0-sqlite-%1").arg(++g_connectionCounter);
    s->m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), s->m_connectionName);
    if (!s->m_db.isValid())
        return makeError(ErrorCode::Unavailable, QStringLiteral("the Qt SQLite driver is not installed"));
    s->m_db.setDatabaseName(path);
    s->m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    if (!s->m_db.open())
        return sqlError(QStringLiteral("cannot open %1").arg(path), s->m_db.lastError());
    QSqlQuery q(s->m_db);
    for (const char *pragma : { "PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON" }) {
        if (!q.exec(QString::fromLatin1(pragma)))
            return sqlError(QStringLiteral("cannot configure %1").arg(path), q.lastError());
    }
    return s;
}

Result<std::vector<SqlSession::Row>> SqliteStore::query(const QString &sql, const std::vector<Value> &params)
{
    QSqlQuery q(m_db);
    if (!q.prepare(sql))
        return sqlError(QStringLiteral("preparing"), q.lastError());
    for (const Value &v : params)
        q.addBindValue(v ? QVariant(QString::fromUtf8(*v)) : QVariant(QMetaType(QMetaType::QString)));
    if (!q.exec()) {
        const QString text = q.lastError().text();
        if (text.contains(QLatin1String("UNIQUE")))
            return makeError(ErrorCode::AlreadyExists, text);
        return sqlError(QStringLiteral("query"), q.lastError());
    }
    std::vector<Row> rows;
    while (q.next()) {
        Row r;
        const int n = q.record().count();
        r.cols.reserve(size_t(n));
        for (int i = 0; i < n; ++i) {
            const QVariant v = q.value(i);
            r.cols.push_back(v.isNull() ? Value() : Value(v.toString().toUtf8()));
        }
        rows.push_back(std::move(r));
    }
    return rows;
}

Status SqliteStore::begin()
{
    if (!beginImmediate(m_db))
        return sqlError(QStringLiteral("begin"), m_db.lastError());
    m_inTransaction = true;
    return {};
}

Status SqliteStore::commit()
{
    m_inTransaction = false;
    if (!m_db.commit())
        return sqlError(QStringLiteral("commit"), m_db.lastError());
    return {};
}

void SqliteStore::rollback()
{
    m_inTransaction = false;
    m_db.rollback();
}

Result<int> SqliteStore::schemaVersion()
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type='table' AND name='schema_migrations'")))
        return sqlError(QStringLiteral("reading the schema version"), q.lastError());
    if (!q.next())
        return 0;
    if (!q.exec(QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")) || !q.next())
        return sqlError(QStringLiteral("reading the schema version"), q.lastError());
    return q.value(0).toInt();
}

Status SqliteStore::migrate()
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations ("
                               "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_ms INTEGER NOT NULL)")))
        return sqlError(QStringLiteral("creating schema_migrations"), q.lastError());
    auto current = schemaVersion();
    if (!current)
        return current.error();
    for (const Migration &m : loadMigrations(QStringLiteral("sqlite"))) {
        if (m.number <= *current)
            continue;
        SqliteTransaction tx(this);
        if (!tx.started())
            return sqlError(QStringLiteral("starting migration %1").arg(m.number), m_db.lastError());
        for (const QString &stmt : m.statements) {
            if (!q.exec(stmt))
                return sqlError(QStringLiteral("migration %1 (%2)").arg(m.number).arg(m.name), q.lastError());
        }
        q.prepare(QStringLiteral("INSERT INTO schema_migrations (version, name, applied_ms) VALUES (?, ?, ?)"));
        q.addBindValue(m.number);
        q.addBindValue(m.name);
        q.addBindValue(nowMs());
        if (!q.exec() || !tx.commit())
            return sqlError(QStringLiteral("recording migration %1").arg(m.number), q.lastError());
        qCInfo(lcStore) << "applied migration" << m.number << m.name;
    }
    return {};
}

Result<Tenant> SqliteStore::addTenant(const QString &name, Policy policy)
{
    if (name.trimmed().isEmpty() || name.size() > 128)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a tenant name must be 1 to 128 characters"));
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO tenants (name, policy, created_ms) VALUES (?, ?, ?)"));
    q.addBindValue(name);
    q.addBindValue(QString::fromLatin1(policyName(policy)));
    q.addBindValue(nowMs());
    if (!q.exec()) {
        if (q.lastError().text().contains(QLatin1String("UNIQUE")))
            return makeError(ErrorCode::AlreadyExists, QStringLiteral("tenant %1 already exists").arg(name));
        return sqlError(QStringLiteral("adding tenant"), q.lastError());
    }
    return Tenant { q.lastInsertId().toLongLong(), name, policy };
}

Result<Tenant> SqliteStore::tenantByName(const QString &name)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT id, name, policy FROM tenants WHERE name = ?"));
    q.addBindValue(name);
    if (!q.exec())
        return sqlError(QStringLiteral("reading tenant"), q.lastError());
    if (!q.next())
        return makeError(ErrorCode::NotFound, QStringLiteral("no tenant named %1").arg(name));
    return Tenant { q.value(0).toLongLong(), q.value(1).toString(),
        policyFromName(q.value(2).toString()).value_or(Policy::Approved) };
}

Result<std::vector<Tenant>> SqliteStore::tenants()
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT id, name, policy FROM tenants ORDER BY id")))
        return sqlError(QStringLiteral("reading tenants"), q.lastError());
    std::vector<Tenant> out;
    while (q.next()) {
        out.push_back(Tenant { q.value(0).toLongLong(), q.value(1).toString(),
            policyFromName(q.value(2).toString()).value_or(Policy::Approved) });
    }
    return out;
}

Status SqliteStore::setTenantPolicy(const QString &name, Policy policy)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE tenants SET policy = ? WHERE name = ?"));
    q.addBindValue(QString::fromLatin1(policyName(policy)));
    q.addBindValue(name);
    if (!q.exec())
        return sqlError(QStringLiteral("setting policy"), q.lastError());
    if (q.numRowsAffected() == 0)
        return makeError(ErrorCode::NotFound, QStringLiteral("no tenant named %1").arg(name));
    return {};
}

Result<IssuedKey> SqliteStore::issueKey(const QString &tenantName)
{
    auto tenant = tenantByName(tenantName);
    if (!tenant)
        return tenant.error();
    const QString key = QStringLiteral("l0-")
        + QString::fromLatin1(randomBytes(24).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    IssuedKey issued;
    issued.key = key;
    issued.record.tenantId = tenant->id;
    issued.record.keyHash = sha256(key.toUtf8());
    issued.record.prefix = key.left(7);
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO api_keys (tenant_id, key_hash, prefix, created_ms) VALUES (?, ?, ?, ?)"));
    q.addBindValue(tenant->id);
    q.addBindValue(issued.record.keyHash);
    q.addBindValue(issued.record.prefix);
    q.addBindValue(nowMs());
    if (!q.exec())
        return sqlError(QStringLiteral("issuing key"), q.lastError());
    issued.record.id = q.lastInsertId().toLongLong();
    return issued;
}

Result<std::vector<ApiKeyRecord>> SqliteStore::activeKeys()
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT id, tenant_id, key_hash, prefix FROM api_keys WHERE revoked_ms IS NULL")))
        return sqlError(QStringLiteral("reading keys"), q.lastError());
    std::vector<ApiKeyRecord> out;
    while (q.next())
        out.push_back(
            { q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toByteArray(), q.value(3).toString() });
    return out;
}

Result<qint64> SqliteStore::nextSeq()
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("UPDATE sync_counter SET seq = seq + 1 WHERE id = 1"))
        || !q.exec(QStringLiteral("SELECT seq FROM sync_counter WHERE id = 1")) || !q.next())
        return sqlError(QStringLiteral("advancing the change counter"), q.lastError());
    return q.value(0).toLongLong();
}

Result<CandidateReceipt> SqliteStore::addCandidate(const Candidate &c)
{
    const QByteArray content = QJsonDocument(c.result.toJson()).toJson(QJsonDocument::Compact);
    const QString contentHash
        = QString::fromLatin1(sha256Hex(c.result.message.value(QLatin1String("content")).toString().toUtf8()
            + QJsonDocument(c.result.message).toJson(QJsonDocument::Compact)));
    const qint64 now = c.createdMs > 0 ? c.createdMs : nowMs();

    SqliteTransaction tx(this);
    if (!tx.started())
        return sqlError(QStringLiteral("adding candidate"), m_db.lastError());
    QSqlQuery q(m_db);
    if (!c.uid.isEmpty()) {
        // Replayed from a journal: applied once only.
        q.prepare(QStringLiteral("INSERT OR IGNORE INTO journal_applied (uid, applied_ms) VALUES (?, ?)"));
        q.addBindValue(c.uid);
        q.addBindValue(nowMs());
        if (!q.exec())
            return sqlError(QStringLiteral("adding candidate"), q.lastError());
        if (q.numRowsAffected() == 0) {
            tx.commit();
            return CandidateReceipt {};
        }
    }
    q.prepare(QStringLiteral("SELECT id FROM entries WHERE tenant_id = ? AND tier = ? AND cache_key = ?"));
    q.addBindValue(c.tenantId);
    q.addBindValue(c.tier);
    q.addBindValue(QString::fromLatin1(c.cacheKey));
    if (!q.exec())
        return sqlError(QStringLiteral("adding candidate"), q.lastError());
    CandidateReceipt receipt;
    if (q.next()) {
        receipt.entryId = q.value(0).toLongLong();
        q.prepare(QStringLiteral("UPDATE entries SET demand = demand + 1, updated_ms = ? WHERE id = ?"));
        q.addBindValue(now);
        q.addBindValue(receipt.entryId);
        if (!q.exec())
            return sqlError(QStringLiteral("adding candidate"), q.lastError());
    } else {
        q.prepare(QStringLiteral("INSERT INTO entries (tenant_id, namespace, tier, cache_key, model, request, demand, "
                                 "created_ms, updated_ms) "
                                 "VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)"));
        q.addBindValue(c.tenantId);
        q.addBindValue(text(c.ns));
        q.addBindValue(c.tier);
        q.addBindValue(QString::fromLatin1(c.cacheKey));
        q.addBindValue(text(c.model));
        q.addBindValue(text(QString::fromUtf8(c.requestJson)));
        q.addBindValue(now);
        q.addBindValue(now);
        if (!q.exec())
            return sqlError(QStringLiteral("adding entry"), q.lastError());
        receipt.entryId = q.lastInsertId().toLongLong();
    }

    // Keep a bounded sample of the real queries that mapped to this entry.
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM entry_queries WHERE entry_id = ?"));
    q.addBindValue(receipt.entryId);
    if (!q.exec() || !q.next())
        return sqlError(QStringLiteral("adding candidate"), q.lastError());
    if (q.value(0).toInt() < 20 && !c.query.isEmpty()) {
        q.prepare(QStringLiteral("INSERT INTO entry_queries (entry_id, query, seen_ms) VALUES (?, ?, ?)"));
        q.addBindValue(receipt.entryId);
        q.addBindValue(c.query.left(4000));
        q.addBindValue(now);
        if (!q.exec())
            return sqlError(QStringLiteral("adding candidate"), q.lastError());
    }

    // An identical answer already waiting, approved or rejected is not filed again (a text a
    // reviewer turned down does not come back; a different answer does); up to three
    // different answers wait side by side as alternatives.
    q.prepare(
        QStringLiteral("SELECT version, content_sha256, state FROM versions WHERE entry_id = ? ORDER BY version"));
    q.addBindValue(receipt.entryId);
    if (!q.exec())
        return sqlError(QStringLiteral("adding candidate"), q.lastError());
    int maxVersion = 0;
    int open = 0;
    while (q.next()) {
        maxVersion = qMax(maxVersion, q.value(0).toInt());
        const QString state = q.value(2).toString();
        const bool known = state == QLatin1String("pending") || state == QLatin1String("needs_second")
            || state == QLatin1String("approved") || state == QLatin1String("rejected");
        if (known && q.value(1).toString() == contentHash) {
            receipt.version = q.value(0).toInt();
            return tx.commit()
                ? Result<CandidateReceipt>(receipt)
                : Result<CandidateReceipt>(sqlError(QStringLiteral("adding candidate"), m_db.lastError()));
        }
        if (state == QLatin1String("pending") || state == QLatin1String("needs_second"))
            ++open;
    }
    if (open >= 3) {
        receipt.version = maxVersion;
        return tx.commit() ? Result<CandidateReceipt>(receipt)
                           : Result<CandidateReceipt>(sqlError(QStringLiteral("adding candidate"), m_db.lastError()));
    }
    auto seq = nextSeq();
    if (!seq)
        return seq.error();
    receipt.version = maxVersion + 1;
    receipt.newVersion = true;
    q.prepare(QStringLiteral(
        "INSERT INTO versions (entry_id, version, state, content, content_sha256, risk, author, model_used, "
        "prompt_tokens, completion_tokens, created_ms, seq, findings) VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?)"));
    q.addBindValue(receipt.entryId);
    q.addBindValue(receipt.version);
    q.addBindValue(QString::fromUtf8(content));
    q.addBindValue(contentHash);
    q.addBindValue(text(c.risk));
    q.addBindValue(text(c.author));
    q.addBindValue(text(c.result.modelUsed));
    q.addBindValue(c.result.usage.promptTokens);
    q.addBindValue(c.result.usage.completionTokens);
    q.addBindValue(now);
    q.addBindValue(*seq);
    q.addBindValue(QString::fromUtf8(c.findings));
    if (!q.exec())
        return sqlError(QStringLiteral("adding version"), q.lastError());
    if (auto a = appendAudit(*this, c.author, QStringLiteral("version.add"),
            QStringLiteral("entry/%1@%2").arg(receipt.entryId).arg(receipt.version),
            QJsonObject { { QLatin1String("content_sha256"), QString::fromLatin1(sha256Hex(content)) },
                { QLatin1String("tier"), c.tier }, { QLatin1String("key"), QString::fromLatin1(c.cacheKey) },
                { QLatin1String("risk"), c.risk } },
            now);
        !a)
        return a.error();
    if (!tx.commit())
        return sqlError(QStringLiteral("adding candidate"), m_db.lastError());
    return receipt;
}

Result<std::vector<QueueItem>> SqliteStore::queue(const QueueFilter &filter)
{
    QString sql = QStringLiteral(
        "SELECT v.entry_id, v.version, v.state, e.tenant_id, t.name, e.namespace, e.tier, e.model, v.risk, "
        "(SELECT query FROM entry_queries WHERE entry_id = e.id ORDER BY rowid LIMIT 1), v.content, e.demand, "
        "v.created_ms, "
        "v.claimed_by, v.claim_expires_ms, v.findings "
        "FROM versions v JOIN entries e ON e.id = v.entry_id JOIN tenants t ON t.id = e.tenant_id WHERE 1=1");
    if (filter.state)
        sql += QStringLiteral(" AND v.state = :state");
    else if (!filter.all)
        sql += QStringLiteral(" AND v.state IN ('pending', 'needs_second')");
    if (!filter.tenant.isEmpty())
        sql += QStringLiteral(" AND t.name = :tenant");
    if (!filter.entryIds.empty())
        sql += QStringLiteral(" AND v.entry_id IN (%1)").arg(idList(filter.entryIds)); // numbers only
    sql += QStringLiteral(" ORDER BY e.demand DESC, v.created_ms, v.entry_id, v.version LIMIT :limit");
    QSqlQuery q(m_db);
    q.prepare(sql);
    if (filter.state)
        q.bindValue(QStringLiteral(":state"), QString::fromLatin1(versionStateName(*filter.state)));
    if (!filter.tenant.isEmpty())
        q.bindValue(QStringLiteral(":tenant"), filter.tenant);
    q.bindValue(QStringLiteral(":limit"), filter.limit);
    if (!q.exec())
        return sqlError(QStringLiteral("reading the queue"), q.lastError());
    std::vector<QueueItem> out;
    while (q.next()) {
        QueueItem it;
        it.entryId = q.value(0).toLongLong();
        it.version = q.value(1).toInt();
        it.state = versionStateFromName(q.value(2).toString()).value_or(VersionState::Pending);
        it.tenantId = q.value(3).toLongLong();
        it.tenant = q.value(4).toString();
        it.ns = q.value(5).toString();
        it.tier = q.value(6).toString();
        it.model = q.value(7).toString();
        it.risk = q.value(8).toString();
        it.query = q.value(9).toString();
        auto r = ChatResult::fromJson(QJsonDocument::fromJson(q.value(10).toString().toUtf8()).object());
        if (r) {
            it.preview = answerPreview(*r);
            it.usage = r->usage;
            it.modelUsed = r->modelUsed;
        }
        it.hits = q.value(11).toLongLong();
        it.createdMs = q.value(12).toLongLong();
        if (q.value(14).toLongLong() >= nowMs()) {
            it.claimedBy = q.value(13).toString();
            it.claimExpiresMs = q.value(14).toLongLong();
        }
        it.findings = q.value(15).toString().toUtf8();
        out.push_back(std::move(it));
    }
    return out;
}

Result<int> SqliteStore::decide(
    qint64 entryId, int version, VersionState decision, const QString &reviewer, const QString &reason)
{
    if (decision != VersionState::Approved && decision != VersionState::Rejected && decision != VersionState::Revoked)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a decision is approve, reject or revoke"));
    if (decision == VersionState::Rejected && reason.trimmed().isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a rejection needs a reason"));
    SqliteTransaction tx(this);
    if (!tx.started())
        return sqlError(QStringLiteral("deciding"), m_db.lastError());
    QSqlQuery q(m_db);
    if (version <= 0) {
        q.prepare(QString::fromLatin1(decision == VersionState::Revoked
                ? "SELECT MAX(version) FROM versions WHERE entry_id = ? AND state = 'approved'"
                : "SELECT MAX(version) FROM versions WHERE entry_id = ? AND state IN ('pending', 'needs_second')"));
        q.addBindValue(entryId);
        if (!q.exec() || !q.next())
            return sqlError(QStringLiteral("deciding"), q.lastError());
        if (q.value(0).isNull())
            return makeError(
                ErrorCode::NotFound, QStringLiteral("entry %1 has no version waiting for that decision").arg(entryId));
        version = q.value(0).toInt();
    }
    q.prepare(QStringLiteral("SELECT state FROM versions WHERE entry_id = ? AND version = ?"));
    q.addBindValue(entryId);
    q.addBindValue(version);
    if (!q.exec())
        return sqlError(QStringLiteral("deciding"), q.lastError());
    if (!q.next())
        return makeError(ErrorCode::NotFound, QStringLiteral("no version %1@%2").arg(entryId).arg(version));
    const QString state = q.value(0).toString();
    const bool open = state == QLatin1String("pending") || state == QLatin1String("needs_second");
    if (decision == VersionState::Revoked ? state != QLatin1String("approved") : !open) {
        return makeError(
            ErrorCode::Conflict, QStringLiteral("version %1@%2 is %3").arg(entryId).arg(version).arg(state));
    }
    auto seq = nextSeq();
    if (!seq)
        return seq.error();
    q.prepare(QStringLiteral("UPDATE versions SET state = ?, decided_ms = ?, decided_by = ?, reason = ?, seq = ? "
                             "WHERE entry_id = ? AND version = ?"));
    q.addBindValue(QString::fromLatin1(versionStateName(decision)));
    q.addBindValue(nowMs());
    q.addBindValue(reviewer);
    q.addBindValue(reason.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(reason));
    q.addBindValue(*seq);
    q.addBindValue(entryId);
    q.addBindValue(version);
    if (!q.exec())
        return sqlError(QStringLiteral("deciding"), q.lastError());
    if (decision == VersionState::Approved) {
        if (auto t = applyTtl(*this, entryId, version, nowMs()); !t)
            return t.error();
        // A newer approval supersedes older approved versions of the same entry.
        q.prepare(
            QStringLiteral("SELECT version FROM versions WHERE entry_id = ? AND state = 'approved' AND version <> ?"));
        q.addBindValue(entryId);
        q.addBindValue(version);
        if (!q.exec())
            return sqlError(QStringLiteral("deciding"), q.lastError());
        QList<int> older;
        while (q.next())
            older << q.value(0).toInt();
        for (int v : older) {
            auto s = nextSeq();
            if (!s)
                return s.error();
            QSqlQuery u(m_db);
            u.prepare(QStringLiteral(
                "UPDATE versions SET state = 'revoked', decided_ms = ?, decided_by = ?, reason = ?, seq = ? "
                "WHERE entry_id = ? AND version = ?"));
            u.addBindValue(nowMs());
            u.addBindValue(reviewer);
            u.addBindValue(QStringLiteral("superseded by version %1").arg(version));
            u.addBindValue(*s);
            u.addBindValue(entryId);
            u.addBindValue(v);
            if (!u.exec())
                return sqlError(QStringLiteral("deciding"), u.lastError());
        }
    }
    if (auto a = appendAudit(*this, reviewer, QStringLiteral("decision"),
            QStringLiteral("entry/%1@%2").arg(entryId).arg(version),
            QJsonObject { { QLatin1String("state"), QLatin1String(versionStateName(decision)) },
                { QLatin1String("reason"), reason }, { QLatin1String("signed"), false } });
        !a)
        return a.error();
    if (!tx.commit())
        return sqlError(QStringLiteral("deciding"), m_db.lastError());
    return version;
}

Result<std::vector<VersionChange>> SqliteStore::changesSince(qint64 afterSeq, int limit)
{
    QSqlQuery q(m_db);
    q.prepare(
        QStringLiteral("SELECT v.seq, v.entry_id, v.version, v.state, e.tenant_id, e.namespace, e.tier, e.cache_key, "
                       "v.risk, v.content, v.author, v.expires_ms "
                       "FROM versions v JOIN entries e ON e.id = v.entry_id WHERE v.seq > ? ORDER BY v.seq LIMIT ?"));
    q.addBindValue(afterSeq);
    q.addBindValue(limit);
    if (!q.exec())
        return sqlError(QStringLiteral("reading changes"), q.lastError());
    std::vector<VersionChange> out;
    while (q.next()) {
        VersionChange c;
        c.seq = q.value(0).toLongLong();
        c.entryId = q.value(1).toLongLong();
        c.version = q.value(2).toInt();
        c.state = versionStateFromName(q.value(3).toString()).value_or(VersionState::Pending);
        c.tenantId = q.value(4).toLongLong();
        c.ns = q.value(5).toString();
        c.tier = q.value(6).toString();
        c.cacheKey = q.value(7).toString().toLatin1();
        c.risk = q.value(8).toString();
        c.content = q.value(9).toString().toUtf8();
        c.author = q.value(10).toString();
        c.expiresMs = q.value(11).toLongLong();
        auto r = ChatResult::fromJson(QJsonDocument::fromJson(c.content).object());
        if (!r) {
            qCWarning(lcStore) << "skipping unreadable version" << c.entryId << c.version << r.error().message;
            continue;
        }
        c.result = std::move(r.value());
        out.push_back(std::move(c));
    }
    return out;
}

namespace {
RulePackRecord readRulePack(const QSqlQuery &q)
{
    RulePackRecord r;
    r.id = q.value(0).toLongLong();
    r.tenantId = q.value(1).toLongLong();
    r.tenant = q.value(2).toString();
    r.name = q.value(3).toString();
    r.version = q.value(4).toInt();
    r.state = q.value(5).toString();
    r.content = q.value(6).toString().toUtf8();
    r.author = q.value(7).toString();
    r.createdMs = q.value(8).toLongLong();
    r.seq = q.value(9).toLongLong();
    return r;
}
const char *const kRulePackColumns
    = "SELECT p.id, p.tenant_id, t.name, p.name, p.version, p.state, p.content, p.author, p.created_ms, p.seq "
      "FROM rule_packs p JOIN tenants t ON t.id = p.tenant_id ";
} // namespace

Result<RulePackRecord> SqliteStore::addRulePack(
    const QString &tenantName, const QString &name, int version, const QByteArray &content, const QString &author)
{
    auto tenant = tenantByName(tenantName);
    if (!tenant)
        return tenant.error();
    SqliteTransaction tx(this);
    if (!tx.started())
        return sqlError(QStringLiteral("adding rule pack"), m_db.lastError());
    auto seq = nextSeq();
    if (!seq)
        return seq.error();
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral(
        "INSERT INTO rule_packs (tenant_id, name, version, content, content_sha256, state, author, created_ms, seq) "
        "VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)"));
    q.addBindValue(tenant->id);
    q.addBindValue(name);
    q.addBindValue(version);
    q.addBindValue(QString::fromUtf8(content));
    q.addBindValue(QString::fromLatin1(sha256Hex(content)));
    q.addBindValue(text(author));
    q.addBindValue(nowMs());
    q.addBindValue(*seq);
    if (!q.exec()) {
        if (q.lastError().text().contains(QLatin1String("UNIQUE")))
            return makeError(ErrorCode::AlreadyExists,
                QStringLiteral("tenant %1 already has %2 version %3: raise the pack's version")
                    .arg(tenantName, name)
                    .arg(version));
        return sqlError(QStringLiteral("adding rule pack"), q.lastError());
    }
    const qint64 id = q.lastInsertId().toLongLong();
    if (!tx.commit())
        return sqlError(QStringLiteral("adding rule pack"), m_db.lastError());
    RulePackRecord r;
    r.id = id;
    r.tenantId = tenant->id;
    r.tenant = tenantName;
    r.name = name;
    r.version = version;
    r.state = QStringLiteral("pending");
    r.author = author;
    r.seq = *seq;
    return r;
}

Result<std::vector<RulePackRecord>> SqliteStore::rulePacks(const QString &tenant)
{
    QSqlQuery q(m_db);
    q.prepare(QString::fromLatin1(kRulePackColumns)
        + (tenant.isEmpty() ? QString() : QStringLiteral("WHERE t.name = ? ")) + QStringLiteral("ORDER BY p.id"));
    if (!tenant.isEmpty())
        q.addBindValue(tenant);
    if (!q.exec())
        return sqlError(QStringLiteral("reading rule packs"), q.lastError());
    std::vector<RulePackRecord> out;
    while (q.next())
        out.push_back(readRulePack(q));
    return out;
}

Status SqliteStore::decideRulePack(qint64 id, bool activate, const QString &reviewer)
{
    SqliteTransaction tx(this);
    if (!tx.started())
        return sqlError(QStringLiteral("deciding rule pack"), m_db.lastError());
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT tenant_id, state FROM rule_packs WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec())
        return sqlError(QStringLiteral("deciding rule pack"), q.lastError());
    if (!q.next())
        return makeError(ErrorCode::NotFound, QStringLiteral("no rule pack with id %1").arg(id));
    const qint64 tenant = q.value(0).toLongLong();
    if (q.value(1).toString() != QLatin1String("pending"))
        return makeError(
            ErrorCode::Conflict, QStringLiteral("rule pack %1 is %2, not pending").arg(id).arg(q.value(1).toString()));
    if (activate) {
        QSqlQuery active(m_db);
        active.prepare(QStringLiteral("SELECT id FROM rule_packs WHERE tenant_id = ? AND state = 'active'"));
        active.addBindValue(tenant);
        if (!active.exec())
            return sqlError(QStringLiteral("deciding rule pack"), active.lastError());
        QList<qint64> retire;
        while (active.next())
            retire << active.value(0).toLongLong();
        for (qint64 old : retire) {
            auto seq = nextSeq();
            if (!seq)
                return seq.error();
            QSqlQuery u(m_db);
            u.prepare(QStringLiteral(
                "UPDATE rule_packs SET state = 'retired', decided_ms = ?, decided_by = ?, seq = ? WHERE id = ?"));
            u.addBindValue(nowMs());
            u.addBindValue(reviewer);
            u.addBindValue(*seq);
            u.addBindValue(old);
            if (!u.exec())
                return sqlError(QStringLiteral("deciding rule pack"), u.lastError());
        }
    }
    auto seq = nextSeq();
    if (!seq)
        return seq.error();
    q.prepare(QStringLiteral("UPDATE rule_packs SET state = ?, decided_ms = ?, decided_by = ?, seq = ? WHERE id = ?"));
    q.addBindValue(activate ? QStringLiteral("active") : QStringLiteral("rejected"));
    q.addBindValue(nowMs());
    q.addBindValue(reviewer);
    q.addBindValue(*seq);
    q.addBindValue(id);
    if (!q.exec())
        return sqlError(QStringLiteral("deciding rule pack"), q.lastError());
    if (!tx.commit())
        return sqlError(QStringLiteral("deciding rule pack"), m_db.lastError());
    return {};
}

Result<std::vector<RulePackRecord>> SqliteStore::rulePackChangesSince(qint64 afterSeq)
{
    QSqlQuery q(m_db);
    q.prepare(QString::fromLatin1(kRulePackColumns) + QStringLiteral("WHERE p.seq > ? ORDER BY p.seq"));
    q.addBindValue(afterSeq);
    if (!q.exec())
        return sqlError(QStringLiteral("reading rule packs"), q.lastError());
    std::vector<RulePackRecord> out;
    while (q.next())
        out.push_back(readRulePack(q));
    return out;
}

namespace {
constexpr int kLedgerBatchRows = 64;

QString ledgerInsertSql(int rows)
{
    QString sql = QStringLiteral("INSERT OR IGNORE INTO ledger_events (ts_ms, tenant_id, namespace, tier, shadow_hit, "
                                 "model_requested, model_used, "
                                 "prompt_tokens, completion_tokens, actual_micros, baseline_micros, entry_id, status, "
                                 "latency_ms, event_uid, intent) VALUES ");
    for (int i = 0; i < rows; ++i)
        sql += i == 0 ? QStringLiteral("(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
                      : QStringLiteral(",(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    return sql;
}

void bindLedgerEvent(QSqlQuery &q, int row, const CostEvent &e)
{
    const int b = row * 16;
    q.bindValue(b + 0, e.tsMs);
    q.bindValue(b + 1, e.tenantId);
    q.bindValue(b + 2, text(e.ns));
    q.bindValue(b + 3, QString::fromLatin1(tierName(e.tier)));
    q.bindValue(b + 4, e.shadowHit ? 1 : 0);
    q.bindValue(b + 5, text(e.modelRequested));
    q.bindValue(b + 6, text(e.modelUsed));
    q.bindValue(b + 7, e.promptTokens);
    q.bindValue(b + 8, e.completionTokens);
    q.bindValue(b + 9, optionalMicros(e.actualMicros));
    q.bindValue(b + 10, optionalMicros(e.baselineMicros));
    q.bindValue(b + 11, e.entryId > 0 ? QVariant(e.entryId) : QVariant(QMetaType(QMetaType::LongLong)));
    q.bindValue(b + 12, e.status);
    q.bindValue(b + 13, e.latencyMs);
    q.bindValue(b + 14, e.uid.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(e.uid));
    q.bindValue(b + 15, text(e.intent));
}
} // namespace

Status SqliteStore::appendLedger(const std::vector<CostEvent> &events)
{
    if (events.empty())
        return {};
    SqliteTransaction tx(this);
    if (!tx.started())
        return sqlError(QStringLiteral("writing ledger"), m_db.lastError());
    // Many rows per statement: the node writes tens of thousands of events a second.
    if (!m_ledgerBatch) {
        m_ledgerBatch = std::make_unique<QSqlQuery>(m_db);
        m_ledgerSingle = std::make_unique<QSqlQuery>(m_db);
        if (!m_ledgerBatch->prepare(ledgerInsertSql(kLedgerBatchRows))
            || !m_ledgerSingle->prepare(ledgerInsertSql(1))) {
            const QSqlError err
                = m_ledgerBatch->lastError().isValid() ? m_ledgerBatch->lastError() : m_ledgerSingle->lastError();
            m_ledgerBatch.reset();
            m_ledgerSingle.reset();
            return sqlError(QStringLiteral("preparing ledger insert"), err);
        }
    }
    size_t i = 0;
    for (; i + kLedgerBatchRows <= events.size(); i += kLedgerBatchRows) {
        for (int r = 0; r < kLedgerBatchRows; ++r)
            bindLedgerEvent(*m_ledgerBatch, r, events[i + size_t(r)]);
        if (!m_ledgerBatch->exec())
            return sqlError(QStringLiteral("writing ledger"), m_ledgerBatch->lastError());
    }
    for (; i < events.size(); ++i) {
        bindLedgerEvent(*m_ledgerSingle, 0, events[i]);
        if (!m_ledgerSingle->exec())
            return sqlError(QStringLiteral("writing ledger"), m_ledgerSingle->lastError());
    }
    if (!tx.commit())
        return sqlError(QStringLiteral("writing ledger"), m_db.lastError());
    return {};
}

Result<LedgerTotals> SqliteStore::ledgerTotals(const LedgerFilter &filter)
{
    QString where = QStringLiteral(" WHERE 1=1");
    if (filter.sinceMs)
        where += QStringLiteral(" AND l.ts_ms >= :since");
    if (filter.untilMs)
        where += QStringLiteral(" AND l.ts_ms < :until");
    if (!filter.tenant.isEmpty())
        where += QStringLiteral(" AND l.tenant_id = (SELECT id FROM tenants WHERE name = :tenant)");
    auto bind = [&](QSqlQuery &q) {
        if (filter.sinceMs)
            q.bindValue(QStringLiteral(":since"), *filter.sinceMs);
        if (filter.untilMs)
            q.bindValue(QStringLiteral(":until"), *filter.untilMs);
        if (!filter.tenant.isEmpty())
            q.bindValue(QStringLiteral(":tenant"), filter.tenant);
    };
    // Savings only count where both amounts are priced; unpriced events are counted apart.
    QSqlQuery q(m_db);
    q.prepare(
        QStringLiteral(
            "SELECT COUNT(*), "
            "COALESCE(SUM(CASE WHEN l.tier <> 'upstream' THEN 1 ELSE 0 END), 0), "
            "COALESCE(SUM(CASE WHEN l.tier = 'upstream' THEN 1 ELSE 0 END), 0), "
            "COALESCE(SUM(l.shadow_hit), 0), "
            "COALESCE(SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.actual_micros "
            "END), 0), "
            "COALESCE(SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN "
            "l.baseline_micros END), 0), "
            "COALESCE(SUM(CASE WHEN l.shadow_hit = 1 AND l.actual_micros IS NOT NULL THEN l.actual_micros END), 0), "
            "COALESCE(SUM(CASE WHEN l.actual_micros IS NULL OR l.baseline_micros IS NULL THEN 1 ELSE 0 END), 0), "
            "COALESCE(SUM(l.prompt_tokens), 0), COALESCE(SUM(l.completion_tokens), 0) "
            "FROM ledger_events l")
        + where);
    bind(q);
    if (!q.exec() || !q.next())
        return sqlError(QStringLiteral("reading ledger"), q.lastError());
    LedgerTotals t;
    t.requests = q.value(0).toLongLong();
    t.hits = q.value(1).toLongLong();
    t.upstream = q.value(2).toLongLong();
    t.shadowHits = q.value(3).toLongLong();
    t.actualMicros = q.value(4).toLongLong();
    t.baselineMicros = q.value(5).toLongLong();
    t.savedMicros = t.baselineMicros - t.actualMicros;
    t.shadowWouldSaveMicros = q.value(6).toLongLong();
    t.unpricedRequests = q.value(7).toLongLong();
    t.promptTokens = q.value(8).toLongLong();
    t.completionTokens = q.value(9).toLongLong();
    QSqlQuery byTier(m_db);
    byTier.prepare(
        QStringLiteral("SELECT l.tier, COUNT(*) FROM ledger_events l") + where + QStringLiteral(" GROUP BY l.tier"));
    bind(byTier);
    if (!byTier.exec())
        return sqlError(QStringLiteral("reading ledger"), byTier.lastError());
    while (byTier.next())
        t.requestsByTier.insert(byTier.value(0).toString(), byTier.value(1).toLongLong());
    return t;
}

} // namespace l0
