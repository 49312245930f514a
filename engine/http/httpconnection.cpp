#include "httpconnection.h"

#include <QSocketNotifier>
#include <QSslSocket>
#include <QTcpSocket>

#include <cerrno>
#include <limits>

#include <sys/socket.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/logging.h"
#include "httpserver.h"

namespace l0::http {

namespace {
constexpr qint64 kMaxDrainBytes = 64LL * 1024 * 1024;
constexpr int kDrainMs = 3000;

// A whole HTTP/1.1 answer in OpenAI's error shape, after which the connection is closed; code
// empty: null.
QByteArray closingErrorResponse(int status, const QByteArray &message, const QByteArray &code)
{
    const QByteArray body = "{\"error\":{\"message\":\"" + message
        + "\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":"
        + (code.isEmpty() ? QByteArray("null") : '"' + code + '"') + "}}";
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + statusReason(status)
        + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\nConnection: close\r\n\r\n" + body;
}
} // namespace

HttpConnection::HttpConnection(
    qintptr socketDescriptor, IRequestHandler *handler, const HttpLimits &limits, HttpServer *server, QObject *parent)
    : QObject(parent)
    , m_handler(handler)
    , m_limits(limits)
    , m_server(server)
    , m_parser(limits)
{
    if (server->tls()) {
        // Wait for the first byte before adopting the socket: a TLS client opens with a
        // handshake record (0x16); anything else is plain HTTP sent to the HTTPS port, which
        // gets a plain 400 saying so instead of a reset.
        m_pendingFd = socketDescriptor;
        m_firstByte = new QSocketNotifier(socketDescriptor, QSocketNotifier::Read, this);
        connect(m_firstByte, &QSocketNotifier::activated, this, &HttpConnection::firstByteArrived);
        setDeadline(m_limits.idleTimeoutMs);
        return;
    }
    adopt(socketDescriptor);
}

void HttpConnection::firstByteArrived()
{
    const qintptr fd = m_pendingFd;
    unsigned char first = 0;
    const ssize_t n = ::recv(int(fd), &first, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    m_firstByte->setEnabled(false);
    m_firstByte->deleteLater();
    m_firstByte = nullptr;
    if (n == 1 && first == 0x16) {
        m_pendingFd = -1;
        adopt(fd);
        return;
    }
    if (n == 1) {
        const QByteArray out = closingErrorResponse(
            400, QByteArrayLiteral("this port speaks HTTPS: use https://"), QByteArrayLiteral("https_required"));
        [[maybe_unused]] auto sent = ::send(int(fd), out.constData(), size_t(out.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
        ::shutdown(int(fd), SHUT_WR);
        qCDebug(lcHttp) << "plain HTTP on the TLS port: answered 400";
    }
    dropPending();
}

void HttpConnection::dropPending()
{
    if (m_pendingFd >= 0)
        ::close(int(m_pendingFd));
    m_pendingFd = -1;
    m_closing = true;
    m_deadlineMs = std::numeric_limits<qint64>::max();
    deleteLater();
}

void HttpConnection::adopt(qintptr socketDescriptor)
{
    QSslSocket *tls = nullptr;
    if (const auto &context = m_server->tls()) {
        tls = new QSslSocket(this);
        tls->setSslConfiguration(context->configuration());
        m_socket = tls;
    } else {
        m_socket = new QTcpSocket(this);
    }
    if (!m_socket->setSocketDescriptor(socketDescriptor)) {
        qCWarning(lcHttp) << "cannot adopt socket:" << m_socket->errorString();
        deleteLater();
        return;
    }
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);

    setDeadline(m_limits.idleTimeoutMs);

    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::readyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::socketGone);
    if (tls) {
        // A client that does not complete the handshake (a certificate it refuses, a scanner)
        // is closed; the idle deadline bounds a silent one.
        connect(tls, &QAbstractSocket::errorOccurred, this, [this, tls](QAbstractSocket::SocketError e) {
            if (e == QAbstractSocket::SslHandshakeFailedError || e == QAbstractSocket::SslInternalError
                || e == QAbstractSocket::SslInvalidUserDataError) {
                qCDebug(lcHttp) << "TLS handshake failed:" << tls->errorString();
                closeNow();
            }
        });
        tls->startServerEncryption();
        return;
    }
    readyRead();
}

HttpConnection::~HttpConnection()
{
    if (m_pendingFd >= 0)
        ::close(int(m_pendingFd));
    if (m_active) {
        m_active->abort();
        m_server->requestFinished();
    }
}

void HttpConnection::setDeadline(qint64 afterMs)
{
    m_deadlineMs = Clock::system()->nowMs() + afterMs;
}

void HttpConnection::checkTimeout(qint64 nowMs)
{
    if (nowMs < m_deadlineMs)
        return;
    if (m_pendingFd >= 0) {
        dropPending(); // connected and never sent a byte
        return;
    }
    if (m_draining || m_closing) {
        closeNow();
    } else if (m_parser.inMessage()) {
        failAndClose(408, "request not received in time");
    } else if (!m_active) {
        closeNow(); // idle keep-alive connection
    } else {
        setDeadline(m_limits.idleTimeoutMs); // a long answer is still being written
    }
}

bool HttpConnection::isOpen() const
{
    return !m_closing && m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

void HttpConnection::readyRead()
{
    if (!m_socket)
        return;
    const QByteArray data = m_socket->readAll();
    if (m_draining || m_closing) {
        if (m_draining) {
            m_drainedBytes += data.size();
            if (m_drainedBytes > kMaxDrainBytes)
                closeNow();
        }
        return;
    }
    if (data.isEmpty())
        return;
    const size_t before = m_pending.size();
    const quint64 begun = m_parser.messagesBegun();
    const bool wasInMessage = m_parser.inMessage();
    const auto failure = m_parser.feed(data.constData(), size_t(data.size()), m_pending);
    if (failure) {
        failAndClose(failure.status, failure.message);
        return;
    }
    if (m_pending.size() != before) {
        const QHostAddress peer = m_socket->peerAddress();
        for (size_t i = before; i < m_pending.size(); ++i)
            m_pending[i].peer = peer;
    }
    // A request that starts gets the read timeout; one that completes puts the connection
    // back on the idle timeout.
    if (m_parser.messagesBegun() != begun || m_parser.inMessage() != wasInMessage)
        setDeadline(m_parser.inMessage() ? m_limits.readTimeoutMs : m_limits.idleTimeoutMs);
    dispatchNext();
}

void HttpConnection::dispatchNext()
{
    while (!m_active && !m_pending.empty() && !m_closing && !m_draining) {
        HttpRequest req = std::move(m_pending.front());
        m_pending.pop_front();
        m_activeKeepAlive = req.keepAlive;
        m_active = std::make_shared<HttpResponder>(this);
        m_server->requestStarted();
        ResponderPtr responder = m_active;
        m_handler->handleRequest(req, responder);
        // If the handler answered synchronously, responseFinished() already cleared m_active
        // and the loop continues with the next pipelined request.
    }
}

void HttpConnection::responseFinished(bool closeAfter)
{
    if (m_active) {
        m_active.reset();
        m_server->requestFinished();
    }
    if (closeAfter) {
        m_closing = true;
        m_pending.clear();
        m_socket->disconnectFromHost();
        setDeadline(kDrainMs);
        return;
    }
    setDeadline(m_parser.inMessage() ? m_limits.readTimeoutMs : m_limits.idleTimeoutMs);
    // Answer the next pipelined request from the event loop, not from inside the handler.
    if (!m_pending.empty())
        QMetaObject::invokeMethod(this, &HttpConnection::dispatchNext, Qt::QueuedConnection);
}

void HttpConnection::writeRaw(const QByteArray &data)
{
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState) {
        m_socket->write(data);
        // Write now rather than on the next event-loop pass: one less wake-up per answer.
        m_socket->flush();
    }
}

void HttpConnection::failAndClose(int status, const QByteArray &message)
{
    if (m_draining || m_closing)
        return;
    qCDebug(lcHttp) << "closing connection with" << status << message;
    const QByteArray out
        = closingErrorResponse(status, message, status == 413 ? QByteArrayLiteral("request_too_large") : QByteArray());
    if (m_active) {
        // A response is in progress for an earlier request: just stop after it.
        m_pending.clear();
        m_activeKeepAlive = false;
        m_draining = true;
        m_drainedBytes = 0;
        setDeadline(kDrainMs);
        return;
    }
    writeRaw(out);
    m_pending.clear();
    m_draining = true;
    m_drainedBytes = 0;
    m_socket->flush();
    // Keep reading (and discarding) what the client still sends, so closing does not reset the
    // connection before the client has read the answer.
    setDeadline(kDrainMs);
}

void HttpConnection::closeNow()
{
    if (!m_socket)
        return;
    m_closing = true;
    m_socket->disconnectFromHost();
    if (m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->abort();
    socketGone();
}

void HttpConnection::socketGone()
{
    if (m_active) {
        ResponderPtr active = std::move(m_active);
        m_server->requestFinished();
        active->abort();
    }
    m_pending.clear();
    m_closing = true;
    m_deadlineMs = std::numeric_limits<qint64>::max();
    deleteLater();
}

} // namespace l0::http
