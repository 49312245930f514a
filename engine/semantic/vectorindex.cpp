#include "semantic/vectorindex.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <mutex>
#include <shared_mutex>
#include <thread>

// hnswlib defines functions and globals in its headers: it is included in this file only.
#include <hnswlib/hnswlib.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace l0 {

namespace {

// Copies v normalised to unit length into out; false when v is zero or not finite.
bool normalised(std::span<const float> v, float *out)
{
    double sum = 0;
    for (float x : v) {
        if (!std::isfinite(x))
            return false;
        sum += double(x) * double(x);
    }
    if (sum <= 0)
        return false;
    const float inv = float(1.0 / std::sqrt(sum));
    for (size_t i = 0; i < v.size(); ++i)
        out[i] = v[i] * inv;
    return true;
}

// 1 - the dot product of two unit vectors, i.e. the cosine distance. hnswlib picks its SIMD
// kernels when it is compiled (SSE only in a portable build); these are picked when the program
// runs, so a machine with AVX2 or AVX-512 uses them. `param` points at the dimension.
float dotDistancePortable(const void *a, const void *b, const void *param)
{
    const size_t n = *static_cast<const size_t *>(param);
    const float *x = static_cast<const float *>(a);
    const float *y = static_cast<const float *>(b);
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0; // four chains, so the adds overlap
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += x[i] * y[i];
        s1 += x[i + 1] * y[i + 1];
        s2 += x[i + 2] * y[i + 2];
        s3 += x[i + 3] * y[i + 3];
    }
    for (; i < n; ++i)
        s0 += x[i] * y[i];
    return 1.0f - ((s0 + s1) + (s2 + s3));
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) float dotDistanceAvx2(const void *a, const void *b, const void *param)
{
    const size_t n = *static_cast<const size_t *>(param);
    const float *x = static_cast<const float *>(a);
    const float *y = static_cast<const float *>(b);
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i + 8), _mm256_loadu_ps(y + i + 8), s1);
    }
    for (; i + 8 <= n; i += 8)
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i), s0);
    const __m256 s = _mm256_add_ps(s0, s1);
    __m128 r = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
    r = _mm_hadd_ps(r, r);
    r = _mm_hadd_ps(r, r);
    float dot = _mm_cvtss_f32(r);
    for (; i < n; ++i)
        dot += x[i] * y[i];
    return 1.0f - dot;
}

__attribute__((target("avx512f"))) float dotDistanceAvx512(const void *a, const void *b, const void *param)
{
    const size_t n = *static_cast<const size_t *>(param);
    const float *x = static_cast<const float *>(a);
    const float *y = static_cast<const float *>(b);
    __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        s0 = _mm512_fmadd_ps(_mm512_loadu_ps(x + i), _mm512_loadu_ps(y + i), s0);
        s1 = _mm512_fmadd_ps(_mm512_loadu_ps(x + i + 16), _mm512_loadu_ps(y + i + 16), s1);
    }
    for (; i + 16 <= n; i += 16)
        s0 = _mm512_fmadd_ps(_mm512_loadu_ps(x + i), _mm512_loadu_ps(y + i), s0);
    float dot = _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
    for (; i < n; ++i)
        dot += x[i] * y[i];
    return 1.0f - dot;
}
#endif

#if defined(__x86_64__)
// The same over vectors stored as IEEE half floats (both operands: the query is converted too).
__attribute__((target("avx512f"))) float halfDotDistanceAvx512(const void *a, const void *b, const void *param)
{
    const size_t n = *static_cast<const size_t *>(param); // a multiple of 16 (see halfStorage())
    const quint16 *x = static_cast<const quint16 *>(a);
    const quint16 *y = static_cast<const quint16 *>(b);
    __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        s0 = _mm512_fmadd_ps(_mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(x + i))),
            _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(y + i))), s0);
        s1 = _mm512_fmadd_ps(_mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(x + i + 16))),
            _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(y + i + 16))), s1);
    }
    for (; i + 16 <= n; i += 16)
        s0 = _mm512_fmadd_ps(_mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(x + i))),
            _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(y + i))), s0);
    return 1.0f - _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
}

__attribute__((target("avx2,fma,f16c"))) float halfDotDistanceAvx2(const void *a, const void *b, const void *param)
{
    const size_t n = *static_cast<const size_t *>(param); // a multiple of 16
    const quint16 *x = static_cast<const quint16 *>(a);
    const quint16 *y = static_cast<const quint16 *>(b);
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    for (size_t i = 0; i + 16 <= n; i += 16) {
        s0 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i *>(x + i))),
            _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i *>(y + i))), s0);
        s1 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i *>(x + i + 8))),
            _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i *>(y + i + 8))), s1);
    }
    const __m256 s = _mm256_add_ps(s0, s1);
    __m128 r = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
    r = _mm_hadd_ps(r, r);
    r = _mm_hadd_ps(r, r);
    return 1.0f - _mm_cvtss_f32(r);
}

