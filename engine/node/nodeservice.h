#pragma once

#include <QHash>

#include <memory>
#include <mutex>

#include "http/irequesthandler.h"
#include "ledger/pricetable.h"
#include "store/storetypes.h"
#include "upstream/chatprovider.h"

class QThread;

namespace l0 {

class HotCache;
class Metrics;
class PackDirectory;
class StoreWorker;
class TenantDirectory;
struct SimulatedStats;

struct NodeServiceOptions {
    bool logContent = false; // prompts and answers in debug logs
    QString nodeName = QStringLiteral("node");
};

// The node's HTTP API: OpenAI-compatible chat completions with the cache in front of the
// upstream, plus models, health, readiness and metrics. Thread-safe; called on every HTTP
// worker thread. Nothing here blocks a worker: the store is reached through StoreWorker's
// queues and upstream calls are asynchronous.
class NodeService final : public http::IRequestHandler {
public:
    struct Deps {
        StoreWorker *store = nullptr;
        HotCache *cache = nullptr;
        TenantDirectory *tenants = nullptr;
        PackDirectory *packs = nullptr; // may be null: no L0 tier
        Metrics *metrics = nullptr;
        PriceTable prices;
        ProviderFactory providerFactory;
        std::shared_ptr<SimulatedStats> simStats; // null unless the upstream is simulated
    };

    NodeService(Deps deps, NodeServiceOptions options);
    ~NodeService() override;

    void handleRequest(const http::HttpRequest &request, const http::ResponderPtr &responder) override;

private:
    struct Call;
    struct WorkerMemo;
    WorkerMemo &memo();

    void handleChat(const http::HttpRequest &request, const http::ResponderPtr &responder, WireFormat wire);
    void handleModels(const http::HttpRequest &request, const http::ResponderPtr &responder);
    // result is the answer to send (a filled template for L0); renderedOnce: the JSON may be
    // kept per entry and reused.
    void serveHit(const std::shared_ptr<Call> &call, Tier tier, const ChatResult &result, bool renderedOnce);
    bool tryIntentTier(const std::shared_ptr<Call> &call);
    void forward(const std::shared_ptr<Call> &call);
    void startStream(const std::shared_ptr<Call> &call, const http::HeaderList &cacheHeaders);
    void sendError(const http::ResponderPtr &responder, int status, const QString &message,
        const QString &param = QString(), const QString &code = QString(), const http::HeaderList &extra = {});
    void sendWireError(const http::ResponderPtr &responder, WireFormat wire, int status, const QString &message,
        const QString &param = QString(), const QString &code = QString(), const http::HeaderList &extra = {});
    void sendJson(
        const http::ResponderPtr &responder, int status, const QByteArray &body, const http::HeaderList &extra = {});
    ChatProvider *provider();

    Deps m_deps;
    NodeServiceOptions m_options;
    quint64 m_generation;
    std::mutex m_providersMutex;
    QHash<QThread *, ChatProvider *> m_providers;
};

} // namespace l0
