#pragma once

#include <QByteArray>

#include <functional>
#include <memory>
#include <optional>

#include "api/wirerenderer.h"
#include "apiresponse.h"
#include "core/result.h"
#include "core/tenant.h"
#include "responsebook.h"
#include "route/routepolicy.h"
#include "service/cacheservice.h"

namespace l0 {

class CacheService;
class Coalescer;
class RateLimiter;
class ModelCatalogue;
class Clock;
class Authenticator;
class UpstreamPool;
class ModelRouter;

// What a chat API's controller tells the exchange about its wire format.
struct ChatWire {
    WireFormat format = WireFormat::OpenAi;
    // Reads a body into the neutral request, for the tenant that sent it.
    std::function<Result<ChatRequest>(const QByteArray &body, const Tenant &tenant)> parse;
    // Whether a repeated body may reuse its parse (false when parsing reads state that changes,
    // such as a stored conversation).
    bool memoize = true;
    // A renderer for one request's answer (ids, created time, the model it names).
    std::function<std::unique_ptr<api::WireRenderer>(const ChatRequest &request, const Tenant &tenant)> renderer;
};

// One chat request from wire to answer, for any chat API: authenticate, read the namespace
// and cache controls, parse (remembered per worker thread for repeated bodies), look up through
// the cache service, and answer from the hit or from the upstream pool, streaming or not.
// Thread-safe; one per node, shared by the chat controllers.
class ChatExchange {
public:
    struct Deps {
        CacheService *cache = nullptr;
        UpstreamPool *upstream = nullptr;
        const Authenticator *auth = nullptr;
        bool logContent = false; // prompts in debug logs
        const Clock *clock = nullptr; // null: the system clock
        Coalescer *coalescer = nullptr; // null: identical misses each go upstream
        RateLimiter *limiter = nullptr; // null: no per-tenant limits
        const ModelCatalogue *catalogue = nullptr; // null: no model is refused a feature
        const ModelRouter *router = nullptr; // null: no request is routed
        ResponseBook *responses = nullptr; // null: response ids are not remembered for POST /v1/feedback
    };

    ChatExchange(Deps deps, ApiResponse response);
    ~ChatExchange();

    void handle(const http::HttpRequest &request, const http::ResponderPtr &responder, const ChatWire &wire);
    const Clock *clock() const { return m_deps.clock; }

    // The one place a request's route policy is resolved: the tenant's policy for the model it
    // names, nullopt when it has none (the request goes to the model it names, unrouted).
    std::optional<RoutePolicy> routePolicyFor(const CacheLookup &lookup) const;

private:
    struct Call;
    struct WorkerMemo;
    WorkerMemo &memo();

    // recorded: its ledger event is written already (a flight recorded it for its leader).
    void serveHit(const std::shared_ptr<Call> &call, const char *cacheState = "hit", bool recorded = false);
    // Every upstream failed: serves an answer past its end within the tenant's grace, if any.
    bool serveStale(const std::shared_ptr<Call> &call, std::optional<CacheLookup> stale, bool recorded);
    void refuseLimited(const http::ResponderPtr &responder, WireFormat wire, const QString &message,
        qint64 retryAfterMs, const QString &code);
    void forward(const std::shared_ptr<Call> &call);
    void startStream(const std::shared_ptr<Call> &call, const http::HeaderList &cacheHeaders);

    Deps m_deps;
    ApiResponse m_response;
    quint64 m_generation;
};

} // namespace l0
