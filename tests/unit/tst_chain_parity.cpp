#include <QFile>

#include <algorithm>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "nodefixture.h"
#include "normalize/intentmatcher.h"
#include "service/cachereplay.h"

using namespace l0;

// `l0ctl eval` and the node run one tier chain: the same queries, sent through a node (each
// miss approved before the next query) and through the replay evaluation, are served by the
// same tiers in the same places.
class TestChainParity : public QObject {
    Q_OBJECT
    NodeFixture f;

private slots:
    void initTestCase() { QVERIFY(f.start()); }
    void cleanupTestCase() { f.node.reset(); }

    void nodeAndEvalServeTheSameQueries()
    {
        QFile packFile(QStringLiteral(L0_TEST_DATA_DIR "/support-pack.json"));
        QVERIFY(packFile.open(QIODevice::ReadOnly));
        const QByteArray packJson = packFile.readAll();
        auto store = f.store();
        auto rec = store->addRulePack(
            QStringLiteral("approved"), QStringLiteral("support"), 1, packJson, QStringLiteral("admin"));
        QVERIFY(rec.ok());
        QVERIFY(store->decideRulePack(rec->id, true, QStringLiteral("reviewer")).ok());
        f.settle();

        // Repeats, paraphrases with other slot values, follow-ups without a slot, negations,
        // and questions no intent covers (repeated, so the exact tier has work too).
        const QStringList queries { QStringLiteral("I need to cancel order #12345"),
            QStringLiteral("cancel my order 67890"), QStringLiteral("I need to cancel order #12345"),
            QStringLiteral("where is my parcel"), QStringLiteral("track my package"),
            QStringLiteral("tell me about the weather on mars"), QStringLiteral("tell me about the weather on mars"),
            QStringLiteral("I do not want to cancel order 5555"), QStringLiteral("cancel my order"),
            QStringLiteral("please cancel the order"), QStringLiteral("how do I reset my password"),
            QStringLiteral("how do i reset my password?"), QStringLiteral("what is the capital of peru"),
            QStringLiteral("please stop shipment ABC-999") };

        std::vector<Tier> node;
        for (const QString &q : queries) {
            const QJsonObject body { { QLatin1String("model"), QStringLiteral("gpt-4o-mini") },
                { QLatin1String("messages"),
                    QJsonArray { QJsonObject {
                        { QLatin1String("role"), QStringLiteral("user") }, { QLatin1String("content"), q } } } } };
            const auto r = f.chat(f.keyApproved, QJsonDocument(body).toJson(QJsonDocument::Compact));
            QCOMPARE(r.status, 200);
            const auto tier = tierFromName(QString::fromLatin1(r.headers.value("x-l0-tier")));
            QVERIFY2(tier, r.headers.value("x-l0-tier").constData());
            node.push_back(*tier);
            if (*tier != Tier::Upstream)
                continue;
            // The upstream answered: approve what it filed, as the evaluation does.
            f.settle();
            auto queue = store->queue(QueueFilter { std::nullopt, false, QStringLiteral("approved"), 100 });
            QVERIFY(queue.ok());
            for (const QueueItem &item : *queue)
                QVERIFY(store->decide(item.entryId, item.version, VersionState::Approved, QStringLiteral("rev"), {}).ok());
            f.settle();
        }

        auto pack = RulePack::fromJson(packJson);
        QVERIFY(pack.ok());
        const IntentMatcher matcher(*pack);
        std::vector<LabelledText> rows;
        for (const QString &q : queries)
            rows.push_back(LabelledText { q, q });
        std::vector<Tier> eval;
        replayEvaluate(ReplayTier::Chain, &matcher, {}, rows, &eval);

        QCOMPARE(eval.size(), node.size());
        int hits = 0;
        for (size_t i = 0; i < node.size(); ++i) {
            QVERIFY2(eval[i] == node[i],
                qPrintable(QStringLiteral("query %1 (%2): node %3, eval %4")
                        .arg(i)
                        .arg(queries.at(int(i)), QLatin1String(tierName(node[i])), QLatin1String(tierName(eval[i])))));
            hits += node[i] != Tier::Upstream;
        }
        QVERIFY2(hits >= 4, "the queries exercise both tiers");
        QVERIFY(std::count(node.begin(), node.end(), Tier::Exact) >= 1);
        QVERIFY(std::count(node.begin(), node.end(), Tier::L0) >= 2);
    }
};

QTEST_GUILESS_MAIN(TestChainParity)
#include "tst_chain_parity.moc"
