#pragma once

#include <QByteArray>

#include <deque>

#include <http_parser.h>

#include "httplimits.h"
#include "httprequest.h"

namespace l0::http {

// Turns the bytes of one client connection into requests, whatever pieces they arrive in:
// http_parser underneath, with the header, body and pipelining limits applied as the bytes
// come. Knows nothing of sockets, so the same code is what the server runs, what the tests
// drive and what the fuzzers feed.
class HttpRequestParser {
public:
    explicit HttpRequestParser(const HttpLimits &limits);
    HttpRequestParser(const HttpRequestParser &) = delete;
    HttpRequestParser &operator=(const HttpRequestParser &) = delete;

    // Why the connection must be answered with an error and closed; status 0: no error.
    struct Failure {
        int status = 0;
        QByteArray message;
        explicit operator bool() const { return status != 0; }
    };

    // Parses data, appending each complete request to out. `out` holds the requests already
    // parsed and not yet answered: more than limits.maxPipelined of them is an error. After
    // an error the parser is spent: the connection answers and closes.
    Failure feed(const char *data, size_t size, std::deque<HttpRequest> &out);

    // Inside a request whose bytes have started but not all arrived.
    bool inMessage() const { return m_inMessage; }
    // Requests begun so far: the connection restarts its read deadline when this moves.
    quint64 messagesBegun() const { return m_begun; }

private:
    static int onMessageBegin(http_parser *p);
    static int onUrl(http_parser *p, const char *at, size_t len);
    static int onHeaderField(http_parser *p, const char *at, size_t len);
    static int onHeaderValue(http_parser *p, const char *at, size_t len);
    static int onHeadersComplete(http_parser *p);
    static int onBody(http_parser *p, const char *at, size_t len);
    static int onMessageComplete(http_parser *p);

    int fail(int status, const QByteArray &message);
    int failTooLarge();
    int failVersion();
    bool addHeaderBytes(size_t len);
    void flushHeader();

    HttpLimits m_limits;
    http_parser m_parser;
    http_parser_settings m_settings;
    std::deque<HttpRequest> *m_out = nullptr; // during feed()
    Failure m_failure;

    HttpRequest m_current;
    QByteArray m_url;
    QByteArray m_field;
    QByteArray m_value;
    bool m_lastWasValue = false;
    qint64 m_headerBytes = 0;
    bool m_inMessage = false;
    quint64 m_begun = 0;
};

} // namespace l0::http
