#pragma once

#include <functional>

#include "apicontroller.h"
#include "apiresponse.h"
#include "core/responsefeedback.h"

namespace l0 {

class Authenticator;
class Clock;
class RateLimiter;
class ResponseBook;

// POST /v1/feedback {"id": RESPONSE_ID, "score": NUMBER}: a client's score for a response it was
// sent, hit or miss. The id is the response's own (chatcmpl-..., msg_..., resp_...); the score is
// a JSON number from 0 (bad) to 1 (good), nothing else (no booleans, no strings). A later score
// from the same end user replaces the earlier. 202 once journalled; 400 for a malformed body or
// score; 404 for an id this node did not send to the caller's tenant (another tenant's reads as
// unknown). Authenticated and rate-limited like the chat APIs.
class FeedbackController final : public ApiController {
public:
    struct Deps {
        const Authenticator *auth = nullptr;
        RateLimiter *limiter = nullptr;
        const Clock *clock = nullptr;
        const ResponseBook *responses = nullptr; // the responses this node sent
        std::function<void(ResponseFeedback)> submit; // where scores go (the store worker)
    };
    FeedbackController(Deps deps, ApiResponse response);
    void handle(const http::HttpRequest &request, const http::ResponderPtr &responder) override;

private:
    Deps m_deps;
    ApiResponse m_response;
};

} // namespace l0
