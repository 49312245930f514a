#pragma once

#include <QString>

#include "core/result.h"
#include "sqlsession.h"
#include "storetypes.h"

namespace l0 {

// The review queue's rules, written once over SqlSession for both stores and for the signed
// decisions in trust/ (which sit on top of these).
//
// Filing: a candidate is filed under the entry for (tenant, tier, key). An answer identical to
// one waiting, approved or rejected only bumps the entry's demand (a text a reviewer turned
// down does not come back; a different answer does); up to kMaxOpenAlternatives different
// answers wait side by side.
//
// Deciding: a version waits (pending; needs_second after the first of two approvals a high
// risk needs) until it is approved or rejected; an approved version may be revoked, expires
// at the end of its lifetime, and is superseded (revoked) when a newer version of its entry
// is approved.
inline constexpr int kMaxOpenAlternatives = 3;

// pending or needs_second.
bool isWaiting(const QString &state);

// The version a decision is about: version > 0 itself; else the newest waiting version (the
// newest approved one for a revocation). NotFound when there is none.
Result<int> versionToDecide(SqlSession &session, qint64 entryId, int version, VersionState decision);
// Ok when a version in `state` may take the decision (approve, reject: waiting; revoke:
// approved); Conflict otherwise.
Status checkDecision(qint64 entryId, int version, const QString &state, VersionState decision);
// Records a decision: the new state, who took it, when and why, under a new change number.
Status recordDecision(SqlSession &session, qint64 entryId, int version, VersionState state, const QString &decidedBy,
    const QString &reason, qint64 nowMs);
// Sets a version's state and reason under a new change number (who decided stays as it was).
Status setVersionState(SqlSession &session, qint64 entryId, int version, const QString &state, const QString &reason);

// The reason a superseded version is revoked with; also how withdrawing the newer approval
// finds the version to bring back.
QString supersededReason(int version);
// An approval in force: the version's lifetime starts (applyTtl) and older approved versions
// of the entry are superseded. decidedBy non-empty: the superseding is recorded as their
// decision at nowMs; empty: the older versions keep who decided them.
Status approvalTakesEffect(
    SqlSession &session, qint64 entryId, int version, qint64 nowMs, const QString &decidedBy = QString());

// At approval: the version lives ttlMs (> 0), or else the tenant's default_ttl_ms, if any.
Status applyTtl(SqlSession &session, qint64 entryId, int version, qint64 nowMs, qint64 ttlMs = 0);

} // namespace l0
