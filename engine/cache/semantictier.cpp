#include "semantictier.h"

#include "cache/exactkey.h"
#include "cache/nearmisssink.h"
#include "core/text.h"
#include "semantic/semanticcorpus.h"
#include "semantic/semanticprofile.h"
#include "semantic/semantictext.h"

namespace l0 {

namespace {

struct SemanticKeyDetail final : TierKeyDetail {
    Embedding vector;
    SemanticProfile profile;
    QByteArray requestJson; // the canonical exact request (an alias proposal's)
};

const SemanticKeyDetail *detailOf(const TierKey &key)
{
    return dynamic_cast<const SemanticKeyDetail *>(key.detail.get());
}

} // namespace

SemanticTier::SemanticTier(const HotCache *answers, SemanticSources sources, NearMissSink *nearMisses)
    : m_answers(answers)
    , m_sources(std::move(sources))
    , m_nearMisses(nearMisses)
{
}

const Embedding *SemanticTier::embeddingOf(const TierKey &key)
{
    const SemanticKeyDetail *d = detailOf(key);
    return d ? &d->vector : nullptr;
}

const SemanticProfile *SemanticTier::profileOf(const TierKey &key)
{
    const SemanticKeyDetail *d = detailOf(key);
    return d ? &d->profile : nullptr;
}

TierKey SemanticTier::key(const TierScope &scope, const ChatRequest &request, const std::shared_ptr<const void> &) const
{
    if (!m_sources.embedder || !m_sources.index || !m_sources.embedder->computesInline())
        return {};
    const QString text = semanticText(request);
    if (text.isEmpty())
        return {};
    auto vectors = m_sources.embedder->embed({ text });
    if (!vectors || vectors->size() != 1)
        return {};
    auto detail = std::make_shared<SemanticKeyDetail>();
    detail->vector = std::move(vectors->first());
    bool any = false;
    for (float x : detail->vector)
        any = any || x != 0.0f;
    if (!any)
        return {}; // nothing to compare
    const QByteArray context = semanticContext(scope.tenantId, scope.ns, request);
    detail->profile = SemanticProfile::of(text, context);
    detail->requestJson = canonicalExactRequest(scope.tenantId, scope.ns, request);
    TierKey k;
    k.key = sha256Hex(detail->requestJson); // the query's exact key: what an alias maps

    k.detail = std::move(detail);
    return k;
}

std::optional<TierHit> SemanticTier::lookup(
    const TierScope &scope, const TierKey &key, Policy policy, qint64 nowMs) const
{
    const SemanticKeyDetail *d = detailOf(key);
    if (!d || !m_sources.corpus)
        return std::nullopt;
    const auto model = m_sources.index->servingModel(scope.tenantId, scope.ns);
    if (!model || *model != m_sources.embedder->modelId())
        return std::nullopt; // no complete space in this embedder's model: never mix spaces
    const VectorSpaceKey space { scope.tenantId, scope.ns, *model };
    const bool fixed = m_sources.fixedThreshold >= 0;
    const double floor = fixed ? m_sources.fixedThreshold
                               : (m_sources.thresholds ? m_sources.thresholds->options().minSimilarity : 1.0);
    const auto neighbours = m_sources.index->search(
        space, std::span<const float>(d->vector.constData(), size_t(d->vector.size())), m_sources.neighbours);
    for (const VectorNeighbour &n : neighbours) {
        if (n.similarity < floor)
            break;
        if (n.entry.tier != QLatin1String("exact"))
            continue;
        auto profile = m_sources.corpus->profile(scope.tenantId, n.entry.entryId);
        if (!profile && !n.entry.text.isEmpty())
            profile = std::make_shared<const SemanticProfile>(SemanticProfile::of(n.entry.text, n.entry.context));
        if (!profile)
            continue;
        const qint64 tenantId = scope.tenantId;
        const SemanticCorpus *corpus = m_sources.corpus.get();
        const GuardVeto veto = checkGuards(
            d->profile, *profile, [corpus, tenantId](const QString &s) { return corpus->rarity(tenantId, s); },
            m_sources.guards);
        if (veto != GuardVeto::None)
            continue;
        auto answer = m_answers->find(HotKey { scope.tenantId, Tier::Exact, n.entry.cacheKey });
        if (!answer || answer->entryId != n.entry.entryId || answer->version != n.entry.version
            || !servableUnder(policy, *answer, nowMs))
            continue;
        SemanticConsidered c;
        c.scope = scope;
        c.queryText = d->profile.text;
        c.entry = n.entry;
        c.similarity = n.similarity;
        if (fixed) {
            c.served = true;
            c.errorBound = 0;
        } else if (m_sources.thresholds) {
            const ThresholdBook::Decision decision
                = m_sources.thresholds->decide(scope.tenantId, n.entry.entryId, n.similarity);
            c.served = decision.serve;
            c.errorBound = decision.errorBound;
            // Keep observing what is served: a deterministic share of would-be hits explores.
            const double share = m_sources.thresholds->options().exploreShare;
            if (c.served && share > 0) {
                const quint32 h = key.key.right(8).toUInt(nullptr, 16);
                c.served = double(h % 10000u) >= share * 10000.0;
            }
        }
        if (m_sources.observer)
            m_sources.observer->considered(c);
        if (!c.served) {
            // Explore: a miss; reviewers are asked whether it is the same question.
            if (m_nearMisses) {
                AliasProposal p;
                p.tenantId = scope.tenantId;
                p.ns = scope.ns;
                p.entryId = n.entry.entryId;
                p.version = n.entry.version;
                p.queryKey = key.key;
                p.query = d->profile.text;
                p.requestJson = d->requestJson;
                p.similarity = n.similarity;
                p.createdMs = nowMs;
                m_nearMisses->submitNearMiss(std::move(p));
            }
            return std::nullopt;
        }
        return TierHit { std::move(answer), std::nullopt };
    }
    return std::nullopt;
}

bool SemanticTier::fileCandidate(const TierScope &, const TierKey &, const ChatRequest &, Candidate &) const
{
    return false; // the exact tier files the answer; the semantic indexer makes it a neighbour
}

} // namespace l0
