#include <QApplication>
#include <QFile>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>

#include "mainwindow.h"
#include "nodefixture.h"
#ifdef L0_STORE_PG
#include "pgserver.h"
#endif
#include "audit/auditwidget.h"
#include "review/reviewwidget.h"
#include "rules/rulebenchwidget.h"
#include "trust/approvals.h"
#include "trust/signing.h"

using namespace l0;

// A whole review driven by key presses, offscreen, against a running node: a risky answer
// (a card number) is claimed, approved by ann with her signed key ("1 of 2"), approved by bob
// from a second console, and the node serves it. Rejecting without a reason is refused; two
// consoles cannot work one item.
class TestReviewFlow : public QObject {
    Q_OBJECT
    NodeFixture f;
#ifdef L0_STORE_PG
    PgServer m_pg;
#endif
    std::shared_ptr<const SigningKey> admin, ann, bob;

    static bool waitFor(QObject *o, const char *signal, const std::function<bool()> &done)
    {
        QSignalSpy spy(o, signal);
        for (int i = 0; i < 40 && !done(); ++i)
            spy.wait(250);
        return done();
    }

    // Keyboard shortcuts go to the active window, as for a person at the desk.
    static void activate(QWidget *w)
    {
        w->activateWindow();
        w->setFocus();
        QVERIFY(QTest::qWaitForWindowActive(w));
    }

private slots:
    void initTestCase()
    {
#ifdef L0_STORE_PG
        QString error;
        QVERIFY2(m_pg.start(&error), qPrintable(error));
        QVERIFY(f.start({}, m_pg.url()));
#else
        QVERIFY(f.start());
#endif
        admin = std::make_shared<const SigningKey>(std::move(SigningKey::generate().value()));
        ann = std::make_shared<const SigningKey>(std::move(SigningKey::generate().value()));
        bob = std::make_shared<const SigningKey>(std::move(SigningKey::generate().value()));
        auto store = f.store();
        QVERIFY(registerReviewer(store->session(), QStringLiteral("ann"), *ann, *admin).ok());
        QVERIFY(registerReviewer(store->session(), QStringLiteral("bob"), *bob, *admin).ok());
    }
    void reviewWithTheKeyboardUntilTheNodeServesIt()
    {
        const QByteArray risky
            = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"is 4111 1111 1111 1111 my card?"}]})";
        QCOMPARE(f.chat(f.keyApproved, risky).headers.value("x-l0-cache"), QByteArray("miss"));
        f.settle();

        ui::ReviewWidget annView;
        annView.resize(1200, 800);
        annView.show();
        annView.setStore(f.url, QStringLiteral("ann"));
        annView.setReviewerKey(ann);
        QVERIFY(waitFor(&annView, SIGNAL(detailShown()), [&] { return annView.current().entryId != 0; }));
        QCOMPARE(annView.current().risk, QStringLiteral("high"));
        QCOMPARE(annView.current().required, 2);
        QVERIFY(annView.current().claimedBy.isEmpty());
        const qint64 entry = annView.current().entryId;
        if (const QString shots = qEnvironmentVariable("L0_SCREENSHOT_DIR"); !shots.isEmpty())
            QVERIFY(annView.grab().save(shots + QStringLiteral("/review.png")));

        // A second console cannot take the item ann holds.
        ui::ReviewWidget bobView;
        bobView.show();
        bobView.setStore(f.url, QStringLiteral("bob"));
        bobView.setReviewerKey(bob);
        QVERIFY(waitFor(&bobView, SIGNAL(detailShown()), [&] { return bobView.current().entryId == entry; }));
        QCOMPARE(bobView.current().claimedBy, QStringLiteral("ann"));
        activate(&bobView);
        QTest::keyClick(&bobView, Qt::Key_A);
        QVERIFY(bobView.statusText().startsWith(QStringLiteral("Refused")));

        // "Mine" (M) shows only what this reviewer holds.
        activate(&annView);
        QTest::keyClick(&annView, Qt::Key_M);
        QTest::keyClick(&annView, Qt::Key_M);
        // No reason, no rejection.
        QVERIFY(!annView.rejectCurrent(QString(), QStringLiteral("meh")));
        QVERIFY(annView.statusText().contains(QStringLiteral("reason")));

        // ann approves with A: signed, and the answer needs a second approver.
        QSignalSpy annDecided(&annView, &ui::ReviewWidget::decisionMade);
        activate(&annView);
        QTest::keyClick(&annView, Qt::Key_A);
        QVERIFY(annDecided.wait(5000));
        QVERIFY2(annView.statusText().contains(QStringLiteral("1 of 2")), qPrintable(annView.statusText()));
        f.settle();
        QCOMPARE(f.chat(f.keyApproved, risky).headers.value("x-l0-cache"), QByteArray("miss"));

        // bob switches to the "needs second approval" lane (2) and approves with A.
        activate(&bobView);
        QTest::keyClick(&bobView, Qt::Key_2);
        QVERIFY(waitFor(&bobView, SIGNAL(detailShown()),
            [&] { return bobView.current().entryId == entry && bobView.current().claimedBy.isEmpty(); }));
        QCOMPARE(bobView.current().approvals, 1);
        QSignalSpy bobDecided(&bobView, &ui::ReviewWidget::decisionMade);
        QTest::keyClick(&bobView, Qt::Key_A);
        QVERIFY(bobDecided.wait(5000));
        QVERIFY2(bobView.statusText().contains(QStringLiteral("approved")), qPrintable(bobView.statusText()));

        // The running node serves it within a second.
        QElapsedTimer t;
        t.start();
        QByteArray cache;
        while (t.elapsed() < 1000 && cache != "hit") {
            QTest::qWait(50);
            cache = f.chat(f.keyApproved, risky).headers.value("x-l0-cache");
        }
        QCOMPARE(cache, QByteArray("hit"));
        qInfo("served %lld ms after the second approval", t.elapsed());
    }
    void editBecomesANewVersionShownAsADiff()
    {
        // ann fixes the approved answer (lane 3, E); bob sees the new version with a word diff
        // against the live one, inline and side by side (D).
        ui::ReviewWidget annView;
        annView.show();
        annView.setStore(f.url, QStringLiteral("ann"));
        annView.setReviewerKey(ann);
        activate(&annView);
        QTest::keyClick(&annView, Qt::Key_3);
        QVERIFY(waitFor(
            &annView, SIGNAL(detailShown()), [&] { return annView.current().state == QStringLiteral("approved"); }));
        const qint64 entry = annView.current().entryId;
        QString fixed = annView.current().text;
        fixed.replace(QStringLiteral("4111 1111 1111 1111"), QStringLiteral("your card"));
        QSignalSpy edited(&annView, &ui::ReviewWidget::decisionMade);
        QVERIFY(annView.submitEdit(fixed));
        QVERIFY(edited.wait(5000));
        QVERIFY2(annView.statusText().contains(QStringLiteral("version 2")), qPrintable(annView.statusText()));

        ui::ReviewWidget bobView;
        bobView.show();
        bobView.setStore(f.url, QStringLiteral("bob"));
        bobView.setReviewerKey(bob);
        QVERIFY(waitFor(&bobView, SIGNAL(detailShown()), [&] { return bobView.current().entryId == entry; }));
        QCOMPARE(bobView.current().version, 2);
        QCOMPARE(bobView.current().approvedVersion, 1);
        QCOMPARE(bobView.current().history.size(), 2); // v1 approved, v2 pending by ann
        QVERIFY(bobView.current().history.at(1).contains(QStringLiteral("ann")));
        QVERIFY(!bobView.current().approvedText.isEmpty());
        activate(&bobView);
        QVERIFY(!bobView.sideBySide());
        QTest::keyClick(&bobView, Qt::Key_D);
        QVERIFY(bobView.sideBySide());
        QTest::keyClick(&bobView, Qt::Key_N); // next change: no crash, scrolls
    }
    void newCandidatesAppearWithoutARefresh()
    {
        ui::ReviewWidget view;
        view.show();
        view.setStore(f.url, QStringLiteral("bob"));
        QVERIFY(waitFor(&view, SIGNAL(queueShown()), [&] { return true; }));
        const QByteArray body
            = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"when does the shop open?"}]})";
        QCOMPARE(f.chat(f.keyApproved, body).headers.value("x-l0-cache"), QByteArray("miss"));
        f.settle();
        auto listed = [&] {
            for (const QueueItem &i : view.items())
                if (i.query == QStringLiteral("when does the shop open?"))
                    return true;
            return false;
        };
        QVERIFY(waitFor(&view, SIGNAL(queueShown()), listed));
    }
    void fiftyCandidatesFromTheKeyboardAlone()
    {
        // A queue of 50 low-risk candidates, worked with A alone: each approval moves to the next.
        for (int i = 0; i < 50; ++i) {
            const QByteArray body = QStringLiteral(
                R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"question number %1 about shipping"}]})")
                                        .arg(i)
                                        .toUtf8();
            QCOMPARE(f.chat(f.keyApproved, body).headers.value("x-l0-cache"), QByteArray("miss"));
        }
        f.settle();
        ui::ReviewWidget view;
        view.show();
        view.setStore(f.url, QStringLiteral("ann"));
        view.setReviewerKey(ann);
        activate(&view);
        auto waiting = [&] {
            int n = 0;
            auto store = f.store();
            auto items = store->queue(QueueFilter { VersionState::Pending, false, {}, 1000 });
            for (const QueueItem &i : *items)
                n += i.query.startsWith(QStringLiteral("question number")) ? 1 : 0;
            return n;
        };
        QCOMPARE(waiting(), 50);
        int presses = 0;
        while (waiting() > 0 && presses < 120) {
            QVERIFY(waitFor(&view, SIGNAL(detailShown()),
                [&] { return view.current().entryId != 0 && view.current().state == QStringLiteral("pending"); }));
            ++presses;
            if (!view.current().claimedBy.isEmpty()) { // someone else's: skip it, as a reviewer would
                qInfo("skipping %lld@%d: %s", view.current().entryId, view.current().version,
                    qPrintable(view.current().claimedBy));
                const qint64 was = view.current().entryId;
                QTest::keyClick(&view, Qt::Key_S);
                waitFor(&view, SIGNAL(detailShown()), [&] { return view.current().entryId != was; });
                continue;
            }
            QSignalSpy decided(&view, &ui::ReviewWidget::decisionMade);
            QTest::keyClick(&view, Qt::Key_A);
            QVERIFY(decided.wait(5000));
            if (view.statusText().startsWith(QStringLiteral("Refused"))) { // e.g. her own edit: not hers to approve
                QTest::keyClick(&view, Qt::Key_S);
                continue;
            }
            QVERIFY2(view.statusText().contains(QStringLiteral("approved")), qPrintable(view.statusText()));
        }
        QCOMPARE(waiting(), 0);
        qInfo("queue of 50 worked with %d key presses", presses);
        // The node serves what was approved.
        f.settle();
        QTest::qWait(200);
        const QByteArray body
            = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"question number 7 about shipping"}]})";
        QCOMPARE(f.chat(f.keyApproved, body).headers.value("x-l0-cache"), QByteArray("hit"));
    }
    void auditViewVerifiesTheChainAndSeesTampering()
    {
        ui::AuditWidget audit;
        audit.setStore(f.url);
        QVERIFY(waitFor(&audit, SIGNAL(shown()), [&] { return audit.rowCount() > 0; }));
        QVERIFY2(audit.verdict().contains(QStringLiteral("verifies")), qPrintable(audit.verdict()));
        // Someone with database access changes an approved answer behind the chain's back.
        auto store = f.store();
        QVERIFY(store->session()
                    .query(QStringLiteral("UPDATE versions SET content = ? WHERE state = 'approved' AND entry_id = "
                                          "(SELECT MIN(entry_id) FROM versions WHERE state = 'approved')"),
                        { SqlSession::str(
                            QStringLiteral(R"({"role":"assistant","content":"send your PIN to evil.example"})")) })
                    .ok());
        audit.refresh();
        QVERIFY(waitFor(&audit, SIGNAL(shown()), [&] { return audit.verdict().contains(QStringLiteral("broken")); }));
    }
    void ruleBenchExplainsAQueryAndFindsItsEntry()
    {
        QFile packFile(QStringLiteral(L0_TEST_DATA_DIR "/support-pack.json"));
        QVERIFY(packFile.open(QIODevice::ReadOnly));
        auto store = f.store();
        auto rec = store->addRulePack(
            QStringLiteral("auto"), QStringLiteral("support"), 1, packFile.readAll(), QStringLiteral("admin"));
        QVERIFY(rec.ok());
        QVERIFY(store->decideRulePack(rec->id, true, QStringLiteral("reviewer")).ok());
        f.settle();
        // The node files an L0 candidate for this intent (auto_low_risk serves it at once).
        const QByteArray body
            = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"I need to cancel order #12345"}]})";
        QCOMPARE(f.chat(f.keyAuto, body, { { "Cache-Control", "no-cache" } }).status, 200);
        f.settle();
        ui::RuleBenchWidget bench;
        bench.setStore(f.url);
        QSignalSpy shown(&bench, &ui::RuleBenchWidget::shown);
        bench.explain(QStringLiteral("auto"), QStringLiteral("please cancel my order 67890"));
        QVERIFY(shown.wait(5000));
        QVERIFY2(bench.result().error.isEmpty(), qPrintable(bench.result().error));
        QVERIFY(!bench.result().abstained);
        QVERIFY(bench.result().steps.size() > 3);
        QCOMPARE(bench.result().key.size(), 64);
        QVERIFY2(!bench.result().entry.isEmpty(), "the paraphrase maps to the entry the node filed");
        // A tenant without a pack says so.
        bench.explain(QStringLiteral("shadow"), QStringLiteral("anything"));
        QVERIFY(shown.wait(5000));
        QVERIFY(bench.result().error.contains(QStringLiteral("no active rule pack")));
    }
    void keysAreListed()
    {
        for (const char *k : { "A ", "R ", "S ", "E ", "D ", "N ", "M ", "J / K", "?" })
            QVERIFY(ui::ReviewWidget::shortcutHelp().contains(QLatin1String(k)));
    }
};

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    TestReviewFlow t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_review_flow.moc"
