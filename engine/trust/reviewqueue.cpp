#include "reviewqueue.h"

#include <QJsonObject>

#include "auditlog.h"

namespace l0 {

Result<std::optional<Claim>> claimNext(
    SqlSession &s, const QString &reviewer, qint64 leaseMs, qint64 nowMs, const QString &tenant)
{
    const QString pick = QStringLiteral("SELECT v.entry_id, v.version FROM versions v JOIN entries e ON e.id = "
                                        "v.entry_id JOIN tenants t ON t.id = e.tenant_id "
                                        "WHERE v.state IN ('pending', 'needs_second') "
                                        "AND (v.claimed_by IS NULL OR v.claim_expires_ms < ? OR v.claimed_by = ?) "
                                        "AND (? = '' OR t.name = ?) "
                                        "ORDER BY e.demand DESC, v.created_ms, v.entry_id, v.version LIMIT 1")
        + s.forUpdateSkipLocked(QStringLiteral("v"));
    return withTransaction(s, [&]() -> Result<std::optional<Claim>> {
        auto row = s.query(pick,
            { SqlSession::num(nowMs), SqlSession::str(reviewer), SqlSession::str(tenant), SqlSession::str(tenant) });
        if (!row)
            return row.error();
        if (row->empty())
            return std::optional<Claim>();
        Claim c { row->at(0).int64(0), int(row->at(0).int64(1)), nowMs + leaseMs };
        auto upd = s.query(
            QStringLiteral(
                "UPDATE versions SET claimed_by = ?, claim_expires_ms = ? WHERE entry_id = ? AND version = ?"),
            { SqlSession::str(reviewer), SqlSession::num(c.expiresMs), SqlSession::num(c.entryId),
                SqlSession::num(c.version) });
        if (!upd)
            return upd.error();
        if (auto n = s.announce(QStringLiteral("claim")); !n)
            return n.error();
        return std::optional<Claim>(c);
    });
}

Result<Claim> claimItem(
    SqlSession &s, qint64 entryId, int version, const QString &reviewer, qint64 leaseMs, qint64 nowMs)
{
    return withTransaction(s, [&]() -> Result<Claim> {
        auto row
            = s.query(QStringLiteral(
                          "SELECT state, claimed_by, claim_expires_ms FROM versions WHERE entry_id = ? AND version = ?")
                    + s.forUpdate(),
                { SqlSession::num(entryId), SqlSession::num(version) });
        if (!row)
            return row.error();
        if (row->empty())
            return makeError(ErrorCode::NotFound, QStringLiteral("no version %1@%2").arg(entryId).arg(version));
        const QString state = row->at(0).text(0);
        if (state != QLatin1String("pending") && state != QLatin1String("needs_second"))
            return makeError(
                ErrorCode::Conflict, QStringLiteral("version %1@%2 is %3").arg(entryId).arg(version).arg(state));
        const QString holder = row->at(0).text(1);
        if (!holder.isEmpty() && holder != reviewer && row->at(0).int64(2) >= nowMs)
            return makeError(ErrorCode::Conflict, QStringLiteral("being reviewed by %1").arg(holder));
        Claim c { entryId, version, nowMs + leaseMs };
        auto upd = s.query(
            QStringLiteral(
                "UPDATE versions SET claimed_by = ?, claim_expires_ms = ? WHERE entry_id = ? AND version = ?"),
            { SqlSession::str(reviewer), SqlSession::num(c.expiresMs), SqlSession::num(entryId),
                SqlSession::num(version) });
        if (!upd)
            return upd.error();
        if (auto n = s.announce(QStringLiteral("claim")); !n)
            return n.error();
        return c;
    });
}

Status releaseItem(SqlSession &s, qint64 entryId, int version, const QString &reviewer)
{
    return withTransaction(s, [&]() -> Status {
        auto upd = s.query(QStringLiteral("UPDATE versions SET claimed_by = NULL, claim_expires_ms = NULL WHERE "
                                          "entry_id = ? AND version = ? AND claimed_by = ?"),
            { SqlSession::num(entryId), SqlSession::num(version), SqlSession::str(reviewer) });
        if (!upd)
            return upd.error();
        return s.announce(QStringLiteral("claim"));
    });
}

Result<QByteArray> queueFingerprint(SqlSession &s)
{
    auto seq = s.lastSeq();
    if (!seq)
        return seq.error();
    // Not the lease expiry: renewing one's own lease is no news.
    auto claims = s.query(QStringLiteral(
        "SELECT COUNT(*), COALESCE(SUM(LENGTH(claimed_by)), 0) FROM versions WHERE claimed_by IS NOT NULL"));
    if (!claims)
        return claims.error();
    if (claims->empty())
        return makeError(ErrorCode::Internal, QStringLiteral("the queue's state could not be read"));
    return QByteArray(QByteArray::number(*seq) + '/' + claims->at(0).bytes(0) + '/' + claims->at(0).bytes(1));
}

const QStringList &rejectionCodes()
{
    static const QStringList codes { QStringLiteral("incorrect"), QStringLiteral("unsafe"), QStringLiteral("outdated"),
        QStringLiteral("off_topic"), QStringLiteral("incomplete"), QStringLiteral("tone"),
        QStringLiteral("private_data"), QStringLiteral("other") };
    return codes;
}

Result<QString> rejectionReason(const QString &code, const QString &text)
{
    if (!rejectionCodes().contains(code))
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("a rejection needs a reason code: %1").arg(rejectionCodes().join(QStringLiteral(", "))));
    return text.trimmed().isEmpty() ? code : code + QStringLiteral(": ") + text.trimmed();
}