__attribute__((target("avx,f16c"))) void toHalfF16c(const float *in, quint16 *out, size_t n)
{
    for (size_t i = 0; i + 8 <= n; i += 8)
        _mm_storeu_si128(
            reinterpret_cast<__m128i *>(out + i), _mm256_cvtps_ph(_mm256_loadu_ps(in + i), _MM_FROUND_TO_NEAREST_INT));
}

bool halfCapable()
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("f16c")
        && (__builtin_cpu_supports("avx512f") || (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")));
}
#endif

hnswlib::DISTFUNC<float> dotDistanceForThisMachine(bool half)
{
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (half)
        return __builtin_cpu_supports("avx512f") ? halfDotDistanceAvx512 : halfDotDistanceAvx2;
    if (__builtin_cpu_supports("avx512f"))
        return dotDistanceAvx512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return dotDistanceAvx2;
#endif
    Q_UNUSED(half);
    return dotDistancePortable;
}

// Whether vectors of this dimension are kept as half floats on this machine: when asked, when
// the CPU converts them in hardware, and when the dimension is a multiple of 16 (the kernels'
// step; the built-in and most remote models are).
bool halfStorage(bool wanted, int dimension)
{
#if defined(__x86_64__)
    return wanted && dimension % 16 == 0 && halfCapable();
#else
    Q_UNUSED(wanted);
    Q_UNUSED(dimension);
    return false;
#endif
}

Error invalid(const QString &message)
{
    return makeError(ErrorCode::InvalidArgument, message);
}

} // namespace

// The space hnswlib measures in: unit vectors of m_dimension floats, distance 1 - dot.
class UnitDotSpace final : public hnswlib::SpaceInterface<float> {
public:
    UnitDotSpace(size_t dimension, bool half)
        : m_dimension(dimension)
        , m_half(half)
        , m_distance(dotDistanceForThisMachine(half))
    {
    }
    size_t get_data_size() override { return m_dimension * (m_half ? sizeof(quint16) : sizeof(float)); }
    hnswlib::DISTFUNC<float> get_dist_func() override { return m_distance; }
    void *get_dist_func_param() override { return &m_dimension; }

private:
    size_t m_dimension;
    bool m_half;
    hnswlib::DISTFUNC<float> m_distance;
};

VectorIndex::VectorIndex(int dimension, VectorIndexOptions options)
    : m_dimension(std::max(1, dimension))
    , m_options(options)
    , m_half(halfStorage(options.halfPrecision, m_dimension))
    , m_space(std::make_unique<UnitDotSpace>(size_t(m_dimension), m_half))
{
    m_capacity = std::max<size_t>(16, options.initialCapacity);
    m_graph = std::make_unique<Graph>(
        m_space.get(), m_capacity, size_t(std::max(2, options.m)), size_t(std::max(8, options.efConstruction)));
    // Set once: searchKnn() widens the beam to k itself, so searches never write ef.
    m_graph->setEf(size_t(std::max(8, options.efSearch)));
}

VectorIndex::~VectorIndex() = default;

void VectorIndex::encode(const float *unit, size_t count, std::vector<float> *out) const
{
    // Half floats are packed two to a float slot of out; hnswlib only copies get_data_size() bytes.
    const size_t n = size_t(m_dimension) * count;
    if (!m_half) {
        out->assign(unit, unit + n);
        return;
    }
#if defined(__x86_64__)
    out->assign((n + 1) / 2, 0.0f);
    toHalfF16c(unit, reinterpret_cast<quint16 *>(out->data()), n);
#endif
}

void VectorIndex::reserveLocked(size_t wanted)
{
    if (wanted <= m_capacity)
        return;
    size_t next = m_capacity;
    while (next < wanted)
        next *= 2;
    m_graph->resizeIndex(next);
    m_capacity = next;
}

bool VectorIndex::containsLocked(qint64 id) const
{
    const auto it = m_graph->label_lookup_.find(hnswlib::labeltype(id));
    return it != m_graph->label_lookup_.end() && !m_graph->isMarkedDeleted(it->second);
}

Status VectorIndex::add(qint64 id, std::span<const float> vector)
{
    if (vector.size() != size_t(m_dimension))
        return invalid(
            QStringLiteral("vector of dimension %1 in an index of dimension %2").arg(vector.size()).arg(m_dimension));
    std::vector<float> unit(vector.size());
    if (!normalised(vector, unit.data()))
        return invalid(QStringLiteral("vector is zero or not finite"));
    std::vector<float> stored;
    encode(unit.data(), 1, &stored);
    std::unique_lock lock(m_mutex);
    try {
        const bool known = m_graph->label_lookup_.count(hnswlib::labeltype(id)) > 0;
        const bool live = known && containsLocked(id);
        if (!known)
            reserveLocked(m_graph->cur_element_count + 1);
        m_graph->addPoint(stored.data(), hnswlib::labeltype(id));
        if (!live)
            ++m_liveCount;
    } catch (const std::exception &e) {
        return makeError(ErrorCode::Internal, QStringLiteral("vector index: %1").arg(QString::fromUtf8(e.what())));
    }
    return {};
}

