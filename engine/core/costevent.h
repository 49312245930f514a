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
    // The experiment the request was in (0: none) and the arm it was served under.
    qint64 experimentId = 0;
    QString arm;
    // The route strategy that chose modelUsed (fixed, learned, cascade; see route/); empty: the
    // request was not routed. Routed events price their baseline at the requested model (for
    // l0/auto, the dearest candidate) and their actual cost at every call paid, a cascade's
    // rejected first answer included.
    QString route;
    // The id of the response the client was sent (chatcmpl-..., msg_..., resp_...; empty for
    // /v1/cache/* calls): what POST /v1/feedback names.
    QString responseId;
};

} // namespace l0
