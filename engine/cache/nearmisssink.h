#pragma once

#include "core/aliasproposal.h"

namespace l0 {

// Where a tier reports its near misses (AliasProposal): the node's store worker journals them
// and files them as alias proposals for review, deduplicated per (tenant, query key, entry).
// Implementations are thread-safe and never block: a tier may call submitNearMiss() from its
// const lookup() on any HTTP worker thread.
class NearMissSink {
public:
    virtual ~NearMissSink() = default;
    virtual void submitNearMiss(AliasProposal proposal) = 0;
};

} // namespace l0
