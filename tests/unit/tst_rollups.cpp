#include <QDateTime>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <algorithm>
#include <limits>
#include <map>
#include <random>

#include "ctl.h"
#include "ledger/retention.h"
#include "ledger/rollup.h"
#include "store/store.h"
#ifdef L0_STORE_PG
#include "pgserver.h"
#endif

using namespace l0;

// The rollups the dashboard reads must equal sums computed by hand from the raw events, for
// any zone (whole-hour, half-hour, across a DST change), grain, grouping and filter. The
// ledger is generated: SQLite gets 1M events; the PostgreSQL build of this test a smaller one.
namespace {
#ifdef L0_STORE_PG
constexpr int kEvents = 100'000;
#else
constexpr int kEvents = 1'000'000;
#endif

struct Expected {
    qint64 requests = 0, hits = 0, shadow = 0, unpriced = 0, actual = 0, baseline = 0, shadowSave = 0, prompt = 0,
           fee = 0;
    void add(const CostEvent &e)
    {
        ++requests;
        hits += e.tier != Tier::Upstream;
        shadow += e.shadowHit;
        const bool priced = e.actualMicros && e.baselineMicros;
        unpriced += !priced;
        if (priced) {
            actual += *e.actualMicros;
            baseline += *e.baselineMicros;
        }
        if (e.shadowHit && e.actualMicros)
            shadowSave += *e.actualMicros;
        prompt += e.promptTokens;
        fee += e.feeMicros;
    }
};

void compare(const RollupRow &got, const Expected &want, const QString &where)
{
    QVERIFY2(got.requests == want.requests,
        qPrintable(QStringLiteral("%1: requests %2 != %3").arg(where).arg(got.requests).arg(want.requests)));
    QVERIFY2(got.hits == want.hits, qPrintable(where + QStringLiteral(": hits")));
    QVERIFY2(got.shadowHits == want.shadow, qPrintable(where + QStringLiteral(": shadow hits")));
    QVERIFY2(got.unpricedRequests == want.unpriced, qPrintable(where + QStringLiteral(": unpriced")));
    QVERIFY2(got.actualMicros == want.actual, qPrintable(where + QStringLiteral(": actual")));
    QVERIFY2(got.baselineMicros == want.baseline, qPrintable(where + QStringLiteral(": baseline")));
    QVERIFY2(got.shadowWouldSaveMicros == want.shadowSave, qPrintable(where + QStringLiteral(": shadow savings")));
    QVERIFY2(got.promptTokens == want.prompt, qPrintable(where + QStringLiteral(": prompt tokens")));
    QVERIFY2(got.feeMicros == want.fee,
        qPrintable(QStringLiteral("%1: fees %2 != %3").arg(where).arg(got.feeMicros).arg(want.fee)));
    QVERIFY2(
        got.netSavedMicros() == want.baseline - want.actual - want.fee, qPrintable(where + QStringLiteral(": net")));
}
} // namespace

class TestRollups : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;
    QString m_url;
    std::vector<CostEvent> m_events;
    QStringList m_tenants { QStringLiteral("acme"), QStringLiteral("globex"), QStringLiteral("initech") };
    std::vector<qint64> m_tenantIds;
    qint64 m_start = 0, m_end = 0;
#ifdef L0_STORE_PG
    PgServer m_pg;
#endif

    // Hand count: every event in [from, to) that passes the filter, keyed by the bucket the
    // zone's calendar gives it (computed here without the engine's helpers).
    std::map<std::pair<qint64, QString>, Expected> handCount(qint64 from, qint64 to, const QTimeZone &zone, Grain grain,
        const std::function<QString(const CostEvent &)> &group, const std::function<bool(const CostEvent &)> &keep)
    {
        std::map<std::pair<qint64, QString>, Expected> out;
        for (const CostEvent &e : m_events) {
            if (e.tsMs < from || e.tsMs >= to || !keep(e))
                continue;
            const QDateTime local = QDateTime::fromMSecsSinceEpoch(e.tsMs, zone);
            qint64 bucket = from;
            if (grain == Grain::Day)
                bucket = QDateTime(local.date(), QTime(0, 0), zone).toMSecsSinceEpoch();
            else if (grain == Grain::Hour)
                bucket
                    = e.tsMs - local.time().minute() * 60'000LL - local.time().second() * 1000LL - local.time().msec();
            out[{ bucket, group(e) }].add(e);
        }
        return out;
    }

    void check(const RollupQuery &q, const std::function<QString(const CostEvent &)> &group,
        const std::function<bool(const CostEvent &)> &keep)
    {
        auto got = queryRollups(m_store->session(), q);
        QVERIFY2(got.ok(), qPrintable(got.ok() ? QString() : got.error().message));
        const auto want = handCount(q.fromMs, q.toMs, q.zone, q.grain, group, keep);
        QCOMPARE(got->rows.size(), want.size());
        Expected all;
        for (const RollupRow &row : got->rows) {
            const auto it = want.find({ row.bucketMs, row.group });
            QVERIFY2(it != want.end(),
                qPrintable(QStringLiteral("unexpected bucket %1 / %2").arg(row.bucketMs).arg(row.group)));
            compare(row, it->second,
                QStringLiteral("%1 %2 %3")
                    .arg(QString::fromLatin1(q.zone.id()),
                        QDateTime::fromMSecsSinceEpoch(row.bucketMs, q.zone).toString(Qt::ISODate), row.group));
        }
        for (const auto &[k, v] : want) {
            all.requests += v.requests;
            all.actual += v.actual;
            all.baseline += v.baseline;
        }
        QCOMPARE(got->totals.requests, all.requests);
        QCOMPARE(got->totals.savedMicros(), all.baseline - all.actual);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
#ifdef L0_STORE_PG
        QString error;
        QVERIFY2(m_pg.start(&error), qPrintable(error));
        QVERIFY2(m_pg.createDatabase(QStringLiteral("rollups"), &error), qPrintable(error));
        m_url = m_pg.url(QStringLiteral("rollups"));
#else
        m_url = QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("ledger.sqlite"));
