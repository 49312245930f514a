#include <QTest>

#include <algorithm>
#include <atomic>
#include <random>
#include <thread>
#include <vector>

#include "semantic/vectorindex.h"
#include "semantic/vectorindexdirectory.h"

using namespace l0;

namespace {

std::vector<float> randomVector(std::mt19937 &rng, int dims)
{
    std::normal_distribution<float> n(0, 1);
    std::vector<float> v(static_cast<size_t>(dims));
    for (float &x : v)
        x = n(rng);
    return v;
}

float cosine(const std::vector<float> &a, const std::vector<float> &b)
{
    double dot = 0, na = 0, nb = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        dot += double(a[i]) * b[i];
        na += double(a[i]) * a[i];
        nb += double(b[i]) * b[i];
    }
    return float(dot / std::sqrt(na * nb));
}

// The exact k nearest by cosine, best first: what the index approximates.
std::vector<qint64> bruteForce(
    const std::vector<std::vector<float>> &all, const std::vector<bool> &live, const std::vector<float> &q, size_t k)
{
    std::vector<std::pair<float, qint64>> scored;
    for (size_t i = 0; i < all.size(); ++i) {
        if (live[i])
            scored.emplace_back(cosine(all[i], q), qint64(i));
    }
    std::sort(scored.begin(), scored.end(), [](auto &a, auto &b) { return a.first > b.first; });
    std::vector<qint64> ids;
    for (size_t i = 0; i < std::min(k, scored.size()); ++i)
        ids.push_back(scored[i].second);
    return ids;
}

VectorEntryRef ref(qint64 id, int version = 1)
{
    return VectorEntryRef { id, version, QStringLiteral("exact"), QByteArray::number(id, 16), QString(), QByteArray() };
}

} // namespace

class TestVectorIndex : public QObject {
    Q_OBJECT
private slots:
    void findsTheNearestAndRanksByCosine()
    {
        VectorIndex index(4);
        QVERIFY(index.add(1, std::vector<float> { 1, 0, 0, 0 }).ok());
        QVERIFY(index.add(2, std::vector<float> { 0.9f, 0.1f, 0, 0 }).ok());
        QVERIFY(index.add(3, std::vector<float> { 0, 0, 5, 0 }).ok()); // not normalised: the index does it
        const auto hits = index.search(std::vector<float> { 2, 0, 0, 0 }, 3);
        QCOMPARE(int(hits.size()), 3);
        QCOMPARE(hits[0].id, qint64(1));
        QCOMPARE(hits[1].id, qint64(2));
        QCOMPARE(hits[2].id, qint64(3));
        QVERIFY(qAbs(hits[0].similarity - 1.0f) < 1e-5);
        QVERIFY(qAbs(hits[1].similarity - 0.9f / std::sqrt(0.82f)) < 1e-4);
        QVERIFY(qAbs(hits[2].similarity) < 1e-5);
        QCOMPARE(index.size(), size_t(3));
        QVERIFY(index.memoryBytes() > 0);
    }

    void refusesWhatIsNotAVector()
    {
        VectorIndex index(3);
        QCOMPARE(index.add(1, std::vector<float> { 1, 2 }).error().code, ErrorCode::InvalidArgument);
        QCOMPARE(index.add(1, std::vector<float> { 0, 0, 0 }).error().code, ErrorCode::InvalidArgument);
        QCOMPARE(index.add(1, std::vector<float> { 1, NAN, 0 }).error().code, ErrorCode::InvalidArgument);
        QCOMPARE(index.size(), size_t(0));
        QVERIFY(index.search(std::vector<float> { 1, 0, 0 }, 5).empty());
        QVERIFY(index.add(1, std::vector<float> { 1, 0, 0 }).ok());
        QVERIFY(index.search(std::vector<float> { 1, 0 }, 5).empty()); // wrong dimension
        QVERIFY(index.search(std::vector<float> { 1, 0, 0 }, 0).empty());
    }

