#pragma once

#include "cachetier.h"

namespace l0 {

class PackDirectory;

// The intent (L0) tier: the tenant's active rule pack maps the last user turn, in the context
// of the conversation, to an intent and slots, or abstains. One approved answer serves the
// whole intent, its {slot} placeholders filled from the query; a template whose slot the
// query lacks is not served.
class IntentTier final : public CacheTier {
public:
    IntentTier(const HotCache *answers, const PackDirectory *packs);

    Tier tier() const override { return Tier::L0; }
    std::shared_ptr<const void> keyBasis(qint64 tenantId) const override;
    TierKey key(const TierScope &scope, const ChatRequest &request, const std::shared_ptr<const void> &basis) const override;
    std::optional<TierHit> lookup(const TierScope &scope, const TierKey &key, Policy policy, qint64 nowMs) const override;
    // The answer is offered for the whole intent, with this query's slot values turned into
    // placeholders.
    bool fileCandidate(const TierScope &scope, const TierKey &key, const ChatRequest &request,
        Candidate &candidate) const override;

private:
    const HotCache *m_answers;
    const PackDirectory *m_packs;
};

} // namespace l0
