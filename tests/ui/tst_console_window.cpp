#include <QApplication>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScreen>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QTabBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QWindow>

#include <functional>

#include "core/costevent.h"
#include "dashboard/dashboardwidget.h"
#include "mainwindow.h"
#include "review/queuereads.h"
#include "review/reviewwidget.h"
#include "review/safetyscanner.h"
#include "store/store.h"
#include "trust/approvals.h"
#include "trust/reviewqueue.h"

using namespace l0;

// The console in a real window: an X server (Xvfb) of the size this test is run at, with a
// window manager (tests/ui/with_xvfb.sh; ctest runs it at 1280 × 800 and 1920 × 1080). The
// first window fits the screen, every queue column is at least as wide as its header, nothing
// sits behind a horizontal scroll bar, the lanes carry the counts the store reports, and the
// layout comes back after a restart. With L0_SCREENSHOT_DIR set, the screen is saved as
// review-WxH.png and dashboard-WxH.png (the README's screenshots).
class TestConsoleWindow : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_url;

    static bool waitUntil(const std::function<bool()> &done, int ms = 15000)
    {
        QElapsedTimer t;
        t.start();
        while (!done()) {
            if (t.elapsed() > ms)
                return false;
            QTest::qWait(50);
        }
        return true;
    }

    QString screenSize() const
    {
        const QSize s = QGuiApplication::primaryScreen()->size();
        return QStringLiteral("%1x%2").arg(s.width()).arg(s.height());
    }

    void shoot(const QString &name)
    {
        const QString dir = qEnvironmentVariable("L0_SCREENSHOT_DIR");
        if (dir.isEmpty())
            return;
        QTest::qWait(400); // the window manager draws its frame
        const QPixmap screen = QGuiApplication::primaryScreen()->grabWindow(0);
        QVERIFY(!screen.isNull());
        QVERIFY(screen.save(QStringLiteral("%1/%2-%3.png").arg(dir, name, screenSize())));
    }

