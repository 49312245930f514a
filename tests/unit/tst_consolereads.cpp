#include <QDateTime>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "ledger/pricetable.h"
#include "normalize/packreads.h"
#include "review/entryreads.h"
#include "review/queuereads.h"
#include "store/store.h"
#include "teststore.h"
#include "trust/auditlog.h"
#include "trust/auditreads.h"
#include "trust/loginroles.h"
#include "trust/reviewqueue.h"

using namespace l0;

// The reads the console makes through the engine, exactly, on SQLite and on PostgreSQL: lanes
// ranked by newest, risk and would-be savings; lane counts and the backlog; one entry's version,
// live answer, queries and history; the entry under an L0 key; the audit log's newest rows; a
// tenant's active rule pack; whether a login may review.
class TestConsoleReads : public QObject {
    Q_OBJECT
    TestStore m_db;
    std::unique_ptr<Store> m_store;
    qint64 m_tenant = 0;

    static constexpr qint64 kT0 = 1'780'000'000'000; // a fixed "now"

    // Files `demand` identical candidates (one version, that much demand) under `key`.
    CandidateReceipt add(const QByteArray &key, const QString &model, qint64 prompt, qint64 completion, int demand,
        const QString &risk, qint64 createdMs, const QString &answer = QString())
    {
        Candidate c;
        c.tenantId = m_tenant;
        c.cacheKey = key;
        c.model = model;
        c.query = QStringLiteral("question %1").arg(QString::fromLatin1(key));
        c.requestJson = "{}";
        c.result.message = QJsonObject { { QStringLiteral("role"), QStringLiteral("assistant") },
            { QStringLiteral("content"),
                answer.isEmpty() ? QStringLiteral("answer %1").arg(QLatin1String(key)) : answer } };
        c.result.usage = { prompt, completion };
        c.result.modelUsed = model;
        c.risk = risk;
        c.riskScanned = true;
        c.author = QStringLiteral("upstream:test");
        c.createdMs = createdMs;
        CandidateReceipt receipt;
        for (int i = 0; i < demand; ++i) {
            auto r = m_store->addCandidate(c);
            if (!r)
                qFatal("addCandidate: %s", qPrintable(r.error().message));
            receipt = *r;
        }
        return receipt;
    }

    static QStringList keysOf(Store &store, const std::vector<VersionRef> &refs)
    {
        QueueFilter f;
        f.all = true;
        auto items = store.queue(f);
        QStringList keys;
        for (const VersionRef &ref : refs) {
            for (const QueueItem &i : *items) {
                if (i.entryId == ref.entryId && i.version == ref.version)
                    keys << i.query.mid(9);
            }
        }
        return keys;
    }

private slots:
    void initTestCase()
    {
        QString error;
        m_store = m_db.open(QStringLiteral("reads"), &error);
        QVERIFY2(m_store, qPrintable(error));
        m_tenant = m_store->addTenant(QStringLiteral("acme"), Policy::Approved)->id;
    }

