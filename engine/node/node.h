#pragma once

#include <QHostAddress>

#include <memory>

#include "config/nodeconfig.h"
#include "core/result.h"

namespace l0 {

class HotCache;
class Metrics;
class NodeService;
class PackDirectory;
class StoreWorker;
class TenantDirectory;
struct SimulatedStats;
namespace http {
class HttpServer;
}

// A whole serving node wired from a NodeConfig: store worker, hot cache, tenant directory,
// upstream provider, HTTP server. Create and use it on the main thread.
class Node {
public:
    explicit Node(NodeConfig config);
    ~Node();

    // Opens the store, loads approved entries and keys, and starts listening.
    Status start();
    // Stops accepting, lets requests in flight finish (up to the drain timeout), writes what
    // is queued to the store.
    void stop();

    quint16 port() const;
    StoreWorker *storeWorker() const { return m_store.get(); }
    HotCache *hotCache() const { return m_cache.get(); }
    const NodeConfig &config() const { return m_config; }
    QString upstreamDescription() const;

private:
    NodeConfig m_config;
    std::unique_ptr<HotCache> m_cache;
    std::unique_ptr<TenantDirectory> m_tenants;
    std::unique_ptr<PackDirectory> m_packs;
    std::unique_ptr<Metrics> m_metrics;
    std::unique_ptr<StoreWorker> m_store;
    std::shared_ptr<SimulatedStats> m_simStats;
    std::unique_ptr<NodeService> m_service;
    std::unique_ptr<http::HttpServer> m_server;
};

} // namespace l0
