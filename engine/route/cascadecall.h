#pragma once

#include <QString>

#include <functional>
#include <memory>
#include <vector>

#include "core/chat.h"
#include "route/modelrouter.h"
#include "upstream/chatprovider.h"

namespace l0 {

class UpstreamPool;

// A cascade through the upstream pool, over the policy's candidates from the cheapest: the
// request goes to decision.model without streaming; its answer reaches the sink when the router's
// score of (request, answer) passes decision.threshold, else it is added to *rejected and the
// next candidate of decision.then is asked the same way. The last (dearest) candidate is asked
// streaming through to the sink as any call, and its answer is served whatever it scores. A call
// that fails passes the turn to the next candidate; when the last fails after answers were
// rejected, the dearest rejected answer is served after all (it was paid for and is better than
// an error). The same threshold applies at every step: the score is of the (request, answer)
// pair, whichever model wrote the answer. The pool's retries, fallbacks and breakers apply to
// each call. Announces (onModel) only the model whose answer the sink gets; the served answer's
// attempts include those of the calls that failed on the way.
//
// Lives on the calling thread like the pool's calls; the caller owns the returned call (cancel
// stops whichever call is running). *rejected holds what the caller records as paid and unused.
// onEscalation, when set, is told of each step to a dearer candidate (failed: the cheaper call
// failed rather than its answer being rejected).
std::shared_ptr<UpstreamCall> startCascade(UpstreamPool *pool, const ChatRequest &request,
    const RouteDecision &decision, ChatSink sink, std::shared_ptr<std::vector<ChatResult>> rejected,
    std::function<void(bool failed)> onEscalation = {});

} // namespace l0
