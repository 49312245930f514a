#pragma once

#include <QJsonObject>

#include "apicontroller.h"
#include "apiresponse.h"
#include "core/tenant.h"

namespace l0 {

class CacheService;
class Clock;
class RateLimiter;
class TenantDirectory;

// The cache as a service for other gateways and caches (an overflow layer behind LiteLLM,
// Portkey or an in-house proxy), through the same cache service as the chat APIs:
//   POST /v1/cache/lookup  a chat request (OpenAI's shape; Anthropic's with "format":
//                          "anthropic" beside it) -> 200 {"tier", "entry", "response"} with the
//                          approved answer in the request's wire format, or 404 in OpenAI's
//                          error shape with the keys it computed
//   POST /v1/cache/store   {"request": ..., "response": <the answer the caller got upstream>}
//                          -> 202 once filed as a candidate (reviewed like any other)
// Tenant-scoped by key and rate-limited like chat; a hit is a ledger event that saves what
// the named model would have cost, a stored answer one that costs what the caller paid.
class CacheApiController final : public ApiController {
public:
    enum class Action { Lookup, Store };
    struct Deps {
        CacheService *cache = nullptr;
        const TenantDirectory *tenants = nullptr;
        RateLimiter *limiter = nullptr;
        const Clock *clock = nullptr;
    };
    CacheApiController(Action action, Deps deps, ApiResponse response);
    void handle(const http::HttpRequest &request, const http::ResponderPtr &responder) override;

private:
    void lookup(
        const Tenant &tenant, const QByteArray &ns, const QJsonObject &body, const http::ResponderPtr &responder);
    void store(
        const Tenant &tenant, const QByteArray &ns, const QJsonObject &body, const http::ResponderPtr &responder);

    Action m_action;
    Deps m_deps;
    ApiResponse m_response;
};

} // namespace l0