    void lanesRankInTheDatabase()
    {
        // demand: popular 9, dear 3, unpriced 20, fresh 1.
        add("popular", QStringLiteral("gpt-4o-mini"), 100, 100, 9, QStringLiteral("low"), kT0);
        add("dear", QStringLiteral("gpt-4o"), 2000, 1500, 3, QStringLiteral("medium"), kT0 + 1000);
        add("unpriced", QStringLiteral("mystery-model-9"), 5000, 5000, 20, QStringLiteral("low"), kT0 + 2000);
        add("fresh", QStringLiteral("gpt-4o-mini"), 10, 10, 1, QStringLiteral("high"), kT0 + 3000);
        const CandidateReceipt done
            = add("decided", QStringLiteral("gpt-4o"), 10, 10, 1, QStringLiteral("high"), kT0 + 4000);
        QVERIFY(m_store
                    ->decide(done.entryId, done.version, VersionState::Rejected, QStringLiteral("ann"),
                        QStringLiteral("wrong: no"))
                    .ok());
        auto builtin = PriceTable::builtin();
        QVERIFY(builtin.ok());
        const PriceTable &prices = *builtin;
        SqlSession &s = m_store->session();
        auto newest = rankQueue(s, VersionState::Pending, QueueRank::Newest, 10, prices);
        QVERIFY2(newest.ok(), qPrintable(newest ? QString() : newest.error().message));
        QCOMPARE(keysOf(*m_store, *newest),
            QStringList({ QStringLiteral("fresh"), QStringLiteral("unpriced"), QStringLiteral("dear"),
                QStringLiteral("popular") }));
        // Equal risk: the most demanded first.
        auto risk = rankQueue(s, VersionState::Pending, QueueRank::Risk, 10, prices);
        QVERIFY(risk.ok());
        QCOMPARE(keysOf(*m_store, *risk),
            QStringList({ QStringLiteral("fresh"), QStringLiteral("dear"), QStringLiteral("unpriced"),
                QStringLiteral("popular") }));
        // Demand × one answer's cost, as PriceTable::cost rounds it; unpriced last.
        auto save = rankQueue(s, VersionState::Pending, QueueRank::WouldSave, 10, prices);
        QVERIFY(save.ok());
        QCOMPARE(keysOf(*m_store, *save),
            QStringList({ QStringLiteral("dear"), QStringLiteral("popular"), QStringLiteral("fresh"),
                QStringLiteral("unpriced") }));
        // Only the page is read; another lane ranks only its own.
        auto page = rankQueue(s, VersionState::Pending, QueueRank::WouldSave, 2, prices);
        QVERIFY(page.ok());
        QCOMPARE(keysOf(*m_store, *page), QStringList({ QStringLiteral("dear"), QStringLiteral("popular") }));
        auto rejected = rankQueue(s, VersionState::Rejected, QueueRank::Newest, 10, prices);
        QVERIFY(rejected.ok());
        QCOMPARE(keysOf(*m_store, *rejected), QStringList({ QStringLiteral("decided") }));

        QCOMPARE(countInState(s, VersionState::Pending).value(), 4);
        QCOMPARE(countInState(s, VersionState::Rejected).value(), 1);
        QCOMPARE(countInState(s, VersionState::Approved).value(), 0);
        QCOMPARE(countAwaitingReview(s).value(), 4);
    }

