// How fast a store takes ledger events (with the rollup trigger): N events in the node's batch
// size, to SQLite (a temp file) or to the PostgreSQL URL given.
//
// usage: l0-bench-ledger [EVENTS] [STORE_URL]
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <cstdio>
#include <random>

#include "store/store.h"

using namespace l0;

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
    std::mt19937_64 rng(1);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    std::vector<CostEvent> batch;
    QElapsedTimer t;
    t.start();
    qint64 written = 0;
    while (written < n) {
        batch.clear();
        for (int i = 0; i < 2000 && written + i < n; ++i) {
            CostEvent e;
            e.tsMs = now + (written + i) * 5; // 200 events per second of wall time: a busy node
            e.tenantId = tenant;
            e.tier = rng() % 2 ? Tier::Exact : Tier::Upstream;
            e.modelRequested = e.modelUsed = QStringLiteral("gpt-4o-mini");
            e.promptTokens = 100;
            e.completionTokens = 50;
            e.actualMicros = e.tier == Tier::Upstream ? 90 : 0;
            e.baselineMicros = 90;
            e.entryId = e.tier == Tier::Exact ? qint64(1 + rng() % 500) : 0;
            batch.push_back(e);
        }
        if (auto s = store.appendLedger(batch); !s) {
            std::fprintf(stderr, "%s\n", qPrintable(s.error().message));
            return 1;
        }
        written += qint64(batch.size());
    }
    const double secs = double(t.nsecsElapsed()) / 1e9;
    std::printf("%lld ledger events into %s in %.2f s: %.0f events/s\n", written,
        qPrintable(url.section(QLatin1Char(':'), 0, 0)), secs, double(written) / secs);
    return 0;
}
