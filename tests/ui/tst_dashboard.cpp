#include <QApplication>
#include <QBarSet>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLibraryInfo>
#include <QLineSeries>
#include <QProcess>
#include <QSignalSpy>
#include <QStackedBarSeries>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QTranslator>

#include <random>

#include "ctl.h"
#include "dashboard/dashboardwidget.h"
#include "ledger/budget.h"
#include "mainwindow.h"
#include "store/store.h"
#ifdef L0_STORE_PG
#include "pgserver.h"
#endif

using namespace l0;

// The savings dashboard, offscreen, over a generated ledger: every series and card equals what
// `l0ctl ledger report` prints for the same range, zone and filter; CSV export is that report;
// charts render to PNG. The PostgreSQL build also logs in as a manager: the dashboard works,
// the review queue is closed.
class TestDashboard : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_url;
    std::unique_ptr<Store> m_store;
    const QTimeZone m_zone { "Europe/Berlin" };
    QDateTime m_from, m_to;
#ifdef L0_STORE_PG
    PgServer m_pg;
#endif

    QString ctl(QStringList args)
    {
        QString o, e;
        QTextStream out(&o), err(&e);
        args.prepend(m_url);
        args.prepend(QStringLiteral("--db"));
        const int code = runCtl(args, out, err);
        out.flush();
        err.flush();
        if (code != 0)
            qWarning() << e;
        return o;
    }
    QStringList rangeArgs() const
    {
        return { QStringLiteral("--since"), m_from.toString(Qt::ISODate), QStringLiteral("--until"),
            m_to.toString(Qt::ISODate), QStringLiteral("--tz"), QStringLiteral("Europe/Berlin") };
    }
private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
#ifdef L0_STORE_PG
        QString error;
        QVERIFY2(m_pg.start(&error), qPrintable(error));
        m_url = m_pg.url();
#else
        m_url = QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("console.sqlite"));
