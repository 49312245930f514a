#pragma once

#include <QHash>
#include <QStringList>

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "chatprovider.h"
#include "circuitbreaker.h"
#include "config/nodeconfig.h"

class QThread;

namespace l0 {

class Clock;

// One upstream the pool may call.
struct UpstreamEndpoint {
    QString name;
    QString kind; // openai, anthropic, sim
    QStringList models; // what it serves; empty: every model (the single-upstream setting)
    ProviderFactory factory; // makes its provider for the calling thread
};

struct PoolOptions {
    RetryConfig retry;
    BreakerConfig breaker;
    QHash<QString, QStringList> fallbacks; // model -> models tried after it
};

// The node's one way to the upstream LLMs, owned once per node and shared by every HTTP
// worker. For each client request it walks the model's chain (the model, then its fallbacks;
// for each, the upstreams that serve it, in configuration order), retries retryable failures
// with jittered exponential backoff (honouring Retry-After) within an overall deadline, skips
// a provider-and-model whose circuit breaker is open, and never retries once bytes of a
// stream reached the client. The answer reports the model that gave it and the attempts.
//
// Providers are thread-bound (each owns its network access), so the pool keeps one per
// upstream and calling thread, made by the endpoint's factory on first use and deleted when
// that thread finishes. Thread-safe: chat() runs on the calling thread, and so do the sink's
// callbacks; breakers are shared by all threads.
class UpstreamPool {
public:
    UpstreamPool(std::vector<UpstreamEndpoint> endpoints, PoolOptions options, const Clock *clock = nullptr,
        QString description = QString());
    ~UpstreamPool();

    // Whether the model, or one of its fallbacks, is served by some upstream.
    bool serves(const QString &model) const;
    // The models the upstreams are configured to serve, in order, without repeats (empty when
    // an upstream serves every model).
    QStringList configuredModels() const;

    // Answers the request through the chain. An error that ends it reaches the sink once.
    std::shared_ptr<UpstreamCall> chat(const ChatRequest &request, ChatSink sink);

    // Prometheus lines: breaker states, attempts, retries, fallbacks.
    QByteArray renderMetrics() const;
    QString description() const { return m_description; }

private:
    friend class PoolCall;
    struct Target {
        int endpoint = 0;
        QString model;
    };
    std::vector<Target> chainFor(const QString &model) const;
    ChatProvider *provider(int endpoint);
    bool allow(const Target &t);
    void record(const Target &t, bool success);
    qint64 backoffMs(int attempt, qint64 retryAfterMs) const;
    qint64 nowMs() const;

    std::vector<UpstreamEndpoint> m_endpoints;
    PoolOptions m_options;
    const Clock *m_clock;
    QString m_description;

    std::shared_ptr<std::mutex> m_providersMutex;
    std::shared_ptr<QHash<QPair<QThread *, int>, ChatProvider *>> m_providers;

    mutable std::mutex m_breakersMutex;
    QHash<QString, std::shared_ptr<CircuitBreaker>> m_breakers; // "upstream|model"

    std::atomic<qint64> m_attempts { 0 };
    std::atomic<qint64> m_retries { 0 };
    std::atomic<qint64> m_fallbacks { 0 };
    std::atomic<qint64> m_breakerSkips { 0 };
    // Calls between start and their end; shared so a call that outlives the pool stays safe.
    std::shared_ptr<std::atomic<qint64>> m_inFlight = std::make_shared<std::atomic<qint64>>(0);
};

} // namespace l0
