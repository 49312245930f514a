#pragma once

#include <QString>

#include <functional>
#include <map>
#include <vector>

#include "core/tier.h"
#include "normalize/replay.h"
#include "semantic/semanticguard.h"
#include "semantic/thresholdbook.h"

namespace l0 {

class IntentMatcher;

// L0: the intent tier alone; Exact: the exact tier alone; Semantic: exact, then semantic
// (the exact tier files the answers the semantic tier finds as neighbours); Chain: every tier
// the options give, in the node's order (exact, intent, semantic).
enum class ReplayTier { L0, Exact, Semantic, Chain };

struct ReplayResult {
    qint64 queries = 0;
    qint64 hits = 0;
    qint64 falseHits = 0;
    qint64 findable = 0; // data rows whose non-empty label was seen before (warm rows included)
    qint64 trueHits = 0; // hits - falseHits
    std::map<Tier, qint64> hitsByTier, falseHitsByTier;
    double hitRate() const { return queries ? double(hits) / double(queries) : 0.0; }
    double falseHitRate() const { return hits ? double(falseHits) / double(hits) : 0.0; }
    double recall() const { return findable ? double(trueHits) / double(findable) : 0.0; }
};

// The semantic tier's settings for a replay.
struct ReplaySemanticOptions {
    bool enabled = false; // Chain: add the semantic tier (Semantic: always)
    QString embedderSpec = QStringLiteral("builtin");
    double targetFalseHitRate = 0.01;
    double fixedThreshold = -1; // >= 0: serve any guarded neighbour this similar, learn nothing
    GuardOptions guards;
    ThresholdOptions thresholds;
};

// One decision of the semantic tier in a replay, for traces: the row, the neighbour it was
// decided on, whether it was served, and whether the labels agree.
struct ReplaySemanticTrace {
    QString query, queryLabel, neighbour, neighbourLabel;
    double similarity = 0;
    bool served = false;
    bool counted = false; // a data row (false: a warm row)
};

struct ReplayOptions {
    ReplayTier tier = ReplayTier::Exact;
    const IntentMatcher *matcher = nullptr; // the intent tier's rule pack (may be null)
    ReplaySemanticOptions semantic;
    std::function<void(const ReplaySemanticTrace &)> trace; // may be empty
};

// The cache-replay protocol (DESIGN.md) run through the very cache service and tiers the node
// serves with: each row becomes a one-turn chat request of one tenant; warm rows fill the
// cache uncounted; then each data row is looked up (a hit when a tier serves it; false when
// the answer it got was filed for another label, or the row's label is empty) and, on a miss,
// the "upstream" answers with the row's label, which is filed as the node files a candidate
// and approved at once; an approved exact answer is indexed for the semantic tier as the
// node's semantic indexer does. When the semantic tier explored a neighbour (did not serve it),
// the label the answer carries is the verdict fed to that entry's threshold (the reviewer's
// part online); warm rows teach the same way. Hits teach nothing (nobody checks them).
// servedBy, when given, receives for each data row the tier that served it (Upstream: a miss).
Result<ReplayResult> replayEvaluate(const ReplayOptions &options, const std::vector<LabelledText> &warm,
    const std::vector<LabelledText> &data, std::vector<Tier> *servedBy = nullptr);

// Without the semantic tier (tier Semantic is not accepted here).
ReplayResult replayEvaluate(ReplayTier tier, const IntentMatcher *matcher, const std::vector<LabelledText> &warm,
    const std::vector<LabelledText> &data, std::vector<Tier> *servedBy = nullptr);

} // namespace l0
