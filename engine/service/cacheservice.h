#pragma once

#include <QString>

#include <memory>
#include <optional>
#include <vector>

#include "cachecontrol.h"
#include "core/costevent.h"
#include "core/experiment.h"
#include "ledger/pricetable.h"
#include "tierchain.h"

namespace l0 {

class Clock;
class RecordSink;

// A request the tiers can key: parsed, scoped to a tenant and namespace, and each tier's key
// remembered under the basis it was made with. A caller may keep one per request body and
// hand it in again for a repeat of that body; it is not thread-safe, so keep it per thread.
struct PreparedRequest {
    TierScope scope;
    ChatRequest request;
    QString uncacheable; // why no tier may key it (it is still answered); empty: cacheable

    struct Keyed {
        bool known = false;
        std::shared_ptr<const void> basis;
        TierKey key;
    };
    std::vector<Keyed> keys; // by position in the chain
};

// What routing (route/, applied by the chat exchange) made of a miss, for the ledger: the
// strategy (empty: not routed), the model the baseline is priced at (the requested one, or for
// l0/auto the dearest candidate), and answers paid for and not served (a cascade's rejected
// first answer), whose cost and tokens are added to the event's.
struct RouteNote {
    QString strategy;
    QString baselineModel;
    std::vector<ChatResult> rejected;
};

// What the chain made of one request: a hit to send, or a miss with everything the service
// needs later to record the upstream's answer.
struct CacheLookup {
    enum class Outcome {
        Hit, // hit holds the answer
        Miss, // no tier had a servable answer
        ShadowHit, // a shadow tenant: a tier would have served, the upstream answers
        Bypass, // the cache was not consulted (no-cache, or the request is uncacheable)
    };
    Outcome outcome = Outcome::Miss;
    Tenant tenant;
    std::shared_ptr<const PreparedRequest> prepared;
    CacheControl control;
    Tier tier = Tier::Upstream; // the tier that hit
    std::optional<TierHit> hit;
    std::vector<TierKey> keys; // on a miss: every tier's key, chain order (abstentions included)
    QString intent; // the intent the request matched, if any (for the ledger)
    QString user; // the end user the credential named, if any (for the ledger); the caller sets it
    // The experiment the request is in (0: none), the arm it was assigned and that arm's policy,
    // set by the caller before lookup (which applies the cache part through tenant.policy); the
    // route part overrides the tenant's route policy. Recorded on the ledger event.
    qint64 experimentId = 0;
    QString arm;
    std::optional<ArmPolicy> armPolicy;
    QString responseId; // the id the client's response carries (set by the exchange; for the ledger)
    RouteNote route; // set by the exchange for a tenant with a route policy for this model

    const ChatRequest &request() const { return prepared->request; }
    // Identical misses in flight may share one upstream call: the same tenant, namespace and
    // exact key, streamed or not, and the same experiment arm. Empty when the request may not
    // share (uncacheable).
    QByteArray flightKey() const;
    // x-l0-cache: hit, miss, shadow-hit or bypass.
    const char *cacheHeader() const;
};

// The one door to the cache: every API (OpenAI chat completions, Anthropic messages, the
// cache API for gateways, MCP) and the evaluation go through it. Wire-neutral: it sees
// provider-neutral requests and answers only. It runs the tier chain, most specific first,
// applies the tenant's policy, and records what happened: one ledger event per request, and
// for a complete upstream answer a candidate filed under the broadest tier that keyed it.
//
// Thread-safe: the tiers are immutable, and records go to a thread-safe sink. Never blocks.
class CacheService {
public:
    struct Deps {
        TierChain chain;
        RecordSink *records = nullptr;
        PriceTable prices;
        const Clock *clock = nullptr; // null: the system clock
    };

    explicit CacheService(Deps deps);
    ~CacheService();

    const TierChain &chain() const { return m_deps.chain; }

    std::shared_ptr<PreparedRequest> prepare(qint64 tenantId, const QString &ns, ChatRequest request) const;

    // Runs the chain. Keys are computed (or reused from prepared) even when the lookup is
    // skipped, so that the upstream's answer can be filed.
    CacheLookup lookup(const Tenant &tenant, std::shared_ptr<PreparedRequest> prepared, CacheControl control) const;

    // Stale-if-error: for a miss whose upstreams all failed, an answer the tenant may be served
    // that ended less than graceMs ago (or has not ended), as a hit; nothing for any other
    // outcome (no-cache, uncacheable, shadow tenants) or when graceMs is 0.
    std::optional<CacheLookup> lookupStale(const CacheLookup &miss, qint64 graceMs) const;

    // A hit was served: its ledger event (cost 0, baseline what the requested model would have
    // cost). Returns the baseline (what was saved); nullopt when that model is unpriced.
    std::optional<qint64> recordHit(const CacheLookup &lookup, qint64 latencyMs) const;
    // The upstream answered: the ledger event and, for a complete answer the request allows to
    // be stored, a candidate. Call before the answer goes out, so what a client saw is never
    // lost. A result without modelUsed is taken as the requested model's.
    // shared: the answer came from another request's upstream call (coalesced): no candidate
    // (that request files it) and no cost of its own.
    void recordAnswer(const CacheLookup &lookup, const ChatResult &result, qint64 latencyMs, bool shared = false) const;
    // The upstream failed with this HTTP status: a ledger event, never billed, never filed.
    void recordFailure(const CacheLookup &lookup, int status, qint64 latencyMs, int attempts = 0) const;

private:
    CostEvent eventFor(const CacheLookup &lookup, Tier tier, qint64 latencyMs) const;
    qint64 nowMs() const;

    Deps m_deps;
};

} // namespace l0
