#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTest>

#include "ctl.h"
#include "nodefixture.h"
#ifdef L0_STORE_PG
#include "pgserver.h"
#endif
#include "core/text.h"
#include "trust/adminkey.h"
#include "trust/approvals.h"
#include "trust/auditrestore.h"

using namespace l0;

namespace {
QByteArray question(const QString &text)
{
    return QByteArray(R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":")") + text.toUtf8() + R"("}]})";
}
qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}
} // namespace

// Someone with write access to the store changes rows with plain SQL. For each way: `audit
// verify` fails and names the row, no node serves what the chain does not support, `audit
// restore` puts the rows back, and the review flow goes on from there.
class TestAuditRestore : public QObject {
    Q_OBJECT
    NodeFixture f; // a node that pins the admin key, running throughout
#ifdef L0_STORE_PG
    PgServer m_pg;
#endif
    std::unique_ptr<SigningKey> admin, ann, bob, stranger;
    QString adminPub, adminPem, strangerPem;

    struct Run {
        int code;
        QString out;
        QString err;
    };
    Run ctl(QStringList args)
    {
        args = QStringList { QStringLiteral("--db"), f.url } + args;
        QString out, err;
        QTextStream o(&out), e(&err);
        const int code = runCtl(args, o, e);
        o.flush();
        e.flush();
        return { code, out, err };
    }
    SqlSession::Value sql(const QString &statement, const std::vector<SqlSession::Value> &params = {})
    {
        auto store = f.store();
        auto rows = store->session().query(statement, params);
        if (!rows)
            qWarning() << rows.error().message;
        return rows && !rows->empty() && !rows->at(0).cols.empty() ? rows->at(0).cols.at(0) : SqlSession::Value();
    }
    // Asks the running node, which files the answer for review; the entry it was filed under.
    qint64 filed(const QString &q)
    {
        f.chat(f.keyApproved, question(q));
        f.settle();
        auto items = f.store()->queue(QueueFilter {});
        for (const QueueItem &item : *items)
            if (item.query == q)
                return item.entryId;
        return 0;
    }
    // What a node that starts on the store now answers: hit or miss.
    QByteArray freshNodeAnswers(const QString &q, bool pinned)
    {
        NodeFixture g;
        g.node = std::make_unique<Node>(freshConfig(g, pinned));
        if (!g.node->start())
            return "no start";
        const QByteArray outcome = g.chat(f.keyApproved, question(q)).headers.value("x-l0-cache");
        g.node->stop();
        return outcome;
    }
    QByteArray freshNodeMetrics()
    {
        NodeFixture g;
        g.node = std::make_unique<Node>(freshConfig(g, true));
        if (!g.node->start())
            return "no start";
        const QByteArray text = g.request("GET", QStringLiteral("/metrics"), QString()).body;
        g.node->stop();
        return text;
    }
    NodeConfig freshConfig(NodeFixture &g, bool pinned)
    {
        NodeConfig c;
        c.db = f.url;
        c.port = 0;
        c.threads = 1;
        c.upstream = QStringLiteral("sim");
        c.journal = g.dir.filePath(QStringLiteral("journal"));
        if (pinned)
            c.adminPubkeys = { adminPub };
        c.trustDatabase = !pinned;
        return c;
    }
    // verify fails naming every place; restore repairs; verify then passes.
    void verifyNamesAndRestoreRepairs(const QStringList &places)
    {
        const Run broken = ctl({ QStringLiteral("audit"), QStringLiteral("verify") });
        QCOMPARE(broken.code, 1);
        for (const QString &place : places)
            QVERIFY2(broken.out.contains(place), qPrintable(place + QStringLiteral(" not in: ") + broken.out));
        const Run restored
            = ctl({ QStringLiteral("audit"), QStringLiteral("restore"), QStringLiteral("--admin-key"), adminPem });
        QVERIFY2(restored.code == 0, qPrintable(restored.out + restored.err));
        for (const QString &place : places)
            QVERIFY2(restored.out.contains(place), qPrintable(restored.out));
        const Run ok = ctl({ QStringLiteral("audit"), QStringLiteral("verify") });
        QVERIFY2(ok.code == 0 && ok.out.startsWith(QLatin1String("OK ")), qPrintable(ok.out));
    }
    QString stateOf(qint64 e, int v = 1)
    {
        return QString::fromUtf8(sql(QStringLiteral("SELECT state FROM versions WHERE entry_id = ? AND version = ?"),
            { SqlSession::num(e), SqlSession::num(v) })
                                     .value_or(QByteArray()));
    }
    bool approveSigned(qint64 e, const SigningKey &key)
    {
        auto store = f.store();
        auto d = decideSigned(store->session(), e, 1, true, key, {}, now());
        if (!d)
            qWarning() << d.error().message;
        return d.ok();
    }
    QByteArray runningNodeAnswers(const QString &q)
    {
        f.settle();
        return f.chat(f.keyApproved, question(q)).headers.value("x-l0-cache");
    }

private slots:
    void initTestCase()
    {
        admin = std::make_unique<SigningKey>(std::move(SigningKey::generate().value()));
        ann = std::make_unique<SigningKey>(std::move(SigningKey::generate().value()));
        bob = std::make_unique<SigningKey>(std::move(SigningKey::generate().value()));
        stranger = std::make_unique<SigningKey>(std::move(SigningKey::generate().value()));
        qputenv("L0_PASSPHRASE", "restore test passphrase");
        adminPem = f.dir.filePath(QStringLiteral("admin.pem"));
        adminPub = adminPem + QStringLiteral(".pub");
        strangerPem = f.dir.filePath(QStringLiteral("stranger.pem"));
        QVERIFY(writeKeyPair(*admin, adminPem, "restore test passphrase").ok());
        QVERIFY(writeKeyPair(*stranger, strangerPem, "restore test passphrase").ok());
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
        QVERIFY(registerReviewer(store->session(), QStringLiteral("bob"), *bob, *admin).ok());
        QCOMPARE(ctl({ QStringLiteral("audit"), QStringLiteral("verify") }).code, 0);
    }
    void cleanupTestCase()
    {
        f.node.reset();
        qunsetenv("L0_PASSPHRASE");
    }

