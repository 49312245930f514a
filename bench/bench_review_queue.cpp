// The review console's queue over a large lane in a real PostgreSQL (started here): N pending
// candidates (default 100k) with varied demand, models and token counts, then the console
// worker's own calls timed, median of 7 each: the first page by demand (what the store ranks),
// by would-be savings and by risk (every item of the lane ranked in the database), opening an
// item (claim, approved version, queries, history), and the change check consoles run every
// second.
//
// usage: l0-bench-review-queue [CANDIDATES]
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>

#include "benchstore.h"
#include "review/reviewworker.h"
#include "store/store.h"
#include "trust/reviewqueue.h"

using namespace l0;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const qint64 n = argc > 1 ? QByteArray(argv[1]).toLongLong() : 100'000;
    PgServer pg;
    auto opened = openBenchStore(pg);
    if (!opened)
        return 1;
    Store &store = *opened;
    (void)store.addTenant(QStringLiteral("acme"), Policy::Approved);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QElapsedTimer t;
    t.start();
    // Entries, one pending version each (an answer of a few hundred bytes, as the node files
    // them), and two recorded queries per entry.
    const QString seed = QStringLiteral(
        "INSERT INTO entries (id, tenant_id, tier, cache_key, model, request, demand, created_ms, updated_ms) "
        "SELECT i, 1, 'exact', md5(i::text), (ARRAY['gpt-4o-mini','gpt-4o','claude-3-5-haiku','house-model'])[1 + i %% "
        "4], "
        "'{}', 1 + (i * 7919) %% 500, %1 - i, %1 - i FROM generate_series(1, %2) AS i\n"
        "INSERT INTO versions (entry_id, version, state, content, content_sha256, risk, author, model_used, "
        "prompt_tokens, completion_tokens, created_ms, seq) "
        "SELECT i, 1, 'pending', json_build_object('message', json_build_object('role', 'assistant', 'content', "
        "'Answer number ' || i || ': ' || repeat('the parcel ships within three working days, ', 8)), "
        "'usage', json_build_object('prompt_tokens', 100 + i %% 900, 'completion_tokens', 50 + i %% 700), "
        "'model', (ARRAY['gpt-4o-mini','gpt-4o','claude-3-5-haiku','house-model'])[1 + i %% 4])::text, md5(i::text), "
        "(ARRAY['low','low','medium','high'])[1 + i %% 4], 'upstream:bench', "
        "(ARRAY['gpt-4o-mini','gpt-4o','claude-3-5-haiku','house-model'])[1 + i %% 4], 100 + i %% 900, 50 + i %% 700, "
        "%1 - i, nextval('sync_seq') FROM generate_series(1, %2) AS i\n"
        "INSERT INTO entry_queries (entry_id, query, seen_ms) SELECT 1 + i %% %2, 'where is my parcel number ' || i, "
        "%1 "
        "FROM generate_series(1, 2 * %2) AS i\n"
        "SELECT setval('entries_id_seq', %2)")
                             .arg(now)
                             .arg(n)
                             .replace(QStringLiteral("%%"), QStringLiteral("%"));
    for (const QString &stmt : seed.split(QLatin1Char('\n'))) {
        if (auto r = store.session().query(stmt); !r) {
            std::fprintf(stderr, "seeding failed: %s\n", qPrintable(r.error().message));
            return 1;
        }
    }
    (void)store.session().query(QStringLiteral("ANALYZE"));
    std::printf("%lld pending candidates written in %.1f s\n", n, double(t.elapsed()) / 1000.0);

    auto prices = PriceTable::builtin();
    if (!prices)
        return 1;
    ui::ReviewWorker worker(
        pg.url(), QStringLiteral("bench"), std::make_shared<const PriceTable>(std::move(prices.value())));
    qint64 shown = 0, total = 0;
    QObject::connect(&worker, &ui::ReviewWorker::queueLoaded, &worker,
        [&](int, const std::vector<QueueItem> &items, qint64 all, const QString &e) {
            if (!e.isEmpty())
                std::fprintf(stderr, "queue: %s\n", qPrintable(e));
            shown = qint64(items.size());
            total = all;
        });
    QString openError;
    QObject::connect(
        &worker, &ui::ReviewWorker::opened, &worker, [&](const ui::ItemDetail &d) { openError = d.error; });
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    const std::pair<const char *, ui::QueueSort> orders[] = { { "first page by demand", ui::QueueSort::Demand },
        { "first page by would-be savings", ui::QueueSort::WouldSave }, { "first page by risk", ui::QueueSort::Risk } };
    worker.loadQueue(0, 0, 500); // connect and warm up
    for (const auto &[what, order] : orders) {
        std::vector<double> ms;
        for (int run = 0; run < 7; ++run) {
            QElapsedTimer q;
            q.start();
            worker.loadQueue(0, int(order), 500);
            ms.push_back(double(q.nsecsElapsed()) / 1e6);
        }
        std::printf("%-32s %8.1f ms  (%lld of %lld)\n", what, median(ms), shown, total);
    }
    std::vector<double> ms;
    for (int run = 0; run < 7; ++run) {
        QElapsedTimer q;
        q.start();
        worker.open(1 + run * 101, 1);
        ms.push_back(double(q.nsecsElapsed()) / 1e6);
        worker.release(1 + run * 101, 1);
    }
    std::printf("%-32s %8.1f ms%s\n", "open an item", median(ms), openError.isEmpty() ? "" : " (error)");
    // What every console runs once a second besides LISTEN.
    ms.clear();
    for (int run = 0; run < 7; ++run) {
        QElapsedTimer q;
        q.start();
        if (!queueFingerprint(store.session()))
            return 1;
        ms.push_back(double(q.nsecsElapsed()) / 1e6);
    }
    std::printf("%-32s %8.2f ms\n", "the once-a-second change check", median(ms));
    return 0;
}