    void anEntryAsAReviewerOpensIt()
    {
        SqlSession &s = m_store->session();
        const CandidateReceipt v1 = add(
            "entry", QStringLiteral("gpt-4o"), 10, 10, 1, QStringLiteral("low"), kT0, QStringLiteral("first answer"));
        QVERIFY(m_store->decide(v1.entryId, v1.version, VersionState::Approved, QStringLiteral("ann"), {}).ok());
        // A second answer under the same key waits beside the live one; asked three more times,
        // twice with other words.
        Candidate c;
        c.tenantId = m_tenant;
        c.cacheKey = "entry";
        c.model = QStringLiteral("gpt-4o");
        c.requestJson = "{}";
        c.result.message = QJsonObject { { QStringLiteral("role"), QStringLiteral("assistant") },
            { QStringLiteral("content"), QStringLiteral("second answer") } };
        c.result.modelUsed = QStringLiteral("gpt-4o-mini");
        c.risk = QStringLiteral("medium");
        c.riskScanned = true;
        c.author = QStringLiteral("upstream:other");
        c.findings = R"({"findings":[]})";
        c.query = QStringLiteral("entry, other words");
        c.createdMs = kT0 + 10;
        auto v2 = m_store->addCandidate(c);
        QVERIFY(v2.ok());
        QCOMPARE(v2->version, 2);
        c.createdMs = kT0 + 20;
        QVERIFY(m_store->addCandidate(c).ok());
        c.query = QStringLiteral("question entry");
        c.createdMs = kT0 + 30;
        QVERIFY(m_store->addCandidate(c).ok());
        QVERIFY(claimItem(s, v1.entryId, 2, QStringLiteral("bob"), 60'000, kT0).ok());

        auto open = versionForReview(s, v1.entryId, 2);
        QVERIFY2(open.ok(), qPrintable(open ? QString() : open.error().message));
        QVERIFY(open->has_value());
        const VersionForReview &o = **open;
        QCOMPARE(o.state, QStringLiteral("pending"));
        QCOMPARE(o.risk, QStringLiteral("medium"));
        QVERIFY(o.content.contains(QStringLiteral("second answer")));
        QCOMPARE(o.findings, QByteArray(R"({"findings":[]})"));
        QCOMPARE(o.tenant, QStringLiteral("acme"));
        QCOMPARE(o.claimedBy, QStringLiteral("bob"));
        QCOMPARE(o.claimExpiresMs, kT0 + 60'000);
        QCOMPARE(o.author, QStringLiteral("upstream:other"));
        QCOMPARE(o.modelUsed, QStringLiteral("gpt-4o-mini"));
        QVERIFY(!versionForReview(s, v1.entryId, 9)->has_value());

        auto live = approvedVersionBesides(s, v1.entryId, 2);
        QVERIFY(live.ok() && live->has_value());
        QCOMPARE((*live)->version, 1);
        QVERIFY((*live)->content.contains(QStringLiteral("first answer")));
        QVERIFY(!approvedVersionBesides(s, v1.entryId, 1)->has_value()); // the live one itself

        // Each query once, the most asked first; equal counts by first seen.
        auto queries = entryQueries(s, v1.entryId);
        QVERIFY(queries.ok());
        QCOMPARE(int(queries->size()), 2);
        QCOMPARE(queries->at(0).query, QStringLiteral("question entry"));
        QCOMPARE(queries->at(0).times, 2);
        QCOMPARE(queries->at(0).firstSeenMs, kT0);
        QCOMPARE(queries->at(1).query, QStringLiteral("entry, other words"));
        QCOMPARE(queries->at(1).times, 2);
        QCOMPARE(int(entryQueries(s, v1.entryId, 1)->size()), 1);

        auto history = reviewHistory(s, v1.entryId);
        QVERIFY(history.ok());
        QCOMPARE(int(history->size()), 2);
        QCOMPARE(history->at(0).version, 1);
        QCOMPARE(history->at(0).state, QStringLiteral("approved"));
        QCOMPARE(history->at(0).decidedBy, QStringLiteral("ann"));
        QCOMPARE(history->at(1).version, 2);
        QCOMPARE(history->at(1).author, QStringLiteral("upstream:other"));
        QCOMPARE(history->at(1).modelUsed, QStringLiteral("gpt-4o-mini"));
        QVERIFY(history->at(1).content.contains(QStringLiteral("second answer")));

        auto summary = versionHistory(s, v1.entryId);
        QVERIFY(summary.ok());
        QCOMPARE(int(summary->size()), 2);
        QCOMPARE(summary->at(0).risk, QStringLiteral("low"));
        QCOMPARE(summary->at(0).createdMs, kT0);
        QVERIFY(summary->at(0).decidedMs > 0);
        QCOMPARE(summary->at(1).state, QStringLiteral("pending"));
        QCOMPARE(summary->at(1).createdMs, kT0 + 10);
        QVERIFY(summary->at(1).decidedBy.isEmpty());
        QVERIFY(versionHistory(s, 999'999)->empty());
    }

    void theEntryUnderAKeyPrefersItsApprovedVersion()
    {
        SqlSession &s = m_store->session();
        Candidate c;
        c.tenantId = m_tenant;
        c.ns = QStringLiteral("support");
        c.tier = QStringLiteral("l0");
        c.cacheKey = "l0-key";
        c.model = QStringLiteral("gpt-4o");
        c.requestJson = "{}";
        c.query = QStringLiteral("cancel my order");
        c.author = QStringLiteral("upstream:test");
        c.riskScanned = true;
        c.result.message = QJsonObject { { QStringLiteral("role"), QStringLiteral("assistant") },
            { QStringLiteral("content"), QStringLiteral("one") } };
        auto v1 = m_store->addCandidate(c);
        QVERIFY(v1.ok());
        auto none = versionForKey(s, m_tenant, QStringLiteral("support"), Tier::L0, QStringLiteral("l0-key"));
        QVERIFY(none.ok() && none->has_value());
        QCOMPARE((*none)->state, QStringLiteral("pending"));
        QVERIFY(m_store->decide(v1->entryId, v1->version, VersionState::Approved, QStringLiteral("ann"), {}).ok());
        c.result.message = QJsonObject { { QStringLiteral("role"), QStringLiteral("assistant") },
            { QStringLiteral("content"), QStringLiteral("two") } };
        auto v2 = m_store->addCandidate(c);
        QVERIFY(v2.ok());
        QCOMPARE(v2->version, 2);
        auto hit = versionForKey(s, m_tenant, QStringLiteral("support"), Tier::L0, QStringLiteral("l0-key"));
        QVERIFY(hit.ok() && hit->has_value());
        QCOMPARE((*hit)->entryId, v1->entryId);
        QCOMPARE((*hit)->version, 1); // approved, though not the newest
        QCOMPARE((*hit)->state, QStringLiteral("approved"));
        // Other namespace, tier, tenant or key: no entry.
        QVERIFY(!versionForKey(s, m_tenant, QString(), Tier::L0, QStringLiteral("l0-key"))->has_value());
        QVERIFY(
            !versionForKey(s, m_tenant, QStringLiteral("support"), Tier::Exact, QStringLiteral("l0-key"))->has_value());
        QVERIFY(!versionForKey(s, m_tenant + 100, QStringLiteral("support"), Tier::L0, QStringLiteral("l0-key"))
                     ->has_value());
        QVERIFY(!versionForKey(s, m_tenant, QStringLiteral("support"), Tier::L0, QStringLiteral("other"))->has_value());
    }

    void theAuditLogNewestFirst()
    {
        SqlSession &s = m_store->session();
        for (int i = 1; i <= 3; ++i)
            QVERIFY(appendAudit(s, QStringLiteral("ann"), QStringLiteral("test.step"), QStringLiteral("step %1").arg(i),
                QJsonObject { { QStringLiteral("n"), i } }, kT0 + i)
                        .ok());
        auto rows = recentAudit(s, 2);
        QVERIFY2(rows.ok(), qPrintable(rows ? QString() : rows.error().message));
        QCOMPARE(int(rows->size()), 2);
        QCOMPARE(rows->at(0).subject, QStringLiteral("step 3"));
        QCOMPARE(rows->at(0).tsMs, kT0 + 3);
        QCOMPARE(rows->at(0).actor, QStringLiteral("ann"));
        QCOMPARE(rows->at(0).action, QStringLiteral("test.step"));
        QVERIFY(rows->at(0).details.contains(QStringLiteral("\"n\"")));
        QCOMPARE(rows->at(1).subject, QStringLiteral("step 2"));
        QVERIFY(rows->at(0).id > rows->at(1).id);
        QVERIFY(int(recentAudit(s, 1000)->size()) >= 3);
    }

    void theActiveRulePack()
    {
        SqlSession &s = m_store->session();
        QVERIFY(!activeRulePackContent(s, m_tenant)->has_value()); // L0 is off
        auto v1 = m_store->addRulePack(
            QStringLiteral("acme"), QStringLiteral("support"), 1, R"({"v":1})", QStringLiteral("admin"));
        QVERIFY(v1.ok());
        QVERIFY(!activeRulePackContent(s, m_tenant)->has_value()); // pending does not serve
        QVERIFY(m_store->decideRulePack(v1->id, true, QStringLiteral("ann")).ok());
        QCOMPARE(activeRulePackContent(s, m_tenant)->value(), QByteArray(R"({"v":1})"));
        auto v2 = m_store->addRulePack(
            QStringLiteral("acme"), QStringLiteral("support"), 2, R"({"v":2})", QStringLiteral("admin"));
        QVERIFY(v2.ok());
        QVERIFY(m_store->decideRulePack(v2->id, true, QStringLiteral("ann")).ok());
        QCOMPARE(activeRulePackContent(s, m_tenant)->value(), QByteArray(R"({"v":2})"));
        QVERIFY(!activeRulePackContent(s, m_tenant + 100)->has_value());
    }

    void whoMayReview()
    {
        auto owner = mayReview(m_store->session()); // the store's owner: SQLite's file, PostgreSQL's superuser
        QVERIFY(owner.ok());
        QVERIFY(*owner);
#ifdef L0_STORE_PG
        for (const char *login : { "rita", "adam", "mona", "nick" })
            QVERIFY(m_store->session().query(QStringLiteral("CREATE ROLE %1 LOGIN").arg(QLatin1String(login))).ok());
        QVERIFY(m_store->session().query(QStringLiteral("GRANT l0_reviewer TO rita")).ok());
        QVERIFY(m_store->session().query(QStringLiteral("GRANT l0_admin TO adam")).ok());
        QVERIFY(m_store->session().query(QStringLiteral("GRANT l0_manager TO mona")).ok());
        QVERIFY(m_store->session().query(QStringLiteral("GRANT l0_node TO nick")).ok());
        for (const auto &[login, may] : { std::pair { "rita", true }, std::pair { "adam", true },
                 std::pair { "mona", false }, std::pair { "nick", false } }) {
            auto store = openStore(m_db.pg().url(QStringLiteral("postgres"), QLatin1String(login)));
            QVERIFY(store.ok());
            auto r = mayReview((*store)->session());
            QVERIFY2(r.ok(), login);
            QVERIFY2(*r == may, login);
        }
#endif
    }

    void queueHealthByTheNumbers()
    {
        // A tenant of its own: four candidates filed 10, 20, 30 and 40 minutes ago, the oldest
        // rejected just now.
        const qint64 saved = m_tenant;
        m_tenant = m_store->addTenant(QStringLiteral("health"), Policy::Approved)->id;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        std::vector<CandidateReceipt> filed;
        for (int i = 1; i <= 4; ++i)
            filed.push_back(add(QByteArray("health-") + QByteArray::number(i), QStringLiteral("gpt-4o-mini"), 1000, 500,
                i, QStringLiteral("low"), now - i * 600'000));
        m_tenant = saved;
        QVERIFY(m_store
                    ->decide(filed[3].entryId, filed[3].version, VersionState::Rejected, QStringLiteral("ann"),
                        QStringLiteral("outdated: prices changed"))
                    .ok());
        auto prices = PriceTable::builtin();
        QVERIFY(prices);
        QueueHealthQuery q;
        q.sinceMs = now - 3'600'000;
        q.prices = &*prices;
        const qint64 at = now + 1000;
        auto stats = queueStats(m_store->session(), QStringLiteral("health"), at, nullptr, nullptr, &q);
        QVERIFY(stats && stats->health);
        const QueueHealth &h = *stats->health;
        QCOMPARE(stats->awaiting, 3);
        const DurationStats pending = h.backlogAge.value(QStringLiteral("pending"));
        QCOMPARE(pending.count, 3);
        QCOMPARE(pending.p50Ms, at - (now - 1'200'000)); // nearest rank: the second of three
        QCOMPARE(pending.p95Ms, at - (now - 1'800'000));
        QCOMPARE(pending.maxMs, at - (now - 1'800'000));
        QCOMPARE(h.backlogAge.value(QStringLiteral("needs_second")).count, 0);
        QCOMPARE(h.toDecision.count, 1);
        QVERIFY(h.toDecision.p50Ms >= 2'400'000 && h.toDecision.p50Ms < 2'400'000 + 60'000);
        QCOMPARE(h.toServing.count, 0);
        QCOMPARE(int(h.rejectionReasons.size()), 1);
        QCOMPARE(h.rejectionReasons.at(0).code, QStringLiteral("outdated"));
        QCOMPARE(h.rejectionReasons.at(0).count, 1);
        QCOMPARE(h.demandTotal, 1 + 2 + 3 + 4);
        QCOMPARE(h.demandWaiting, 1 + 2 + 3);
        const qint64 once = *prices->cost(QStringLiteral("gpt-4o-mini"), TokenUsage { 1000, 500 });
        QCOMPARE(h.wouldSaveMicros, once * (1 + 2 + 3));
        QCOMPARE(h.unpricedEntries, 0);
        // Without a health query the MCP server's fields are all there is.
        auto plain = queueStats(m_store->session(), QStringLiteral("health"), at);
        QVERIFY(plain && !plain->health);
        QCOMPARE(plain->awaiting, 3);
    }

    void cleanupTestCase()
    {
        m_store.reset();
    }
};

QTEST_GUILESS_MAIN(TestConsoleReads)
#include "tst_consolereads.moc"