    void forgedState()
    {
        const QString q = QStringLiteral("forged state");
        const qint64 e = filed(q);
        QVERIFY(e > 0);
        sql(QStringLiteral("UPDATE versions SET state = 'approved' WHERE entry_id = ?"), { SqlSession::num(e) });
        QCOMPARE(freshNodeAnswers(q, true), QByteArray("miss"));
        QCOMPARE(freshNodeAnswers(q, false), QByteArray("miss")); // served nowhere, not even unpinned
        // A dry run changes nothing; a key that registered nobody here may not restore.
        const Run dry = ctl({ QStringLiteral("audit"), QStringLiteral("restore"), QStringLiteral("--dry-run") });
        QCOMPARE(dry.code, 0);
        QVERIFY(dry.out.contains(QStringLiteral("WOULD RESTORE versions entry/%1@1").arg(e)));
        QCOMPARE(stateOf(e), QStringLiteral("approved"));
        const Run refused
            = ctl({ QStringLiteral("audit"), QStringLiteral("restore"), QStringLiteral("--admin-key"), strangerPem });
        QCOMPARE(refused.code, 1);
        QVERIFY(refused.err.contains(QStringLiteral("registered none")));

        verifyNamesAndRestoreRepairs({ QStringLiteral("versions entry/%1@1").arg(e) });
        QCOMPARE(stateOf(e), QStringLiteral("pending"));
        // The restore is the admin's signed act, in the chain.
        auto store = f.store();
        auto last = store->session().query(
            QStringLiteral("SELECT ts_ms, actor, action, details FROM audit_log ORDER BY id DESC LIMIT 1"));
        QCOMPARE(last->at(0).text(2), QStringLiteral("audit.restore"));
        QCOMPARE(last->at(0).text(1), QStringLiteral("admin:") + QString::fromLatin1(admin->fingerprint().left(16)));
        const QJsonObject details = QJsonDocument::fromJson(last->at(0).bytes(3)).object();
        const QByteArray changes
            = QJsonDocument(details.value(QLatin1String("changes")).toArray()).toJson(QJsonDocument::Compact);
        QVERIFY(admin->verify(restoreMessage(last->at(0).int64(0), changes),
            QByteArray::fromBase64(details.value(QLatin1String("signature")).toString().toLatin1())));

        // The blocked decision can be taken again, and serves.
        QVERIFY(approveSigned(e, *ann));
        QCOMPARE(runningNodeAnswers(q), QByteArray("hit"));
    }

