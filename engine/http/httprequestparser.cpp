#include "httprequestparser.h"

#include <climits>

namespace l0::http {

namespace {
HttpRequestParser *self(http_parser *p)
{
    return static_cast<HttpRequestParser *>(p->data);
}
} // namespace

HttpRequestParser::HttpRequestParser(const HttpLimits &limits)
    : m_limits(limits)
{
    http_parser_init(&m_parser, HTTP_REQUEST);
    m_parser.data = this;
    http_parser_settings_init(&m_settings);
    m_settings.on_message_begin = &HttpRequestParser::onMessageBegin;
    m_settings.on_url = &HttpRequestParser::onUrl;
    m_settings.on_header_field = &HttpRequestParser::onHeaderField;
    m_settings.on_header_value = &HttpRequestParser::onHeaderValue;
    m_settings.on_headers_complete = &HttpRequestParser::onHeadersComplete;
    m_settings.on_body = &HttpRequestParser::onBody;
    m_settings.on_message_complete = &HttpRequestParser::onMessageComplete;
}

HttpRequestParser::Failure HttpRequestParser::feed(const char *data, size_t size, std::deque<HttpRequest> &out)
{
    if (m_failure || size == 0)
        return m_failure;
    m_out = &out;
    const size_t parsed = http_parser_execute(&m_parser, &m_settings, data, size);
    m_out = nullptr;
    if (m_failure)
        return m_failure; // a callback stopped the parser with its own answer
    if (HTTP_PARSER_ERRNO(&m_parser) != HPE_OK || parsed != size) {
        const auto err = HTTP_PARSER_ERRNO(&m_parser);
        fail(400, QByteArray("malformed HTTP request: ") + http_errno_description(err));
    }
    return m_failure;
}

int HttpRequestParser::fail(int status, const QByteArray &message)
{
    if (!m_failure) // the first reason stands
        m_failure = Failure { status, message };
    return 1;
}

int HttpRequestParser::failVersion()
{
    return fail(505, "only HTTP/1.0 and HTTP/1.1 are spoken here");
}

int HttpRequestParser::failTooLarge()
{
    return fail(413, "request body larger than the limit of " + QByteArray::number(m_limits.maxBodyBytes) + " bytes");
}

bool HttpRequestParser::addHeaderBytes(size_t len)
{
    m_headerBytes += qint64(len);
    return m_headerBytes <= m_limits.maxHeaderBytes;
}

void HttpRequestParser::flushHeader()
{
    m_current.headers.append({ m_field.toLower(), m_value.trimmed() });
    m_field.clear();
    m_value.clear();
    m_lastWasValue = false;
}

int HttpRequestParser::onMessageBegin(http_parser *p)
{
    auto *c = self(p);
    c->m_current = HttpRequest {};
    c->m_url.clear();
    c->m_field.clear();
    c->m_value.clear();
    c->m_lastWasValue = false;
    c->m_headerBytes = 0;
    c->m_inMessage = true;
    ++c->m_begun;
    return 0;
}

int HttpRequestParser::onUrl(http_parser *p, const char *at, size_t len)
{
    auto *c = self(p);
    if (!c->addHeaderBytes(len))
        return c->fail(431, "request line too long");
    c->m_url.append(at, qsizetype(len));
    return 0;
}

int HttpRequestParser::onHeaderField(http_parser *p, const char *at, size_t len)
{
    auto *c = self(p);
    if (!c->addHeaderBytes(len))
        return c->fail(431, "headers too large");
    if (c->m_lastWasValue)
        c->flushHeader();
    c->m_field.append(at, qsizetype(len));
    return 0;
}

int HttpRequestParser::onHeaderValue(http_parser *p, const char *at, size_t len)
{
    auto *c = self(p);
    if (!c->addHeaderBytes(len))
        return c->fail(431, "headers too large");
    c->m_value.append(at, qsizetype(len));
    c->m_lastWasValue = true;
    return 0;
}

// Unlike the other callbacks, 1 from on_headers_complete means "no body, go on" to
// http_parser; only another value stops it. So a refusal here returns -1, or the body would be
// read as the next request (found by fuzz_http_request).
int HttpRequestParser::onHeadersComplete(http_parser *p)
{
    auto *c = self(p);
    if (!c->m_field.isEmpty())
        c->flushHeader();
    c->m_field.clear();
    c->m_value.clear();

    // HTTP/1.0 and 1.1 only. A request line without a version (HTTP/0.9) has no headers by
    // that version's rules, and http_parser then reads what follows differently depending on
    // where the bytes were split (found by fuzzing).
    if (p->http_major != 1)
        return -c->failVersion();

    HttpRequest &r = c->m_current;
    r.method = http_method_str(http_method(p->method));
    const qsizetype q = c->m_url.indexOf('?');
    r.path = q < 0 ? c->m_url : c->m_url.left(q);
    r.query = q < 0 ? QByteArray() : c->m_url.mid(q + 1);
    r.keepAlive = http_should_keep_alive(p) != 0;
    // The node never switches protocols: CONNECT and Upgrade requests are requests like any
    // other (the router refuses them). Left set, http_parser would stop after them, and what
    // followed would be a 400 in the same read but a new request in the next one.
    p->upgrade = 0;

    if ((p->flags & F_CONTENTLENGTH) && p->content_length != ULLONG_MAX
        && p->content_length > quint64(c->m_limits.maxBodyBytes))
        return -c->failTooLarge();
    if (p->flags & F_CONTENTLENGTH)
        r.body.reserve(qsizetype(p->content_length));
    return 0;
}

int HttpRequestParser::onBody(http_parser *p, const char *at, size_t len)
{
    auto *c = self(p);
    if (c->m_current.body.size() + qint64(len) > c->m_limits.maxBodyBytes)
        return c->failTooLarge();
    c->m_current.body.append(at, qsizetype(len));
    return 0;
}

int HttpRequestParser::onMessageComplete(http_parser *p)
{
    auto *c = self(p);
    c->m_inMessage = false;
    if (p->http_major != 1) // HTTP/0.9 ends without its headers being complete
        return c->failVersion();
    if (int(c->m_out->size()) >= c->m_limits.maxPipelined)
        return c->fail(503, "too many pipelined requests");
    c->m_out->push_back(std::move(c->m_current));
    c->m_current = HttpRequest {};
    return 0;
}

} // namespace l0::http
