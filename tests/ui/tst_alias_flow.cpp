#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QSignalSpy>
#include <QTabBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

#include "ctl.h"
#include "nodefixture.h"
#include "review/aliasreview.h"
#include "review/reviewwidget.h"
#include "semantic/thresholdbook.h"
#include "store/aliasrules.h"
#include "trust/aliasdecisions.h"
#include "trust/approvals.h"
#include "trust/auditlog.h"
#include "trust/signing.h"

using namespace l0;

// Aliases end to end, against a running node that pins its admin key: a query that came close
// to an approved entry is proposed through the node's near-miss sink (as the semantic tier
// calls it), shown in the console's alias lane as "Same question as entry N?", confirmed with
// the keyboard (A, signed), and from then on the node serves that very query as an exact hit of
// the entry. A no (R) is recorded and not proposed again; a revoked entry's alias serves
// nothing; an alias nobody signed is never served; the audit chain verifies the signed ones.
class TestAliasFlow : public QObject {
    Q_OBJECT
    NodeFixture f;
    QTemporaryDir m_keys;
    std::shared_ptr<const SigningKey> admin, ann, bob;
    qint64 m_tenant = 0;
    qint64 m_reset = 0; // the approved entry "How do I reset my password?"

    static bool waitFor(QObject *o, const char *signal, const std::function<bool()> &done)
    {
        QSignalSpy spy(o, signal);
        for (int i = 0; i < 40 && !done(); ++i)
            spy.wait(250);
        return done();
    }

    static QByteArray ask(const QString &question)
    {
        return QJsonDocument(QJsonObject { { QStringLiteral("model"), QStringLiteral("gpt-4o-mini") },
                                 { QStringLiteral("messages"),
                                     QJsonArray { QJsonObject { { QStringLiteral("role"), QStringLiteral("user") },
                                         { QStringLiteral("content"), question } } } } })
            .toJson(QJsonDocument::Compact);
    }

    // The exact entry a question's miss was filed under: its id, key and canonical request.
    struct Filed {
        qint64 entry = 0;
        QByteArray key;
        QByteArray request;
    };
    Filed filed(const QString &question)
    {
        auto store = f.store();
        auto rows = store->session().query(
            QStringLiteral("SELECT e.id, e.cache_key, e.request, e.tier FROM entries e JOIN entry_queries q ON "
                           "q.entry_id = e.id WHERE q.query = ?"),
            { SqlSession::str(question) });
        if (!rows || rows->size() != 1 || rows->at(0).text(3) != QLatin1String("exact"))
            return {};
        return { rows->at(0).int64(0), rows->at(0).bytes(1), rows->at(0).bytes(2) };
    }

    // Asks once (a miss, filed), then a signed approval by ann; returns the entry.
    qint64 approved(const QString &question)
    {
        if (f.chat(f.keyApproved, ask(question)).headers.value("x-l0-cache") != "miss")
            return 0;
        f.settle();
        const Filed e = filed(question);
        auto store = f.store();
        if (!e.entry || !decideSigned(store->session(), e.entry, 0, true, *ann, {}, Clock::system()->nowMs()))
            return 0;
        f.settle();
        return e.entry;
    }

    // What the semantic tier hands the node on a near miss: this request's exact key and text,
    // close to entry (similarity) without passing its threshold.
    void nearMiss(const QString &question, qint64 entry, double similarity)
    {
        const Filed q = filed(question);
        QVERIFY2(q.entry, qPrintable(question));
        AliasProposal p;
        p.tenantId = m_tenant;
        p.entryId = entry;
        p.version = 1;
        p.queryKey = q.key;
        p.query = question;
        p.requestJson = q.request;
        p.similarity = similarity;
        NearMissSink *sink = f.node->storeWorker(); // TierSources::nearMisses in the node
        sink->submitNearMiss(p);
        f.settle();
    }

    QByteArray cacheOf(const QString &question, QByteArray *entry = nullptr, QString *content = nullptr)
    {
        const auto r = f.chat(f.keyApproved, ask(question));
        if (entry)
            *entry = r.headers.value("x-l0-entry");
        if (content)
            *content = NodeFixture::content(r);
        return r.headers.value("x-l0-cache");
    }

