#pragma once

#include <memory>
#include <vector>

#include "cache/cachetier.h"

namespace l0 {

class HotCache;
class NearMissSink;
class PackDirectory;
struct SemanticSources;

// What the tiers look answers up in.
struct TierSources {
    const HotCache *answers = nullptr;
    const PackDirectory *packs = nullptr; // null: no intent tier
    NearMissSink *nearMisses = nullptr; // where near misses go as alias proposals; null: dropped
    const SemanticSources *semantic = nullptr; // null: no semantic tier (copied into the tier)
};

using TierChain = std::vector<std::unique_ptr<const CacheTier>>;

// The tier chain, most specific first: exact, then intent, then semantic. The node, the evaluation and every
// other door build it here, so they all run the same tiers. only: keep just these tiers
// (empty: all).
TierChain buildTierChain(const TierSources &sources, const std::vector<Tier> &only = {});

} // namespace l0
