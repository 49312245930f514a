#include <QDateTime>
#include <QTest>
#include <QTimeZone>

#include <atomic>
#include <thread>

#include "ctl.h"
#include "ledger/retention.h"
#include "ledger/rollup.h"
#include "pgserver.h"
#include "store/store.h"

using namespace l0;

// The PostgreSQL ledger in monthly partitions: an upgrade moves the events already stored into
// them without counting them twice in the rollups, months are made on demand and ahead, one
// month made once by many writers at once, a month dropped by another node's retention made
// again for a late event, and exactly-once replay still holding on (event_uid, ts_ms).
namespace {

qint64 utc(int y, int m, int d)
{
    return QDateTime(QDate(y, m, d), QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch();
}

CostEvent costEvent(qint64 tenant, qint64 ts, const QString &uid = {})
{
    CostEvent e;
    e.tsMs = ts;
    e.tenantId = tenant;
    e.tier = Tier::Exact;
    e.modelRequested = e.modelUsed = QStringLiteral("gpt-4o-mini");
    e.promptTokens = 10;
    e.completionTokens = 5;
    e.actualMicros = 0;
    e.baselineMicros = 40;
    e.entryId = 1;
    e.uid = uid;
    return e;
}

qint64 count(Store &s, const QString &sql)
{
    auto r = s.session().query(sql);
    return r && !r->empty() ? r->at(0).int64(0) : -1;
}

qint64 rollupRequests(Store &s)
{
    RollupQuery q;
    q.fromMs = 0;
    q.toMs = utc(2100, 1, 1);
    q.grain = Grain::Total;
    auto r = queryRollups(s.session(), q);
    return r ? r->totals.requests : -1;
}

QStringList partitionNames(Store &s)
{
    QStringList names;
    if (auto p = ledgerPartitions(s.session()))
        for (const LedgerPartition &part : *p)
            names << part.name;
    return names;
}

} // namespace

class TestLedgerPartitionsPg : public QObject {
    Q_OBJECT
    PgServer m_pg;

    std::unique_ptr<Store> open(const QString &db)
    {
        auto s = openStore(m_pg.url(db));
        if (!s)
            qFatal("open %s: %s", qPrintable(db), qPrintable(s.error().message));
        return std::move(s.value());
    }
    std::unique_ptr<Store> fresh(const QString &db)
    {
        QString error;
        if (!m_pg.createDatabase(db, &error))
            qFatal("%s", qPrintable(error));
        auto s = open(db);
        if (auto m = s->migrate(); !m)
            qFatal("migrate: %s", qPrintable(m.error().message));
        return s;
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_pg.start(&error), qPrintable(error));
    }

