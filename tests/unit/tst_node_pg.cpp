#include <QTest>

#include "cache/hotcache.h"
#include "nodefixture.h"
#include "pgackdropper.h"
#include "pgserver.h"
#include "trust/auditlog.h"
#include "trust/reviewqueue.h"

#include <QSet>
#include <thread>

using namespace l0;

// A node on a real PostgreSQL: misses become candidates, approvals reach the node, the ledger
// records every request; a second node on the same database serves the same approval.
class TestNodePg : public QObject {
    Q_OBJECT
    PgServer m_pg;
    NodeFixture f;

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_pg.start(&error), qPrintable(error));
        NodeConfig c;
        c.journal = f.dir.filePath(QStringLiteral("journal"));
        QVERIFY(f.start(c, m_pg.url()));
    }
    void cleanupTestCase() { f.node.reset(); }

    void approvalsAreServedByEveryNode()
    {
        const QByteArray body
            = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"postgres backed question"}]})";
        QCOMPARE(f.chat(f.keyApproved, body).headers.value("x-l0-cache"), QByteArray("miss"));
        f.settle();
        auto store = f.store();
        auto queue = store->queue(QueueFilter {});
        QCOMPARE(int(queue->size()), 1);
        QVERIFY(store->decide(queue->at(0).entryId, 0, VersionState::Approved, QStringLiteral("rev"), {}).ok());
        f.settle();
        QCOMPARE(f.chat(f.keyApproved, body).headers.value("x-l0-cache"), QByteArray("hit"));

        // A second node on the same database.
        NodeConfig c;
        c.db = m_pg.url();
        c.port = 0;
        c.threads = 1;
        c.upstream = QStringLiteral("sim");
        c.syncIntervalMs = 50;
        c.journal = f.dir.filePath(QStringLiteral("second-journal"));
        c.trustDatabase = true;
        Node second(c);
        QVERIFY(second.start().ok());
        QNetworkRequest req(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/chat/completions").arg(second.port())));
        req.setRawHeader("Authorization", "Bearer " + f.keyApproved.toUtf8());
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        QNetworkReply *reply = f.nam.post(req, body);
        QVERIFY(QTest::qWaitFor([&] { return reply->isFinished(); }, 10000));
        QCOMPARE(reply->rawHeader("x-l0-cache"), QByteArray("hit"));
        reply->deleteLater();
        second.stop();

        f.settle();
        auto totals = store->ledgerTotals({});
        QCOMPARE(totals->requests, 3);
        QCOMPARE(totals->hits, 2);
    }
    // Two reviewers claiming at the same time, each on its own connection, never get the same
    // item (FOR UPDATE SKIP LOCKED), and together they take every item.
    void concurrentClaimsNeverCollide()
    {
        auto store = f.store();
        const qint64 tenant = store->tenantByName(QStringLiteral("auto"))->id;
        for (int i = 0; i < 60; ++i) {
            Candidate c;
            c.tenantId = tenant;
            c.cacheKey = "lease-" + QByteArray::number(i);
            c.model = QStringLiteral("m");
            c.result.message = QJsonObject { { QStringLiteral("content"), QStringLiteral("lease %1").arg(i) } };
            c.author = QStringLiteral("test");
            QVERIFY(store->addCandidate(c).ok());
        }
        std::vector<std::vector<QString>> got(2);
        std::vector<std::thread> reviewers;
        for (int r = 0; r < 2; ++r) {
            reviewers.emplace_back([&, r] {
                auto own = openStore(m_pg.url());
                for (;;) {
                    auto c = claimNext((*own)->session(), QStringLiteral("reviewer%1").arg(r), 600'000,
                        QDateTime::currentMSecsSinceEpoch(), QStringLiteral("auto"));
                    if (!c || !c->has_value())
                        break;
                    got[size_t(r)].push_back(QStringLiteral("%1@%2").arg((*c)->entryId).arg((*c)->version));
                    // Done with it: the next claim takes another item.
                    if (!(*own)->decide((*c)->entryId, (*c)->version, VersionState::Rejected,
                            QStringLiteral("reviewer%1").arg(r), QStringLiteral("other: test")))
                        break;
                }
            });
        }
        for (auto &t : reviewers)
            t.join();
        QSet<QString> all;
        for (const auto &list : got) {
            for (const QString &item : list) {
                QVERIFY2(!all.contains(item), qPrintable(item + QStringLiteral(" claimed twice")));
                all.insert(item);
            }
        }
        QVERIFY(all.size() >= 60);
        QVERIFY(!got[0].empty() && !got[1].empty());
    }
    // Approvals are pushed (LISTEN/NOTIFY): a node that would poll only once a minute still
    // serves an approval at once.
    void approvalsArePushed()
    {
        NodeConfig c;
        c.db = m_pg.url();
        c.port = 0;
        c.threads = 1;
        c.upstream = QStringLiteral("sim");
        c.syncIntervalMs = 60'000;
        c.journal = f.dir.filePath(QStringLiteral("pushed-journal"));
        c.trustDatabase = true;
        Node slow(c);
        QVERIFY(slow.start().ok());
        Candidate cand;
        auto store = f.store();
        cand.tenantId = store->tenantByName(QStringLiteral("approved"))->id;
        cand.cacheKey = "pushed-key";
        cand.model = QStringLiteral("m");
        cand.result.message = QJsonObject { { QStringLiteral("content"), QStringLiteral("pushed") } };
        cand.author = QStringLiteral("test");
        const qint64 entry = store->addCandidate(cand)->entryId;
        QVERIFY(store->decide(entry, 0, VersionState::Approved, QStringLiteral("rev"), {}).ok());
        QVERIFY(QTest::qWaitFor(
            [&] {
                return slow.hotCache()->find(HotKey { cand.tenantId, Tier::Exact, "pushed-key" }) != nullptr;
            },
            3000));
        slow.stop();
    }
    // Candidates are written a batch per transaction: one the store refuses costs none of the
    // others (on PostgreSQL its failed statement spoils the transaction, which is rolled back and
    // written one by one), and a batch handed over while the database is away stays queued and
    // is written once when it is back.
    void candidateBatchesSurviveRefusalAndOutage()
    {
        const qint64 tenant = f.store()->tenantByName(QStringLiteral("approved"))->id;
        StoreWorker *worker = f.node->storeWorker();
        const QStringList refused { QStringLiteral("pg batch one"), QStringLiteral("pg batch two") };
        worker->submitCandidate(NodeFixture::candidate(tenant, refused[0]));
        worker->submitCandidate(NodeFixture::candidate(tenant + 1000, QStringLiteral("pg nobody's")));
        worker->submitCandidate(NodeFixture::candidate(tenant, refused[1]));
        f.settle();
        auto queued = f.queued(refused + QStringList { QStringLiteral("pg nobody's") });
        QCOMPARE(queued.size(), 2);
        QCOMPARE(queued.value(refused[0]), 1);
        QCOMPARE(queued.value(refused[1]), 1);

        m_pg.stop();
        const QStringList away { QStringLiteral("pg away one"), QStringLiteral("pg away two") };
        for (const QString &name : away)
            worker->submitCandidate(NodeFixture::candidate(tenant, name));
        QVERIFY(QTest::qWaitFor([&] { return f.request("GET", QStringLiteral("/readyz"), {}).status == 503; }, 10000));
        QVERIFY(QTest::qWaitFor([&] { return worker->pendingWrites() == 2; }, 5000));
        QString error;
        QVERIFY2(m_pg.restart(&error), qPrintable(error));
        QVERIFY(QTest::qWaitFor([&] { return f.request("GET", QStringLiteral("/readyz"), {}).status == 200; }, 20000));
        QVERIFY(QTest::qWaitFor([&] { return worker->pendingWrites() == 0; }, 20000));
        f.settle();
        queued = f.queued(away);
        QCOMPARE(queued.size(), 2);
        QCOMPARE(queued.value(away[0]), 1);
        QCOMPARE(queued.value(away[1]), 1);
    }
    // The database goes away: the node keeps serving approved answers from memory, answers
    // misses from upstream, says it is not ready, keeps what it must write, and writes it all
    // when the database is back.
    void databaseOutageLosesNothing()
    {
        const QByteArray cached
            = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"postgres backed question"}]})";
        QCOMPARE(f.chat(f.keyApproved, cached).headers.value("x-l0-cache"), QByteArray("hit"));
        f.settle();
        const qint64 before = f.store()->ledgerTotals({})->requests;

        m_pg.stop();
        QCOMPARE(f.chat(f.keyApproved, cached).headers.value("x-l0-cache"), QByteArray("hit"));
        const auto miss = f.chat(f.keyApproved,
            R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"asked during the outage"}]})");
        QCOMPARE(miss.status, 200);
        QVERIFY(QTest::qWaitFor([&] { return f.request("GET", QStringLiteral("/readyz"), {}).status == 503; }, 10000));
        QVERIFY(f.node->storeWorker()->pendingWrites() > 0);

        QString error;
        QVERIFY2(m_pg.restart(&error), qPrintable(error));
        QVERIFY(QTest::qWaitFor([&] { return f.request("GET", QStringLiteral("/readyz"), {}).status == 200; }, 20000));
        QVERIFY(QTest::qWaitFor([&] { return f.node->storeWorker()->pendingWrites() == 0; }, 20000));
        f.settle();
        auto store = f.store();
        QCOMPARE(store->ledgerTotals({})->requests, before + 2);
        bool queued = false;
        const auto items = store->queue(QueueFilter {});
        for (const auto &item : *items)
            queued = queued || item.query == QStringLiteral("asked during the outage");
        QVERIFY(queued);
    }
    // A write whose commit reached the database but whose acknowledgement died with the
    // connection is retried by the node: the retry must not count it twice (every ledger event
    // carries the id it was journalled under, and the store ignores one it has seen).
    void lostCommitAcknowledgementIsNotCountedTwice()
    {
        QString error;
        QVERIFY2(m_pg.createDatabase(QStringLiteral("exactly_once"), &error), qPrintable(error));
        PgAckDropper relay;
        QVERIFY(relay.listen(m_pg.port()));
        NodeFixture g;
        const QString direct = m_pg.url(QStringLiteral("exactly_once"));
        QString relayed = direct;
        relayed.replace(QStringLiteral(":%1/").arg(m_pg.port()), QStringLiteral(":%1/").arg(relay.port()));
        relayed += QStringLiteral("&sslmode=disable&gssencmode=disable");
        {
            // Migrate and add the tenants directly, then serve through the relay.
            auto store = openStore(direct);
            QVERIFY(store.ok());
            QVERIFY((*store)->migrate().ok());
        }
        QVERIFY(g.start({}, relayed));
        const QByteArray body
            = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"counted exactly once"}]})";
        QCOMPARE(g.chat(g.keyApproved, body).status, 200);
        g.settle();
        auto store = openStore(direct).value();
        QCOMPARE(store->ledgerTotals({})->requests, 1);
        const auto sampledQueries = [&] {
            auto r = store->session().query(QStringLiteral("SELECT COUNT(*) FROM entry_queries"));
            return r ? r->at(0).int64(0) : -1;
        };
        QCOMPARE(sampledQueries(), 1);

        // Candidates: each miss files one (the query sampled with it); the transaction that files
        // one loses its acknowledgement.
        relay.arm("counted exactly once");
        constexpr int kMisses = 5;
        for (int i = 0; i < kMisses; ++i)
            QCOMPARE(g.chat(g.keyApproved, body).headers.value("x-l0-cache"), QByteArray("miss"));
        QVERIFY(QTest::qWaitFor([&] { return relay.dropped() == 1; }, 20000));
        QVERIFY(QTest::qWaitFor([&] { return g.node->storeWorker()->pendingWrites() == 0; }, 20000));
        g.settle();
        QCOMPARE(store->ledgerTotals({})->requests, 1 + kMisses);
        QCOMPARE(sampledQueries(), 1 + kMisses);
        const auto queue = store->queue(QueueFilter {});
        QCOMPARE(int(queue->size()), 1);

        // Audit rows: the transaction that files a new version appends its version.add row to
        // the chain; it loses its acknowledgement, and the retry adds neither a version nor a row.
        const auto auditRows = [&](const QString &action) {
            auto r = store->session().query(
                QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE action = ?"), { SqlSession::str(action) });
            return r ? r->at(0).int64(0) : -1;
        };
        QCOMPARE(auditRows(QStringLiteral("version.add")), 1);
        relay.arm("audited exactly once");
        const QByteArray audited
            = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"audited exactly once"}]})";
        QCOMPARE(g.chat(g.keyApproved, audited).headers.value("x-l0-cache"), QByteArray("miss"));
        QVERIFY(QTest::qWaitFor([&] { return relay.dropped() == 2; }, 20000));
        QVERIFY(QTest::qWaitFor([&] { return g.node->storeWorker()->pendingWrites() == 0; }, 20000));
        g.settle();
        QCOMPARE(auditRows(QStringLiteral("version.add")), 2);
        QCOMPARE(int(store->queue(QueueFilter {})->size()), 2);
        QCOMPARE(store->ledgerTotals({})->requests, 2 + kMisses);
        const auto report = verifyAudit(store->session());
        QVERIFY(report.ok());
        QVERIFY2(report->ok && report->differences.empty(), qPrintable(report->reason));

        // Ledger events: hits write nothing but their events; a batch of them loses its
        // acknowledgement (the model is among the insert's parameters; its text was prepared once).
        QVERIFY(store->decide(queue->at(0).entryId, 0, VersionState::Approved, QStringLiteral("rev"), {}).ok());
        QVERIFY(QTest::qWaitFor(
            [&] { return g.chat(g.keyApproved, body).headers.value("x-l0-cache") == QByteArray("hit"); }, 10000));
        g.settle();
        const qint64 before = store->ledgerTotals({})->requests;
        relay.arm("gpt-4o-mini");
        constexpr int kHits = 25;
        for (int i = 0; i < kHits; ++i)
            QCOMPARE(g.chat(g.keyApproved, body).headers.value("x-l0-cache"), QByteArray("hit"));
        QVERIFY(QTest::qWaitFor([&] { return relay.dropped() == 3; }, 20000));
        QVERIFY(QTest::qWaitFor([&] { return g.node->storeWorker()->pendingWrites() == 0; }, 20000));
        g.settle();
        QCOMPARE(store->ledgerTotals({})->requests, before + kHits);
        g.node.reset();
    }
};

QTEST_GUILESS_MAIN(TestNodePg)
#include "tst_node_pg.moc"
