#pragma once

#include <QJsonObject>

#include <functional>

#include "apicontroller.h"
#include "apiresponse.h"
#include "core/feedback.h"
#include "core/tenant.h"

namespace l0 {

class CacheService;
class Clock;
class RateLimiter;
class Authenticator;
class HotCache;
struct Principal;

// The cache as a service for other gateways and caches (an overflow layer behind LiteLLM,
// Portkey or an in-house proxy), through the same cache service as the chat APIs:
//   POST /v1/cache/lookup  a chat request (OpenAI's shape; Anthropic's with "format":
//                          "anthropic" beside it) -> 200 {"tier", "entry", "response"} with the
//                          approved answer in the request's wire format, or 404 in OpenAI's
//                          error shape with the keys it computed
//   POST /v1/cache/store   {"request": ..., "response": <the answer the caller got upstream>}
//                          -> 202 once filed as a candidate (reviewed like any other)
//   POST /v1/cache/feedback {"entry": "ID@VERSION", "rating": "up"|"down", "reason": ...}
//                          about an answer the tenant was served -> 202 once journalled
// Tenant-scoped by key and rate-limited like chat; a hit is a ledger event that saves what
// the named model would have cost, a stored answer one that costs what the caller paid.
class CacheApiController final : public ApiController {
public:
    enum class Action { Lookup, Store, Feedback };
    struct Deps {
        CacheService *cache = nullptr;
        const Authenticator *auth = nullptr;
        RateLimiter *limiter = nullptr;
        const Clock *clock = nullptr;
        const HotCache *answers = nullptr; // what feedback may be about: answers this node serves
        std::function<void(Feedback)> feedback; // where feedback goes (the store worker)
    };
    CacheApiController(Action action, Deps deps, ApiResponse response);
    void handle(const http::HttpRequest &request, const http::ResponderPtr &responder) override;

private:
    void lookup(
        const Principal &principal, const QByteArray &ns, const QJsonObject &body, const http::ResponderPtr &responder);
    void store(
        const Principal &principal, const QByteArray &ns, const QJsonObject &body, const http::ResponderPtr &responder);
    void feedback(const Principal &principal, const QJsonObject &body, const http::ResponderPtr &responder);

    Action m_action;
    Deps m_deps;
    ApiResponse m_response;
};

} // namespace l0
