#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

#include "commands.h"
#include "ctl.h"
#include "route/routedata.h"
#include "route/routeevaluation.h"
#include "route/routefeatures.h"
#include "route/routermodel.h"
#include "route/routertraining.h"

using namespace l0;

namespace {

const QString kSmall = QStringLiteral(L0_TEST_DATA_DIR "/route_small.jsonl");

// A router written by hand: every weight zero but -1 on the prompt's log1p(characters), so its
// score is sigmoid(-log1p(chars)) and shorter prompts go to the weak model first.
QByteArray lengthRouterJson(bool withCascade)
{
    const auto part = [](const QStringList &names) {
        QJsonArray dense;
        for (const QString &n : names)
            dense.append(QJsonObject { { QStringLiteral("name"), n }, { QStringLiteral("mean"), 0.0 },
                { QStringLiteral("scale"), 1.0 },
                { QStringLiteral("weight"), n == QLatin1String("log_chars") ? -1.0 : 0.0 } });
        return QJsonObject { { QStringLiteral("bias"), 0.0 }, { QStringLiteral("bits"), 10 },
            { QStringLiteral("dense"), dense }, { QStringLiteral("hashed_scale"), 0.0 },
            { QStringLiteral("hashed"), QString() },
            { QStringLiteral("curve"),
                QJsonArray { QJsonObject { { QStringLiteral("threshold"), 2.0 },
                                 { QStringLiteral("strong_share"), 1.0 }, { QStringLiteral("quality_ratio"), 1.0 } },
                    QJsonObject { { QStringLiteral("threshold"), 0.3 }, { QStringLiteral("strong_share"), 0.5 },
                        { QStringLiteral("quality_ratio"), 0.97 } },
                    QJsonObject { { QStringLiteral("threshold"), 0.1 }, { QStringLiteral("strong_share"), 0.2 },
                        { QStringLiteral("quality_ratio"), 0.9 } } } } };
    };
    QJsonObject o { { QStringLiteral("format"), QStringLiteral("l0-router-model/1") },
        { QStringLiteral("name"), QStringLiteral("by-length") }, { QStringLiteral("strong"), QStringLiteral("big") },
        { QStringLiteral("weak"), QStringLiteral("small") }, { QStringLiteral("features"), kRouteFeaturesVersion },
        { QStringLiteral("learned"), part(requestFeatureNames()) } };
    if (withCascade)
        o.insert(QStringLiteral("cascade"), part(requestFeatureNames() + answerFeatureNames()));
    return QJsonDocument(o).toJson();
}

// big: 10 / 20 micro-dollars per input / output token; small: 1 / 2.
const QByteArray kPrices = R"({"effective_date": "2026-01-01", "models": {
    "big": {"input": 10000000, "output": 20000000}, "small": {"input": 1000000, "output": 2000000}}})";

double lengthScore(int chars)
{
    return 1.0 / (1.0 + std::exp(double(float(std::log1p(double(chars))))));
}

// Rows that look like routing data: arithmetic word problems of growing length where the weak
// model fails the longer ones, and some short chat prompts.
std::vector<RouteExample> syntheticRows(int n)
{
    std::vector<RouteExample> rows;
    for (int i = 0; i < n; ++i) {
        RouteExample r;
        const int steps = 1 + i % 7;
        r.prompt = QStringLiteral("Tom has %1 apples.").arg(i);
        for (int s = 0; s < steps; ++s)
            r.prompt += QStringLiteral(" Then he buys %1 more and gives %2 away.").arg(s + 2).arg(s % 3);
        r.prompt += QStringLiteral(" How many apples does he have?");
        r.strongQuality = (i % 11 == 0) ? 0 : 1;
        r.weakQuality = steps <= 3 ? 1 : ((i % 5 == 0) ? 1 : 0);
        r.weakText
            = QStringLiteral("He has <<%1+2=%2>>%2 apples.\n#### %2").arg(i).arg(r.weakQuality > 0 ? i + 2 : i + 3);
        r.hasWeakText = true;
        r.strongAnswerChars = 80;
        r.weakAnswerChars = r.weakText.size();
        rows.push_back(r);
    }
    return rows;
}

} // namespace

