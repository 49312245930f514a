// The node's request parser on arbitrary client bytes: never a crash, limits always applied,
// and the same requests (or the same error) whether the bytes come at once or in pieces.
#include "fuzzsupport.h"
#include "http/httprequestparser.h"

using namespace l0;
using namespace l0::http;

namespace {

struct Outcome {
    std::deque<HttpRequest> requests;
    int status = 0;
};

HttpLimits smallLimits()
{
    HttpLimits l;
    l.maxBodyBytes = 4096; // small, so inputs of fuzzing size reach the limits
    l.maxHeaderBytes = 1024;
    l.maxPipelined = 4;
    return l;
}

Outcome parse(const uint8_t *data, size_t size, bool inPieces)
{
    HttpRequestParser p(smallLimits());
    Outcome o;
    size_t at = 0;
    while (at < size && !o.status) {
        const size_t n = inPieces ? std::min(fuzz::pieceSize(data, size, at), size - at) : size;
        o.status = p.feed(reinterpret_cast<const char *>(data) + at, n, o.requests).status;
        at += n;
    }
    return o;
}

bool same(const HttpRequest &a, const HttpRequest &b)
{
    return a.method == b.method && a.path == b.path && a.query == b.query && a.headers == b.headers && a.body == b.body
        && a.keepAlive == b.keepAlive;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const Outcome whole = parse(data, size, false);
    const Outcome pieces = parse(data, size, true);
    const HttpLimits limits = smallLimits();
    for (const HttpRequest &r : whole.requests) {
        fuzz::check(r.body.size() <= limits.maxBodyBytes, "a body over the limit was accepted");
        fuzz::check(!r.method.isEmpty(), "a request without a method");
        for (const auto &[name, value] : r.headers)
            fuzz::check(name == name.toLower(), "a header name not lower-cased");
    }
    fuzz::check(whole.status == 0 || whole.status == 400 || whole.status == 413 || whole.status == 431
            || whole.status == 503 || whole.status == 505,
        "an unexpected error status");
    // http_parser keeps its state between pieces and the limits count bytes, not reads: an
    // error in both or in neither, and before it the same requests, however the bytes arrive.
    // Which error may differ: a header's bytes are counted when a read ends, so in pieces a
    // long header can pass its limit (431, 413) before the byte that breaks the syntax (400).
    fuzz::check((whole.status == 0) == (pieces.status == 0), "pieces gave an error where the whole did not");
    const auto limitOrSyntax = [](int s) { return s == 400 || s == 413 || s == 431; };
    fuzz::check(whole.status == pieces.status || (limitOrSyntax(whole.status) && limitOrSyntax(pieces.status)),
        "pieces gave a different error");
    fuzz::check(whole.requests.size() == pieces.requests.size(), "pieces gave a different number of requests");
    for (size_t i = 0; i < whole.requests.size(); ++i)
        fuzz::check(same(whole.requests[i], pieces.requests[i]), "pieces gave a different request");
    return 0;
}
