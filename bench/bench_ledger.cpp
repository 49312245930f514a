// How fast a store takes ledger events (with the rollup trigger): N events in the node's batch
// size, to SQLite (a temp file) or to the PostgreSQL URL given, from W writers at once (each its
// own connection and thread, as many nodes on one database would be).
//
// usage: l0-bench-ledger [EVENTS] [STORE_URL] [WRITERS]
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <atomic>
#include <cstdio>
#include <random>
#include <thread>

#include "store/store.h"

using namespace l0;

namespace {

// Writes the writer's share of a stream of n events: every writers-th from the writer's number on,
// so all writers write the same minutes at once, as nodes behind one load balancer do. False (with
// the reason printed) on a failure.
bool writeEvents(Store &store, qint64 tenant, qint64 n, int writers, int writer, qint64 startMs)
{
    std::mt19937_64 rng(1 + quint64(writer));
    std::vector<CostEvent> batch;
    for (qint64 next = writer; next < n;) {
        batch.clear();
        for (; batch.size() < 2000 && next < n; next += writers) {
            CostEvent e;
            e.tsMs = startMs + next * 5; // 200 events per second of wall time: a busy node
            e.tenantId = tenant;
            e.tier = rng() % 2 ? Tier::Exact : Tier::Upstream;
            e.modelRequested = e.modelUsed = QStringLiteral("gpt-4o-mini");
            e.promptTokens = 100;
            e.completionTokens = 50;
            e.actualMicros = e.tier == Tier::Upstream ? 90 : 0;
            e.baselineMicros = 90;
            e.entryId = e.tier == Tier::Exact ? qint64(1 + rng() % 500) : 0;
            e.uid = QStringLiteral("e%1").arg(next);
            batch.push_back(e);
        }
        if (auto s = store.appendLedger(batch); !s) {
            std::fprintf(stderr, "writer %d: %s\n", writer, qPrintable(s.error().message));
            return false;
        }
    }
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const qint64 n = argc > 1 ? QByteArray(argv[1]).toLongLong() : 500'000;
    QTemporaryDir dir;
    const QString url = argc > 2 ? QString::fromLocal8Bit(argv[2])
                                 : QStringLiteral("sqlite:") + dir.filePath(QStringLiteral("ledger.sqlite"));
    auto opened = openStore(url);
    if (!opened || !(*opened)->migrate()) {
        std::fprintf(stderr, "cannot open %s\n", qPrintable(url));
        return 1;
    }
    Store &store = **opened;
    if (qEnvironmentVariableIsSet("L0_BENCH_NO_ROLLUPS")) // for comparison: the raw insert alone
        (void)store.session().query(
            QStringLiteral("DROP TRIGGER ledger_events_rollup%1")
                .arg(store.session().dialect() == QLatin1String("postgresql") ? QStringLiteral(" ON ledger_events")
                                                                              : QString()));
    const qint64 tenant = store.addTenant(QStringLiteral("bench"), Policy::Approved)->id;
    const int writers = argc > 3 ? qMax(1, QByteArray(argv[3]).toInt()) : 1;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QElapsedTimer t;
    t.start();
    std::atomic<bool> ok { true };
    if (writers == 1) {
        ok = writeEvents(store, tenant, n, 1, 0, now);
    } else {
        std::vector<std::thread> threads;
        for (int w = 0; w < writers; ++w)
            threads.emplace_back([&, w] {
                auto own = openStore(url);
                if (!own) {
                    std::fprintf(stderr, "writer %d: %s\n", w, qPrintable(own.error().message));
                    ok = false;
                    return;
                }
                if (!writeEvents(**own, tenant, n, writers, w, now))
                    ok = false;
            });
        for (auto &th : threads)
            th.join();
    }
    if (!ok)
        return 1;
    const qint64 written = n;
    const double secs = double(t.nsecsElapsed()) / 1e9;
    std::printf("%lld ledger events into %s from %d writer(s) in %.2f s: %.0f events/s\n", written,
        qPrintable(url.section(QLatin1Char(':'), 0, 0)), writers, secs, double(written) / secs);
    return 0;
}
