#include "sqlitestore.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlRecord>
#include <QVariant>

#include <atomic>

namespace l0 {

namespace {

std::atomic<int> g_connectionCounter { 0 };
constexpr qsizetype kMaxStatements = 200;

Error sqlError(const QString &what, const QSqlError &e)
{
    const QString text = e.text().trimmed();
    if (text.contains(QLatin1String("UNIQUE")))
        return makeError(ErrorCode::AlreadyExists, what + QStringLiteral(": ") + text);
    // SQLITE_BUSY / locked and I/O trouble can pass; constraint errors cannot.
    const bool transient = text.contains(QLatin1String("locked"), Qt::CaseInsensitive)
        || text.contains(QLatin1String("busy"), Qt::CaseInsensitive)
        || text.contains(QLatin1String("unable to open"), Qt::CaseInsensitive)
        || text.contains(QLatin1String("disk I/O"), Qt::CaseInsensitive);
    return makeError(transient ? ErrorCode::Unavailable : ErrorCode::Internal, what + QStringLiteral(": ") + text);
}

} // namespace

SqliteStore::~SqliteStore()
{
    m_statements.clear();
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const QString &path)
{
    const QFileInfo info(path);
    if (!info.absoluteDir().exists() && !QDir().mkpath(info.absolutePath()))
        return makeError(ErrorCode::Unavailable, QStringLiteral("cannot create the directory for %1").arg(path));
    std::unique_ptr<SqliteStore> s(new SqliteStore);
    s->m_connectionName = QStringLiteral("l0-sqlite-%1").arg(++g_connectionCounter);
    s->m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), s->m_connectionName);
    if (!s->m_db.isValid())
        return makeError(ErrorCode::Unavailable, QStringLiteral("the Qt SQLite driver is not installed"));
    s->m_db.setDatabaseName(path);
    s->m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    if (!s->m_db.open())
        return sqlError(QStringLiteral("cannot open %1").arg(path), s->m_db.lastError());
    for (const char *pragma : { "PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON" }) {
        if (auto r = s->execScript(QString::fromLatin1(pragma)); !r)
            return makeError(r.error().code, QStringLiteral("cannot configure %1: %2").arg(path, r.error().message));
    }
    return s;
}

Result<QSqlQuery *> SqliteStore::run(const QString &sql, const std::vector<Value> &params)
{
    std::shared_ptr<QSqlQuery> &q = m_statements[sql];
    if (!q) {
        if (m_statements.size() > kMaxStatements) { // texts built from data: start over
            m_statements.clear();
            return run(sql, params);
        }
        q = std::make_shared<QSqlQuery>(m_db);
        q->setForwardOnly(true);
        if (!q->prepare(sql)) {
            const Error e = sqlError(QStringLiteral("preparing"), q->lastError());
            m_statements.remove(sql);
            return e;
        }
    }
    for (size_t i = 0; i < params.size(); ++i)
        q->bindValue(
            int(i), params[i] ? QVariant(QString::fromUtf8(*params[i])) : QVariant(QMetaType(QMetaType::QString)));
    if (!q->exec()) {
        const Error e = sqlError(QStringLiteral("query"), q->lastError());
        q->finish();
        return e;
    }
    return q.get();
}

Result<std::vector<SqlSession::Row>> SqliteStore::query(const QString &sql, const std::vector<Value> &params)
{
    auto q = run(sql, params);
    if (!q)
        return q.error();
    std::vector<Row> rows;
    const int n = (*q)->record().count();
    while ((*q)->next()) {
        Row r;
        r.cols.reserve(size_t(n));
        for (int i = 0; i < n; ++i) {
            const QVariant v = (*q)->value(i);
            r.cols.push_back(v.isNull() ? Value() : Value(v.toString().toUtf8()));
        }
        rows.push_back(std::move(r));
    }
    (*q)->finish(); // a statement left open would hold its read snapshot
    return rows;
}