#endif
        auto s = openStore(m_url);
        QVERIFY(s.ok());
        m_store = std::move(*s);
        QVERIFY(m_store->migrate().ok());
        const qint64 acme = m_store->addTenant(QStringLiteral("acme"), Policy::Approved)->id;
        const qint64 shadow = m_store->addTenant(QStringLiteral("trial"), Policy::Shadow)->id;
        // A week across the DST change, with a priced and an unpriced model and shadow traffic.
        m_from = QDateTime(QDate(2026, 3, 26), QTime(0, 0), m_zone);
        m_to = QDateTime(QDate(2026, 4, 2), QTime(0, 0), m_zone);
        std::mt19937 rng(7);
        std::vector<CostEvent> events;
        for (int i = 0; i < 20'000; ++i) {
            CostEvent e;
            e.tsMs = m_from.toMSecsSinceEpoch()
                + qint64(rng() % quint32(m_to.toMSecsSinceEpoch() - m_from.toMSecsSinceEpoch()));
            const bool trial = rng() % 5 == 0;
            e.tenantId = trial ? shadow : acme;
            static const char *const models[] = { "gpt-4o-mini", "gpt-4o", "house-model" };
            e.modelRequested = e.modelUsed = QString::fromLatin1(models[rng() % 3]);
            e.tier = trial ? Tier::Upstream : (rng() % 3 == 0 ? Tier::Upstream : (rng() % 2 ? Tier::Exact : Tier::L0));
            e.shadowHit = trial && rng() % 2 == 0;
            e.promptTokens = 200;
            e.completionTokens = 100;
            if (e.modelUsed != QLatin1String("house-model")) {
                const qint64 cost = 100 + rng() % 900;
                e.baselineMicros = cost;
                e.actualMicros = e.tier == Tier::Upstream ? cost : 0;
            }
            e.latencyMs = e.tier == Tier::Upstream ? 800 : 2;
            // Some misses were routed: asked for gpt-4o, answered by gpt-4o-mini at a third.
            if (!trial && e.tier == Tier::Upstream && e.modelUsed == QLatin1String("gpt-4o-mini") && i % 4 == 0) {
                e.modelRequested = QStringLiteral("gpt-4o");
                e.route = i % 8 == 0 ? QStringLiteral("cascade") : QStringLiteral("learned");
                e.baselineMicros = *e.actualMicros * 3;
            }
            events.push_back(e);
        }
        Candidate c;
        c.tenantId = acme;
        c.cacheKey = "k1";
        c.model = QStringLiteral("gpt-4o-mini");
        c.query = QStringLiteral("where is my parcel?");
        c.result.message = QJsonObject { { QStringLiteral("content"), QStringLiteral("It ships in 2 days.") } };
        c.author = QStringLiteral("upstream:gpt-4o-mini");
        auto receipt = m_store->addCandidate(c);
        QVERIFY(receipt.ok());
        c.cacheKey = "k2";
        c.query = QStringLiteral("how do I reset my password?");
        auto second = m_store->addCandidate(c);
        QVERIFY(second.ok());
        QVERIFY(m_store->decide(second->entryId, 1, VersionState::Approved, QStringLiteral("ann"), {}).ok());
        // Hits name the entry that answered them: the top entries.
        for (CostEvent &e : events) {
            if (e.tier != Tier::Upstream)
                e.entryId = (e.tsMs % 3 == 0) ? receipt->entryId : second->entryId;
        }
        QVERIFY(m_store->appendLedger(events).ok());
    }

    void seriesEqualTheLedgerReport()
    {
        ui::MainWindow w;
        w.resize(1400, 1000);
        QSignalSpy connected(&w, &ui::MainWindow::connected);
        w.openStore(m_url);
        QVERIFY(connected.wait(10000));
        QCOMPARE(connected.at(0).at(0).toBool(), true);
        ui::DashboardWidget *d = w.dashboard();
        QSignalSpy spy(d, &ui::DashboardWidget::dataShown);
        d->setRange(m_from, m_to, m_zone);
        QVERIFY(spy.wait(15000) || !spy.isEmpty());
        // Wait for the answer to the last request (the range change).
        while (d->data().query.fromMs != m_from.toMSecsSinceEpoch())
            QVERIFY(spy.wait(15000));

        QStringList args { QStringLiteral("ledger"), QStringLiteral("report"), QStringLiteral("--bucket"),
            QStringLiteral("day"), QStringLiteral("--group-by"), QStringLiteral("model"), QStringLiteral("--json") };
        args += rangeArgs();
        const QJsonObject report = QJsonDocument::fromJson(ctl(args).toUtf8()).object();
        QVERIFY(!report.isEmpty());
        // Bars: one set per model, one value per day, in dollars.
        QHash<QString, QBarSet *> sets;
        for (QBarSet *s : d->costSeries()->barSets())
            sets.insert(s->label(), s);
        const QJsonArray rows = report.value(QStringLiteral("rows")).toArray();
        QVERIFY(rows.size() > 10);
        const auto buckets = d->data().byModel.buckets;
        QCOMPARE(buckets.size(), size_t(7)); // 7 calendar days, one of them 23 hours long
        double baseline = 0;
        for (const QJsonValue &v : rows) {
            const QJsonObject r = v.toObject();
            QBarSet *set = sets.value(r.value(QStringLiteral("group")).toString());
            QVERIFY(set);
            const qint64 bucket
                = QDateTime::fromString(r.value(QStringLiteral("bucket")).toString(), Qt::ISODate).toMSecsSinceEpoch();
            const auto it = std::find(buckets.begin(), buckets.end(), bucket);
            QVERIFY(it != buckets.end());
            QCOMPARE(qint64(std::llround(set->at(int(it - buckets.begin())) * 1e6)),
                r.value(QStringLiteral("actual_micros")).toInteger());
            baseline += double(r.value(QStringLiteral("baseline_micros")).toInteger()) / 1e6;
        }
        double shownBaseline = 0;
        for (const QPointF &p : d->baselineSeries()->points())
            shownBaseline += p.y();
        QCOMPARE(qint64(std::llround(shownBaseline * 1e6)), qint64(std::llround(baseline * 1e6)));
        // Cards.
        const qint64 saved = report.value(QStringLiteral("saved_micros")).toInteger();
        QVERIFY(saved > 0);
        QVERIFY2(d->kpiText(QStringLiteral("saved"))
                     .remove(QLatin1Char(','))
                     .contains(QString::number(double(saved) / 1e6, 'f', saved >= 100'000'000 ? 0 : 2)),
            qPrintable(d->kpiText(QStringLiteral("saved"))));
        QCOMPARE(d->kpiText(QStringLiteral("unpriced")).remove(QLatin1Char(',')),
            QString::number(report.value(QStringLiteral("unpriced_requests")).toInteger()));
        QCOMPARE(d->kpiText(QStringLiteral("backlog")), QStringLiteral("1"));
        QVERIFY(report.value(QStringLiteral("shadow_would_save_micros")).toInteger() > 0);
        // Routing savings apart from the cache's, as the report says them.
        const QJsonObject routing = report.value(QStringLiteral("routing")).toObject();
        const qint64 routed = routing.value(QStringLiteral("routing_savings_micros")).toInteger();
        const qint64 cached = routing.value(QStringLiteral("cache_savings_micros")).toInteger();
        QVERIFY(routed > 0 && cached > 0);
        QCOMPARE(routed + cached, saved); // every other event cost its baseline
        QCOMPARE(d->data().routing.routingSavedMicros(), routed);
        QVERIFY2(d->kpiText(QStringLiteral("routing_saved"))
                     .remove(QLatin1Char(','))
                     .contains(QString::number(double(routed) / 1e6, 'f', routed >= 100'000'000 ? 0 : 2)),
            qPrintable(d->kpiText(QStringLiteral("routing_saved"))));
        QCOMPARE(routing.value(QStringLiteral("model_mix"))
                     .toObject()
                     .value(QStringLiteral("requested"))
                     .toObject()
                     .value(QStringLiteral("gpt-4o"))
                     .toInteger(),
            routing.value(QStringLiteral("routed_requests")).toInteger());
        // Top entries: the same as the report's, most saved first.
        QStringList topArgs { QStringLiteral("ledger"), QStringLiteral("report"), QStringLiteral("--top"),
            QStringLiteral("10"), QStringLiteral("--json") };
        topArgs += rangeArgs();
        const QJsonArray top
            = QJsonDocument::fromJson(ctl(topArgs).toUtf8()).object().value(QStringLiteral("top_entries")).toArray();
        QCOMPARE(size_t(top.size()), d->data().topEntries.size());
        QVERIFY(top.size() == 2);
        for (qsizetype i = 0; i < top.size(); ++i) {
            QCOMPARE(top.at(i).toObject().value(QStringLiteral("entry")).toInteger(),
                d->data().topEntries[size_t(i)].entryId);
            QCOMPARE(top.at(i).toObject().value(QStringLiteral("saved_micros")).toInteger(),
                d->data().topEntries[size_t(i)].savedMicros);
        }
        // Export: the CSV is the report's CSV; each chart renders to a PNG.
        QStringList csvArgs { QStringLiteral("ledger"), QStringLiteral("report"), QStringLiteral("--bucket"),
            QStringLiteral("day"), QStringLiteral("--group-by"), QStringLiteral("model"), QStringLiteral("--csv") };
        csvArgs += rangeArgs();
        QCOMPARE(QString::fromUtf8(d->csv()), ctl(csvArgs));
        QString error;
        QVERIFY2(d->exportCharts(m_dir.path(), &error), qPrintable(error));
        for (const char *name : { "cost.png", "hit_rate.png", "model_mix.png", "route_mix.png" })
            QVERIFY(QImage(m_dir.filePath(QLatin1String(name))).width() > 100);
        // Screenshots for the README, when asked.
        const QString shots = qEnvironmentVariable("L0_SCREENSHOT_DIR");
        if (!shots.isEmpty()) {
            w.tabs()->setCurrentWidget(d);
            w.show(); // laid out as on a screen, scroll bars and all
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            QTest::qWait(200);
            QVERIFY(w.grab().save(shots + QStringLiteral("/dashboard.png")));
            QVERIFY2(d->exportCharts(shots, &error), qPrintable(error)); // each chart on its own
        }
    }

