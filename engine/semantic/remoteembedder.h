#pragma once

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>

#include <atomic>
#include <memory>

#include "config/nodeconfig.h"
#include "core/result.h"
#include "semantic/embedder.h"
#include "upstream/circuitbreaker.h"

class QThread;

namespace l0 {

class Clock;
class RemoteEmbedderWorker;

// Where and how a RemoteEmbedder asks for embeddings. Node config: one entry of "embedders".
struct RemoteEmbedderOptions {
    QString name = QStringLiteral("embeddings"); // for logs and the breaker
    QString baseUrl; // as for an OpenAI-compatible upstream: ".../v1" (POST {baseUrl}/embeddings)
    QString model; // the server's model name, e.g. text-embedding-3-small, nomic-embed-text
    QString apiKeyEnv; // the environment variable holding the key (empty: no key is sent)
    QByteArray apiKey; // read from apiKeyEnv; never written anywhere, never logged
    int dimensions = 0; // > 0: asked for ("dimensions") and checked; 0: what the model gives
    int batchSize = 64; // texts per HTTP call
    int maxInFlight = 4; // HTTP calls at once; texts waiting meanwhile are batched together
    int timeoutMs = 10'000; // per HTTP call: no answer by then is a timeout (retried)
    int cacheEntries = 10'000; // embeddings kept by text hash (0: none)
    RetryConfig retry { 3, 100, 2'000, 30'000 }; // attempts per batch, backoff, deadline per call
    BreakerConfig breaker; // one breaker for this server and model

    // "openai:BASE_URL#MODEL[@DIMS][?key_env=VAR&batch=N&timeout_ms=N&in_flight=N&cache=N&attempts=N]"
    // (the key from $L0_EMBEDDER_API_KEY unless key_env names another variable).
    static Result<RemoteEmbedderOptions> fromSpec(const QString &spec, const QProcessEnvironment &env);
};

// An embedder backed by any OpenAI-compatible POST /v1/embeddings (OpenAI, Ollama, TEI, vLLM,
// llama.cpp's server). Texts are looked up in a bounded cache by SHA-256 of model and text;
// the rest are batched (batchSize per call, at most maxInFlight calls, texts of concurrent
// callers sharing calls), sent with the upstream pool's rules (jittered exponential backoff
// honouring Retry-After, retries of 5xx, 408, 429 and timeouts within the deadline, a circuit
// breaker that fails calls fast while the server is failing), and normalised to unit length.
//
// Thread-safe. Its HTTP client lives on a thread of its own: embedAsync() never blocks and calls
// `done` on that thread (or, when every text is cached, on the caller's thread before it
// returns); embed() blocks the caller until the answer (never call it from `done`). Destroy it from
// a thread other than its own (not from inside `done`).
class RemoteEmbedder final : public Embedder {
public:
    explicit RemoteEmbedder(RemoteEmbedderOptions options, const Clock *clock = nullptr);
    ~RemoteEmbedder() override;

    // "remote:BASE_URL#MODEL" and "@DIMS" when dimensions are asked for.
    QString modelId() const override { return m_modelId; }
    // The configured dimensions, else those of the first answer (0 until then).
    int dimensions() const override { return m_dimensions->load(); }
    bool computesInline() const override { return false; }
    Result<QList<Embedding>> embed(const QStringList &texts) const override;
    void embedAsync(const QStringList &texts, Done done) const override;

    struct Stats {
        qint64 httpCalls = 0; // attempts, retries included
        qint64 retries = 0;
        qint64 failedCalls = 0; // calls that ended in an error after their retries
        qint64 breakerRejections = 0; // batches refused because the breaker was open
        qint64 cacheHits = 0;
        qint64 cacheMisses = 0;
        qint64 promptTokens = 0; // as the server reported usage
    };
    Stats stats() const;
    CircuitBreaker::State breakerState() const;

private:
    const QString m_modelId;
    std::shared_ptr<std::atomic<int>> m_dimensions;
    std::unique_ptr<QThread> m_thread;
    RemoteEmbedderWorker *m_worker = nullptr; // lives on m_thread
};

} // namespace l0