    void upgradeMovesStoredEventsIntoPartitions()
    {
        QString error;
        QVERIFY2(m_pg.createDatabase(QStringLiteral("upgrade"), &error), qPrintable(error));
        auto s = open(QStringLiteral("upgrade"));
        // The schema as the release before this one left it, with a ledger in one table.
        QVERIFY(s->migrateTo(22).ok());
        QCOMPARE(s->schemaVersion().value(), 22);
        const qint64 tenant = s->addTenant(QStringLiteral("acme"), Policy::Approved)->id;
        for (const auto &[ts, uid] : { std::pair { utc(2025, 11, 3), "u1" }, std::pair { utc(2025, 11, 30), "u2" },
                 std::pair { utc(2026, 1, 15), "u3" } })
            QVERIFY(s->session()
                        .query(QStringLiteral("INSERT INTO ledger_events (ts_ms, tenant_id, tier, model_requested, "
                                              "model_used, prompt_tokens, completion_tokens, actual_micros, "
                                              "baseline_micros, entry_id, status, latency_ms, event_uid) VALUES (?, ?, "
                                              "'exact', 'm', 'm', 1, 1, 0, 40, 1, 200, 1, ?)"),
                            { SqlSession::num(ts), SqlSession::num(tenant), SqlSession::str(QString::fromLatin1(uid)) })
                        .ok());
        QCOMPARE(rollupRequests(*s), 3);
        const qint64 lastId = count(*s, QStringLiteral("SELECT MAX(id) FROM ledger_events"));

        QVERIFY(s->migrate().ok());
        QCOMPARE(s->schemaVersion().value(), Store::latestSchemaVersion());
        QCOMPARE(count(*s, QStringLiteral("SELECT COUNT(*) FROM ledger_events")), 3);
        QCOMPARE(count(*s,
                     QStringLiteral("SELECT COUNT(*) FROM pg_partitioned_table WHERE partrelid = "
                                    "'ledger_events'::regclass")),
            1);
        const QStringList names = partitionNames(*s);
        QVERIFY2(names.contains(QStringLiteral("ledger_events_2025_11"))
                && names.contains(QStringLiteral("ledger_events_2026_01")),
            qPrintable(names.join(QLatin1Char(' '))));
        QVERIFY(!names.contains(QStringLiteral("ledger_events_2025_12"))); // no events, not ahead of now
        QCOMPARE(count(*s, QStringLiteral("SELECT COUNT(*) FROM ledger_events_2025_11")), 2);
        QCOMPARE(rollupRequests(*s), 3); // moved, not counted again
        // The sequence goes on; a replayed event is skipped; a new one is counted.
        QVERIFY(s->appendLedger({ costEvent(tenant, utc(2026, 1, 15), QStringLiteral("u3")),
                                    costEvent(tenant, utc(2026, 1, 16), QStringLiteral("u4")) })
                    .ok());
        QCOMPARE(count(*s, QStringLiteral("SELECT COUNT(*) FROM ledger_events")), 4);
        QCOMPARE(rollupRequests(*s), 4);
        QVERIFY(count(*s, QStringLiteral("SELECT id FROM ledger_events WHERE event_uid = 'u4'")) > lastId);
        // The months ahead of now were made by the migration.
        const QDate today = QDateTime::currentDateTimeUtc().date();
        QVERIFY(names.contains(
            QStringLiteral("ledger_events_%1_%2").arg(today.year()).arg(today.month(), 2, 10, QLatin1Char('0'))));
    }

    void monthsMadeOnDemandAndAhead()
    {
        auto s = fresh(QStringLiteral("ahead"));
        const qint64 tenant = s->addTenant(QStringLiteral("acme"), Policy::Approved)->id;
        // An event of a month long past (a late journal) gets its month on demand.
        QVERIFY(s->appendLedger({ costEvent(tenant, utc(2019, 7, 4)) }).ok());
        QVERIFY(partitionNames(*s).contains(QStringLiteral("ledger_events_2019_07")));
        // Maintenance makes the months ahead, from the settings, and is idempotent.
        QVERIFY(setLedgerSettings(s->session(), LedgerSettings { 0, 5, 0 }, utc(2031, 1, 10)).ok());
        auto m = maintainLedger(s->session(), utc(2031, 1, 10));
        QVERIFY(m.ok());
        QCOMPARE(m->created,
            QStringList({ QStringLiteral("ledger_events_2031_01"), QStringLiteral("ledger_events_2031_02"),
                QStringLiteral("ledger_events_2031_03"), QStringLiteral("ledger_events_2031_04"),
                QStringLiteral("ledger_events_2031_05"), QStringLiteral("ledger_events_2031_06") }));
        QVERIFY(maintainLedger(s->session(), utc(2031, 1, 10))->created.isEmpty());
        // Ranges are whole UTC months, half open.
        const auto parts = ledgerPartitions(s->session());
        QVERIFY(parts.ok());
        for (const LedgerPartition &p : *parts)
            if (p.name == QLatin1String("ledger_events_2031_02")) {
                QCOMPARE(p.fromMs, utc(2031, 2, 1));
                QCOMPARE(p.toMs, utc(2031, 3, 1));
            }
        QVERIFY(s->appendLedger({ costEvent(tenant, utc(2031, 3, 1) - 1), costEvent(tenant, utc(2031, 3, 1)) }).ok());
        QCOMPARE(count(*s, QStringLiteral("SELECT COUNT(*) FROM ledger_events_2031_02")), 1);
        QCOMPARE(count(*s, QStringLiteral("SELECT COUNT(*) FROM ledger_events_2031_03")), 1);
        // Bad settings are refused.
        QCOMPARE(
            setLedgerSettings(s->session(), LedgerSettings { -1, 3, 0 }, 0).error().code, ErrorCode::InvalidArgument);
        QCOMPARE(
            setLedgerSettings(s->session(), LedgerSettings { 30, 0, 0 }, 0).error().code, ErrorCode::InvalidArgument);
    }

