#pragma once

#include "cachetier.h"

namespace l0 {

// The exact tier: SHA-256 over the canonical request (tenant, namespace, model, the whole
// conversation, every parameter that changes the output). Serves an approved answer to the
// very same request.
class ExactTier final : public CacheTier {
public:
    explicit ExactTier(const HotCache *answers);

    Tier tier() const override { return Tier::Exact; }
    TierKey key(
        const TierScope &scope, const ChatRequest &request, const std::shared_ptr<const void> &basis) const override;
    std::optional<TierHit> lookup(
        const TierScope &scope, const TierKey &key, Policy policy, qint64 nowMs) const override;
    bool fileCandidate(
        const TierScope &scope, const TierKey &key, const ChatRequest &request, Candidate &candidate) const override;

    // Whether key is one this tier made (its key is then the exact key of the request).
    static bool madeKey(const TierKey &key);

private:
    const HotCache *m_answers;
};

} // namespace l0
