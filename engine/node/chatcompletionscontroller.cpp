#include "chatcompletionscontroller.h"

#include "api/openaicodec.h"
#include "core/clock.h"
#include "core/text.h"

namespace l0 {

ChatCompletionsController::ChatCompletionsController(ChatExchange *exchange)
    : m_exchange(exchange)
{
    m_wire.format = WireFormat::OpenAi;
    m_wire.parse = [](const QByteArray &body, const Tenant &) { return api::parseOpenAiChat(body); };
    m_wire.renderer = [clock = exchange->clock()](
                          const ChatRequest &request, const Tenant &) -> std::unique_ptr<api::WireRenderer> {
        return std::make_unique<api::OpenAiRenderer>(
            QStringLiteral("chatcmpl-l0") + QString::fromLatin1(randomBytes(12).toHex()), clock->nowMs() / 1000,
            request.model, request.includeUsage);
    };
}

void ChatCompletionsController::handle(const http::HttpRequest &request, const http::ResponderPtr &responder)
{
    m_exchange->handle(request, responder, m_wire);
}

} // namespace l0
