#include "upstreamtransport.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QPointer>
#include <QTimer>

namespace l0 {

Error transportError(const http::ClientError &error)
{
    using K = http::ClientError::Kind;
    Error e;
    if (error.isTimeout()) {
        e = makeError(ErrorCode::Timeout,
            error.kind == K::FirstByteTimeout || error.kind == K::IdleTimeout
                ? QStringLiteral("upstream timed out: %1").arg(error.message)
                : QStringLiteral("upstream unreachable: %1").arg(error.message));
        e.upstreamStatus = 504;
    } else {
        e = makeError(ErrorCode::UpstreamError,
            error.responseStarted ? QStringLiteral("upstream connection failed mid-answer: %1").arg(error.message)
                                  : QStringLiteral("upstream unreachable: %1").arg(error.message));
        e.upstreamStatus = 502;
    }
    return e;
}

namespace {

class HttpTransportCall final : public TransportCall {
public:
    explicit HttpTransportCall(std::shared_ptr<http::ClientCall> call)
        : m_call(std::move(call))
    {
    }
    void cancel() override { m_call->cancel(); }

private:
    std::shared_ptr<http::ClientCall> m_call;
};

class TlsTransportCall final : public TransportCall {
public:
    void cancel() override
    {
        cancelled = true;
        if (reply)
            reply->abort();
    }
    QPointer<QNetworkReply> reply;
    bool cancelled = false;
};

http::ClientError::Kind kindOf(QNetworkReply::NetworkError error)
{
    using K = http::ClientError::Kind;
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
        return K::ConnectRefused;
    case QNetworkReply::HostNotFoundError:
        return K::HostNotFound;
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError: // the transfer timeout aborts with this
        return K::IdleTimeout;
    case QNetworkReply::RemoteHostClosedError:
        return K::ConnectionLost;
    case QNetworkReply::ProtocolFailure:
        return K::MalformedResponse;
    default:
        return K::NetworkError;
    }
}

} // namespace

UpstreamTransport::UpstreamTransport(QObject *parent)
    : QObject(parent)
{
}

UpstreamTransport::~UpstreamTransport() = default;

http::HttpClient *UpstreamTransport::httpClient()
{
    if (!m_http)
        m_http = new http::HttpClient(this);
    return m_http;
}

std::shared_ptr<TransportCall> UpstreamTransport::send(http::ClientRequest request, http::ClientHandler handler)
{
    // L0_UPSTREAM_TRANSPORT=qnam sends plain HTTP through QNetworkAccessManager too: only for
    // comparing the two in one benchmark run (bench/pool_latency.sh).
    static const bool qnamOnly = qgetenv("L0_UPSTREAM_TRANSPORT") == "qnam";
    if (qnamOnly || request.url.scheme() == QLatin1String("https"))
        return sendTls(std::move(request), std::move(handler));
    return std::make_shared<HttpTransportCall>(httpClient()->send(std::move(request), std::move(handler)));
}

std::shared_ptr<TransportCall> UpstreamTransport::sendTls(http::ClientRequest request, http::ClientHandler handler)
{
    if (!m_nam)
        m_nam = new QNetworkAccessManager(this);
    QNetworkRequest req(request.url);
    for (const auto &h : std::as_const(request.headers))
        req.setRawHeader(h.first, h.second);
    if (request.idleTimeoutMs > 0)
        req.setTransferTimeout(request.idleTimeoutMs);
    req.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);

    auto call = std::make_shared<TlsTransportCall>();
    QNetworkReply *reply = m_nam->sendCustomRequest(req, request.method, request.body);
    call->reply = reply;

    struct State {
        bool headDelivered = false;
        bool gotByte = false;
        bool firstByteTimedOut = false;
        bool totalTimedOut = false;
    };
    auto state = std::make_shared<State>();
    const QString where = request.url.host();

    auto deliverHead = [reply, state, call, handler] {
        if (state->headDelivered || call->cancelled)
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status <= 0)
            return;
        state->headDelivered = true;
        state->gotByte = true;
        http::ClientResponseHead head;
        head.status = status;
        for (const auto &h : reply->rawHeaderPairs())
            head.headers.append({ h.first.toLower(), h.second });
        if (handler.onHead)
            handler.onHead(head);
    };

    if (request.firstByteTimeoutMs > 0 || request.totalTimeoutMs > 0) {
        auto arm = [reply, state](int ms, bool firstByte) {
            auto *timer = new QTimer(reply);
            timer->setSingleShot(true);
            QObject::connect(timer, &QTimer::timeout, reply, [reply, state, firstByte] {
                if (firstByte && state->headDelivered)
                    return;
                (firstByte ? state->firstByteTimedOut : state->totalTimedOut) = true;
                reply->abort();
            });
            timer->start(ms);
        };
        if (request.firstByteTimeoutMs > 0)
            arm(request.firstByteTimeoutMs, true);
        if (request.totalTimeoutMs > 0)
            arm(request.totalTimeoutMs, false);
    }

    QObject::connect(reply, &QNetworkReply::metaDataChanged, reply, deliverHead);
    QObject::connect(reply, &QNetworkReply::readyRead, reply, [reply, state, call, handler, deliverHead] {
        if (call->cancelled)
            return;
        deliverHead();
        if (call->cancelled || !state->headDelivered)
            return;
        const QByteArray data = reply->readAll();
        if (!data.isEmpty() && handler.onData)
            handler.onData(data);
    });
    const int firstByteMs = request.firstByteTimeoutMs;
    const int idleMs = request.idleTimeoutMs;
    const int totalMs = request.totalTimeoutMs;
    QObject::connect(reply, &QNetworkReply::finished, reply,
        [reply, state, call, handler, deliverHead, where, firstByteMs, idleMs, totalMs] {
            reply->deleteLater();
            if (call->cancelled)
                return;
            deliverHead();
            if (call->cancelled)
                return;
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (state->headDelivered) {
                const QByteArray rest = reply->readAll();
                if (!rest.isEmpty() && handler.onData)
                    handler.onData(rest);
                if (call->cancelled)
                    return;
            }
            // An HTTP error status is an answer, for the provider to read; a network error is not.
            if (reply->error() != QNetworkReply::NoError && status < 400) {
                http::ClientError e;
                e.responseStarted = state->gotByte;
                if (state->firstByteTimedOut) {
                    e.kind = http::ClientError::Kind::FirstByteTimeout;
                    e.message = QStringLiteral("%1 sent no response within %2 ms").arg(where).arg(firstByteMs);
                } else if (state->totalTimedOut) {
                    e.kind = http::ClientError::Kind::TotalTimeout;
                    e.message = QStringLiteral("%1 did not complete the response within %2 ms").arg(where).arg(totalMs);
                } else {
                    e.kind = kindOf(reply->error());
                    e.message = e.kind == http::ClientError::Kind::IdleTimeout
                        ? QStringLiteral("%1 sent nothing for %2 ms").arg(where).arg(idleMs)
                        : QStringLiteral("%1: %2").arg(where, reply->errorString());
                }
                if (handler.onError)
                    handler.onError(e);
                return;
            }
            if (handler.onFinished)
                handler.onFinished();
        });
    return call;
}

} // namespace l0
