#include <QApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include "core/clock.h"
#include "ctl.h"
#include "mainwindow.h"
#include "nodefixture.h"
#ifdef L0_STORE_PG
#include "pgserver.h"
#endif
#include "audit/auditwidget.h"
#include "review/queuereads.h"
#include "review/reviewwidget.h"
#include "review/reviewworker.h"
#include "rules/rulebenchwidget.h"
#include "trust/approvals.h"
#include "trust/auditlog.h"
#include "trust/reviewqueue.h"
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
    static inline QString s_url; // the fixture's store, for the static helpers

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

    // A reviewer's console as they would have it: shown, connected, their key loaded (if any),
    // the queue read once, the window active.
    static bool openConsole(ui::ReviewWidget &view, const QString &reviewer, std::shared_ptr<const SigningKey> key)
    {
        view.resize(1200, 800);
        view.show();
        view.setStore(s_url, reviewer);
        if (key)
            view.setReviewerKey(std::move(key));
        if (!waitFor(&view, SIGNAL(queueShown()), [&] { return !view.items().empty(); }))
            return false;
        view.activateWindow();
        view.setFocus();
        return QTest::qWaitForWindowActive(&view);
    }

    // A chat request with one user question.
    static QByteArray ask(const QString &question)
    {
        return QJsonDocument(QJsonObject { { QStringLiteral("model"), QStringLiteral("gpt-4o-mini") },
                                 { QStringLiteral("messages"),
                                     QJsonArray { QJsonObject { { QStringLiteral("role"), QStringLiteral("user") },
                                         { QStringLiteral("content"), question } } } } })
            .toJson(QJsonDocument::Compact);
    }

    // "/", the words, Enter: the first matching item opens.
    static bool openByKeyboard(ui::ReviewWidget &view, const QString &words)
    {
        QTest::keyClick(&view, Qt::Key_Slash);
        QWidget *search = QApplication::focusWidget();
        if (!search || !search->inherits("QLineEdit"))
            return false;
        QTest::keyClicks(search, words);
        QTest::keyClick(search, Qt::Key_Return);
        return waitFor(&view, SIGNAL(detailShown()), [&] { return view.current().query.contains(words); });
    }

    static QString stateOf(Store &store, qint64 entry, int version)
    {
        auto r = store.session().query(QStringLiteral("SELECT state FROM versions WHERE entry_id = ? AND version = ?"),
            { SqlSession::num(entry), SqlSession::num(version) });
        return r && !r->empty() ? r->at(0).text(0) : QString();
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
        s_url = f.url;
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
        // Findings: strongest first, filterable; choosing one selects its evidence in the answer.
        const QStringList findings = annView.visibleFindings();
        QVERIFY2(!findings.isEmpty(), "the card number is a finding");
        for (int i = 1; i < findings.size(); ++i)
            QVERIFY(findings.at(i - 1).section(QLatin1Char('|'), 1).toDouble()
                >= findings.at(i).section(QLatin1Char('|'), 1).toDouble());
        annView.setFindingFilter(QStringLiteral("no detector is called this"));
        QVERIFY(annView.visibleFindings().isEmpty());
        annView.setFindingFilter(QStringLiteral("card"));
        QVERIFY(!annView.visibleFindings().isEmpty());
        QTableWidget *findingTable = nullptr;
        for (auto *t : annView.findChildren<QTableWidget *>())
            findingTable = t->accessibleName() == QStringLiteral("Safety findings") ? t : findingTable;
        QVERIFY(findingTable);
        for (int row = 0; row < findingTable->rowCount(); ++row) {
            if (!findingTable->isRowHidden(row)) {
                findingTable->setCurrentCell(row, 0);
                break;
            }
        }
        QVERIFY2(
            annView.selectedAnswerText().contains(QStringLiteral("4111")), qPrintable(annView.selectedAnswerText()));
        annView.setFindingFilter(QString());
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
        // Blind second review: bob is not told who approved first.
        QVERIFY(bobView.current().blind);
        QVERIFY(!bobView.current().history.join(QLatin1Char(' ')).contains(QStringLiteral("ann")));
        QVERIFY(bobView.headerText().contains(QStringLiteral("Blind second review")));
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
        // N and P walk the changes, round the ends.
        QVERIFY(bobView.changeCount() > 0);
        QTest::keyClick(&bobView, Qt::Key_N);
        QCOMPARE(bobView.currentChange(), 0);
        QVERIFY(bobView.statusText().contains(QStringLiteral("Change 1 of")));
        QTest::keyClick(&bobView, Qt::Key_P);
        QCOMPARE(bobView.currentChange(), bobView.changeCount() - 1);
        if (const QString shots = qEnvironmentVariable("L0_SCREENSHOT_DIR"); !shots.isEmpty()) {
            bobView.resize(1200, 800);
            QTest::qWait(50);
            QVERIFY(bobView.grab().save(shots + QStringLiteral("/review-diff.png")));
        }
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
    void undoTakesBackTheLastDecision()
    {
        const QByteArray body = ask(QStringLiteral("undo check: is the shop open on sundays?"));
        QCOMPARE(f.chat(f.keyApproved, body).headers.value("x-l0-cache"), QByteArray("miss"));
        f.settle();
        ui::ReviewWidget view;
        QVERIFY(openConsole(view, QStringLiteral("ann"), ann));
        QVERIFY(openByKeyboard(view, QStringLiteral("undo check")));
        const qint64 entry = view.current().entryId;
        const int version = view.current().version;
        QVERIFY(!view.canUndo());

        // A approves; the node serves it.
        QSignalSpy decided(&view, &ui::ReviewWidget::decisionMade);
        QTest::keyClick(&view, Qt::Key_A);
        QVERIFY(decided.wait(5000));
        QVERIFY(view.canUndo());
        auto store = f.store();
        QCOMPARE(stateOf(*store, entry, version), QStringLiteral("approved"));
        QVERIFY(
            QTest::qWaitFor([&] { return f.chat(f.keyApproved, body).headers.value("x-l0-cache") == "hit"; }, 3000));

        // U takes it back: pending again, the item is up again, and the node stops serving it.
        QTest::keyClick(&view, Qt::Key_U);
        QVERIFY(decided.wait(5000));
        QVERIFY2(view.statusText().contains(QStringLiteral("withdrawn")), qPrintable(view.statusText()));
        QCOMPARE(stateOf(*store, entry, version), QStringLiteral("pending"));
        QVERIFY(waitFor(&view, SIGNAL(detailShown()),
            [&] { return view.current().entryId == entry && view.current().state == QStringLiteral("pending"); }));
        QCOMPARE(view.current().approvals, 0);
        QVERIFY(!view.canUndo());
        QVERIFY(
            QTest::qWaitFor([&] { return f.chat(f.keyApproved, body).headers.value("x-l0-cache") != "hit"; }, 3000));

        // R, a digit for the reason, Enter: rejected; U again: pending.
        QTimer::singleShot(300, [] {
            QWidget *dialog = QApplication::activeModalWidget();
            if (!dialog)
                return;
            QTest::keyClick(dialog, Qt::Key_3); // outdated
            QTest::keyClick(dialog, Qt::Key_Return);
        });
        QTest::keyClick(&view, Qt::Key_R);
        QVERIFY(QTest::qWaitFor([&] { return stateOf(*store, entry, version) == QStringLiteral("rejected"); }, 5000));
        auto reason
            = store->session().query(QStringLiteral("SELECT reason FROM versions WHERE entry_id = ? AND version = ?"),
                { SqlSession::num(entry), SqlSession::num(version) });
        QVERIFY2(reason->at(0).text(0).startsWith(QStringLiteral("outdated")), qPrintable(reason->at(0).text(0)));
        QVERIFY(QTest::qWaitFor([&] { return view.canUndo(); }, 5000));
        activate(&view);
        QTest::keyClick(&view, Qt::Key_U);
        QVERIFY2(QTest::qWaitFor([&] { return stateOf(*store, entry, version) == QStringLiteral("pending"); }, 5000),
            qPrintable(view.statusText()));
        QVERIFY(
            waitFor(&view, SIGNAL(detailShown()), [&] { return view.current().state == QStringLiteral("pending"); }));
        QTest::keyClick(&view, Qt::Key_U);
        QVERIFY(QTest::qWaitFor([&] { return view.statusText().contains(QStringLiteral("Nothing to undo")); }, 2000));

        // Two decisions in a row, under a search: after the first, the next listed item comes up;
        // U twice takes both back, newest first.
        for (const char *q : { "undo pair: first question?", "undo pair: second question?" })
            QCOMPARE(f.chat(f.keyApproved, ask(QLatin1String(q))).headers.value("x-l0-cache"), QByteArray("miss"));
        f.settle();
        QVERIFY(waitFor(&view, SIGNAL(queueShown()), [&] {
            int n = 0;
            for (const QueueItem &i : view.items())
                n += i.query.startsWith(QStringLiteral("undo pair")) ? 1 : 0;
            return n == 2;
        }));
        QVERIFY(openByKeyboard(view, QStringLiteral("undo pair")));
        QList<std::pair<qint64, int>> pair;
        for (int i = 0; i < 2; ++i) {
            QVERIFY(waitFor(&view, SIGNAL(detailShown()), [&] {
                return view.current().query.startsWith(QStringLiteral("undo pair"))
                    && view.current().state == QStringLiteral("pending")
                    && (pair.isEmpty() || view.current().entryId != pair.at(0).first);
            }));
            pair << std::pair { view.current().entryId, view.current().version };
            QSignalSpy made(&view, &ui::ReviewWidget::decisionMade);
            QTest::keyClick(&view, Qt::Key_A);
            QVERIFY(made.wait(5000)); // decided, and on the undo stack
            QCOMPARE(stateOf(*store, pair.back().first, pair.back().second), QStringLiteral("approved"));
        }
        QVERIFY(pair.at(0) != pair.at(1));
        QTest::keyClick(&view, Qt::Key_U);
        QVERIFY(QTest::qWaitFor(
            [&] { return stateOf(*store, pair.at(1).first, pair.at(1).second) == QStringLiteral("pending"); }, 5000));
        QCOMPARE(stateOf(*store, pair.at(0).first, pair.at(0).second), QStringLiteral("approved"));
        QVERIFY(QTest::qWaitFor([&] { return view.canUndo(); }, 5000)); // the first is still there
        QVERIFY(waitFor(&view, SIGNAL(detailShown()), [&] { return view.current().entryId == pair.at(1).first; }));
        QTest::keyClick(&view, Qt::Key_U);
        QVERIFY(QTest::qWaitFor(
            [&] { return stateOf(*store, pair.at(0).first, pair.at(0).second) == QStringLiteral("pending"); }, 5000));
    }
    void rejectCanRequeueTheText()
    {
        const QByteArray body = ask(QStringLiteral("requeue check: can I pay by invoice?"));
        QCOMPARE(f.chat(f.keyApproved, body).headers.value("x-l0-cache"), QByteArray("miss"));
        f.settle();
        ui::ReviewWidget view;
        QVERIFY(openConsole(view, QStringLiteral("ann"), ann));
        QVERIFY(openByKeyboard(view, QStringLiteral("requeue check")));
        const qint64 entry = view.current().entryId;
        const int version = view.current().version;
        auto store = f.store();
        const auto chainHolds = [&] {
            auto audit = verifyAudit(store->session());
            return audit && audit->ok && audit->differences.empty();
        };
        QVERIFY(chainHolds());

        // Rejected for an edit: the veto is signed, and a copy by ann waits for someone else.
        QVERIFY(view.rejectCurrent(QStringLiteral("incomplete"), QStringLiteral("name the invoice terms"),
            ui::ReviewWidget::RejectOutcome::RequeueEdit));
        QVERIFY(
            QTest::qWaitFor([&] { return stateOf(*store, entry, version + 1) == QStringLiteral("pending"); }, 5000));
        QCOMPARE(stateOf(*store, entry, version), QStringLiteral("rejected"));
        auto rows = store->session().query(
            QStringLiteral("SELECT v.author, CASE WHEN v.content = o.content THEN 1 ELSE 0 END FROM versions v JOIN "
                           "versions o ON o.entry_id = "
                           "v.entry_id AND o.version = ? WHERE v.entry_id = ? AND v.version = ?"),
            { SqlSession::num(version), SqlSession::num(entry), SqlSession::num(version + 1) });
        QVERIFY(rows && rows->size() == 1);
        QCOMPARE(rows->at(0).text(0), QStringLiteral("ann"));
        QVERIFY(rows->at(0).int64(1) != 0);
        QVERIFY(chainHolds());
        QueueHealthQuery since;
        since.sinceMs = 0;
        auto health = queueStats(
            store->session(), QString(), QDateTime::currentMSecsSinceEpoch() + 1000, nullptr, nullptr, &since);
        QVERIFY(health && health->health);
        bool counted = false;
        for (const ReasonDay &r : health->health->rejectionReasons)
            counted = counted || r.code == QStringLiteral("incomplete");
        QVERIFY(counted);

        // U takes both back: the copy is withdrawn, the version waits again.
        QVERIFY(QTest::qWaitFor([&] { return view.canUndo(); }, 5000));
        activate(&view);
        QTest::keyClick(&view, Qt::Key_U);
        QVERIFY2(QTest::qWaitFor([&] { return stateOf(*store, entry, version) == QStringLiteral("pending"); }, 5000),
            qPrintable(view.statusText()));
        QCOMPARE(stateOf(*store, entry, version + 1), QStringLiteral("revoked"));
        QVERIFY(chainHolds());

        // The same from l0ctl, for another model's answer, signed with bob's key file.
        QTemporaryDir dir;
        const QString keyFile = dir.filePath(QStringLiteral("bob.pem"));
        QFile file(keyFile);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bob->privatePem("requeue-test").value());
        file.close();
        qputenv("L0_PASSPHRASE", "requeue-test");
        const auto ctl = [&](const QStringList &args, int *code) {
            QString o, e;
            QTextStream out(&o), err(&e);
            *code = runCtl(QStringList { QStringLiteral("--db"), f.url } + args, out, err);
            out.flush();
            err.flush();
            return QString(o + e);
        };
        int code = -1;
        const QString said
            = ctl({ QStringLiteral("approve"), QStringLiteral("%1@%2").arg(entry).arg(version), QStringLiteral("--key"),
                      keyFile, QStringLiteral("--reject"), QStringLiteral("--reason-code"), QStringLiteral("outdated"),
                      QStringLiteral("--requeue"), QStringLiteral("model") },
                &code);
        qunsetenv("L0_PASSPHRASE");
        QVERIFY2(code == 0, qPrintable(said));
        QVERIFY2(
            said.contains(QStringLiteral("requeued for another model's answer as %1@%2").arg(entry).arg(version + 2)),
            qPrintable(said));
        QCOMPARE(stateOf(*store, entry, version), QStringLiteral("rejected"));
        QCOMPARE(stateOf(*store, entry, version + 2), QStringLiteral("pending"));
        QVERIFY(chainHolds());

        // queue stats prints the numbers the engine (and the dashboard) reads.
        const QString json = ctl({ QStringLiteral("queue"), QStringLiteral("stats"), QStringLiteral("--json"),
                                     QStringLiteral("--since"), QStringLiteral("1970-01-01") },
            &code);
        QCOMPARE(code, 0);
        const QJsonObject stats = QJsonDocument::fromJson(json.toUtf8()).object();
        auto now = queueStats(
            store->session(), QString(), QDateTime::currentMSecsSinceEpoch() + 1000, nullptr, nullptr, &since);
        QVERIFY(now && now->health);
        QCOMPARE(stats.value(QStringLiteral("awaiting")).toInteger(), now->awaiting);
        QCOMPARE(stats.value(QStringLiteral("demand_total")).toInteger(), now->health->demandTotal);
        QCOMPARE(stats.value(QStringLiteral("demand_waiting")).toInteger(), now->health->demandWaiting);
        QCOMPARE(stats.value(QStringLiteral("to_decision")).toObject().value(QStringLiteral("count")).toInteger(),
            now->health->toDecision.count);
        QCOMPARE(stats.value(QStringLiteral("rejection_reasons")).toArray().size(),
            qsizetype(now->health->rejectionReasons.size()));
        qint64 bobs = 0;
        for (const QJsonValue &d : stats.value(QStringLiteral("reviewer_days")).toArray())
            bobs += d.toObject().value(QStringLiteral("reviewer")).toString() == QStringLiteral("bob")
                ? d.toObject().value(QStringLiteral("rejections")).toInteger()
                : 0;
        QVERIFY(bobs >= 1);
    }
    void abComparisonPicksOneCandidateBlind()
    {
        // One entry, two candidates from different models.
        const QByteArray body = ask(QStringLiteral("ab check: how long does shipping take?"));
        QCOMPARE(f.chat(f.keyApproved, body).headers.value("x-l0-cache"), QByteArray("miss"));
        f.settle();
        auto store = f.store();
        auto row = store->session().query(
            QStringLiteral("SELECT e.id, e.tenant_id, e.namespace, e.tier, e.cache_key FROM entries e JOIN "
                           "entry_queries q ON q.entry_id = e.id WHERE q.query LIKE 'ab check%'"));
        QVERIFY(row && row->size() == 1);
        const qint64 entry = row->at(0).int64(0);
        Candidate other;
        other.tenantId = row->at(0).int64(1);
        other.ns = row->at(0).text(2);
        other.tier = row->at(0).text(3);
        other.cacheKey = row->at(0).bytes(4);
        other.model = QStringLiteral("claude-3-5-haiku");
        other.query = QStringLiteral("ab check: how long does shipping take?");
        other.requestJson = body;
        other.result.message = QJsonObject { { QStringLiteral("role"), QStringLiteral("assistant") },
            { QStringLiteral("content"), QStringLiteral("Shipping takes 3 to 5 business days.") } };
        other.result.usage = { 12, 9 };
        other.result.modelUsed = QStringLiteral("claude-3-5-haiku");
        other.author = QStringLiteral("upstream:claude-3-5-haiku");
        auto receipt = store->addCandidate(other);
        QVERIFY(receipt && receipt->entryId == entry && receipt->version == 2);

        ui::ReviewWidget view;
        QVERIFY(openConsole(view, QStringLiteral("bob"), bob));
        QVERIFY(openByKeyboard(view, QStringLiteral("ab check")));
        QCOMPARE(view.current().entryId, entry);
        // Typing "ab check" in the search approved nothing and compared nothing: letter keys are
        // off while typing.
        QCOMPARE(stateOf(*store, entry, 1), QStringLiteral("pending"));
        QCOMPARE(stateOf(*store, entry, 2), QStringLiteral("pending"));
        QVERIFY(!view.blindAB());
        QCOMPARE(int(view.current().alternatives.size()), 1);
        QCOMPARE(view.versionA(), 0);
        // ] without a comparison is refused with a hint.
        QTest::keyClick(&view, Qt::Key_BracketRight);
        QVERIFY(view.statusText().contains(QStringLiteral("Compare")));

        // C compares the two candidates; B makes it blind: sides "A" and "B", no models.
        QTest::keyClick(&view, Qt::Key_C);
        QCOMPARE(QSet<int>({ view.versionA(), view.versionB() }), QSet<int>({ 1, 2 }));
        QVERIFY2(view.diffTitle().contains(QStringLiteral("claude")), qPrintable(view.diffTitle()));
        QTest::keyClick(&view, Qt::Key_B);
        QVERIFY(view.blindAB());
        QVERIFY(QTest::qWaitFor([&] { return view.versionA() != 0; }, 2000));
        for (const QString &shown : { view.diffTitle(), view.headerText() }) {
            QVERIFY2(
                !shown.contains(QStringLiteral("claude")) && !shown.contains(QStringLiteral("gpt")), qPrintable(shown));
        }
        QVERIFY(view.headerText().contains(QStringLiteral("@?"))); // not even which version is open
        // [ prefers A: A approved, B rejected with the reason; the node serves A.
        const int a = view.versionA(), b = view.versionB();
        const QString aText
            = a == view.current().version ? view.current().text : view.current().alternatives.at(0).text;
        QSignalSpy decided(&view, &ui::ReviewWidget::decisionMade);
        // While carl has the rival open, the pick is refused: it would decide his item.
        const int rival = a == view.current().version ? b : a;
        QVERIFY(claimItem(
            store->session(), entry, rival, QStringLiteral("carl"), 60'000, QDateTime::currentMSecsSinceEpoch())
                    .ok());
        QTest::keyClick(&view, Qt::Key_BracketLeft);
        QVERIFY(decided.wait(5000));
        QVERIFY2(view.statusText().startsWith(QStringLiteral("Refused")), qPrintable(view.statusText()));
        QCOMPARE(stateOf(*store, entry, a), QStringLiteral("pending"));
        QCOMPARE(stateOf(*store, entry, b), QStringLiteral("pending"));
        QVERIFY(releaseItem(store->session(), entry, rival, QStringLiteral("carl")).ok());
        QTest::keyClick(&view, Qt::Key_BracketLeft);
        QVERIFY(decided.wait(5000));
        QCOMPARE(stateOf(*store, entry, a), QStringLiteral("approved"));
        QCOMPARE(stateOf(*store, entry, b), QStringLiteral("rejected"));
        QVERIFY(QTest::qWaitFor([&] { return NodeFixture::content(f.chat(f.keyApproved, body)) == aText; }, 3000));
        // U takes back both halves.
        QTest::keyClick(&view, Qt::Key_U);
        QVERIFY(QTest::qWaitFor(
            [&] {
                return stateOf(*store, entry, a) == QStringLiteral("pending")
                    && stateOf(*store, entry, b) == QStringLiteral("pending");
            },
            5000));
    }
    void queueSortsByWouldBeSavings()
    {
        auto store = f.store();
        const qint64 tenant = store->tenantByName(QStringLiteral("shadow"))->id;
        auto add = [&](const char *key, const QString &model, qint64 prompt, qint64 completion, int demand) {
            Candidate c;
            c.tenantId = tenant;
            c.cacheKey = key;
            c.model = model;
            c.query = QStringLiteral("sort check %1").arg(QLatin1String(key));
            c.requestJson = "{}";
            c.result.message = QJsonObject { { QStringLiteral("role"), QStringLiteral("assistant") },
                { QStringLiteral("content"), QStringLiteral("answer %1").arg(QLatin1String(key)) } };
            c.result.usage = { prompt, completion };
            c.result.modelUsed = model;
            c.author = QStringLiteral("upstream:test");
            for (int i = 0; i < demand; ++i) {
                auto r = store->addCandidate(c);
                QVERIFY(r.ok());
            }
        };
        add("cheap-popular", QStringLiteral("gpt-4o-mini"), 100, 100, 9); // high demand, cheap model
        add("dear-rare", QStringLiteral("gpt-4o"), 2000, 1500, 3); // fewer, but dear
        add("unpriced", QStringLiteral("mystery-model-9"), 5000, 5000, 20);
        // Small answers whose cost rounds to whole micro-dollars differently: the database's
        // ranking must agree with the value shown.
        for (int i = 0; i < 12; ++i) {
            const QByteArray key = "small-" + QByteArray::number(i);
            add(key.constData(), i % 2 ? QStringLiteral("gpt-4o-mini") : QStringLiteral("gpt-4o"), 1 + i * 3, 1 + i % 5,
                1 + i % 4);
        }
        ui::ReviewWidget view;
        QVERIFY(openConsole(view, QStringLiteral("ann"), nullptr));
        auto order = [&] {
            QStringList keys;
            for (const QueueItem &i : view.items())
                if (i.query.startsWith(QStringLiteral("sort check")) && !i.query.contains(QStringLiteral("small-")))
                    keys << i.query.mid(11);
            return keys;
        };
        QCOMPARE(view.sort(), ui::ReviewWidget::Sort::Demand);
        QCOMPARE(order(),
            QStringList({ QStringLiteral("unpriced"), QStringLiteral("cheap-popular"), QStringLiteral("dear-rare") }));
        QTest::keyClick(&view, Qt::Key_O); // would-be savings
        QCOMPARE(view.sort(), ui::ReviewWidget::Sort::WouldSave);
        QVERIFY(waitFor(&view, SIGNAL(queueShown()), [&] { return order().value(0) == QStringLiteral("dear-rare"); }));
        QCOMPARE(order(),
            QStringList({ QStringLiteral("dear-rare"), QStringLiteral("cheap-popular"),
                QStringLiteral("unpriced") })); // unknown value: last
        // Every priced item before every unpriced one, in falling order.
        std::optional<qint64> last;
        bool unpricedSeen = false;
        for (const QueueItem &i : view.items()) {
            const auto v = view.wouldSave(i);
            if (!v) {
                unpricedSeen = true;
                continue;
            }
            QVERIFY(!unpricedSeen);
            QVERIFY(!last || *last >= *v);
            last = v;
        }
        QVERIFY(unpricedSeen);

        // The whole lane is ranked, not only the page the store sorts by demand: with a page of
        // two, "dear-rare" (least demand of the three) is not listed by demand, and is first by
        // would-be savings.
        view.setPageSize(2);
        view.setSort(ui::ReviewWidget::Sort::Demand);
        QVERIFY(waitFor(&view, SIGNAL(queueShown()), [&] { return view.items().size() == 2; }));
        QVERIFY(!order().contains(QStringLiteral("dear-rare")));
        QVERIFY(view.laneTotal() > 2);
        view.setSort(ui::ReviewWidget::Sort::WouldSave);
        QVERIFY(waitFor(&view, SIGNAL(queueShown()), [&] { return order().value(0) == QStringLiteral("dear-rare"); }));
        QCOMPARE(int(view.items().size()), 2);
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
#ifdef L0_STORE_PG
    void theDatabaseGoesAwayAndComesBack()
    {
        // The console says the store is gone, refuses decisions with the reason, and picks up
        // by itself when PostgreSQL is back.
        QCOMPARE(
            f.chat(f.keyApproved, ask(QStringLiteral("outage check: do you ship abroad?"))).headers.value("x-l0-cache"),
            QByteArray("miss"));
        f.settle();
        ui::ReviewWidget view;
        QVERIFY(openConsole(view, QStringLiteral("ann"), ann));
        QVERIFY(openByKeyboard(view, QStringLiteral("outage check")));
        const qint64 entry = view.current().entryId;

        m_pg.stop();
        view.refresh();
        QVERIFY2(QTest::qWaitFor(
                     [&] { return view.statusText().startsWith(QStringLiteral("Cannot read the queue")); }, 10000),
            qPrintable(view.statusText()));
        QSignalSpy refused(&view, &ui::ReviewWidget::decisionMade);
        QTest::keyClick(&view, Qt::Key_A);
        QVERIFY(refused.wait(10000));
        QVERIFY2(view.statusText().startsWith(QStringLiteral("Refused")), qPrintable(view.statusText()));

        QString error;
        QVERIFY2(m_pg.restart(&error), qPrintable(error));
        // No key press: the queue comes back by itself, and approving works again.
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         return view.statusText() == QStringLiteral("The store is back")
                             || view.statusText() == QStringLiteral("Claimed for you");
                     },
                     15000),
            qPrintable(view.statusText()));
        QVERIFY(waitFor(&view, SIGNAL(detailShown()), [&] { return view.current().entryId == entry; }));
        QTest::keyClick(&view, Qt::Key_A);
        auto store = f.store();
        QVERIFY(QTest::qWaitFor([&] { return stateOf(*store, entry, 1) == QStringLiteral("approved"); }, 10000));
    }
