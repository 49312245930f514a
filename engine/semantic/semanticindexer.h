#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "core/entry.h"
#include "core/result.h"
#include "semantic/embedder.h"

namespace l0 {

class Clock;
class SemanticCorpus;
class Store;
class VectorIndexDirectory;

// Keeps the node's vector indices in step with the store. Fed the same version changes as the
// hot cache (StoreWorker, after the audit gate and the signature check), it indexes approved
// versions of the configured tiers and removes every other state at once. The vector of an
// approved version is read from the store (entry_vectors, with the version and the embedder
// model) or, when missing or made from another text, embedded in the background from the
// entry's canonical request (semanticText()) and written back, so a restart loads instead of
// embedding again. Requests are never waited on: the work runs on a thread of its own with a
// store connection of its own.
//
// Model changes: embedderFor(tenant) names each tenant's embedder; after refreshModels() sees a
// new one, the tenant's approved entries are embedded into the new space in the background
// while the old space keeps serving, and the directory switches (setServingEmbedder) once the
// new space holds them all; spaces are never mixed.
//
// Thread-safety: apply(), refreshModels(), waitUntilIdle() and stats() from any thread.
class SemanticIndexer {
public:
    using EmbedderFor = std::function<std::shared_ptr<const Embedder>(qint64 tenantId)>;

    struct Options {
        QString storeUrl; // opened on the indexer's thread
        QStringList tiers { QStringLiteral("exact") }; // entries of these tiers get vectors
        int batchSize = 256; // versions read, embedded and written together
        int buildThreads = 1; // graph builders for large batches (the first load)
        int retryDelayMs = 1'000; // after a store or embedder failure
    };

    SemanticIndexer(Options options, std::shared_ptr<VectorIndexDirectory> index,
        std::shared_ptr<SemanticCorpus> corpus, EmbedderFor embedderFor, const Clock *clock = nullptr);
    ~SemanticIndexer();
    SemanticIndexer(const SemanticIndexer &) = delete;
    SemanticIndexer &operator=(const SemanticIndexer &) = delete;

    // Starts the thread; it opens its store connection itself (a failure is retried).
    void start();
    void stop();

    // A version's new state. Approved: queued for its vector. Anything else: removed from the
    // index and the corpus before this returns (if queued, dropped).
    void apply(const VersionChange &change);

    // Asks embedderFor() again for every tenant seen; a changed model starts a re-embedding.
    void refreshModels();

    // Blocks until nothing is queued or being worked on, up to timeoutMs; whether it got there.
    bool waitUntilIdle(int timeoutMs);

    struct Stats {
        qint64 queued = 0; // versions waiting for their vector
        qint64 indexed = 0; // vectors in every space
        qint64 loaded = 0; // vectors read from the store
        qint64 embedded = 0; // texts embedded (and written to the store)
        qint64 skipped = 0; // approved versions with nothing to embed (no user text)
        qint64 failures = 0; // batches that failed and were queued again
        int switching = 0; // tenants whose new space is being filled
    };
    Stats stats() const;
    // Prometheus lines (l0_semantic_*, see docs/metrics.md).
    QByteArray renderMetrics() const;

private:
    struct Item {
        qint64 entryId = 0;
        int version = 0;
        qint64 tenantId = 0;
        QString ns;
        QString tier;
        QByteArray cacheKey;
        bool targetOnly = false; // a re-embedding into the new space only
    };
    struct TenantModels {
        std::shared_ptr<const Embedder> serving;
        std::shared_ptr<const Embedder> target; // == serving unless a switch is under way
        qint64 outstanding = 0; // re-embedding: items not yet in the target space
    };

    void run();
    bool openStore();
    Status process(std::vector<Item> &batch);
    TenantModels &modelsOf(qint64 tenantId); // under m_mutex
    void finishSwitches(); // under m_mutex

    const Options m_options;
    const std::shared_ptr<VectorIndexDirectory> m_index;
    const std::shared_ptr<SemanticCorpus> m_corpus;
    const EmbedderFor m_embedderFor;
    const Clock *m_clock;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_idle;
    bool m_stopping = false;
    bool m_busy = false;
    std::deque<qint64> m_order; // entry ids, oldest first
    QHash<qint64, Item> m_queued; // by entry id: the latest approved version waiting
    QHash<qint64, Item> m_approved; // by entry id: the approved version (queued or indexed)
    QHash<qint64, TenantModels> m_models;
    QHash<qint64, qint64> m_queuedPerTenant; // queued or being worked on
    Stats m_stats;

    std::unique_ptr<Store> m_store; // the thread's
    std::thread m_thread;
};

} // namespace l0
