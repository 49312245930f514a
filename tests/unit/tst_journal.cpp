#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <thread>

#include "store/journal.h"

using namespace l0;

class TestJournal : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void ledgerRoundTrip()
    {
        CostEvent e;
        e.uid = QStringLiteral("n1-7");
        e.tsMs = 1700000000123;
        e.tenantId = 3;
        e.ns = QStringLiteral("team\\ta\nb");
        e.tier = Tier::L0;
        e.shadowHit = true;
        e.modelRequested = QStringLiteral("gpt-4o");
        e.modelUsed = QStringLiteral("gpt-4o-mini");
        e.promptTokens = 10;
        e.completionTokens = 20;
        e.actualMicros = 0;
        e.entryId = 99;
        e.status = 200;
        e.latencyMs = 4;
        e.intent = QStringLiteral("reset_password");
        e.attempts = 3;
        e.feeMicros = 100;
        e.user = QStringLiteral("alice\t@example");
        e.experimentId = 12;
        e.arm = QStringLiteral("B");
        e.route = QStringLiteral("cascade");
        e.responseId = QStringLiteral("chatcmpl-l0abc");
        Candidate c;
        CostEvent back;
        bool isCandidate = true;
        QVERIFY(journalRecord(ledgerToJournal(e), &c, &back, &isCandidate));
        QVERIFY(!isCandidate);
        QCOMPARE(back.uid, e.uid);
        QCOMPARE(back.ns, e.ns);
        QCOMPARE(back.tier, Tier::L0);
        QVERIFY(back.shadowHit);
        QCOMPARE(back.actualMicros.value(), 0);
        QVERIFY(!back.baselineMicros.has_value()); // unpriced stays unpriced
        QCOMPARE(back.entryId, 99);
        QCOMPARE(back.intent, e.intent);
        QCOMPARE(back.attempts, 3);
        QCOMPARE(back.feeMicros, 100);
        QCOMPARE(back.user, e.user);
        QCOMPARE(back.experimentId, 12);
        QCOMPARE(back.arm, QStringLiteral("B"));
        QCOMPARE(back.route, QStringLiteral("cascade"));
        QCOMPARE(back.responseId, e.responseId);
        {
            // Written before response ids were kept (field 23): read back without one.
            QByteArray beforeIds = ledgerToJournal(e);
            beforeIds.truncate(beforeIds.lastIndexOf('\t'));
            CostEvent noId;
            QVERIFY(journalRecord(beforeIds, &c, &noId, &isCandidate));
            QCOMPARE(noId.route, QStringLiteral("cascade"));
            QVERIFY(noId.responseId.isEmpty());
        }
        {
            // Written before routes were kept (field 22): read back unrouted.
            QByteArray beforeRoutes = ledgerToJournal(e);
            while (beforeRoutes.count('\t') > 22)
                beforeRoutes.truncate(beforeRoutes.lastIndexOf('\t'));
            beforeRoutes.truncate(beforeRoutes.lastIndexOf('\t'));
            CostEvent unrouted;
            QVERIFY(journalRecord(beforeRoutes, &c, &unrouted, &isCandidate));
            QCOMPARE(unrouted.arm, QStringLiteral("B"));
            QVERIFY(unrouted.route.isEmpty());
        }
        // A record written before experiments were kept reads back with none (fields 20 and 21;
        // whatever later fields follow them go first).
        QByteArray older = ledgerToJournal(e);
        while (older.count('\t') > 21)
            older.truncate(older.lastIndexOf('\t'));
        older.truncate(older.lastIndexOf('\t'));
        older.truncate(older.lastIndexOf('\t'));
        CostEvent beforeExperiments;
        QVERIFY(journalRecord(older, &c, &beforeExperiments, &isCandidate));
        QCOMPARE(beforeExperiments.user, e.user);
        QCOMPARE(beforeExperiments.experimentId, 0);
        QVERIFY(beforeExperiments.arm.isEmpty());
        // A record written before fees and users were kept reads back with none.
        older.truncate(older.lastIndexOf('\t'));
        older.truncate(older.lastIndexOf('\t'));
        CostEvent beforeFees;
        QVERIFY(journalRecord(older, &c, &beforeFees, &isCandidate));
        QCOMPARE(beforeFees.attempts, 3);
        QCOMPARE(beforeFees.feeMicros, 0);
        QVERIFY(beforeFees.user.isEmpty());
        // A record written before attempts were kept reads back with none.
        older.truncate(older.lastIndexOf('\t'));
        CostEvent old;
        QVERIFY(journalRecord(older, &c, &old, &isCandidate));
        QCOMPARE(old.attempts, 0);
        QCOMPARE(old.intent, e.intent);
        // A torn record (half a field group) is refused rather than misread.
        QByteArray torn = ledgerToJournal(e);
        while (torn.count('\t') > 20) // 21 fields: the experiment's id without its arm
            torn.truncate(torn.lastIndexOf('\t'));
        QVERIFY(!journalRecord(torn, &c, &old, &isCandidate));
    }
    void candidateRoundTrip()
    {
        Candidate c;
        c.uid = QStringLiteral("n1-8");
        c.tenantId = 2;
        c.tier = QStringLiteral("l0");
        c.cacheKey = "abc";
        c.query = QStringLiteral("ünïcode?");
        c.result.message = QJsonObject { { QStringLiteral("content"), QStringLiteral("hi") } };
        Candidate back;
        CostEvent e;
        bool isCandidate = false;
        QVERIFY(journalRecord(candidateToJournal(c), &back, &e, &isCandidate));
        QVERIFY(isCandidate);
        QCOMPARE(back.query, c.query);
        QCOMPARE(back.result.text(), QStringLiteral("hi"));
        QVERIFY(back.responseId.isEmpty());
        // The response it was sent as travels with it; a record written before it did loads
        // with none.
        c.responseId = QStringLiteral("chatcmpl-l0-42");
        const QByteArray withResponse = candidateToJournal(c);
        QVERIFY(journalRecord(withResponse, &back, &e, &isCandidate));
        QCOMPARE(back.responseId, c.responseId);
        c.responseId.clear();
        QVERIFY(!candidateToJournal(c).contains("\"response\""));
        QVERIFY(!journalRecord("garbage", &back, &e, &isCandidate));
    }
    void feedbackRoundTrip()
    {
        Feedback f;
        f.uid = QStringLiteral("n1-9");
        f.tenantId = 4;
        f.entryId = 17;
        f.version = 2;
        f.rating = -1;
        f.reason = QStringLiteral("wrong \"status\"\n");
        f.user = QStringLiteral("bob");
        f.createdMs = 1700000000999;
        Feedback back;
        QVERIFY(journalFeedback(feedbackToJournal(f), &back));
        QCOMPARE(back.uid, f.uid);
        QCOMPARE(back.entryId, 17);
        QCOMPARE(back.version, 2);
        QCOMPARE(back.rating, -1);
        QCOMPARE(back.reason, f.reason);
        QCOMPARE(back.user, f.user);
        QCOMPARE(back.createdMs, f.createdMs);
        // Other records are not feedback, and feedback is neither a candidate nor an event.
        CostEvent e;
        e.uid = QStringLiteral("n1-10");
        QVERIFY(!journalFeedback(ledgerToJournal(e), &back));
        Candidate c;
        c.uid = QStringLiteral("n1-11");
        c.query = QStringLiteral("a \"feedback\" question");
        QVERIFY(!journalFeedback(candidateToJournal(c), &back));
        bool isCandidate = false;
        QVERIFY(!journalRecord(feedbackToJournal(f), &c, &e, &isCandidate));
    }
    void segmentsRotateAndTornTailsAreDropped()
    {
        const QString base = m_dir.filePath(QStringLiteral("j/node"));
        auto j = Journal::open(base);
        QVERIFY(j.ok());
        QVERIFY((*j)->append("one").ok());
        QVERIFY((*j)->append("two").ok());
        auto closed = (*j)->rotate();
        QVERIFY(closed.ok());
        QVERIFY((*j)->append("three").ok());
        QVERIFY((*j)->sync().ok());
        QCOMPARE((*j)->closedSegments(), QStringList { *closed });
        auto first = Journal::readSegment(*closed);
        QCOMPARE(first->size(), size_t(2));
        QCOMPARE(first->at(1), QByteArray("two"));

        // A torn last record (the process died mid-write) is dropped; the rest is kept.
        QFile f(*closed);
        QVERIFY(f.open(QIODevice::Append));
        f.write(Journal::frame("four").left(9));
        f.close();
        QCOMPARE(Journal::readSegment(*closed)->size(), size_t(2));
        // A corrupted record stops the read there.
        QVERIFY(f.open(QIODevice::ReadWrite));
        QByteArray all = f.readAll();
        all.replace("one", "0ne");
        f.seek(0);
        f.write(all);
        f.close();
        QCOMPARE(Journal::readSegment(*closed)->size(), size_t(0));

        // Reopening continues after the highest segment.
        j->reset();
        auto again = Journal::open(base);
        QCOMPARE((*again)->closedSegments().size(), 2);
    }
    void concurrentAppendsStayWhole()
    {
        auto j = Journal::open(m_dir.filePath(QStringLiteral("c/node")));
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < 500; ++i)
                    (void)(*j)->append(QByteArray(100 + (i % 50), char('a' + t)));
            });
        }
        for (auto &t : threads)
            t.join();
        auto closed = (*j)->rotate();
        auto records = Journal::readSegment(*closed);
        QCOMPARE(records->size(), size_t(2000));
        for (const QByteArray &r : *records)
            QCOMPARE(r.count(r.at(0)), r.size());
    }
};

QTEST_GUILESS_MAIN(TestJournal)
#include "tst_journal.moc"
