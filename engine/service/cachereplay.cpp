#include "cachereplay.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>

#include <optional>
#include <utility>

#include "cache/hotcache.h"
#include "cacheservice.h"
#include "normalize/intentmatcher.h"
#include "normalize/packdirectory.h"
#include "recordsink.h"

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

ChatRequest oneTurn(const QString &text)
{
    ChatRequest r;
    r.model = QStringLiteral("replay");
    r.messages.append(QJsonObject { { QLatin1String("role"), QStringLiteral("user") },
        { QLatin1String("content"), text } });
    return r;
}

} // namespace

ReplayResult replayEvaluate(ReplayTier tier, const IntentMatcher *matcher, const std::vector<LabelledText> &warm,
    const std::vector<LabelledText> &data, std::vector<Tier> *servedBy)
{
    const Tenant tenant { 1, QStringLiteral("replay"), Policy::Approved };
    HotCache answers;
    PackDirectory packs;
    if (matcher)
        packs.set(tenant.id, 1, std::shared_ptr<const IntentMatcher>(matcher, [](const IntentMatcher *) { }));
    std::vector<Tier> only;
    if (tier == ReplayTier::Exact)
        only = { Tier::Exact };
    else if (tier == ReplayTier::L0)
        only = { Tier::L0 };
    ReplaySink sink;
    CacheService::Deps deps;
    deps.chain = buildTierChain(TierSources { &answers, matcher ? &packs : nullptr }, only);
    deps.records = &sink;
    CacheService service(std::move(deps));

    QHash<qint64, QString> labelOfEntry;
    ReplayResult result;
    qint64 nextEntry = 0;
    auto step = [&](const LabelledText &row, bool count) {
        const CacheLookup lookup = service.lookup(tenant, service.prepare(tenant.id, QString(), oneTurn(row.text)), {});
        if (count)
            ++result.queries;
        if (count && servedBy)
            servedBy->push_back(lookup.outcome == CacheLookup::Outcome::Hit ? lookup.tier : Tier::Upstream);
        if (lookup.outcome == CacheLookup::Outcome::Hit) {
            if (count) {
                ++result.hits;
                if (row.label.isEmpty() || labelOfEntry.value(lookup.hit->answer->entryId) != row.label)
                    ++result.falseHits;
            }
            return;
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
    };
    for (const LabelledText &row : warm)
        step(row, false);
    for (const LabelledText &row : data)
        step(row, true);
    return result;
}

} // namespace l0
