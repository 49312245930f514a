#pragma once

// What the node does with a request body it decoded, before any tier: the exact key (twice,
// the same), why it may not be cached, the L0 key's inputs, and the bodies sent to both kinds
// of upstream. A decoded request must survive all of them.
#include "api/openaicodec.h"
#include "cache/exactkey.h"
#include "core/chat.h"
#include "fuzzsupport.h"
#include "upstream/anthropicwire.h"
#include "upstream/openaiprovider.h"

namespace l0::fuzz {

inline void useDecodedRequest(const ChatRequest &request)
{
    const QByteArray key = exactKey(7, QStringLiteral("default"), request);
    check(key == exactKey(7, QStringLiteral("default"), request), "the exact key is not deterministic");
    check(key != exactKey(8, QStringLiteral("default"), request), "the exact key ignores the tenant");
    (void)canonicalExactRequest(7, QStringLiteral("default"), request);
    (void)uncacheableReason(request);
    (void)request.toOpenAiJson();
    (void)openAiUpstreamRequest(request);
    (void)anthropicRequestJson(request);
}

} // namespace l0::fuzz