Result<int> expireDue(SqlSession &s, qint64 nowMs)
{
    return withTransaction(s, [&]() -> Result<int> {
        auto due = s.query(QStringLiteral("SELECT entry_id, version FROM versions WHERE state = 'approved' AND "
                                          "expires_ms IS NOT NULL AND expires_ms <= ?")
                + s.forUpdateSkipLocked(),
            { SqlSession::num(nowMs) });
        if (!due)
            return due.error();
        for (const auto &r : *due) {
            auto seq = s.nextSeq();
            if (!seq)
                return seq.error();
            if (auto u = s.query(
                    QStringLiteral("UPDATE versions SET state = 'expired', seq = ? WHERE entry_id = ? AND version = ?"),
                    { SqlSession::num(*seq), SqlSession::num(r.int64(0)), SqlSession::num(r.int64(1)) });
                !u)
                return u.error();
            if (auto a = appendAudit(s, QStringLiteral("system"), QStringLiteral("decision"),
                    QStringLiteral("entry/%1@%2").arg(r.int64(0)).arg(r.int64(1)),
                    QJsonObject { { QLatin1String("state"), QStringLiteral("expired") } }, nowMs);
                !a)
                return a.error();
        }
        if (!due->empty()) {
            if (auto n = s.announce(QStringLiteral("version")); !n)
                return n.error();
        }
        return int(due->size());
    });
}

Status setTenantTtl(SqlSession &s, const QString &tenant, qint64 ttlMs)
{
    auto r = s.query(QStringLiteral("UPDATE tenants SET default_ttl_ms = ? WHERE name = ?"),
        { ttlMs > 0 ? SqlSession::num(ttlMs) : SqlSession::Value(), SqlSession::str(tenant) });
    if (!r)
        return r.error();
    auto check = s.query(QStringLiteral("SELECT id FROM tenants WHERE name = ?"), { SqlSession::str(tenant) });
    if (!check)
        return check.error();
    if (check->empty())
        return makeError(ErrorCode::NotFound, QStringLiteral("no tenant named %1").arg(tenant));
    return {};
}

} // namespace l0