    void forgedApprovalWithABadSignature()
    {
        const QString q = QStringLiteral("forged approval row");
        const qint64 e = filed(q);
        QVERIFY(e > 0);
        const QByteArray content
            = sql(QStringLiteral("SELECT content FROM versions WHERE entry_id = ?"), { SqlSession::num(e) }).value();
        sql(QStringLiteral("INSERT INTO approvals (entry_id, version, decision, reviewer, content_sha256, signed_ms, "
                           "signature) VALUES (?, 1, 'approve', 'ann', ?, ?, ?)"),
            { SqlSession::num(e), SqlSession::Value(sha256Hex(content)), SqlSession::num(now()),
                SqlSession::Value(randomBytes(64).toBase64()) });
        sql(QStringLiteral("UPDATE versions SET state = 'approved' WHERE entry_id = ?"), { SqlSession::num(e) });
        const qint64 row
            = sql(QStringLiteral("SELECT id FROM approvals WHERE entry_id = ?"), { SqlSession::num(e) })->toLongLong();
        QCOMPARE(freshNodeAnswers(q, true), QByteArray("miss"));
        QCOMPARE(freshNodeAnswers(q, false), QByteArray("miss"));
        verifyNamesAndRestoreRepairs({ QStringLiteral("approvals approval %1 (entry/%2@1 by ann)").arg(row).arg(e),
            QStringLiteral("versions entry/%1@1").arg(e) });
        QCOMPARE(stateOf(e), QStringLiteral("pending"));
        QVERIFY(!sql(QStringLiteral("SELECT id FROM approvals WHERE entry_id = ?"), { SqlSession::num(e) }));
        QVERIFY(approveSigned(e, *ann)); // ann's real decision is no longer blocked by the forged one
        QCOMPARE(runningNodeAnswers(q), QByteArray("hit"));
    }

    void deletedApproval()
    {
        const QString q = QStringLiteral("deleted approval row");
        const qint64 e = filed(q);
        QVERIFY(approveSigned(e, *ann));
        QCOMPARE(runningNodeAnswers(q), QByteArray("hit"));
        sql(QStringLiteral("DELETE FROM approvals WHERE entry_id = ?"), { SqlSession::num(e) });
        QCOMPARE(freshNodeAnswers(q, true), QByteArray("miss")); // no signature left to verify
        verifyNamesAndRestoreRepairs({ QStringLiteral("approvals approval of entry/%1@1 by ann").arg(e) });
        QCOMPARE(stateOf(e), QStringLiteral("approved"));
        QCOMPARE(freshNodeAnswers(q, true), QByteArray("hit"));
        QCOMPARE(runningNodeAnswers(q), QByteArray("hit"));
        // The restored row is ann's own decision: she can still take it back within the window.
        auto store = f.store();
        QVERIFY(withdrawDecision(store->session(), e, 1, *ann, now()).ok());
        QCOMPARE(runningNodeAnswers(q), QByteArray("miss"));
        QCOMPARE(ctl({ QStringLiteral("audit"), QStringLiteral("verify") }).code, 0);
    }

    void withdrawnDecisionPutBack()
    {
        const QString q = QStringLiteral("withdrawn decision put back");
        const qint64 e = filed(q);
        QVERIFY(approveSigned(e, *ann));
        {
            auto store = f.store();
            QVERIFY(withdrawDecision(store->session(), e, 1, *ann, now()).ok());
        }
        QCOMPARE(runningNodeAnswers(q), QByteArray("miss"));
        // The withdrawn decision still carries ann's valid signature: only the chain tells.
        sql(QStringLiteral("INSERT INTO approvals (entry_id, version, decision, reviewer, content_sha256, signed_ms, "
                           "signature, reason) SELECT entry_id, version, decision, reviewer, content_sha256, "
                           "signed_ms, signature, reason FROM withdrawn_approvals WHERE entry_id = ?"),
            { SqlSession::num(e) });
        sql(QStringLiteral("UPDATE versions SET state = 'approved' WHERE entry_id = ?"), { SqlSession::num(e) });
        const qint64 row
            = sql(QStringLiteral("SELECT id FROM approvals WHERE entry_id = ?"), { SqlSession::num(e) })->toLongLong();
        QCOMPARE(freshNodeAnswers(q, true), QByteArray("miss"));
        QCOMPARE(freshNodeAnswers(q, false), QByteArray("miss"));
        const Run broken = ctl({ QStringLiteral("audit"), QStringLiteral("verify") });
        QVERIFY(broken.out.contains(QStringLiteral("withdrew")));
        verifyNamesAndRestoreRepairs({ QStringLiteral("approvals approval %1 (entry/%2@1 by ann)").arg(row).arg(e),
            QStringLiteral("versions entry/%1@1").arg(e) });
        QCOMPARE(stateOf(e), QStringLiteral("pending"));
        QVERIFY(
            sql(QStringLiteral("SELECT COUNT(*) FROM withdrawn_approvals WHERE entry_id = ?"), { SqlSession::num(e) })
                ->toInt()
            == 1); // the record of the withdrawal stays
        QVERIFY(approveSigned(e, *bob));
        QCOMPARE(runningNodeAnswers(q), QByteArray("hit"));
    }

