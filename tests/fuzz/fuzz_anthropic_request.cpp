// Bodies of POST /v1/messages: a clear error or a request the node can key and forward,
// never a crash.
#include "api/anthropiccodec.h"
#include "fuzz_api_request.h"

using namespace l0;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = fuzz::bytes(data, size);
    if (auto request = api::parseAnthropicMessages(body))
        fuzz::useDecodedRequest(*request);
    else
        fuzz::check(!request.error().message.isEmpty(), "a Messages request refused without a message");
    return 0;
}
