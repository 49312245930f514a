#include "storereader.h"

#include <QObject>
#include <QPointer>
#include <QThread>

#include "store/store.h"

namespace l0::mcp {

struct StoreReader::Worker {
    std::unique_ptr<Store> store;
};

namespace {

// Where answers for a thread are delivered: one object living on each calling thread.
QObject *callerContext()
{
    thread_local QObject context;
    return &context;
}

} // namespace

StoreReader::StoreReader(QString url, const Clock *clock, int maxQueued, const QString &threadName)
    : m_url(std::move(url))
    , m_clock(clock)
    , m_maxQueued(maxQueued)
    , m_thread(std::make_unique<QThread>())
    , m_worker(std::make_shared<Worker>())
{
    m_thread->setObjectName(threadName);
    m_context = new QObject;
    m_context->moveToThread(m_thread.get());
    QObject::connect(m_thread.get(), &QThread::finished, m_context, &QObject::deleteLater);
    m_thread->start();
}

StoreReader::~StoreReader()
{
    // The connection belongs to the reader's thread: close it there, then end the thread.
    auto worker = m_worker;
    QMetaObject::invokeMethod(
        m_context, [worker] { worker->store.reset(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
}

void StoreReader::read(Job job, Done done)
{
    if (m_queued.fetch_add(1) >= m_maxQueued) {
        m_queued.fetch_sub(1);
        done(makeError(ErrorCode::Unavailable, QStringLiteral("the node is busy with other store reads; try again")));
        return;
    }
    QPointer<QObject> caller(callerContext());
    auto worker = m_worker;
    const QString url = m_url;
    const Clock *clock = m_clock;
    std::atomic<int> *queued = &m_queued;
    QMetaObject::invokeMethod(
        m_context,
        [worker, url, clock, queued, caller, job = std::move(job), done = std::move(done)]() mutable {
            Result<QJsonObject> result = QJsonObject();
            if (!worker->store) {
                auto opened = openStore(url);
                if (opened) {
                    worker->store = std::move(opened.value());
                    worker->store->setClock(clock);
                } else {
                    result = Error(opened.error());
                }
            }
            if (worker->store) {
                result = job(*worker->store);
                // A lost connection is opened afresh for the next job.
                if (!result && result.error().code == ErrorCode::Unavailable)
                    worker->store.reset();
            }
            queued->fetch_sub(1);
            if (!caller)
                return;
            QMetaObject::invokeMethod(
                caller.data(), [done = std::move(done), result = std::move(result)]() { done(result); },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

} // namespace l0::mcp
