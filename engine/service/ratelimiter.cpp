#include "ratelimiter.h"

#include <algorithm>

#include "core/clock.h"

namespace l0 {

RateLimiter::RateLimiter(const Clock *clock, int nodes)
    : m_clock(clock ? clock : Clock::system())
    , m_nodes(std::max(1, nodes))
{
}

void RateLimiter::refill(Bucket &b, qint64 limit, qint64 nowMs) const
{
    const qint64 capacity = limit * 60000; // a minute's worth of the node's share, in units
    if (b.limit != limit) {
        // New (full), or the limit changed: keep what was used, within the new capacity.
        b.level = b.limit == 0 ? capacity : std::min(b.level, capacity);
        b.limit = limit;
        b.lastMs = nowMs;
        return;
    }
    const qint64 elapsed = std::max<qint64>(0, nowMs - b.lastMs);
    b.lastMs = nowMs;
    // No overflow: elapsed is capped at what fills the bucket before multiplying.
    const qint64 toFull = (capacity - b.level + limit - 1) / limit;
    b.level = std::min(capacity, b.level + std::min(elapsed, toFull) * limit);
}

RateLimiter::Decision RateLimiter::admitRequest(const Tenant &tenant)
{
    if (!tenant.limits.requestsPerMinute)
        return {};
    const qint64 limit = *tenant.limits.requestsPerMinute;
    const qint64 now = m_clock->nowMs();
    std::lock_guard lock(m_mutex);
    Bucket &b = m_requests[tenant.id];
    refill(b, limit, now);
    if (b.level >= unit()) {
        b.level -= unit();
        return {};
    }
    const qint64 wait = (unit() - b.level + limit - 1) / limit;
    return { false, std::max<qint64>(1, wait),
        QStringLiteral("rate limit reached: %1 requests per minute for this tenant").arg(limit) };
}

RateLimiter::Decision RateLimiter::admitUpstream(const Tenant &tenant)
{
    if (!tenant.limits.tokensPerMinute)
        return {};
    const qint64 limit = *tenant.limits.tokensPerMinute;
    const qint64 now = m_clock->nowMs();
    std::lock_guard lock(m_mutex);
    Bucket &b = m_tokens[tenant.id];
    refill(b, limit, now);
    if (b.level > 0)
        return {};
    const qint64 wait = (1 - b.level + limit - 1) / limit;
    return { false, std::max<qint64>(1, wait),
        QStringLiteral("token limit reached: %1 upstream tokens per minute for this tenant").arg(limit) };
}

void RateLimiter::chargeTokens(const Tenant &tenant, qint64 tokens)
{
    if (!tenant.limits.tokensPerMinute || tokens <= 0)
        return;
    const qint64 limit = *tenant.limits.tokensPerMinute;
    const qint64 now = m_clock->nowMs();
    std::lock_guard lock(m_mutex);
    Bucket &b = m_tokens[tenant.id];
    refill(b, limit, now);
    // The debt is bounded at an hour of the node's share: one huge answer does not lock a
    // tenant out for days.
    b.level = std::max(b.level - tokens * unit(), -60 * limit * 60000);
}

} // namespace l0
