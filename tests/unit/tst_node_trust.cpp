#include <QTest>

#include "nodefixture.h"
#ifdef L0_STORE_PG
#include "pgserver.h"
#endif
#include "trust/approvals.h"
#include "trust/auditlog.h"

using namespace l0;

namespace {
QByteArray question(const char *text)
{
    return QByteArray(R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":")") + text + R"("}]})";
}
} // namespace

// A node that pins an admin key serves only versions whose signed approvals verify up to it.
class TestNodeTrust : public QObject {
    Q_OBJECT
    NodeFixture f;
#ifdef L0_STORE_PG
    PgServer m_pg;
#endif
    std::unique_ptr<SigningKey> admin, ann, eve, rogueAdmin;
    QString adminPub;

    qint64 queuedEntry(const QString &query)
    {
        auto store = f.store();
        const auto items = store->queue(QueueFilter {});
        for (const auto &item : *items)
            if (item.query == query)
                return item.entryId;
        return 0;
    }

private slots:
    void initTestCase()
    {
        admin = std::make_unique<SigningKey>(std::move(SigningKey::generate().value()));
        ann = std::make_unique<SigningKey>(std::move(SigningKey::generate().value()));
        eve = std::make_unique<SigningKey>(std::move(SigningKey::generate().value()));
        rogueAdmin = std::make_unique<SigningKey>(std::move(SigningKey::generate().value()));
        adminPub = f.dir.filePath(QStringLiteral("admin.pub"));
        QFile out(adminPub);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(admin->publicPem());
        out.close();
        NodeConfig c;
        c.adminPubkeys = { adminPub };
#ifdef L0_STORE_PG
        QString error;
        QVERIFY2(m_pg.start(&error), qPrintable(error));
        QVERIFY(f.start(c, m_pg.url()));
#else
        QVERIFY(f.start(c));
#endif
        auto store = f.store();
        QVERIFY(registerReviewer(store->session(), QStringLiteral("ann"), *ann, *admin).ok());
        // eve's key was signed by someone else: someone with database access, not the admin.
        QVERIFY(registerReviewer(store->session(), QStringLiteral("eve"), *eve, *rogueAdmin).ok());
    }
    void cleanupTestCase()
    {
        f.node.reset();
    }

    void unsignedApprovalIsNotServed()
    {
        f.chat(f.keyApproved, question("unsigned one"));
        f.settle();
        const qint64 e = queuedEntry(QStringLiteral("unsigned one"));
        QVERIFY(e > 0);
        auto d = f.store()->decide(e, 0, VersionState::Approved, QStringLiteral("dba"), {});
        QVERIFY2(d.ok(), qPrintable(d.ok() ? QString() : d.error().message));
        f.settle();
        QCOMPARE(f.chat(f.keyApproved, question("unsigned one")).headers.value("x-l0-cache"), QByteArray("miss"));
    }
    void signedApprovalIsServed()
    {
        f.chat(f.keyApproved, question("signed one"));
        f.settle();
        const qint64 e = queuedEntry(QStringLiteral("signed one"));
        auto store = f.store();
        QVERIFY(decideSigned(store->session(), e, 0, true, *ann, {}, QDateTime::currentMSecsSinceEpoch()).ok());
        f.settle();
        QCOMPARE(f.chat(f.keyApproved, question("signed one")).headers.value("x-l0-cache"), QByteArray("hit"));
    }
    void keyTheAdminNeverSignedIsNotServed()
    {
        f.chat(f.keyApproved, question("rogue one"));
        f.settle();
        const qint64 e = queuedEntry(QStringLiteral("rogue one"));
        auto store = f.store();
        QVERIFY(decideSigned(store->session(), e, 0, true, *eve, {}, QDateTime::currentMSecsSinceEpoch()).ok());
        f.settle();
        QCOMPARE(f.chat(f.keyApproved, question("rogue one")).headers.value("x-l0-cache"), QByteArray("miss"));
    }
    void tamperedContentIsRefusedAndFound()
    {
        auto store = f.store();
        SqlSession &s = store->session();
        QVERIFY(verifyAudit(s)->ok);
        auto rows = s.query(QStringLiteral("SELECT v.entry_id FROM versions v JOIN entry_queries q ON q.entry_id = "
                                           "v.entry_id WHERE q.query = 'signed one'"));
        const qint64 e = rows->at(0).int64(0);
        QVERIFY(
            s.query(QStringLiteral(
                        "UPDATE versions SET content = replace(content, 'Simulated', 'Poisoned') WHERE entry_id = ?"),
                 { SqlSession::num(e) })
                .ok());
        auto report = verifyAudit(s);
        QVERIFY(!report->ok);
        QVERIFY(report->reason.contains(QStringLiteral("entry/%1@1").arg(e)));

        // A node that loads the store now refuses the tampered version.
        NodeConfig c;
        c.db = f.url;
        c.port = 0;
        c.threads = 1;
        c.upstream = QStringLiteral("sim");
        c.adminPubkeys = { adminPub };
        c.journal = f.dir.filePath(QStringLiteral("fresh-journal"));
        Node fresh(c);
        QVERIFY(fresh.start().ok());
        QNetworkRequest req(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/chat/completions").arg(fresh.port())));
        req.setRawHeader("Authorization", "Bearer " + f.keyApproved.toUtf8());
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        QNetworkReply *reply = f.nam.post(req, question("signed one"));
        QVERIFY(QTest::qWaitFor([&] { return reply->isFinished(); }, 10000));
        QCOMPARE(reply->rawHeader("x-l0-cache"), QByteArray("miss"));
        QVERIFY(!reply->readAll().contains("Poisoned"));
        reply->deleteLater();
        fresh.stop();
    }
};

QTEST_GUILESS_MAIN(TestNodeTrust)
#include "tst_node_trust.moc"