class TestRouterModel : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    struct Run {
        int code;
        QString out;
        QString err;
    };
    Run ctl(QStringList args)
    {
        QString out, err;
        QTextStream o(&out), e(&err);
        const int code = runCtl(args, o, e);
        o.flush();
        e.flush();
        return { code, out, err };
    }
    QString write(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
            return {};
        return path;
    }

private slots:
    void strategyNames()
    {
        QVERIFY(routeStrategyFromName(QStringLiteral("cascade")) == RouteStrategy::Cascade);
        QVERIFY(routeStrategyFromName(QStringLiteral("learned")) == RouteStrategy::Learned);
        QVERIFY(routeStrategyFromName(QStringLiteral("fixed")) == RouteStrategy::Fixed);
        QVERIFY(!routeStrategyFromName(QStringLiteral("Cascade")));
    }

    void arithmeticChecks()
    {
        double v = 0;
        QVERIFY(evaluateArithmetic(u"(3 + 4) * 2 - 10 / 4", &v));
        QCOMPARE(v, 11.5);
        QVERIFY(evaluateArithmetic(u"$1,200 * .5", &v));
        QCOMPARE(v, 600.0);
        QVERIFY(!evaluateArithmetic(u"3 apples + 2", &v));
        QVERIFY(!evaluateArithmetic(u"4 / 0", &v));

        const ArithmeticCheck right = checkArithmetic(u"She has 16 - 7 = 9 eggs, for 9 * $2 = $<<9*2=18>>18.\n#### 18");
        QCOMPARE(right.annotations, 1);
        QCOMPARE(right.wrongAnnotations, 0);
        QCOMPARE(right.equations, 2);
        QCOMPARE(right.wrongEquations, 0);
        QVERIFY(right.hasLastResult);
        QCOMPARE(right.lastResult, 18.0);

        const ArithmeticCheck wrong = checkArithmetic(u"So 3 + 4 = 8 and <<48/2=25>>25, then <<100/3=33.33>>33.33");
        QCOMPARE(wrong.annotations, 2);
        QCOMPARE(wrong.wrongAnnotations, 1); // 100/3 rounds to 33.33: right
        QCOMPARE(wrong.equations, 1);
        QCOMPARE(wrong.wrongEquations, 1);
    }

    // Everything but the messages (and offered tools) leaves the features alone: the model asked
    // for, parameters, streaming, the wire.
    void featuresReadOnlyTheRequestText()
    {
        ChatRequest a = RouterModel::requestForPrompt(QStringLiteral("Prove that 17 is prime. Explain each step?"));
        ChatRequest b = a;
        b.model = QStringLiteral("gpt-4o");
        b.params.insert(QStringLiteral("temperature"), 0.2);
        b.params.insert(QStringLiteral("user"), QStringLiteral("alice"));
        b.stream = true;
        b.wire = WireFormat::Anthropic;
        b.clientExtras.insert(QStringLiteral("id"), QStringLiteral("mmlu-1"));
        RouteFeatures fa, fb;
        requestFeatures(a, 18, fa);
        requestFeatures(b, 18, fb);
        QVERIFY(fa.dense == fb.dense);
        QVERIFY(fa.hashed == fb.hashed);
        QCOMPARE(int(fa.dense.size()), int(requestFeatureNames().size()));
        QVERIFY(!fa.hashed.empty());
        QVERIFY(std::is_sorted(fa.hashed.begin(), fa.hashed.end()));

        // ...while the text, a system prompt or tools do change them.
        ChatRequest c = a;
        c.messages.prepend(QJsonObject { { QStringLiteral("role"), QStringLiteral("system") },
            { QStringLiteral("content"), QStringLiteral("Be brief.") } });
        RouteFeatures fc;
        requestFeatures(c, 18, fc);
        QVERIFY(fc.dense != fa.dense);
        const int system = int(requestFeatureNames().indexOf(QStringLiteral("has_system")));
        QCOMPARE(fc.dense[size_t(system)], 1.f);
        QCOMPARE(fa.dense[size_t(system)], 0.f);
        ChatRequest t = a;
        t.params.insert(QStringLiteral("tools"),
            QJsonArray { QJsonObject { { QStringLiteral("type"), QStringLiteral("function") } } });
        RouteFeatures ft;
        requestFeatures(t, 18, ft);
        QCOMPARE(ft.dense[size_t(requestFeatureNames().indexOf(QStringLiteral("has_tools")))], 1.f);

        RouteFeatures ca, cb;
        cascadeFeatures(a, u"17 has no divisor but 1 and 17.", 18, ca);
        cascadeFeatures(b, u"17 has no divisor but 1 and 17.", 18, cb);
        QVERIFY(ca.dense == cb.dense);
        QVERIFY(ca.hashed == cb.hashed);
        QCOMPARE(int(ca.dense.size()), int(requestFeatureNames().size() + answerFeatureNames().size()));
    }

    // Rows that differ only in id, category, other fields and other models' answers train the
    // same model: the router never reads them.
    void trainingIgnoresLabelsOtherThanAnswers()
    {
        QByteArray other;
        QFile f(kSmall);
        QVERIFY(f.open(QIODevice::ReadOnly));
        int i = 0;
        while (!f.atEnd()) {
            const QByteArray line = f.readLine();
            if (line.trimmed().isEmpty())
                continue;
            QJsonObject o = QJsonDocument::fromJson(line).object();
            o.insert(QStringLiteral("id"), QStringLiteral("other-%1").arg(++i));
            o.insert(QStringLiteral("category"), QStringLiteral("hard"));
            o.insert(QStringLiteral("contaminated"), true);
            QJsonObject answers = o.value(QStringLiteral("answers")).toObject();
            answers.insert(QStringLiteral("third"), QJsonObject { { QStringLiteral("correct"), i % 2 == 0 } });
            o.insert(QStringLiteral("answers"), answers);
            other += QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
        }
        const QString otherPath = write(QStringLiteral("other.jsonl"), other);
        const QString a = m_dir.filePath(QStringLiteral("a.json"));
        const QString b = m_dir.filePath(QStringLiteral("b.json"));
        const QStringList common { QStringLiteral("--strong"), QStringLiteral("big"), QStringLiteral("--weak"),
            QStringLiteral("small"), QStringLiteral("--bits"), QStringLiteral("12") };
        Run r = ctl(QStringList { QStringLiteral("route"), QStringLiteral("train"), QStringLiteral("--data"), kSmall,
                        QStringLiteral("--out"), a }
            + common);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = ctl(QStringList { QStringLiteral("route"), QStringLiteral("train"), QStringLiteral("--data"), otherPath,
                    QStringLiteral("--out"), b }
            + common);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QFile fa(a), fb(b);
        QVERIFY(fa.open(QIODevice::ReadOnly) && fb.open(QIODevice::ReadOnly));
        QCOMPARE(fa.readAll(), fb.readAll());
    }

    void trainingIsDeterministic()
    {
        const std::vector<RouteExample> rows = syntheticRows(160);
        RouteTrainOptions o;
        o.bits = 14;
        o.epochs = 6;
        const QByteArray first = trainRouterModel(rows, QStringLiteral("big"), QStringLiteral("small"), o).toJson();
        const QByteArray second = trainRouterModel(rows, QStringLiteral("big"), QStringLiteral("small"), o).toJson();
        QCOMPARE(first, second);
        // A round trip through the JSON keeps the bytes and the scores.
        auto loaded = RouterModel::fromJson(first);
        QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().message));
        QCOMPARE(loaded->toJson(), first);
        const RouterModel trained = trainRouterModel(rows, QStringLiteral("big"), QStringLiteral("small"), o);
        for (const RouteExample &r : rows) {
            const ChatRequest req = RouterModel::requestForPrompt(r.prompt);
            QCOMPARE(loaded->weakGoodProbability(req), trained.weakGoodProbability(req));
            QCOMPARE(loaded->cascadeAcceptScore(req, r.weakText), trained.cascadeAcceptScore(req, r.weakText));
        }
        // Another seed gives another model: the bytes do depend on the training.
        o.seed = 18;
        QVERIFY(trainRouterModel(rows, QStringLiteral("big"), QStringLiteral("small"), o).toJson() != first);
    }

    // The model learns something: on held-out folds the learned router routes the long
    // (weak-failing) prompts to the strong model first, and the cascade catches wrong arithmetic.
    void crossValidatedRoutingBeatsRandom()
    {
        const std::vector<RouteExample> rows = syntheticRows(210);
        RouteTrainOptions o;
        o.bits = 14;
        o.epochs = 6;
        std::vector<double> learned, cascade;
        crossValidatedScores(rows, {}, QStringLiteral("big"), QStringLiteral("small"), o, 5, &learned, &cascade);
        QCOMPARE(learned.size(), rows.size());
        QCOMPARE(cascade.size(), rows.size());
        const RouteEvaluation l = evaluateRouting(
            rows, learned, RouteStrategy::Learned, QStringLiteral("big"), QStringLiteral("small"), nullptr);
        const RouteEvaluation c = evaluateRouting(
            rows, cascade, RouteStrategy::Cascade, QStringLiteral("big"), QStringLiteral("small"), nullptr);
        QVERIFY2(l.atTarget.strongShare < 0.75, qPrintable(QString::number(l.atTarget.strongShare)));
        QVERIFY2(c.atTarget.strongShare < 0.5, qPrintable(QString::number(c.atTarget.strongShare)));
    }

    void thresholdForReadsTheCurve()
    {
        auto m = RouterModel::fromJson(lengthRouterJson(true));
        QVERIFY2(m, qPrintable(m ? QString() : m.error().message));
        QCOMPARE(m->strongModel(), QStringLiteral("big"));
        QCOMPARE(m->weakModel(), QStringLiteral("small"));
        QVERIFY(m->hasCascade());
        QVERIFY(m->thresholdFor(0.95, RouteStrategy::Learned) == 0.3);
        QVERIFY(m->thresholdFor(0.9, RouteStrategy::Cascade) == 0.1);
        QVERIFY(m->thresholdFor(0.99, RouteStrategy::Learned) == 2.0);
        QVERIFY(!m->thresholdFor(0.95, RouteStrategy::Fixed));
        QVERIFY(!m->thresholdFor(1.5, RouteStrategy::Learned));
        QVERIFY(!m->thresholdFor(0, RouteStrategy::Learned));
        auto noCascade = RouterModel::fromJson(lengthRouterJson(false));
        QVERIFY(noCascade);
        QVERIFY(!noCascade->hasCascade());
        QVERIFY(!noCascade->thresholdFor(0.95, RouteStrategy::Cascade));
        QCOMPARE(
            noCascade->cascadeAcceptScore(RouterModel::requestForPrompt(QStringLiteral("abcd")), QStringLiteral("x")),
            0.0);
        QCOMPARE(m->weakGoodProbability(RouterModel::requestForPrompt(QStringLiteral("abcd"))), lengthScore(4));
    }

    void builtinModelLoads()
    {
        auto m = RouterModel::builtin();
        QVERIFY2(m, qPrintable(m ? QString() : m.error().message));
        QCOMPARE(m->strongModel(), QStringLiteral("gpt-4-1106-preview"));
        QCOMPARE(m->weakModel(), QStringLiteral("mistralai/Mixtral-8x7B-Instruct-v0.1"));
        QVERIFY(m->hasCascade());
        const auto t = m->thresholdFor(0.95, RouteStrategy::Learned);
        QVERIFY(t && *t > 0 && *t <= kNeverWeakThreshold);
        const double p = m->weakGoodProbability(RouterModel::requestForPrompt(QStringLiteral("What is 2 + 2?")));
        QVERIFY(p > 0 && p < 1);
    }

    // The eval's numbers against a hand computation on route_small.jsonl with the by-length router.
    // Rows (prompt chars; big correct, small correct): r1 (4; 1, 1) r2 (8; 1, 0) r3 (12; 0, 1)
    // r4 (16; 1, 1) r5 (20; 1, 0). Strong quality 4/5, weak 3/5. Shorter goes weak first:
    //   all strong       share 1.0 quality 0.8
    //   r1 weak          share 0.8 quality (1+1+0+1+1)/5 = 0.8
    //   r1-r2 weak       share 0.6 quality (1+0+0+1+1)/5 = 0.6
    //   r1-r3 weak       share 0.4 quality (1+0+1+1+1)/5 = 0.8
    //   r1-r4 weak       share 0.2 quality 0.8
    //   all weak         share 0.0 quality 0.6
    // at_95 (quality >= 0.76): share 0.2. Costs: prompt tokens 1..5 (chars / 4), answers 8 and 4
    // chars = 2 and 1 tokens. big per row: 10 t + 40 = 50 60 70 80 90 (350); small: t + 2 = 3..7 (25).
    // learned at r1-r4 weak: 3+4+5+6 + 90 = 108 -> 108/350; cascade pays every weak call:
    // 25 + 90 = 115 -> 115/350; all strong as a cascade: 375/350.
    void evalMatchesHandComputation()
    {
        const QString router = write(QStringLiteral("length.json"), lengthRouterJson(true));
        const QString prices = write(QStringLiteral("prices.json"), kPrices);
        const Run r = ctl({ QStringLiteral("route"), QStringLiteral("eval"), QStringLiteral("--router"), router,
            QStringLiteral("--data"), kSmall, QStringLiteral("--prices"), prices, QStringLiteral("--json") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(r.out.count(QLatin1Char('\n')), 1);
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(o.value(QStringLiteral("prompts")).toInt(), 5);
        QCOMPARE(o.value(QStringLiteral("strong_quality")).toDouble(), 0.8);
        QCOMPARE(o.value(QStringLiteral("weak_quality")).toDouble(), 0.6);
        const QJsonArray curve = o.value(QStringLiteral("curve")).toArray();
        QCOMPARE(curve.size(), 6);
        const double shares[] = { 1.0, 0.8, 0.6, 0.4, 0.2, 0.0 };
        const double quality[] = { 0.8, 0.8, 0.6, 0.8, 0.8, 0.6 };
        const double cost[]
            = { 350, 3 + 60 + 70 + 80 + 90, 3 + 4 + 70 + 80 + 90, 3 + 4 + 5 + 80 + 90, 3 + 4 + 5 + 6 + 90, 25 };
        const int chars[] = { 0, 4, 8, 12, 16, 20 };
        for (int i = 0; i < 6; ++i) {
            const QJsonObject p = curve.at(i).toObject();
            QVERIFY(std::fabs(p.value(QStringLiteral("strong_share")).toDouble() - shares[i]) < 1e-12);
            QVERIFY(std::fabs(p.value(QStringLiteral("quality")).toDouble() - quality[i]) < 1e-12);
            QVERIFY(std::fabs(p.value(QStringLiteral("cost_ratio")).toDouble() - cost[i] / 350.0) < 1e-12);
            const double t = p.value(QStringLiteral("threshold")).toDouble();
            QVERIFY(std::fabs(t - (i == 0 ? kNeverWeakThreshold : lengthScore(chars[i]))) < 1e-12);
        }
        const QJsonObject at = o.value(QStringLiteral("at_95")).toObject();
        QCOMPARE(at.value(QStringLiteral("strong_share")).toDouble(), 0.2);
        QVERIFY(std::fabs(at.value(QStringLiteral("quality")).toDouble() - 0.8) < 1e-12);
        QVERIFY(std::fabs(at.value(QStringLiteral("cost_ratio")).toDouble() - 108.0 / 350.0) < 1e-12);
        // The model's own 95% threshold (0.3 from its curve) sends every prompt here to the
        // strong model (the scores are <= sigmoid(-log 5) = 0.17).
        QCOMPARE(
            o.value(QStringLiteral("at_model_threshold")).toObject().value(QStringLiteral("strong_share")).toDouble(),
            1.0);

        const Run c = ctl({ QStringLiteral("route"), QStringLiteral("eval"), QStringLiteral("--router"), router,
            QStringLiteral("--data"), kSmall, QStringLiteral("--prices"), prices, QStringLiteral("--strategy"),
            QStringLiteral("cascade"), QStringLiteral("--json") });
        QVERIFY2(c.code == 0, qPrintable(c.err));
        const QJsonObject co = QJsonDocument::fromJson(c.out.toUtf8()).object();
        QCOMPARE(co.value(QStringLiteral("strategy")).toString(), QStringLiteral("cascade"));
        const QJsonObject cat = co.value(QStringLiteral("at_95")).toObject();
        QCOMPARE(cat.value(QStringLiteral("strong_share")).toDouble(), 0.2);
        QVERIFY(std::fabs(cat.value(QStringLiteral("cost_ratio")).toDouble() - 115.0 / 350.0) < 1e-12);
        const QJsonObject allStrong = co.value(QStringLiteral("curve")).toArray().at(0).toObject();
        QVERIFY(std::fabs(allStrong.value(QStringLiteral("cost_ratio")).toDouble() - 375.0 / 350.0) < 1e-12);
    }

    void scoresOnAScale()
    {
        // MT-Bench-like 1-10 scores: quality is their mean; ties count as the weak one being good.
        std::vector<RouteExample> rows(3);
        rows[0].prompt = QStringLiteral("a");
        rows[0].strongQuality = 9;
        rows[0].weakQuality = 9;
        rows[1].prompt = QStringLiteral("bb");
        rows[1].strongQuality = 8;
        rows[1].weakQuality = 4;
        rows[2].prompt = QStringLiteral("ccc");
        rows[2].strongQuality = 10;
        rows[2].weakQuality = 7;
        QVERIFY(rows[0].weakGood());
        QVERIFY(!rows[1].weakGood());
        const RouteEvaluation ev = evaluateRouting(
            rows, { 0.9, 0.1, 0.5 }, RouteStrategy::Learned, QStringLiteral("big"), QStringLiteral("small"), nullptr);
        QCOMPARE(ev.strongQuality, 9.0);
        QCOMPARE(ev.weakQuality, 20.0 / 3);
        // thresholds 2, 0.9, 0.5, 0.1: qualities 9, 9, 8, 20/3; 95% of 9 = 8.55 -> share 2/3.
        QCOMPARE(int(ev.curve.size()), 4);
        QCOMPARE(ev.atTarget.threshold, 0.9);
        QCOMPARE(ev.atTarget.strongShare, 2.0 / 3);
        QVERIFY(!ev.atTarget.costRatio);
    }

    void badInput()
    {
        const QStringList pair { QStringLiteral("--strong"), QStringLiteral("big"), QStringLiteral("--weak"),
            QStringLiteral("small") };
        const QString out = m_dir.filePath(QStringLiteral("r.json"));
        // a missing file
        Run r = ctl(QStringList { QStringLiteral("route"), QStringLiteral("train"), QStringLiteral("--data"),
                        m_dir.filePath(QStringLiteral("nope.jsonl")), QStringLiteral("--out"), out }
            + pair);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("cannot read")) && r.err.contains(QStringLiteral("nope.jsonl")),
            qPrintable(r.err));
        // a line that is not JSON: its line number
        const QString bad = write(QStringLiteral("bad.jsonl"),
            R"({"prompt": "x", "answers": {"big": {"correct": true}, "small": {"correct": false}}}
{"prompt": "y", "answers": )");
        r = ctl(QStringList { QStringLiteral("route"), QStringLiteral("train"), QStringLiteral("--data"), bad,
                    QStringLiteral("--out"), out }
            + pair);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("bad.jsonl:2:")), qPrintable(r.err));
        // a model no row has: the message lists the ones there are
        r = ctl({ QStringLiteral("route"), QStringLiteral("train"), QStringLiteral("--data"), kSmall,
            QStringLiteral("--out"), out, QStringLiteral("--strong"), QStringLiteral("gpt-9"), QStringLiteral("--weak"),
            QStringLiteral("small") });
        QCOMPARE(r.code, 1);
        QVERIFY2(
            r.err.contains(QStringLiteral("gpt-9")) && r.err.contains(QStringLiteral("big, small")), qPrintable(r.err));
        // a row missing one of the pair
        const QString partial = write(QStringLiteral("partial.jsonl"),
            R"({"prompt": "x", "answers": {"big": {"correct": true}, "small": {"correct": false}}}
{"prompt": "y", "answers": {"big": {"correct": true}}}
)");
        r = ctl(QStringList { QStringLiteral("route"), QStringLiteral("train"), QStringLiteral("--data"), partial,
                    QStringLiteral("--out"), out }
            + pair);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("partial.jsonl:2: no answer of small")), qPrintable(r.err));
        // no correct/score
        const QString unlabelled = write(QStringLiteral("unlabelled.jsonl"),
            R"({"prompt": "x", "answers": {"big": {"text": "a"}, "small": {"correct": false}}})");
        r = ctl(QStringList { QStringLiteral("route"), QStringLiteral("train"), QStringLiteral("--data"), unlabelled,
                    QStringLiteral("--out"), out }
            + pair);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("no \"correct\" or \"score\"")), qPrintable(r.err));
        // usage
        r = ctl({ QStringLiteral("route"), QStringLiteral("train"), QStringLiteral("--data"), kSmall });
        QCOMPARE(r.code, 2);
        r = ctl({ QStringLiteral("route"), QStringLiteral("frobnicate") });
        QCOMPARE(r.code, 2);

        // unpriced models: flagged, cost_ratio null (never a ratio computed with $0)
        const QString router = write(QStringLiteral("length2.json"), lengthRouterJson(false));
        r = ctl({ QStringLiteral("route"), QStringLiteral("eval"), QStringLiteral("--router"), router,
            QStringLiteral("--data"), kSmall, QStringLiteral("--json") });
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.contains(QStringLiteral("no price for big")), qPrintable(r.err));
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QVERIFY(o.value(QStringLiteral("at_95")).toObject().value(QStringLiteral("cost_ratio")).isNull());
        QCOMPARE(o.value(QStringLiteral("unpriced")).toArray().size(), 2);
        // a cascade with a router that has none
        r = ctl({ QStringLiteral("route"), QStringLiteral("eval"), QStringLiteral("--router"), router,
            QStringLiteral("--data"), kSmall, QStringLiteral("--strategy"), QStringLiteral("cascade") });
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("no cascade part")), qPrintable(r.err));
        // a file that is no router model
        const QString notRouter = write(QStringLiteral("not-router.json"), R"({"format": "l0-safety-model/1"})");
        r = ctl({ QStringLiteral("route"), QStringLiteral("eval"), QStringLiteral("--router"), notRouter,
            QStringLiteral("--data"), kSmall });
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("l0-router-model/1")), qPrintable(r.err));
        // a model of another feature version is refused
        QJsonObject old = QJsonDocument::fromJson(lengthRouterJson(false)).object();
        old.insert(QStringLiteral("features"), kRouteFeaturesVersion + 1);
        auto refused = RouterModel::fromJson(QJsonDocument(old).toJson());
        QVERIFY(!refused);
        QVERIFY(refused.error().message.contains(QStringLiteral("retrain")));
        QVERIFY(RouterModel::load(m_dir.filePath(QStringLiteral("missing.json"))).error().code == ErrorCode::NotFound);
    }

    void crossValidationFromTheCommandLine()
    {
        QByteArray lines;
        for (const RouteExample &r : syntheticRows(60))
            lines += QJsonDocument(
                         QJsonObject { { QStringLiteral("prompt"), r.prompt },
                             { QStringLiteral("answers"),
                                 QJsonObject {
                                     { QStringLiteral("big"),
                                         QJsonObject { { QStringLiteral("text"), QStringLiteral("x").repeated(80) },
                                             { QStringLiteral("correct"), r.strongQuality > 0 } } },
                                     { QStringLiteral("small"),
                                         QJsonObject { { QStringLiteral("text"), r.weakText },
                                             { QStringLiteral("correct"), r.weakQuality > 0 } } } } } })
                         .toJson(QJsonDocument::Compact)
                + '\n';
        const QString data = write(QStringLiteral("synthetic.jsonl"), lines);
        const QString prices = write(QStringLiteral("prices2.json"), kPrices);
        const QStringList args { QStringLiteral("route"), QStringLiteral("eval"), QStringLiteral("--folds"),
            QStringLiteral("3"), QStringLiteral("--data"), data, QStringLiteral("--strong"), QStringLiteral("big"),
            QStringLiteral("--weak"), QStringLiteral("small"), QStringLiteral("--prices"), prices,
            QStringLiteral("--bits"), QStringLiteral("12"), QStringLiteral("--json") };
        const Run a = ctl(args);
        QVERIFY2(a.code == 0, qPrintable(a.err));
        const Run b = ctl(args);
        QCOMPARE(a.out, b.out); // deterministic folds and training
        const QJsonObject o = QJsonDocument::fromJson(a.out.toUtf8()).object();
        QCOMPARE(o.value(QStringLiteral("prompts")).toInt(), 60);
        QCOMPARE(o.value(QStringLiteral("folds")).toInt(), 3);
        QVERIFY(o.value(QStringLiteral("at_95")).toObject().value(QStringLiteral("strong_share")).toDouble() < 1.0);
    }
};

QTEST_GUILESS_MAIN(TestRouterModel)
#include "tst_routermodel.moc"
