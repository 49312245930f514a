#pragma once

#include "apicontroller.h"
#include "chatexchange.h"

namespace l0 {

// POST /v1/messages: Anthropic's Messages API, streaming or not. Errors in Anthropic's shape.
class MessagesController final : public ApiController {
public:
    explicit MessagesController(ChatExchange *exchange);
    void handle(const http::HttpRequest &request, const http::ResponderPtr &responder) override;

private:
    ChatExchange *m_exchange;
    ChatWire m_wire;
};

} // namespace l0
