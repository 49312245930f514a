#include "tierchain.h"

#include <algorithm>

#include "cache/exacttier.h"
#include "cache/intenttier.h"
#include "cache/semantictier.h"

namespace l0 {

TierChain buildTierChain(const TierSources &sources, const std::vector<Tier> &only)
{
    TierChain all;
    all.push_back(std::make_unique<ExactTier>(sources.answers));
    if (sources.packs)
        all.push_back(std::make_unique<IntentTier>(sources.answers, sources.packs));
    if (sources.semantic && sources.semantic->embedder && sources.semantic->index)
        all.push_back(std::make_unique<SemanticTier>(sources.answers, *sources.semantic, sources.nearMisses));

    if (only.empty())
        return all;
    TierChain chosen;
    for (auto &t : all) {
        if (std::find(only.begin(), only.end(), t->tier()) != only.end())
            chosen.push_back(std::move(t));
    }
    return chosen;
}

} // namespace l0
