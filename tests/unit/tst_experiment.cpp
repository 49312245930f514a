#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <cmath>

#include "api/anthropiccodec.h"
#include "api/openaicodec.h"
#include "api/responsescodec.h"
#include "core/experiment.h"
#include "ledger/experimentstats.h"
#include "service/cacheservice.h"

using namespace l0;

namespace {

bool close(double got, double want, double tolerance = 1e-6)
{
    return std::fabs(got - want) <= tolerance * std::max(1.0, std::fabs(want));
}

Experiment twoArms(const QString &name, int weightA)
{
    Experiment x;
    x.id = 7;
    x.name = name;
    x.arms = { { QStringLiteral("A"), parseArmPolicy(QStringLiteral("cache:approved")).value(), weightA },
        { QStringLiteral("B"), parseArmPolicy(QStringLiteral("cache:shadow")).value(), 100 - weightA } };
    return x;
}

ChatRequest chat(const QString &firstUser, const QString &user = QString())
{
    ChatRequest r;
    r.model = QStringLiteral("gpt-4o-mini");
    r.user = user;
    r.messages = QJsonArray { QJsonObject { { QStringLiteral("role"), QStringLiteral("system") },
                                  { QStringLiteral("content"), QStringLiteral("be brief") } },
        QJsonObject { { QStringLiteral("role"), QStringLiteral("user") }, { QStringLiteral("content"), firstUser } } };
    return r;
}

} // namespace

