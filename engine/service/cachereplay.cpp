#include "cachereplay.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

#include <optional>
#include <utility>

#include "cache/hotcache.h"
#include "cache/semantictier.h"
#include "cacheservice.h"
#include "normalize/intentmatcher.h"
#include "normalize/packdirectory.h"
#include "recordsink.h"
#include "semantic/semanticcorpus.h"
#include "semantic/semanticprofile.h"

namespace l0 {

namespace {

// Keeps the candidate the service filed for the row at hand; ledger events are not needed.
class ReplaySink final : public RecordSink {
public:
    void submitCandidate(Candidate candidate) override { m_last = std::move(candidate); }
    void submitLedger(CostEvent) override { }
    std::optional<Candidate> take() { return std::exchange(m_last, std::nullopt); }

private:
    std::optional<Candidate> m_last;
};

// Keeps what the semantic tier decided for the row at hand.
class ReplayObserver final : public SemanticObserver {
public:
    void considered(const SemanticConsidered &what) const override { m_last = what; }
    std::optional<SemanticConsidered> take() const { return std::exchange(m_last, std::nullopt); }
    const std::optional<SemanticConsidered> &peek() const { return m_last; }

private:
    mutable std::optional<SemanticConsidered> m_last;
};

ChatRequest oneTurn(const QString &text)
{
    ChatRequest r;
    r.model = QStringLiteral("replay");
    r.messages.append(
        QJsonObject { { QLatin1String("role"), QStringLiteral("user") }, { QLatin1String("content"), text } });
    return r;
}

} // namespace

Result<ReplayResult> replayEvaluate(const ReplayOptions &options, const std::vector<LabelledText> &warm,
    const std::vector<LabelledText> &data, std::vector<Tier> *servedBy)
{
    const Tenant tenant { 1, QStringLiteral("replay"), Policy::Approved };
    const IntentMatcher *matcher = options.matcher;
    HotCache answers;
    PackDirectory packs;
    if (matcher)
        packs.set(tenant.id, 1, std::shared_ptr<const IntentMatcher>(matcher, [](const IntentMatcher *) {}));
    std::vector<Tier> only;
    if (options.tier == ReplayTier::Exact)
        only = { Tier::Exact };
    else if (options.tier == ReplayTier::L0)
        only = { Tier::L0 };
    else if (options.tier == ReplayTier::Semantic)
        only = { Tier::Exact, Tier::Semantic };
    const bool semantic
        = options.tier == ReplayTier::Semantic || (options.tier == ReplayTier::Chain && options.semantic.enabled);

    ReplayObserver observer;
    SemanticSources sem;
    std::shared_ptr<VectorIndexDirectory> index;
    std::shared_ptr<SemanticCorpus> corpus;
    std::shared_ptr<ThresholdBook> book;
    if (semantic) {
        auto embedder = embedderFromSpec(options.semantic.embedderSpec);
        if (!embedder)
            return embedder.error();
        if (!(*embedder)->computesInline())
            return makeError(ErrorCode::InvalidArgument,
                QStringLiteral("the replay needs an embedder that computes inline (builtin)"));
        index = std::make_shared<VectorIndexDirectory>();
        corpus = std::make_shared<SemanticCorpus>();
        book = std::make_shared<ThresholdBook>(options.semantic.thresholds);
        book->setTarget(tenant.id, options.semantic.targetFalseHitRate);
        index->setServingModel(tenant.id, (*embedder)->modelId());
        sem.embedder = *embedder;
        sem.index = index;
        sem.corpus = corpus;
        sem.thresholds = book;
        sem.observer = &observer;
        sem.guards = options.semantic.guards;
        sem.fixedThreshold = options.semantic.fixedThreshold;
    }
    ReplaySink sink;
    CacheService::Deps deps;
    TierSources sources;
    sources.answers = &answers;
    sources.packs = matcher ? &packs : nullptr;
    sources.semantic = semantic ? &sem : nullptr;
    deps.chain = buildTierChain(sources, only);
    deps.records = &sink;
    CacheService service(std::move(deps));
    int semanticAt = -1;
    for (size_t i = 0; i < service.chain().size(); ++i)
        if (service.chain()[i]->tier() == Tier::Semantic)
            semanticAt = int(i);

    QHash<qint64, QString> labelOfEntry;
    QHash<qint64, QString> textOfEntry; // for traces
    QSet<QString> seenLabels;
    ReplayResult result;
    qint64 nextEntry = 0;
    auto step = [&](const LabelledText &row, bool count) {
        observer.take();
        const CacheLookup lookup = service.lookup(tenant, service.prepare(tenant.id, QString(), oneTurn(row.text)), {});
        if (options.trace) {
            if (const auto &seen = observer.peek()) {
                options.trace(ReplaySemanticTrace { row.text, row.label, textOfEntry.value(seen->entry.entryId),
                    labelOfEntry.value(seen->entry.entryId), seen->similarity, seen->served, count });
            }
        }
        const bool findable = !row.label.isEmpty() && seenLabels.contains(row.label);
        if (!row.label.isEmpty())
            seenLabels.insert(row.label);
        if (count) {
            ++result.queries;
            result.findable += findable ? 1 : 0;
        }
        if (count && servedBy)
            servedBy->push_back(lookup.outcome == CacheLookup::Outcome::Hit ? lookup.tier : Tier::Upstream);
        if (lookup.outcome == CacheLookup::Outcome::Hit) {
            if (count) {
                ++result.hits;
                ++result.hitsByTier[lookup.tier];
                if (row.label.isEmpty() || labelOfEntry.value(lookup.hit->answer->entryId) != row.label) {
                    ++result.falseHits;
                    ++result.falseHitsByTier[lookup.tier];
                } else {
                    ++result.trueHits;
                }
            }
            return;
        }
        // A neighbour the semantic tier explored: the answer's label is the verdict.
        if (const auto explored = observer.take(); explored && !explored->served && book) {
            const bool correct = !row.label.isEmpty() && labelOfEntry.value(explored->entry.entryId) == row.label;
            book->observe(tenant.id, explored->entry.entryId, explored->similarity, correct);
        }
        ChatResult answer;
        answer.message = QJsonObject { { QLatin1String("role"), QStringLiteral("assistant") },
            { QLatin1String("content"), row.label } };
        service.recordAnswer(lookup, answer, 0);
        const auto candidate = sink.take();
        if (!candidate)
            return; // every tier abstained: nothing may share this answer
        VersionChange approved;
        approved.seq = ++nextEntry;
        approved.entryId = nextEntry;
        approved.version = 1;
        approved.state = VersionState::Approved;
        approved.tenantId = candidate->tenantId;
        approved.ns = candidate->ns;
        approved.tier = candidate->tier;
        approved.cacheKey = candidate->cacheKey;
        approved.risk = QStringLiteral("low");
        approved.result = candidate->result;
        answers.apply(approved);
        labelOfEntry.insert(nextEntry, row.label);
        if (options.trace)
            textOfEntry.insert(nextEntry, row.text);
        // The node's semantic indexer: an approved exact answer becomes a neighbour.
        if (semanticAt >= 0 && approved.tier == QLatin1String("exact") && size_t(semanticAt) < lookup.keys.size()) {
            const TierKey &k = lookup.keys[size_t(semanticAt)];
            const Embedding *v = SemanticTier::embeddingOf(k);
            const SemanticProfile *p = SemanticTier::profileOf(k);
            if (v && p) {
                const VectorSpaceKey space { tenant.id, approved.ns, sem.embedder->modelId() };
                const VectorEntryRef ref { approved.entryId, approved.version, approved.tier, approved.cacheKey,
                    p->text, p->context };
                if (index->add(space, ref, std::span<const float>(v->constData(), size_t(v->size()))).ok())
                    corpus->add(tenant.id, approved.entryId, p->text, p->context);
            }
        }
    };
    for (const LabelledText &row : warm)
        step(row, false);
    for (const LabelledText &row : data)
        step(row, true);
    return result;
}

ReplayResult replayEvaluate(ReplayTier tier, const IntentMatcher *matcher, const std::vector<LabelledText> &warm,
    const std::vector<LabelledText> &data, std::vector<Tier> *servedBy)
{
    ReplayOptions o;
    o.tier = tier == ReplayTier::Semantic ? ReplayTier::Exact : tier;
    o.matcher = matcher;
    auto r = replayEvaluate(o, warm, data, servedBy);
    return r ? *r : ReplayResult {};
}

} // namespace l0
