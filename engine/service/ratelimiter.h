#pragma once

#include <QHash>
#include <QString>

#include <mutex>
#include <optional>

#include "core/tenant.h"

namespace l0 {

class Clock;

// Per-tenant limits as token buckets: requests per minute (every request, hits included) and
// upstream tokens per minute (what the upstream reported using; hits never count). A bucket
// holds a minute's worth and refills continuously, so a tenant may burst its whole minute and
// then goes at the limit's pace.
//
// Several nodes: each enforces its share, the tenant's limit divided by `nodes` (the number of
// nodes serving the tenant behind one balancer). Nothing is exchanged between nodes, so a
// balancer that spreads a tenant's requests unevenly makes the tenant meet its limit early,
// never late.
//
// Tokens are known only when an answer is complete, so the token bucket is charged afterwards
// and may go into debt: while it is, misses are refused (hits are still served).
//
// Thread-safe. A tenant without limits costs one branch: no lock is taken.
class RateLimiter {
public:
    struct Decision {
        bool allowed = true;
        qint64 retryAfterMs = 0; // when refused: how long until it would be allowed
        QString reason; // when refused, for the client
    };

    explicit RateLimiter(const Clock *clock = nullptr, int nodes = 1);

    // A request arrives: takes one from the tenant's request bucket.
    Decision admitRequest(const Tenant &tenant);
    // A miss is about to go upstream: refused while the tenant's token bucket is in debt.
    Decision admitUpstream(const Tenant &tenant);
    // The upstream used this many tokens for the tenant.
    void chargeTokens(const Tenant &tenant, qint64 tokens);

    int nodes() const { return m_nodes; }

private:
    // Levels are in units of 1 / (60000 x nodes) of a request or token, so that a node's
    // share refills by exactly `limit` units per millisecond: integer arithmetic, no drift.
    struct Bucket {
        qint64 limit = 0; // per minute, for the whole tenant
        qint64 level = 0;
        qint64 lastMs = 0;
    };
    void refill(Bucket &b, qint64 limit, qint64 nowMs) const;
    qint64 unit() const { return 60000 * qint64(m_nodes); }

    const Clock *m_clock;
    int m_nodes;
    std::mutex m_mutex;
    QHash<qint64, Bucket> m_requests; // by tenant id
    QHash<qint64, Bucket> m_tokens;
};

} // namespace l0
