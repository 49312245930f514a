#include <QDateTime>
#include <QJsonObject>
#include <QTest>

#include "ctl.h"
#include "ledger/retention.h"
#include "pgserver.h"
#include "store/store.h"
#include "trust/approvals.h"

using namespace l0;

// Least privilege on a real PostgreSQL: what each role may and may not do, and tenant scoping
// of reviewers by row-level security.
class TestRolesPg : public QObject {
    Q_OBJECT
    PgServer m_pg;
    std::unique_ptr<Store> m_admin;
    qint64 m_entryA = 0, m_entryB = 0;

    std::unique_ptr<Store> as(const QString &user)
    {
        auto s = openStore(m_pg.url(QStringLiteral("postgres"), user));
        if (!s)
            qFatal("connect as %s: %s", qPrintable(user), qPrintable(s.error().message));
        return std::move(s.value());
    }
    Candidate candidate(qint64 tenant, const QByteArray &key)
    {
        Candidate c;
        c.tenantId = tenant;
        c.cacheKey = key;
        c.model = QStringLiteral("m");
        c.query = QString::fromLatin1(key);
        const QString text = QStringLiteral("answer for ") + QString::fromLatin1(key);
        c.result.message = QJsonObject { { QStringLiteral("content"), text } };
        c.author = QStringLiteral("upstream:m");
        return c;
    }
    int ctl(const QStringList &args)
    {
        QString o, e;
        QTextStream out(&o), err(&e);
        QStringList all { QStringLiteral("--db"), m_pg.url() };
        all += args;
        const int code = runCtl(all, out, err);
        err.flush();
        if (code != 0)
            qWarning() << e;
        return code;
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_pg.start(&error), qPrintable(error));
        m_admin = as(QStringLiteral("postgres"));
        QVERIFY(m_admin->migrate().ok());
        const qint64 a = m_admin->addTenant(QStringLiteral("a"), Policy::Approved)->id;
        const qint64 b = m_admin->addTenant(QStringLiteral("b"), Policy::Approved)->id;
        m_entryA = m_admin->addCandidate(candidate(a, "question-a"))->entryId;
        m_entryB = m_admin->addCandidate(candidate(b, "question-b"))->entryId;
        for (const char *login : { "node1", "rev_a", "mgr" })
            QVERIFY(m_admin->session().query(QStringLiteral("CREATE ROLE %1 LOGIN").arg(QLatin1String(login))).ok());
        QCOMPARE(ctl({ QStringLiteral("role"), QStringLiteral("grant"), QStringLiteral("node1"), QStringLiteral("--as"),
                     QStringLiteral("node") }),
            0);
        QCOMPARE(ctl({ QStringLiteral("role"), QStringLiteral("grant"), QStringLiteral("rev_a"), QStringLiteral("--as"),
                     QStringLiteral("reviewer"), QStringLiteral("--tenant"), QStringLiteral("a") }),
            0);
        QCOMPARE(ctl({ QStringLiteral("role"), QStringLiteral("grant"), QStringLiteral("mgr"), QStringLiteral("--as"),
                     QStringLiteral("manager") }),
            0);
        QCOMPARE(ctl({ QStringLiteral("role"), QStringLiteral("grant"), QStringLiteral("Bad-Name"),
                     QStringLiteral("--as"), QStringLiteral("node") }),
            2);
    }

    void nodeFilesButCannotDecide()
    {
        auto node = as(QStringLiteral("node1"));
        QVERIFY(node->checkSchema().ok());
        QVERIFY(node->activeKeys().ok());
        const qint64 a = node->tenantByName(QStringLiteral("a"))->id;
        auto receipt = node->addCandidate(candidate(a, "from-node"));
        QVERIFY2(receipt.ok(), qPrintable(receipt.ok() ? QString() : receipt.error().message));
        CostEvent e;
        e.tsMs = 1;
        e.tenantId = a;
        e.modelRequested = e.modelUsed = QStringLiteral("m");
        QVERIFY(node->appendLedger({ e }).ok()); // 1970: its month's partition made on demand
        // A node keeps the partitions ahead, but cannot change the retention or drop a month.
        QVERIFY(maintainLedger(node->session(), QDateTime::currentMSecsSinceEpoch()).ok());
        QVERIFY(!setLedgerSettings(node->session(), LedgerSettings { 1, 3, 0 }, 0).ok());
        QVERIFY(!node->session().query(QStringLiteral("DROP TABLE ledger_events_1970_01")).ok());
        auto decided = node->decide(m_entryA, 0, VersionState::Approved, QStringLiteral("node1"), {});
        QVERIFY(!decided.ok());
        QCOMPARE(decided.error().code, ErrorCode::PermissionDenied);
        QVERIFY(!node->session().query(QStringLiteral("UPDATE versions SET content = 'x'")).ok());
    }
    void reviewerSeesOnlyTheirTenantAndCannotRewrite()
    {
        auto rev = as(QStringLiteral("rev_a"));
        auto queue = rev->queue(QueueFilter { std::nullopt, true, {}, 100 });
        QVERIFY(queue.ok());
        QVERIFY(!queue->empty());
        for (const QueueItem &item : *queue)
            QCOMPARE(item.tenant, QStringLiteral("a"));
        auto other = rev->session().query(
            QStringLiteral("SELECT COUNT(*) FROM versions WHERE entry_id = ?"), { SqlSession::num(m_entryB) });
        QCOMPARE(other->at(0).int64(0), 0);
        // Deciding is allowed; rewriting content or touching the ledger is not.
        QVERIFY(rev->decide(m_entryA, 0, VersionState::Rejected, QStringLiteral("rev_a"), QStringLiteral("other: test"))
                    .ok());
        QVERIFY(!rev->session()
                     .query(QStringLiteral("UPDATE versions SET content = 'poison' WHERE entry_id = ?"),
                         { SqlSession::num(m_entryA) })
                     .ok());
        QVERIFY(!rev->ledgerTotals({}).ok());
        CostEvent e;
        e.tenantId = 1;
        QVERIFY(!rev->appendLedger({ e }).ok());
        // A version of tenant b is invisible, so it cannot be decided either.
        QCOMPARE(rev->decide(m_entryB, 1, VersionState::Approved, QStringLiteral("rev_a"), {}).error().code,
            ErrorCode::NotFound);
    }
    void reviewerWithdrawsTheirOwnSignedDecision()
    {
        auto adminKey = SigningKey::generate();
        auto revKey = SigningKey::generate();
        QVERIFY(registerReviewer(m_admin->session(), QStringLiteral("rev_a"), *revKey, *adminKey).ok());
        const qint64 a = m_admin->tenantByName(QStringLiteral("a"))->id;
        const qint64 e = m_admin->addCandidate(candidate(a, "to-withdraw"))->entryId;
        auto rev = as(QStringLiteral("rev_a"));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        auto d = decideSigned(rev->session(), e, 1, true, *revKey, {}, now);
        QVERIFY2(d.ok(), qPrintable(d.ok() ? QString() : d.error().message));
        auto w = withdrawDecision(rev->session(), e, 1, *revKey, now + 1000);
        QVERIFY2(w.ok(), qPrintable(w.ok() ? QString() : w.error().message));
        QCOMPARE(w->state, VersionState::Pending);
        // A node reads the record but can neither delete decisions nor forge withdrawals.
        auto node = as(QStringLiteral("node1"));
        QVERIFY(node->session().query(QStringLiteral("SELECT COUNT(*) FROM withdrawn_approvals")).ok());
        QVERIFY(!node->session().query(QStringLiteral("DELETE FROM approvals")).ok());
        QVERIFY(!node->session()
                     .query(QStringLiteral("INSERT INTO withdrawn_approvals (entry_id, version, decision, reviewer, "
                                           "content_sha256, signed_ms, signature, withdrawn_ms, withdraw_signature) "
                                           "VALUES (1, 1, 'approve', 'x', 'x', 1, 'x', 1, 'x')"))
                     .ok());
    }
    void managerReadsTheLedgerOnly()
    {
        auto mgr = as(QStringLiteral("mgr"));
        QVERIFY(mgr->ledgerTotals({}).ok());
        QVERIFY(!mgr->queue(QueueFilter {}).ok());
        QVERIFY(!mgr->decide(m_entryA, 0, VersionState::Approved, QStringLiteral("mgr"), {}).ok());
    }
};

QTEST_GUILESS_MAIN(TestRolesPg)
#include "tst_roles_pg.moc"
