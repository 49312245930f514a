#pragma once

#include <QHash>

#include <memory>
#include <mutex>

#include "chatprovider.h"

class QThread;

namespace l0 {

// The node's one way to the upstream LLMs, owned once per node and shared by every HTTP
// worker. Providers are thread-bound (each owns its network access), so the pool keeps one per
// calling thread, made by the factory on first use and deleted when that thread finishes;
// everything that must be shared across threads (fallbacks, retries, circuit breakers,
// coalescing) belongs here, not in a provider.
//
// Thread-safe. chat() runs on the calling thread and the sink's callbacks run there too.
class UpstreamPool {
public:
    explicit UpstreamPool(ProviderFactory factory, QString description = QString());
    ~UpstreamPool();

    std::shared_ptr<UpstreamCall> chat(const ChatRequest &request, ChatSink sink);
    QString description() const { return m_description; }

private:
    ChatProvider *providerForThisThread();

    ProviderFactory m_factory;
    QString m_description;
    std::shared_ptr<std::mutex> m_mutex;
    std::shared_ptr<QHash<QThread *, ChatProvider *>> m_providers;
};

} // namespace l0
