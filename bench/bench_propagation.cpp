// How fast an approval reaches every node: a real PostgreSQL (started here, in a temporary
// directory), three nodes in this process that would poll only once a minute, so what is
// measured is LISTEN/NOTIFY. For each of N approvals: the time from the start of the approving transaction until
// each node holds the answer in memory. Prints p50/p99/max.
//   l0-bench-propagation [N]
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cstdio>

#include "benchstore.h"
#include "cache/hotcache.h"
#include "node/node.h"
#include "store/store.h"

using namespace l0;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int n = argc > 1 ? QByteArray(argv[1]).toInt() : 200;
    PgServer pg;
    auto store = openBenchStore(pg);
    if (!store)
        return 1;
    const qint64 tenant = store->addTenant(QStringLiteral("bench"), Policy::Approved)->id;
    QTemporaryDir dir;
    std::vector<std::unique_ptr<Node>> nodes;
    for (int i = 0; i < 3; ++i) {
        NodeConfig c;
        c.db = pg.url();
        c.port = 0;
        c.threads = 1;
        c.upstream = QStringLiteral("sim");
        c.syncIntervalMs = 60'000;
        c.trustDatabase = true;
        c.journal = dir.filePath(QStringLiteral("journal-%1").arg(i));
        nodes.push_back(std::make_unique<Node>(c));
        if (auto s = nodes.back()->start(); !s) {
            std::fprintf(stderr, "node: %s\n", qPrintable(s.error().message));
            return 1;
        }
    }
    std::vector<double> ms;
    for (int i = 0; i < n; ++i) {
        Candidate c;
        c.tenantId = tenant;
        c.cacheKey = "key-" + QByteArray::number(i);
        c.model = QStringLiteral("m");
        c.result.message = QJsonObject { { QStringLiteral("content"), QStringLiteral("answer %1").arg(i) } };
        c.author = QStringLiteral("bench");
        const qint64 entry = store->addCandidate(c)->entryId;
        QElapsedTimer t;
        t.start(); // includes the approving transaction itself: an upper bound
        (void)store->decide(entry, 0, VersionState::Approved, QStringLiteral("bench"), {});
        std::vector<bool> seen(nodes.size(), false);
        size_t left = nodes.size();
        while (left > 0 && t.elapsed() < 5000) {
            for (size_t k = 0; k < nodes.size(); ++k) {
                if (!seen[k] && nodes[k]->hotCache()->find(HotKey { tenant, Tier::Exact, c.cacheKey })) {
                    seen[k] = true;
                    --left;
                    ms.push_back(double(t.nsecsElapsed()) / 1e6);
                }
            }
            QThread::usleep(50);
        }
        if (left > 0)
            ms.push_back(5000.0); // counted as the timeout
    }
    std::sort(ms.begin(), ms.end());
    std::printf(
        "approval -> in memory on 3 nodes, %d approvals (%zu node arrivals): p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
        n, ms.size(), ms[ms.size() / 2], ms[ms.size() * 99 / 100], ms.back());
    for (auto &node : nodes)
        node->stop();
    return 0;
}