    void rulePackActivatedWithoutApproval()
    {
        auto store = f.store();
        QFile starter(QStringLiteral(L0_SOURCE_DIR "/resources/packs/starter-support.json"));
        QVERIFY(starter.open(QIODevice::ReadOnly));
        auto pack = store->addRulePack(
            QStringLiteral("approved"), QStringLiteral("starter-support"), 1, starter.readAll(), QStringLiteral("ann"));
        QVERIFY(pack.ok());
        sql(QStringLiteral("UPDATE rule_packs SET state = 'active', seq = seq + 1 WHERE id = ?"),
            { SqlSession::num(pack->id) });
        QVERIFY(freshNodeMetrics().contains("l0_trust_refused{kind=\"rule_pack\"} 1"));
        verifyNamesAndRestoreRepairs({ QStringLiteral("rule_packs rulepack/%1").arg(pack->id) });
        QCOMPARE(store->rulePacks(QStringLiteral("approved"))->back().state, QStringLiteral("pending"));
        // Approved the normal way, the pack serves.
        QVERIFY(store->decideRulePack(pack->id, true, QStringLiteral("bob")).ok());
        const QByteArray metrics = freshNodeMetrics();
        QVERIFY2(metrics.contains("l0_trust_refused{kind=\"rule_pack\"} 0"), metrics.constData());
        QCOMPARE(ctl({ QStringLiteral("audit"), QStringLiteral("verify") }).code, 0);
    }

    void nodeRefusesToStartUnpinned()
    {
        NodeFixture g;
        NodeConfig c = freshConfig(g, false);
        c.trustDatabase = false;
        Node unpinned(c);
        auto started = unpinned.start();
        QVERIFY(!started.ok());
        QVERIFY(started.error().message.contains(QStringLiteral("--admin-pubkey FILE")));
        QVERIFY(started.error().message.contains(QStringLiteral("--trust-database")));
        // The binary says so in one line and exits non-zero.
        QProcess node;
        node.start(QStringLiteral(L0_NODE_BINARY),
            { QStringLiteral("--db"), f.url, QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                QStringLiteral("--upstream"), QStringLiteral("sim"), QStringLiteral("--journal"),
                g.dir.filePath(QStringLiteral("binary-journal")) });
        QVERIFY(node.waitForFinished(20000));
        QCOMPARE(node.exitCode(), 1);
        const QByteArray err = node.readAllStandardError().trimmed();
        QVERIFY2(err.startsWith("l0-node: no admin public key is pinned") && !err.contains('\n'), err.constData());
        // Told to trust the database, it starts, and says so in /metrics.
        g.node = std::make_unique<Node>(freshConfig(g, false));
        QVERIFY(g.node->start().ok());
        QVERIFY(
            g.request("GET", QStringLiteral("/metrics"), QString()).body.contains("l0_trust_database_unverified 1"));
        g.node->stop();
        QVERIFY(freshNodeMetrics().contains("l0_trust_database_unverified 0"));
    }

    void adminKeyIsMadeOnceAndEncrypted()
    {
        QTemporaryDir dir;
        auto made = ensureAdminKey(dir.path());
        QVERIFY(made.ok() && made->created);
        QCOMPARE(QFile(made->passphrase).permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
            QFileDevice::Permissions());
        QCOMPARE(QFile(made->privateKey).permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
            QFileDevice::Permissions());
        auto pass = readPassphraseFile(made->passphrase);
        QVERIFY(pass.ok());
        QVERIFY(!SigningKey::fromPrivateFile(made->privateKey, "wrong").ok());
        auto key = SigningKey::fromPrivateFile(made->privateKey, *pass);
        QVERIFY(key.ok());
        QCOMPARE(key->fingerprint(), SigningKey::fromPublicFile(made->publicKey)->fingerprint());
        auto again = ensureAdminKey(dir.path());
        QVERIFY(again.ok() && !again->created);
        QCOMPARE(SigningKey::fromPublicFile(made->publicKey)->fingerprint(), key->fingerprint());
    }
};

QTEST_GUILESS_MAIN(TestAuditRestore)
#include "tst_audit_restore.moc"
