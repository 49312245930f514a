#include "feedbackcontroller.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

#include "api/jsonchecks.h"
#include "authenticator.h"
#include "core/clock.h"
#include "core/logging.h"
#include "core/text.h"
#include "mcp/storereader.h"
#include "responsebook.h"
#include "service/ratelimiter.h"
#include "store/responserules.h"
#include "store/store.h"

namespace l0 {

namespace {

Error responseNotFound(const QString &id)
{
    return makeError(
        ErrorCode::NotFound, QStringLiteral("no response with id '%1' was sent to this tenant").arg(id.left(100)));
}

} // namespace

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

    ResponseFeedback f;
    f.tenantId = principal->tenant.id;
    f.responseId = id;
    f.user = principal->user;
    f.scoreMicros = qRound64(score * 1e6);
    f.createdMs = m_deps.clock->nowMs();
    // Copies, not the controller: a store lookup answers later, on this thread's event loop.
    const ApiResponse response = m_response;
    const auto submit = m_deps.submit;
    const auto accept = [response, submit, responder](const ResponseFeedback &f) {
        submit(f);
        response.sendJson(responder, 202,
            QJsonDocument(QJsonObject { { QLatin1String("recorded"), true }, { QLatin1String("id"), f.responseId },
                              { QLatin1String("score"), double(f.scoreMicros) / 1e6 } })
                .toJson(QJsonDocument::Compact));
    };
    const auto notFound = [response, responder](const QString &id) {
        response.sendError(
            responder, WireFormat::OpenAi, responseNotFound(id), {}, QStringLiteral("response_not_found"));
    };

    // Only the tenant's own responses: another tenant's id reads as unknown. An id this node sent
    // lately is answered from memory (ids are random: its owner there is the only one).
    if (const auto owner = m_deps.responses ? m_deps.responses->tenantOf(id) : std::nullopt) {
        if (*owner != f.tenantId)
            return notFound(id);
        return accept(f);
    }
    if (!m_deps.store)
        return notFound(id);
    // Sent by another node, or by this one before a restart: the store's ledger says.
    m_deps.store->read(
        [tenantId = f.tenantId, id](Store &store) -> Result<QJsonObject> {
            auto sent = responseSentTo(store.session(), tenantId, id);
            if (!sent)
                return sent.error();
            return QJsonObject { { QLatin1String("sent"), *sent } };
        },
        [f, accept, notFound, response, responder](Result<QJsonObject> r) {
            if (!r) {
                qCWarning(lcNode) << "POST /v1/feedback: cannot look the response up in the store:"
                                  << r.error().message;
                Error e = makeError(ErrorCode::Unavailable,
                    QStringLiteral("the store, where responses sent by other nodes or before a restart are "
                                   "recorded, cannot be read right now; try again"));
                e.retryAfterMs = 1000;
                return response.sendError(responder, WireFormat::OpenAi, e, {}, QStringLiteral("store_unavailable"));
            }
            if (!r->value(QLatin1String("sent")).toBool())
                return notFound(f.responseId);
            accept(f);
        });
}

} // namespace l0
