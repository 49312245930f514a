#pragma once

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QUrl>

#include <functional>
#include <memory>
#include <vector>

#include "httprequest.h"

namespace l0::http {

class ClientConnection;
struct ClientCallState;

// What an HTTP client call may fail with. The message says what happened in words a log reader
// understands; `kind` is for code that decides what to do about it.
struct ClientError {
    enum class Kind {
        BadRequest, // the URL or request cannot be sent (not http://, no host)
        HostNotFound,
        ConnectRefused,
        ConnectTimeout,
        FirstByteTimeout, // connected and sent, but no response head in time
        IdleTimeout, // no byte from the server for too long
        TotalTimeout,
        ConnectionLost, // reset or closed before the response was complete
        MalformedResponse,
        ResponseTooLarge,
        NetworkError, // anything else the socket reports
    };
    Kind kind = Kind::NetworkError;
    QString message;
    // Whether any byte of the response had arrived when it failed.
    bool responseStarted = false;

    bool isTimeout() const
    {
        return kind == Kind::ConnectTimeout || kind == Kind::FirstByteTimeout || kind == Kind::IdleTimeout
            || kind == Kind::TotalTimeout;
    }
};

struct ClientRequest {
    QByteArray method = QByteArrayLiteral("POST");
    QUrl url; // http:// only
    HeaderList headers; // Host, Content-Length and User-Agent are added unless given
    QByteArray body;
    int firstByteTimeoutMs = 0; // from sending until the response head is complete; 0: none
    int idleTimeoutMs = 0; // no byte from the server for this long; 0: none
    int totalTimeoutMs = 0; // the whole call, connect included; 0: none
};

struct ClientResponseHead {
    int status = 0;
    HeaderList headers; // names in lower case, in the order received
    QByteArray header(const QByteArray &lowerName) const;
};

// What a call reports, on the client's thread, never from inside send(). Either onHead, any
// number of onData and then onFinished, or onError (possibly after onHead and some onData). After
// cancel() nothing more is reported.
struct ClientHandler {
    std::function<void(const ClientResponseHead &)> onHead;
    std::function<void(const QByteArray &)> onData; // body bytes (chunked framing removed) as they arrive
    std::function<void()> onFinished;
    std::function<void(const ClientError &)> onError;
};

// A call in progress. Dropping the handle does not stop it; cancel() does.
class ClientCall {
public:
    explicit ClientCall(std::shared_ptr<ClientCallState> state);
    void cancel();
    bool isFinished() const;

private:
    std::shared_ptr<ClientCallState> m_state;
};

// A small HTTP/1.1 client for plain-HTTP upstreams, written for latency: one object per thread
// (it lives on the thread that made it, and send() must be called there), connections kept alive
// and reused per host:port, TCP_NODELAY, the request written in one piece, responses parsed
// with http_parser (Content-Length, chunked, or until close) and delivered as they arrive.
//
// A request is retried, once, on a new connection only when it went out on a reused keep-alive
// connection that the server closed before sending any byte back: the server dropped an idle
// connection as we wrote, so it cannot have acted on the request. Every other failure goes to
// the handler.
//
// Not for HTTPS: callers keep their TLS path for https:// URLs.
class HttpClient final : public QObject {
    Q_OBJECT
public:
    struct Options {
        int connectTimeoutMs = 10'000;
        qint64 maxResponseBytes = 64LL * 1024 * 1024; // the body; larger answers fail with ResponseTooLarge
        qint64 maxHeaderBytes = 64 * 1024;
        int keepAliveMs = 30'000; // an idle connection is closed after this long
        int maxIdlePerHost = 64; // idle connections kept per host:port
    };

    explicit HttpClient(QObject *parent = nullptr);
    HttpClient(Options options, QObject *parent = nullptr);
    ~HttpClient() override;

    std::shared_ptr<ClientCall> send(ClientRequest request, ClientHandler handler);

    // For tests and metrics: connections open (busy or idle), and connections ever opened.
    int openConnections() const;
    int idleConnections() const;
    qint64 connectionsOpened() const { return m_opened; }

private:
    friend class ClientConnection;
    friend class ClientCall;
    void start(const std::shared_ptr<ClientCallState> &call, bool allowReuse);
    void released(ClientConnection *connection, bool reusable);
    void dropIdle(ClientConnection *connection);
    void failLater(const std::shared_ptr<ClientCallState> &call, ClientError error);

    Options m_options;
    QHash<QString, std::vector<ClientConnection *>> m_idle; // "host:port" -> most recently used last
    qint64 m_opened = 0;
};

} // namespace l0::http