Result<int> SqliteStore::execute(const QString &sql, const std::vector<Value> &params)
{
    auto q = run(sql, params);
    if (!q)
        return q.error();
    const int n = (*q)->numRowsAffected();
    (*q)->finish();
    return n;
}

Result<qint64> SqliteStore::insert(const QString &sql, const std::vector<Value> &params)
{
    auto q = run(sql, params);
    if (!q)
        return q.error();
    const qint64 id = (*q)->lastInsertId().toLongLong();
    (*q)->finish();
    return id;
}

// BEGIN IMMEDIATE: take the write lock up front, waiting (busy timeout) for other writers. A
// deferred BEGIN that reads and then writes fails at once with "database is locked" when
// another connection wrote in between, which several consoles and a node on one file do.
Status SqliteStore::begin()
{
    if (auto s = execScript(QStringLiteral("BEGIN IMMEDIATE")); !s)
        return s;
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

Result<qint64> SqliteStore::nextSeq()
{
    if (auto u = execute(QStringLiteral("UPDATE sync_counter SET seq = seq + 1 WHERE id = 1")); !u)
        return u.error();
    return lastSeq();
}

Result<qint64> SqliteStore::lastSeq()
{
    auto r = query(QStringLiteral("SELECT seq FROM sync_counter WHERE id = 1"));
    if (!r)
        return r.error();
    if (r->empty())
        return makeError(ErrorCode::Internal, QStringLiteral("the change counter is missing"));
    return r->at(0).int64(0);
}

Result<bool> SqliteStore::hasTable(const QString &name)
{
    auto r = query(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?"), { str(name) });
    if (!r)
        return r.error();
    return !r->empty();
}

Status SqliteStore::execScript(const QString &statement)
{
    QSqlQuery q(m_db);
    if (!q.exec(statement))
        return sqlError(QStringLiteral("executing"), q.lastError());
    return {};
}

// The write transaction (BEGIN IMMEDIATE) already keeps other writers out.
Result<qint64> SqliteStore::upsertEntry(const Candidate &c, qint64 createdMs)
{
    auto found = query(QStringLiteral("SELECT id FROM entries WHERE tenant_id = ? AND tier = ? AND cache_key = ?"),
        { num(c.tenantId), str(c.tier), Value(c.cacheKey) });
    if (!found)
        return found.error();
    if (!found->empty()) {
        const qint64 id = found->at(0).int64(0);
        auto u = execute(QStringLiteral("UPDATE entries SET demand = demand + 1, updated_ms = ? WHERE id = ?"),
            { num(createdMs), num(id) });
        if (!u)
            return u.error();
        return id;
    }
    return insert(QStringLiteral("INSERT INTO entries (tenant_id, namespace, tier, cache_key, model, request, demand, "
                                 "created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)"),
        { num(c.tenantId), str(c.ns), str(c.tier), Value(c.cacheKey), str(c.model),
            Value(c.requestJson.isNull() ? QByteArray("") : c.requestJson), num(createdMs), num(createdMs) });
}

QString SqliteStore::insertIgnoringDuplicates(const QString &intoValues) const
{
    return QStringLiteral("INSERT OR IGNORE INTO ") + intoValues;
}

QString SqliteStore::blobLiteral(const QByteArray &raw) const
{
    return QStringLiteral("X'%1'").arg(QString::fromLatin1(raw.toHex()));
}

QString SqliteStore::blobAsHex(const QString &column) const
{
    return QStringLiteral("hex(%1)").arg(column);
}

QString SqliteStore::entryIdsRelation(const std::vector<qint64> &ids, std::vector<Value> *) const
{
    // Numbers only, so they go into the text.
    return QStringLiteral("(SELECT column1 AS id FROM (VALUES (%1))) AS ids")
        .arg(idList(ids).replace(QLatin1Char(','), QStringLiteral("),(")));
}

} // namespace l0