// Arm policies, splits and assignment (pure functions), and the statistics of the report against
// values worked out by hand (closed forms and an independent numerical integration).
class TestExperiment : public QObject {
    Q_OBJECT
private slots:
    void policies()
    {
        auto p = parseArmPolicy(QStringLiteral("route:learned@0.9+cache:auto_low_risk"));
        QVERIFY(p.ok());
        QCOMPARE(p->route->strategy, QStringLiteral("learned"));
        QCOMPARE(*p->route->qualityTarget, 0.9);
        QCOMPARE(*p->cache, Policy::AutoLowRisk);
        QCOMPARE(p->text(), QStringLiteral("route:learned@0.9+cache:auto_low_risk"));
        QCOMPARE(parseArmPolicy(p->text()).value(), *p);
        // The cache part first reads the same and prints canonically.
        QCOMPARE(parseArmPolicy(QStringLiteral("cache:shadow+route:cascade"))->text(),
            QStringLiteral("route:cascade+cache:shadow"));
        QCOMPARE(parseArmPolicy(QStringLiteral("route:fixed"))->text(), QStringLiteral("route:fixed"));
        QVERIFY(!parseArmPolicy(QStringLiteral("route:fixed@gpt-4o")).ok());
        for (const char *bad : { "", "route:", "route:smart", "route:learned@1.5", "route:learned@0", "route:cascade@x",
                 "cache:always", "cache:shadow+cache:approved", "route:fixed+route:learned", "shadow" }) {
            const auto r = parseArmPolicy(QString::fromLatin1(bad));
            QVERIFY2(!r.ok(), bad);
            QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
        }
    }
    void splits()
    {
        QCOMPARE(parseSplit(QString(), 2).value(), (std::vector<int> { 50, 50 }));
        QCOMPARE(parseSplit(QString(), 3).value(), (std::vector<int> { 34, 33, 33 }));
        QCOMPARE(parseSplit(QStringLiteral("90/10"), 2).value(), (std::vector<int> { 90, 10 }));
        QVERIFY(!parseSplit(QStringLiteral("60/30"), 2).ok()); // sums to 90
        QVERIFY(!parseSplit(QStringLiteral("50/50"), 3).ok());
        QVERIFY(!parseSplit(QStringLiteral("100/0"), 2).ok());
        QVERIFY(!parseSplit(QStringLiteral("a/b"), 2).ok());
        QVERIFY(!parseSplit(QString(), 1).ok());
    }
    void assignmentUnits()
    {
        // The body's user first, then the token's, then the conversation's first user message.
        QCOMPARE(assignmentUnit(chat(QStringLiteral("hi"), QStringLiteral("u1")), QStringLiteral("tok")),
            QStringLiteral("user:u1"));
        QCOMPARE(assignmentUnit(chat(QStringLiteral("hi")), QStringLiteral("tok")), QStringLiteral("user:tok"));
        const QString conversation = assignmentUnit(chat(QStringLiteral("hi")), QString());
        QVERIFY(conversation.startsWith(QStringLiteral("conversation:")));
        // A later turn of the same conversation keeps its unit; another conversation does not.
        ChatRequest later = chat(QStringLiteral("hi"));
        later.messages.append(QJsonObject { { QStringLiteral("role"), QStringLiteral("assistant") },
            { QStringLiteral("content"), QStringLiteral("hello") } });
        later.messages.append(QJsonObject { { QStringLiteral("role"), QStringLiteral("user") },
            { QStringLiteral("content"), QStringLiteral("more") } });
        QCOMPARE(assignmentUnit(later, QString()), conversation);
        QVERIFY(assignmentUnit(chat(QStringLiteral("other")), QString()) != conversation);
        QVERIFY(assignmentUnit(ChatRequest {}, QString()).isEmpty());
    }
    void wiresCarryTheEndUser()
    {
        // What each API names the end user by; it never reaches the parameters (the exact key).
        auto openAi = api::parseOpenAiChat(R"({"model":"m","user":"u-1","messages":[{"role":"user","content":"hi"}]})");
        QCOMPARE(openAi->user, QStringLiteral("u-1"));
        QVERIFY(!openAi->params.contains(QStringLiteral("user")));
        auto anthropic = api::parseAnthropicMessages(
            R"({"model":"m","max_tokens":5,"metadata":{"user_id":"u-2"},"messages":[{"role":"user","content":"hi"}]})");
        QCOMPARE(anthropic->user, QStringLiteral("u-2"));
        QVERIFY(!anthropic->params.contains(QStringLiteral("metadata")));
        auto responses = api::parseResponses(R"({"model":"m","user":"u-3","input":"hi"})");
        QCOMPARE(responses->chat.user, QStringLiteral("u-3"));
        QVERIFY(api::parseOpenAiChat(R"({"model":"m","messages":[{"role":"user","content":"hi"}]})")->user.isEmpty());
    }
    void assignmentIsAFixedHash()
    {
        // The bucket is SHA-256("exp\nuser:alice")'s first 8 bytes mod 100, worked out by hand
        // (sha256sum): a constant, so any node, any restart, any build agrees.
        // printf 'exp\nuser:alice' | sha256sum: a9c98629dc8a7163..., 0xa9c98629dc8a7163 mod 100 = 75.
        QCOMPARE(assignmentBucket(QStringLiteral("exp"), QStringLiteral("user:alice")), 75);
        const Experiment x = twoArms(QStringLiteral("exp"), 50);
        QCOMPARE(assignArm(x, QStringLiteral("user:alice"))->name, QStringLiteral("B")); // 75 >= 50
        QCOMPARE(assignArm(twoArms(QStringLiteral("exp"), 76), QStringLiteral("user:alice"))->name,
            QStringLiteral("A")); // 75 < 76
        QCOMPARE(
            assignArm(twoArms(QStringLiteral("exp"), 75), QStringLiteral("user:alice"))->name, QStringLiteral("B"));
        QVERIFY(!assignArm(x, QString()));
        // Over many users the split is near the weights, and another experiment name reshuffles.
        int inA = 0, same = 0;
        const Experiment y = twoArms(QStringLiteral("exp-other"), 50);
        const Experiment ninety = twoArms(QStringLiteral("exp"), 90);
        int inA90 = 0;
        for (int i = 0; i < 10000; ++i) {
            const QString unit = QStringLiteral("user:%1").arg(i);
            const bool a = assignArm(x, unit)->name == QLatin1String("A");
            inA += a;
            same += a == (assignArm(y, unit)->name == QLatin1String("A"));
            inA90 += assignArm(ninety, unit)->name == QLatin1String("A");
        }
        QVERIFY2(inA > 4800 && inA < 5200, qPrintable(QString::number(inA)));
        QVERIFY2(same > 4800 && same < 5200, qPrintable(QString::number(same)));
        QVERIFY2(inA90 > 8850 && inA90 < 9150, qPrintable(QString::number(inA90)));
    }
    void armsNeverShareAnUpstreamCall()
    {
        // Identical misses coalesce into one upstream call, but not across arms: each arm's
        // policy must answer its own requests.
        auto prepared = std::make_shared<PreparedRequest>();
        prepared->scope = TierScope { 1, QStringLiteral("ns") };
        prepared->request = chat(QStringLiteral("same question"));
        CacheLookup a;
        a.prepared = prepared;
        CacheLookup b = a;
        QVERIFY(!a.flightKey().isEmpty());
        QCOMPARE(a.flightKey(), b.flightKey()); // outside any experiment: shared
        a.experimentId = b.experimentId = 3;
        a.arm = QStringLiteral("A");
        b.arm = QStringLiteral("B");
        QVERIFY(a.flightKey() != b.flightKey());
        b.arm = QStringLiteral("A");
        QCOMPARE(a.flightKey(), b.flightKey());
    }
    void tDistribution()
    {
        // Closed forms: df 1 is Cauchy, F(t) = 1/2 + atan(t)/pi; df 2, F(t) = 1/2 + t / (2 sqrt(2 + t^2)).
        for (double t : { -3.0, -0.5, 0.0, 0.7, 2.0, 12.7 }) {
            QVERIFY(close(stats::studentTCdf(t, 1), 0.5 + std::atan(t) / M_PI, 1e-9));
            QVERIFY(close(stats::studentTCdf(t, 2), 0.5 + t / (2 * std::sqrt(2 + t * t)), 1e-9));
        }
        // Table values of t(0.975, df).
        QVERIFY(close(stats::studentTQuantile(0.975, 1), 12.706204736, 1e-7));
        QVERIFY(close(stats::studentTQuantile(0.975, 4), 2.776445105, 1e-7));
        QVERIFY(close(stats::studentTQuantile(0.975, 10), 2.228138852, 1e-7));
        QVERIFY(close(stats::studentTQuantile(0.975, 30), 2.042272456, 1e-7));
        QVERIFY(close(stats::studentTQuantile(0.025, 4), -2.776445105, 1e-7));
        QVERIFY(close(stats::normalCdf(1.959963984540054), 0.975, 1e-12));
    }
    void welch()
    {
        // A = 1..5, B = 2, 4, ..., 10: means 3 and 6, variances 2.5 and 10; se^2 = 0.5 + 2 = 2.5,
        // t = 3 / sqrt(2.5) = 1.897367, df = 2.5^2 / (0.5^2/4 + 2^2/4) = 5.882353; the p-value and
        // the interval from a numerical integration of the t density (Simpson, 200000 steps).
        const auto a = stats::estimateMean({ 1, 2, 3, 4, 5 });
        const auto b = stats::estimateMean({ 2, 4, 6, 8, 10 });
        QCOMPARE(a.mean, 3.0);
        QVERIFY(close(a.sd, std::sqrt(2.5)));
        QVERIFY(close(*a.low, 1.036756838522345));
        QVERIFY(close(*a.high, 4.963243161477655));
        const auto c = stats::welchTest(a, b);
        QCOMPARE(c.difference, 3.0);
        QVERIFY(close(*c.statistic, 1.8973665961010275));
        QVERIFY(close(c.df, 5.882352941176471));
        QVERIFY(close(*c.pValue, 0.10753119493063323, 1e-5));
        QVERIFY(close(*c.low, -0.8877416437373364, 1e-5));
        QVERIFY(close(*c.high, 6.887741643737336, 1e-5));
        QVERIFY(!c.significant());
        // Too little data: no interval, no test.
        const auto one = stats::estimateMean({ 4 });
        QVERIFY(!one.low);
        QVERIFY(!stats::welchTest(one, b).pValue);
        // No spread at all: the difference is exact.
        const auto flat = stats::welchTest(stats::estimateMean({ 5, 5 }), stats::estimateMean({ 7, 7, 7 }));
        QCOMPARE(*flat.pValue, 0.0);
    }
    void proportions()
    {
        // Wilson 95% for 30/100 and 45/100; pooled z for their difference: p = 0.375,
        // se = sqrt(0.375 * 0.625 * 0.02), z = 0.15 / se = 2.190890, p = erfc(z / sqrt 2) = 0.028460.
        const auto a = stats::estimateProportion(30, 100);
        const auto b = stats::estimateProportion(45, 100);
        QVERIFY(close(*a.low, 0.2189488529493276));
        QVERIFY(close(*a.high, 0.3958485463334666));
        QVERIFY(close(*b.low, 0.3561453797951198));
        QVERIFY(close(*b.high, 0.5475539700255787));
        const auto c = stats::twoProportionTest(a, b);
        QVERIFY(close(c.difference, 0.15));
        QVERIFY(close(*c.statistic, 2.1908902300206647));
        QVERIFY(close(*c.pValue, 0.02845973691631057));
        QVERIFY(close(*c.low, 0.0174304933075648));
        QVERIFY(close(*c.high, 0.2825695066924352));
        QVERIFY(c.significant());
        QVERIFY(!stats::estimateProportion(0, 0).low);
        QVERIFY(!stats::twoProportionTest(stats::estimateProportion(0, 0), b).pValue);
    }
    void quantiles()
    {
        std::vector<double> v;
        for (int i = 1; i <= 20; ++i)
            v.push_back(i);
        // Nearest rank: p50 the 10th, p95 the 19th. Interval of p50: ranks 20*0.5 -/+ 1.96*sqrt(5),
        // floor(5.617) = 5 and ceil(14.383) + 1 = 16.
        const auto p50 = stats::estimateQuantile(v, 0.5);
        QCOMPARE(*p50.value, 10.0);
        QCOMPARE(*p50.low, 5.0);
        QCOMPARE(*p50.high, 16.0);
        QCOMPARE(*stats::estimateQuantile(v, 0.95).value, 19.0);
        QCOMPARE(*stats::estimateQuantile(v, 0.95).high, 20.0); // clamped to the largest
        QVERIFY(!stats::estimateQuantile({}, 0.5).value);
    }
};

QTEST_GUILESS_MAIN(TestExperiment)
#include "tst_experiment.moc"
