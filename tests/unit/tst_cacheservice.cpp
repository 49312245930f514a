#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include "cache/hotcache.h"
#include "core/clock.h"
#include "normalize/intentmatcher.h"
#include "normalize/packdirectory.h"
#include "service/cacheservice.h"
#include "service/recordsink.h"

using namespace l0;

namespace {

// Keeps what the service records, for the assertions.
class MemorySink final : public RecordSink {
public:
    void submitCandidate(Candidate c) override { candidates.push_back(std::move(c)); }
    void submitLedger(CostEvent e) override { events.push_back(std::move(e)); }
    std::vector<Candidate> candidates;
    std::vector<CostEvent> events;
};

ChatRequest ask(const QString &text, const QString &model = QStringLiteral("gpt-4o-mini"))
{
    ChatRequest r;
    r.model = model;
    r.messages.append(
        QJsonObject { { QLatin1String("role"), QStringLiteral("user") }, { QLatin1String("content"), text } });
    return r;
}

ChatResult answer(const QString &text)
{
    ChatResult r;
    r.message
        = QJsonObject { { QLatin1String("role"), QStringLiteral("assistant") }, { QLatin1String("content"), text } };
    r.usage = TokenUsage { 100, 50 };
    r.modelUsed = QStringLiteral("gpt-4o-mini");
    return r;
}

// Approves a filed candidate into the hot cache, as the store worker does after a review.
void approve(HotCache &cache, const Candidate &c, qint64 entryId, qint64 expiresMs = 0)
{
    VersionChange v;
    v.seq = entryId;
    v.entryId = entryId;
    v.version = 1;
    v.state = VersionState::Approved;
    v.tenantId = c.tenantId;
    v.ns = c.ns;
    v.tier = c.tier;
    v.cacheKey = c.cacheKey;
    v.risk = QStringLiteral("low");
    v.result = c.result;
    v.expiresMs = expiresMs;
    cache.apply(v);
}

const Tenant kTenant { 7, QStringLiteral("acme"), Policy::Approved };

} // namespace

// The wire-neutral cache service over the tier chain, without HTTP: outcomes, what is filed
// and recorded, lifetimes on a manual clock.
class TestCacheService : public QObject {
    Q_OBJECT
    ManualClock clock { 1'700'000'000'000 };
    HotCache cache;
    PackDirectory packs;
    MemorySink sink;
    std::unique_ptr<CacheService> service;
    std::shared_ptr<const IntentMatcher> matcher;

    CacheLookup lookup(const QString &text, Tenant tenant = kTenant, CacheControl cc = {})
    {
        return service->lookup(tenant, service->prepare(tenant.id, QString(), ask(text)), cc);
    }

private slots:
    void initTestCase()
    {
        auto pack = RulePack::fromFile(QStringLiteral(L0_TEST_DATA_DIR "/support-pack.json"));
        QVERIFY(pack.ok());
        matcher = std::make_shared<const IntentMatcher>(*pack);
        CacheService::Deps deps;
        deps.chain = buildTierChain(TierSources { &cache, &packs });
        deps.records = &sink;
        deps.prices = PriceTable::builtin().value();
        deps.clock = &clock;
        service = std::make_unique<CacheService>(std::move(deps));
        QCOMPARE(int(service->chain().size()), 2);
        QCOMPARE(service->chain()[0]->tier(), Tier::Exact);
        QCOMPARE(service->chain()[1]->tier(), Tier::L0);
    }
    void init()
    {
        sink.candidates.clear();
        sink.events.clear();
    }

