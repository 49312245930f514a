#pragma once

#include <QObject>

#include <memory>

#include "core/result.h"
#include "http/httpclient.h"

class QNetworkAccessManager;

namespace l0 {

// A request on its way through an UpstreamTransport; cancel() stops it and any further report.
class TransportCall {
public:
    virtual ~TransportCall() = default;
    virtual void cancel() = 0;
};

// A transport failure as the providers report it: a timeout (504) or an unreachable or broken
// upstream (502), saying whether the answer had begun.
Error transportError(const http::ClientError &error);

// How the providers reach an upstream, with one set of callbacks (http::ClientHandler) whatever
// the scheme: plain http:// goes through the project's own keep-alive client (http::HttpClient),
// https:// through QNetworkAccessManager, which brings TLS. Both report the same
// http::ClientError kinds, so providers decide retries and messages once.
//
// Belongs to the thread that made it (like the providers that own it); send() must be called
// there and the handler runs there, never from inside send().
class UpstreamTransport final : public QObject {
    Q_OBJECT
public:
    explicit UpstreamTransport(QObject *parent = nullptr);
    ~UpstreamTransport() override;

    std::shared_ptr<TransportCall> send(http::ClientRequest request, http::ClientHandler handler);

    // The plain-HTTP client, made on first use (for tests and metrics).
    http::HttpClient *httpClient();

private:
    std::shared_ptr<TransportCall> sendTls(http::ClientRequest request, http::ClientHandler handler);

    http::HttpClient *m_http = nullptr;
    QNetworkAccessManager *m_nam = nullptr;
};

} // namespace l0