#ifdef L0_STORE_PG
    void managerSeesSavingsButCannotReview()
    {
        QVERIFY(m_store->session().query(QStringLiteral("CREATE ROLE maria LOGIN")).ok());
        QVERIFY(m_store->session().query(QStringLiteral("GRANT l0_manager TO maria")).ok());
        ui::MainWindow w;
        QSignalSpy connected(&w, &ui::MainWindow::connected);
        w.openStore(m_pg.url(QStringLiteral("postgres"), QStringLiteral("maria")));
        QVERIFY(connected.wait(10000));
        QVERIFY(!w.canReview());
        QVERIFY(!w.tabs()->isTabEnabled(0));
        QCOMPARE(w.tabs()->currentWidget(), static_cast<QWidget *>(w.dashboard()));
        ui::DashboardWidget *d = w.dashboard();
        QSignalSpy spy(d, &ui::DashboardWidget::dataShown);
        d->setRange(m_from, m_to, m_zone);
        while (d->data().query.fromMs != m_from.toMSecsSinceEpoch())
            QVERIFY(spy.wait(15000));
        QVERIFY(d->data().byModel.totals.requests > 0);
        QCOMPARE(d->kpiText(QStringLiteral("backlog")), QStringLiteral("1"));
        QVERIFY(!d->data().topEntries.empty());
        // The queue's health is readable by a manager (migration 0016 grants what it needs).
        QVERIFY2(d->data().queue && d->data().queue->health, qPrintable(d->data().queueError));
        QCOMPARE(d->data().queue->awaiting, 1);
        QVERIFY(d->queueHealthText().contains(QStringLiteral("Needs review")));
        // And the store refuses a decision from this login.
        auto asManager = openStore(m_pg.url(QStringLiteral("postgres"), QStringLiteral("maria")));
        QVERIFY(asManager.ok());
        QVERIFY(!(*asManager)->decide(1, 1, VersionState::Approved, QStringLiteral("maria"), {}).ok());
    }
