#pragma once

#include <QString>

#include <optional>

#include "core/result.h"
#include "store/queuerules.h"
#include "store/sqlsession.h"

namespace l0 {

// Review leases: a reviewer claims an item for a while so two people never work it
// unknowingly; the lease expires by itself, is renewed while the item is open, and is released
// when done. On PostgreSQL the next free item is taken with FOR UPDATE SKIP LOCKED, so
// concurrent claimers never block on or take the same item.
struct Claim {
    qint64 entryId = 0;
    int version = 0;
    qint64 expiresMs = 0;
};

// The most valuable waiting item (highest demand first) that is unclaimed, expired, or already
// this reviewer's; nullopt when there is none. tenant: empty for any.
Result<std::optional<Claim>> claimNext(
    SqlSession &session, const QString &reviewer, qint64 leaseMs, qint64 nowMs, const QString &tenant = QString());
// Claims (or renews) one item; Conflict when someone else holds an unexpired lease.
Result<Claim> claimItem(
    SqlSession &session, qint64 entryId, int version, const QString &reviewer, qint64 leaseMs, qint64 nowMs);
Status releaseItem(SqlSession &session, qint64 entryId, int version, const QString &reviewer);

// What changes when anything in the queue changes: the change counter (new candidates,
// decisions, edits, withdrawals) and the claims. Cheap at any queue size (a counter and an
// index of the claimed versions), so consoles can look every second besides LISTEN.
Result<QByteArray> queueFingerprint(SqlSession &session);

// Reasons a reviewer may give for a rejection; a rejection needs one, plus optional text.
const QStringList &rejectionCodes();
// "code: text" as stored; an error for an unknown code.
Result<QString> rejectionReason(const QString &code, const QString &text);

// Approved versions whose lifetime ended become expired (nodes then drop them). Returns how
// many. A version's lifetime is its own expires_ms, set at approval from the tenant's
// default_ttl_ms when it has one.
Result<int> expireDue(SqlSession &session, qint64 nowMs);
// (applyTtl, which starts the lifetime at approval, is one of the queue's rules: store/queuerules.h.)
Status setTenantTtl(SqlSession &session, const QString &tenant, qint64 ttlMs); // 0: none

} // namespace l0
