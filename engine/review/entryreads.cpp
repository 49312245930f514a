#include "entryreads.h"

namespace l0 {

Result<std::optional<VersionForReview>> versionForReview(SqlSession &s, qint64 entryId, int version)
{
    auto rows = s.query(
        QStringLiteral("SELECT v.state, v.risk, v.content, v.findings, t.name, v.claimed_by, "
                       "v.claim_expires_ms, v.author, v.model_used FROM versions v JOIN entries e ON e.id = v.entry_id "
                       "JOIN tenants t ON t.id = e.tenant_id WHERE v.entry_id = ? AND v.version = ?"),
        { SqlSession::num(entryId), SqlSession::num(version) });
    if (!rows)
        return rows.error();
    if (rows->empty())
        return std::optional<VersionForReview>();
    const auto &r = rows->at(0);
    return std::optional<VersionForReview>(VersionForReview {
        r.text(0), r.text(1), r.text(2), r.bytes(3), r.text(4), r.text(5), r.int64(6), r.text(7), r.text(8) });
}

Result<std::optional<VersionContent>> approvedVersionBesides(SqlSession &s, qint64 entryId, int except)
{
    auto rows = s.query(QStringLiteral("SELECT version, content FROM versions WHERE entry_id = ? AND state = "
                                       "'approved' AND version <> ? ORDER BY version DESC LIMIT 1"),
        { SqlSession::num(entryId), SqlSession::num(except) });
    if (!rows)
        return rows.error();
    if (rows->empty())
        return std::optional<VersionContent>();
    return std::optional<VersionContent>(VersionContent { int(rows->at(0).int64(0)), rows->at(0).text(1) });
}

Result<std::vector<EntryQuery>> entryQueries(SqlSession &s, qint64 entryId, int limit)
{
    auto rows = s.query(QStringLiteral("SELECT query, COUNT(*), MIN(seen_ms) FROM entry_queries WHERE entry_id = ? "
                                       "GROUP BY query ORDER BY COUNT(*) DESC, MIN(seen_ms) LIMIT ?"),
        { SqlSession::num(entryId), SqlSession::num(limit) });
    if (!rows)
        return rows.error();
    std::vector<EntryQuery> out;
    out.reserve(rows->size());
    for (const auto &r : *rows)
        out.push_back(EntryQuery { r.text(0), r.int64(1), r.int64(2) });
    return out;
}

Result<std::vector<ReviewedVersion>> reviewHistory(SqlSession &s, qint64 entryId)
{
    auto rows = s.query(QStringLiteral("SELECT version, state, author, decided_by, reason, model_used, content "
                                       "FROM versions WHERE entry_id = ? ORDER BY version"),
        { SqlSession::num(entryId) });
    if (!rows)
        return rows.error();
    std::vector<ReviewedVersion> out;
    out.reserve(rows->size());
    for (const auto &r : *rows)
        out.push_back(
            ReviewedVersion { int(r.int64(0)), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6) });
    return out;
}

Result<std::vector<VersionSummary>> versionHistory(SqlSession &s, qint64 entryId)
{
    auto rows = s.query(QStringLiteral("SELECT version, state, risk, author, decided_by, created_ms, decided_ms "
                                       "FROM versions WHERE entry_id = ? ORDER BY version"),
        { SqlSession::num(entryId) });
    if (!rows)
        return rows.error();
    std::vector<VersionSummary> out;
    out.reserve(rows->size());
    for (const auto &r : *rows)
        out.push_back(
            VersionSummary { int(r.int64(0)), r.text(1), r.text(2), r.text(3), r.text(4), r.int64(5), r.int64(6) });
    return out;
}

Result<std::optional<KeyedVersion>> versionForKey(
    SqlSession &s, qint64 tenantId, const QString &ns, Tier tier, const QString &cacheKey)
{
    auto rows
        = s.query(QStringLiteral("SELECT e.id, v.version, v.state FROM entries e JOIN versions v ON v.entry_id = e.id "
                                 "WHERE e.tenant_id = ? AND e.namespace = ? AND e.tier = ? AND e.cache_key = ? "
                                 "ORDER BY CASE v.state WHEN 'approved' THEN 0 ELSE 1 END, v.version DESC LIMIT 1"),
            { SqlSession::num(tenantId), SqlSession::str(ns), SqlSession::str(QString::fromLatin1(tierName(tier))),
                SqlSession::str(cacheKey) });
    if (!rows)
        return rows.error();
    if (rows->empty())
        return std::optional<KeyedVersion>();
    const auto &r = rows->at(0);
    return std::optional<KeyedVersion>(KeyedVersion { r.int64(0), int(r.int64(1)), r.text(2) });
}

} // namespace l0
