#include "semantic/semanticindexer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <chrono>

#include "core/clock.h"
#include "core/logging.h"
#include "core/text.h"
#include "semantic/semanticcorpus.h"
#include "semantic/semantictext.h"
#include "semantic/vectorindexdirectory.h"
#include "store/store.h"
#include "store/vectorstore.h"

namespace l0 {

namespace {

// The request an entry was filed with (the exact tier's canonical form) as a ChatRequest.
std::optional<ChatRequest> requestOf(const QByteArray &json)
{
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    if (o.isEmpty())
        return std::nullopt;
    ChatRequest r;
    r.model = o.value(QLatin1String("model")).toString();
    r.messages = o.value(QLatin1String("messages")).toArray();
    r.params = o.value(QLatin1String("params")).toObject();
    return r;
}

} // namespace

SemanticIndexer::SemanticIndexer(Options options, std::shared_ptr<VectorIndexDirectory> index,
    std::shared_ptr<SemanticCorpus> corpus, EmbedderFor embedderFor, const Clock *clock)
    : m_options(std::move(options))
    , m_index(std::move(index))
    , m_corpus(std::move(corpus))
    , m_embedderFor(std::move(embedderFor))
    , m_clock(clock ? clock : Clock::system())
{
}

SemanticIndexer::~SemanticIndexer()
{
    stop();
}

void SemanticIndexer::start()
{
    if (m_thread.joinable())
        return;
    m_thread = std::thread([this] { run(); });
}

void SemanticIndexer::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

SemanticIndexer::TenantModels &SemanticIndexer::modelsOf(qint64 tenantId)
{
    auto it = m_models.find(tenantId);
    if (it == m_models.end()) {
        TenantModels m;
        m.serving = m.target = m_embedderFor ? m_embedderFor(tenantId) : nullptr;
        it = m_models.insert(tenantId, m);
        if (m.serving)
            m_index->setServingEmbedder(tenantId, m.serving);
    }
    return *it;
}

void SemanticIndexer::apply(const VersionChange &change)
{
    if (!m_options.tiers.contains(change.tier))
        return;
    std::unique_lock lock(m_mutex);
    if (change.state == VersionState::Approved) {
        Item item { change.entryId, change.version, change.tenantId, change.ns, change.tier, change.cacheKey, false };
        modelsOf(change.tenantId);
        m_approved.insert(change.entryId, item);
        if (!m_queued.contains(change.entryId)) {
            m_order.push_back(change.entryId);
            m_queuedPerTenant[change.tenantId] += 1;
        }
        m_queued.insert(change.entryId, item);
        lock.unlock();
        m_wake.notify_one();
        return;
    }
    // Revoked, expired, rejected, superseded, refused by the gate: gone before we return.
    if (auto a = m_approved.find(change.entryId); a != m_approved.end() && a->version == change.version)
        m_approved.erase(a);
    if (auto q = m_queued.find(change.entryId); q != m_queued.end() && q->version == change.version) {
        m_queued.erase(q);
        m_queuedPerTenant[change.tenantId] -= 1;
    }
    const int removed = m_index->removeVersion(change.tenantId, change.entryId, change.version);
    if (removed > 0 && !m_approved.contains(change.entryId) && m_corpus)
        m_corpus->remove(change.tenantId, change.entryId);
    finishSwitches();
    if (m_queued.isEmpty() && !m_busy)
        m_idle.notify_all();
}

void SemanticIndexer::refreshModels()
{
    std::unique_lock lock(m_mutex);
    if (!m_embedderFor)
        return;
    for (auto it = m_models.begin(); it != m_models.end(); ++it) {
        auto now = m_embedderFor(it.key());
        if (!now || (it->target && now->modelId() == it->target->modelId()))
            continue;
        qCInfo(lcCache) << "tenant" << it.key() << "changes embedder model to" << now->modelId()
                        << "- embedding its entries again; the current space serves meanwhile";
        it->target = now;
        if (!it->serving) {
            it->serving = now;
            m_index->setServingEmbedder(it.key(), now);
        }
        for (const Item &a : std::as_const(m_approved)) {
            if (a.tenantId != it.key() || m_queued.contains(a.entryId))
                continue;
            Item item = a;
            item.targetOnly = true;
            m_queued.insert(item.entryId, item);
            m_order.push_back(item.entryId);
            m_queuedPerTenant[item.tenantId] += 1;
        }
    }
    finishSwitches();
    lock.unlock();
    m_wake.notify_one();
}

void SemanticIndexer::finishSwitches()
{
    for (auto it = m_models.begin(); it != m_models.end(); ++it) {
        TenantModels &m = *it;
        if (!m.target || !m.serving || m.target == m.serving || m_queuedPerTenant.value(it.key()) > 0)
            continue;
        // Every approved entry of the tenant went through the new model: switch at once.
        m.serving = m.target;
        m_index->setServingEmbedder(it.key(), m.serving);
        m_index->dropOtherModels(it.key(), m.serving->modelId());
        qCInfo(lcCache) << "tenant" << it.key() << "now searches the space of" << m.serving->modelId();
    }
}

bool SemanticIndexer::waitUntilIdle(int timeoutMs)
{
    std::unique_lock lock(m_mutex);
    return m_idle.wait_for(
        lock, std::chrono::milliseconds(timeoutMs), [this] { return m_queued.isEmpty() && !m_busy; });
}

SemanticIndexer::Stats SemanticIndexer::stats() const
{
    std::lock_guard lock(m_mutex);
    Stats s = m_stats;
    s.queued = m_queued.size();
    s.indexed = qint64(m_index->size());
    for (const TenantModels &m : m_models)
        s.switching += (m.target && m.serving && m.target != m.serving) ? 1 : 0;
    return s;
}

QByteArray SemanticIndexer::renderMetrics() const
{
    const Stats s = stats();
    const qint64 bytes = qint64(m_index->memoryBytes());
    QByteArray out;
    auto metric = [&out](const char *name, const char *type, const char *help, qint64 value) {
        out += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n' + name + ' '
            + QByteArray::number(value) + '\n';
    };
    metric("l0_semantic_index_vectors", "gauge", "Vectors in the semantic index, every space.", s.indexed);
    metric("l0_semantic_index_bytes", "gauge", "Memory the semantic index holds (graph, vectors, references).", bytes);
    metric("l0_semantic_index_queued", "gauge", "Approved versions waiting for their vector.", s.queued);
    metric("l0_semantic_index_switching_tenants", "gauge", "Tenants whose entries are being embedded with a new model.",
        s.switching);
    metric("l0_semantic_vectors_loaded_total", "counter", "Vectors read back from the store.", s.loaded);
    metric("l0_semantic_vectors_embedded_total", "counter", "Texts embedded and written to the store.", s.embedded);
    metric("l0_semantic_index_failures_total", "counter", "Indexing batches that failed and were queued again.",
        s.failures);
    return out;
}

bool SemanticIndexer::openStore()
{
    if (m_store)
        return true;
    auto store = l0::openStore(m_options.storeUrl);
    if (!store) {
        qCWarning(lcStore) << "semantic indexer: cannot open the store:" << store.error().message;
        return false;
    }
    m_store = std::move(store.value());
    return true;
}

void SemanticIndexer::run()
{
    for (;;) {
        std::vector<Item> batch;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queued.isEmpty(); });
            if (m_stopping) {
                lock.unlock();
                m_store.reset(); // on the thread that opened it
                return;
            }
            while (!m_order.empty() && int(batch.size()) < qMax(1, m_options.batchSize)) {
                const qint64 id = m_order.front();
                m_order.pop_front();
                auto q = m_queued.find(id);
                if (q == m_queued.end())
                    continue; // dropped (revoked) after it was queued
                batch.push_back(*q);
                m_queued.erase(q); // counted in m_queuedPerTenant until processed
            }
            m_busy = true;
        }
        Status status
            = openStore() ? process(batch) : Status(makeError(ErrorCode::Unavailable, QStringLiteral("no store")));
        std::unique_lock lock(m_mutex);
        for (const Item &item : batch)
            m_queuedPerTenant[item.tenantId] -= 1;
        if (!status) {
            ++m_stats.failures;
            qCWarning(lcCache) << "semantic indexer: a batch of" << batch.size()
                               << "versions failed, trying again:" << status.error().message;
            if (status.error().code == ErrorCode::Unavailable)
                m_store.reset(); // reconnect
            for (const Item &item : batch) {
                const auto a = m_approved.constFind(item.entryId);
                if (a == m_approved.cend() || a->version != item.version || m_queued.contains(item.entryId))
                    continue;
                m_queued.insert(item.entryId, item);
                m_order.push_back(item.entryId);
                m_queuedPerTenant[item.tenantId] += 1;
            }
            m_wake.wait_for(lock, std::chrono::milliseconds(m_options.retryDelayMs), [this] { return m_stopping; });
        }
        finishSwitches();
        m_busy = false;
        if (m_queued.isEmpty()) {
            qCInfo(lcCache) << "semantic index up to date:" << m_index->size() << "vectors," << m_stats.loaded
                            << "read from the store," << m_stats.embedded << "embedded";
            m_idle.notify_all();
        }
    }
}

