#include <QJsonObject>
#include <QTest>

#include <thread>

#include "cache/hotcache.h"

using namespace l0;

namespace {
VersionChange change(qint64 entry, int version, VersionState state, const QByteArray &key = "k",
    const QString &risk = QStringLiteral("low"))
{
    VersionChange c;
    c.entryId = entry;
    c.version = version;
    c.state = state;
    c.tenantId = 1;
    c.tier = QStringLiteral("exact");
    c.cacheKey = key;
    c.risk = risk;
    c.result.message = QJsonObject { { QStringLiteral("content"), QStringLiteral("v%1").arg(version) } };
    return c;
}
const HotKey kKey { 1, Tier::Exact, "k" };
} // namespace

class TestHotCache : public QObject {
    Q_OBJECT
private slots:
    void approveThenRevoke()
    {
        HotCache c;
        QVERIFY(!c.find(kKey));
        c.apply(change(1, 1, VersionState::Approved));
        QCOMPARE(c.find(kKey)->version, 1);
        QCOMPARE(c.approvedCount(), size_t(1));
        c.apply(change(1, 1, VersionState::Revoked));
        QVERIFY(!c.find(kKey));
    }
    void pendingLowRiskIsKeptButNeverDisplacesApproved()
    {
        HotCache c;
        c.apply(change(1, 1, VersionState::Pending));
        QCOMPARE(c.find(kKey)->state, VersionState::Pending);
        c.apply(change(1, 2, VersionState::Approved));
        c.apply(change(1, 3, VersionState::Pending));
        QCOMPARE(c.find(kKey)->version, 2);
        c.apply(change(1, 4, VersionState::Pending, "k2", QStringLiteral("high")));
        QVERIFY(!c.find(HotKey { 1, Tier::Exact, "k2" }));
    }
    void withdrawnApprovalStopsServingAsApproved()
    {
        // v2 approved, its approval withdrawn (pending again), v1 restored: v1 serves.
        HotCache c;
        c.apply(change(1, 2, VersionState::Approved));
        c.apply(change(1, 2, VersionState::Pending));
        QCOMPARE(c.find(kKey)->state, VersionState::Pending); // only auto_low_risk tenants serve it
        c.apply(change(1, 1, VersionState::Approved));
        QCOMPARE(c.find(kKey)->version, 1);
        // High risk: withdrawn, it is gone.
        c.apply(change(1, 3, VersionState::Approved, "k", QStringLiteral("high")));
        c.apply(change(1, 3, VersionState::NeedsSecond, "k", QStringLiteral("high")));
        QVERIFY(!c.find(kKey));
    }
    void removalOfAnotherVersionKeepsCurrent()
    {
        HotCache c;
        c.apply(change(1, 2, VersionState::Approved));
        c.apply(change(1, 1, VersionState::Rejected));
        QCOMPARE(c.find(kKey)->version, 2);
    }
    void tenantsAreSeparate()
    {
        HotCache c;
        c.apply(change(1, 1, VersionState::Approved));
        QVERIFY(!c.find(HotKey { 2, Tier::Exact, "k" }));
        QVERIFY(!c.find(HotKey { 1, Tier::L0, "k" }));
    }
    void concurrentReadersAndWriter()
    {
        HotCache c;
        std::atomic<bool> stop { false };
        std::atomic<qint64> found { 0 };
        std::vector<std::thread> readers;
        for (int i = 0; i < 3; ++i) {
            readers.emplace_back([&] {
                while (!stop) {
                    if (auto a = c.find(kKey))
                        found += a->result.text().isEmpty() ? 0 : 1;
                }
            });
        }
        for (int v = 1; v < 2000; ++v)
            c.apply(change(1, v, v % 2 ? VersionState::Approved : VersionState::Revoked));
        stop = true;
        for (auto &t : readers)
            t.join();
        QVERIFY(c.size() <= 1);
    }
};

QTEST_APPLESS_MAIN(TestHotCache)
#include "tst_hotcache.moc"
