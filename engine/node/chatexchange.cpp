#include "chatexchange.h"

#include <QElapsedTimer>
#include <QHash>

#include <atomic>

#include "api/errormapping.h"
#include "api/openaicodec.h"
#include "authenticator.h"
#include "core/clock.h"
#include "core/logging.h"
#include "core/text.h"
#include "metrics.h"
#include "route/cascadecall.h"
#include "route/modelrouter.h"
#include "service/cacheservice.h"
#include "service/ratelimiter.h"
#include "tenantdirectory.h"
#include "upstream/coalescer.h"
#include "upstream/modelcatalogue.h"
#include "upstream/upstreampool.h"

namespace l0 {

using http::HeaderList;
using http::HttpRequest;
using http::ResponderPtr;

namespace {

HeaderList streamHeaders()
{
    return { { "Content-Type", "text/event-stream" }, { "Cache-Control", "no-cache" } };
}

Metrics::Outcome metricsOutcome(const CacheLookup &lookup)
{
    switch (lookup.outcome) {
    case CacheLookup::Outcome::Hit:
        return Metrics::Outcome::Hit;
    case CacheLookup::Outcome::ShadowHit:
        return Metrics::Outcome::ShadowHit;
    case CacheLookup::Outcome::Bypass:
        return Metrics::Outcome::Bypass;
    case CacheLookup::Outcome::Miss:
        break;
    }
    return Metrics::Outcome::Miss;
}

std::atomic<quint64> g_exchangeGeneration { 0 };

} // namespace

// Per worker thread, so no locks: identical request bodies skip parsing and keying, and
// cached answers keep their rendered JSON. Both are bounded and simply start over when full.
struct ChatExchange::WorkerMemo {
    static constexpr int kMaxEntries = 4096;
    static constexpr qsizetype kMaxBody = 16 * 1024;
    QHash<QByteArray, std::shared_ptr<PreparedRequest>> prepared;
    QHash<QByteArray, QByteArray> openAiTails;
    QObject context; // lives on this worker thread: where shared upstream answers are delivered
};

ChatExchange::WorkerMemo &ChatExchange::memo()
{
    thread_local QHash<quint64, std::shared_ptr<WorkerMemo>> memos;
    auto &m = memos[m_generation];
    if (!m)
        m = std::make_shared<WorkerMemo>();
    return *m;
}

// Everything one chat request needs while it is in flight.
struct ChatExchange::Call {
    ResponderPtr responder;
    CacheLookup lookup;
    QElapsedTimer timer;
    std::unique_ptr<api::WireRenderer> renderer;
    bool streamStarted = false;
    std::shared_ptr<UpstreamCall> upstream;
    std::optional<RoutePolicy> policy; // the route policy for this request, if any
    const ChatRequest &request() const { return lookup.request(); }
};

ChatExchange::ChatExchange(Deps deps, ApiResponse response)
    : m_deps(deps)
    , m_response(response)
    , m_generation(++g_exchangeGeneration)
{
    if (!m_deps.clock)
        m_deps.clock = Clock::system();
}

ChatExchange::~ChatExchange() = default;

void ChatExchange::handle(const HttpRequest &request, const ResponderPtr &responder, const ChatWire &wire)
{
    QElapsedTimer timer;
    timer.start();
    Metrics *metrics = m_response.metrics();
    auto refuse = [&](const Error &error, const QString &code = QString()) {
        metrics->countOutcome(Metrics::Outcome::Error, "");
        m_response.sendError(responder, wire.format, error, {}, code);
    };

    const auto principal = m_deps.auth->authenticate(request);
    if (!principal)
        return refuse(principal.error());
    const Tenant *tenant = &principal->tenant;

    if (m_deps.limiter) {
        if (const auto d = m_deps.limiter->admitRequest(*tenant); !d.allowed) {
            metrics->countOutcome(Metrics::Outcome::Error, "");
            return refuseLimited(
                responder, wire.format, d.reason, d.retryAfterMs, QStringLiteral("rate_limit_exceeded"));
        }
    }

    const auto nsResult = requestNamespace(*principal, request);
    if (!nsResult)
        return refuse(nsResult.error());
    const QByteArray &ns = *nsResult;
    const CacheControl control = CacheControl::parse(request.header("cache-control"));

    WorkerMemo &memo = this->memo();
    QByteArray memoKey;
    if (wire.memoize && request.body.size() <= WorkerMemo::kMaxBody) {
        memoKey.reserve(request.body.size() + ns.size() + 12);
        memoKey.append(char(wire.format))
            .append(reinterpret_cast<const char *>(&tenant->id), sizeof(qint64))
            .append(ns)
            .append('\n');
        memoKey.append(request.body);
    }
    std::shared_ptr<PreparedRequest> prepared = memoKey.isEmpty() ? nullptr : memo.prepared.value(memoKey);
    if (!prepared) {
        if (!isValidUtf8(request.body))
            return refuse(makeError(ErrorCode::InvalidArgument, QStringLiteral("the request body is not valid UTF-8")));
        // Like the upstream APIs, the body is read as JSON whatever Content-Type says (curl -d
        // sends form encoding by default).
        auto parsed = wire.parse(request.body, *tenant);
        if (!parsed)
            return refuse(parsed.error());
        prepared = m_deps.cache->prepare(tenant->id, QString::fromLatin1(ns), std::move(parsed.value()));
        if (!memoKey.isEmpty()) {
            if (memo.prepared.size() >= WorkerMemo::kMaxEntries)
                memo.prepared.clear();
            memo.prepared.insert(memoKey, prepared);
        }
    }

    // A tenant's running experiment puts the caller (its end user, else its conversation) in an
    // arm by a hash, the same on every node and after restarts; the arm's cache policy stands in
    // for the tenant's for this request, its route part in routePolicyFor().
    const std::shared_ptr<const Experiment> experiment = m_deps.auth->tenants()->experimentFor(tenant->id);
    const ExperimentArm *arm
        = experiment ? assignArm(*experiment, assignmentUnit(prepared->request, principal->user)) : nullptr;
    std::optional<Tenant> armTenant;
    if (arm && arm->policy.cache) {
        armTenant = *tenant;
        armTenant->policy = *arm->policy.cache;
    }

    auto call = std::make_shared<Call>();
    call->timer = timer;
    call->responder = responder;
    call->lookup = m_deps.cache->lookup(armTenant ? *armTenant : *tenant, std::move(prepared), control);
    call->lookup.user = principal->user;
    if (arm) {
        call->lookup.experimentId = experiment->id;
        call->lookup.arm = arm->name;
        call->lookup.armPolicy = arm->policy;
    }
    if (m_deps.router) {
        call->policy = routePolicyFor(call->lookup);
        if (call->policy) // a hit saves what the policy's baseline model would have cost
            call->lookup.route.baselineModel = call->policy->baselineModel();
    }
    call->renderer = wire.renderer(call->request(), *tenant);
    call->lookup.responseId = call->renderer->id(); // on the ledger event: what POST /v1/feedback names
    if (m_deps.responses)
        m_deps.responses->remember(call->lookup.responseId, tenant->id);

    if (m_deps.logContent)
        qCDebug(lcNode) << "chat" << tenant->name << call->request().lastUserText().left(200);

    if (call->lookup.outcome == CacheLookup::Outcome::Hit)
        return serveHit(call);
    forward(call);
}

std::optional<RoutePolicy> ChatExchange::routePolicyFor(const CacheLookup &lookup) const
{
    if (!m_deps.router)
        return std::nullopt;
    std::optional<RoutePolicy> policy = m_deps.router->policyFor(lookup.tenant, lookup.request().model);
    // experiment arm override: an arm's route part (lookup.armPolicy->route) replaces the
    // tenant's strategy (and target) here; the candidates stay the tenant's, and a model the
    // tenant does not route is not routed by an arm either.
    if (policy && lookup.armPolicy && lookup.armPolicy->route) {
        const RouteArm &arm = *lookup.armPolicy->route;
        policy->strategy = routeStrategyFromName(arm.strategy).value_or(RouteStrategy::Fixed);
        if (arm.qualityTarget)
            policy->qualityTarget = *arm.qualityTarget;
    }
    return policy;
}

void ChatExchange::refuseLimited(
    const ResponderPtr &responder, WireFormat wire, const QString &message, qint64 retryAfterMs, const QString &code)
{
    Error e = makeError(ErrorCode::RateLimited, message);
    e.retryAfterMs = retryAfterMs;
    m_response.sendError(responder, wire, e, {}, code);
}

bool ChatExchange::serveStale(const std::shared_ptr<Call> &call, std::optional<CacheLookup> stale, bool recorded)
{
    if (call->streamStarted || !stale)
        return false;
    qCInfo(lcUpstream) << "every upstream failed: serving entry" << stale->hit->answer->entryId
                       << "past its end (stale-if-error)";
    call->lookup = std::move(*stale);
    serveHit(call, "stale", recorded);
    return true;
}

void ChatExchange::serveHit(const std::shared_ptr<Call> &call, const char *cacheState, bool recorded)
{
    Metrics *metrics = m_response.metrics();
    const CacheLookup &lookup = call->lookup;
    const TierHit &hit = *lookup.hit;
    const CachedAnswer &a = *hit.answer;
    const ChatResult &result = hit.result();
    if (!result.modelUsed.isEmpty())
        call->renderer->setModel(result.modelUsed);
    HeaderList cacheHeaders { { "x-l0-cache", cacheState }, { "x-l0-tier", tierName(lookup.tier) },
        { "x-l0-entry", QByteArray::number(a.entryId) + '@' + QByteArray::number(a.version) },
        { "x-l0-model", (result.modelUsed.isEmpty() ? call->request().model : result.modelUsed).toUtf8() } };
    if (!lookup.arm.isEmpty()) // the experiment arm this caller is in
        cacheHeaders.append({ "x-l0-arm", lookup.arm.toUtf8() });
    if (!recorded) {
        if (const auto saved = m_deps.cache->recordHit(lookup, call->timer.elapsed()))
            metrics->addSaved(*saved);
    }
    metrics->countOutcome(Metrics::Outcome::Hit, tierName(lookup.tier));

    if (call->request().stream) {
        HeaderList headers = streamHeaders();
        headers += cacheHeaders;
        metrics->countRequest(200);
        call->responder->beginStream(200, headers);
        QByteArray all;
        for (const QByteArray &frame : call->renderer->replayStream(result))
            all += frame;
        call->responder->write(all);
        call->responder->endStream();
    } else if (call->request().wire == WireFormat::OpenAi && hit.verbatim()) {
        // The body after the per-request head (id, created) is the same for every hit on this
        // version under this model name: rendered once per worker.
        auto *renderer = static_cast<api::OpenAiRenderer *>(call->renderer.get());
        WorkerMemo &memo = this->memo();
        const QByteArray tailKey = QByteArray::number(a.entryId) + '@' + QByteArray::number(a.version) + '|'
            + call->request().model.toUtf8();
        auto tail = memo.openAiTails.constFind(tailKey);
        if (tail == memo.openAiTails.constEnd()) {
            if (memo.openAiTails.size() >= WorkerMemo::kMaxEntries)
                memo.openAiTails.clear();
            tail = memo.openAiTails.insert(tailKey, renderer->completionTail(result));
        }
        m_response.sendJson(call->responder, 200, renderer->completionHead() + *tail, cacheHeaders);
    } else {
        m_response.sendJson(call->responder, 200, call->renderer->completion(result), cacheHeaders);
    }
    metrics->observeRequest(tierName(lookup.tier), call->timer.nsecsElapsed() / 1000);
}

void ChatExchange::startStream(const std::shared_ptr<Call> &call, const HeaderList &cacheHeaders)
{
    if (call->streamStarted)
        return;
    call->streamStarted = true;
    HeaderList headers = streamHeaders();
    headers += cacheHeaders;
    m_response.metrics()->countRequest(200);
    call->responder->beginStream(200, headers);
    call->responder->write(call->renderer->streamStart());
}

void ChatExchange::forward(const std::shared_ptr<Call> &call)
{
    Metrics *metrics = m_response.metrics();
    // A routed miss goes to the model its policy picks (for a cascade, first the cheaper one).
    std::optional<RouteDecision> route;
    if (call->policy) {
        route = m_deps.router->decide(*call->policy, call->request());
        call->lookup.route.strategy = QString::fromLatin1(routeStrategyName(route->applied));
    }
    QStringList models { route ? route->model : call->request().model };
    if (route)
        models << route->then; // a cascade's dearer candidates
    for (const QString &model : std::as_const(models)) {
        if (!m_deps.upstream->serves(model)) {
            metrics->countOutcome(Metrics::Outcome::Error, "");
            m_deps.cache->recordFailure(call->lookup, 404, call->timer.elapsed());
            Error e = makeError(
                ErrorCode::NotFound, QStringLiteral("the model '%1' does not exist or is not served here").arg(model));
            e.field = QStringLiteral("model");
            return m_response.sendError(
                call->responder, call->request().wire, e, {}, QStringLiteral("model_not_found"));
        }
        if (!m_deps.catalogue)
            continue;
        // A feature the model does not take is the client's to fix, never a silent drop.
        if (const auto info = m_deps.catalogue->find(model)) {
            if (auto e = ModelCatalogue::unsupported(model, *info, call->request())) {
                metrics->countOutcome(Metrics::Outcome::Error, "");
                m_deps.cache->recordFailure(call->lookup, 400, call->timer.elapsed());
                return m_response.sendError(call->responder, call->request().wire, *e);
            }
        }
    }
    const Tenant &tenant = call->lookup.tenant;
    if (tenant.limits.hardBudget && m_deps.auth->tenants()->budgetSpent(tenant.id)) {
        metrics->countOutcome(Metrics::Outcome::Error, "");
        m_deps.cache->recordFailure(call->lookup, 429, call->timer.elapsed());
        return refuseLimited(call->responder, call->request().wire,
            QStringLiteral("this tenant's monthly budget is spent: only cached answers are served until it is raised "
                           "or the month ends"),
            0, QStringLiteral("budget_exceeded"));
    }
    if (m_deps.limiter) {
        if (const auto d = m_deps.limiter->admitUpstream(tenant); !d.allowed) {
            metrics->countOutcome(Metrics::Outcome::Error, "");
            m_deps.cache->recordFailure(call->lookup, 429, call->timer.elapsed());
            return refuseLimited(
                call->responder, call->request().wire, d.reason, d.retryAfterMs, QStringLiteral("rate_limit_exceeded"));
        }
    }
    metrics->countOutcome(metricsOutcome(call->lookup), "upstream");
    // x-l0-model is added once the pool says which model answers (a fallback may).
    auto cacheHeaders = std::make_shared<HeaderList>(
        HeaderList { { "x-l0-cache", call->lookup.cacheHeader() }, { "x-l0-tier", "upstream" } });
    if (!call->lookup.arm.isEmpty()) // the experiment arm this caller is in
        cacheHeaders->append({ "x-l0-arm", call->lookup.arm.toUtf8() });
    if (route)
        cacheHeaders->append({ QByteArray("x-l0-route"), QByteArray(routeStrategyName(route->applied)) });
    // The call as routed; *rejected gets the answers a cascade paid for and did not serve.
    auto send = [pool = m_deps.upstream, route, metrics](const ChatRequest &request, ChatSink s,
                    const std::shared_ptr<std::vector<ChatResult>> &rejected) -> std::shared_ptr<UpstreamCall> {
        if (!route)
            return pool->chat(request, std::move(s));
        if (route->applied == RouteStrategy::Cascade)
            return startCascade(pool, request, *route, std::move(s), rejected,
                [metrics](bool failed) { metrics->countCascadeEscalation(failed); });
        ChatRequest routed = request;
        routed.model = route->model;
        return pool->chat(routed, std::move(s));
    };
    auto rejected = std::make_shared<std::vector<ChatResult>>();

    std::weak_ptr<Call> weak = call;
    call->responder->setOnAbort([weak] {
        if (auto c = weak.lock(); c && c->upstream)
            c->upstream->cancel();
    });

    // How each request records what the upstream said: itself, unless its answer is shared
    // (coalesced), where the flight records for the one that led the call, even if that client
    // has gone, and each follower records its own request as shared.
    enum class Records { Own, Shared, ByFlight };
    auto records = std::make_shared<Records>(Records::Own);

    ChatSink sink;
    sink.onModel = [call, cacheHeaders](const QString &model) {
        cacheHeaders->append({ "x-l0-model", model.toUtf8() });
        call->renderer->setModel(model);
    };
    sink.onDelta = [this, call, cacheHeaders](const QJsonObject &delta) {
        if (!call->request().stream)
            return;
        startStream(call, *cacheHeaders);
        call->responder->write(call->renderer->streamDelta(delta));
    };
    sink.onComplete = [this, call, cacheHeaders, records, rejected](const ChatResult &upstreamResult) {
        ChatResult result = upstreamResult;
        if (result.modelUsed.isEmpty())
            result.modelUsed = call->request().model;
        const qint64 micros = call->timer.nsecsElapsed() / 1000;
        m_response.metrics()->observeRequest("upstream", micros);
        m_response.metrics()->observeUpstream(result.modelUsed, micros);
        m_response.metrics()->countRouted(call->lookup.route.strategy, result.modelUsed);
        call->renderer->setModel(result.modelUsed);
        call->lookup.route.rejected = *rejected;
        // Recorded before the answer goes out: what the client has seen is never lost.
        if (*records != Records::ByFlight)
            m_deps.cache->recordAnswer(call->lookup, result, call->timer.elapsed(), *records == Records::Shared);
        if (*records == Records::Own && m_deps.limiter) {
            qint64 tokens = result.usage.total();
            for (const ChatResult &r : *rejected)
                tokens += r.usage.total();
            m_deps.limiter->chargeTokens(call->lookup.tenant, tokens);
        }
        if (call->request().stream) {
            startStream(call, *cacheHeaders);
            call->responder->write(call->renderer->streamFinish(result));
            call->responder->endStream();
        } else {
            m_response.sendJson(call->responder, 200, call->renderer->completion(result), *cacheHeaders);
        }
    };
    // A flight decides stale-if-error once for the request that leads it, and records it.
    auto leaderStale = std::make_shared<std::optional<CacheLookup>>();
    sink.onError = [this, call, records, leaderStale](const Error &error) {
        m_response.metrics()->addUpstreamError();
        const int status = api::httpStatusFor(error);
        qCWarning(lcUpstream) << "upstream call failed:" << status << error.message;
        if (*records == Records::ByFlight) {
            if (serveStale(call, *leaderStale, true))
                return;
        } else if (!call->streamStarted
            && serveStale(
                call, m_deps.cache->lookupStale(call->lookup, call->lookup.tenant.limits.staleGraceMs), false)) {
            return; // recorded as the hit it is
        }
        if (*records != Records::ByFlight)
            m_deps.cache->recordFailure(
                call->lookup, status, call->timer.elapsed(), call->upstream ? call->upstream->attempts() : 1);
        if (call->streamStarted) {
            // Headers are gone already: report the failure inside the stream and end it.
            call->responder->write(call->renderer->streamError(status, error.message));
            call->responder->endStream();
        } else {
            m_response.sendError(call->responder, call->request().wire, error,
                { { "x-l0-cache", "miss" }, { "x-l0-tier", "upstream" } }, QStringLiteral("upstream_error"));
        }
    };
    const QByteArray flight = m_deps.coalescer ? call->lookup.flightKey() : QByteArray();
    if (flight.isEmpty()) {
        call->upstream = send(call->request(), std::move(sink), rejected);
        return;
    }
    // Identical misses in flight share one upstream call.
    *records = Records::Shared;
    CacheService *cache = m_deps.cache;
    RateLimiter *limiter = m_deps.limiter;
    auto start = [cache, limiter, records, leaderStale, send, lookup = call->lookup, timer = call->timer](
                     ChatSink fanOut) {
        *records = Records::ByFlight; // this request leads: the flight records for it
        auto upstream = std::make_shared<std::shared_ptr<UpstreamCall>>();
        auto rejected = std::make_shared<std::vector<ChatResult>>();
        auto complete = fanOut.onComplete;
        fanOut.onComplete = [cache, limiter, lookup, timer, complete, rejected](const ChatResult &upstreamResult) {
            ChatResult result = upstreamResult;
            if (result.modelUsed.isEmpty())
                result.modelUsed = lookup.request().model;
            qint64 tokens = result.usage.total();
            if (rejected->empty()) {
                cache->recordAnswer(lookup, result, timer.elapsed());
            } else {
                CacheLookup paid = lookup; // with the answers paid for and not served
                paid.route.rejected = *rejected;
                for (const ChatResult &r : *rejected)
                    tokens += r.usage.total();
                cache->recordAnswer(paid, result, timer.elapsed());
            }
            if (limiter) // the one call is the tenant's, once
                limiter->chargeTokens(lookup.tenant, tokens);
            complete(result);
        };
        // Bytes of a stream went out: too late for a stale answer.
        auto streamed = std::make_shared<bool>(false);
        auto delta = fanOut.onDelta;
        fanOut.onDelta = [delta, streamed, stream = lookup.request().stream](const QJsonObject &d) {
            *streamed = *streamed || stream;
            delta(d);
        };
        auto failed = fanOut.onError;
        fanOut.onError = [cache, lookup, timer, failed, upstream, leaderStale, streamed](const Error &error) {
            // The leader's outcome is decided here, once, whether or not its client is still
            // there: a stale answer (recorded as the hit it is) or the failure.
            if (!*streamed)
                *leaderStale = cache->lookupStale(lookup, lookup.tenant.limits.staleGraceMs);
            if (*leaderStale)
                cache->recordHit(**leaderStale, timer.elapsed());
            else
                cache->recordFailure(
                    lookup, api::httpStatusFor(error), timer.elapsed(), *upstream ? (*upstream)->attempts() : 1);
            failed(error);
        };
        *upstream = send(lookup.request(), std::move(fanOut), rejected);
        return *upstream;
    };
    bool leader = false;
    call->upstream = m_deps.coalescer->join(flight, &memo().context, std::move(sink), start, &leader);
}

} // namespace l0
