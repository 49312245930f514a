#include <QDateTime>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include "ledger/budget.h"
#include "store/store.h"
#include "teststore.h"

using namespace l0;

// Monthly budgets: spend since the first of the month in a time zone, the projection, the
// warning levels; unpriced requests counted apart; amounts parsed without floating point.
class TestBudget : public QObject {
    Q_OBJECT
    TestStore m_db;
    std::unique_ptr<Store> m_store;

    CostEvent event(qint64 tenant, const QDateTime &at, std::optional<qint64> actual)
    {
        CostEvent e;
        e.tsMs = at.toMSecsSinceEpoch();
        e.tenantId = tenant;
        e.tier = Tier::Upstream;
        e.modelRequested = e.modelUsed = actual ? QStringLiteral("gpt-4o") : QStringLiteral("house-model");
        e.actualMicros = actual;
        e.baselineMicros = actual;
        return e;
    }

private slots:
    void initTestCase()
    {
        QString error;
        m_store = m_db.open(QStringLiteral("budget"), &error);
        QVERIFY2(m_store, qPrintable(error));
    }
    void dollarsParseExactly()
    {
        QCOMPARE(parseDollars(QStringLiteral("250")), std::optional<qint64>(250'000'000));
        QCOMPARE(parseDollars(QStringLiteral("$1,200.50")), std::optional<qint64>(1'200'500'000));
        QCOMPARE(parseDollars(QStringLiteral("0.000001")), std::optional<qint64>(1));
        QCOMPARE(parseDollars(QStringLiteral("19.99")), std::optional<qint64>(19'990'000)); // not 19989999
        for (const char *bad : { "", "-5", "1.0000001", "abc", "1e3", "12.", ".5" })
            QVERIFY2(!parseDollars(QLatin1String(bad)), bad);
    }
    void spendProjectionAndLevels()
    {
        const QTimeZone berlin("Europe/Berlin");
        const qint64 acme = m_store->addTenant(QStringLiteral("acme"), Policy::Approved)->id;
        const qint64 globex = m_store->addTenant(QStringLiteral("globex"), Policy::Approved)->id;
        const qint64 initech = m_store->addTenant(QStringLiteral("initech"), Policy::Approved)->id;
        (void)m_store->addTenant(QStringLiteral("nobudget"), Policy::Approved);
        QVERIFY(setTenantBudget(m_store->session(), QStringLiteral("acme"), 100'000'000).ok());
        QVERIFY(setTenantBudget(m_store->session(), QStringLiteral("globex"), 100'000'000).ok());
        QVERIFY(setTenantBudget(m_store->session(), QStringLiteral("initech"), 100'000'000).ok());
        QCOMPARE(setTenantBudget(m_store->session(), QStringLiteral("nobody"), 1).error().code, ErrorCode::NotFound);
        QCOMPARE(
            setTenantBudget(m_store->session(), QStringLiteral("acme"), 0).error().code, ErrorCode::InvalidArgument);

        // Now: 11 June 00:00 Berlin, ten days into a 30-day month.
        const QDateTime now(QDate(2026, 6, 11), QTime(0, 0), berlin);
        std::vector<CostEvent> events;
        // 31 May 23:30 Berlin is May: not counted. 1 June 00:10 Berlin (31 May 22:10 UTC) is.
        events.push_back(event(acme, QDateTime(QDate(2026, 5, 31), QTime(23, 30), berlin), 90'000'000));
        events.push_back(event(acme, QDateTime(QDate(2026, 6, 1), QTime(0, 10), berlin), 20'000'000));
        events.push_back(event(acme, QDateTime(QDate(2026, 6, 5), QTime(12, 0), berlin), 5'000'000));
        events.push_back(event(acme, QDateTime(QDate(2026, 6, 6), QTime(9, 0), berlin), std::nullopt));
        // globex: 85 spent, on course for 255: a warning. initech: 101: over.
        events.push_back(event(globex, QDateTime(QDate(2026, 6, 3), QTime(8, 0), berlin), 85'000'000));
        events.push_back(event(initech, QDateTime(QDate(2026, 6, 10), QTime(23, 59), berlin), 101'000'000));
        QVERIFY(m_store->appendLedger(events).ok());

        auto st = budgetStatus(m_store->session(), berlin, now.toMSecsSinceEpoch());
        QVERIFY2(st.ok(), qPrintable(st.ok() ? QString() : st.error().message));
        QCOMPARE(int(st->size()), 3); // only tenants with a budget
        const BudgetStatus &a = st->at(0);
        QCOMPARE(a.tenant, QStringLiteral("acme"));
        QCOMPARE(a.spentMicros, 25'000'000);
        QCOMPARE(a.unpricedRequests, 1);
        QCOMPARE(a.projectedMicros, std::optional<qint64>(75'000'000)); // 25 over 10 of 30 days
        QCOMPARE(a.level, BudgetStatus::Level::Ok);
        QCOMPARE(a.monthStartMs, QDateTime(QDate(2026, 6, 1), QTime(0, 0), berlin).toMSecsSinceEpoch());
        QCOMPARE(st->at(1).level, BudgetStatus::Level::Warning);
        QCOMPARE(st->at(1).projectedMicros, std::optional<qint64>(255'000'000));
        QCOMPARE(st->at(2).level, BudgetStatus::Level::Over);

        // In UTC, 1 June 00:10 Berlin is still 31 May: on 1 June at noon UTC nothing is spent this
        // month, and the first day has no projection.
        auto early = budgetStatus(m_store->session(), QTimeZone::utc(),
            QDateTime(QDate(2026, 6, 1), QTime(12, 0), QTimeZone::utc()).toMSecsSinceEpoch(), QStringLiteral("acme"));
        QCOMPARE(int(early->size()), 1);
        QCOMPARE(early->at(0).spentMicros, 0);
        QVERIFY(!early->at(0).projectedMicros);

        // Cleared: gone from the list.
        QVERIFY(setTenantBudget(m_store->session(), QStringLiteral("acme"), std::nullopt).ok());
        QCOMPARE(int(budgetStatus(m_store->session(), berlin, now.toMSecsSinceEpoch())->size()), 2);
    }
};

QTEST_GUILESS_MAIN(TestBudget)
#include "tst_budget.moc"
