// Dashboard queries over a large ledger in a real PostgreSQL (started here): N events (default
// 10M) over 60 days, written through the ledger table so the rollup trigger maintains the
// rollups, then the dashboard's queries timed (median of 7 runs each).
//
// usage: l0-bench-dashboard [EVENTS]
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QTimeZone>

#include <algorithm>
#include <cstdio>

#include "benchstore.h"
#include "ledger/rollup.h"
#include "store/store.h"

using namespace l0;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const qint64 events = argc > 1 ? QByteArray(argv[1]).toLongLong() : 10'000'000;
    PgServer pg;
    auto opened = openBenchStore(pg);
    if (!opened)
        return 1;
    Store &store = *opened;
    for (const char *t : { "acme", "globex", "initech", "umbrella" })
        (void)store.addTenant(QString::fromLatin1(t), Policy::Approved);
    const qint64 end = QDateTime::currentMSecsSinceEpoch() / 60'000 * 60'000;
    const qint64 start = end - 60LL * 86'400'000;
    // The months the events fall in (the node makes them on demand; this writes past it).
    if (auto made = store.session().query(
            QStringLiteral("SELECT ledger_ensure_partitions(?, ?)"), { SqlSession::num(start), SqlSession::num(end) });
        !made) {
        std::fprintf(stderr, "cannot make the ledger partitions: %s\n", qPrintable(made.error().message));
        return 1;
    }
    QElapsedTimer t;
    t.start();
    const qint64 chunk = 1'000'000;
    for (qint64 done = 0; done < events; done += chunk) {
        const qint64 n = std::min(chunk, events - done);
        // Deterministic pseudo-random columns from the row number.
        const QString sql = QStringLiteral(
            "INSERT INTO ledger_events (ts_ms, tenant_id, namespace, tier, shadow_hit, model_requested, model_used, "
            "prompt_tokens, completion_tokens, actual_micros, baseline_micros, entry_id, status, latency_ms, intent) "
            "SELECT %1 + (i * 2654435761 %% %2), 1 + i %% 4, CASE WHEN i %% 5 = 0 THEN 'team-a' ELSE '' END, "
            "(ARRAY['upstream','exact','l0','upstream'])[1 + i %% 4], CASE WHEN i %% 97 = 0 THEN 1 ELSE 0 END, "
            "m, m, 200 + i %% 900, 50 + i %% 400, "
            "CASE WHEN m = 'house-model' THEN NULL WHEN i %% 4 IN (0, 3) THEN 100 + i %% 900 ELSE 0 END, "
            "CASE WHEN m = 'house-model' THEN NULL ELSE 100 + i %% 900 END, "
            "CASE WHEN i %% 4 IN (1, 2) THEN 1 + i %% 5000 END, 200, CASE WHEN i %% 4 IN (0, 3) THEN 900 ELSE 2 END, "
            "CASE WHEN i %% 4 = 2 THEN (ARRAY['refund','track_order','reset_password'])[1 + i %% 3] ELSE '' END "
            "FROM (SELECT i, (ARRAY['gpt-4o-mini','gpt-4o','claude-3-5-haiku','house-model'])[1 + (i / 7) %% 4] AS m "
            "FROM generate_series(%3::bigint, %4::bigint) AS i) g")
                                .arg(start)
                                .arg(end - start)
                                .arg(done)
                                .arg(done + n - 1)
                                .replace(QStringLiteral("%%"), QStringLiteral("%"));
        auto r = store.session().query(sql);
        if (!r) {
            std::fprintf(stderr, "insert failed: %s\n", qPrintable(r.error().message));
            return 1;
        }
    }
    std::printf("%lld events written (rollups kept by the trigger) in %.1f s\n", events, double(t.elapsed()) / 1000.0);
    (void)store.session().query(QStringLiteral("ANALYZE"));
    // Raw events on disk with their indexes (all partitions), and the rollups.
    auto size = store.session().query(QStringLiteral(
        "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c WHERE c.relkind = 'r' AND "
        "(c.relname LIKE 'ledger\\_events%' OR c.relname LIKE 'ledger\\_rollup%')"));
    auto rollupSize = store.session().query(QStringLiteral(
        "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c WHERE c.relkind = 'r' AND "
        "c.relname LIKE 'ledger\\_rollup%'"));
    if (size && rollupSize && !size->empty() && !rollupSize->empty())
        std::printf("ledger on disk: %.2f GiB raw with indexes, %.2f GiB rollups\n",
            double(size->at(0).int64(0) - rollupSize->at(0).int64(0)) / double(1LL << 30),
            double(rollupSize->at(0).int64(0)) / double(1LL << 30));
    for (const char *table :
        { "ledger_rollup_minute", "ledger_rollup_quarter", "ledger_rollup_hour", "ledger_rollup_entry_day" }) {
        auto n = store.session().query(QStringLiteral("SELECT COUNT(*) FROM %1").arg(QLatin1String(table)));
        if (n && !n->empty())
            std::printf("  %-24s %lld rows\n", table, n->at(0).int64(0));
    }

    auto time = [&](const char *what, const RollupQuery &q, bool top) {
        std::vector<double> ms;
        qint64 requests = 0;
        for (int i = 0; i < 7; ++i) {
            QElapsedTimer timer;
            timer.start();
            if (top) {
                auto r = topEntries(store.session(), q, 10);
                if (!r) {
                    std::fprintf(stderr, "%s\n", qPrintable(r.error().message));
                    return;
                }
            } else {
                auto r = queryRollups(store.session(), q);
                if (!r) {
                    std::fprintf(stderr, "%s\n", qPrintable(r.error().message));
                    return;
                }
                requests = r->totals.requests;
            }
            ms.push_back(double(timer.nsecsElapsed()) / 1e6);
        }
        std::sort(ms.begin(), ms.end());
        std::printf("%-46s median %8.1f ms  (min %.1f, max %.1f)%s\n", what, ms[3], ms.front(), ms.back(),
            top ? "" : qPrintable(QStringLiteral("  %1 requests").arg(requests)));
    };
    RollupQuery q;
    q.zone = QTimeZone("Europe/Berlin");
    q.toMs = end;
    q.fromMs = end - 30LL * 86'400'000;
    q.grain = Grain::Day;
    time("30 days by day (Europe/Berlin)", q, false);
    q.groupBy = Dimension::Model;
    time("30 days by day, by model (the cost chart)", q, false);
    q.groupBy = Dimension::Tenant;
    q.grain = Grain::Total;
    time("30 days, by tenant (breakdown)", q, false);
    q.groupBy = Dimension::None;
    q.grain = Grain::Hour;
    q.fromMs = end - 7LL * 86'400'000 + 17 * 60'000;
    time("7 days by hour, ragged range", q, false);
    q.zone = QTimeZone("Asia/Kolkata");
    q.grain = Grain::Day;
    q.fromMs = end - 30LL * 86'400'000;
    time("30 days by day (Asia/Kolkata, minute rollups)", q, false);
    q.zone = QTimeZone("Europe/Berlin");
    time("top 10 entries over 30 days (raw hits)", q, true);
    if (qEnvironmentVariableIsSet("L0_BENCH_EXPLAIN")) {
        auto plan = store.session().query(QStringLiteral(
            "EXPLAIN (ANALYZE, BUFFERS) SELECT bucket_ms, '', tier, shadow, SUM(requests), SUM(unpriced), "
            "SUM(actual_micros), SUM(baseline_micros), SUM(shadow_micros), SUM(prompt_tokens), "
            "SUM(completion_tokens), SUM(latency_ms) FROM ledger_rollup_hour WHERE "
            "bucket_ms >= %1 AND bucket_ms < %2 GROUP BY bucket_ms, tier, shadow")
                                              .arg(end - 30LL * 86'400'000)
                                              .arg(end));
        if (plan)
            for (const auto &row : *plan)
                std::printf("%s\n", qPrintable(row.text(0)));
    }
    return 0;
}
