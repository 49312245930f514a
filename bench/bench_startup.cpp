// Startup at scale: N approved entries (default 1,000,000) in an SQLite store, then a node
// starts and loads them all into memory. Prints the load time and the memory per entry beyond
// the answers' own text.
//   l0-bench-startup [N]
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>

#include "cache/hotcache.h"
#include "node/node.h"
#include "store/store.h"

using namespace l0;

namespace {
qint64 rssKiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return 0;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const qint64 n = argc > 1 ? QByteArray(argv[1]).toLongLong() : 1'000'000;
    QTemporaryDir dir;
    const QString url = QStringLiteral("sqlite:") + dir.filePath(QStringLiteral("big.sqlite"));
    QElapsedTimer t;
    t.start();
    {
        auto store = openStore(url);
        if (!store || !(*store)->migrate() || !(*store)->addTenant(QStringLiteral("big"), Policy::Approved)) {
            std::fprintf(stderr, "cannot prepare the store\n");
            return 1;
        }
        SqlSession &s = (*store)->session();
        (void)s.begin();
        const QString series
            = QStringLiteral("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %1) ").arg(n);
        auto e = s.query(series
            + QStringLiteral("INSERT INTO entries (id, tenant_id, namespace, tier, cache_key, model, request, demand, "
                             "created_ms, updated_ms) "
                             "SELECT x, 1, '', 'exact', printf('%064x', x), 'gpt-4o-mini', '{}', 1, 0, 0 FROM c"));
        auto v = s.query(series
            + QStringLiteral("INSERT INTO versions (entry_id, version, state, content, content_sha256, risk, author, "
                             "model_used, prompt_tokens, "
                             "completion_tokens, created_ms, seq) SELECT x, 1, 'approved', "
                             "'{\"finish_reason\":\"stop\",\"message\":{\"content\":\"Answer number ' || x || ': to "
                             "track an order open Orders, "
                             "pick the order and choose Track. Deliveries usually take three to five business "
                             "days.\",\"role\":\"assistant\"},"
                             "\"model\":\"gpt-4o-mini\",\"usage\":{\"completion_tokens\":40,\"prompt_tokens\":20}}', "
                             "'', 'low', 'bench', "
                             "'gpt-4o-mini', 20, 40, 0, x FROM c"));
        (void)s.query(QStringLiteral("UPDATE sync_counter SET seq = %1").arg(n));
        if (!e || !v || !s.commit()) {
            std::fprintf(stderr, "populating failed\n");
            return 1;
        }
    }
    std::printf("populated %lld approved entries in %lld ms\n", n, t.elapsed());

    const qint64 before = rssKiB();
    NodeConfig c;
    c.db = url;
    c.port = 0;
    c.threads = 1;
    c.upstream = QStringLiteral("sim");
    c.journal = dir.filePath(QStringLiteral("journal"));
    c.trustDatabase = true;
    Node node(c);
    t.restart();
    if (auto s = node.start(); !s) {
        std::fprintf(stderr, "node: %s\n", qPrintable(s.error().message));
        return 1;
    }
    const qint64 loadMs = t.elapsed();
    const qint64 after = rssKiB();
    const qint64 entries = qint64(node.hotCache()->size());
    const double payload = 150.0; // bytes of answer text per entry, about (the content above)
    const double perEntry = double(after - before) * 1024.0 / double(qMax<qint64>(1, entries));
    std::printf("node start with %lld entries in memory: %lld ms; RSS +%lld MiB = %.0f bytes per entry, %.0f beyond "
                "the ~%.0f-byte answer text\n",
        entries, loadMs, (after - before) / 1024, perEntry, perEntry - payload, payload);
    node.stop();
    return 0;
}