    void recallAgainstBruteForceUnderInsertsAndRemovals()
    {
        std::mt19937 rng(7);
        const int dims = 32;
        const size_t n = 3000;
        VectorIndexOptions o;
        o.initialCapacity = 16; // grows many times on the way
        VectorIndex index(dims, o);
        std::vector<std::vector<float>> all;
        std::vector<bool> live;
        for (size_t i = 0; i < n; ++i) {
            all.push_back(randomVector(rng, dims));
            live.push_back(true);
            QVERIFY(index.add(qint64(i), all.back()).ok());
        }
        // Remove every third; replace every seventh with a new vector.
        for (size_t i = 0; i < n; i += 3) {
            QVERIFY(index.remove(qint64(i)));
            live[i] = false;
        }
        QVERIFY(!index.remove(0)); // already gone
        for (size_t i = 1; i < n; i += 7) {
            all[i] = randomVector(rng, dims);
            if (!live[i])
                continue;
            QVERIFY(index.add(qint64(i), all[i]).ok());
        }
        const size_t alive = size_t(std::count(live.begin(), live.end(), true));
        QCOMPARE(index.size(), alive);
        int found = 0, wanted = 0;
        for (int q = 0; q < 100; ++q) {
            const auto query = randomVector(rng, dims);
            const auto truth = bruteForce(all, live, query, 10);
            const auto hits = index.search(query, 10);
            QCOMPARE(hits.size(), size_t(10));
            for (size_t i = 1; i < hits.size(); ++i)
                QVERIFY(hits[i - 1].similarity >= hits[i].similarity);
            for (const VectorHit &h : hits) {
                QVERIFY2(live[size_t(h.id)], "a removed id was returned");
                QVERIFY(qAbs(h.similarity - cosine(all[size_t(h.id)], query)) < 3e-3); // half floats
                found += std::count(truth.begin(), truth.end(), h.id) ? 1 : 0;
            }
            wanted += int(truth.size());
        }
        const double recall = double(found) / wanted;
        QVERIFY2(recall >= 0.95, qPrintable(QStringLiteral("recall@10 %1").arg(recall)));
        // A removed id comes back when added again.
        QVERIFY(index.add(0, all[0]).ok());
        QCOMPARE(index.search(all[0], 1).at(0).id, qint64(0));
        QCOMPARE(index.size(), alive + 1);
    }

    void halfFloatsAgreeWithFullOnes()
    {
        std::mt19937 rng(5);
        const int dims = 64;
        VectorIndexOptions full;
        full.halfPrecision = false;
        VectorIndex a(dims), b(dims, full);
        QVERIFY(!b.halfPrecision());
        std::vector<std::vector<float>> all;
        for (int i = 0; i < 500; ++i) {
            all.push_back(randomVector(rng, dims));
            QVERIFY(a.add(i, all.back()).ok());
            QVERIFY(b.add(i, all.back()).ok());
        }
        if (a.halfPrecision())
            QVERIFY(a.memoryBytes() < b.memoryBytes());
        for (int q = 0; q < 50; ++q) {
            const auto query = randomVector(rng, dims);
            const auto ha = a.search(query, 5), hb = b.search(query, 5);
            QCOMPARE(ha.size(), size_t(5));
            for (const VectorHit &h : hb)
                QVERIFY(qAbs(h.similarity - cosine(all[size_t(h.id)], query)) < 1e-5);
            for (const VectorHit &h : ha)
                QVERIFY(qAbs(h.similarity - cosine(all[size_t(h.id)], query)) < 3e-3);
            QCOMPARE(ha[0].id, hb[0].id);
        }
    }

    void batchInsertOnSeveralThreadsMatchesOneByOne()
    {
        std::mt19937 rng(11);
        const int dims = 16;
        std::vector<qint64> ids;
        std::vector<float> flat;
        for (int i = 0; i < 2000; ++i) {
            ids.push_back(1000 + i);
            const auto v = randomVector(rng, dims);
            flat.insert(flat.end(), v.begin(), v.end());
        }
        VectorIndex index(dims);
        QVERIFY(index.addBatch(ids, flat, 4).ok());
        QCOMPARE(index.size(), ids.size());
        for (int i = 0; i < 2000; i += 97) {
            const std::vector<float> v(flat.begin() + i * dims, flat.begin() + (i + 1) * dims);
            const auto hits = index.search(v, 1);
            QCOMPARE(hits.at(0).id, ids[size_t(i)]);
        }
        QCOMPARE(index.addBatch(ids, std::vector<float>(3), 2).error().code, ErrorCode::InvalidArgument);
    }

