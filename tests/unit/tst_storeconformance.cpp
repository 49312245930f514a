#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <poll.h>

#include <cmath>

#include "core/clock.h"
#include "core/text.h"
#include "ledger/budget.h"
#include "ledger/experimentreport.h"
#include "ledger/routingreport.h"
#include "route/routesettings.h"
#include "store/aliasrules.h"
#include "store/experimentrules.h"
#include "store/journal.h"
#include "store/migrations.h"
#include "store/store.h"
#include "store/vectorstore.h"
#include "trust/aliasdecisions.h"
#include "trust/approvals.h"
#include "trust/auditlog.h"
#include "trust/chaingate.h"
#include "trust/reviewqueue.h"
#ifdef L0_STORE_PG
#include "pgserver.h"
#endif

using namespace l0;

namespace {
Candidate candidate(
    qint64 tenant, const QByteArray &key, const QString &text, const QString &query = QStringLiteral("q"))
{
    Candidate c;
    c.tenantId = tenant;
    c.cacheKey = key;
    c.model = QStringLiteral("gpt-4o-mini");
    c.query = query;
    c.requestJson = "{}";
    c.result.message
        = QJsonObject { { QStringLiteral("role"), QStringLiteral("assistant") }, { QStringLiteral("content"), text } };
    c.result.usage = { 10, 20 };
    c.result.modelUsed = QStringLiteral("gpt-4o-mini");
    c.author = QStringLiteral("upstream:test");
    return c;
}
} // namespace

// One conformance suite for both stores: compiled once for SQLite, once (L0_STORE_PG) for a
// real PostgreSQL started by the test.
class TestStoreConformance : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;
    QString m_url; // m_store's database
    ManualClock m_clock;
    int m_databases = 0;
#ifdef L0_STORE_PG
    PgServer m_pg;
#endif

    // A fresh, empty store for each test.
    QString freshUrl(const QString &name)
    {
#ifdef L0_STORE_PG
        QString error;
        const QString db = QStringLiteral("t%1_%2").arg(++m_databases).arg(name.toLower());
        if (!m_pg.createDatabase(db, &error))
            qFatal("%s", qPrintable(error));
        return m_pg.url(db);
#else
        return QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("%1-%2.sqlite").arg(++m_databases).arg(name));
