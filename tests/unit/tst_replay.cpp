#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QTest>

#include "normalize/induction.h"
#include "normalize/intentmatcher.h"
#include "normalize/replay.h"
#include "service/cachereplay.h"

using namespace l0;

class TestReplay : public QObject {
    Q_OBJECT
private slots:
    void parsesCsv()
    {
        auto rows
            = parseReplayCsv("text,label\n\"hello, world\",greet\nplain,\n\"multi\nline \"\"quoted\"\"\",x\r\nlast,y");
        QVERIFY(rows.ok());
        QCOMPARE(int(rows->size()), 4);
        QCOMPARE(rows->at(0).text, QStringLiteral("hello, world"));
        QCOMPARE(rows->at(1).label, QString());
        QCOMPARE(rows->at(2).text, QStringLiteral("multi\nline \"quoted\""));
        QCOMPARE(rows->at(3).label, QStringLiteral("y"));
        QVERIFY(!parseReplayCsv("words,label\na,b").ok());
        QVERIFY(!parseReplayCsv("text,label\n\"open,b").ok());
        QVERIFY(!parseReplayCsv("text,label\na,b,c").ok());
    }
    void exactProtocol()
    {
        const std::vector<LabelledText> data { { QStringLiteral("a"), QStringLiteral("x") },
            { QStringLiteral("a"), QStringLiteral("x") }, { QStringLiteral("b"), QString() },
            { QStringLiteral("b"), QString() }, { QStringLiteral("c"), QStringLiteral("y") },
            { QStringLiteral("c"), QStringLiteral("z") } };
        const ReplayResult r = replayEvaluate(ReplayTier::Exact, nullptr, {}, data);
        QCOMPARE(r.queries, 6);
        QCOMPARE(r.hits, 3);
        QCOMPARE(r.falseHits, 2); // the empty label and the changed label
        const ReplayResult warm = replayEvaluate(ReplayTier::Exact, nullptr,
            { { QStringLiteral("a"), QStringLiteral("x") } }, { { QStringLiteral("a"), QStringLiteral("x") } });
        QCOMPARE(warm.queries, 1);
        QCOMPARE(warm.hits, 1);
        QCOMPARE(ReplayResult {}.falseHitRate(), 0.0);
    }
    void intentProtocolWithPack()
    {
        auto pack = RulePack::fromFile(QStringLiteral(L0_TEST_DATA_DIR "/support-pack.json"));
        const IntentMatcher m(*pack);
        const std::vector<LabelledText> data { { QStringLiteral("cancel my order"), QStringLiteral("cancel") },
            { QStringLiteral("please cancel the order"), QStringLiteral("cancel") },
            { QStringLiteral("tell me a joke"), QString() }, { QStringLiteral("tell me a joke"), QString() },
            { QStringLiteral("where is my parcel"), QStringLiteral("track") },
            { QStringLiteral("track my package"), QStringLiteral("track") } };
        const ReplayResult l0 = replayEvaluate(ReplayTier::L0, &m, {}, data);
        QCOMPARE(l0.hits, 2);
        QCOMPARE(l0.falseHits, 0); // the joke abstains, so it is never cached
        const ReplayResult chain = replayEvaluate(ReplayTier::Chain, &m, {}, data);
        QCOMPARE(chain.hits, 3); // plus the repeated joke, exactly
        QCOMPARE(chain.falseHits, 1); // which has no label: a false hit
    }
    // Induce on CLINC150 train (out-of-scope rows included), evaluate on its validation split.
    // The floor is what was measured, less a little.
    void inducedPackMeetsMeasuredFloor()
    {
        const QString dir = QStringLiteral(L0_SHARED_DATA_DIR "/eval");
        if (!QFile::exists(dir + QStringLiteral("/clinc150_train.csv")))
            QSKIP("shared evaluation data not present");
        auto train = readReplayCsv(dir + QStringLiteral("/clinc150_train.csv"));
        auto val = readReplayCsv(dir + QStringLiteral("/clinc150_val.csv"));
        QVERIFY(train.ok() && val.ok());
        QElapsedTimer t;
        t.start();
        InductionReport report;
        auto pack = inducePack(*train, InductionOptions {}, &report);
        QVERIFY2(pack.ok(), qPrintable(pack.ok() ? QString() : pack.error().message));
        qInfo("induced %d intents in %lld ms; margin %d", report.intents, t.elapsed(), report.margin);
        const IntentMatcher m(*pack);
        const ReplayResult r = replayEvaluate(ReplayTier::L0, &m, *train, *val);
        qInfo("clinc150 val: hit rate %.4f, false-hit rate %.4f", r.hitRate(), r.falseHitRate());
        QVERIFY2(r.hitRate() >= 0.66, qPrintable(QString::number(r.hitRate())));
        QVERIFY2(r.falseHitRate() <= 0.015, qPrintable(QString::number(r.falseHitRate())));
        // Every decision on both evaluation sets, bit for bit: key, margin, confidence, coverage,
        // reason and the five best scores of each query. The matcher's speed-ups must not change
        // one of them; the digest changes only when the induced pack or the decision is changed
        // on purpose (then print it with L0_PRINT_MATCH_DIGEST=1 and say why in the commit).
        auto banking = readReplayCsv(dir + QStringLiteral("/banking77_train.csv"));
        QVERIFY(banking.ok());
        QCryptographicHash digest(QCryptographicHash::Sha256);
        for (const auto *set : { &val.value(), &banking.value() }) {
            for (const LabelledText &q : *set) {
                const IntentMatch r = m.match(q.text);
                // With a trace, match() scores by featuresOf's strings instead of its word table:
                // the same decision, to the last digit.
                QStringList steps;
                const IntentMatch traced = m.match(q.text, &steps);
                if (traced.key() != r.key() || traced.margin != r.margin || traced.confidence != r.confidence
                    || traced.reason != r.reason || traced.top.size() != r.top.size()
                    || (!r.top.empty() && traced.top[0].score != r.top[0].score))
                    QFAIL(qPrintable(QStringLiteral("the two scorings differ on: %1").arg(q.text)));
                QString line = QStringLiteral("%1|%2|%3|%4|%5|%6|%7|")
                                   .arg(q.text)
                                   .arg(r.abstained)
                                   .arg(r.key())
                                   .arg(r.margin)
                                   .arg(r.confidence)
                                   .arg(r.coverage)
                                   .arg(r.reason);
                for (const IntentScore &s : r.top)
                    line += QStringLiteral("%1=%2,").arg(s.intent).arg(s.score);
                digest.addData((line + QLatin1Char('\n')).toUtf8());
            }
        }
        const QByteArray got = digest.result().toHex();
        if (qEnvironmentVariableIsSet("L0_PRINT_MATCH_DIGEST"))
            qInfo("match digest %s", got.constData());
        QCOMPARE(got, QByteArray("b60365df86fd2a3f06ff9897e5546584402d1622df60dfcf453fc055b0a03aa0"));
        // Determinism: the same data gives the same pack.
        const std::vector<LabelledText> part(train->begin(), train->begin() + 3000);
        auto a = inducePack(part, InductionOptions {}, nullptr);
        auto b = inducePack(part, InductionOptions {}, nullptr);
        QCOMPARE((*a)->toJson(), (*b)->toJson());
    }
};

QTEST_APPLESS_MAIN(TestReplay)
#include "tst_replay.moc"