Status VectorIndex::addBatch(std::span<const qint64> ids, std::span<const float> vectors, int threads)
{
    const size_t dim = size_t(m_dimension);
    if (vectors.size() != ids.size() * dim)
        return invalid(QStringLiteral("%1 floats for %2 vectors of dimension %3")
                           .arg(vectors.size())
                           .arg(ids.size())
                           .arg(m_dimension));
    std::vector<float> unit(vectors.size());
    for (size_t i = 0; i < ids.size(); ++i) {
        if (!normalised(vectors.subspan(i * dim, dim), unit.data() + i * dim))
            return invalid(QStringLiteral("vector %1 is zero or not finite").arg(ids[i]));
    }
    std::vector<float> stored;
    encode(unit.data(), ids.size(), &stored);
    const char *base = reinterpret_cast<const char *>(stored.data());
    const size_t rowBytes = m_space->get_data_size();
    std::unique_lock lock(m_mutex);
    try {
        size_t fresh = 0;
        for (qint64 id : ids)
            fresh += m_graph->label_lookup_.count(hnswlib::labeltype(id)) ? 0 : 1;
        reserveLocked(m_graph->cur_element_count + fresh);
        // hnswlib inserts concurrently under its own per-node locks; we hold the exclusive lock,
        // so no search runs meanwhile. A duplicate id inside one batch would race: the last wins
        // only when run on one thread, so batches with duplicates are inserted sequentially.
        std::vector<qint64> sorted(ids.begin(), ids.end());
        std::sort(sorted.begin(), sorted.end());
        const bool unique = std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end();
        const int workers = unique ? std::clamp(threads, 1, 64) : 1;
        std::atomic<size_t> next { 0 };
        std::atomic<bool> failed { false };
        std::string failure;
        std::mutex failureMutex;
        auto work = [&] {
            for (size_t i = next++; i < ids.size() && !failed; i = next++) {
                try {
                    m_graph->addPoint(base + i * rowBytes, hnswlib::labeltype(ids[i]));
                } catch (const std::exception &e) {
                    std::lock_guard g(failureMutex);
                    failure = e.what();
                    failed = true;
                }
            }
        };
        if (workers == 1) {
            work();
        } else {
            std::vector<std::thread> pool;
            for (int t = 0; t < workers; ++t)
                pool.emplace_back(work);
            for (auto &t : pool)
                t.join();
        }
        // Recount: exact whatever the batch held (duplicates, revived ids).
        size_t live = 0;
        for (const auto &[label, internal] : m_graph->label_lookup_)
            live += m_graph->isMarkedDeleted(internal) ? 0 : 1;
        m_liveCount = live;
        if (failed)
            return makeError(
                ErrorCode::Internal, QStringLiteral("vector index: %1").arg(QString::fromStdString(failure)));
    } catch (const std::exception &e) {
        return makeError(ErrorCode::Internal, QStringLiteral("vector index: %1").arg(QString::fromUtf8(e.what())));
    }
    return {};
}

bool VectorIndex::remove(qint64 id)
{
    std::unique_lock lock(m_mutex);
    if (!containsLocked(id))
        return false;
    try {
        m_graph->markDelete(hnswlib::labeltype(id));
    } catch (const std::exception &) {
        return false;
    }
    --m_liveCount;
    return true;
}

std::vector<VectorHit> VectorIndex::search(std::span<const float> query, int k) const
{
    std::vector<VectorHit> hits;
    if (k <= 0 || query.size() != size_t(m_dimension))
        return hits;
    std::vector<float> unit(query.size());
    if (!normalised(query, unit.data()))
        return hits;
    std::vector<float> stored;
    encode(unit.data(), 1, &stored);
    std::shared_lock lock(m_mutex);
    if (m_liveCount == 0)
        return hits;
    try {
        auto found = m_graph->searchKnn(stored.data(), size_t(k));
        hits.resize(found.size());
        // The queue pops the farthest first.
        for (size_t i = hits.size(); i-- > 0;) {
            const auto &[distance, label] = found.top();
            hits[i] = VectorHit { qint64(label), std::clamp(1.0f - distance, -1.0f, 1.0f) };
            found.pop();
        }
    } catch (const std::exception &) {
        hits.clear();
    }
    return hits;
}

bool VectorIndex::contains(qint64 id) const
{
    std::shared_lock lock(m_mutex);
    return containsLocked(id);
}

size_t VectorIndex::size() const
{
    std::shared_lock lock(m_mutex);
    return m_liveCount;
}

size_t VectorIndex::memoryBytes() const
{
    std::shared_lock lock(m_mutex);
    const Graph &g = *m_graph;
    // Level 0 (links, vector, label) for every slot, the per-slot bookkeeping, the upper levels
    // of the nodes that have them, and the label map (a node and a bucket per label).
    size_t bytes = m_capacity * (g.size_data_per_element_ + sizeof(void *) + sizeof(int) + sizeof(std::mutex));
    for (size_t i = 0; i < g.cur_element_count; ++i)
        bytes += size_t(g.element_levels_[i]) * g.size_links_per_element_;
    bytes += g.label_lookup_.size() * (sizeof(hnswlib::labeltype) + sizeof(hnswlib::tableint) + 2 * sizeof(void *))
        + g.label_lookup_.bucket_count() * sizeof(void *);
    return bytes;
}

} // namespace l0
