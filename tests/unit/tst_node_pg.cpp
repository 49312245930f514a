#include <QTest>

#include "cache/hotcache.h"
#include "nodefixture.h"
#include "pgserver.h"
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
};

QTEST_GUILESS_MAIN(TestNodePg)
#include "tst_node_pg.moc"
