#include "queuerules.h"

namespace l0 {

bool isWaiting(const QString &state)
{
    return state == QLatin1String("pending") || state == QLatin1String("needs_second");
}

Result<int> versionToDecide(SqlSession &s, qint64 entryId, int version, VersionState decision)
{
    if (version > 0)
        return version;
    auto r = s.query(decision == VersionState::Revoked
            ? QStringLiteral("SELECT MAX(version) FROM versions WHERE entry_id = ? AND state = 'approved'")
            : QStringLiteral(
                "SELECT MAX(version) FROM versions WHERE entry_id = ? AND state IN ('pending', 'needs_second')"),
        { SqlSession::num(entryId) });
    if (!r)
        return r.error();
    if (r->empty() || r->at(0).isNull(0))
        return makeError(
            ErrorCode::NotFound, QStringLiteral("entry %1 has no version waiting for that decision").arg(entryId));
    return int(r->at(0).int64(0));
}

Status checkDecision(qint64 entryId, int version, const QString &state, VersionState decision)
{
    const bool allowed = decision == VersionState::Revoked ? state == QLatin1String("approved") : isWaiting(state);
    if (!allowed)
        return makeError(
            ErrorCode::Conflict, QStringLiteral("version %1@%2 is %3").arg(entryId).arg(version).arg(state));
    return {};
}

Status recordDecision(SqlSession &s, qint64 entryId, int version, VersionState state, const QString &decidedBy,
    const QString &reason, qint64 nowMs)
{
    auto seq = s.nextSeq();
    if (!seq)
        return seq.error();
    auto u = s.execute(QStringLiteral("UPDATE versions SET state = ?, decided_ms = ?, decided_by = ?, reason = ?, "
                                      "seq = ? WHERE entry_id = ? AND version = ?"),
        { SqlSession::str(QString::fromLatin1(versionStateName(state))), SqlSession::num(nowMs),
            SqlSession::str(decidedBy), reason.isEmpty() ? SqlSession::Value() : SqlSession::str(reason),
            SqlSession::num(*seq), SqlSession::num(entryId), SqlSession::num(version) });
    return u ? Status() : Status(u.error());
}

Status setVersionState(SqlSession &s, qint64 entryId, int version, const QString &state, const QString &reason)
{
    auto seq = s.nextSeq();
    if (!seq)
        return seq.error();
    auto u = s.execute(
        QStringLiteral("UPDATE versions SET state = ?, reason = ?, seq = ? WHERE entry_id = ? AND version = ?"),
        { SqlSession::str(state), reason.isEmpty() ? SqlSession::Value() : SqlSession::str(reason),
            SqlSession::num(*seq), SqlSession::num(entryId), SqlSession::num(version) });
    return u ? Status() : Status(u.error());
}

QString supersededReason(int version)
{
    return QStringLiteral("superseded by version %1").arg(version);
}

Status approvalTakesEffect(SqlSession &s, qint64 entryId, int version, qint64 nowMs, const QString &decidedBy)
{
    if (auto t = applyTtl(s, entryId, version, nowMs); !t)
        return t;
    auto older = s.query(
        QStringLiteral("SELECT version FROM versions WHERE entry_id = ? AND state = 'approved' AND version <> ?"),
        { SqlSession::num(entryId), SqlSession::num(version) });
    if (!older)
        return older.error();
    for (const SqlSession::Row &o : *older) {
        const int v = int(o.int64(0));
        auto st = decidedBy.isEmpty()
            ? setVersionState(s, entryId, v, QStringLiteral("revoked"), supersededReason(version))
            : recordDecision(s, entryId, v, VersionState::Revoked, decidedBy, supersededReason(version), nowMs);
        if (!st)
            return st;
    }
    return {};
}

Status applyTtl(SqlSession &s, qint64 entryId, int version, qint64 nowMs, qint64 ttlMs)
{
    if (ttlMs > 0) {
        auto r = s.execute(QStringLiteral("UPDATE versions SET expires_ms = ? WHERE entry_id = ? AND version = ?"),
            { SqlSession::num(nowMs + ttlMs), SqlSession::num(entryId), SqlSession::num(version) });
        return r ? Status() : Status(r.error());
    }
    auto r = s.execute(QStringLiteral("UPDATE versions SET expires_ms = ? + (SELECT t.default_ttl_ms FROM tenants t "
                                      "JOIN entries e ON e.tenant_id = t.id WHERE e.id = ?) "
                                      "WHERE entry_id = ? AND version = ? AND expires_ms IS NULL"),
        { SqlSession::num(nowMs), SqlSession::num(entryId), SqlSession::num(entryId), SqlSession::num(version) });
    return r ? Status() : Status(r.error());
}

} // namespace l0
