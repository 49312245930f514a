#include "feedbackcontroller.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

#include "api/jsonchecks.h"
#include "authenticator.h"
#include "core/clock.h"
#include "core/text.h"
#include "responsebook.h"
#include "service/ratelimiter.h"

namespace l0 {

FeedbackController::FeedbackController(Deps deps, ApiResponse response)
    : m_deps(std::move(deps))
    , m_response(response)
{
    if (!m_deps.clock)
        m_deps.clock = Clock::system();
}

void FeedbackController::handle(const http::HttpRequest &request, const http::ResponderPtr &responder)
{
    const auto refuse = [&](const Error &e, const QString &code = QString()) {
        m_response.sendError(responder, WireFormat::OpenAi, e, {}, code);
    };
    const auto principal = m_response.admitCaller(*m_deps.auth, m_deps.limiter, request, responder);
    if (!principal)
        return;
    if (!isValidUtf8(request.body))
        return refuse(makeError(ErrorCode::InvalidArgument, QStringLiteral("the request body is not valid UTF-8")));
    const auto body = api::jsonObjectBody(request.body);
    if (!body)
        return refuse(body.error());

    const QJsonValue idValue = body->value(QLatin1String("id"));
    const QString id = idValue.toString();
    if (!idValue.isString() || id.isEmpty() || id.size() > ResponseFeedback::kMaxIdLength)
        return refuse(makeFieldError(QStringLiteral("id"),
            QStringLiteral("id is the id of the response being scored, as the response gave it (chatcmpl-..., "
                           "msg_..., resp_...)")));
    const QJsonValue scoreValue = body->value(QLatin1String("score"));
    const double score = scoreValue.toDouble(-1);
    if (!scoreValue.isDouble() || !std::isfinite(score) || score < 0 || score > 1)
        return refuse(
            makeFieldError(QStringLiteral("score"), QStringLiteral("score is a number from 0 (bad) to 1 (good)")));

    // Only the tenant's own responses: another tenant's id reads as unknown.
    const auto owner = m_deps.responses ? m_deps.responses->tenantOf(id) : std::nullopt;
    if (!owner || *owner != principal->tenant.id)
        return refuse(makeError(ErrorCode::NotFound,
                          QStringLiteral("no response with id '%1' was sent to this tenant").arg(id.left(100))),
            QStringLiteral("response_not_found"));

    ResponseFeedback f;
    f.tenantId = principal->tenant.id;
    f.responseId = id;
    f.user = principal->user;
    f.scoreMicros = qRound64(score * 1e6);
    f.createdMs = m_deps.clock->nowMs();
    m_deps.submit(f);
    m_response.sendJson(responder, 202,
        QJsonDocument(QJsonObject { { QLatin1String("recorded"), true }, { QLatin1String("id"), id },
                          { QLatin1String("score"), double(f.scoreMicros) / 1e6 } })
            .toJson(QJsonDocument::Compact));
}

} // namespace l0