Status SemanticIndexer::process(std::vector<Item> &batch)
{
    if (batch.empty())
        return {};
    SqlSession &session = m_store->session();
    std::vector<qint64> ids;
    ids.reserve(batch.size());
    for (const Item &item : batch)
        ids.push_back(item.entryId);
    auto requests = entryRequests(session, ids);
    if (!requests)
        return requests.error();

    struct Work {
        const Item *item = nullptr;
        QString text;
        QByteArray context;
        QByteArray textSha;
    };
    std::vector<Work> work;
    for (const Item &item : batch) {
        const auto r = requests->constFind(item.entryId);
        const auto request = r == requests->cend() ? std::nullopt : requestOf(r->requestJson);
        const QString text = request ? semanticText(*request) : QString();
        if (text.trimmed().isEmpty()) {
            std::lock_guard lock(m_mutex);
            ++m_stats.skipped;
            continue;
        }
        work.push_back(
            Work { &item, text, semanticContext(item.tenantId, item.ns, *request), sha256Hex(text.toUtf8()) });
    }

    // Which models each version needs: the serving one and, during a switch, the new one.
    QHash<QString, std::shared_ptr<const Embedder>> embedders;
    QHash<QString, std::vector<size_t>> byModel; // model -> indices into work
    {
        std::lock_guard lock(m_mutex);
        for (size_t i = 0; i < work.size(); ++i) {
            const TenantModels &m = modelsOf(work[i].item->tenantId);
            for (const auto &e : { m.target, work[i].item->targetOnly ? nullptr : m.serving }) {
                if (!e)
                    continue;
                auto &list = byModel[e->modelId()];
                if (list.empty() || list.back() != i)
                    list.push_back(i);
                embedders.insert(e->modelId(), e);
            }
        }
    }

    struct Ready {
        size_t work = 0;
        QString model;
        QVector<float> vector;
    };
    std::vector<Ready> ready;
    for (auto it = byModel.cbegin(); it != byModel.cend(); ++it) {
        const QString &model = it.key();
        const auto &indices = it.value();
        std::vector<std::pair<qint64, int>> versions;
        for (size_t i : indices)
            versions.emplace_back(work[i].item->entryId, work[i].item->version);
        auto stored = entryVectors(session, model, versions);
        if (!stored)
            return stored.error();
        QHash<qint64, const StoredVector *> found;
        for (const StoredVector &v : *stored)
            found.insert(v.entryId, &v);
        QStringList texts;
        std::vector<size_t> toEmbed;
        for (size_t i : indices) {
            const StoredVector *v = found.value(work[i].item->entryId);
            if (v && v->version == work[i].item->version && v->textSha256 == work[i].textSha) {
                ready.push_back(Ready { i, model, v->vector });
                std::lock_guard lock(m_mutex);
                ++m_stats.loaded;
            } else {
                texts << work[i].text;
                toEmbed.push_back(i);
            }
        }
        if (texts.isEmpty())
            continue;
        auto vectors = embedders.value(model)->embed(texts);
        if (!vectors)
            return vectors.error();
        if (vectors->size() != texts.size())
            return makeError(ErrorCode::Internal,
                QStringLiteral("embedder %1 answered %2 of %3 texts")
                    .arg(model)
                    .arg(vectors->size())
                    .arg(texts.size()));
        std::vector<StoredVector> save;
        for (size_t j = 0; j < toEmbed.size(); ++j) {
            const Work &w = work[toEmbed[j]];
            save.push_back(
                StoredVector { w.item->entryId, w.item->version, model, w.textSha, vectors->at(qsizetype(j)) });
            ready.push_back(Ready { toEmbed[j], model, vectors->at(qsizetype(j)) });
        }
        if (auto st = saveEntryVectors(session, save, m_clock->nowMs()); !st)
            return st;
        std::lock_guard lock(m_mutex);
        m_stats.embedded += qint64(save.size());
    }

    // Into the index, for versions that are still approved (a revocation may have come meanwhile:
    // under the lock, apply() cannot remove between our check and our add).
    std::lock_guard lock(m_mutex);
    struct SpaceBatch {
        std::vector<VectorEntryRef> refs;
        std::vector<float> vectors;
        int dims = 0;
    };
    QHash<VectorSpaceKey, SpaceBatch> spaces;
    QSet<qint64> corpusAdded;
    for (const Ready &r : ready) {
        const Work &w = work[r.work];
        const Item &item = *w.item;
        const auto a = m_approved.constFind(item.entryId);
        if (a == m_approved.cend() || a->version != item.version)
            continue;
        const TenantModels &m = modelsOf(item.tenantId);
        const bool wanted
            = (m.serving && m.serving->modelId() == r.model) || (m.target && m.target->modelId() == r.model);
        bool zero = true;
        for (float x : r.vector)
            zero = zero && x == 0.0f;
        if (!wanted || zero || r.vector.isEmpty()) {
            m_stats.skipped += wanted ? 1 : 0; // zero: nothing in the text the model could embed
            continue;
        }
        SpaceBatch &b = spaces[VectorSpaceKey { item.tenantId, item.ns, r.model }];
        if (b.dims == 0)
            b.dims = int(r.vector.size());
        if (b.dims != int(r.vector.size()))
            return makeError(ErrorCode::Internal, QStringLiteral("embedder %1 changed dimension").arg(r.model));
        b.refs.push_back(VectorEntryRef { item.entryId, item.version, item.tier, item.cacheKey, w.text, w.context });
        b.vectors.insert(b.vectors.end(), r.vector.cbegin(), r.vector.cend());
        if (m_corpus && !corpusAdded.contains(item.entryId)) {
            m_corpus->add(item.tenantId, item.entryId, w.text, w.context);
            corpusAdded.insert(item.entryId);
        }
    }
    for (auto it = spaces.cbegin(); it != spaces.cend(); ++it) {
        const SpaceBatch &b = it.value();
        if (b.refs.size() >= 32 && m_options.buildThreads > 1) {
            if (auto st = m_index->addBatch(it.key(), b.refs, b.vectors, b.dims, m_options.buildThreads); !st)
                return st;
            continue;
        }
        for (size_t i = 0; i < b.refs.size(); ++i) {
            const std::span<const float> v(b.vectors.data() + i * size_t(b.dims), size_t(b.dims));
            if (auto st = m_index->add(it.key(), b.refs[i], v); !st)
                return st;
        }
    }
    return {};
}

} // namespace l0
