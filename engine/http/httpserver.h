#pragma once

#include <QHostAddress>
#include <QTcpServer>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <memory>
#include <vector>

#include "httplimits.h"
#include "irequesthandler.h"
#include "tlscontext.h"

namespace l0::http {

class HttpWorker;

// Accepts on the calling thread and hands each socket to one of N worker threads, each with
// its own event loop. Connections stay on their worker for their lifetime.
class HttpServer final : public QTcpServer {
    Q_OBJECT
public:
    HttpServer(IRequestHandler *handler, const HttpLimits &limits, int workerThreads, QObject *parent = nullptr);
    ~HttpServer() override;

    bool start(const QHostAddress &address, quint16 port, QString *error);
    // Stops accepting, waits up to timeoutMs for requests in flight, then stops the workers.
    void drainAndStop(int timeoutMs);

    // With a context, every connection accepted afterwards speaks TLS with the context's
    // certificate of the moment (set before start; the context reloads on its own).
    void setTls(std::shared_ptr<TlsContext> tls) { m_tls = std::move(tls); }
    const std::shared_ptr<TlsContext> &tls() const { return m_tls; }

    int inFlight() const { return m_inFlight.load(); }
    int workerCount() const { return int(m_workers.size()); }

protected:
    void incomingConnection(qintptr handle) override;

private:
    friend class HttpConnection;
    void requestStarted() { ++m_inFlight; }
    void requestFinished() { --m_inFlight; }

    IRequestHandler *m_handler;
    HttpLimits m_limits;
    std::vector<std::unique_ptr<QThread>> m_threads;
    std::vector<HttpWorker *> m_workers;
    std::shared_ptr<TlsContext> m_tls;
    size_t m_next = 0;
    std::atomic<int> m_inFlight { 0 };
};

class HttpWorker final : public QObject {
    Q_OBJECT
public:
    HttpWorker(IRequestHandler *handler, const HttpLimits &limits, HttpServer *server);
    void accept(qintptr handle);
    void closeAll();

private:
    void sweep();
    QTimer *m_sweep = nullptr;
    IRequestHandler *m_handler;
    HttpLimits m_limits;
    HttpServer *m_server;
};

} // namespace l0::http
