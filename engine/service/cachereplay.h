#pragma once

#include <vector>

#include "normalize/replay.h"
#include "core/tier.h"

namespace l0 {

class IntentMatcher;

enum class ReplayTier { L0, Exact, Chain };

struct ReplayResult {
    qint64 queries = 0;
    qint64 hits = 0;
    qint64 falseHits = 0;
    double hitRate() const { return queries ? double(hits) / double(queries) : 0.0; }
    double falseHitRate() const { return hits ? double(falseHits) / double(hits) : 0.0; }
};

// The cache-replay protocol (DESIGN.md) run through the very cache service and tiers the node
// serves with: each row becomes a one-turn chat request of one tenant; warm rows fill the
// cache uncounted; then each data row is looked up (a hit when a tier serves it; false when
// the answer it got was filed for another label, or the row's label is empty) and, on a miss,
// the "upstream" answers with the row's label, which is filed as the node files a candidate
// and approved at once. tier L0 runs the intent tier alone, Exact the exact tier alone, Chain
// both in the node's order. matcher: the rule pack for the intent tier (may be null).
// servedBy, when given, receives for each data row the tier that served it (Upstream: a miss).
ReplayResult replayEvaluate(ReplayTier tier, const IntentMatcher *matcher, const std::vector<LabelledText> &warm,
    const std::vector<LabelledText> &data, std::vector<Tier> *servedBy = nullptr);

} // namespace l0
