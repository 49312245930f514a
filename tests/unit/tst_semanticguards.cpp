#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include "cache/hotcache.h"
#include "cache/semantictier.h"
#include "semantic/hashedngramembedder.h"
#include "semantic/semanticcorpus.h"
#include "semantic/semanticguard.h"
#include "semantic/semanticprofile.h"
#include "semantic/semantictext.h"
#include "service/tierchain.h"

using namespace l0;

namespace {

ChatRequest ask(const QString &text, const QString &system = {})
{
    ChatRequest r;
    r.model = QStringLiteral("m");
    if (!system.isEmpty())
        r.messages.append(
            QJsonObject { { QLatin1String("role"), QStringLiteral("system") }, { QLatin1String("content"), system } });
    r.messages.append(
        QJsonObject { { QLatin1String("role"), QStringLiteral("user") }, { QLatin1String("content"), text } });
    return r;
}

double common(const QString &)
{
    return 0.1; // every word common: the rare-word guard never fires
}

} // namespace

// The guards of the semantic tier: negation, slot values, conversation context, rare words;
// each alone and through the tier itself (a neighbour it vetoes is never served, however near).
class TestSemanticGuards : public QObject {
    Q_OBJECT
private slots:
    void words()
    {
        QCOMPARE(semanticWords(QStringLiteral("Why isn't my card working? I can't pay")),
            QStringList({ QStringLiteral("why"), QStringLiteral("is"), QStringLiteral("not"), QStringLiteral("my"),
                QStringLiteral("card"), QStringLiteral("working"), QStringLiteral("i"), QStringLiteral("can"),
                QStringLiteral("not"), QStringLiteral("pay") }));
        QCOMPARE(lightStem(QStringLiteral("losing")), lightStem(QStringLiteral("loses")));
        QCOMPARE(lightStem(QStringLiteral("stopping")), QStringLiteral("stop"));
    }

    void negation()
    {
        const auto a = SemanticProfile::of(QStringLiteral("my card is working"));
        const auto b = SemanticProfile::of(QStringLiteral("my card is not working"));
        const auto c = SemanticProfile::of(QStringLiteral("why isn't my card working"));
        QCOMPARE(checkGuards(a, b, common), GuardVeto::Negation);
        QCOMPARE(checkGuards(b, a, common), GuardVeto::Negation);
        QCOMPARE(checkGuards(b, c, common), GuardVeto::None); // both negate the same thing
        const auto d = SemanticProfile::of(QStringLiteral("I never got my refund"));
        QCOMPARE(checkGuards(b, d, common), GuardVeto::Negation); // both negate, other things
    }

    void slotGuard()
    {
        const auto a = SemanticProfile::of(QStringLiteral("where is order 12345"));
        const auto b = SemanticProfile::of(QStringLiteral("where is order 67890"));
        const auto c = SemanticProfile::of(QStringLiteral("where's my order #12345?"));
        QCOMPARE(checkGuards(a, b, common), GuardVeto::Slot);
        QCOMPARE(checkGuards(a, c, common), GuardVeto::None);
        const auto mon = SemanticProfile::of(QStringLiteral("is the shop open on monday"));
        const auto fri = SemanticProfile::of(QStringLiteral("is the shop open on friday"));
        QCOMPARE(checkGuards(mon, fri, common), GuardVeto::Slot);
        const auto m1 = SemanticProfile::of(QStringLiteral("write to ann@example.com"));
        const auto m2 = SemanticProfile::of(QStringLiteral("write to bob@example.com"));
        QCOMPARE(checkGuards(m1, m2, common), GuardVeto::Slot);
    }

    void context()
    {
        const auto r1 = ask(QStringLiteral("and in winter?"), QStringLiteral("You answer about Norway."));
        const auto r2 = ask(QStringLiteral("and in winter?"), QStringLiteral("You answer about Spain."));
        const auto p1 = SemanticProfile::of(semanticText(r1), semanticContext(1, QString(), r1));
        const auto p2 = SemanticProfile::of(semanticText(r2), semanticContext(1, QString(), r2));
        const auto p1b = SemanticProfile::of(semanticText(r1), semanticContext(1, QString(), r1));
        QCOMPARE(checkGuards(p1, p2, common), GuardVeto::Context);
        QCOMPARE(checkGuards(p1, p1b, common), GuardVeto::None);
        // Another namespace or tenant is another context too.
        QVERIFY(semanticContext(1, QString(), r1) != semanticContext(2, QString(), r1));
        QVERIFY(semanticContext(1, QStringLiteral("a"), r1) != semanticContext(1, QStringLiteral("b"), r1));
        // The last turn's words are not part of the context.
        QCOMPARE(semanticContext(1, QString(), ask(QStringLiteral("x"))),
            semanticContext(1, QString(), ask(QStringLiteral("y"))));
    }

