#include "semantic/vectorindexdirectory.h"

#include <QHashFunctions>

#include <algorithm>
#include <mutex>
#include <shared_mutex>

namespace l0 {

size_t qHash(const VectorSpaceKey &k, size_t seed)
{
    return qHashMulti(seed, k.tenantId, k.ns, k.model);
}

VectorIndexDirectory::VectorIndexDirectory(VectorIndexOptions options)
    : m_options(options)
{
}

Status VectorIndexDirectory::add(
    const VectorSpaceKey &space, const VectorEntryRef &entry, std::span<const float> vector)
{
    if (vector.empty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("empty vector"));
    // Under the exclusive lock: a search sees the vector and its ref together or neither.
    std::unique_lock lock(m_mutex);
    auto &slot = m_spaces[space];
    if (!slot) {
        slot = std::make_shared<Space>();
        slot->index = std::make_shared<VectorIndex>(int(vector.size()), m_options);
    }
    if (Status st = slot->index->add(entry.entryId, vector); !st)
        return st;
    slot->entries.insert(entry.entryId, entry);
    return {};
}

Status VectorIndexDirectory::addBatch(const VectorSpaceKey &space, std::span<const VectorEntryRef> entries,
    std::span<const float> vectors, int dimension, int threads)
{
    if (entries.empty())
        return {};
    if (dimension <= 0 || vectors.size() != entries.size() * size_t(dimension))
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("vectors do not match their entries"));
    std::shared_ptr<Space> s;
    {
        std::unique_lock lock(m_mutex);
        auto &slot = m_spaces[space];
        if (!slot) {
            slot = std::make_shared<Space>();
            slot->index = std::make_shared<VectorIndex>(dimension, m_options);
        }
        s = slot;
    }
    // The graph is built outside the directory's lock (searches of other spaces go on); until
    // the refs are in, a search that meets one of these ids skips it.
    std::vector<qint64> ids;
    ids.reserve(entries.size());
    for (const auto &e : entries)
        ids.push_back(e.entryId);
    if (Status st = s->index->addBatch(ids, vectors, threads); !st)
        return st;
    std::unique_lock lock(m_mutex);
    for (const auto &e : entries)
        s->entries.insert(e.entryId, e);
    return {};
}

int VectorIndexDirectory::removeVersion(qint64 tenantId, qint64 entryId, int version)
{
    int removed = 0;
    std::unique_lock lock(m_mutex);
    for (auto it = m_spaces.begin(); it != m_spaces.end(); ++it) {
        if (it.key().tenantId != tenantId)
            continue;
        Space &s = *it.value();
        const auto ref = s.entries.constFind(entryId);
        if (ref == s.entries.cend() || (version > 0 && ref->version != version))
            continue;
        // Under the directory's exclusive lock: no search is between its index lookup and its
        // ref lookup, and none that starts later sees the id.
        s.index->remove(entryId);
        s.entries.erase(ref);
        ++removed;
    }
    return removed;
}

int VectorIndexDirectory::removeEntry(qint64 tenantId, qint64 entryId)
{
    return removeVersion(tenantId, entryId, 0);
}

std::optional<QString> VectorIndexDirectory::servingModel(qint64 tenantId, const QString &ns) const
{
    std::shared_lock lock(m_mutex);
    const auto set = m_servingModel.constFind(tenantId);
    if (set != m_servingModel.cend())
        return *set;
    std::optional<QString> only;
    for (auto it = m_spaces.cbegin(); it != m_spaces.cend(); ++it) {
        if (it.key().tenantId != tenantId || it.key().ns != ns)
            continue;
        if (only && *only != it.key().model)
            return std::nullopt; // two spaces and no choice made: serve neither rather than mix
        only = it.key().model;
    }
    return only;
}

void VectorIndexDirectory::setServingModel(qint64 tenantId, const QString &model)
{
    std::unique_lock lock(m_mutex);
    m_servingModel.insert(tenantId, model);
}

void VectorIndexDirectory::setServingEmbedder(qint64 tenantId, std::shared_ptr<const Embedder> embedder)
{
    std::unique_lock lock(m_mutex);
    if (embedder)
        m_servingModel.insert(tenantId, embedder->modelId());
    m_servingEmbedder.insert(tenantId, std::move(embedder));
}

std::shared_ptr<const Embedder> VectorIndexDirectory::servingEmbedder(qint64 tenantId) const
{
    std::shared_lock lock(m_mutex);
    return m_servingEmbedder.value(tenantId);
}

void VectorIndexDirectory::dropOtherModels(qint64 tenantId, const QString &keepModel)
{
    std::unique_lock lock(m_mutex);
    for (auto it = m_spaces.begin(); it != m_spaces.end();) {
        if (it.key().tenantId == tenantId && it.key().model != keepModel)
            it = m_spaces.erase(it);
        else
            ++it;
    }
}

std::vector<VectorNeighbour> VectorIndexDirectory::search(
    const VectorSpaceKey &space, std::span<const float> query, int k) const
{
    std::vector<VectorNeighbour> out;
    std::shared_lock lock(m_mutex);
    const auto it = m_spaces.constFind(space);
    if (it == m_spaces.cend())
        return out;
    const Space &s = *it.value();
    const auto hits = s.index->search(query, k);
    out.reserve(hits.size());
    for (const VectorHit &h : hits) {
        const auto ref = s.entries.constFind(h.id);
        if (ref != s.entries.cend())
            out.push_back(VectorNeighbour { *ref, h.similarity });
    }
    return out;
}

std::optional<VectorEntryRef> VectorIndexDirectory::entry(const VectorSpaceKey &space, qint64 entryId) const
{
    std::shared_lock lock(m_mutex);
    const auto it = m_spaces.constFind(space);
    if (it == m_spaces.cend())
        return std::nullopt;
    const auto ref = it.value()->entries.constFind(entryId);
    if (ref == it.value()->entries.cend())
        return std::nullopt;
    return *ref;
}

std::shared_ptr<const VectorIndex> VectorIndexDirectory::index(const VectorSpaceKey &space) const
{
    std::shared_lock lock(m_mutex);
    const auto it = m_spaces.constFind(space);
    return it == m_spaces.cend() ? nullptr : it.value()->index;
}

std::vector<VectorSpaceKey> VectorIndexDirectory::spaces() const
{
    std::shared_lock lock(m_mutex);
    std::vector<VectorSpaceKey> out;
    for (auto it = m_spaces.cbegin(); it != m_spaces.cend(); ++it)
        out.push_back(it.key());
    return out;
}

size_t VectorIndexDirectory::size() const
{
    std::shared_lock lock(m_mutex);
    size_t n = 0;
    for (const auto &s : m_spaces)
        n += s->index->size();
    return n;
}

size_t VectorIndexDirectory::memoryBytes() const
{
    std::shared_lock lock(m_mutex);
    size_t n = 0;
    for (const auto &s : m_spaces)
        n += s->index->memoryBytes() + size_t(s->entries.size()) * (sizeof(VectorEntryRef) + 96);
    return n;
}

} // namespace l0
