#include "apiresponse.h"

#include <cctype>

#include "api/anthropiccodec.h"
#include "api/errormapping.h"
#include "api/openaicodec.h"
#include "metrics.h"
#include "service/ratelimiter.h"

namespace l0 {

void ApiResponse::sendJson(
    const http::ResponderPtr &responder, int status, const QByteArray &body, const http::HeaderList &extra) const
{
    http::HeaderList headers { { "Content-Type", "application/json" } };
    headers += extra;
    m_metrics->countRequest(status);
    responder->send(status, headers, body);
}

std::optional<Principal> ApiResponse::admitCaller(const Authenticator &auth, RateLimiter *limiter,
    const http::HttpRequest &request, const http::ResponderPtr &responder) const
{
    auto principal = auth.authenticate(request);
    if (!principal) {
        sendError(responder, WireFormat::OpenAi, principal.error());
        return std::nullopt;
    }
    if (limiter) {
        if (const auto d = limiter->admitRequest(principal->tenant); !d.allowed) {
            Error e = makeError(ErrorCode::RateLimited, d.reason);
            e.retryAfterMs = d.retryAfterMs;
            sendError(responder, WireFormat::OpenAi, e, {}, QStringLiteral("rate_limit_exceeded"));
            return std::nullopt;
        }
    }
    return std::move(*principal);
}

void ApiResponse::sendError(const http::ResponderPtr &responder, WireFormat wire, const Error &error,
    const http::HeaderList &extra, const QString &code) const
{
    const int status = api::httpStatusFor(error);
    http::HeaderList headers = extra;
    if (error.retryAfterMs > 0 && (status == 429 || status == 503)) // whole seconds, rounded up
        headers.append({ "Retry-After", QByteArray::number((error.retryAfterMs + 999) / 1000) });
    if (status == 401 && error.field == QLatin1String("authorization")) // a bearer token that did not check out
        headers.append({ QByteArray("WWW-Authenticate"), QByteArray("Bearer error=\"invalid_token\"") });
    if (wire == WireFormat::Anthropic)
        return sendJson(responder, status, api::anthropicErrorBody(status, error.message), headers);
    sendJson(responder, status,
        api::openAiErrorBody(
            status, error.message, error.field, code.isEmpty() ? api::openAiErrorCodeFor(error) : code),
        headers);
}

bool validNamespace(const QByteArray &ns)
{
    if (ns.size() > 128)
        return false;
    for (char c : ns) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '/' || c == ':'))
            return false;
    }
    return true;
}

QByteArray presentedApiKey(const http::HttpRequest &request)
{
    const QByteArray auth = request.header("authorization");
    if (auth.size() > 7 && auth.left(7).compare("Bearer ", Qt::CaseInsensitive) == 0)
        return auth.mid(7).trimmed();
    return request.header("x-api-key").trimmed();
}

} // namespace l0