    void rareWords()
    {
        SemanticCorpus corpus;
        const QStringList background { QStringLiteral("how do I learn to cook"),
            QStringLiteral("how do I learn to swim"), QStringLiteral("how do I learn fast"),
            QStringLiteral("what should I learn first"), QStringLiteral("how can I learn quickly"),
            QStringLiteral("best way to learn"), QStringLiteral("learn to drive"),
            QStringLiteral("learn something new"), QStringLiteral("learn maths quickly"),
            QStringLiteral("how to learn"), QStringLiteral("how do I learn python") };
        qint64 id = 0;
        for (const QString &t : background)
            corpus.add(1, ++id, t, {});
        auto rarity = [&](const QString &s) { return corpus.rarity(1, s); };
        const auto python = SemanticProfile::of(QStringLiteral("how do I learn python"));
        const auto haskell = SemanticProfile::of(QStringLiteral("how do I learn haskell"));
        const auto pythonFast = SemanticProfile::of(QStringLiteral("how can I learn python quickly"));
        QVERIFY(corpus.rarity(1, QStringLiteral("haskell")) > 0.99); // never seen
        QVERIFY(corpus.rarity(1, lightStem(QStringLiteral("learn"))) < 0.1); // in every question
        QCOMPARE(checkGuards(python, haskell, rarity), GuardVeto::RareWord);
        QCOMPARE(checkGuards(python, pythonFast, rarity), GuardVeto::None); // "quickly" is common here
    }

    // Through the tier: a near neighbour that a guard vetoes is not served; one that passes is.
    void tierServesOnlyWhatPasses()
    {
        HotCache answers;
        auto embedder = std::make_shared<HashedNgramEmbedder>();
        auto index = std::make_shared<VectorIndexDirectory>();
        auto corpus = std::make_shared<SemanticCorpus>();
        index->setServingModel(1, embedder->modelId());
        SemanticSources s;
        s.embedder = embedder;
        s.index = index;
        s.corpus = corpus;
        s.fixedThreshold = 0.3; // guards alone decide
        TierSources sources;
        sources.answers = &answers;
        sources.semantic = &s;
        const TierChain chain = buildTierChain(sources, { Tier::Semantic });
        QCOMPARE(int(chain.size()), 1);
        const CacheTier &tier = *chain.front();
        const TierScope scope { 1, QString() };

        // Approve "is my card working" (an exact entry) and index it.
        const ChatRequest approved = ask(QStringLiteral("is my card working for order 12345"));
        const TierKey k = tier.key(scope, approved, nullptr);
        QVERIFY(!k.abstained());
        VersionChange c;
        c.entryId = 7;
        c.version = 1;
        c.state = VersionState::Approved;
        c.tenantId = 1;
        c.tier = QStringLiteral("exact");
        c.cacheKey = "k7";
        c.result.message = QJsonObject { { QLatin1String("content"), QStringLiteral("yes") } };
        answers.apply(c);
        const Embedding *v = SemanticTier::embeddingOf(k);
        QVERIFY(v);
        QVERIFY(index
                    ->add(VectorSpaceKey { 1, QString(), embedder->modelId() },
                        VectorEntryRef { 7, 1, QStringLiteral("exact"), "k7", semanticText(approved), {} },
                        std::span<const float>(v->constData(), size_t(v->size())))
                    .ok());
        corpus->add(1, 7, semanticText(approved), semanticContext(1, QString(), approved));

        auto served = [&](const QString &text, const QString &system = {}) {
            const TierKey q = tier.key(scope, ask(text, system), nullptr);
            return !q.abstained() && tier.lookup(scope, q, Policy::Approved, 0).has_value();
        };
        QVERIFY(served(QStringLiteral("is my card working for order 12345?")));
        QVERIFY(served(QStringLiteral("Is my card working, for order 12345")));
        QVERIFY(!served(QStringLiteral("is my card not working for order 12345"))); // negation
        QVERIFY(!served(QStringLiteral("is my card working for order 99999"))); // slot
        QVERIFY(!served(QStringLiteral("is my card working for order 12345"), QStringLiteral("Be terse."))); // context
        // Revoked: never served again.
        c.state = VersionState::Revoked;
        answers.apply(c);
        QVERIFY(!served(QStringLiteral("is my card working for order 12345?")));
    }
};

QTEST_GUILESS_MAIN(TestSemanticGuards)
#include "tst_semanticguards.moc"
