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
namespace mcp {
class StoreReader;
}

// POST /v1/feedback {"id": RESPONSE_ID, "score": NUMBER}: a client's score for a response it was
// sent, hit or miss. The id is the response's own (chatcmpl-..., msg_..., resp_...); the score is
// a JSON number from 0 (bad) to 1 (good), nothing else (no booleans, no strings). A later score
// from the same end user replaces the earlier. 202 once journalled; 400 for a malformed body or
// score; 404 for an id the caller's tenant was never sent (another tenant's reads as unknown);
// 503 when that takes the store and the store cannot be read. Authenticated and rate-limited like
// the chat APIs.
//
// Which responses are known: those this node sent lately (the ResponseBook, filled as a response
// is sent, before its ledger event is even queued) and those whose ledger event is in the store
// (sent by any node sharing it, or by this one before a restart; a restart replays its journal
// into the store before serving). The book is asked first, in memory; only an id it does not hold
// is looked up in the store, on a reader thread of its own, never on the worker's event loop. The
// store alone could not answer for this node's recent responses (their ledger events are written
// in batches), nor the book for older ones or other nodes'. Either way a 202 means the score
// lands: the store worker writes a score after the ledger events queued before it, and a score
// for an event already in the store finds it there. What neither knows, a response another node
// sent a moment ago whose event that node has not written yet, reads as 404 until it has (a
// flush interval, unless that node's store is down).
class FeedbackController final : public ApiController {
public:
    struct Deps {
        const Authenticator *auth = nullptr;
        RateLimiter *limiter = nullptr;
        const Clock *clock = nullptr;
        const ResponseBook *responses = nullptr; // the responses this node sent
        // Where ids the book does not hold are looked up (ledger_events). Null: the book alone.
        mcp::StoreReader *store = nullptr;
        std::function<void(ResponseFeedback)> submit; // where scores go (the store worker)
    };
    FeedbackController(Deps deps, ApiResponse response);
    void handle(const http::HttpRequest &request, const http::ResponderPtr &responder) override;

private:
    Deps m_deps;
    ApiResponse m_response;
};

} // namespace l0