    void missFilesAnExactCandidateAndOneEvent()
    {
        const CacheLookup miss = lookup(QStringLiteral("what is the capital of peru"));
        QCOMPARE(miss.outcome, CacheLookup::Outcome::Miss);
        QCOMPARE(QByteArray(miss.cacheHeader()), QByteArray("miss"));
        service->recordAnswer(miss, answer(QStringLiteral("Lima.")), 12);
        QCOMPARE(int(sink.events.size()), 1);
        const CostEvent &e = sink.events.front();
        QCOMPARE(e.tier, Tier::Upstream);
        QCOMPARE(e.tsMs, clock.nowMs());
        QCOMPARE(e.latencyMs, 12);
        QVERIFY(e.actualMicros && *e.actualMicros > 0);
        QCOMPARE(e.actualMicros, e.baselineMicros);
        QCOMPARE(int(sink.candidates.size()), 1);
        const Candidate &c = sink.candidates.front();
        QCOMPARE(c.tier, QStringLiteral("exact"));
        QCOMPARE(c.tenantId, kTenant.id);
        QCOMPARE(c.query, QStringLiteral("what is the capital of peru"));
        QCOMPARE(c.createdMs, clock.nowMs());
        QCOMPARE(c.author, QStringLiteral("upstream:gpt-4o-mini"));
        QVERIFY(c.requestJson.contains("capital of peru"));
    }

    void approvedAnswerHitsUntilItsLifetimeEnds()
    {
        const CacheLookup miss = lookup(QStringLiteral("how long is the warranty"));
        service->recordAnswer(miss, answer(QStringLiteral("Two years.")), 5);
        approve(cache, sink.candidates.back(), 100, clock.nowMs() + 1000);

        const CacheLookup hit = lookup(QStringLiteral("how long is the warranty"));
        QCOMPARE(hit.outcome, CacheLookup::Outcome::Hit);
        QCOMPARE(hit.tier, Tier::Exact);
        QCOMPARE(hit.hit->answer->entryId, 100);
        QCOMPARE(hit.hit->result().text(), QStringLiteral("Two years."));
        const auto saved = service->recordHit(hit, 1);
        QVERIFY(saved && *saved > 0);
        QCOMPARE(sink.events.back().actualMicros, std::optional<qint64>(0));
        QCOMPARE(sink.events.back().entryId, 100);

        // Another tenant never sees it.
        QCOMPARE(
            lookup(QStringLiteral("how long is the warranty"), Tenant { 8, QStringLiteral("other"), Policy::Approved })
                .outcome,
            CacheLookup::Outcome::Miss);

        clock.advance(1000);
        QCOMPARE(lookup(QStringLiteral("how long is the warranty")).outcome, CacheLookup::Outcome::Miss);
    }

    void policiesAndControls()
    {
        const Tenant shadow { 9, QStringLiteral("shadow"), Policy::Shadow };
        service->recordAnswer(lookup(QStringLiteral("opening hours"), shadow), answer(QStringLiteral("9 to 5.")), 1);
        approve(cache, sink.candidates.back(), 200);
        const CacheLookup s = lookup(QStringLiteral("opening hours"), shadow);
        QCOMPARE(s.outcome, CacheLookup::Outcome::ShadowHit);
        QVERIFY(!s.hit);
        service->recordAnswer(s, answer(QStringLiteral("9 to 5.")), 1);
        QVERIFY(sink.events.back().shadowHit);

        // no-cache skips the lookup but still files; no-store files nothing.
        service->recordAnswer(lookup(QStringLiteral("returns policy")), answer(QStringLiteral("30 days.")), 1);
        approve(cache, sink.candidates.back(), 201);
        const size_t filed = sink.candidates.size();
        const CacheLookup bypass = lookup(QStringLiteral("returns policy"), kTenant, CacheControl { true, false });
        QCOMPARE(bypass.outcome, CacheLookup::Outcome::Bypass);
        service->recordAnswer(bypass, answer(QStringLiteral("30 days.")), 1);
        QCOMPARE(sink.candidates.size(), filed + 1);
        const CacheLookup noStore = lookup(QStringLiteral("something new"), kTenant, CacheControl { false, true });
        QCOMPARE(noStore.outcome, CacheLookup::Outcome::Miss);
        service->recordAnswer(noStore, answer(QStringLiteral("x")), 1);
        QCOMPARE(sink.candidates.size(), filed + 1);

        // Incomplete answers and failures are never filed; failures are never billed.
        ChatResult cut = answer(QStringLiteral("partial"));
        cut.finishReason = QStringLiteral("content_filter");
        service->recordAnswer(lookup(QStringLiteral("another question")), cut, 1);
        QCOMPARE(sink.candidates.size(), filed + 1);
        service->recordFailure(lookup(QStringLiteral("another question")), 502, 3);
        QCOMPARE(sink.events.back().status, 502);
        QCOMPARE(sink.events.back().actualMicros, std::optional<qint64>(0));
        QCOMPARE(sink.candidates.size(), filed + 1);

        // An uncacheable request is answered, never keyed or filed.
        ChatRequest two = ask(QStringLiteral("give me two"));
        two.params.insert(QLatin1String("n"), 2);
        const CacheLookup un = service->lookup(kTenant, service->prepare(kTenant.id, QString(), two), {});
        QCOMPARE(un.outcome, CacheLookup::Outcome::Bypass);
        QVERIFY(!un.prepared->uncacheable.isEmpty());
        service->recordAnswer(un, answer(QStringLiteral("a, b")), 1);
        QCOMPARE(sink.candidates.size(), filed + 1);
    }