    void manyWritersMakeOneMonthOnce()
    {
        auto s = fresh(QStringLiteral("writers"));
        std::vector<qint64> tenants;
        for (const char *name : { "acme", "globex", "initech" })
            tenants.push_back(s->addTenant(QString::fromLatin1(name), Policy::Approved)->id);
        const QString url = m_pg.url(QStringLiteral("writers"));
        std::atomic<int> failures { 0 };
        std::vector<std::thread> writers;
        for (int w = 0; w < 4; ++w)
            writers.emplace_back([&, w] {
                auto store = openStore(url);
                if (!store) {
                    ++failures;
                    return;
                }
                for (int b = 0; b < 25; ++b) {
                    std::vector<CostEvent> batch;
                    // One stream of events shared out among the writers, every fourth each, as
                    // nodes behind a load balancer write it: the same minutes, hours, tenants
                    // and models at once, each writer a little ahead of or behind the others.
                    for (int i = 0; i < 2000; ++i) {
                        const qint64 n = (qint64(b) * 2000 + i) * 4 + w;
                        CostEvent e = costEvent(
                            tenants[size_t(n % 3)], utc(2040, 2, 1) - 8 * 60'000 + n * 5, QStringLiteral("e%1").arg(n));
                        e.modelUsed = n % 7 < 3 ? QStringLiteral("gpt-4o") : QStringLiteral("gpt-4o-mini");
                        const qint64 h = n * 2654435761 % 1000003; // scattered entries and tiers
                        e.entryId = 1 + h % 500;
                        e.tier = h % 2 ? Tier::Exact : Tier::L0;
                        batch.push_back(e);
                    }
                    if (auto st = (*store)->appendLedger(batch); !st) {
                        qWarning("writer %d: %s", w, qPrintable(st.error().message));
                        ++failures;
                    }
                }
            });
        for (auto &t : writers)
            t.join();
        QCOMPARE(failures.load(), 0);
        // Not one deadlock (a retry would hide it): the writers' sessions report theirs as they end.
        QTest::qWait(1500);
        QCOMPARE(
            count(*s, QStringLiteral("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")), 0);
        QCOMPARE(count(*s, QStringLiteral("SELECT COUNT(*) FROM ledger_events")), 4 * 25 * 2000);
        QCOMPARE(rollupRequests(*s), 4 * 25 * 2000);
        QCOMPARE(
            count(*s, QStringLiteral("SELECT COUNT(*) FROM ledger_partitions WHERE name LIKE 'ledger_events_2040%'")),
            2); // the stream crosses from January into February
    }

    // Rows go as one array per column: text that array literals must escape comes back as it was.
    void awkwardTextRoundTrips()
    {
        auto s = fresh(QStringLiteral("text"));
        const qint64 tenant = s->addTenant(QStringLiteral("acme"), Policy::Approved)->id;
        const QStringList awkward { QStringLiteral("a\"b\\c,{d}"), QStringLiteral("NULL"), QString(),
            QStringLiteral("caf\u00e9 \u65e5\u672c \U0001F600"), QStringLiteral(" spaced "),
            QStringLiteral("x\ny\tz") };
        std::vector<CostEvent> events;
        for (int i = 0; i < awkward.size(); ++i) {
            CostEvent e = costEvent(tenant, utc(2026, 6, 1 + i), QStringLiteral("t%1").arg(i));
            e.ns = e.user = e.intent = e.route = e.arm = e.responseId = awkward[i];
            e.actualMicros.reset(); // unpriced: NULL, not 0
            events.push_back(e);
        }
        QVERIFY(s->appendLedger(events).ok());
        auto rows = s->session().query(QStringLiteral("SELECT namespace, end_user, intent, route, arm, response_id, "
                                                      "actual_micros IS NULL FROM ledger_events ORDER BY ts_ms"));
        QVERIFY(rows.ok());
        QCOMPARE(rows->size(), size_t(awkward.size()));
        for (int i = 0; i < awkward.size(); ++i) {
            for (size_t c = 0; c < 6; ++c)
                QCOMPARE(rows->at(size_t(i)).text(c), awkward[i]);
            QCOMPARE(rows->at(size_t(i)).text(6), QStringLiteral("t"));
        }
    }

    void retentionDropsWholeMonthsAndRollupsStay()
    {
        auto s = fresh(QStringLiteral("retention"));
        const qint64 tenant = s->addTenant(QStringLiteral("acme"), Policy::Approved)->id;
        std::vector<CostEvent> events;
        for (int d = 1; d <= 28; ++d)
            for (int month : { 3, 4, 5 })
                events.push_back(costEvent(tenant, utc(2025, month, d), QStringLiteral("e%1-%2").arg(month).arg(d)));
        QVERIFY(s->appendLedger(events).ok());
        QCOMPARE(rollupRequests(*s), 84);
        // Another node (its own connection) sets 30 days on 2025-05-10: March goes (all of it is
        // past 2025-04-10), April stays (part of it is not).
        auto other = open(QStringLiteral("retention"));
        QVERIFY(setLedgerSettings(other->session(), LedgerSettings { 30, 3, 0 }, utc(2025, 5, 10)).ok());
        auto m = maintainLedger(other->session(), utc(2025, 5, 10));
        QVERIFY(m.ok());
        QCOMPARE(m->dropped, QStringList { QStringLiteral("ledger_events_2025_03") });
        QCOMPARE(count(*s, QStringLiteral("SELECT COUNT(*) FROM ledger_events")), 56);
        QCOMPARE(count(*s, QStringLiteral("SELECT (to_regclass('ledger_events_2025_03') IS NULL)::int")), 1);
        QVERIFY(!partitionNames(*s).contains(QStringLiteral("ledger_events_2025_03")));
        QCOMPARE(rollupRequests(*s), 84); // the dashboard's numbers stay
        // This connection still believes March is there: a late March event makes it again.
        QVERIFY(s->appendLedger({ costEvent(tenant, utc(2025, 3, 15), QStringLiteral("late")) }).ok());
        QVERIFY(partitionNames(*s).contains(QStringLiteral("ledger_events_2025_03")));
        QCOMPARE(rollupRequests(*s), 85);
        // Replayed again: stored once, counted once.
        QVERIFY(s->appendLedger({ costEvent(tenant, utc(2025, 3, 15), QStringLiteral("late")) }).ok());
        QCOMPARE(rollupRequests(*s), 85);
        QCOMPARE(count(*s, QStringLiteral("SELECT COUNT(*) FROM ledger_events_2025_03")), 1);

        // A partition dropped by hand (its registry row left behind) is made again when needed.
        QVERIFY(s->session().query(QStringLiteral("DROP TABLE ledger_events_2025_03")).ok());
        QVERIFY(s->appendLedger({ costEvent(tenant, utc(2025, 3, 16), QStringLiteral("by-hand")) }).ok());
        QCOMPARE(count(*s, QStringLiteral("SELECT COUNT(*) FROM ledger_events_2025_03")), 1);
        // A temporary table cannot stand in for the registry: the functions never read pg_temp first.
        QVERIFY(s->session()
                    .query(QStringLiteral("CREATE TEMP TABLE ledger_partitions AS SELECT 'ledger_rollup_minute'::text "
                                          "AS name, 0::bigint AS from_ms, 1::bigint AS to_ms, 0::bigint AS created_ms"))
                    .ok());
        auto viaTemp = maintainLedger(s->session(), utc(2025, 5, 10));
        QVERIFY(viaTemp.ok());
        QCOMPARE(viaTemp->dropped, QStringList { QStringLiteral("ledger_events_2025_03") }); // the real registry's
        QCOMPARE(count(*s, QStringLiteral("SELECT (to_regclass('public.ledger_rollup_minute') IS NOT NULL)::int")), 1);
        QVERIFY(s->session().query(QStringLiteral("DROP TABLE pg_temp.ledger_partitions")).ok());

        // The same through l0ctl, on the real clock: 400 days drops every month of 2025 before
        // the horizon, and lists what is left.
        QString out, err;
        QTextStream o(&out), e(&err);
        const QString url = m_pg.url(QStringLiteral("retention"));
        QCOMPARE(runCtl({ QStringLiteral("--db"), url, QStringLiteral("ledger"), QStringLiteral("retention"),
                            QStringLiteral("--raw-days"), QStringLiteral("-3") },
                     o, e),
            2);
        QCOMPARE(runCtl({ QStringLiteral("--db"), url, QStringLiteral("ledger"), QStringLiteral("retention"),
                            QStringLiteral("--raw-days"), QStringLiteral("400"), QStringLiteral("--json") },
                     o, e),
            0);
        o.flush();
        QVERIFY2(out.contains(QStringLiteral("\"raw_retention_days\":400")), qPrintable(out));
        const qint64 horizon = QDateTime::currentMSecsSinceEpoch() - 400LL * 86'400'000;
        for (int month : { 4, 5 })
            QVERIFY2(out.contains(QStringLiteral("ledger_events_2025_0%1").arg(month))
                    == (utc(2025, month + 1, 1) <= horizon),
                qPrintable(out));
        // A node whose clock runs years ahead cannot drop months early: the server's clock bounds
        // the horizon.
        QVERIFY(setLedgerSettings(s->session(), LedgerSettings { 30, 3, 0 }, 0).ok());
        auto ahead = maintainLedger(s->session(), utc(2040, 1, 1));
        QVERIFY(ahead.ok());
        const QString horizonMonth = QStringLiteral("ledger_events_")
            + QDateTime::currentDateTimeUtc().addDays(-30).toString(QStringLiteral("yyyy_MM"));
        for (const QString &name : std::as_const(ahead->dropped))
            QVERIFY2(name < horizonMonth, qPrintable(name));
        QVERIFY(
            partitionNames(*s).contains(QStringLiteral("ledger_events_%1")
                                            .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy_MM")))));
        QVERIFY(partitionNames(*s).contains(QStringLiteral("ledger_events_2040_01"))); // made ahead of it, harmless
        out.clear();
        QCOMPARE(
            runCtl({ QStringLiteral("--db"), url, QStringLiteral("ledger"), QStringLiteral("partitions") }, o, e), 0);
        o.flush();
        const QDate next = QDateTime::currentDateTimeUtc().date().addMonths(1);
        const QDateTime from(QDate(next.year(), next.month(), 1), QTime(0, 0), QTimeZone::utc());
        QVERIFY2(out.contains(QStringLiteral("ledger_events_%1  %2 .. %3")
                                  .arg(from.toString(QStringLiteral("yyyy_MM")), from.toString(Qt::ISODateWithMs),
                                      from.addMonths(1).toString(Qt::ISODateWithMs))),
            qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(TestLedgerPartitionsPg)
#include "tst_ledger_partitions_pg.moc"
