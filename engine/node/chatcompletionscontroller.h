#pragma once

#include "apicontroller.h"
#include "chatexchange.h"

namespace l0 {

// POST /v1/chat/completions: OpenAI's chat completions, streaming or not.
class ChatCompletionsController final : public ApiController {
public:
    explicit ChatCompletionsController(ChatExchange *exchange);
    void handle(const http::HttpRequest &request, const http::ResponderPtr &responder) override;

private:
    ChatExchange *m_exchange;
    ChatWire m_wire;
};

} // namespace l0
