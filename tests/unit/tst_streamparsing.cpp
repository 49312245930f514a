// The two byte-stream parsers the fuzzers feed: requests from clients (HttpRequestParser) and
// event streams from upstreams (SseDecoder). Both must give the same result whatever pieces
// the bytes arrive in.
#include <QTest>

#include "http/httprequestparser.h"
#include "upstream/ssedecoder.h"

using namespace l0;
using namespace l0::http;

namespace {

QByteArrayList decodeAll(SseDecoder::Framing framing, const QByteArray &stream, int pieceSize)
{
    SseDecoder d(framing);
    QByteArrayList events;
    auto onEvent = [&](const QByteArray &data) {
        events.append(data);
        return true;
    };
    for (qsizetype i = 0; i < stream.size(); i += pieceSize)
        d.feed(QByteArrayView(stream).sliced(i, qMin<qsizetype>(pieceSize, stream.size() - i)), onEvent);
    d.finish(onEvent);
    return events;
}

// Feeds s to p piece bytes at a time; false at the first failure.
bool feedInPieces(HttpRequestParser &p, const QByteArray &s, int piece, std::deque<HttpRequest> &out)
{
    for (qsizetype i = 0; i < s.size(); i += piece) {
        if (p.feed(s.constData() + i, size_t(qMin<qsizetype>(piece, s.size() - i)), out))
            return false;
    }
    return true;
}

} // namespace

class TestStreamParsing : public QObject {
    Q_OBJECT
private slots:
    void perEventJoinsDataLinesAtTheBlankLine()
    {
        const QByteArray s = "event: message_start\r\ndata: {\"a\":1}\r\n\r\n: comment\n"
                             "data: line one\ndata:line two\nid: 7\n\n"
                             "data:\n\n" // empty data: no event
                             "data: last without its blank line";
        for (int piece : { 1, 2, 3, 7, 1000 }) {
            const QByteArrayList events = decodeAll(SseDecoder::Framing::PerEvent, s, piece);
            QCOMPARE(events, QByteArrayList({ "{\"a\":1}", "line one\nline two", "last without its blank line" }));
        }
    }

    void perDataLineNeedsNoBlankLines()
    {
        // An empty data line is no event (it would be a chunk that is not JSON).
        const QByteArray s = "data: {\"x\":1}\ndata: {\"x\":2}\r\n\r\ndata:\n  data:  [DONE]  \r\ndata: tail";
        for (int piece : { 1, 4, 1000 }) {
            QCOMPARE(decodeAll(SseDecoder::Framing::PerDataLine, s, piece),
                QByteArrayList({ "{\"x\":1}", "{\"x\":2}", "[DONE]", "tail" }));
        }
    }

    void stopsWhenTheHandlerSaysSo()
    {
        SseDecoder d(SseDecoder::Framing::PerEvent);
        int seen = 0;
        auto onEvent = [&](const QByteArray &) { return ++seen < 2; };
        QVERIFY(!d.feed("data: 1\n\ndata: 2\n\ndata: 3\n\n", onEvent));
        QCOMPARE(seen, 2);
        QVERIFY(!d.feed("data: 4\n\n", onEvent));
        QVERIFY(!d.finish(onEvent));
        QCOMPARE(seen, 2);
    }

    void requestsInAnyPieces()
    {
        const QByteArray s = "POST /v1/chat/completions?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
                             "X-Multi: one\r\nAuthorization:   Bearer k  \r\n\r\nhello"
                             "GET /health HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
        for (int piece : { 1, 2, 5, 13, 1000 }) {
            HttpRequestParser p(HttpLimits {});
            std::deque<HttpRequest> out;
            QVERIFY(feedInPieces(p, s, piece, out));
            QCOMPARE(out.size(), size_t(2));
            QCOMPARE(out[0].method, QByteArray("POST"));
            QCOMPARE(out[0].path, QByteArray("/v1/chat/completions"));
            QCOMPARE(out[0].query, QByteArray("x=1"));
            QCOMPARE(out[0].body, QByteArray("hello"));
            QCOMPARE(out[0].header("authorization"), QByteArray("Bearer k"));
            QCOMPARE(out[0].header("x-multi"), QByteArray("one"));
            QVERIFY(out[0].keepAlive);
            QCOMPARE(out[1].path, QByteArray("/health"));
            QVERIFY(!out[1].keepAlive);
            QVERIFY(!p.inMessage());
            QCOMPARE(p.messagesBegun(), quint64(2));
        }
    }

