#include "responsescontroller.h"

#include <QJsonDocument>

#include "api/responsescodec.h"
#include "authenticator.h"
#include "core/clock.h"
#include "core/text.h"
#include "service/conversationstore.h"

namespace l0 {

namespace {

const QByteArray kPrefix = QByteArrayLiteral("/v1/responses/");

// Where the conversation starts in a parsed request's messages: after the instructions.
int conversationStart(const ChatRequest &request)
{
    return request.clientExtras.value(QLatin1String("conversation_start")).toInt();
}

} // namespace

ResponsesController::ResponsesController(
    ChatExchange *exchange, ConversationStore *conversations, const Authenticator *auth, ApiResponse response)
    : m_exchange(exchange)
    , m_conversations(conversations)
    , m_auth(auth)
    , m_response(response)
{
    m_wire.format = WireFormat::OpenAiResponses;
    m_wire.memoize = false; // previous_response_id reads stored conversations, which come and go
    m_wire.parse = [conversations](const QByteArray &body, const Tenant &tenant) -> Result<ChatRequest> {
        auto parsed = api::parseResponses(body);
        if (!parsed)
            return parsed.error();
        ChatRequest chat = std::move(parsed->chat);
        chat.clientExtras = parsed->echo;
        chat.clientExtras.insert(QLatin1String("conversation_start"), parsed->conversationStart);
        if (!parsed->previousResponseId.isEmpty()) {
            // Another tenant's id reads as unknown: nothing says it exists.
            const auto prior = conversations->get(tenant.id, parsed->previousResponseId, tenant.responseRetentionMs);
            if (!prior)
                return makeFieldError(QStringLiteral("previous_response_id"),
                    QStringLiteral("previous response with id '%1' not found (never stored, deleted, or past its "
                                   "retention)")
                        .arg(parsed->previousResponseId));
            QJsonArray messages;
            const int start = conversationStart(chat);
            for (int i = 0; i < start; ++i)
                messages.append(chat.messages.at(i));
            for (const QJsonValue &m : prior->conversation)
                messages.append(m);
            for (qsizetype i = start; i < chat.messages.size(); ++i)
                messages.append(chat.messages.at(i));
            chat.messages = messages;
        }
        return chat;
    };
    m_wire.renderer = [conversations, clock = exchange->clock()](
                          const ChatRequest &request, const Tenant &tenant) -> std::unique_ptr<api::WireRenderer> {
        const QString id = QStringLiteral("resp_") + QString::fromLatin1(randomBytes(16).toHex());
        std::function<void(const QJsonObject &, const ChatResult &)> done;
        if (request.clientExtras.value(QLatin1String("store")).toBool(true)
            && tenant.responseRetentionMs.value_or(1) > 0) {
            QJsonArray conversation;
            for (qsizetype i = conversationStart(request); i < request.messages.size(); ++i)
                conversation.append(request.messages.at(i));
            done = [conversations, id, tenantId = tenant.id, retention = tenant.responseRetentionMs, conversation](
                       const QJsonObject &response, const ChatResult &result) {
                ConversationStore::Stored s;
                s.tenantId = tenantId;
                s.conversation = conversation;
                s.conversation.append(result.message);
                s.response = response;
                conversations->put(id, std::move(s), retention);
            };
        }
        return std::make_unique<api::ResponsesRenderer>(
            id, clock->nowMs() / 1000, request.model, request.clientExtras, std::move(done));
    };
}

void ResponsesController::handle(const http::HttpRequest &request, const http::ResponderPtr &responder)
{
    if (request.path.startsWith(kPrefix))
        return handleStored(request, responder);
    m_exchange->handle(request, responder, m_wire);
}

void ResponsesController::handleStored(const http::HttpRequest &request, const http::ResponderPtr &responder)
{
    const auto principal = m_auth->authenticate(request);
    if (!principal)
        return m_response.sendError(responder, WireFormat::OpenAi, principal.error());
    const Tenant *tenant = &principal->tenant;
    const QString id = QString::fromUtf8(request.path.mid(kPrefix.size()));
    const auto notFound = [&] {
        m_response.sendError(responder, WireFormat::OpenAi,
            makeError(ErrorCode::NotFound, QStringLiteral("response with id '%1' not found").arg(id.left(100))));
    };
    if (request.method == "DELETE") {
        if (!m_conversations->remove(tenant->id, id))
            return notFound();
        return m_response.sendJson(responder, 200,
            QJsonDocument(QJsonObject { { QLatin1String("id"), id },
                              { QLatin1String("object"), QStringLiteral("response.deleted") },
                              { QLatin1String("deleted"), true } })
                .toJson(QJsonDocument::Compact));
    }
    const auto stored = m_conversations->get(tenant->id, id, tenant->responseRetentionMs);
    if (!stored)
        return notFound();
    m_response.sendJson(responder, 200, QJsonDocument(stored->response).toJson(QJsonDocument::Compact));
}

} // namespace l0
