#include "exacttier.h"

#include "exactkey.h"

namespace l0 {

bool servableUnder(Policy policy, const CachedAnswer &answer, qint64 nowMs)
{
    if (answer.expiresMs > 0 && answer.expiresMs <= nowMs)
        return false;
    if (answer.state == VersionState::Approved)
        return true;
    return policy == Policy::AutoLowRisk && answer.state == VersionState::Pending
        && answer.risk == QLatin1String("low");
}

ExactTier::ExactTier(const HotCache *answers)
    : m_answers(answers)
{
}

TierKey ExactTier::key(const TierScope &scope, const ChatRequest &request, const std::shared_ptr<const void> &) const
{
    return TierKey { exactKey(scope.tenantId, scope.ns, request), QString(), nullptr };
}

std::optional<TierHit> ExactTier::lookup(const TierScope &scope, const TierKey &key, Policy policy, qint64 nowMs) const
{
    auto answer = m_answers->find(HotKey { scope.tenantId, Tier::Exact, key.key });
    if (!answer || !servableUnder(policy, *answer, nowMs))
        return std::nullopt;
    return TierHit { std::move(answer), std::nullopt };
}

bool ExactTier::fileCandidate(
    const TierScope &scope, const TierKey &key, const ChatRequest &request, Candidate &candidate) const
{
    candidate.tier = QStringLiteral("exact");
    candidate.cacheKey = key.key;
    candidate.requestJson = canonicalExactRequest(scope.tenantId, scope.ns, request);
    return true;
}

} // namespace l0
