#pragma once

#include <memory>

#include "cachetier.h"
#include "semantic/embedder.h"
#include "semantic/semanticguard.h"
#include "semantic/thresholdbook.h"
#include "semantic/vectorindexdirectory.h"

namespace l0 {

class NearMissSink;
class SemanticCorpus;
struct SemanticProfile;

// What the semantic tier did with the nearest neighbour that passed the guards: served it, or
// (a near miss) explored: treated the query as a miss. Near misses are what reviewers are
// asked about as aliases; offline, the replay turns them into observations from labels.
struct SemanticConsidered {
    TierScope scope;
    QString queryText;
    VectorEntryRef entry;
    double similarity = 0;
    bool served = false;
    double errorBound = 1; // the threshold book's bound at this similarity (fixed threshold: 0 or 1)
};

class SemanticObserver {
public:
    virtual ~SemanticObserver() = default;
    // Called from lookup(), on the caller's thread; must not block.
    virtual void considered(const SemanticConsidered &what) const = 0;
};

// What the semantic tier searches and decides with.
struct SemanticSources {
    std::shared_ptr<const Embedder> embedder; // must put vectors in the index's serving space
    std::shared_ptr<const VectorIndexDirectory> index;
    std::shared_ptr<const SemanticCorpus> corpus; // the indexed questions, for the guards
    std::shared_ptr<const ThresholdBook> thresholds;
    const SemanticObserver *observer = nullptr; // may be null
    GuardOptions guards;
    int neighbours = 8; // searched per query; the nearest that passes the guards is decided on
    // >= 0: serve any guarded neighbour at or above this similarity, learning nothing (the
    // evaluation's --curve and baselines). < 0: the thresholds book decides (the default).
    double fixedThreshold = -1;
};

// The semantic tier, after exact and intent: the nearest approved question by embedding,
// served only when it passes the guards (same conversation context, same negation, same slot
// values, no rare word on one side only) and its similarity passes that entry's own learned
// threshold (ThresholdBook: the expected false-hit rate stays under the tenant's target).
// It serves answers filed by the exact tier (a neighbour is a question asked before, answered
// and approved); it files no candidates of its own.
//
// key() embeds the last user turn inline when the embedder computes inline; with an embedder
// that does I/O the tier abstains (the node must not block a loop thread on it).
class SemanticTier final : public CacheTier {
public:
    // nearMisses: where explored neighbours go as alias proposals (may be null).
    SemanticTier(const HotCache *answers, SemanticSources sources, NearMissSink *nearMisses = nullptr);

    Tier tier() const override { return Tier::Semantic; }
    TierKey key(
        const TierScope &scope, const ChatRequest &request, const std::shared_ptr<const void> &basis) const override;
    std::optional<TierHit> lookup(
        const TierScope &scope, const TierKey &key, Policy policy, qint64 nowMs) const override;
    bool fileCandidate(
        const TierScope &scope, const TierKey &key, const ChatRequest &request, Candidate &candidate) const override;

    const SemanticSources &sources() const { return m_sources; }

    // For a key this tier made: the query's vector and profile (null otherwise).
    static const Embedding *embeddingOf(const TierKey &key);
    static const SemanticProfile *profileOf(const TierKey &key);

private:
    const HotCache *m_answers;
    SemanticSources m_sources;
    NearMissSink *m_nearMisses;
};

} // namespace l0
