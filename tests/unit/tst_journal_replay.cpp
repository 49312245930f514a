#include <QJsonObject>
#include <QTest>

#include "nodefixture.h"
#include "store/journal.h"
#include "trust/auditlog.h"

using namespace l0;

// What a killed node left in its journal reaches the store when a node starts, exactly once.
class TestJournalReplay : public QObject {
    Q_OBJECT
private slots:
    void leftoversAreReplayedOnce()
    {
        NodeFixture f;
        const QString base = f.dir.filePath(QStringLiteral("journal/node"));
        // A first run to create the store and tenants, then stopped.
        l0::NodeConfig c;
        c.journal = base;
        QVERIFY(f.start(c));
        const qint64 tenant = f.store()->tenantByName(QStringLiteral("approved"))->id;
        f.node.reset();

        auto writeLeftovers = [&] {
            auto j = Journal::open(base);
            QVERIFY(j.ok());
            Candidate cand;
            cand.uid = QStringLiteral("dead-node-1");
            cand.tenantId = tenant;
            cand.tier = QStringLiteral("exact");
            cand.cacheKey = "left-behind";
            cand.model = QStringLiteral("gpt-4o-mini");
            cand.query = QStringLiteral("left behind");
            cand.result.message = QJsonObject { { QStringLiteral("role"), QStringLiteral("assistant") },
                { QStringLiteral("content"), QStringLiteral("answer") } };
            cand.author = QStringLiteral("upstream:gpt-4o-mini");
            QVERIFY((*j)->append(candidateToJournal(cand)).ok());
            CostEvent e;
            e.uid = QStringLiteral("dead-node-2");
            e.tsMs = 1000;
            e.tenantId = tenant;
            e.tier = Tier::Upstream;
            e.modelRequested = e.modelUsed = QStringLiteral("gpt-4o-mini");
            e.actualMicros = 10;
            e.baselineMicros = 10;
            QVERIFY((*j)->append(ledgerToJournal(e)).ok());
        };
        auto restart = [&] {
            NodeConfig again;
            again.db = f.url;
            again.port = 0;
            again.upstream = QStringLiteral("sim");
            again.journal = base;
            again.trustDatabase = true;
            f.node = std::make_unique<Node>(again);
            return f.node->start().ok();
        };
        writeLeftovers();
        const qint64 before = f.store()->ledgerTotals({})->requests;

        QVERIFY(restart());
        QCOMPARE(f.store()->ledgerTotals({})->requests, before + 1);
        auto queue = f.store()->queue(QueueFilter {});
        QCOMPARE(int(queue->size()), 1);
        QCOMPARE(queue->at(0).query, QStringLiteral("left behind"));

        // What the candidate's transaction wrote besides the entry: the sampled query and the
        // version.add row of the audit chain.
        auto count = [&](const char *sql) {
            auto r = f.store()->session().query(QString::fromLatin1(sql));
            return r ? r->at(0).int64(0) : -1;
        };
        const char *queries = "SELECT COUNT(*) FROM entry_queries";
        const char *audits = "SELECT COUNT(*) FROM audit_log WHERE action = 'version.add'";
        QCOMPARE(count(queries), 1);
        QCOMPARE(count(audits), 1);
        f.node.reset();

        // The same records once more: a node killed after SQLite committed them and before it
        // dropped their journal segment (SQLite's counterpart of a commit whose acknowledgement
        // was lost) finds them again at start. Nothing is applied twice.
        writeLeftovers();
        QVERIFY(restart());
        QCOMPARE(f.store()->ledgerTotals({})->requests, before + 1);
        QCOMPARE(f.store()->queue(QueueFilter {})->at(0).hits, 1);
        QCOMPARE(count(queries), 1);
        QCOMPARE(count(audits), 1);
        const auto report = verifyAudit(f.store()->session());
        QVERIFY(report.ok());
        QVERIFY2(report->ok && report->differences.empty(), qPrintable(report->reason));
        f.node.reset();
    }

    // Candidates are written a batch per transaction: one the store refuses (a tenant it does not
    // know) costs none of the others handed over with it.
    void refusedCandidateCostsNoOtherOfItsBatch()
    {
        NodeFixture f;
        QVERIFY(f.start());
        const qint64 tenant = f.store()->tenantByName(QStringLiteral("approved"))->id;
        const QStringList names { QStringLiteral("batch one"), QStringLiteral("batch two"),
            QStringLiteral("batch three") };
        f.node->storeWorker()->submitCandidate(NodeFixture::candidate(tenant, names[0]));
        f.node->storeWorker()->submitCandidate(NodeFixture::candidate(tenant + 1000, QStringLiteral("nobody's")));
        f.node->storeWorker()->submitCandidate(NodeFixture::candidate(tenant, names[1]));
        f.node->storeWorker()->submitCandidate(NodeFixture::candidate(tenant, names[2]));
        f.node->storeWorker()->submitCandidate(NodeFixture::candidate(tenant, names[2]));
        f.settle();
        QCOMPARE(f.node->storeWorker()->pendingWrites(), 0);
        const auto queued = f.queued(names + QStringList { QStringLiteral("nobody's") });
        QCOMPARE(queued.size(), 3);
        QCOMPARE(queued.value(names[0]), 1);
        QCOMPARE(queued.value(names[1]), 1);
        QCOMPARE(queued.value(names[2]), 2); // the same answer twice: one version, asked for twice
    }
};

QTEST_GUILESS_MAIN(TestJournalReplay)
#include "tst_journal_replay.moc"
