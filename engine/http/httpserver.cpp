#include "httpserver.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>

#include "core/clock.h"
#include "core/logging.h"
#include "httpconnection.h"

namespace l0::http {

HttpServer::HttpServer(IRequestHandler *handler, const HttpLimits &limits, int workerThreads, QObject *parent)
    : QTcpServer(parent)
    , m_handler(handler)
    , m_limits(limits)
{
    const int n = qMax(1, workerThreads);
    for (int i = 0; i < n; ++i) {
        auto thread = std::make_unique<QThread>();
        thread->setObjectName(QStringLiteral("http-%1").arg(i));
        auto *worker = new HttpWorker(m_handler, m_limits, this);
        worker->moveToThread(thread.get());
        connect(thread.get(), &QThread::finished, worker, &QObject::deleteLater);
        thread->start();
        m_workers.push_back(worker);
        m_threads.push_back(std::move(thread));
    }
    setMaxPendingConnections(1024);
    // The kernel's queue of connections not yet accepted: Qt's default of 50 makes a burst of
    // clients wait a SYN retransmission (a second or more) for no reason.
    setListenBacklogSize(1024);
}

HttpServer::~HttpServer()
{
    drainAndStop(0);
}

bool HttpServer::start(const QHostAddress &address, quint16 port, QString *error)
{
    if (!listen(address, port)) {
        if (error)
            *error = errorString();
        return false;
    }
    return true;
}

void HttpServer::incomingConnection(qintptr handle)
{
    HttpWorker *worker = m_workers[m_next++ % m_workers.size()];
    QMetaObject::invokeMethod(
        worker, [worker, handle] { worker->accept(handle); }, Qt::QueuedConnection);
}

void HttpServer::drainAndStop(int timeoutMs)
{
    if (m_threads.empty())
        return;
    close();
    QElapsedTimer t;
    t.start();
    while (m_inFlight.load() > 0 && t.elapsed() < timeoutMs) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    if (m_inFlight.load() > 0)
        qCWarning(lcHttp) << m_inFlight.load() << "requests still in flight at shutdown";
    for (HttpWorker *w : m_workers)
        QMetaObject::invokeMethod(
            w, [w] { w->closeAll(); }, Qt::BlockingQueuedConnection);
    for (auto &thread : m_threads) {
        thread->quit();
        thread->wait();
    }
    m_threads.clear();
    m_workers.clear();
}

HttpWorker::HttpWorker(IRequestHandler *handler, const HttpLimits &limits, HttpServer *server)
    : m_handler(handler)
    , m_limits(limits)
    , m_server(server)
{
}

void HttpWorker::sweep()
{
    const qint64 now = Clock::system()->nowMs();
    const auto connections = findChildren<HttpConnection *>(Qt::FindDirectChildrenOnly);
    for (HttpConnection *c : connections)
        c->checkTimeout(now);
}

void HttpWorker::accept(qintptr handle)
{
    if (!m_sweep) {
        // Created here, on the worker's own thread. Timeouts are enforced to within a quarter
        // of the shortest one.
        m_sweep = new QTimer(this);
        m_sweep->setInterval(std::clamp(qMin(m_limits.readTimeoutMs, m_limits.idleTimeoutMs) / 4, 10, 1000));
        connect(m_sweep, &QTimer::timeout, this, &HttpWorker::sweep);
        m_sweep->start();
    }
    new HttpConnection(handle, m_handler, m_limits, m_server, this);
}

void HttpWorker::closeAll()
{
    const auto connections = findChildren<HttpConnection *>(Qt::FindDirectChildrenOnly);
    for (HttpConnection *c : connections)
        delete c;
}

} // namespace l0::http
