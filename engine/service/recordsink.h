#pragma once

#include "cache/nearmisssink.h"
#include "core/costevent.h"
#include "core/entry.h"

#include <utility>

namespace l0 {

// Where the cache service sends what it records: candidates for review and ledger events.
// The node's store worker queues them for the database (journalled while it is away); an
// evaluation keeps them in memory. Implementations must be thread-safe and must not block.
// Near misses (alias proposals) too: the node files them for review; by default they are dropped.
class RecordSink : public NearMissSink {
public:
    void submitNearMiss(AliasProposal proposal) override { Q_UNUSED(proposal); }
    virtual ~RecordSink() = default;
    virtual void submitCandidate(Candidate candidate) = 0;
    virtual void submitLedger(CostEvent event) = 0;
    // An upstream answer's ledger event and the candidate it offers, handed over together
    // (the store worker journals both in one write). Same as submitLedger, then submitCandidate.
    virtual void submitAnswer(CostEvent event, Candidate candidate)
    {
        submitLedger(std::move(event));
        submitCandidate(std::move(candidate));
    }
};

} // namespace l0