#endif
    void keysAreListed()
    {
        for (const char *k :
            { "A ", "R ", "S ", "U ", "E ", "D ", "N / P", "C ", "B ", "[ / ]", "O ", "M ", "J / K", "?" })
            QVERIFY(ui::ReviewWidget::shortcutHelp().contains(QLatin1String(k)));
    }
    void leasesRunOnTheWorkersClock()
    {
        // Two reviewers' workers on one manual clock: a lease lasts five minutes of it, is renewed
        // from it, and expires by it, with no waiting.
        auto store = f.store();
        Candidate c;
        c.tenantId = store->tenantByName(QStringLiteral("shadow"))->id;
        c.cacheKey = "lease-clock";
        c.model = QStringLiteral("gpt-4o-mini");
        c.query = QStringLiteral("lease clock check");
        c.requestJson = "{}";
        c.result.message = QJsonObject { { QStringLiteral("role"), QStringLiteral("assistant") },
            { QStringLiteral("content"), QStringLiteral("an answer to hold") } };
        c.author = QStringLiteral("upstream:test");
        auto filed = store->addCandidate(c);
        QVERIFY(filed.ok());
        const qint64 entry = filed->entryId;
        const int version = filed->version;
        auto lease = [&] {
            auto r = store->session().query(
                QStringLiteral("SELECT claimed_by, claim_expires_ms FROM versions WHERE entry_id = ? AND version = ?"),
                { SqlSession::num(entry), SqlSession::num(version) });
            return r && !r->empty() ? std::pair { r->at(0).text(0), r->at(0).int64(1) } : std::pair { QString(), 0LL };
        };
        ManualClock clock(QDateTime::currentMSecsSinceEpoch());
        auto prices = std::make_shared<const PriceTable>(PriceTable::builtin().value());
        ui::ReviewWorker carol(f.url, QStringLiteral("carol"), prices, &clock);
        ui::ReviewWorker dave(f.url, QStringLiteral("dave"), prices, &clock);
        ui::ItemDetail seen;
        for (ui::ReviewWorker *w : { &carol, &dave })
            connect(w, &ui::ReviewWorker::opened, this, [&seen](const ui::ItemDetail &d) { seen = d; });
        carol.open(entry, version);
        QVERIFY2(seen.error.isEmpty(), qPrintable(seen.error));
        QVERIFY(seen.claimedBy.isEmpty());
        QCOMPARE(lease(), std::pair(QStringLiteral("carol"), clock.nowMs() + 5 * 60'000));
        clock.advance(4 * 60'000);
        dave.open(entry, version);
        QCOMPARE(seen.claimedBy, QStringLiteral("carol")); // read only for dave
        carol.renew(entry, version);
        QCOMPARE(lease(), std::pair(QStringLiteral("carol"), clock.nowMs() + 5 * 60'000));
        clock.advance(5 * 60'000 + 1);
        dave.open(entry, version); // carol's lease ran out
        QVERIFY(seen.claimedBy.isEmpty());
        QCOMPARE(lease().first, QStringLiteral("dave"));
        dave.release(entry, version);
        QVERIFY(lease().first.isEmpty());
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
