#pragma once

#include <QString>

#include <memory>
#include <vector>

#include "core/chat.h"
#include "route/modelrouter.h"
#include "upstream/chatprovider.h"

namespace l0 {

class UpstreamPool;

// A cascade through the upstream pool: the request goes to decision.model (the cheaper
// candidate) without streaming; its answer reaches the sink when the router's score of (request,
// answer) passes decision.threshold, else it is added to *rejected and decision.second (the
// dearer candidate) is asked, streaming through to the sink as any call. When the first call
// fails, the second is asked; when the second fails after a rejected first answer, that answer
// is served after all (it was paid for and is better than an error). The pool's retries,
// fallbacks and breakers apply to each call. Announces (onModel) only the model whose answer
// the sink gets.
//
// Lives on the calling thread like the pool's calls; the caller owns the returned call (cancel
// stops whichever call is running). *rejected holds what the caller records as paid and unused.
std::shared_ptr<UpstreamCall> startCascade(UpstreamPool *pool, const ChatRequest &request,
    const RouteDecision &decision, ChatSink sink, std::shared_ptr<std::vector<ChatResult>> rejected);

} // namespace l0