    void aRemovedIdIsNeverFoundByALaterSearchWhileOthersRead()
    {
        std::mt19937 rng(3);
        const int dims = 16;
        VectorIndex index(dims);
        std::vector<std::vector<float>> all;
        for (int i = 0; i < 1000; ++i) {
            all.push_back(randomVector(rng, dims));
            QVERIFY(index.add(i, all.back()).ok());
        }
        std::atomic<int> removedUpTo { -1 }; // ids <= this are removed before it is published
        std::atomic<bool> done { false };
        std::atomic<int> violations { 0 }, searches { 0 }, searchesAfter { 0 };
        std::vector<std::thread> readers;
        for (int t = 0; t < 3; ++t) {
            readers.emplace_back([&, t] {
                std::mt19937 local(100 + t);
                while (!done) {
                    const int before = removedUpTo.load();
                    const int target = int(local() % 1000);
                    for (const VectorHit &h : index.search(all[size_t(target)], 5)) {
                        if (h.id <= before)
                            ++violations;
                    }
                    ++searches;
                    if (before == 499)
                        ++searchesAfter;
                }
            });
        }
        for (int i = 0; i < 500; ++i) {
            QVERIFY(index.remove(i));
            removedUpTo = i;
            if (i % 50 == 0)
                std::this_thread::yield();
        }
        // Searches that start after the last removal: half of them aim at a removed vector.
        while (searchesAfter.load() < 600)
            std::this_thread::yield();
        done = true;
        for (auto &t : readers)
            t.join();
        QCOMPARE(violations.load(), 0);
        QVERIFY(searches.load() > 0);
        QCOMPARE(index.size(), size_t(500));
    }

    void directoryKeepsSpacesApart()
    {
        VectorIndexDirectory dir;
        const VectorSpaceKey a { 1, QString(), QStringLiteral("m1") };
        const VectorSpaceKey b { 2, QString(), QStringLiteral("m1") }; // another tenant
        const VectorSpaceKey c { 1, QStringLiteral("ns"), QStringLiteral("m1") }; // another namespace
        const VectorSpaceKey d { 1, QString(), QStringLiteral("m2") }; // another model
        const std::vector<float> v { 1, 0, 0 };
        QVERIFY(dir.add(a, ref(10), v).ok());
        QVERIFY(dir.add(b, ref(20), v).ok());
        QVERIFY(dir.add(c, ref(30), v).ok());
        QVERIFY(dir.add(d, ref(40), std::vector<float> { 1, 0, 0, 0, 0 }).ok()); // its own dimension
        QCOMPARE(dir.search(a, v, 10).size(), size_t(1));
        QCOMPARE(dir.search(a, v, 10).at(0).entry.entryId, qint64(10));
        QCOMPARE(dir.search(b, v, 10).at(0).entry.entryId, qint64(20));
        QCOMPARE(dir.search(c, v, 10).at(0).entry.entryId, qint64(30));
        QCOMPARE(dir.search(d, std::vector<float> { 1, 0, 0, 0, 0 }, 10).at(0).entry.entryId, qint64(40));
        QVERIFY(dir.search(VectorSpaceKey { 3, QString(), QStringLiteral("m1") }, v, 10).empty());
        QCOMPARE(dir.size(), size_t(4));

        // Two models and no choice: neither serves; a choice serves that one.
        QVERIFY(!dir.servingModel(1, QString()));
        QCOMPARE(dir.servingModel(2, QString()).value(), QStringLiteral("m1"));
        dir.setServingModel(1, QStringLiteral("m2"));
        QCOMPARE(dir.servingModel(1, QString()).value(), QStringLiteral("m2"));
        dir.dropOtherModels(1, QStringLiteral("m2"));
        QVERIFY(dir.search(a, v, 10).empty());
        QVERIFY(dir.search(c, v, 10).empty());
        QCOMPARE(dir.search(b, v, 10).size(), size_t(1)); // other tenants keep theirs
    }

    void directoryRemovesOnlyTheVersionAsked()
    {
        VectorIndexDirectory dir;
        const VectorSpaceKey s { 1, QString(), QStringLiteral("m") };
        const VectorSpaceKey t { 1, QString(), QStringLiteral("m2") };
        const std::vector<float> v { 0, 1 };
        QVERIFY(dir.add(s, ref(5, 1), v).ok());
        QVERIFY(dir.add(s, ref(5, 2), v).ok()); // a newer version replaces the older
        QVERIFY(dir.add(t, ref(5, 2), v).ok());
        QCOMPARE(dir.entry(s, 5)->version, 2);
        QCOMPARE(dir.size(), size_t(2));
        QCOMPARE(dir.removeVersion(1, 5, 1), 0); // the late revocation of version 1
        QCOMPARE(dir.search(s, v, 3).size(), size_t(1));
        QCOMPARE(dir.removeVersion(2, 5, 2), 0); // another tenant's entry 5 is not this one
        QCOMPARE(dir.removeVersion(1, 5, 2), 2); // every space of the tenant
        QVERIFY(dir.search(s, v, 3).empty());
        QVERIFY(dir.search(t, v, 3).empty());
        QVERIFY(!dir.entry(s, 5));
        QVERIFY(dir.add(s, ref(6, 1), v).ok());
        QCOMPARE(dir.removeEntry(1, 6), 1);
        QCOMPARE(dir.size(), size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestVectorIndex)
#include "tst_vectorindex.moc"