#endif
    void budgetsWarnAndOverrun()
    {
        // trial spent $2 of a $1 budget this month: over, listed first; acme is within its budget.
        QVERIFY(setTenantBudget(m_store->session(), QStringLiteral("acme"), 1'000'000'000).ok());
        QVERIFY(setTenantBudget(m_store->session(), QStringLiteral("trial"), 1'000'000).ok());
        CostEvent e;
        e.tsMs = QDateTime::currentMSecsSinceEpoch() - 60'000;
        e.tenantId = m_store->tenantByName(QStringLiteral("trial"))->id;
        e.modelRequested = e.modelUsed = QStringLiteral("gpt-4o");
        e.actualMicros = e.baselineMicros = 2'000'000;
        QVERIFY(m_store->appendLedger({ e }).ok());
        ui::DashboardWidget d;
        QSignalSpy shown(&d, &ui::DashboardWidget::dataShown);
        d.setStore(m_url);
        QVERIFY(shown.wait(15000));
        const QString text = d.budgetText();
        QVERIFY2(text.contains(QStringLiteral("Over budget")), qPrintable(text));
        QVERIFY(text.indexOf(QStringLiteral("trial")) < text.indexOf(QStringLiteral("acme")));
        QVERIFY2(text.contains(QStringLiteral("$2.00 of $1.00")), qPrintable(text));
        if (const QString shots = qEnvironmentVariable("L0_SCREENSHOT_DIR"); !shots.isEmpty()) {
            d.resize(1400, 500);
            d.show();
            QVERIFY(QTest::qWaitForWindowExposed(&d));
            QTest::qWait(200);
            QVERIFY(d.grab().save(shots + QStringLiteral("/dashboard-budget.png")));
        }
        // Cleared budgets: the line goes.
        QVERIFY(setTenantBudget(m_store->session(), QStringLiteral("acme"), std::nullopt).ok());
        QVERIFY(setTenantBudget(m_store->session(), QStringLiteral("trial"), std::nullopt).ok());
        d.refresh();
        QVERIFY(shown.wait(15000));
        QVERIFY(d.budgetText().isEmpty());
    }
    void presetsAndBudgetsFollowTheClock()
    {
        // The widget's "now" is its clock: "Last 7 days" ends at the minute after it, and the
        // budgets' month is the clock's.
        QVERIFY(setTenantBudget(m_store->session(), QStringLiteral("acme"), 1'000'000'000).ok());
        ManualClock clock(m_to.toMSecsSinceEpoch() - 30'000); // 1 April, 23:59:30 in Berlin
        ui::DashboardWidget d(nullptr, &clock);
        QSignalSpy shown(&d, &ui::DashboardWidget::dataShown);
        d.setStore(m_url);
        QVERIFY(shown.wait(15000));
        const RollupQuery &q = d.data().query;
        QCOMPARE(q.toMs, m_to.toMSecsSinceEpoch());
        QCOMPARE(q.fromMs, m_to.toMSecsSinceEpoch() - 7LL * 86'400'000);
        QVERIFY(d.data().byModel.totals.requests > 0);
        QCOMPARE(int(d.data().budgets.size()), 1);
        QCOMPARE(
            d.data().budgets.at(0).monthStartMs, QDateTime(QDate(2026, 4, 1), QTime(0, 0), q.zone).toMSecsSinceEpoch());
        QVERIFY(setTenantBudget(m_store->session(), QStringLiteral("acme"), std::nullopt).ok());
    }
    void translationsAreCompleteAndEmbedded()
    {
        for (const char *lang : { "de", "fr" }) {
            QFile ts(QStringLiteral(L0_SOURCE_DIR "/translations/l0cache_%1.ts").arg(QLatin1String(lang)));
            QVERIFY(ts.open(QIODevice::ReadOnly));
            const QByteArray xml = ts.readAll();
            QVERIFY2(!xml.contains("type=\"unfinished\"") && !xml.contains("type=\"vanished\""),
                qPrintable(QStringLiteral("%1 has untranslated strings").arg(ts.fileName())));
            // And no string in the sources is missing from it: lupdate on a copy adds none.
            QTemporaryDir dir;
            const QString copy = dir.filePath(QStringLiteral("copy.ts"));
            QVERIFY(QFile::copy(ts.fileName(), copy));
            QProcess lupdate;
            lupdate.start(QLibraryInfo::path(QLibraryInfo::BinariesPath) + QStringLiteral("/lupdate"),
                { QStringLiteral(L0_SOURCE_DIR "/ui"), QStringLiteral("-ts"), copy, QStringLiteral("-no-obsolete"),
                    QStringLiteral("-silent") });
            QVERIFY2(
                lupdate.waitForFinished(120000) && lupdate.exitCode() == 0, lupdate.readAllStandardError().constData());
            QFile updated(copy);
            QVERIFY(updated.open(QIODevice::ReadOnly));
            QVERIFY2(!updated.readAll().contains("type=\"unfinished\""),
                qPrintable(QStringLiteral("%1 lacks strings from the sources: run lupdate and translate them")
                               .arg(ts.fileName())));
            QTranslator t;
            QVERIFY(t.load(QStringLiteral(":/l0/i18n/l0cache_%1.qm").arg(QLatin1String(lang))));
        }
        QTranslator de;
        QVERIFY(de.load(QLocale(QLocale::German, QLocale::Germany), QStringLiteral("l0cache"), QStringLiteral("_"),
            QStringLiteral(":/l0/i18n")));
        QCoreApplication::installTranslator(&de);
        ui::DashboardWidget d;
        QCOMPARE(d.accessibleName(), QStringLiteral("Einsparungen"));
        QCoreApplication::removeTranslator(&de);
    }
    void cleanupTestCase()
    {
        m_store.reset();
    }
};

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    TestDashboard t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_dashboard.moc"
