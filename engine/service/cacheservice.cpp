#include "cacheservice.h"

#include "cache/exactkey.h"
#include "cache/exacttier.h"
#include "core/clock.h"
#include "recordsink.h"

namespace l0 {

CacheControl CacheControl::parse(const QByteArray &header)
{
    CacheControl cc;
    for (const QByteArray &part : header.split(',')) {
        const QByteArray p = part.trimmed().toLower();
        if (p == "no-cache")
            cc.noCache = true;
        else if (p == "no-store")
            cc.noStore = true;
    }
    return cc;
}

const char *CacheLookup::cacheHeader() const
{
    switch (outcome) {
    case Outcome::Hit:
        return "hit";
    case Outcome::Miss:
        return "miss";
    case Outcome::ShadowHit:
        return "shadow-hit";
    case Outcome::Bypass:
        return "bypass";
    }
    return "miss";
}

QByteArray CacheLookup::flightKey() const
{
    if (!prepared || !prepared->uncacheable.isEmpty())
        return {};
    // The exact key covers tenant, namespace, model, conversation and parameters: the exact
    // tier's, when it keyed this lookup (not hashed twice).
    QByteArray exact;
    for (const TierKey &k : keys) {
        if (ExactTier::madeKey(k)) {
            exact = k.key;
            break;
        }
    }
    if (exact.isEmpty())
        exact = exactKey(prepared->scope.tenantId, prepared->scope.ns, prepared->request);
    QByteArray key = exact + (prepared->request.stream ? "|s" : "|n");
    // Requests in different experiment arms never share a call: each arm's policy answers its own.
    if (experimentId != 0)
        key += '|' + QByteArray::number(experimentId) + ':' + arm.toUtf8();
    return key;
}

CacheService::CacheService(Deps deps)
    : m_deps(std::move(deps))
{
    if (!m_deps.clock)
        m_deps.clock = Clock::system();
}

CacheService::~CacheService() = default;

qint64 CacheService::nowMs() const
{
    return m_deps.clock->nowMs();
}

std::shared_ptr<PreparedRequest> CacheService::prepare(qint64 tenantId, const QString &ns, ChatRequest request) const
{
    auto p = std::make_shared<PreparedRequest>();
    p->scope = TierScope { tenantId, ns };
    p->request = std::move(request);
    p->uncacheable = uncacheableReason(p->request);
    p->keys.resize(m_deps.chain.size());
    return p;
}

CacheLookup CacheService::lookup(
    const Tenant &tenant, std::shared_ptr<PreparedRequest> prepared, CacheControl control) const
{
    CacheLookup out;
    out.tenant = tenant;
    out.control = control;
    const bool cacheable = prepared->uncacheable.isEmpty();
    bool shadowHit = false;
    if (cacheable) {
        const qint64 now = nowMs();
        for (size_t i = 0; i < m_deps.chain.size(); ++i) {
            const CacheTier &tier = *m_deps.chain[i];
            PreparedRequest::Keyed &k = prepared->keys[i];
            auto basis = tier.keyBasis(prepared->scope.tenantId);
            if (!k.known || k.basis != basis) {
                k.key = tier.key(prepared->scope, prepared->request, basis);
                k.basis = std::move(basis);
                k.known = true;
            }
            if (out.intent.isEmpty())
                out.intent = k.key.intent;
            if (k.key.abstained() || control.noCache)
                continue;
            auto hit = tier.lookup(prepared->scope, k.key, tenant.policy, now);
            if (!hit)
                continue;
            if (tenant.policy == Policy::Shadow) {
                shadowHit = true; // measured, never served; the later tiers still key it
                continue;
            }
            out.outcome = CacheLookup::Outcome::Hit;
            out.tier = tier.tier();
            out.hit = std::move(hit);
            out.prepared = std::move(prepared);
            return out;
        }
    }
    // A miss keeps every tier's key as it was made now, for filing the answer later.
    out.keys.reserve(prepared->keys.size());
    for (const PreparedRequest::Keyed &k : prepared->keys)
        out.keys.push_back(cacheable ? k.key : TierKey {});
    if (shadowHit)
        out.outcome = CacheLookup::Outcome::ShadowHit;
    else if (!cacheable || control.noCache)
        out.outcome = CacheLookup::Outcome::Bypass;
    else
        out.outcome = CacheLookup::Outcome::Miss;
    out.prepared = std::move(prepared);
    return out;
}

std::optional<CacheLookup> CacheService::lookupStale(const CacheLookup &miss, qint64 graceMs) const
{
    if (graceMs <= 0 || miss.outcome != CacheLookup::Outcome::Miss || miss.tenant.policy == Policy::Shadow
        || miss.keys.size() != m_deps.chain.size())
        return std::nullopt; // shadow tenants are never served from the cache, stale or not
    // An answer that ended at E is servable at now - grace exactly when E > now - grace.
    const qint64 asOf = nowMs() - graceMs;
    for (size_t i = 0; i < m_deps.chain.size(); ++i) {
        if (miss.keys[i].abstained())
            continue;
        auto hit = m_deps.chain[i]->lookup(miss.prepared->scope, miss.keys[i], miss.tenant.policy, asOf);
        if (!hit)
            continue;
        CacheLookup out = miss;
        out.outcome = CacheLookup::Outcome::Hit;
        out.tier = m_deps.chain[i]->tier();
        out.hit = std::move(hit);
        return out;
    }
    return std::nullopt;
}

CostEvent CacheService::eventFor(const CacheLookup &lookup, Tier tier, qint64 latencyMs) const
{
    CostEvent e;
    e.tsMs = nowMs();
    e.tenantId = lookup.tenant.id;
    e.ns = lookup.prepared->scope.ns;
    e.intent = lookup.intent;
    e.user = lookup.user;
    e.experimentId = lookup.experimentId;
    e.arm = lookup.arm;
    e.responseId = lookup.responseId;
    e.tier = tier;
    e.modelRequested = lookup.request().model;
    e.latencyMs = latencyMs;
    return e;
}

std::optional<qint64> CacheService::recordHit(const CacheLookup &lookup, qint64 latencyMs) const
{
    const TierHit &hit = *lookup.hit;
    CostEvent e = eventFor(lookup, lookup.tier, latencyMs);
    e.modelUsed = hit.result().modelUsed.isEmpty() ? lookup.request().model : hit.result().modelUsed;
    e.promptTokens = hit.result().usage.promptTokens;
    e.completionTokens = hit.result().usage.completionTokens;
    e.actualMicros = 0;
    e.baselineMicros = m_deps.prices.cost(
        lookup.route.baselineModel.isEmpty() ? lookup.request().model : lookup.route.baselineModel, hit.result().usage);
    e.entryId = hit.answer->entryId;
    e.feeMicros = lookup.tenant.hitFeeMicros;
    const auto saved = e.baselineMicros;
    m_deps.records->submitLedger(std::move(e));
    return saved;
}

void CacheService::recordAnswer(
    const CacheLookup &lookup, const ChatResult &upstream, qint64 latencyMs, bool shared) const
{
    const ChatRequest &request = lookup.request();
    ChatResult result = upstream;
    if (result.modelUsed.isEmpty())
        result.modelUsed = request.model;

    CostEvent e = eventFor(lookup, Tier::Upstream, latencyMs);
    e.shadowHit = lookup.outcome == CacheLookup::Outcome::ShadowHit;
    e.modelUsed = result.modelUsed;
    e.promptTokens = result.usage.promptTokens;
    e.completionTokens = result.usage.completionTokens;
    e.actualMicros = m_deps.prices.cost(result.modelUsed, result.usage);
    e.baselineMicros = m_deps.prices.cost(
        lookup.route.baselineModel.isEmpty() ? request.model : lookup.route.baselineModel, result.usage);
    e.attempts = result.attempts;
    e.route = lookup.route.strategy;
    // A routed request pays for every answer it was given, the ones it did not serve included.
    for (const ChatResult &r : lookup.route.rejected) {
        const auto paid = m_deps.prices.cost(r.modelUsed, r.usage);
        e.actualMicros = e.actualMicros && paid ? std::optional<qint64>(*e.actualMicros + *paid) : std::nullopt;
        e.promptTokens += r.usage.promptTokens;
        e.completionTokens += r.usage.completionTokens;
        e.attempts += r.attempts;
    }
    if (shared) {
        e.actualMicros = 0; // paid for once, by the request that led the call
        e.attempts = 0;
        m_deps.records->submitLedger(std::move(e));
        return;
    }

    // Only complete, successful answers are offered for review; never errors or cut-offs
    // the client asked not to store.
    const QString &fr = result.finishReason;
    const bool complete
        = fr == QLatin1String("stop") || fr == QLatin1String("length") || fr == QLatin1String("tool_calls");
    if (!complete || lookup.control.noStore || !lookup.prepared->uncacheable.isEmpty()) {
        m_deps.records->submitLedger(std::move(e));
        return;
    }
    Candidate c;
    c.tenantId = lookup.tenant.id;
    c.ns = lookup.prepared->scope.ns;
    c.model = request.model;
    c.query = request.lastUserText();
    c.author = QStringLiteral("upstream:%1").arg(result.modelUsed);
    c.result = std::move(result);
    c.risk = QStringLiteral("low"); // the safety pass sets the real risk
    c.createdMs = nowMs();
    c.responseId = e.responseId;
    // Filed under the broadest tier that keyed the request, so it serves as widely as its
    // reviewers allow. The event and the candidate go together (one journal write).
    for (size_t i = m_deps.chain.size(); i-- > 0;) {
        if (lookup.keys[i].abstained())
            continue;
        if (m_deps.chain[i]->fileCandidate(lookup.prepared->scope, lookup.keys[i], request, c)) {
            m_deps.records->submitAnswer(std::move(e), std::move(c));
            return;
        }
    }
    m_deps.records->submitLedger(std::move(e));
}

void CacheService::recordFailure(const CacheLookup &lookup, int status, qint64 latencyMs, int attempts) const
{
    CostEvent e = eventFor(lookup, Tier::Upstream, latencyMs);
    e.attempts = attempts;
    e.modelUsed = lookup.request().model;
    e.route = lookup.route.strategy;
    e.actualMicros = 0; // failed calls are not billed
    e.baselineMicros = 0;
    e.status = status;
    m_deps.records->submitLedger(std::move(e));
}

} // namespace l0
