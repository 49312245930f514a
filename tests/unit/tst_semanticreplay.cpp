#include <QTest>

#include <cmath>

#include "normalize/replay.h"
#include "semantic/hashedngramembedder.h"
#include "service/cachereplay.h"

using namespace l0;

// The replay protocol with the semantic tier, on a CSV small enough to count by hand, and the
// built-in embedder's determinism.
class TestSemanticReplay : public QObject {
    Q_OBJECT
private slots:
    void embedderIsDeterministic()
    {
        const HashedNgramEmbedder e;
        QCOMPARE(e.dimensions(), 512);
        QCOMPARE(e.modelId(), QStringLiteral("builtin:hash-ngram-v1:512"));
        const Embedding a = e.embedOne(QStringLiteral("How do I reset my password?"));
        const Embedding b = HashedNgramEmbedder().embedOne(QStringLiteral("How do I reset my password?"));
        QCOMPARE(a, b);
        double norm = 0;
        for (float x : a)
            norm += double(x) * x;
        QVERIFY(std::abs(norm - 1.0) < 1e-5);
        auto cos = [](const Embedding &x, const Embedding &y) {
            double d = 0;
            for (int i = 0; i < x.size(); ++i)
                d += double(x[i]) * y[i];
            return d;
        };
        const Embedding para = e.embedOne(QStringLiteral("how can i reset my password"));
        const Embedding other = e.embedOne(QStringLiteral("what is the capital of peru"));
        QVERIFY(cos(a, para) > 0.7);
        QVERIFY(cos(a, other) < 0.3);
        QVERIFY(cos(a, para) > cos(a, other) + 0.4);
        const Embedding empty = e.embedOne(QStringLiteral("?!"));
        for (float x : empty)
            QCOMPARE(x, 0.0f);
        // An embedder spec names it.
        auto spec = embedderFromSpec(QStringLiteral("builtin:256"));
        QVERIFY(spec.ok());
        QCOMPARE((*spec)->dimensions(), 256);
        QVERIFY(!embedderFromSpec(QStringLiteral("nonsense")).ok());
    }

    // Hand count (fixed threshold 0.5, guards on):
    //  1 reset password, a      miss (nothing cached)             label a seen
    //  2 reset password, a      exact hit, true                   findable
    //  3 paraphrase, a          semantic hit, true                findable
    //  4 negated, b             miss: the negation guard          (b not seen before)
    //  5 order 12345, c         miss
    //  6 order 67890, d         miss: the slot guard
    //  7 capital of peru, ""    miss
    //  8 capital of peru, ""    exact hit, false (empty label)    not findable
    //  9 order 67890, c         exact hit on row 6's entry (d): false; findable (c seen in row 5)
    // queries 9, hits 4, false 2, findable 3, true hits 2.
    void handCountedCsv()
    {
        auto rows = parseReplayCsv("text,label\n"
                                   "how do I reset my password,a\n"
                                   "how do I reset my password,a\n"
                                   "how can I reset my password?,a\n"
                                   "how do I not reset my password,b\n"
                                   "where is order 12345,c\n"
                                   "where is order 67890,d\n"
                                   "what is the capital of peru,\n"
                                   "what is the capital of peru,\n"
                                   "where is order 67890,c\n");
        QVERIFY(rows.ok());
        ReplayOptions o;
        o.tier = ReplayTier::Semantic;
        o.semantic.fixedThreshold = 0.5;
        std::vector<Tier> served;
        const auto r = replayEvaluate(o, {}, *rows, &served);
        QVERIFY(r.ok());
        QCOMPARE(r->queries, 9);
        QCOMPARE(r->hits, 4);
        QCOMPARE(r->falseHits, 2);
        QCOMPARE(r->findable, 3);
        QCOMPARE(r->trueHits, 2);
        QCOMPARE(r->hitRate(), 4.0 / 9.0);
        QCOMPARE(r->falseHitRate(), 0.5);
        QCOMPARE(r->recall(), 2.0 / 3.0);
        const std::vector<Tier> expected { Tier::Upstream, Tier::Exact, Tier::Semantic, Tier::Upstream, Tier::Upstream,
            Tier::Upstream, Tier::Upstream, Tier::Exact, Tier::Exact };
        QVERIFY(served == expected);
        QCOMPARE(r->hitsByTier.at(Tier::Semantic), 1);

        // The exact tier alone: rows 2, 8, 9 only.
        ReplayOptions exact;
        exact.tier = ReplayTier::Exact;
        const auto e = replayEvaluate(exact, {}, *rows);
        QVERIFY(e.ok());
        QCOMPARE(e->hits, 3);
        QCOMPARE(e->falseHits, 2);
        QCOMPARE(e->findable, 3);
        QCOMPARE(e->trueHits, 1);
    }
};

QTEST_GUILESS_MAIN(TestSemanticReplay)
#include "tst_semanticreplay.moc"