    void limitsAnswerWithTheirStatus()
    {
        HttpLimits limits;
        limits.maxBodyBytes = 10;
        limits.maxHeaderBytes = 64;
        limits.maxPipelined = 2;
        std::deque<HttpRequest> out;
        {
            HttpRequestParser p(limits);
            // The refused body is not read as the next request (found by fuzz_http_request).
            const QByteArray s = "POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\nGET /x HTTP/1.1\r\n\r\n";
            QCOMPARE(p.feed(s.constData(), size_t(s.size()), out).status, 413);
            QVERIFY(out.empty());
            QCOMPARE(p.feed("x", 1, out).status, 413); // spent
        }
        {
            HttpRequestParser p(limits);
            const QByteArray s
                = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n12345678\r\n";
            QCOMPARE(p.feed(s.constData(), size_t(s.size()), out).status, 413);
        }
        {
            HttpRequestParser p(limits);
            const QByteArray s = "GET / HTTP/1.1\r\nX-Long: " + QByteArray(80, 'a') + "\r\n\r\n";
            QCOMPARE(p.feed(s.constData(), size_t(s.size()), out).status, 431);
        }
        {
            HttpRequestParser p(limits);
            const QByteArray s = QByteArray("GET / HTTP/1.1\r\n\r\n").repeated(3);
            const auto f = p.feed(s.constData(), size_t(s.size()), out);
            QCOMPARE(f.status, 503);
            QCOMPARE(out.size(), size_t(2));
        }
        for (const QByteArray s :
            { QByteArray("GET /\r\nHost: a\r\n\r\n"), QByteArray("POST /\nContent-Length: 5\n\nGET /\n\n") }) {
            // HTTP/0.9 (no version): refused, where http_parser would read it one way whole and
            // another in pieces (found by fuzz_http_request).
            out.clear();
            HttpRequestParser p(limits);
            QCOMPARE(p.feed(s.constData(), size_t(s.size()), out).status, 505);
            QVERIFY(out.empty());
        }
        {
            // CONNECT and Upgrade are requests like any other: the next one is read the same
            // whole or in pieces (found in review; the fuzz property would have fired).
            HttpLimits roomy;
            const QByteArray s = "CONNECT a:1 HTTP/1.1\r\nHost: a\r\n\r\n"
                                 "GET / HTTP/1.1\r\nConnection: upgrade\r\nUpgrade: h2c\r\n\r\nGET /z HTTP/1.1\r\n\r\n";
            for (int piece : { 1, 3, 1000 }) {
                HttpRequestParser p(roomy);
                std::deque<HttpRequest> got;
                QVERIFY(feedInPieces(p, s, piece, got));
                QCOMPARE(got.size(), size_t(3));
                QCOMPARE(got[0].method, QByteArray("CONNECT"));
                QCOMPARE(got[2].path, QByteArray("/z"));
            }
        }
        {
            out.clear();
            HttpRequestParser p(limits);
            const QByteArray s = "GET / HTTP/1.1\r\nHost a\r\n\r\n";
            const auto f = p.feed(s.constData(), size_t(s.size()), out);
            QCOMPARE(f.status, 400);
            QVERIFY(f.message.startsWith("malformed HTTP request: "));
            QVERIFY(out.empty());
        }
    }
};

QTEST_GUILESS_MAIN(TestStreamParsing)
#include "tst_streamparsing.moc"