    // The reviewer's console on the alias lane (key 5), the window active.
    bool openAliasLane(ui::ReviewWidget &view)
    {
        view.resize(1280, 800);
        view.show();
        view.setStore(f.url, QStringLiteral("bob"));
        view.setReviewerKey(bob);
        view.activateWindow();
        view.setFocus();
        if (!QTest::qWaitForWindowActive(&view))
            return false;
        QTest::keyClick(&view, Qt::Key_5);
        return waitFor(view.aliasReview(), SIGNAL(shown()), [&] { return view.aliasReview()->current() != nullptr; });
    }

    bool chainVerifies()
    {
        auto store = f.store();
        auto report = verifyAudit(store->session());
        if (!report || !report->ok)
            qWarning() << (report ? report->reason : report.error().message);
        return report && report->ok;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_keys.isValid());
        admin = std::make_shared<const SigningKey>(std::move(SigningKey::generate().value()));
        ann = std::make_shared<const SigningKey>(std::move(SigningKey::generate().value()));
        bob = std::make_shared<const SigningKey>(std::move(SigningKey::generate().value()));
        const QString pin = m_keys.filePath(QStringLiteral("admin.pub"));
        QFile file(pin);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(admin->publicPem());
        file.close();
        NodeConfig config;
        config.adminPubkeys = { pin }; // serves only what verifies up to this key
        QVERIFY(f.start(config));
        auto store = f.store();
        QVERIFY(registerReviewer(store->session(), QStringLiteral("ann"), *ann, *admin).ok());
        QVERIFY(registerReviewer(store->session(), QStringLiteral("bob"), *bob, *admin).ok());
        m_tenant = store->tenantByName(QStringLiteral("approved"))->id;
        m_reset = approved(QStringLiteral("How do I reset my password?"));
        QVERIFY(m_reset > 0);
        QCOMPARE(cacheOf(QStringLiteral("How do I reset my password?")), QByteArray("hit"));
    }

    void confirmedInTheConsoleIsServedAsAnExactHit()
    {
        const QString question = QStringLiteral("I forgot my password, how can I reset it?");
        QString approvedAnswer;
        QByteArray entry;
        QCOMPARE(cacheOf(QStringLiteral("How do I reset my password?"), &entry, &approvedAnswer), QByteArray("hit"));
        QCOMPARE(cacheOf(question), QByteArray("miss"));
        f.settle();
        nearMiss(question, m_reset, 0.83);
        nearMiss(question, m_reset, 0.85); // the same near miss again: one proposal, seen twice
        {
            auto store = f.store();
            auto waiting = aliasProposals(store->session(), AliasFilter {});
            QCOMPARE(int(waiting->size()), 1);
            QCOMPARE(waiting->front().seen, 2);
            QCOMPARE(waiting->front().entryId, m_reset);
        }
        QCOMPARE(cacheOf(question), QByteArray("miss")); // a proposal serves nothing

        ui::ReviewWidget view;
        QVERIFY(openAliasLane(view));
        ui::AliasReview *aliases = view.aliasReview();
        QVERIFY(aliases->isVisible());
        QCOMPARE(aliases->current()->query, question);
        QVERIFY2(aliases->headerText().contains(QStringLiteral("Same question as entry %1?").arg(m_reset)),
            qPrintable(aliases->headerText()));
        QVERIFY2(aliases->headerText().contains(QLocale().toString(0.85, 'f', 3)), qPrintable(aliases->headerText()));
        QVERIFY(aliases->headerText().contains(QStringLiteral("2 times")));
        QTabBar *lanes = view.findChild<QTabBar *>();
        QVERIFY(waitFor(aliases, SIGNAL(countChanged(qint64)),
            [&] { return lanes->tabText(ui::ReviewWidget::kAliasLane) == QStringLiteral("Same question? · 1"); }));
        // Both questions side by side, and the answer a yes would serve.
        bool bothQuestions = false, answerShown = false;
        for (auto *b : aliases->findChildren<QTextBrowser *>()) {
            const QString text = b->toPlainText();
            bothQuestions = bothQuestions
                || (text.contains(QStringLiteral("How do I reset my password?"))
                    && text.contains(QStringLiteral("forgot")));
            answerShown = answerShown || (!approvedAnswer.isEmpty() && text.contains(approvedAnswer.left(40)));
        }
        QVERIFY(bothQuestions);
        QVERIFY(answerShown);
        if (const QString shots = qEnvironmentVariable("L0_SCREENSHOT_DIR"); !shots.isEmpty())
            QVERIFY(view.grab().save(shots + QStringLiteral("/aliases.png")));

        // A: same question, signed with bob's key.
        QSignalSpy decided(&view, &ui::ReviewWidget::decisionMade);
        QTest::keyClick(&view, Qt::Key_A);
        QVERIFY(decided.wait(5000));
        QVERIFY2(aliases->statusText().contains(QStringLiteral("is now answered as entry %1").arg(m_reset)),
            qPrintable(aliases->statusText()));
        QVERIFY(waitFor(aliases, SIGNAL(countChanged(qint64)), [&] { return aliases->waiting() == 0; }));

        // The node learns it from the store and serves the query as an exact hit of the entry.
        f.settle();
        QByteArray servedEntry;
        QString served;
        const auto r = f.chat(f.keyApproved, ask(question));
        QCOMPARE(r.headers.value("x-l0-cache"), QByteArray("hit"));
        QCOMPARE(r.headers.value("x-l0-tier"), QByteArray("exact"));
        QCOMPARE(r.headers.value("x-l0-entry"), entry);
        QCOMPARE(NodeFixture::content(r), approvedAnswer);
        QVERIFY(chainVerifies());

        // The same decision as l0ctl lists it, and the chain as `l0ctl audit verify` checks it.
        QString o, e;
        QTextStream out(&o), err(&e);
        QCOMPARE(runCtl({ QStringLiteral("--db"), f.url, QStringLiteral("alias"), QStringLiteral("list"),
                            QStringLiteral("--state"), QStringLiteral("confirmed"), QStringLiteral("--json") },
                     out, err),
            0);
        out.flush();
        const QJsonArray listed = QJsonDocument::fromJson(o.toUtf8()).array();
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed.at(0).toObject().value(QStringLiteral("decided_by")).toString(), QStringLiteral("bob"));
        o.clear();
        QCOMPARE(
            runCtl({ QStringLiteral("--db"), f.url, QStringLiteral("audit"), QStringLiteral("verify") }, out, err), 0);
    }

    void rejectedInTheConsoleIsRecordedAndNotProposedAgain()
    {
        const QString question = QStringLiteral("How do I reset my router?");
        QCOMPARE(cacheOf(question), QByteArray("miss"));
        f.settle();
        nearMiss(question, m_reset, 0.79);
        ui::ReviewWidget view;
        QVERIFY(openAliasLane(view));
        QCOMPARE(view.aliasReview()->current()->query, question);
        QSignalSpy decided(&view, &ui::ReviewWidget::decisionMade);
        QTest::keyClick(&view, Qt::Key_R); // not the same question
        QVERIFY(decided.wait(5000));
        QVERIFY2(view.aliasReview()->statusText().contains(QStringLiteral("will not be proposed again")),
            qPrintable(view.aliasReview()->statusText()));
        f.settle();
        QCOMPARE(cacheOf(question), QByteArray("miss"));
        nearMiss(question, m_reset, 0.80); // it comes close again: counted, not back in the lane
        auto store = f.store();
        QCOMPARE(countAliasProposals(store->session(), QStringLiteral("pending")).value(), 0);
        auto rejected = aliasProposals(store->session(), AliasFilter { QStringLiteral("rejected") });
        QCOMPARE(int(rejected->size()), 1);
        QCOMPARE(rejected->front().seen, 2);
        QCOMPARE(rejected->front().decidedBy, QStringLiteral("bob"));
        QVERIFY(chainVerifies());
    }

    void anAliasNobodySignedIsNeverServed()
    {
        // Write access to the database alone: a proposal marked confirmed without a valid signature.
        const qint64 shipping = approved(QStringLiteral("How long does shipping take?"));
        QVERIFY(shipping > 0);
        const QString question = QStringLiteral("When will my parcel arrive?");
        QCOMPARE(cacheOf(question), QByteArray("miss"));
        f.settle();
        nearMiss(question, shipping, 0.74);
        auto store = f.store();
        auto seq = store->session().nextSeq();
        QVERIFY(seq.ok());
        QVERIFY(store->session()
                    .execute(QStringLiteral("UPDATE alias_proposals SET state = 'confirmed', decided_by = 'bob', "
                                            "decided_ms = 1, signature = 'AAAA', seq = ? WHERE entry_id = ?"),
                        { SqlSession::num(*seq), SqlSession::num(shipping) })
                    .ok());
        f.settle();
        QCOMPARE(cacheOf(question), QByteArray("miss"));
        QVERIFY(!chainVerifies());
        // Put back as it was, for the tests after this one.
        QVERIFY(store->session()
                    .execute(
                        QStringLiteral("DELETE FROM alias_proposals WHERE entry_id = ?"), { SqlSession::num(shipping) })
                    .ok());
        QVERIFY(chainVerifies());
    }

    void l0ctlListsAndDecidesSigned()
    {
        // The same decisions from a script: list, confirm with a key file, and a second decision
        // on the same proposal refused.
        const QString question = QStringLiteral("Where can I change my password?");
        QCOMPARE(cacheOf(question), QByteArray("miss"));
        f.settle();
        nearMiss(question, m_reset, 0.88);
        const QString keyFile = m_keys.filePath(QStringLiteral("ann.pem"));
        QFile file(keyFile);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(ann->privatePem("alias-test").value());
        file.close();
        const auto ctl = [&](const QStringList &args, int *code) {
            QString o, e;
            QTextStream out(&o), err(&e);
            *code = runCtl(QStringList { QStringLiteral("--db"), f.url } + args, out, err);
            out.flush();
            err.flush();
            return QString(o + e);
        };
        int code = -1;
        const QString listed = ctl({ QStringLiteral("alias"), QStringLiteral("list") }, &code);
        QCOMPARE(code, 0);
        QVERIFY2(listed.contains(question) && listed.contains(QStringLiteral("pending")), qPrintable(listed));
        const qint64 id = listed.section(QLatin1Char(' '), 0, 0).toLongLong();
        QVERIFY(id > 0);
        qputenv("L0_PASSPHRASE", "alias-test");
        const QString said = ctl({ QStringLiteral("alias"), QStringLiteral("confirm"), QString::number(id),
                                     QStringLiteral("--key"), keyFile },
            &code);
        QVERIFY2(code == 0, qPrintable(said));
        QVERIFY2(said.contains(QStringLiteral("confirmed")), qPrintable(said));
        const QString again = ctl({ QStringLiteral("alias"), QStringLiteral("reject"), QString::number(id),
                                      QStringLiteral("--key"), keyFile },
            &code);
        qunsetenv("L0_PASSPHRASE");
        QCOMPARE(code, 1);
        QVERIFY2(again.contains(QStringLiteral("already confirmed")), qPrintable(again));
        QCOMPARE(ctl({ QStringLiteral("alias"), QStringLiteral("confirm") }, &code).isEmpty(), false);
        QCOMPARE(code, 2); // usage
        f.settle();
        QCOMPARE(cacheOf(question), QByteArray("hit"));
        QVERIFY(chainVerifies());
    }

    void theSemanticTiersNearMissBecomesAnAliasAndTeachesItsThreshold()
    {
        // The whole path with the semantic tier on: the tier itself proposes the near miss (it
        // serves nothing before it has learned enough), the console confirms it, the node feeds
        // the verdict to the entry's threshold and serves the query as an exact hit.
        NodeFixture sem;
        NodeConfig config;
        config.adminPubkeys = { m_keys.filePath(QStringLiteral("admin.pub")) };
        config.semantic.enabled = true;
        QVERIFY(sem.start(config));
        {
            auto store = sem.store();
            QVERIFY(registerReviewer(store->session(), QStringLiteral("ann"), *ann, *admin).ok());
            QVERIFY(registerReviewer(store->session(), QStringLiteral("bob"), *bob, *admin).ok());
        }
        const qint64 tenant = sem.store()->tenantByName(QStringLiteral("approved"))->id;
        const QString original = QStringLiteral("How do I reset my password?");
        const QString paraphrase = QStringLiteral("how do i reset my password");
        QCOMPARE(sem.chat(sem.keyApproved, ask(original)).headers.value("x-l0-cache"), QByteArray("miss"));
        sem.settle();
        qint64 entry = 0;
        {
            auto store = sem.store();
            const auto items = store->queue(QueueFilter {});
            for (const QueueItem &i : *items)
                entry = i.query == original ? i.entryId : entry;
            QVERIFY(entry > 0);
            QVERIFY(decideSigned(store->session(), entry, 0, true, *ann, {}, Clock::system()->nowMs()).ok());
        }
        sem.settle();
        QCOMPARE(sem.chat(sem.keyApproved, ask(original)).headers.value("x-l0-cache"), QByteArray("hit"));
        // The entry is indexed in the background; until then the paraphrase is a plain miss.
        std::vector<AliasProposalRecord> proposed;
        for (int i = 0; i < 50 && proposed.empty(); ++i) {
            QCOMPARE(sem.chat(sem.keyApproved, ask(paraphrase)).headers.value("x-l0-cache"), QByteArray("miss"));
            sem.settle();
            auto store = sem.store();
            proposed = aliasProposals(store->session(), AliasFilter {}).value();
            if (proposed.empty())
                QTest::qWait(100);
        }
        QCOMPARE(int(proposed.size()), 1);
        QCOMPARE(proposed.front().entryId, entry);
        QCOMPARE(proposed.front().query, paraphrase);
        QVERIFY2(proposed.front().similarity > 0.5 && proposed.front().similarity <= 1.0 + 1e-6,
            qPrintable(QString::number(proposed.front().similarity)));
        const int before = sem.node->thresholds()->tenantFit(tenant).observations;

        ui::ReviewWidget view;
        view.resize(1280, 800);
        view.show();
        view.setStore(sem.url, QStringLiteral("bob"));
        view.setReviewerKey(bob);
        view.activateWindow();
        view.setFocus();
        QVERIFY(QTest::qWaitForWindowActive(&view));
        QTest::keyClick(&view, Qt::Key_5);
        QVERIFY(waitFor(view.aliasReview(), SIGNAL(shown()), [&] { return view.aliasReview()->current() != nullptr; }));
        QSignalSpy decided(&view, &ui::ReviewWidget::decisionMade);
        QTest::keyClick(&view, Qt::Key_A);
        QVERIFY(decided.wait(5000));
        sem.settle();
        QCOMPARE(sem.node->thresholds()->tenantFit(tenant).observations, before + 1);
        const auto r = sem.chat(sem.keyApproved, ask(paraphrase));
        QCOMPARE(r.headers.value("x-l0-cache"), QByteArray("hit"));
        QCOMPARE(r.headers.value("x-l0-tier"), QByteArray("exact"));
        QVERIFY(r.headers.value("x-l0-entry").startsWith(QByteArray(QByteArray::number(entry) + '@')));
    }

    void aRevokedEntrysAliasServesNothing()
    {
        const QString question = QStringLiteral("I forgot my password, how can I reset it?");
        QCOMPARE(cacheOf(question), QByteArray("hit"));
        auto store = f.store();
        QVERIFY(
            store->decide(m_reset, 1, VersionState::Revoked, QStringLiteral("ann"), QStringLiteral("outdated")).ok());
        f.settle();
        QCOMPARE(cacheOf(QStringLiteral("How do I reset my password?")), QByteArray("miss"));
        QCOMPARE(cacheOf(question), QByteArray("miss"));
    }
};

QTEST_MAIN(TestAliasFlow)
#include "tst_alias_flow.moc"
