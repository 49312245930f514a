#pragma once

#include <QString>

#include <optional>

#include "tier.h"

namespace l0 {

// One served request in the ledger. Money is integer micro-dollars; an unpriced amount is
// std::nullopt (flagged), never zero.
struct CostEvent {
    qint64 tsMs = 0;
    qint64 tenantId = 0;
    QString ns;
    Tier tier = Tier::Upstream;
    bool shadowHit = false;
    QString modelRequested;
    QString modelUsed;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    std::optional<qint64> actualMicros;
    std::optional<qint64> baselineMicros;
    qint64 entryId = 0;
    int status = 200;
    qint64 latencyMs = 0;
    QString uid; // journal id: an event with a uid already stored is skipped
    QString intent; // the L0 intent the request matched, if any
    int attempts = 0; // upstream calls it took, retries and fallbacks included (0 for hits)
    QString user; // the end user a token named (JWT); empty for API keys
    // The operator's fee for serving this hit (the tenant's per-hit fee), apart from model
    // costs; 0 for misses and for tenants without a fee.
    qint64 feeMicros = 0;
};

} // namespace l0