private slots:
    void initTestCase()
    {
        if (QGuiApplication::platformName() != QLatin1String("xcb"))
            QSKIP("needs a real X display and a window manager: run it as ctest -R tst_console_window (through "
                  "tests/ui/with_xvfb.sh, which needs Xvfb and openbox from scripts/deps.sh all)");
        QVERIFY(m_dir.isValid());
        m_url = QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("window.sqlite"));
        auto opened = openStore(m_url);
        QVERIFY(opened && (*opened)->migrate());
        Store &store = **opened;
        const qint64 support = store.addTenant(QStringLiteral("acme-support"), Policy::Approved)->id;
        const qint64 bank = store.addTenant(QStringLiteral("globex-retail-banking"), Policy::Approved)->id;
        auto admin = SigningKey::generate();
        auto ann = SigningKey::generate();
        auto bob = SigningKey::generate();
        QVERIFY(admin && ann && bob);
        QVERIFY(registerReviewer(store.session(), QStringLiteral("ann"), *ann, *admin).ok());
        QVERIFY(registerReviewer(store.session(), QStringLiteral("bob"), *bob, *admin).ok());

        static const char *const queries[] = {
            "My order 4711 arrived damaged yesterday and the courier left it at the neighbours; how do I get a "
            "replacement sent to my office instead, and may I keep the broken one until the return label comes?",
            "how do I reset my password",
            "What are your opening hours on public holidays in December, and is the Berlin store open on the 24th?",
            "can I change the delivery address after the parcel has shipped",
            "Why was I charged twice for the same subscription this month and when will the second payment be "
            "refunded to my card?",
            "cancel my order",
            "Do you ship to Switzerland and Norway, and who pays the customs fees and import VAT on arrival?",
            "where is my parcel",
        };
        static const char *const answers[] = {
            "We are sorry the parcel arrived damaged. Reply with a photo of the box and we send a replacement "
            "to any address you give us, usually within two working days. Keep the damaged item until the "
            "prepaid return label reaches you by email; then drop it at any post office.",
            "Open Settings > Account > Password, choose \"Forgot password\" and follow the link we email you. "
            "The link works for 30 minutes.",
            "On public holidays our stores open from 10:00 to 16:00. On 24 December all stores close at 14:00.",
        };
        const SafetyScanner scanner;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        int n = 0;
        std::vector<CandidateReceipt> filed;
        for (int i = 0; i < 46; ++i) {
            Candidate c;
            c.tenantId = i % 3 == 0 ? bank : support;
            c.cacheKey = QByteArray::number(i).toHex();
            c.model = i % 4 == 0 ? QStringLiteral("gpt-4o") : QStringLiteral("gpt-4o-mini");
            c.query = QString::fromUtf8(queries[size_t(i) % std::size(queries)]);
            QString text = QString::fromUtf8(answers[size_t(i) % std::size(answers)]);
            if (i % 7 == 3)
                text += QStringLiteral(" Call us on +49 30 1234567 or write to help@example.com.");
            c.result.message = QJsonObject { { QStringLiteral("role"), QStringLiteral("assistant") },
                { QStringLiteral("content"), text } };
            c.result.modelUsed = c.model;
            c.result.usage = { 900 + 40 * i, 300 + 10 * i };
            c.author = QStringLiteral("upstream:") + c.model;
            const QJsonObject report = scanner.report(text);
            c.risk = report.value(QStringLiteral("risk")).toString(QStringLiteral("low"));
            c.findings = QJsonDocument(report).toJson(QJsonDocument::Compact);
            c.createdMs = now - qint64(i) * 37 * 60'000;
            auto r = store.addCandidate(c);
            QVERIFY(r.ok());
            for (int again = 0; again < (i * 7) % 23; ++again)
                QVERIFY(store.addCandidate(c).ok()); // the same answer again: demand
            filed.push_back(*r);
            ++n;
        }
        // Some decided, signed, by ann and bob; one requeued for an edit; one held by bob.
        for (int i = 40; i < 46; ++i) {
            const auto &r = filed[size_t(i)];
            QVERIFY(decideSigned(store.session(), r.entryId, r.version, i % 2 == 0, i % 3 ? *ann : *bob,
                i % 2 == 0 ? QString() : *rejectionReason(QStringLiteral("outdated"), QString()), now - 60'000)
                        .ok());
        }
        QVERIFY(requeueSigned(store.session(), filed[39].entryId, filed[39].version, RequeueFor::Edit, *ann,
            *rejectionReason(QStringLiteral("incomplete"), QStringLiteral("add the return address")), now)
                    .ok());
        QVERIFY(
            claimItem(store.session(), filed[2].entryId, filed[2].version, QStringLiteral("bob"), 600'000, now).ok());
        // A little traffic for the dashboard: hits on the approved entries, misses besides.
        std::vector<CostEvent> events;
        for (int i = 0; i < 400; ++i) {
            CostEvent e;
            e.tsMs = now - qint64(i) * 20 * 60'000;
            e.tenantId = i % 3 ? support : bank;
            e.modelRequested = e.modelUsed = i % 4 ? QStringLiteral("gpt-4o-mini") : QStringLiteral("gpt-4o");
            e.tier = i % 3 == 0 ? Tier::Upstream : (i % 2 ? Tier::Exact : Tier::L0);
            e.promptTokens = 900;
            e.completionTokens = 300;
            e.baselineMicros = i % 4 ? 315 : 5250;
            e.actualMicros = e.tier == Tier::Upstream ? e.baselineMicros : 0;
            e.latencyMs = e.tier == Tier::Upstream ? 900 : 3;
            if (e.tier != Tier::Upstream)
                e.entryId = filed[size_t(40 + (i % 3) * 2)].entryId;
            events.push_back(e);
        }
        QVERIFY(store.appendLedger(events).ok());
    }

    void firstWindowFitsTheScreen()
    {
        QSettings().remove(QStringLiteral("console"));
        ui::MainWindow w;
        w.restoreLayout();
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QSignalSpy connected(&w, &ui::MainWindow::connected);
        w.openStore(m_url);
        QVERIFY(connected.wait(10000));
        ui::ReviewWidget *review = w.review();
        QVERIFY(waitUntil([&] { return review->items().size() > 20 && review->current().entryId != 0; }));
        QTest::qWait(300); // columns fit after the last resize

        const QRect area = w.screen()->availableGeometry();
        QVERIFY2(area.contains(w.frameGeometry()) || w.isMaximized(),
            qPrintable(QStringLiteral("window %1,%2 %3x%4 outside the screen's %5x%6")
                           .arg(w.frameGeometry().x())
                           .arg(w.frameGeometry().y())
                           .arg(w.frameGeometry().width())
                           .arg(w.frameGeometry().height())
                           .arg(area.width())
                           .arg(area.height())));
        QVERIFY(w.width() >= area.width() * 0.8);

        // No column is cut below its header, none is hidden, no horizontal scroll bar.
        QTableWidget *table = review->queueTable();
        const QFontMetrics headerFont(table->horizontalHeader()->font());
        int sum = 0;
        for (int c = 0; c < table->columnCount(); ++c) {
            const QString header = table->horizontalHeaderItem(c)->text();
            QVERIFY2(!table->isColumnHidden(c), qPrintable(header + QStringLiteral(" is hidden")));
            QVERIFY2(table->columnWidth(c) >= headerFont.horizontalAdvance(header),
                qPrintable(QStringLiteral("%1: %2 px for a header of %3 px")
                               .arg(header)
                               .arg(table->columnWidth(c))
                               .arg(headerFont.horizontalAdvance(header))));
            sum += table->columnWidth(c);
        }
        QVERIFY2(sum <= table->viewport()->width(),
            qPrintable(QStringLiteral("%1 px of columns in %2 px").arg(sum).arg(table->viewport()->width())));
        QVERIFY(!table->horizontalScrollBar()->isVisible());
        // A long query is elided in the middle and whole in its tooltip.
        bool longQuery = false;
        for (int row = 0; row < table->rowCount(); ++row) {
            const QString query = review->items()[size_t(row)].query;
            QVERIFY(table->item(row, 1)->toolTip().contains(query.toHtmlEscaped()));
            longQuery = longQuery || table->fontMetrics().horizontalAdvance(query) > table->columnWidth(1);
        }
        QVERIFY(longQuery);
        QCOMPARE(table->textElideMode(), Qt::ElideMiddle);

        // The lanes say what they hold, as the store counts it; their keys are the tooltips.
        auto store = openStore(m_url);
        QVERIFY(store);
        QTabBar *lanes = w.review()->findChild<QTabBar *>();
        QVERIFY(lanes);
        QVERIFY(waitUntil([&] { return lanes->tabText(0).contains(QStringLiteral(" · ")); }));
        for (int lane = 0; lane < 4; ++lane) {
            const auto count = countInState((*store)->session(), ui::laneState(lane));
            QVERIFY(count);
            QVERIFY2(lanes->tabText(lane).endsWith(QStringLiteral(" · ") + QLocale().toString(*count)),
                qPrintable(lanes->tabText(lane)));
            QVERIFY(!lanes->tabText(lane).contains(QLatin1Char('(')));
            QCOMPARE(lanes->tabToolTip(lane), QStringLiteral("Key %1").arg(lane + 1));
        }
        QVERIFY(lanes->tabText(0).startsWith(QStringLiteral("Needs review · ")));
        shoot(QStringLiteral("review"));

        w.tabs()->setCurrentWidget(w.dashboard());
        QVERIFY(waitUntil([&] { return !w.dashboard()->queueHealthText().isEmpty(); }));
        QVERIFY2(!w.dashboard()->queueHealthText().contains(QStringLiteral("cannot be read")),
            qPrintable(w.dashboard()->queueHealthText()));
        shoot(QStringLiteral("dashboard"));
        w.tabs()->setCurrentWidget(w.review());

        // Closing saves the layout; the next window comes back the same.
        const QSize size = w.size();
        w.close();
        QVERIFY(!QSettings().value(QStringLiteral("console/geometry")).toByteArray().isEmpty());
        ui::MainWindow again;
        again.restoreLayout();
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QVERIFY(waitUntil([&] { return again.size() == size; }, 3000));
    }
};

QTEST_MAIN(TestConsoleWindow)
#include "tst_console_window.moc"