#endif
        auto s = openStore(m_url);
        QVERIFY(s.ok());
        m_store = std::move(*s);
        QVERIFY(m_store->migrate().ok());
        for (const QString &t : m_tenants)
            m_tenantIds.push_back(m_store->addTenant(t, Policy::Approved)->id);
        // 40 days around Europe's spring DST change (2026-03-29) and the US one (2026-03-08).
        m_start = QDateTime(QDate(2026, 3, 1), QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch();
        m_end = m_start + 40LL * 86'400'000;
        std::mt19937_64 rng(20261122);
        static const char *const models[] = { "gpt-4o-mini", "gpt-4o", "claude-3-5-haiku", "house-model" };
        static const Tier tiers[] = { Tier::Upstream, Tier::Exact, Tier::L0, Tier::Upstream };
        static const char *const intents[] = { "", "refund", "track_order", "reset_password" };
        m_events.reserve(kEvents);
        for (int i = 0; i < kEvents; ++i) {
            CostEvent e;
            e.tsMs = m_start + qint64(rng() % quint64(m_end - m_start));
            e.tenantId = m_tenantIds[rng() % 3];
            e.ns = (rng() % 4 == 0) ? QStringLiteral("team-a") : QString();
            e.tier = tiers[rng() % 4];
            const char *model = models[rng() % 4];
            e.modelRequested = e.modelUsed = QString::fromLatin1(model);
            e.shadowHit = e.tier == Tier::Upstream && rng() % 10 == 0;
            e.intent = e.tier == Tier::L0 ? QString::fromLatin1(intents[1 + rng() % 3]) : QString();
            e.promptTokens = qint64(rng() % 2000);
            e.completionTokens = qint64(rng() % 800);
            if (qstrcmp(model, "house-model") != 0) { // unpriced: never $0
                const qint64 cost = qint64(rng() % 5000);
                e.baselineMicros = cost;
                e.actualMicros = e.tier == Tier::Upstream ? cost : 0;
            }
            e.latencyMs = e.tier == Tier::Upstream ? qint64(300 + rng() % 2000) : qint64(rng() % 5);
            if (e.tier != Tier::Upstream)
                e.entryId = qint64(1 + rng() % 200);
            // One tenant pays the operator a fee per hit (the rollups sum it apart from costs).
            if (e.tier != Tier::Upstream && e.tenantId == m_tenantIds[0])
                e.feeMicros = 100;
            m_events.push_back(std::move(e));
        }
        QElapsedTimer timer;
        timer.start();
        for (size_t i = 0; i < m_events.size(); i += 20'000) {
            const std::vector<CostEvent> batch(
                m_events.begin() + qsizetype(i), m_events.begin() + qsizetype(std::min(m_events.size(), i + 20'000)));
            QVERIFY(m_store->appendLedger(batch).ok());
        }
        qInfo("%d events written with their rollups in %lld ms", kEvents, timer.elapsed());
    }
    void totalsEqualRawLedger()
    {
        // The whole range, no zone: rollups and the raw events agree.
        RollupQuery q;
        q.fromMs = m_start;
        q.toMs = m_end;
        q.grain = Grain::Total;
        auto r = queryRollups(m_store->session(), q);
        QVERIFY(r.ok());
        auto raw = m_store->ledgerTotals(LedgerFilter { m_start, m_end, {} });
        QVERIFY(raw.ok());
        QCOMPARE(r->totals.requests, raw->requests);
        QCOMPARE(r->totals.hits, raw->hits);
        QCOMPARE(r->totals.savedMicros(), raw->savedMicros);
        QCOMPARE(r->totals.unpricedRequests, raw->unpricedRequests);
        QCOMPARE(r->totals.shadowWouldSaveMicros, raw->shadowWouldSaveMicros);
        QCOMPARE(qint64(m_events.size()), raw->requests);
    }
    void daysAcrossEuropeanDst()
    {
        RollupQuery q;
        q.zone = QTimeZone("Europe/Berlin");
        q.fromMs = QDateTime(QDate(2026, 3, 20), QTime(0, 0), q.zone).toMSecsSinceEpoch();
        q.toMs = QDateTime(QDate(2026, 4, 5), QTime(0, 0), q.zone).toMSecsSinceEpoch();
        q.grain = Grain::Day;
        check(
            q, [](const CostEvent &) { return QString(); }, [](const CostEvent &) { return true; });
        // The day of the change is 23 hours long.
        const qint64 dst = QDateTime(QDate(2026, 3, 29), QTime(0, 0), q.zone).toMSecsSinceEpoch();
        QCOMPARE(nextBucket(dst, Grain::Day, q.zone) - dst, 23LL * 3'600'000);
    }
    void hoursInAHalfHourZoneByModel()
    {
        // +05:30: UTC hours straddle local hours, so minute rollups must be used; a ragged range.
        RollupQuery q;
        q.zone = QTimeZone("Asia/Kolkata");
        q.fromMs = m_start + 3LL * 86'400'000 + 17 * 60'000;
        q.toMs = q.fromMs + 2LL * 86'400'000 + 43 * 60'000;
        q.grain = Grain::Hour;
        q.groupBy = Dimension::Model;
        check(
            q, [](const CostEvent &e) { return e.modelUsed; }, [](const CostEvent &) { return true; });
    }
    void usDaysFilteredByTenantAndTier()
    {
        RollupQuery q;
        q.zone = QTimeZone("America/New_York");
        q.fromMs = m_start + 5 * 60'000;
        q.toMs = m_start + 20LL * 86'400'000 + 7 * 3'600'000;
        q.grain = Grain::Day;
        q.groupBy = Dimension::Intent;
        q.tenant = QStringLiteral("globex");
        q.tier = QStringLiteral("l0");
        const qint64 globex = m_tenantIds[1];
        check(
            q, [](const CostEvent &e) { return e.intent; },
            [globex](const CostEvent &e) { return e.tenantId == globex && e.tier == Tier::L0; });
    }
    void groupByTenantInUtcHours()
    {
        RollupQuery q;
        q.fromMs = m_start + 10LL * 86'400'000;
        q.toMs = q.fromMs + 36LL * 3'600'000;
        q.grain = Grain::Hour;
        q.groupBy = Dimension::Tenant;
        const auto ids = m_tenantIds;
        const auto names = m_tenants;
        check(
            q,
            [ids, names](const CostEvent &e) {
                return names.at(qsizetype(std::find(ids.begin(), ids.end(), e.tenantId) - ids.begin()));
            },
            [](const CostEvent &) { return true; });
    }
    void topEntriesEqualHandCounts()
    {
        // A ragged range: whole UTC days come from the entry-day rollups, the ends from raw hits.
        RollupQuery q;
        q.fromMs = m_start + 2LL * 86'400'000 + 5 * 3'600'000 + 13 * 60'000;
        q.toMs = m_start + 9LL * 86'400'000 + 20 * 3'600'000 + 7 * 60'000;
        q.tenant = QStringLiteral("acme");
        const qint64 acme = m_tenantIds[0];
        std::map<qint64, std::pair<qint64, qint64>> want; // entry -> hits, saved
        for (const CostEvent &e : m_events) {
            if (e.tsMs < q.fromMs || e.tsMs >= q.toMs || e.entryId == 0 || e.tenantId != acme)
                continue;
            auto &w = want[e.entryId];
            ++w.first;
            if (e.actualMicros && e.baselineMicros)
                w.second += *e.baselineMicros - *e.actualMicros;
        }
        auto got = topEntries(m_store->session(), q, 5);
        QVERIFY(got.ok());
        QCOMPARE(got->size(), size_t(5));
        qint64 previous = std::numeric_limits<qint64>::max();
        for (const EntrySavings &e : *got) {
            QCOMPARE(e.hits, want[e.entryId].first);
            QCOMPARE(e.savedMicros, want[e.entryId].second);
            QVERIFY(e.savedMicros <= previous);
            previous = e.savedMicros;
        }
        // Nothing outside the top five saved more than the fifth.
        for (const auto &[entry, w] : want)
            QVERIFY(w.second <= got->back().savedMicros
                || std::any_of(got->begin(), got->end(), [&](const EntrySavings &e) { return e.entryId == entry; }));
    }
    void ledgerReportShowsTheSameNumbers()
    {
        RollupQuery q;
        q.zone = QTimeZone("Europe/Berlin");
        q.fromMs = QDateTime(QDate(2026, 3, 24), QTime(0, 0), q.zone).toMSecsSinceEpoch();
        q.toMs = QDateTime(QDate(2026, 4, 2), QTime(0, 0), q.zone).toMSecsSinceEpoch();
        q.grain = Grain::Day;
        q.groupBy = Dimension::Model;
        auto r = queryRollups(m_store->session(), q);
        QVERIFY(r.ok());
        QString out, err;
        QTextStream o(&out), e(&err);
        const int code
            = runCtl({ QStringLiteral("--db"), m_url, QStringLiteral("ledger"), QStringLiteral("report"),
                         QStringLiteral("--since"), QStringLiteral("2026-03-24T00:00:00+01:00"),
                         QStringLiteral("--until"), QStringLiteral("2026-04-02T00:00:00+02:00"), QStringLiteral("--tz"),
                         QStringLiteral("Europe/Berlin"), QStringLiteral("--bucket"), QStringLiteral("day"),
                         QStringLiteral("--group-by"), QStringLiteral("model"), QStringLiteral("--csv") },
                o, e);
        QVERIFY2(code == 0, qPrintable(err));
        o.flush();
        QCOMPARE(out.toUtf8(), rollupCsv(*r, q));
        QCOMPARE(out.count(QLatin1Char('\n')), qsizetype(r->rows.size()) + 1);
    }
    void badQueries()
    {
        RollupQuery q;
        q.fromMs = m_end;
        q.toMs = m_start;
        QVERIFY(!queryRollups(m_store->session(), q).ok());
        q.toMs = m_end;
        q.zone = QTimeZone("Nowhere/Atlantis");
        QVERIFY(!queryRollups(m_store->session(), q).ok());
    }
    // Last: it lets raw events go. The rollups keep every sum; the raw ledger keeps what is
    // inside the retention (PostgreSQL: whole months, so all of April stays).
    void rawRetentionKeepsTheRollups()
    {
        RollupQuery q;
        q.fromMs = m_start;
        q.toMs = m_end;
        q.grain = Grain::Day;
        q.groupBy = Dimension::Model;
        auto before = queryRollups(m_store->session(), q);
        QVERIFY(before.ok());
        const qint64 now = QDateTime(QDate(2026, 4, 15), QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch();
        QVERIFY(setLedgerSettings(m_store->session(), LedgerSettings { 10, 3, 0 }, now).ok());
        QCOMPARE(ledgerSettings(m_store->session())->rawRetentionDays, 10);
        auto done = maintainLedger(m_store->session(), now);
        QVERIFY(done.ok());
        // The embedded store deletes a bounded share a run (the node goes on at its next sync).
        for (int runs = 1; done->moreToDelete; ++runs) {
            QVERIFY(runs < 100);
            auto more = maintainLedger(m_store->session(), now);
            QVERIFY(more.ok());
            QVERIFY(more->deletedEvents > 0);
            done->moreToDelete = more->moreToDelete;
            done->deletedEvents += more->deletedEvents;
        }
        const bool pg = m_store->session().dialect() == QLatin1String("postgresql");
        const qint64 kept = pg ? QDateTime(QDate(2026, 4, 1), QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch()
                               : now - 10LL * 86'400'000;
        const qint64 want
            = std::count_if(m_events.begin(), m_events.end(), [&](const CostEvent &e) { return e.tsMs >= kept; });
        QVERIFY(want > 0 && want < qint64(m_events.size()));
        QCOMPARE(m_store->ledgerTotals(LedgerFilter { m_start, m_end, {} })->requests, want);
        if (pg)
            QCOMPARE(done->dropped, QStringList { QStringLiteral("ledger_events_2026_03") });
        else
            QCOMPARE(done->deletedEvents, qint64(m_events.size()) - want);
        auto after = queryRollups(m_store->session(), q);
        QVERIFY(after.ok());
        QCOMPARE(after->rows.size(), before->rows.size());
        for (size_t i = 0; i < after->rows.size(); ++i) {
            QCOMPARE(after->rows[i].requests, before->rows[i].requests);
            QCOMPARE(after->rows[i].savedMicros(), before->rows[i].savedMicros());
        }
        QVERIFY(setLedgerSettings(m_store->session(), LedgerSettings { 0, 3, 0 }, now).ok());
    }
    void cleanupTestCase()
    {
        m_store.reset();
    }
};

QTEST_GUILESS_MAIN(TestRollups)
#include "tst_rollups.moc"
