#pragma once

#include <QHostAddress>

#include <memory>
#include <vector>

#include "config/nodeconfig.h"
#include "core/result.h"
#include "upstream/upstreampool.h"

namespace l0 {

class ApiController;
class Clock;
class CacheService;
class Coalescer;
class RateLimiter;
class ConversationStore;
class ModelCatalogue;
class ChatExchange;
class ResponseBook;
class ModelRouter;
class HotCache;
class Metrics;
class PackDirectory;
class Router;
class StoreWorker;
class TenantDirectory;
class Authenticator;
class SemanticCorpus;
class SemanticIndexer;
class ThresholdBook;
class VectorIndexDirectory;
struct SemanticSources;
struct SimulatedStats;
namespace http {
class HttpServer;
class TlsContext;
} // namespace http
namespace mcp {
class McpSessions;
class McpTools;
class StoreReader;
} // namespace mcp

// A whole serving node wired from a NodeConfig: store worker, hot cache, tenant and pack
// directories, the cache service over the tier chain, the upstream pool, one controller per
// API behind a router, and the HTTP server. Create and use it on the main thread.
class Node {
public:
    explicit Node(NodeConfig config);
    ~Node();

    // Opens the store, loads approved entries and keys, and starts listening.
    Status start();
    // Stops accepting, lets requests in flight finish (up to the drain timeout), writes what
    // is queued to the store.
    void stop();

    // The time the node reads (TTLs, outages, ledger stamps); tests pass a ManualClock. Call
    // before start(); the clock must outlive the node.
    void setClock(const Clock *clock) { m_clock = clock; }

    quint16 port() const;
    // "https" when the listener speaks TLS, else "http".
    QString scheme() const { return m_tls ? QStringLiteral("https") : QStringLiteral("http"); }
    // Re-reads the TLS certificate and key (SIGHUP): connections accepted afterwards get the
    // new ones; on failure the old ones stay and the error says why. Without TLS: nothing to do.
    Status reloadTls();
    StoreWorker *storeWorker() const { return m_store.get(); }
    HotCache *hotCache() const { return m_cache.get(); }
    // The semantic tier's index and indexer, and its thresholds (null when the tier is off).
    VectorIndexDirectory *vectorIndex() const { return m_vectors.get(); }
    SemanticIndexer *semanticIndexer() const { return m_indexer.get(); }
    ThresholdBook *thresholds() const { return m_thresholds.get(); }
    const NodeConfig &config() const { return m_config; }
    QString upstreamDescription() const;

private:
    Result<std::vector<UpstreamEndpoint>> upstreamEndpoints();

    NodeConfig m_config;
    const Clock *m_clock = nullptr; // null: the system clock
    std::unique_ptr<HotCache> m_cache;
    std::unique_ptr<TenantDirectory> m_tenants;
    std::unique_ptr<Authenticator> m_auth;
    std::unique_ptr<PackDirectory> m_packs;
    std::unique_ptr<Metrics> m_metrics;
    // The semantic tier (config "semantic"): the index, its indexer (fed by the store worker),
    // the indexed questions and the learned thresholds. Null when the tier is off.
    std::shared_ptr<VectorIndexDirectory> m_vectors;
    std::shared_ptr<SemanticCorpus> m_corpus;
    std::shared_ptr<ThresholdBook> m_thresholds;
    std::unique_ptr<SemanticSources> m_semantic;
    std::unique_ptr<SemanticIndexer> m_indexer;
    std::unique_ptr<StoreWorker> m_store;
    std::shared_ptr<SimulatedStats> m_simStats;
    std::unique_ptr<CacheService> m_service;
    std::unique_ptr<UpstreamPool> m_upstream;
    std::unique_ptr<Coalescer> m_coalescer;
    std::unique_ptr<RateLimiter> m_limiter;
    std::unique_ptr<ModelCatalogue> m_catalogue;
    std::unique_ptr<ConversationStore> m_conversations;
    std::unique_ptr<ModelRouter> m_modelRouter; // route policies' router models
    std::unique_ptr<ChatExchange> m_exchange;
    std::unique_ptr<ResponseBook> m_responses; // the response ids POST /v1/feedback may name
    std::unique_ptr<mcp::StoreReader> m_mcpReader; // the MCP server's reads, off the workers
    std::unique_ptr<mcp::StoreReader> m_responseReader; // POST /v1/feedback's look-ups, off the workers
    std::unique_ptr<mcp::McpSessions> m_mcpSessions;
    std::unique_ptr<mcp::McpTools> m_mcpTools;
    std::vector<std::unique_ptr<ApiController>> m_controllers;
    std::unique_ptr<Router> m_router;
    std::shared_ptr<http::TlsContext> m_tls;
    std::unique_ptr<http::HttpServer> m_server;
};

} // namespace l0
