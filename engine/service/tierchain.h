#pragma once

#include <memory>
#include <vector>

#include "cache/cachetier.h"

namespace l0 {

class HotCache;
class PackDirectory;

// What the tiers look answers up in.
struct TierSources {
    const HotCache *answers = nullptr;
    const PackDirectory *packs = nullptr; // null: no intent tier
};

using TierChain = std::vector<std::unique_ptr<const CacheTier>>;

// The tier chain, most specific first: exact, then intent. The node, the evaluation and every
// other door build it here, so they all run the same tiers. only: keep just these tiers
// (empty: all).
TierChain buildTierChain(const TierSources &sources, const std::vector<Tier> &only = {});

} // namespace l0