#endif
    }

    // Reviewers ann and bob, registered under one admin key.
    struct Reviewers {
        std::optional<SigningKey> ann, bob;
        bool ok = false;
    };
    Reviewers annAndBob()
    {
        Reviewers r;
        auto admin = SigningKey::generate();
        auto ann = SigningKey::generate();
        auto bob = SigningKey::generate();
        if (!admin || !ann || !bob)
            return r;
        r.ok = registerReviewer(m_store->session(), QStringLiteral("ann"), *ann, *admin).ok()
            && registerReviewer(m_store->session(), QStringLiteral("bob"), *bob, *admin).ok();
        r.ann = std::move(ann.value());
        r.bob = std::move(bob.value());
        return r;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
#ifdef L0_STORE_PG
        QString error;
        QVERIFY2(m_pg.start(&error), qPrintable(error));
#endif
    }
    void init()
    {
        m_url = freshUrl(QLatin1String(QTest::currentTestFunction()));
        auto s = openStore(m_url);
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().message));
        m_store = std::move(s.value());
        QVERIFY(m_store->migrate().ok());
    }
    void cleanup()
    {
        m_store.reset();
    }

    void migrationIsIdempotentAndChecked()
    {
        QCOMPARE(m_store->schemaVersion().value(), Store::latestSchemaVersion());
        QVERIFY(m_store->migrate().ok());
        QVERIFY(m_store->checkSchema().ok());
        auto fresh = openStore(freshUrl(QStringLiteral("empty")));
        QVERIFY(fresh.ok());
        const Status s = (*fresh)->checkSchema();
        QVERIFY(!s.ok());
        QVERIFY(s.error().message.contains(QStringLiteral("l0ctl migrate")));
    }
    void badUrls()
    {
        QVERIFY(!openStore(QStringLiteral("mysql://x")).ok());
        QVERIFY(!openStore(QStringLiteral("sqlite:")).ok());
    }
    void splitsStatements()
    {
        const QStringList s
            = splitSqlStatements(QStringLiteral("-- c\nCREATE TABLE a (x INT);\nCREATE TRIGGER t AFTER INSERT ON a "
                                                "BEGIN\n  SELECT 1;\nEND;\nINSERT INTO a VALUES (1);\n"));
        QCOMPARE(s.size(), 3);
        QVERIFY(s.at(1).contains(QStringLiteral("SELECT 1;")));
    }
    void tenantsAndKeys()
    {
        auto t = m_store->addTenant(QStringLiteral("acme"), Policy::AutoLowRisk);
        QVERIFY(t.ok());
        QCOMPARE(m_store->addTenant(QStringLiteral("acme"), Policy::Approved).error().code, ErrorCode::AlreadyExists);
        QVERIFY(!m_store->addTenant(QString(), Policy::Approved).ok());
        QCOMPARE(m_store->tenantByName(QStringLiteral("acme"))->policy, Policy::AutoLowRisk);
        QVERIFY(m_store->setTenantPolicy(QStringLiteral("acme"), Policy::Shadow).ok());
        QCOMPARE(m_store->tenantByName(QStringLiteral("acme"))->policy, Policy::Shadow);
        QCOMPARE(m_store->issueKey(QStringLiteral("nobody")).error().code, ErrorCode::NotFound);
        auto k1 = m_store->issueKey(QStringLiteral("acme"));
        auto k2 = m_store->issueKey(QStringLiteral("acme"));
        QVERIFY(k1.ok() && k2.ok());
        QVERIFY(k1->key != k2->key);
        QVERIFY(k1->key.size() > 30);
        auto keys = m_store->activeKeys();
        QCOMPARE(int(keys->size()), 2);
        for (const auto &k : *keys) {
            QCOMPARE(k.keyHash.size(), 32);
            QVERIFY(!k.keyHash.contains(k1->key.toUtf8())); // only the hash is stored
        }
    }
    void candidatesGatherUnderOneEntry()
    {
        const qint64 t = m_store->addTenant(QStringLiteral("acme"), Policy::Approved)->id;
        auto r1 = m_store->addCandidate(candidate(t, "k1", QStringLiteral("answer A")));
        QVERIFY(r1.ok());
        QVERIFY(r1->newVersion);
        QCOMPARE(r1->version, 1);
        auto again = m_store->addCandidate(candidate(t, "k1", QStringLiteral("answer A")));
        QCOMPARE(again->entryId, r1->entryId);
        QVERIFY(!again->newVersion); // identical answer: demand only
        auto alt = m_store->addCandidate(candidate(t, "k1", QStringLiteral("answer B")));
        QCOMPARE(alt->entryId, r1->entryId);
        QCOMPARE(alt->version, 2);
        auto q = m_store->queue(QueueFilter {});
        QCOMPARE(int(q->size()), 2);
        QCOMPARE(q->at(0).hits, 3);
        QCOMPARE(q->at(0).tenant, QStringLiteral("acme"));
        QCOMPARE(q->at(0).query, QStringLiteral("q"));

        // A rejected text does not come back to the queue when the upstream says it again; a
        // different answer does.
        QVERIFY(
            m_store->decide(r1->entryId, 1, VersionState::Rejected, QStringLiteral("ann"), QStringLiteral("other: no"))
                .ok());
        auto repeat = m_store->addCandidate(candidate(t, "k1", QStringLiteral("answer A")));
        QVERIFY(!repeat->newVersion);
        QCOMPARE(repeat->version, 1);
        auto fresh = m_store->addCandidate(candidate(t, "k1", QStringLiteral("answer C")));
        QVERIFY(fresh->newVersion);
        QCOMPARE(fresh->version, 3);
    }
    void decisionsAndChanges()
    {
        const qint64 t = m_store->addTenant(QStringLiteral("acme"), Policy::Approved)->id;
        const qint64 e = m_store->addCandidate(candidate(t, "k1", QStringLiteral("A")))->entryId;
        m_store->addCandidate(candidate(t, "k1", QStringLiteral("B"))).value();
        auto before = m_store->changesSince(0, 100);
        QCOMPARE(int(before->size()), 2);
        const qint64 seq = before->back().seq;

        QVERIFY(!m_store->decide(e, 1, VersionState::Rejected, QStringLiteral("r"), QString()).ok()); // reason required
        QCOMPARE(
            m_store->decide(e, 1, VersionState::Rejected, QStringLiteral("r"), QStringLiteral("wrong")).value(), 1);
        QCOMPARE(
            m_store->decide(e, 1, VersionState::Approved, QStringLiteral("r"), {}).error().code, ErrorCode::Conflict);
        QCOMPARE(m_store->decide(e, 0, VersionState::Approved, QStringLiteral("r"), {}).value(), 2); // newest waiting
        QCOMPARE(
            m_store->decide(e, 9, VersionState::Approved, QStringLiteral("r"), {}).error().code, ErrorCode::NotFound);

        auto after = m_store->changesSince(seq, 100);
        QCOMPARE(int(after->size()), 2);
        QCOMPARE(after->back().state, VersionState::Approved);
        QCOMPARE(after->back().result.text(), QStringLiteral("B"));
        QCOMPARE(after->back().cacheKey, QByteArray("k1"));

        // A new approval supersedes the old one.
        auto v3 = m_store->addCandidate(candidate(t, "k1", QStringLiteral("C")));
        QCOMPARE(v3->version, 3);
        m_store->decide(e, 3, VersionState::Approved, QStringLiteral("r"), {}).value();
        auto approved = m_store->queue(QueueFilter { VersionState::Approved, false, {}, 100 });
        QCOMPARE(int(approved->size()), 1);
        QCOMPARE(approved->at(0).version, 3);
        QCOMPARE(m_store->decide(e, 3, VersionState::Revoked, QStringLiteral("r"), {}).value(), 3);
    }
    void ledgerTotals()
    {
        const qint64 t1 = m_store->addTenant(QStringLiteral("a"), Policy::Approved)->id;
        const qint64 t2 = m_store->addTenant(QStringLiteral("b"), Policy::Shadow)->id;
        std::vector<CostEvent> ev;
        auto make = [](qint64 tenant, qint64 ts, Tier tier, std::optional<qint64> actual, std::optional<qint64> base,
                        bool shadow = false) {
            CostEvent e;
            e.tsMs = ts;
            e.tenantId = tenant;
            e.tier = tier;
            e.modelRequested = e.modelUsed = QStringLiteral("m");
            e.promptTokens = 10;
            e.completionTokens = 5;
            e.actualMicros = actual;
            e.baselineMicros = base;
            e.shadowHit = shadow;
            return e;
        };
        ev.push_back(make(t1, 1000, Tier::Upstream, 100, 100));
        ev.push_back(make(t1, 2000, Tier::Exact, 0, 100));
        ev.push_back(make(t1, 3000, Tier::Exact, 0, std::nullopt)); // unpriced
        ev.push_back(make(t2, 4000, Tier::Upstream, 70, 70, true));
        QVERIFY(m_store->appendLedger(ev).ok());
        auto all = m_store->ledgerTotals({});
        QCOMPARE(all->requests, 4);
        QCOMPARE(all->hits, 2);
        QCOMPARE(all->upstream, 2);
        QCOMPARE(all->actualMicros, 170);
        QCOMPARE(all->baselineMicros, 270);
        QCOMPARE(all->savedMicros, 100);
        QCOMPARE(all->unpricedRequests, 1);
        QCOMPARE(all->shadowHits, 1);
        QCOMPARE(all->shadowWouldSaveMicros, 70);
        QCOMPARE(all->requestsByTier.value(QStringLiteral("exact")), 2);
        auto a = m_store->ledgerTotals(LedgerFilter { 1500, 3500, QStringLiteral("a") });
        QCOMPARE(a->requests, 2);
        QCOMPARE(a->savedMicros, 100);
        auto none = m_store->ledgerTotals(LedgerFilter { std::nullopt, std::nullopt, QStringLiteral("zzz") });
        QCOMPARE(none->requests, 0);
    }
    // Route policies are the tenant's; routed events keep their strategy, and the routing report
    // counts them apart from the cache's hits.
    void routePoliciesAndRoutedEvents()
    {
        const qint64 t = m_store->addTenant(QStringLiteral("routed"), Policy::Approved)->id;
        RoutePolicy p;
        p.model = QString(kAutoModel);
        p.candidates = { QStringLiteral("gpt-4o-mini"), QStringLiteral("gpt-4o") };
        p.strategy = RouteStrategy::Cascade;
        p.qualityTarget = 0.9;
        QVERIFY(setTenantRoutePolicies(m_store->session(), QStringLiteral("routed"), { p }).ok());
        QCOMPARE(setTenantRoutePolicies(m_store->session(), QStringLiteral("nobody"), { p }).error().code,
            ErrorCode::NotFound);
        const auto read = routePoliciesFromJson(m_store->tenantByName(QStringLiteral("routed"))->routePolicies);
        QVERIFY(read.ok());
        QCOMPARE(*read, QList<RoutePolicy> { p });
        bool listed = false;
        const auto all = m_store->tenants();
        for (const Tenant &x : *all)
            listed = listed || (x.id == t && !x.routePolicies.isEmpty());
        QVERIFY(listed);

        std::vector<CostEvent> events(3);
        for (CostEvent &e : events) {
            e.tsMs = 7'200'000;
            e.tenantId = t;
            e.modelRequested = QString(kAutoModel);
            e.modelUsed = QStringLiteral("gpt-4o-mini");
            e.route = QStringLiteral("learned");
            e.actualMicros = 10;
            e.baselineMicros = 100;
        }
        events[1].route = QStringLiteral("cascade");
        events[1].modelUsed = QStringLiteral("gpt-4o");
        events[1].actualMicros = 110; // both calls of a rejected cascade
        events[2].tier = Tier::Exact; // a hit: the cache's saving, not routing's
        events[2].route.clear();
        events[2].actualMicros = 0;
        QVERIFY(m_store->appendLedger(events).ok());
        auto rows = m_store->session().query(
            QStringLiteral("SELECT route FROM ledger_events WHERE tenant_id = ? ORDER BY id"), { SqlSession::num(t) });
        QCOMPARE(rows->size(), size_t(3));
        QCOMPARE(rows->at(1).text(0), QStringLiteral("cascade"));
        RollupQuery q;
        q.fromMs = 0;
        q.toMs = 10'000'000;
        q.tenant = QStringLiteral("routed");
        const auto r = routingSavings(m_store->session(), q);
        QVERIFY(r.ok());
        QCOMPARE(r->routedRequests, 2);
        QCOMPARE(r->routingSavedMicros(), 90 - 10);
        QCOMPARE(r->savedByStrategy.value(QStringLiteral("cascade")), -10);
        QCOMPARE(r->requestedModels.value(QString(kAutoModel)), 2);
        QCOMPARE(r->usedModels.value(QStringLiteral("gpt-4o")), 1);
        QCOMPARE(r->cacheHits, 1);
        QCOMPARE(r->cacheSavedMicros, 100);
        QVERIFY(setTenantRoutePolicies(m_store->session(), QStringLiteral("routed"), {}).ok());
        QVERIFY(m_store->tenantByName(QStringLiteral("routed"))->routePolicies.isEmpty());
    }
    void hitFeesUsersAndFeedback()
    {
        const qint64 t = m_store->addTenant(QStringLiteral("fees"), Policy::Approved)->id;
        const qint64 other = m_store->addTenant(QStringLiteral("other"), Policy::Approved)->id;
        QVERIFY(setTenantHitFee(m_store->session(), QStringLiteral("fees"), 100).ok());
        QVERIFY(!setTenantHitFee(m_store->session(), QStringLiteral("fees"), -1).ok());
        QCOMPARE(setTenantHitFee(m_store->session(), QStringLiteral("nobody"), 1).error().code, ErrorCode::NotFound);
        QCOMPARE(m_store->tenantByName(QStringLiteral("fees"))->hitFeeMicros, 100);
        QCOMPARE(m_store->tenantByName(QStringLiteral("other"))->hitFeeMicros, 0);

        CostEvent e;
        e.uid = QStringLiteral("fee-1");
        e.tsMs = 5000;
        e.tenantId = t;
        e.tier = Tier::Exact;
        e.modelRequested = e.modelUsed = QStringLiteral("m");
        e.actualMicros = 0;
        e.baselineMicros = 400;
        e.feeMicros = 100;
        e.user = QStringLiteral("alice");
        QVERIFY(m_store->appendLedger({ e }).ok());
        auto rows = m_store->session().query(
            QStringLiteral("SELECT fee_micros, end_user FROM ledger_events WHERE event_uid = ?"),
            { SqlSession::str(e.uid) });
        QVERIFY(rows.ok());
        QCOMPARE(rows->size(), size_t(1));
        QCOMPARE(rows->at(0).int64(0), 100);
        QCOMPARE(rows->at(0).text(1), QStringLiteral("alice"));

        const qint64 entry
            = m_store->addCandidate(candidate(t, "fb", QStringLiteral("an answer"), QStringLiteral("where?")))->entryId;
        Feedback f;
        f.uid = QStringLiteral("fb-1");
        f.tenantId = t;
        f.entryId = entry;
        f.version = 1;
        f.rating = -1;
        f.reason = QStringLiteral("out of date");
        f.user = QStringLiteral("alice");
        f.createdMs = 7000;
        QVERIFY(m_store->addFeedback(f).ok());
        QVERIFY(m_store->addFeedback(f).ok()); // a replay of the same uid counts once
        f.uid = QStringLiteral("fb-2");
        f.rating = 1;
        f.reason.clear();
        f.createdMs = 8000;
        QVERIFY(m_store->addFeedback(f).ok());
        Feedback foreign = f;
        foreign.uid = QStringLiteral("fb-3");
        foreign.tenantId = other; // not this tenant's entry
        QCOMPARE(m_store->addFeedback(foreign).error().code, ErrorCode::NotFound);
        Feedback bad = f;
        bad.uid = QStringLiteral("fb-4");
        bad.rating = 5;
        QCOMPARE(m_store->addFeedback(bad).error().code, ErrorCode::InvalidArgument);

        auto summary = m_store->feedbackSummary(QString(), 0);
        QVERIFY(summary.ok());
        QCOMPARE(summary->size(), size_t(1));
        const FeedbackSummary &s = summary->at(0);
        QCOMPARE(s.entryId, entry);
        QCOMPARE(s.version, 1);
        QCOMPARE(s.tenant, QStringLiteral("fees"));
        QCOMPARE(s.query, QStringLiteral("where?"));
        QCOMPARE(s.up, 1);
        QCOMPARE(s.down, 1);
        QCOMPARE(s.lastMs, 8000);
        QCOMPARE(s.lastReason, QStringLiteral("out of date"));
        QCOMPARE(m_store->feedbackSummary(QStringLiteral("other"), 0)->size(), size_t(0));
        QCOMPARE(m_store->feedbackSummary(QString(), entry + 1)->size(), size_t(0));
    }
    void entryVectorsKeepVersionAndModel()
    {
        auto t = m_store->addTenant(QStringLiteral("vec"), Policy::Approved);
        QVERIFY(t.ok());
        Candidate c = candidate(t->id, "k1", QStringLiteral("answer"));
        c.ns = QStringLiteral("support");
        c.requestJson = "{\"messages\":[{\"content\":\"reset my password\",\"role\":\"user\"}]}";
        const auto r = m_store->addCandidate(c);
        QVERIFY(r.ok());
        const qint64 e = r->entryId;
        SqlSession &s = m_store->session();
        const QVector<float> a { 0.5f, -0.25f, 1e-7f, 3.0f };
        const QVector<float> b { 1, 0 };
        QVERIFY(saveEntryVectors(s,
            { StoredVector { e, 1, QStringLiteral("m-a"), "h1", a },
                StoredVector { e, 2, QStringLiteral("m-a"), "h2", a },
                StoredVector { e, 1, QStringLiteral("m-b"), "h1", b } },
            1000)
                    .ok());
        auto got = entryVectors(s, QStringLiteral("m-a"), { { e, 1 } });
        QVERIFY(got.ok());
        QCOMPARE(int(got->size()), 1); // version 2 was not asked for
        QCOMPARE(got->at(0).vector, a); // bit for bit
        QCOMPARE(got->at(0).textSha256, QByteArray("h1"));
        QCOMPARE(entryVectors(s, QStringLiteral("m-b"), { { e, 1 }, { e, 2 } })->at(0).vector, b);
        QCOMPARE(int(entryVectors(s, QStringLiteral("m-c"), { { e, 1 } })->size()), 0);
        QCOMPARE(countEntryVectors(s, QStringLiteral("m-a")).value(), qint64(2));
        // Saving again replaces.
        QVERIFY(saveEntryVectors(s, { StoredVector { e, 1, QStringLiteral("m-a"), "h9", b } }, 2000).ok());
        got = entryVectors(s, QStringLiteral("m-a"), { { e, 1 } });
        QCOMPARE(got->at(0).vector, b);
        QCOMPARE(got->at(0).textSha256, QByteArray("h9"));
        QCOMPARE(countEntryVectors(s, QStringLiteral("m-a")).value(), qint64(2));
        QVERIFY(!saveEntryVectors(s, { StoredVector { e, 3, QStringLiteral("m-a"), "h", {} } }, 1).ok());

        auto req = entryRequests(s, { e, e + 1000 });
        QVERIFY(req.ok());
        QCOMPARE(req->size(), 1);
        QCOMPARE(req->value(e).tenantId, t->id);
        QCOMPARE(req->value(e).ns, QStringLiteral("support"));
        QCOMPARE(req->value(e).tier, QStringLiteral("exact"));
        QCOMPARE(req->value(e).cacheKey, QByteArray("k1"));
        QCOMPARE(req->value(e).requestJson, c.requestJson);

        // A vector that does not decode is Corruption, never a wrong vector.
        QVERIFY(s.execute(QStringLiteral("UPDATE entry_vectors SET vector = 'AAAA' WHERE model = 'm-b'")).ok());
        QCOMPARE(entryVectors(s, QStringLiteral("m-b"), { { e, 1 } }).error().code, ErrorCode::Corruption);
        QCOMPARE(deleteEntryVectors(s, e).value(), 3);
        QCOMPARE(countEntryVectors(s, QStringLiteral("m-a")).value(), qint64(0));
    }
    void survivesReopen()
    {
        const QString url = freshUrl(QStringLiteral("reopen"));
        {
            auto s = openStore(url);
            QVERIFY((*s)->migrate().ok());
            QVERIFY((*s)->addTenant(QStringLiteral("x"), Policy::Approved).ok());
        }
        auto s = openStore(url);
        QVERIFY(s.ok());
        QCOMPARE((*s)->tenantByName(QStringLiteral("x"))->name, QStringLiteral("x"));
    }
    // Alias proposals (migration 0020): deduplicated per tenant, query key and entry; a signed
    // yes makes the key an alias, a signed no is recorded and keeps the proposal from coming back;
    // both are in the audit chain, and a decision nobody signed does not verify.
    void aliasProposalsAndSignedDecisions()
    {
        SqlSession &s = m_store->session();
        auto admin = SigningKey::generate();
        auto ann = SigningKey::generate();
        auto bob = SigningKey::generate();
        auto stranger = SigningKey::generate();
        QVERIFY(registerReviewer(s, QStringLiteral("ann"), *ann, *admin).ok());
        QVERIFY(registerReviewer(s, QStringLiteral("bob"), *bob, *admin).ok());
        const qint64 t = m_store->addTenant(QStringLiteral("acme"), Policy::Approved)->id;
        const qint64 other = m_store->addTenant(QStringLiteral("globex"), Policy::Approved)->id;
        const qint64 e1 = m_store
                              ->addCandidate(candidate(t, sha256Hex("e1"), QStringLiteral("Reset it under Settings."),
                                  QStringLiteral("how do I reset my password")))
                              ->entryId;
        const qint64 e2 = m_store
                              ->addCandidate(candidate(t, sha256Hex("e2"), QStringLiteral("We ship in 3 days."),
                                  QStringLiteral("how long does shipping take")))
                              ->entryId;
        const qint64 pending
            = m_store->addCandidate(candidate(t, sha256Hex("e3"), QStringLiteral("not yet approved")))->entryId;
        QVERIFY(decideSigned(s, e1, 0, true, *ann, {}, 1000).ok());
        QVERIFY(decideSigned(s, e2, 0, true, *ann, {}, 1000).ok());

        const auto proposal = [&](qint64 entry, const QByteArray &key, double similarity, const QString &uid = {}) {
            AliasProposal p;
            p.tenantId = t;
            p.entryId = entry;
            p.version = 1;
            p.queryKey = key;
            p.query = QStringLiteral("I forgot my password, how can I reset it?");
            p.requestJson = "{\"messages\":[]}";
            p.similarity = similarity;
            p.createdMs = 2000;
            p.uid = uid;
            return addAliasProposal(s, p);
        };
        const QByteArray k1 = sha256Hex("forgot password");
        const QByteArray k2 = sha256Hex("shipping time?");
        auto first = proposal(e1, k1, 0.81);
        QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error().message));
        QVERIFY(first->newProposal);
        QCOMPARE(first->state, QStringLiteral("pending"));
        // The same near miss again counts; it is one proposal.
        auto again = proposal(e1, k1, 0.84);
        QCOMPARE(again->proposalId, first->proposalId);
        QVERIFY(!again->newProposal);
        // A journal replay of one uid counts once.
        QVERIFY(proposal(e1, k1, 0.84, QStringLiteral("node-1")).ok());
        QCOMPARE(proposal(e1, k1, 0.84, QStringLiteral("node-1"))->proposalId, 0);
        // The same query near another entry is another proposal.
        auto toE2 = proposal(e2, k1, 0.70);
        QVERIFY(toE2->newProposal);
        QVERIFY(toE2->proposalId != first->proposalId);
        auto shipping = proposal(e2, k2, 0.90);
        QVERIFY(shipping->newProposal);
        QCOMPARE(proposal(e1, "not hex!", 0.9).error().code, ErrorCode::InvalidArgument);
        QCOMPARE(proposal(999999, k1, 0.9).error().code, ErrorCode::NotFound);
        {
            AliasProposal foreign;
            foreign.tenantId = other;
            foreign.entryId = e1; // acme's entry
            foreign.queryKey = k1;
            QCOMPARE(addAliasProposal(s, foreign).error().code, ErrorCode::NotFound);
        }
        // The entry's own key is no alias: nothing filed.
        QCOMPARE(proposal(e1, sha256Hex("e1"), 0.99)->proposalId, 0);
        // What the node journals while the database is away comes back whole (and only as that).
        {
            AliasProposal j;
            j.uid = QStringLiteral("node-7");
            j.tenantId = t;
            j.ns = QStringLiteral("support");
            j.entryId = e2;
            j.version = 3;
            j.queryKey = k2;
            j.query = QStringLiteral("when does it ship?\tsoon");
            j.requestJson = "{\"a\":1}";
            j.similarity = 0.8125;
            j.createdMs = 4242;
            AliasProposal back;
            QVERIFY(journalAliasProposal(aliasProposalToJournal(j), &back));
            QCOMPARE(back.uid, j.uid);
            QCOMPARE(back.tenantId, j.tenantId);
            QCOMPARE(back.ns, j.ns);
            QCOMPARE(back.entryId, j.entryId);
            QCOMPARE(back.version, j.version);
            QCOMPARE(back.queryKey, j.queryKey);
            QCOMPARE(back.query, j.query);
            QCOMPARE(back.requestJson, j.requestJson);
            QCOMPARE(back.similarity, j.similarity);
            QCOMPARE(back.createdMs, j.createdMs);
            QVERIFY(!journalAliasProposal("{\"type\":\"feedback\",\"uid\":\"x\"}", &back));
        }

        auto waiting = aliasProposals(s, AliasFilter {});
        QVERIFY(waiting.ok());
        QCOMPARE(int(waiting->size()), 3);
        QCOMPARE(waiting->front().id, first->proposalId); // most seen first
        QCOMPARE(waiting->front().seen, 3);
        QVERIFY(std::abs(waiting->front().similarity - 0.84) < 1e-6); // the latest measurement
        QCOMPARE(waiting->front().entryQuery, QStringLiteral("how do I reset my password"));
        QCOMPARE(waiting->front().entryAnswer, QStringLiteral("Reset it under Settings."));
        QCOMPARE(waiting->front().entryApprovedVersion, 1);
        QCOMPARE(waiting->front().tenant, QStringLiteral("acme"));
        QCOMPARE(countAliasProposals(s, QStringLiteral("pending")).value(), 3);
        QCOMPARE(int(aliasDecisionsSince(s, 0, 100)->size()), 0);

        // Decisions are signed by a registered reviewer.
        QCOMPARE(decideAliasSigned(s, first->proposalId, true, *stranger, {}, 3000).error().code,
            ErrorCode::PermissionDenied);
        auto yes = decideAliasSigned(s, first->proposalId, true, *bob, {}, 3000);
        QVERIFY2(yes.ok(), qPrintable(yes.ok() ? QString() : yes.error().message));
        QCOMPARE(yes->state, QStringLiteral("confirmed"));
        QCOMPARE(yes->decidedBy, QStringLiteral("bob"));
        QVERIFY(yes->seq > 0);
        QCOMPARE(decideAliasSigned(s, first->proposalId, false, *ann, {}, 3001).error().code, ErrorCode::Conflict);
        // One alias per key: the same query cannot also be entry 2.
        QCOMPARE(decideAliasSigned(s, toE2->proposalId, true, *ann, {}, 3002).error().code, ErrorCode::Conflict);
        auto no = decideAliasSigned(s, toE2->proposalId, false, *ann, {}, 3003);
        QVERIFY(no.ok());
        QCOMPARE(no->state, QStringLiteral("rejected"));
        QCOMPARE(no->reason, QStringLiteral("not the same question"));
        // A no keeps the proposal from coming back: counted, still rejected, not waiting.
        auto back = proposal(e2, k1, 0.75);
        QCOMPARE(back->proposalId, toE2->proposalId);
        QCOMPARE(back->state, QStringLiteral("rejected"));
        QCOMPARE(countAliasProposals(s, QStringLiteral("pending")).value(), 1);
        // Nothing to alias to an entry that serves nothing.
        AliasProposal toPending;
        toPending.tenantId = t;
        toPending.entryId = pending;
        toPending.queryKey = sha256Hex("pending?");
        auto unapproved = addAliasProposal(s, toPending);
        QCOMPARE(decideAliasSigned(s, unapproved->proposalId, true, *ann, {}, 3004).error().code, ErrorCode::Conflict);

        // Nodes follow the decisions in order.
        auto decided = aliasDecisionsSince(s, 0, 100);
        QCOMPARE(int(decided->size()), 2);
        QCOMPARE(decided->at(0).id, first->proposalId);
        QVERIFY(decided->at(0).confirmed());
        QCOMPARE(decided->at(1).id, toE2->proposalId);
        QCOMPARE(int(aliasDecisionsSince(s, decided->at(1).seq, 100)->size()), 0);

        // Signed, registered by the pinned admin, and in the audit chain.
        const std::vector<std::shared_ptr<SigningKey>> pins { std::make_shared<SigningKey>(
            SigningKey::fromPublicPem(admin->publicPem()).value()) };
        auto reviewers = listReviewers(s).value();
        QString why;
        QVERIFY2(aliasDecisionVerifies(decided->at(0), reviewers, pins, &why), qPrintable(why));
        QVERIFY(aliasDecisionVerifies(decided->at(1), reviewers, pins, &why));
        auto otherAdmin = SigningKey::generate();
        QVERIFY(!aliasDecisionVerifies(
            decided->at(0), reviewers, { std::make_shared<SigningKey>(std::move(otherAdmin.value())) }, &why));
        auto audit = verifyAudit(s);
        QVERIFY(audit.ok());
        QVERIFY2(audit->ok, qPrintable(audit->reason));
        ChainState chain;
        QVERIFY(chain.advance(s).ok());
        QVERIFY(chain.alias(first->proposalId));
        QCOMPARE(chain.alias(first->proposalId)->decision, QStringLiteral("confirm"));
        QCOMPARE(chain.alias(toE2->proposalId)->decision, QStringLiteral("reject"));
        QVERIFY(!chain.alias(shipping->proposalId));

        // Someone with write access to the database alone: the alias pointed at another entry, and
        // a proposal marked confirmed that nobody signed. The audit refuses both.
        QVERIFY(s.execute(QStringLiteral("UPDATE alias_proposals SET entry_id = ? WHERE id = ?"),
                     { SqlSession::num(pending), SqlSession::num(first->proposalId) })
                    .ok());
        QVERIFY(s.execute(QStringLiteral("UPDATE alias_proposals SET state = 'confirmed', decided_by = 'bob', "
                                         "seq = 99999 WHERE id = ?"),
                     { SqlSession::num(shipping->proposalId) })
                    .ok());
        auto tampered = verifyAudit(s);
        QVERIFY(tampered.ok());
        QVERIFY(!tampered->ok);
        int aliasDifferences = 0;
        for (const StateDifference &d : tampered->differences) {
            if (d.kind == StateDifference::Kind::AliasDecision) {
                ++aliasDifferences;
                QVERIFY(!d.restorable());
                QVERIFY(d.rowId == first->proposalId || d.rowId == shipping->proposalId);
            }
        }
        QCOMPARE(aliasDifferences, 2);
        auto forged = aliasProposal(s, first->proposalId).value();
        QVERIFY(!aliasDecisionVerifies(forged, reviewers, pins, &why)); // signed for another entry
        ChainGate gate;
        QVERIFY(gate.advance(s).ok());
        QVERIFY(!gate.admitAlias(forged));
        QVERIFY(!gate.admitAlias(aliasProposal(s, shipping->proposalId).value()));
        QVERIFY(gate.admitAlias(aliasProposal(s, toE2->proposalId).value()));
    }
    void signedApprovalsAndAuditChain()
    {
        SqlSession &s = m_store->session();
        auto admin = SigningKey::generate();
        auto ann = SigningKey::generate();
        auto bob = SigningKey::generate();
        auto stranger = SigningKey::generate();
        QVERIFY(registerReviewer(s, QStringLiteral("ann"), *ann, *admin).ok());
        QVERIFY(registerReviewer(s, QStringLiteral("bob"), *bob, *admin).ok());
        QCOMPARE(registerReviewer(s, QStringLiteral("ann"), *stranger, *admin).error().code, ErrorCode::AlreadyExists);
        QCOMPARE(int(listReviewers(s)->size()), 2);

        const qint64 t = m_store->addTenant(QStringLiteral("acme"), Policy::Approved)->id;
        Candidate low = candidate(t, "low", QStringLiteral("a low-risk answer"));
        Candidate high = candidate(t, "high", QStringLiteral("a high-risk answer"));
        high.risk = QStringLiteral("high");
        Candidate own = candidate(t, "own", QStringLiteral("ann wrote this"));
        own.author = QStringLiteral("ann");
        const qint64 eLow = m_store->addCandidate(low)->entryId;
        const qint64 eHigh = m_store->addCandidate(high)->entryId;
        const qint64 eOwn = m_store->addCandidate(own)->entryId;

        QCOMPARE(decideSigned(s, eLow, 0, true, *stranger, {}, 1000).error().code, ErrorCode::PermissionDenied);
        auto one = decideSigned(s, eLow, 0, true, *ann, {}, 1000);
        QVERIFY2(one.ok(), qPrintable(one.ok() ? QString() : one.error().message));
        QCOMPARE(one->state, VersionState::Approved);

        auto first = decideSigned(s, eHigh, 1, true, *ann, {}, 1001);
        QCOMPARE(first->state, VersionState::NeedsSecond);
        QCOMPARE(first->required, 2);
        QCOMPARE(decideSigned(s, eHigh, 1, true, *ann, {}, 1002).error().code, ErrorCode::Conflict); // not twice
        auto second = decideSigned(s, eHigh, 1, true, *bob, {}, 1003);
        QCOMPARE(second->state, VersionState::Approved);
        QCOMPARE(second->approvals, 2);

        QCOMPARE(
            decideSigned(s, eOwn, 1, true, *ann, {}, 1004).error().code, ErrorCode::PermissionDenied); // own version
        QCOMPARE(
            decideSigned(s, eOwn, 1, false, *bob, {}, 1005).error().code, ErrorCode::InvalidArgument); // reason needed
        QCOMPARE(decideSigned(s, eOwn, 1, false, *bob, QStringLiteral("wrong"), 1005)->state, VersionState::Rejected);

        // Approvals verify against the pinned admin key, and only against it.
        auto approvals = approvalsFor(s, eHigh, 1);
        QCOMPARE(int(approvals->size()), 2);
        auto content = s.query(QStringLiteral("SELECT content FROM versions WHERE entry_id = ? AND version = 1"),
            { SqlSession::num(eHigh) });
        const QByteArray stored = content->at(0).bytes(0);
        std::vector<std::shared_ptr<SigningKey>> pins { std::make_shared<SigningKey>(std::move(admin.value())) };
        QString why;
        QVERIFY2(approvalsVerify(stored, QStringLiteral("high"), QStringLiteral("upstream:test"), *approvals,
                     *listReviewers(s), pins, &why),
            qPrintable(why));
        QVERIFY(!approvalsVerify(stored + " ", QStringLiteral("high"), QStringLiteral("upstream:test"), *approvals,
            *listReviewers(s), pins, &why));
        std::vector<std::shared_ptr<SigningKey>> otherPins { std::make_shared<SigningKey>(
            std::move(SigningKey::generate().value())) };
        QVERIFY(!approvalsVerify(stored, QStringLiteral("high"), QStringLiteral("upstream:test"), *approvals,
            *listReviewers(s), otherPins, &why));
        std::vector<ApprovalRecord> onlyOne { approvals->at(0) };
        QVERIFY(!approvalsVerify(
            stored, QStringLiteral("high"), QStringLiteral("upstream:test"), onlyOne, *listReviewers(s), pins, &why));

        // The chain verifies; changing content or an approval with plain SQL is found.
        auto report = verifyAudit(s);
        QVERIFY2(report->ok, qPrintable(report->reason));
        QVERIFY(report->rows >= 9);
        QVERIFY(s.query(QStringLiteral("UPDATE versions SET content = ? WHERE entry_id = ?"),
                     { SqlSession::str(QStringLiteral("{\"message\":{}}")), SqlSession::num(eLow) })
                    .ok());
        report = verifyAudit(s);
        QVERIFY(!report->ok);
        QVERIFY2(report->reason.contains(QStringLiteral("entry/%1@1").arg(eLow)), qPrintable(report->reason));
    }
    void withdrawnDecisionsUndoAndKeepTheRecord()
    {
        SqlSession &s = m_store->session();
        const Reviewers r = annAndBob();
        QVERIFY(r.ok);
        const SigningKey &ann = *r.ann, &bob = *r.bob;
        const qint64 t = m_store->addTenant(QStringLiteral("acme"), Policy::Approved)->id;
        auto stateOf = [&](qint64 e, int v) -> QString {
            auto r
                = s.query(QStringLiteral("SELECT state, decided_by FROM versions WHERE entry_id = ? AND version = ?"),
                    { SqlSession::num(e), SqlSession::num(v) });
            return r->at(0).text(0) + QLatin1Char('/') + r->at(0).text(1);
        };

        // High risk: ann's first approval, withdrawn, leaves the version pending; bob's veto,
        // withdrawn, leaves it as ann's approval made it.
        Candidate high = candidate(t, "high", QStringLiteral("card 4111 1111 1111 1111"));
        high.risk = QStringLiteral("high");
        const qint64 eh = m_store->addCandidate(high)->entryId;
        QCOMPARE(decideSigned(s, eh, 1, true, ann, {}, 1000)->state, VersionState::NeedsSecond);
        auto w = withdrawDecision(s, eh, 1, ann, 2000);
        QVERIFY2(w.ok(), qPrintable(w.ok() ? QString() : w.error().message));
        QCOMPARE(w->state, VersionState::Pending);
        QCOMPARE(w->approvals, 0);
        QCOMPARE(stateOf(eh, 1), QStringLiteral("pending/"));
        QVERIFY(approvalsFor(s, eh, 1)->empty());
        // Not twice, not someone else's, not for a stranger's key.
        QCOMPARE(withdrawDecision(s, eh, 1, ann, 2001).error().code, ErrorCode::NotFound);
        QCOMPARE(withdrawDecision(s, eh, 1, bob, 2001).error().code, ErrorCode::NotFound);
        QCOMPARE(withdrawDecision(s, eh, 1, *SigningKey::generate(), 2001).error().code, ErrorCode::PermissionDenied);
        // Deciding again after an undo works (the unique decision per reviewer is free again).
        QCOMPARE(decideSigned(s, eh, 1, true, ann, {}, 3000)->state, VersionState::NeedsSecond);
        QCOMPARE(
            decideSigned(s, eh, 1, false, bob, QStringLiteral("unsafe: card"), 3100)->state, VersionState::Rejected);
        w = withdrawDecision(s, eh, 1, bob, 3200);
        QCOMPARE(w->state, VersionState::NeedsSecond);
        QCOMPARE(w->approvals, 1);
        QCOMPARE(stateOf(eh, 1), QStringLiteral("needs_second/ann"));

        // Too late: the window is ten minutes.
        QCOMPARE(withdrawDecision(s, eh, 1, ann, 3000 + kUndoWindowMs + 1).error().code, ErrorCode::Conflict);

        // Low risk: v1 approved and live, v2 approved supersedes it; withdrawing v2's approval
        // brings v1 back, and nodes see both changes in order.
        const QByteArray key = "swap";
        const qint64 e = m_store->addCandidate(candidate(t, key, QStringLiteral("Ships in 3 days.")))->entryId;
        QCOMPARE(decideSigned(s, e, 1, true, ann, {}, 5000)->state, VersionState::Approved);
        QCOMPARE(m_store->addCandidate(candidate(t, key, QStringLiteral("Ships in 5 days.")))->version, 2);
        QCOMPARE(decideSigned(s, e, 2, true, ann, {}, 6000)->state, VersionState::Approved);
        QCOMPARE(stateOf(e, 1).section(QLatin1Char('/'), 0, 0), QStringLiteral("revoked"));
        qint64 seq = 0;
        const auto before = m_store->changesSince(0, 1000);
        for (const auto &c : *before)
            seq = std::max(seq, c.seq);
        w = withdrawDecision(s, e, 2, ann, 7000);
        QCOMPARE(w->state, VersionState::Pending);
        QCOMPARE(stateOf(e, 1), QStringLiteral("approved/ann"));
        auto changes = m_store->changesSince(seq, 100);
        QCOMPARE(int(changes->size()), 2);
        QCOMPARE(changes->at(0).version, 2);
        QCOMPARE(changes->at(0).state, VersionState::Pending);
        QCOMPARE(changes->at(1).version, 1);
        QCOMPARE(changes->at(1).state, VersionState::Approved);

        // The signed decision and its signed withdrawal are kept.
        auto kept = s.query(QStringLiteral("SELECT decision, reviewer, withdraw_signature FROM withdrawn_approvals "
                                           "WHERE entry_id = ? ORDER BY id"),
            { SqlSession::num(eh) });
        QCOMPARE(int(kept->size()), 2);
        QCOMPARE(kept->at(0).text(0), QStringLiteral("approve"));
        QCOMPARE(kept->at(1).text(0), QStringLiteral("reject"));
        QVERIFY(!kept->at(1).bytes(2).isEmpty());
        auto report = verifyAudit(s);
        QVERIFY2(report->ok, qPrintable(report->reason));
        // Putting a withdrawn decision back with plain SQL is found by the audit.
        QVERIFY(s.query(QStringLiteral("INSERT INTO approvals (entry_id, version, decision, reviewer, content_sha256, "
                                       "signed_ms, signature, reason) SELECT entry_id, version, decision, reviewer, "
                                       "content_sha256, signed_ms, signature, reason FROM withdrawn_approvals WHERE "
                                       "entry_id = ? AND decision = 'reject'"),
                     { SqlSession::num(eh) })
                    .ok());
        QVERIFY(!verifyAudit(s)->ok);

        // An edit is taken back by its author while nobody has decided on it.
        const qint64 ee = m_store->addCandidate(candidate(t, "edit", QStringLiteral("Ship in 3 days.")))->entryId;
        const int v2
            = editVersion(s, ee, 1, QStringLiteral("Ships in 3 to 5 days."), QStringLiteral("ann"), 8000).value();
        QCOMPARE(withdrawEdit(s, ee, v2, QStringLiteral("bob"), 8100).error().code, ErrorCode::PermissionDenied);
        QVERIFY(withdrawEdit(s, ee, v2, QStringLiteral("ann"), 8100).ok());
        QCOMPARE(stateOf(ee, v2).section(QLatin1Char('/'), 0, 0), QStringLiteral("revoked"));
        QCOMPARE(withdrawEdit(s, ee, v2, QStringLiteral("ann"), 8200).error().code, ErrorCode::Conflict);
    }
    void editsBecomeNewVersionsSomeoneElseApproves()
    {
        SqlSession &s = m_store->session();
        const Reviewers r = annAndBob();
        QVERIFY(r.ok);
        const SigningKey &ann = *r.ann, &bob = *r.bob;
        const qint64 t = m_store->addTenant(QStringLiteral("acme"), Policy::Approved)->id;
        const qint64 e = m_store->addCandidate(candidate(t, "edit", QStringLiteral("Ship in 3 days.")))->entryId;
        QCOMPARE(decideSigned(s, e, 1, true, bob, {}, 10)->state, VersionState::Approved);
        auto v2 = editVersion(s, e, 1, QStringLiteral("Ships in 3 to 5 business days."), QStringLiteral("ann"), 20);
        QCOMPARE(v2.value(), 2);
        QVERIFY(approvalsFor(s, e, 2)->empty()); // nothing carried over
        QCOMPARE(decideSigned(s, e, 2, true, ann, {}, 30).error().code, ErrorCode::PermissionDenied); // the editor
        auto ok = decideSigned(s, e, 2, true, bob, {}, 40);
        QCOMPARE(ok->state, VersionState::Approved);
        auto changes = m_store->changesSince(0, 100);
        QString served;
        for (const auto &c : *changes) {
            if (c.entryId == e && c.state == VersionState::Approved)
                served = c.result.text();
        }
        QCOMPARE(served, QStringLiteral("Ships in 3 to 5 business days."));
        QVERIFY(verifyAudit(s)->ok);
        QVERIFY(!editVersion(s, e, 9, QStringLiteral("x"), QStringLiteral("ann"), 50).ok());
    }
    void leasesKeepReviewersApart()
    {
        SqlSession &s = m_store->session();
        const qint64 t = m_store->addTenant(QStringLiteral("acme"), Policy::Approved)->id;
        for (int i = 0; i < 3; ++i) {
            Candidate c = candidate(t, "k" + QByteArray::number(i), QStringLiteral("answer %1").arg(i));
            m_store->addCandidate(c).value();
        }
        const qint64 now = 1'000'000;
        auto a = claimNext(s, QStringLiteral("ann"), 60'000, now);
        auto b = claimNext(s, QStringLiteral("bob"), 60'000, now);
        QVERIFY(a.ok() && b.ok() && a->has_value() && b->has_value());
        QVERIFY((*a)->entryId != (*b)->entryId);
        // Claiming again returns one's own item first, not a third one.
        QCOMPARE((*claimNext(s, QStringLiteral("ann"), 60'000, now + 10))->entryId, (*a)->entryId);
        QCOMPARE(claimItem(s, (*a)->entryId, (*a)->version, QStringLiteral("bob"), 60'000, now + 20).error().code,
            ErrorCode::Conflict);
        // Renewal extends; expiry frees it for others; release frees it at once.
        QCOMPARE(claimItem(s, (*a)->entryId, (*a)->version, QStringLiteral("ann"), 60'000, now + 50'000)->expiresMs,
            now + 110'000);
        QVERIFY(claimItem(s, (*a)->entryId, (*a)->version, QStringLiteral("bob"), 60'000, now + 110'001).ok());
        QVERIFY(releaseItem(s, (*a)->entryId, (*a)->version, QStringLiteral("bob")).ok());
        QVERIFY(claimItem(s, (*a)->entryId, (*a)->version, QStringLiteral("carl"), 60'000, now + 110'002).ok());
        // bob's first lease has run out: that item and the third one are free, then nothing is.
        QVERIFY(claimNext(s, QStringLiteral("dan"), 60'000, now + 110'003)->has_value());
        QVERIFY(claimNext(s, QStringLiteral("eve"), 60'000, now + 110'004)->has_value());
        QVERIFY(!claimNext(s, QStringLiteral("fay"), 60'000, now + 110'005)->has_value());
    }
    void queueFingerprintSeesEveryChangeButRenewals()
    {
        SqlSession &s = m_store->session();
        const qint64 t = m_store->addTenant(QStringLiteral("acme"), Policy::Approved)->id;
        QByteArray last = queueFingerprint(s).value();
        auto changed = [&] {
            const QByteArray now = queueFingerprint(s).value();
            const bool differs = now != last;
            last = now;
            return differs;
        };
        const qint64 e = m_store->addCandidate(candidate(t, "fp", QStringLiteral("one")))->entryId;
        QVERIFY(changed()); // a new candidate (also the first change of a fresh store)
        QVERIFY(claimItem(s, e, 1, QStringLiteral("ann"), 60'000, 1000).ok());
        QVERIFY(changed()); // a claim
        QVERIFY(claimItem(s, e, 1, QStringLiteral("ann"), 60'000, 2000).ok());
        QVERIFY(!changed()); // renewing one's own lease is no news
        QVERIFY(releaseItem(s, e, 1, QStringLiteral("ann")).ok());
        QVERIFY(changed());
        QVERIFY(m_store->decide(e, 1, VersionState::Approved, QStringLiteral("ann"), {}).ok());
        QVERIFY(changed()); // a decision
        QVERIFY(!changed());
    }
    void rejectionCodesAndTtl()
    {
        QVERIFY(!rejectionReason(QStringLiteral("because"), QStringLiteral("x")).ok());
        QCOMPARE(rejectionReason(QStringLiteral("outdated"), QStringLiteral("prices changed")).value(),
            QStringLiteral("outdated: prices changed"));
        SqlSession &s = m_store->session();
        const qint64 t = m_store->addTenant(QStringLiteral("acme"), Policy::Approved)->id;
        QVERIFY(setTenantTtl(s, QStringLiteral("acme"), 1000).ok());
        QCOMPARE(setTenantTtl(s, QStringLiteral("nobody"), 1000).error().code, ErrorCode::NotFound);
        const qint64 e = m_store->addCandidate(candidate(t, "ttl", QStringLiteral("short-lived")))->entryId;
        QVERIFY(m_store->decide(e, 0, VersionState::Approved, QStringLiteral("r"), {}).ok());
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QCOMPARE(expireDue(s, now - 10'000).value(), 0);
        QCOMPARE(expireDue(s, now + 60'000).value(), 1);
        auto expired = m_store->queue(QueueFilter { VersionState::Expired, false, {}, 10 });
        QCOMPARE(int(expired->size()), 1);
        QVERIFY(verifyAudit(s)->ok);
    }
    void auditChainFindsTheFirstBrokenRow()
    {
        SqlSession &s = m_store->session();
        for (int i = 0; i < 5; ++i)
            QVERIFY(appendAudit(s, QStringLiteral("tester"), QStringLiteral("note"), QStringLiteral("n/%1").arg(i),
                QJsonObject { { QStringLiteral("i"), i } })
                        .ok());
        QVERIFY(verifyAudit(s)->ok);
        QCOMPARE(verifyAudit(s)->rows, 5);
        auto ids = s.query(QStringLiteral("SELECT id FROM audit_log ORDER BY id"));
        const qint64 third = ids->at(2).int64(0);
        QVERIFY(
            s.query(QStringLiteral("UPDATE audit_log SET actor = 'mallory' WHERE id = ?"), { SqlSession::num(third) })
                .ok());
        auto report = verifyAudit(s);
        QVERIFY(!report->ok);
        QCOMPARE(report->brokenRow, third);
        // Deleting a row breaks the link of the next one.
        QVERIFY(
            s.query(QStringLiteral("UPDATE audit_log SET actor = 'tester' WHERE id = ?"), { SqlSession::num(third) })
                .ok());
        QVERIFY(verifyAudit(s)->ok);
        QVERIFY(s.query(QStringLiteral("DELETE FROM audit_log WHERE id = ?"), { SqlSession::num(third) }).ok());
        QCOMPARE(verifyAudit(s)->brokenRow, ids->at(3).int64(0));
    }
    void rulePacksVersionAndActivate()
    {
        m_store->addTenant(QStringLiteral("acme"), Policy::Approved).value();
        auto p1 = m_store->addRulePack(
            QStringLiteral("acme"), QStringLiteral("support"), 1, "{\"a\":1}", QStringLiteral("ann"));
        QVERIFY(p1.ok());
        QCOMPARE(m_store->addRulePack(QStringLiteral("acme"), QStringLiteral("support"), 1, "{}", QStringLiteral("ann"))
                     .error()
                     .code,
            ErrorCode::AlreadyExists);
        QCOMPARE(
            m_store->addRulePack(QStringLiteral("nobody"), QStringLiteral("support"), 1, "{}", QStringLiteral("ann"))
                .error()
                .code,
            ErrorCode::NotFound);
        auto p2 = m_store->addRulePack(
            QStringLiteral("acme"), QStringLiteral("support"), 2, "{\"a\":2}", QStringLiteral("ann"));
        QVERIFY(m_store->decideRulePack(p1->id, true, QStringLiteral("rev")).ok());
        QCOMPARE(m_store->decideRulePack(p1->id, true, QStringLiteral("rev")).error().code, ErrorCode::Conflict);
        const qint64 seq = m_store->rulePackChangesSince(0)->back().seq;
        QVERIFY(m_store->decideRulePack(p2->id, true, QStringLiteral("rev")).ok());
        auto changes = m_store->rulePackChangesSince(seq);
        QCOMPARE(int(changes->size()), 2);
        QCOMPARE(changes->at(0).state, QStringLiteral("retired"));
        QCOMPARE(changes->at(1).state, QStringLiteral("active"));
        QCOMPARE(changes->at(1).content, QByteArray("{\"a\":2}"));
        auto all = m_store->rulePacks(QStringLiteral("acme"));
        QCOMPARE(int(all->size()), 2);
        QCOMPARE(m_store->decideRulePack(999, true, QStringLiteral("rev")).error().code, ErrorCode::NotFound);
    }
    void journalReplayKeepsTheOriginalTimes()
    {
        // Both stores: what a replay files keeps the time it happened; only the record of the
        // replay itself is stamped with the time it was applied.
        m_clock.set(5'000'000);
        m_store->setClock(&m_clock);
        SqlSession &s = m_store->session();
        const qint64 t = m_store->addTenant(QStringLiteral("acme"), Policy::Approved)->id;
        Candidate c = candidate(t, "replayed", QStringLiteral("from the journal"));
        c.uid = QStringLiteral("node-a-1");
        c.createdMs = 1'000'000; // answered before the outage
        auto filed = m_store->addCandidate(c);
        QVERIFY(filed.ok() && filed->newVersion);
        auto q = m_store->queue(QueueFilter {});
        QCOMPARE(q->at(0).createdMs, 1'000'000);
        auto seen = s.query(QStringLiteral("SELECT seen_ms FROM entry_queries WHERE entry_id = ?"),
            { SqlSession::num(filed->entryId) });
        QCOMPARE(seen->at(0).int64(0), 1'000'000);
        auto applied = s.query(
            QStringLiteral("SELECT applied_ms FROM journal_applied WHERE uid = ?"), { SqlSession::str(c.uid) });
        QCOMPARE(int(applied->size()), 1);
        QCOMPARE(applied->at(0).int64(0), 5'000'000);
        // Applied once: the same record again changes nothing, not even the demand.
        m_clock.advance(1000);
        auto again = m_store->addCandidate(c);
        QVERIFY(again.ok());
        QCOMPARE(again->entryId, 0);
        QCOMPARE(m_store->queue(QueueFilter {})->at(0).hits, 1);
        // A live candidate, with no time of its own, gets the store's.
        m_store->addCandidate(candidate(t, "live", QStringLiteral("answered now"))).value();
        bool found = false;
        const auto items = m_store->queue(QueueFilter {});
        for (const QueueItem &it : *items) {
            if (it.createdMs == 5'001'000)
                found = true;
        }
        QVERIFY(found);

        // Ledger events keep their own time, replayed or not, and are applied once.
        CostEvent e;
        e.uid = QStringLiteral("node-a-2");
        e.tsMs = 1'000'500;
        e.tenantId = t;
        e.modelRequested = e.modelUsed = QStringLiteral("m");
        e.actualMicros = e.baselineMicros = 10;
        QVERIFY(m_store->appendLedger({ e }).ok());
        QVERIFY(m_store->appendLedger({ e }).ok());
        QCOMPARE(m_store->ledgerTotals({})->requests, 1);
        QCOMPARE(m_store->ledgerTotals(LedgerFilter { 1'000'000, 1'001'000, {} })->requests, 1);
    }
    void listenersLearnOfEveryChange()
    {
        // Another connection to the database listens, as a node or a console does. Where the
        // store pushes, every kind of write arrives as a notification; where it does not, the
        // cheap poll sees it.
        auto other = openStore(m_url);
        QVERIFY(other.ok());
        Store &listener = **other;
        QVERIFY(listener.listenForChanges().ok());
        if (m_store->kind() == QLatin1String("postgresql"))
            QVERIFY(listener.changeSocket() >= 0);
        QByteArray fingerprint = queueFingerprint(listener.session()).value();
        auto arrived = [&](int waitMs) {
            if (listener.changeSocket() < 0) {
                const QByteArray now = queueFingerprint(listener.session()).value();
                const bool changed = now != fingerprint;
                fingerprint = now;
                return changed;
            }
            for (int waited = 0; waited <= waitMs; waited += 100) {
                pollfd p { listener.changeSocket(), POLLIN, 0 };
                ::poll(&p, 1, 100);
                const int n = listener.takeNotifications();
                if (n != 0)
                    return n > 0;
            }
            return false;
        };
        constexpr int kPatienceMs = 10'000;
        SqlSession &s = m_store->session();
        const qint64 t = m_store->addTenant(QStringLiteral("acme"), Policy::Approved)->id;
        const qint64 e = m_store->addCandidate(candidate(t, "k", QStringLiteral("an answer")))->entryId;
        QVERIFY(arrived(kPatienceMs)); // a new candidate
        QVERIFY(claimItem(s, e, 1, QStringLiteral("ann"), 60'000, QDateTime::currentMSecsSinceEpoch()).ok());
        QVERIFY(arrived(kPatienceMs)); // a claim
        QVERIFY(releaseItem(s, e, 1, QStringLiteral("ann")).ok());
        QVERIFY(arrived(kPatienceMs));
        QVERIFY(m_store->decide(e, 1, VersionState::Approved, QStringLiteral("ann"), {}).ok());
        QVERIFY(arrived(kPatienceMs)); // a decision
        auto pack = m_store->addRulePack(QStringLiteral("acme"), QStringLiteral("p"), 1, "{}", QStringLiteral("ann"));
        QVERIFY(m_store->decideRulePack(pack->id, true, QStringLiteral("rev")).ok());
        QVERIFY(arrived(kPatienceMs)); // a rule pack
        QVERIFY(!arrived(200)); // and nothing when nothing changed
    }
    void leasesAndLifetimesRunOnTheStoreClock()
    {
        m_clock.set(10'000'000);
        m_store->setClock(&m_clock);
        SqlSession &s = m_store->session();
        const qint64 t = m_store->addTenant(QStringLiteral("acme"), Policy::Approved)->id;
        QVERIFY(setTenantTtl(s, QStringLiteral("acme"), 60'000).ok());
        const qint64 e = m_store->addCandidate(candidate(t, "lease", QStringLiteral("short-lived")))->entryId;
        QCOMPARE(claimItem(s, e, 1, QStringLiteral("ann"), 30'000, m_clock.nowMs())->expiresMs, 10'030'000);
        auto q = m_store->queue(QueueFilter {});
        QCOMPARE(q->at(0).claimedBy, QStringLiteral("ann"));
        QCOMPARE(q->at(0).claimExpiresMs, 10'030'000);
        m_clock.advance(30'001);
        QVERIFY(m_store->queue(QueueFilter {})->at(0).claimedBy.isEmpty()); // the lease ran out
        // Approval starts the tenant's lifetime on the store's clock; it ends on it too.
        QVERIFY(m_store->decide(e, 1, VersionState::Approved, QStringLiteral("bob"), {}).ok());
        auto changes = m_store->changesSince(0, 10);
        QCOMPARE(changes->back().expiresMs, 10'030'001 + 60'000);
        m_clock.advance(59'999);
        QCOMPARE(expireDue(s, m_clock.nowMs()).value(), 0);
        m_clock.advance(1);
        QCOMPARE(expireDue(s, m_clock.nowMs()).value(), 1);
        auto decided
            = s.query(QStringLiteral("SELECT decided_ms FROM versions WHERE entry_id = ?"), { SqlSession::num(e) });
        QCOMPARE(decided->at(0).int64(0), 10'030'001);
        auto stamped = s.query(QStringLiteral("SELECT MIN(ts_ms), MAX(ts_ms) FROM audit_log"));
        QCOMPARE(stamped->at(0).int64(0), 10'000'000);
        QCOMPARE(stamped->at(0).int64(1), 10'090'001);
        QVERIFY(verifyAudit(s)->ok);
    }
    // Experiments (migration 0018): the rules, the arm on each ledger event, and the report's
    // numbers from those events against a hand computation.
    void experiments()
    {
        m_clock.set(1'000'000);
        m_store->setClock(&m_clock);
        SqlSession &s = m_store->session();
        const qint64 t = m_store->addTenant(QStringLiteral("acme"), Policy::Approved)->id;
        m_store->addTenant(QStringLiteral("other"), Policy::Approved).value();
        auto arms = [](const QString &a, const QString &b, int wa) {
            return std::vector<ExperimentArm> { { QStringLiteral("A"), parseArmPolicy(a).value(), wa },
                { QStringLiteral("B"), parseArmPolicy(b).value(), 100 - wa } };
        };
        auto x = createExperiment(s, QStringLiteral("exp-1"), QStringLiteral("acme"),
            arms(QStringLiteral("route:fixed"), QStringLiteral("route:learned@0.9+cache:shadow"), 50),
            QStringLiteral("ops"));
        QVERIFY2(x.ok(), qPrintable(x.ok() ? QString() : x.error().message));
        QCOMPARE(createExperiment(s, QStringLiteral("exp-1"), QStringLiteral("other"),
                     arms(QStringLiteral("cache:shadow"), QStringLiteral("cache:approved"), 50), {})
                     .error()
                     .code,
            ErrorCode::AlreadyExists);
        QCOMPARE(createExperiment(s, QStringLiteral("exp-2"), QStringLiteral("acme"),
                     arms(QStringLiteral("cache:shadow"), QStringLiteral("cache:approved"), 50), {})
                     .error()
                     .code,
            ErrorCode::Conflict); // one running experiment per tenant
        QCOMPARE(createExperiment(s, QStringLiteral("exp-3"), QStringLiteral("nobody"),
                     arms(QStringLiteral("cache:shadow"), QStringLiteral("cache:approved"), 50), {})
                     .error()
                     .code,
            ErrorCode::NotFound);
        auto uneven = arms(QStringLiteral("cache:shadow"), QStringLiteral("cache:approved"), 50);
        uneven[1].weight = 40;
        QCOMPARE(createExperiment(s, QStringLiteral("exp-4"), QStringLiteral("other"), uneven, {}).error().code,
            ErrorCode::InvalidArgument);

        auto listed = listExperiments(s);
        QVERIFY(listed.ok());
        QCOMPARE(listed->size(), size_t(1));
        const Experiment &e1 = listed->front();
        QCOMPARE(e1.tenant, QStringLiteral("acme"));
        QCOMPARE(e1.tenantId, t);
        QCOMPARE(e1.createdMs, 1'000'000);
        QCOMPARE(e1.createdBy, QStringLiteral("ops"));
        QCOMPARE(e1.arms.size(), size_t(2));
        QCOMPARE(e1.arms[1].policy.text(), QStringLiteral("route:learned@0.9+cache:shadow"));
        QCOMPARE(e1.arms[1].weight, 50);
        QCOMPARE(runningExperiments(s)->size(), size_t(1));
        QVERIFY(listExperiments(s, QStringLiteral("other"))->empty());

        // Ledger events under each arm (and one outside the experiment).
        const qint64 entry
            = m_store->addCandidate(candidate(t, "exp", QStringLiteral("an answer"), QStringLiteral("q?")))->entryId;
        std::vector<CostEvent> events;
        auto event = [&](const QString &arm, Tier tier, std::optional<qint64> cost, qint64 latency, int status = 200,
                         const QString &user = QString()) {
            CostEvent e;
            e.uid = QStringLiteral("x-%1").arg(events.size());
            e.tsMs = 1'000'100 + qint64(events.size());
            e.tenantId = t;
            e.tier = tier;
            e.modelRequested = e.modelUsed = QStringLiteral("m");
            e.actualMicros = cost;
            e.baselineMicros = cost ? std::optional<qint64>(500) : std::nullopt;
            e.latencyMs = latency;
            e.status = status;
            e.user = user;
            e.entryId = tier == Tier::Upstream ? 0 : entry;
            e.experimentId = arm.isEmpty() ? 0 : x->id;
            e.arm = arm;
            events.push_back(e);
        };
        event(QStringLiteral("A"), Tier::Upstream, 100, 10);
        event(QStringLiteral("A"), Tier::Upstream, 300, 30);
        event(QStringLiteral("A"), Tier::Exact, 0, 2, 200, QStringLiteral("alice"));
        event(QStringLiteral("A"), Tier::Upstream, std::nullopt, 50);
        event(QStringLiteral("B"), Tier::Upstream, 200, 20);
        event(QStringLiteral("B"), Tier::Upstream, 400, 40);
        event(QStringLiteral("B"), Tier::Upstream, 0, 5, 502);
        event(QString(), Tier::Exact, 0, 1); // not in the experiment
        QVERIFY(m_store->appendLedger(events).ok());
        auto stored = s.query(QStringLiteral("SELECT experiment_id, arm FROM ledger_events WHERE event_uid = ?"),
            { SqlSession::str(QStringLiteral("x-4")) });
        QCOMPARE(stored->at(0).int64(0), x->id);
        QCOMPARE(stored->at(0).text(1), QStringLiteral("B"));

        auto feedback = [&](const QString &uid, const QString &user, int rating) {
            Feedback f;
            f.uid = uid;
            f.tenantId = t;
            f.entryId = entry;
            f.version = 1;
            f.rating = rating;
            f.user = user;
            f.createdMs = 1'000'200;
            QVERIFY(m_store->addFeedback(f).ok());
        };
        feedback(QStringLiteral("f1"), QStringLiteral("alice"), 1); // alice was served it under A
        feedback(QStringLiteral("f2"), QStringLiteral("bob"), -1); // bob was never served it in the experiment
        feedback(QStringLiteral("f3"), QString(), -1); // no user: the latest serving, A's

        auto report = loadExperimentReport(s, QStringLiteral("exp-1"));
        QVERIFY(report.ok());
        const ArmSamples &a = report->arms[0];
        const ArmSamples &b = report->arms[1];
        QCOMPARE(a.requests, 4);
        QCOMPARE(a.hits, 1);
        QCOMPARE(a.unpriced, 1);
        QCOMPARE(a.errors, 0);
        QCOMPARE(b.requests, 3);
        QCOMPARE(b.errors, 1);
        QCOMPARE(a.feedbackUp, 1);
        QCOMPARE(a.feedbackDown, 1);
        QCOMPARE(b.feedbackUp + b.feedbackDown, 0);
        QCOMPARE(report->feedbackUnattributed, 1);

        const QJsonObject j = experimentReportJson(*report);
        const QJsonObject ja = j.value(QStringLiteral("arms")).toArray().at(0).toObject();
        const QJsonObject jb = j.value(QStringLiteral("arms")).toArray().at(1).toObject();
        auto close
            = [](double got, double want) { return std::fabs(got - want) < 1e-6 * std::max(1.0, std::fabs(want)); };
        auto field = [](const QJsonObject &o, const char *path) {
            QJsonValue v = o;
            for (const QString &k : QString::fromLatin1(path).split(QLatin1Char('.')))
                v = v.toObject().value(k);
            return v.toDouble();
        };
        // By hand: A's priced costs 100, 300, 0 (the unpriced one left out); B's 200, 400, 0.
        QVERIFY(close(field(ja, "cost_per_request_micros.mean"), 400.0 / 3));
        QVERIFY(close(field(jb, "cost_per_request_micros.mean"), 200.0));
        QVERIFY(close(field(ja, "hit_rate.rate"), 0.25));
        // Latency of successful requests: A 2, 10, 30, 50 (p50 the 2nd, p95 the 4th); B 20, 40.
        QVERIFY(close(field(ja, "latency_ms.mean.mean"), 23.0));
        QVERIFY(close(field(ja, "latency_ms.p50.value"), 10.0));
        QVERIFY(close(field(ja, "latency_ms.p95.value"), 50.0));
        QVERIFY(close(field(jb, "latency_ms.mean.mean"), 30.0));
        QVERIFY(close(field(ja, "cache_feedback.good_rate.rate"), 0.5));
        // Welch: difference 66.667, t = 66.667 / sqrt(23333.3/3 + 40000/3) = 0.458831, df 3.740933.
        QVERIFY(close(field(jb, "versus.cost_per_request_micros.difference"), 200.0 / 3));
        QVERIFY(close(field(jb, "versus.cost_per_request_micros.statistic"), 0.4588314677411235));
        QVERIFY(close(field(jb, "versus.cost_per_request_micros.df"), 3.740932642487047));
        QVERIFY(close(field(jb, "versus.latency_ms.statistic"), 0.4766576055745744));
        // Hit rates 1/4 and 0/3, pooled 1/7: z = -0.935414, p = 0.349575.
        QVERIFY(close(field(jb, "versus.hit_rate.statistic"), -0.9354143466934853));
        QVERIFY(close(field(jb, "versus.hit_rate.p_value"), 0.3495748061232983));

        QVERIFY(stopExperiment(s, QStringLiteral("exp-1")).ok());
        QCOMPARE(stopExperiment(s, QStringLiteral("exp-1")).error().code, ErrorCode::Conflict);
        QCOMPARE(stopExperiment(s, QStringLiteral("nope")).error().code, ErrorCode::NotFound);
        QVERIFY(runningExperiments(s)->empty());
        QCOMPARE(experimentByName(s, QStringLiteral("exp-1"))->state, ExperimentState::Stopped);
        // Stopped, its tenant may run another (never under the same name).
        QVERIFY(createExperiment(s, QStringLiteral("exp-2"), QStringLiteral("acme"),
            arms(QStringLiteral("cache:shadow"), QStringLiteral("cache:approved"), 90), {})
                    .ok());
        QCOMPARE(runningExperiments(s)->front().arms[0].weight, 90);
    }

    // Scores for responses (POST /v1/feedback): the ledger event names the response id; one score
    // per tenant, response and end user, the latest replacing earlier ones (an older one arriving
    // late does not); only the tenant's own responses; the report credits each score to the arm
    // on the response's own ledger event (misses and hits alike) and compares arms by Welch's t.
    void responseFeedback()
    {
        SqlSession &s = m_store->session();
        const qint64 t = m_store->addTenant(QStringLiteral("acme"), Policy::Approved)->id;
        const qint64 other = m_store->addTenant(QStringLiteral("other"), Policy::Approved)->id;
        std::vector<ExperimentArm> arms { { QStringLiteral("A"),
                                              parseArmPolicy(QStringLiteral("cache:approved")).value(), 50 },
            { QStringLiteral("B"), parseArmPolicy(QStringLiteral("cache:shadow")).value(), 50 } };
        auto x = createExperiment(s, QStringLiteral("scores-1"), QStringLiteral("acme"), arms, {});
        QVERIFY(x.ok());
        std::vector<CostEvent> events;
        auto event = [&](qint64 tenant, const QString &arm, Tier tier, const QString &responseId) {
            CostEvent e;
            e.uid = QStringLiteral("r-%1").arg(events.size());
            e.tsMs = 2'000'000 + qint64(events.size());
            e.tenantId = tenant;
            e.tier = tier;
            e.modelRequested = e.modelUsed = QStringLiteral("m");
            e.actualMicros = 10;
            e.experimentId = arm.isEmpty() ? 0 : x->id;
            e.arm = arm;
            e.responseId = responseId;
            events.push_back(e);
        };
        event(t, QStringLiteral("A"), Tier::Upstream, QStringLiteral("chatcmpl-a1"));
        event(t, QStringLiteral("A"), Tier::Upstream, QStringLiteral("chatcmpl-a2"));
        event(t, QStringLiteral("B"), Tier::Upstream, QStringLiteral("msg_b1"));
        event(t, QStringLiteral("B"), Tier::Exact, QStringLiteral("resp_b2")); // a hit has an id too
        event(other, QString(), Tier::Upstream, QStringLiteral("chatcmpl-other"));
        QVERIFY(m_store->appendLedger(events).ok());
        auto stored = s.query(QStringLiteral("SELECT response_id FROM ledger_events WHERE event_uid = ?"),
            { SqlSession::str(QStringLiteral("r-3")) });
        QCOMPARE(stored->at(0).text(0), QStringLiteral("resp_b2"));

        // The journal's ledger record carries the id (appended last), and a record written before
        // it existed (one field fewer) still reads.
        const QByteArray record = ledgerToJournal(events[3]);
        Candidate c;
        CostEvent back;
        bool isCandidate = true;
        QVERIFY(journalRecord(record, &c, &back, &isCandidate));
        QCOMPARE(back.responseId, QStringLiteral("resp_b2"));
        QCOMPARE(back.arm, QStringLiteral("B"));
        CostEvent older;
        QVERIFY(journalRecord(record.left(record.lastIndexOf('\t')), &c, &older, &isCandidate));
        QVERIFY(older.responseId.isEmpty());
        QCOMPARE(older.arm, QStringLiteral("B"));

        auto score = [&](qint64 tenant, const QString &id, const QString &user, double value, qint64 at) {
            ResponseFeedback f;
            f.uid = QStringLiteral("%1-%2-%3").arg(id, user).arg(at);
            f.tenantId = tenant;
            f.responseId = id;
            f.user = user;
            f.scoreMicros = qRound64(value * 1e6);
            f.createdMs = at;
            return m_store->addResponseFeedback(f);
        };
        QVERIFY(score(t, QStringLiteral("chatcmpl-a1"), QStringLiteral("alice"), 0.2, 10).ok());
        QVERIFY(score(t, QStringLiteral("chatcmpl-a1"), QStringLiteral("alice"), 0.8, 20).ok()); // replaces 0.2
        QVERIFY(score(t, QStringLiteral("chatcmpl-a1"), QStringLiteral("alice"), 0.0, 5).ok()); // older: ignored
        QVERIFY(score(t, QStringLiteral("chatcmpl-a2"), QString(), 0.4, 30).ok());
        QVERIFY(score(t, QStringLiteral("msg_b1"), QStringLiteral("bob"), 1.0, 40).ok());
        QVERIFY(score(t, QStringLiteral("resp_b2"), QStringLiteral("bob"), 0.5, 50).ok());
        QCOMPARE(score(t, QStringLiteral("chatcmpl-other"), QString(), 1, 60).error().code, ErrorCode::NotFound);
        QCOMPARE(score(other, QStringLiteral("chatcmpl-a1"), QString(), 1, 60).error().code, ErrorCode::NotFound);
        QCOMPARE(score(t, QStringLiteral("chatcmpl-none"), QString(), 1, 60).error().code, ErrorCode::NotFound);
        QCOMPARE(score(t, QStringLiteral("msg_b1"), QString(), 1.5, 60).error().code, ErrorCode::InvalidArgument);
        auto rows = s.query(QStringLiteral("SELECT response_id, end_user, score_micros FROM response_feedback "
                                           "ORDER BY response_id, end_user"));
        QCOMPARE(rows->size(), size_t(4));
        QCOMPARE(rows->at(0).text(0), QStringLiteral("chatcmpl-a1"));
        QCOMPARE(rows->at(0).int64(2), 800000);

        auto report = loadExperimentReport(s, QStringLiteral("scores-1"));
        QVERIFY(report.ok());
        QCOMPARE(report->arms[0].scores.size(), size_t(2));
        QCOMPARE(report->arms[1].scores.size(), size_t(2));
        const QJsonObject j = experimentReportJson(*report);
        const QJsonObject ja = j.value(QStringLiteral("arms")).toArray().at(0).toObject();
        const QJsonObject jb = j.value(QStringLiteral("arms")).toArray().at(1).toObject();
        auto field = [](const QJsonObject &o, const char *path) {
            QJsonValue v = o;
            for (const QString &k : QString::fromLatin1(path).split(QLatin1Char('.')))
                v = v.toObject().value(k);
            return v.toDouble();
        };
        auto close = [](double got, double want) { return std::fabs(got - want) < 1e-6; };
        // By hand: A 0.8, 0.4 (mean 0.6, var 0.08); B 1.0, 0.5 (mean 0.75, var 0.125).
        QVERIFY(close(field(ja, "quality.mean"), 0.6));
        QVERIFY(close(field(jb, "quality.mean"), 0.75));
        QVERIFY(close(field(jb, "versus.quality.difference"), 0.15));
        QVERIFY(close(field(jb, "versus.quality.statistic"), 0.4685212856658179));
        QVERIFY(close(field(jb, "versus.quality.df"), 1.9080590238365494));
        QCOMPARE(jb.value(QStringLiteral("versus"))
                     .toObject()
                     .value(QStringLiteral("quality"))
                     .toObject()
                     .value(QStringLiteral("test"))
                     .toString(),
            QStringLiteral("welch_t"));
    }
};

QTEST_GUILESS_MAIN(TestStoreConformance)
#include "tst_storeconformance.moc"
