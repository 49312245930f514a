// An upstream's event stream, OpenAI and Anthropic framing: never a crash, the same events
// whether the bytes come at once or in pieces, and the events folded into an answer as the
// providers do.
#include <QJsonObject>

#include "fuzzsupport.h"
#include "upstream/anthropicwire.h"
#include "upstream/openaiprovider.h"
#include "upstream/ssedecoder.h"

using namespace l0;

namespace {

QByteArrayList decode(SseDecoder::Framing framing, const uint8_t *data, size_t size, bool inPieces)
{
    SseDecoder d(framing);
    QByteArrayList events;
    auto onEvent = [&](const QByteArray &e) {
        events.append(e);
        return events.size() < 10'000;
    };
    size_t at = 0;
    bool going = true;
    while (at < size && going) {
        const size_t n = inPieces ? std::min(fuzz::pieceSize(data, size, at), size - at) : size;
        going = d.feed(QByteArrayView(reinterpret_cast<const char *>(data) + at, qsizetype(n)), onEvent);
        at += n;
    }
    if (going)
        d.finish(onEvent);
    return events;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayList openAi = decode(SseDecoder::Framing::PerDataLine, data, size, false);
    fuzz::check(openAi == decode(SseDecoder::Framing::PerDataLine, data, size, true),
        "OpenAI framing: pieces gave different events");
    const QByteArrayList anthropic = decode(SseDecoder::Framing::PerEvent, data, size, false);
    fuzz::check(anthropic == decode(SseDecoder::Framing::PerEvent, data, size, true),
        "Anthropic framing: pieces gave different events");

    StreamAccumulator acc;
    for (const QByteArray &e : openAi) {
        if (e == "[DONE]" || !acc.addChunk(e))
            break;
    }
    (void)acc.result();

    AnthropicStreamParser parser;
    for (const QByteArray &e : anthropic) {
        if (!parser.addEvent(e) || parser.finished())
            break;
    }
    (void)parser.result();
    return 0;
}
