#pragma once

#include <QtGlobal>

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "core/result.h"
#include "semantic/writerpreferringmutex.h"

namespace hnswlib {
template <typename dist_t> class HierarchicalNSW;
}

namespace l0 {

class UnitDotSpace;

// One neighbour found by VectorIndex::search().
struct VectorHit {
    qint64 id = 0; // the id given to add() (the semantic tier uses the entry id)
    float similarity = 0; // cosine similarity, in [-1, 1]; higher is nearer
};

struct VectorIndexOptions {
    int m = 16; // HNSW graph degree
    // Build-time beam: 200 bought no recall on our questions, at twice the build time.
    int efConstruction = 100;
    // Search beam, raised to k when a search asks for more: 64 is a fifth faster with five points
    // less recall at 1M entries (bench/bench_semantic.cpp).
    int efSearch = 128;
    size_t initialCapacity = 1024; // grows by doubling
    // Keep vectors as half floats where the CPU converts them in hardware (F16C with AVX2 or
    // AVX-512) and the dimension is a multiple of 16: half the memory and bandwidth, similarities
    // within about 1e-3 of the exact cosine.
    bool halfPrecision = true;
};

// Approximate nearest neighbours by cosine similarity over vectors of one dimension (one
// embedding space: never put vectors of two models in one index). HNSW (hnswlib) over
// normalised vectors with the inner product, so the distance is 1 - cosine (the dot product
// picked for the machine at run time: AVX-512, AVX2+FMA, or portable).
//
// Thread-safety: many readers, one writer at a time. search(), size(), contains(),
// memoryBytes() may run from any number of threads at once (a shared lock); add() and
// remove() take the exclusive lock, so a search never sees a half-inserted vector and a
// removed id is never returned by a search that starts after remove() returned.
class VectorIndex {
public:
    explicit VectorIndex(int dimension, VectorIndexOptions options = {});
    ~VectorIndex();
    VectorIndex(const VectorIndex &) = delete;
    VectorIndex &operator=(const VectorIndex &) = delete;

    int dimension() const { return m_dimension; }
    bool halfPrecision() const { return m_half; }

    // Inserts the vector under id, or replaces the vector id had. The vector is normalised
    // here (callers need not). InvalidArgument when its dimension differs from the index's,
    // or it is zero or not finite.
    Status add(qint64 id, std::span<const float> vector);
    // Inserts many vectors at once (the node's start, a re-embedding), `threads` building the
    // graph in parallel; vectors holds ids.size() rows of dimension() floats. Same rules as add().
    Status addBatch(std::span<const qint64> ids, std::span<const float> vectors, int threads = 1);
    // Removes id; true when it was there. Its slot is reused when the id is added again.
    bool remove(qint64 id);

    // Up to k nearest ids, best first. Empty when the index is empty or the query invalid.
    std::vector<VectorHit> search(std::span<const float> query, int k) const;

    bool contains(qint64 id) const;
    size_t size() const; // live ids (removed ones not counted)
    size_t memoryBytes() const; // graph, vectors and id maps, approximately

private:
    using Graph = hnswlib::HierarchicalNSW<float>;
    void reserveLocked(size_t wanted);
    bool containsLocked(qint64 id) const;
    void encode(const float *unit, size_t count, std::vector<float> *out) const;

    const int m_dimension;
    const VectorIndexOptions m_options;
    const bool m_half; // vectors stored as half floats (see VectorIndexOptions::halfPrecision)
    mutable WriterPreferringMutex m_mutex; // glibc's std::shared_mutex would starve removals
    std::unique_ptr<UnitDotSpace> m_space;
    std::unique_ptr<Graph> m_graph;
    size_t m_capacity = 0; // slots allocated; hnswlib keeps a removed id's slot for its return
    size_t m_liveCount = 0;
};

} // namespace l0
