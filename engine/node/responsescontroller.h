#pragma once

#include "apicontroller.h"
#include "apiresponse.h"
#include "chatexchange.h"

namespace l0 {

class ConversationStore;
class Authenticator;

// OpenAI's Responses API. POST /v1/responses goes through the chat exchange like any chat
// API (the cache, the pool, the ledger), with previous_response_id resolved from the node's
// stored conversations; GET and DELETE /v1/responses/{id} read and remove what was stored.
class ResponsesController final : public ApiController {
public:
    ResponsesController(
        ChatExchange *exchange, ConversationStore *conversations, const Authenticator *auth, ApiResponse response);
    void handle(const http::HttpRequest &request, const http::ResponderPtr &responder) override;

private:
    void handleStored(const http::HttpRequest &request, const http::ResponderPtr &responder);

    ChatExchange *m_exchange;
    ConversationStore *m_conversations;
    const Authenticator *m_auth;
    ApiResponse m_response;
    ChatWire m_wire;
};

} // namespace l0
