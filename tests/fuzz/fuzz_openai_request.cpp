// Bodies of POST /v1/chat/completions and POST /v1/responses: a clear error or a request the
// node can key and forward, never a crash.
#include "api/responsescodec.h"
#include "fuzz_api_request.h"

using namespace l0;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = fuzz::bytes(data, size);
    if (auto chat = api::parseOpenAiChat(body))
        fuzz::useDecodedRequest(*chat);
    else
        fuzz::check(!chat.error().message.isEmpty(), "a chat request refused without a message");
    if (auto responses = api::parseResponses(body))
        fuzz::useDecodedRequest(responses->chat);
    else
        fuzz::check(!responses.error().message.isEmpty(), "a Responses request refused without a message");
    return 0;
}
