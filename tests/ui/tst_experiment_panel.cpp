#include <QApplication>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "dashboard/dashboardwidget.h"
#include "store/experimentrules.h"
#include "store/store.h"

using namespace l0;

// The dashboard shows the running experiments with their per-arm figures (the engine's report),
// and nothing once they stop. L0_SCREENSHOT_DIR=DIR saves a picture of it.
class TestExperimentPanel : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void dashboardShowsRunningExperiments()
    {
        const QString url = QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("panel.sqlite"));
        auto store = std::move(openStore(url).value());
        QVERIFY(store->migrate().ok());
        const qint64 t = store->addTenant(QStringLiteral("shop"), Policy::Approved)->id;
        std::vector<ExperimentArm> arms { { QStringLiteral("control"),
                                              parseArmPolicy(QStringLiteral("route:fixed")).value(), 50 },
            { QStringLiteral("router"), parseArmPolicy(QStringLiteral("route:learned@0.95")).value(), 50 } };
        auto x = createExperiment(store->session(), QStringLiteral("router-ab"), QStringLiteral("shop"), arms, {});
        QVERIFY(x.ok());
        // 40 requests per arm: control pays 1000 to 1390 micro-dollars, the router 300 to 690.
        std::vector<CostEvent> events;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (int i = 0; i < 80; ++i) {
            CostEvent e;
            e.tsMs = now - 60'000 + i;
            e.tenantId = t;
            e.tier = i % 5 == 0 ? Tier::Exact : Tier::Upstream;
            e.modelRequested = QStringLiteral("gpt-4o");
            e.modelUsed = i % 2 ? QStringLiteral("gpt-4o-mini") : QStringLiteral("gpt-4o");
            const bool control = i % 2 == 0;
            e.actualMicros = e.tier == Tier::Exact ? 0 : (control ? 1000 : 300) + 10 * (i / 2);
            e.baselineMicros = 1500;
            e.latencyMs = (control ? 400 : 250) + i;
            e.experimentId = x->id;
            e.arm = control ? QStringLiteral("control") : QStringLiteral("router");
            events.push_back(e);
        }
        QVERIFY(store->appendLedger(events).ok());

        ui::DashboardWidget d;
        QSignalSpy shown(&d, &ui::DashboardWidget::dataShown);
        d.setStore(url);
        QVERIFY(shown.wait(15000));
        QCOMPARE(int(d.data().experiments.size()), 1);
        QCOMPARE(d.data().experiments[0].arms[1].requests, 40);
        const QString text = d.experimentsText();
        QVERIFY2(text.contains(QStringLiteral("router-ab")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("route:learned@0.95")));
        QVERIFY(text.contains(QStringLiteral("★"))); // the router's cost differs significantly
        if (const QString shots = qEnvironmentVariable("L0_SCREENSHOT_DIR"); !shots.isEmpty()) {
            d.resize(1400, 900);
            d.show();
            QVERIFY(QTest::qWaitForWindowExposed(&d));
            QTest::qWait(300);
            QVERIFY(d.grab().save(shots + QStringLiteral("/dashboard-experiments.png")));
        }
        QVERIFY(stopExperiment(store->session(), QStringLiteral("router-ab")).ok());
        d.refresh();
        QVERIFY(shown.wait(15000));
        QVERIFY(d.experimentsText().isEmpty());
        QVERIFY(d.data().experiments.empty());
    }
};

QTEST_MAIN(TestExperimentPanel)
#include "tst_experiment_panel.moc"
