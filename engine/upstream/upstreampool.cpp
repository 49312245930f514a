#include "upstreampool.h"

#include <QThread>

namespace l0 {

UpstreamPool::UpstreamPool(ProviderFactory factory, QString description)
    : m_factory(std::move(factory))
    , m_description(std::move(description))
    , m_mutex(std::make_shared<std::mutex>())
    , m_providers(std::make_shared<QHash<QThread *, ChatProvider *>>())
{
}

UpstreamPool::~UpstreamPool() = default;

ChatProvider *UpstreamPool::providerForThisThread()
{
    QThread *thread = QThread::currentThread();
    std::lock_guard lock(*m_mutex);
    auto it = m_providers->constFind(thread);
    if (it != m_providers->constEnd())
        return *it;
    ChatProvider *p = m_factory();
    m_providers->insert(thread, p);
    QObject::connect(thread, &QThread::finished, p, &QObject::deleteLater);
    // The table outlives the pool when a thread ends after it: the lambda holds its own share.
    QObject::connect(
        p, &QObject::destroyed, p,
        [mutex = m_mutex, providers = m_providers, thread] {
            std::lock_guard lock(*mutex);
            providers->remove(thread);
        },
        Qt::DirectConnection);
    return p;
}

std::shared_ptr<UpstreamCall> UpstreamPool::chat(const ChatRequest &request, ChatSink sink)
{
    return providerForThisThread()->chat(request, std::move(sink));
}

} // namespace l0
