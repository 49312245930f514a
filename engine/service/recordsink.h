#pragma once

#include "core/costevent.h"
#include "core/entry.h"

namespace l0 {

// Where the cache service sends what it records: candidates for review and ledger events.
// The node's store worker queues them for the database (journalled while it is away); an
// evaluation keeps them in memory. Implementations must be thread-safe and must not block.
class RecordSink {
public:
    virtual ~RecordSink() = default;
    virtual void submitCandidate(Candidate candidate) = 0;
    virtual void submitLedger(CostEvent event) = 0;
};

} // namespace l0