    void intentTierFilesTemplatesAndFillsThem()
    {
        packs.set(kTenant.id, 1, matcher);
        const CacheLookup miss = lookup(QStringLiteral("I need to cancel order #12345"));
        QCOMPARE(miss.outcome, CacheLookup::Outcome::Miss);
        QCOMPARE(miss.intent, QStringLiteral("cancel_order"));
        service->recordAnswer(miss, answer(QStringLiteral("Order 12345 is cancelled.")), 1);
        const Candidate &c = sink.candidates.back();
        QCOMPARE(c.tier, QStringLiteral("l0")); // the broadest tier that keyed it
        QCOMPARE(c.result.text(), QStringLiteral("Order {order_id} is cancelled."));
        QVERIFY(c.requestJson.contains("\"intent\":\"cancel_order\""));
        QCOMPARE(sink.events.back().intent, QStringLiteral("cancel_order"));
        approve(cache, c, 300);

        const CacheLookup para = lookup(QStringLiteral("cancel my order 67890"));
        QCOMPARE(para.outcome, CacheLookup::Outcome::Hit);
        QCOMPARE(para.tier, Tier::L0);
        QCOMPARE(para.hit->result().text(), QStringLiteral("Order 67890 is cancelled."));
        QVERIFY(!para.hit->verbatim());
        // Without the slot the template cannot be filled: not served.
        QCOMPARE(lookup(QStringLiteral("cancel my order")).outcome, CacheLookup::Outcome::Miss);
        // A negation abstains.
        QVERIFY(lookup(QStringLiteral("I do not want to cancel order 5555")).intent.isEmpty());
    }

    void rememberedKeysFollowThePack()
    {
        packs.set(kTenant.id, 1, matcher);
        auto prepared = service->prepare(kTenant.id, QString(), ask(QStringLiteral("track my package")));
        const CacheLookup first = service->lookup(kTenant, prepared, {});
        QCOMPARE(first.intent, QStringLiteral("track_order"));
        const QByteArray key = first.keys[1].key;
        QVERIFY(!key.isEmpty());
        // The same pack: the remembered key is reused as is.
        QCOMPARE(service->lookup(kTenant, prepared, {}).keys[1].key, key);
        // A new pack version: keyed again under it.
        auto pack2 = RulePack::fromFile(QStringLiteral(L0_TEST_DATA_DIR "/support-pack.json"));
        packs.set(kTenant.id, 2, std::make_shared<const IntentMatcher>(*pack2));
        QCOMPARE(service->lookup(kTenant, prepared, {}).keys[1].key, key); // same content, same key
        packs.retire(kTenant.id, 2);
        const CacheLookup none = service->lookup(kTenant, prepared, {});
        QVERIFY(none.keys[1].abstained()); // no pack: the intent tier abstains
        QVERIFY(none.intent.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCacheService)
#include "tst_cacheservice.moc"
