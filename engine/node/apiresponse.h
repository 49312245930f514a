#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

#include "core/chat.h"
#include "core/result.h"
#include "http/httprequest.h"
#include "http/httpresponder.h"
#include "node/authenticator.h"

namespace l0 {

class Metrics;
class RateLimiter;

// How every controller answers: JSON bodies, and errors in the client's own wire shape with
// the status from the one error mapping (api::httpStatusFor). Each answer is counted in the
// metrics by status.
class ApiResponse {
public:
    explicit ApiResponse(Metrics *metrics)
        : m_metrics(metrics)
    {
    }

    void sendJson(const http::ResponderPtr &responder, int status, const QByteArray &body,
        const http::HeaderList &extra = {}) const;
    // code: the OpenAI error "code"; empty: the mapping's own (openAiErrorCodeFor).
    void sendError(const http::ResponderPtr &responder, WireFormat wire, const Error &error,
        const http::HeaderList &extra = {}, const QString &code = QString()) const;

    // The caller of a JSON API (not a chat one): authenticated, then admitted under its
    // tenant's request limit (limiter may be null: no limit). On refusal the error is sent in
    // the OpenAI shape (401, or 429 with Retry-After) and nothing is returned.
    std::optional<Principal> admitCaller(const Authenticator &auth, RateLimiter *limiter,
        const http::HttpRequest &request, const http::ResponderPtr &responder) const;

    Metrics *metrics() const { return m_metrics; }

private:
    Metrics *m_metrics;
};

// The API key a client presented: "Authorization: Bearer KEY" (OpenAI, recent Anthropic
// SDKs) or "x-api-key: KEY" (Anthropic).
// x-l0-namespace: at most 128 characters of A-Z a-z 0-9 - _ . / : (empty: the default).
bool validNamespace(const QByteArray &ns);
QByteArray presentedApiKey(const http::HttpRequest &request);

} // namespace l0
