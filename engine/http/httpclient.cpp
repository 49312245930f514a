#include "httpclient.h"

#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <cerrno>
#include <chrono>
#include <climits>
#include <optional>

#include <sys/socket.h>

#include <http_parser.h>

#include "core/logging.h"

namespace l0::http {

namespace {

constexpr qint64 kPeekAfterIdleMs = 1000;

qint64 monotonicMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

bool hasLineBreak(const QByteArray &s)
{
    return s.contains('\r') || s.contains('\n');
}

bool hasHeader(const HeaderList &headers, const char *lowerName)
{
    for (const auto &h : headers) {
        if (h.first.compare(lowerName, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace

QByteArray ClientResponseHead::header(const QByteArray &lowerName) const
{
    for (const auto &h : headers) {
        if (h.first == lowerName)
            return h.second;
    }
    return {};
}

// One call from send() to its last report. Owned jointly by the caller's handle and, while
// the request is on the wire, the connection carrying it.
struct ClientCallState {
    ClientRequest request;
    ClientHandler handler;
    QString host;
    quint16 port = 80;
    QString key; // host:port
    QByteArray wire; // the request as written
    qint64 startedMs = 0;
    bool cancelled = false;
    bool finished = false;
    bool retried = false;
    QPointer<HttpClient> client;
    ClientConnection *connection = nullptr; // while one carries it
};

// One TCP connection to a host:port. Carries one call at a time; between calls it waits in the
// client's idle list. Deleted with deleteLater() only, so a callback never runs on freed memory.
class ClientConnection final : public QObject {
public:
    ClientConnection(HttpClient *client, const QString &host, quint16 port, QString key)
        : QObject(client)
        , m_client(client)
        , m_key(std::move(key))
        , m_authority(QStringLiteral("%1:%2").arg(host).arg(port))
    {
        http_parser_settings_init(&m_settings);
        m_settings.on_status = &ClientConnection::onStatus;
        m_settings.on_header_field = &ClientConnection::onHeaderField;
        m_settings.on_header_value = &ClientConnection::onHeaderValue;
        m_settings.on_headers_complete = &ClientConnection::onHeadersComplete;
        m_settings.on_body = &ClientConnection::onBody;
        m_settings.on_message_complete = &ClientConnection::onMessageComplete;

        m_timer.setSingleShot(true);
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, &ClientConnection::timerFired);

        m_socket = new QTcpSocket(this);
        connect(m_socket, &QTcpSocket::connected, this, &ClientConnection::connected);
        connect(m_socket, &QTcpSocket::readyRead, this, &ClientConnection::readyRead);
        connect(m_socket, &QTcpSocket::disconnected, this, [this] { ended(QAbstractSocket::RemoteHostClosedError); });
        connect(m_socket, &QTcpSocket::errorOccurred, this, &ClientConnection::ended);
        m_connectDeadlineMs = monotonicMs() + m_client->m_options.connectTimeoutMs;
        // From the event loop: a refusal can be reported at once, and never from inside send().
        QMetaObject::invokeMethod(
            this,
            [this, host, port] {
                if (!m_dead)
                    m_socket->connectToHost(host, port);
            },
            Qt::QueuedConnection);
    }

    ~ClientConnection() override
    {
        m_socket->disconnect(this);
        if (m_call) {
            m_call->connection = nullptr;
            m_call->handler = {};
        }
    }

    const QString &key() const { return m_key; }

    // Connected, with nothing unread and not closed by the server as far as the kernel knows.
    bool usable() const
    {
        if (m_dead || !m_connected || m_socket->state() != QAbstractSocket::ConnectedState
            || m_socket->bytesAvailable() > 0)
            return false;
        // A close that came in while the event loop was busy has not been seen yet: worth a
        // look (one system call) only for a connection idle long enough for a server to drop it.
        if (monotonicMs() - m_idleSinceMs < kPeekAfterIdleMs)
            return true;
        char c;
        const auto n = ::recv(int(m_socket->socketDescriptor()), &c, 1, MSG_PEEK | MSG_DONTWAIT);
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }

    void attach(const std::shared_ptr<ClientCallState> &call, bool reused)
    {
        m_call = call;
        m_reused = reused;
        call->connection = this;
        http_parser_init(&m_parser, HTTP_RESPONSE);
        m_parser.data = this;
        m_head = ClientResponseHead {};
        m_field.clear();
        m_value.clear();
        m_lastWasValue = false;
        m_headerBytes = 0;
        m_bodyBytes = 0;
        m_pendingData.clear();
        m_headDone = false;
        m_headDelivered = false;
        m_messageDone = false;
        m_gotByte = false;
        m_interim = false;
        m_parseError.reset();
        m_sentMs = monotonicMs();
        m_lastByteMs = m_sentMs;
        if (m_connected)
            writeRequest();
        arm();
    }

    // The call was cancelled: what is left of its response is unread, so the connection goes.
    void abandon()
    {
        if (m_call)
            m_call->connection = nullptr;
        m_call.reset();
        close();
    }

    // Idle in the pool: any byte or close from the server now ends the connection.
    void parkIdle()
    {
        m_idleSinceMs = monotonicMs();
        arm();
    }

    void close()
    {
        if (m_dead)
            return;
        m_dead = true;
        m_timer.stop();
        m_socket->abort();
        if (m_client)
            m_client->dropIdle(this);
        deleteLater();
    }

private:
    static ClientConnection *self(http_parser *p) { return static_cast<ClientConnection *>(p->data); }

    bool addHeaderBytes(size_t len)
    {
        m_headerBytes += qint64(len);
        if (m_headerBytes <= m_client->m_options.maxHeaderBytes)
            return true;
        m_parseError = ClientError { ClientError::Kind::ResponseTooLarge,
            QStringLiteral("the response head from %1 is larger than %2 bytes")
                .arg(m_authority)
                .arg(m_client->m_options.maxHeaderBytes),
            true };
        return false;
    }

    static int onStatus(http_parser *p, const char *, size_t len) { return self(p)->addHeaderBytes(len) ? 0 : 1; }

    static int onHeaderField(http_parser *p, const char *at, size_t len)
    {
        auto *c = self(p);
        if (!c->addHeaderBytes(len))
            return 1;
        if (c->m_lastWasValue) {
            c->m_head.headers.append({ c->m_field.toLower(), c->m_value.trimmed() });
            c->m_field.clear();
            c->m_value.clear();
            c->m_lastWasValue = false;
        }
        c->m_field.append(at, qsizetype(len));
        return 0;
    }

    static int onHeaderValue(http_parser *p, const char *at, size_t len)
    {
        auto *c = self(p);
        if (!c->addHeaderBytes(len))
            return 1;
        c->m_value.append(at, qsizetype(len));
        c->m_lastWasValue = true;
        return 0;
    }

    static int onHeadersComplete(http_parser *p)
    {
        auto *c = self(p);
        if (!c->m_field.isEmpty())
            c->m_head.headers.append({ c->m_field.toLower(), c->m_value.trimmed() });
        c->m_field.clear();
        c->m_value.clear();
        c->m_lastWasValue = false;
        c->m_head.status = int(p->status_code);
        if (p->status_code >= 100 && p->status_code < 200) {
            // An interim answer (100 Continue, 103 Early Hints): the real one follows.
            c->m_interim = true;
            c->m_head = ClientResponseHead {};
            c->m_headerBytes = 0;
            return 0;
        }
        c->m_headDone = true;
        const qint64 max = c->m_client->m_options.maxResponseBytes;
        if ((p->flags & F_CONTENTLENGTH) && p->content_length != ULLONG_MAX && p->content_length > quint64(max)) {
            c->m_parseError = ClientError { ClientError::Kind::ResponseTooLarge,
                QStringLiteral("the response from %1 announces %2 bytes, more than the limit of %3")
                    .arg(c->m_authority)
                    .arg(quint64(p->content_length))
                    .arg(max),
                true };
            return 1;
        }
        // A response to HEAD has no body whatever its headers say.
        return c->m_call && c->m_call->request.method == "HEAD" ? 1 : 0;
    }

    static int onBody(http_parser *p, const char *at, size_t len)
    {
        auto *c = self(p);
        c->m_bodyBytes += qint64(len);
        if (c->m_bodyBytes > c->m_client->m_options.maxResponseBytes) {
            c->m_parseError = ClientError { ClientError::Kind::ResponseTooLarge,
                QStringLiteral("the response from %1 is larger than the limit of %2 bytes")
                    .arg(c->m_authority)
                    .arg(c->m_client->m_options.maxResponseBytes),
                true };
            return 1;
        }
        c->m_pendingData.append(at, qsizetype(len));
        return 0;
    }

    static int onMessageComplete(http_parser *p)
    {
        auto *c = self(p);
        if (c->m_interim) {
            c->m_interim = false;
            return 0;
        }
        c->m_messageDone = true;
        c->m_keepAlive = http_should_keep_alive(p) != 0;
        // Stop here: bytes after the answer are not part of it.
        http_parser_pause(p, 1);
        return 0;
    }

    void writeRequest()
    {
        m_socket->write(m_call->wire);
        m_socket->flush();
    }

    void connected()
    {
        m_connected = true;
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        if (m_call)
            writeRequest();
    }

    void readyRead()
    {
        if (m_dead)
            return;
        const QByteArray data = m_socket->readAll();
        if (!m_call) {
            // The server has nothing to say on an idle connection: whatever it sent ends it.
            close();
            return;
        }
        if (data.isEmpty())
            return;
        m_gotByte = true;
        m_lastByteMs = monotonicMs();
        parse(data.constData(), size_t(data.size()));
    }

    // Feeds bytes (or, with len 0, the end of the stream) to the parser and reports what
    // they completed.
    void parse(const char *data, size_t len)
    {
        const size_t parsed = http_parser_execute(&m_parser, &m_settings, data, len);
        const auto err = HTTP_PARSER_ERRNO(&m_parser);
        const bool extra = m_messageDone && parsed < len;
        if (m_parseError)
            return fail(*m_parseError);
        if (err != HPE_OK && err != HPE_PAUSED) {
            const bool body = err == HPE_INVALID_EOF_STATE && m_headDone;
            return fail(ClientError { body ? ClientError::Kind::ConnectionLost : ClientError::Kind::MalformedResponse,
                body ? QStringLiteral("%1 closed the connection in the middle of the response").arg(m_authority)
                     : QStringLiteral("malformed response from %1: %2")
                           .arg(m_authority, QString::fromLatin1(http_errno_description(err))),
                true });
        }
        std::shared_ptr<ClientCallState> call = m_call;
        if (m_headDone && !m_headDelivered) {
            m_headDelivered = true;
            if (call->handler.onHead)
                call->handler.onHead(m_head);
            if (call->cancelled || m_call != call)
                return;
        }
        if (!m_pendingData.isEmpty()) {
            const QByteArray piece = std::exchange(m_pendingData, QByteArray());
            if (call->handler.onData)
                call->handler.onData(piece);
            if (call->cancelled || m_call != call)
                return;
        }
        if (m_messageDone) {
            const bool reusable = m_keepAlive && !extra && len > 0;
            detach();
            call->finished = true;
            if (m_client)
                m_client->released(this, reusable);
            else
                close();
            // The handler goes with its last report: it may hold the handle that holds us.
            const ClientHandler handler = std::move(call->handler);
            if (handler.onFinished)
                handler.onFinished();
        }
    }

    void detach()
    {
        m_timer.stop();
        if (m_call)
            m_call->connection = nullptr;
        m_call.reset();
    }

    void fail(const ClientError &error)
    {
        std::shared_ptr<ClientCallState> call = m_call;
        detach();
        close();
        if (!call || call->cancelled || call->finished)
            return;
        // A kept-alive connection the server had already given up on: the request cannot
        // have been acted on, so it goes once more, on a connection of its own.
        if (m_reused && !m_gotByte && !call->retried && error.kind == ClientError::Kind::ConnectionLost && m_client) {
            call->retried = true;
            qCDebug(lcHttp) << "reused connection to" << m_authority << "was closed: sending again";
            m_client->start(call, false);
            return;
        }
        call->finished = true;
        const ClientHandler handler = std::move(call->handler);
        if (handler.onError)
            handler.onError(error);
    }

    void ended(QAbstractSocket::SocketError socketError)
    {
        if (m_dead)
            return;
        if (!m_call) {
            close();
            return;
        }
        if (!m_connected) {
            ClientError e;
            if (socketError == QAbstractSocket::ConnectionRefusedError) {
                e.kind = ClientError::Kind::ConnectRefused;
                e.message = QStringLiteral("connection to %1 refused").arg(m_authority);
            } else if (socketError == QAbstractSocket::HostNotFoundError) {
                e.kind = ClientError::Kind::HostNotFound;
                e.message = QStringLiteral("host of %1 not found").arg(m_authority);
            } else {
                e.kind = ClientError::Kind::NetworkError;
                e.message = QStringLiteral("cannot connect to %1: %2").arg(m_authority, m_socket->errorString());
            }
            return fail(e);
        }
        if (m_socket->bytesAvailable() > 0) {
            readyRead();
            if (m_dead || !m_call)
                return;
        }
        if (m_headDone) {
            // A body that runs until the connection closes ends here; any other is cut short.
            parse(nullptr, 0);
            if (m_dead || !m_call)
                return;
        }
        fail(ClientError { ClientError::Kind::ConnectionLost,
            m_gotByte ? QStringLiteral("%1 closed the connection in the middle of the response").arg(m_authority)
                      : QStringLiteral("%1 closed the connection without answering (%2)")
                            .arg(m_authority, m_socket->errorString()),
            m_gotByte });
    }

    // One timer per connection, armed for the nearest deadline and re-armed when it fires
    // early (reads do not restart it: they only move m_lastByteMs).
    qint64 nextDeadline() const
    {
        qint64 next = LLONG_MAX;
        if (!m_call)
            return m_idleSinceMs + m_client->m_options.keepAliveMs;
        const ClientRequest &r = m_call->request;
        if (!m_connected)
            next = qMin(next, m_connectDeadlineMs);
        if (!m_headDone && r.firstByteTimeoutMs > 0)
            next = qMin(next, m_sentMs + r.firstByteTimeoutMs);
        if (r.idleTimeoutMs > 0)
            next = qMin(next, m_lastByteMs + r.idleTimeoutMs);
        if (r.totalTimeoutMs > 0)
            next = qMin(next, m_call->startedMs + r.totalTimeoutMs);
        return next;
    }

    void arm()
    {
        const qint64 next = nextDeadline();
        if (next == LLONG_MAX) {
            m_timer.stop();
            return;
        }
        m_timer.start(int(qBound<qint64>(0, next - monotonicMs(), qint64(INT_MAX))));
    }

    void timerFired()
    {
        if (m_dead)
            return;
        const qint64 now = monotonicMs();
        if (!m_call) {
            if (now >= m_idleSinceMs + m_client->m_options.keepAliveMs)
                return close();
            return arm();
        }
        const ClientRequest &r = m_call->request;
        auto timeout = [&](ClientError::Kind kind, const QString &message) {
            fail(ClientError { kind, message, m_gotByte });
        };
        if (r.totalTimeoutMs > 0 && now >= m_call->startedMs + r.totalTimeoutMs)
            return timeout(ClientError::Kind::TotalTimeout,
                QStringLiteral("%1 did not complete the response within %2 ms").arg(m_authority).arg(r.totalTimeoutMs));
        if (!m_connected && now >= m_connectDeadlineMs)
            return timeout(ClientError::Kind::ConnectTimeout,
                QStringLiteral("no connection to %1 within %2 ms")
                    .arg(m_authority)
                    .arg(m_client->m_options.connectTimeoutMs));
        if (!m_headDone && r.firstByteTimeoutMs > 0 && now >= m_sentMs + r.firstByteTimeoutMs)
            return timeout(ClientError::Kind::FirstByteTimeout,
                QStringLiteral("%1 sent no response within %2 ms").arg(m_authority).arg(r.firstByteTimeoutMs));
        if (r.idleTimeoutMs > 0 && now >= m_lastByteMs + r.idleTimeoutMs)
            return timeout(ClientError::Kind::IdleTimeout,
                QStringLiteral("%1 sent nothing for %2 ms").arg(m_authority).arg(r.idleTimeoutMs));
        arm();
    }

    QPointer<HttpClient> m_client;
    QString m_key;
    QString m_authority;
    QTcpSocket *m_socket = nullptr;
    QTimer m_timer;
    http_parser m_parser {};
    http_parser_settings m_settings {};

    std::shared_ptr<ClientCallState> m_call;
    bool m_connected = false;
    bool m_dead = false;
    bool m_reused = false;
    qint64 m_connectDeadlineMs = 0;
    qint64 m_sentMs = 0;
    qint64 m_lastByteMs = 0;
    qint64 m_idleSinceMs = 0;

    ClientResponseHead m_head;
    QByteArray m_field;
    QByteArray m_value;
    bool m_lastWasValue = false;
    qint64 m_headerBytes = 0;
    qint64 m_bodyBytes = 0;
    QByteArray m_pendingData;
    bool m_headDone = false;
    bool m_headDelivered = false;
    bool m_messageDone = false;
    bool m_keepAlive = false;
    bool m_gotByte = false;
    bool m_interim = false;
    std::optional<ClientError> m_parseError;
};

ClientCall::ClientCall(std::shared_ptr<ClientCallState> state)
    : m_state(std::move(state))
{
}

void ClientCall::cancel()
{
    if (m_state->cancelled)
        return;
    m_state->cancelled = true;
    if (m_state->connection) {
        ClientConnection *c = m_state->connection;
        m_state->connection = nullptr;
        c->abandon();
    }
    // The handler may hold what holds this handle; it may also be running right now (a call
    // cancelled from its own callback), so it is let go from the event loop.
    if (HttpClient *client = m_state->client) {
        QMetaObject::invokeMethod(
            client, [state = m_state] { state->handler = {}; }, Qt::QueuedConnection);
    }
}

bool ClientCall::isFinished() const
{
    return m_state->finished;
}

HttpClient::HttpClient(QObject *parent)
    : HttpClient(Options {}, parent)
{
}

HttpClient::HttpClient(Options options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{
}

HttpClient::~HttpClient()
{
    m_idle.clear();
}

int HttpClient::openConnections() const
{
    return int(findChildren<ClientConnection *>(Qt::FindDirectChildrenOnly).size());
}

int HttpClient::idleConnections() const
{
    int n = 0;
    for (const auto &list : m_idle)
        n += int(list.size());
    return n;
}

void HttpClient::failLater(const std::shared_ptr<ClientCallState> &call, ClientError error)
{
    QMetaObject::invokeMethod(
        this,
        [call, error] {
            if (call->cancelled || call->finished)
                return;
            call->finished = true;
            const ClientHandler handler = std::move(call->handler);
            if (handler.onError)
                handler.onError(error);
        },
        Qt::QueuedConnection);
}

std::shared_ptr<ClientCall> HttpClient::send(ClientRequest request, ClientHandler handler)
{
    auto call = std::make_shared<ClientCallState>();
    call->handler = std::move(handler);
    call->client = this;
    call->startedMs = monotonicMs();
    auto handle = std::make_shared<ClientCall>(call);

    const QUrl &url = request.url;
    if (url.scheme() != QLatin1String("http") || url.host().isEmpty()) {
        failLater(call,
            ClientError { ClientError::Kind::BadRequest,
                QStringLiteral("cannot send to %1: only http:// URLs with a host are supported")
                    .arg(url.toDisplayString()),
                false });
        call->request = std::move(request);
        return handle;
    }
    for (const auto &h : request.headers) {
        if (h.first.isEmpty() || hasLineBreak(h.first) || hasLineBreak(h.second) || h.first.contains(':')) {
            failLater(call,
                ClientError { ClientError::Kind::BadRequest,
                    QStringLiteral("cannot send a request with the header '%1'").arg(QString::fromLatin1(h.first)),
                    false });
            call->request = std::move(request);
            return handle;
        }
    }
    call->host = url.host();
    call->port = quint16(url.port(80));
    call->key = call->host + QLatin1Char(':') + QString::number(call->port);

    QByteArray target = url.path(QUrl::FullyEncoded).toLatin1();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    QByteArray hostHeader = url.host(QUrl::FullyEncoded).toLatin1();
    if (hostHeader.contains(':'))
        hostHeader = '[' + hostHeader + ']';
    if (url.port() != -1 && url.port() != 80)
        hostHeader += ':' + QByteArray::number(url.port());

    QByteArray &w = call->wire;
    w.reserve(256 + request.body.size());
    w += request.method + ' ' + target + " HTTP/1.1\r\n";
    if (!hasHeader(request.headers, "host"))
        w += "Host: " + hostHeader + "\r\n";
    if (!hasHeader(request.headers, "user-agent"))
        w += "User-Agent: l0-cache\r\n";
    for (const auto &h : request.headers)
        w += h.first + ": " + h.second + "\r\n";
    if (!hasHeader(request.headers, "content-length")
        && (!request.body.isEmpty() || (request.method != "GET" && request.method != "HEAD")))
        w += "Content-Length: " + QByteArray::number(request.body.size()) + "\r\n";
    w += "\r\n";
    w += request.body;
    request.body.clear(); // it lives on in the wire bytes
    call->request = std::move(request);

    start(call, true);
    return handle;
}

void HttpClient::start(const std::shared_ptr<ClientCallState> &call, bool allowReuse)
{
    if (call->cancelled)
        return;
    if (allowReuse) {
        auto it = m_idle.find(call->key);
        while (it != m_idle.end() && !it->empty()) {
            ClientConnection *c = it->back();
            it->pop_back();
            if (c->usable()) {
                c->attach(call, true);
                return;
            }
            c->close();
        }
    }
    auto *c = new ClientConnection(this, call->host, call->port, call->key);
    ++m_opened;
    c->attach(call, false);
}

void HttpClient::released(ClientConnection *connection, bool reusable)
{
    auto &list = m_idle[connection->key()];
    if (!reusable || int(list.size()) >= m_options.maxIdlePerHost) {
        connection->close();
        return;
    }
    list.push_back(connection);
    connection->parkIdle();
}

void HttpClient::dropIdle(ClientConnection *connection)
{
    auto it = m_idle.find(connection->key());
    if (it == m_idle.end())
        return;
    std::erase(*it, connection);
}

} // namespace l0::http
