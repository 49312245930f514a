#include "messagescontroller.h"

#include "api/anthropiccodec.h"
#include "core/text.h"

namespace l0 {

MessagesController::MessagesController(ChatExchange *exchange)
    : m_exchange(exchange)
{
    m_wire.format = WireFormat::Anthropic;
    m_wire.parse = [](const QByteArray &body, const Tenant &) { return api::parseAnthropicMessages(body); };
    m_wire.renderer = [](const ChatRequest &request, const Tenant &) -> std::unique_ptr<api::WireRenderer> {
        return std::make_unique<api::AnthropicRenderer>(
            QStringLiteral("msg_l0") + QString::fromLatin1(randomBytes(12).toHex()), request.model);
    };
}

void MessagesController::handle(const http::HttpRequest &request, const http::ResponderPtr &responder)
{
    m_exchange->handle(request, responder, m_wire);
}

} // namespace l0
