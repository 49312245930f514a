#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "core/entry.h"
#include "semantic/embedder.h"
#include "semantic/vectorindex.h"
#include "semantic/writerpreferringmutex.h"

namespace l0 {

// Which embedding space a vector lives in: one tenant, one namespace, one embedder model.
// Vectors of two spaces are never compared.
struct VectorSpaceKey {
    qint64 tenantId = 0;
    QString ns;
    QString model; // the embedder's model id (Embedder::modelId())
    bool operator==(const VectorSpaceKey &o) const { return tenantId == o.tenantId && ns == o.ns && model == o.model; }
};
size_t qHash(const VectorSpaceKey &k, size_t seed = 0);

// What a neighbour is: the approved version whose canonical request was embedded, and where
// the hot cache keeps its answer. A tier serving a neighbour checks the hot cache still serves
// that very entry and version under (tenant, tier, cacheKey).
struct VectorEntryRef {
    qint64 entryId = 0;
    int version = 0;
    QString tier; // the entry's tier ("exact", "intent"), as in VersionChange::tier
    QByteArray cacheKey; // hex, as in VersionChange::cacheKey
    QString text; // semanticText() of the entry's canonical request: what was embedded
    QByteArray context; // semanticContext() of that request (the tier's context guard)
};

struct VectorNeighbour {
    VectorEntryRef entry;
    float similarity = 0;
};

// The node's vector indices, one per VectorSpaceKey, and for each (tenant, namespace) the
// model whose space is complete and serves. While a tenant changes model, the new space fills
// in the background and the old one keeps serving; setServingModel() switches at once.
//
// Thread-safety: every function may be called from any thread. Searches take shared locks
// (the directory's, then the space's); writes come from one writer (the node's semantic
// indexer) at a time.
class VectorIndexDirectory {
public:
    explicit VectorIndexDirectory(VectorIndexOptions options = {});

    // Inserts or replaces the vector of entry.entryId in space (created on first use, with the
    // vector's dimension). A later version of an entry replaces the earlier one.
    Status add(const VectorSpaceKey &space, const VectorEntryRef &entry, std::span<const float> vector);
    // Many entries at once (loading at start, re-embedding): vectors holds entries.size() rows
    // of `dimension` floats; the graph is built by `threads` threads.
    Status addBatch(const VectorSpaceKey &space, std::span<const VectorEntryRef> entries,
        std::span<const float> vectors, int dimension, int threads = 1);
    // Removes the entry from every space of its tenant (revoked, expired, rejected, superseded).
    // Returns how many spaces held it.
    int removeEntry(qint64 tenantId, qint64 entryId);
    // Removes the entry only if the indexed version is `version` (a late change for an old
    // version must not remove a newer one).
    int removeVersion(qint64 tenantId, qint64 entryId, int version);

    // The model that serves (tenant, ns): set explicitly, else the only model with a space.
    std::optional<QString> servingModel(qint64 tenantId, const QString &ns) const;
    void setServingModel(qint64 tenantId, const QString &model); // every namespace of the tenant
    // The same, with the embedder that puts queries into that space (what a tier embeds a query
    // with while the tenant's spaces change model). Null until set.
    void setServingEmbedder(qint64 tenantId, std::shared_ptr<const Embedder> embedder);
    std::shared_ptr<const Embedder> servingEmbedder(qint64 tenantId) const;
    // Drops every space of the tenant except `keepModel`'s (after a switch completes).
    void dropOtherModels(qint64 tenantId, const QString &keepModel);

    // Up to k neighbours in space, best first. Empty if the space does not exist.
    std::vector<VectorNeighbour> search(const VectorSpaceKey &space, std::span<const float> query, int k) const;
    // The entry as indexed in space, if it is.
    std::optional<VectorEntryRef> entry(const VectorSpaceKey &space, qint64 entryId) const;

    std::shared_ptr<const VectorIndex> index(const VectorSpaceKey &space) const;
    std::vector<VectorSpaceKey> spaces() const;
    size_t size() const; // vectors in every space
    size_t memoryBytes() const;

private:
    struct Space {
        std::shared_ptr<VectorIndex> index;
        QHash<qint64, VectorEntryRef> entries; // guarded by the directory's mutex
    };
    VectorIndexOptions m_options;
    mutable WriterPreferringMutex m_mutex; // glibc's std::shared_mutex would starve removals
    QHash<VectorSpaceKey, std::shared_ptr<Space>> m_spaces;
    QHash<qint64, QString> m_servingModel; // tenant -> model
    QHash<qint64, std::shared_ptr<const Embedder>> m_servingEmbedder;
};

} // namespace l0
