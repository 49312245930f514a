#include "exacttier.h"

#include "exactkey.h"

#include "core/text.h"
#include "normalize/slottemplate.h"

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

namespace {
// The canonical request a key was hashed from, kept for filing a candidate after a miss.
class ExactKeyDetail final : public TierKeyDetail {
public:
    explicit ExactKeyDetail(QByteArray canonical)
        : canonical(std::move(canonical))
    {
    }
    const QByteArray canonical;
};
} // namespace

TierKey ExactTier::key(const TierScope &scope, const ChatRequest &request, const std::shared_ptr<const void> &) const
{
    QByteArray canonical = canonicalExactRequest(scope.tenantId, scope.ns, request);
    QByteArray key = sha256Hex(canonical);
    return TierKey { std::move(key), QString(), std::make_shared<const ExactKeyDetail>(std::move(canonical)) };
}

bool ExactTier::madeKey(const TierKey &key)
{
    return !key.abstained() && dynamic_cast<const ExactKeyDetail *>(key.detail.get()) != nullptr;
}

std::optional<TierHit> ExactTier::lookup(const TierScope &scope, const TierKey &key, Policy policy, qint64 nowMs) const
{
    auto answer = m_answers->find(HotKey { scope.tenantId, Tier::Exact, key.key });
    if (answer && servableUnder(policy, *answer, nowMs))
        return TierHit { std::move(answer), std::nullopt };
    // A reviewer-confirmed alias: this very request is the same question as an approved entry.
    // Only an answer that needs no slot values of its own is served for it (a template's slots
    // come from the intent tier's match, which this request did not make).
    Tier entryTier = Tier::Exact;
    auto aliased = m_answers->findAlias(scope.tenantId, key.key, &entryTier);
    if (!aliased || !servableUnder(policy, *aliased, nowMs))
        return std::nullopt;
    if (entryTier != Tier::Exact && !templateSlots(aliased->result.text()).isEmpty())
        return std::nullopt;
    return TierHit { std::move(aliased), std::nullopt };
}

bool ExactTier::fileCandidate(
    const TierScope &scope, const TierKey &key, const ChatRequest &request, Candidate &candidate) const
{
    candidate.tier = QStringLiteral("exact");
    candidate.cacheKey = key.key;
    // The canonical form the key was made from, when this tier made the key (made again otherwise).
    const auto *detail = dynamic_cast<const ExactKeyDetail *>(key.detail.get());
    candidate.requestJson = detail ? detail->canonical : canonicalExactRequest(scope.tenantId, scope.ns, request);
    return true;
}

} // namespace l0
