// Route policies on a real node over HTTP, with the simulated upstream as an HTTP server that
// counts the calls per model: a tenant without a policy is never routed (and l0/auto is no model
// for it); fixed sends l0/auto to the dearest candidate; learned sends each miss to the model
// the router model picks; cascade asks the cheap model first and the dear one when the cheap
// answer scores low, and the ledger prices both calls; streams under cascade are routed as
// learned; the pool's retries apply to the routed model; learned takes two candidates, and a
// cascade through three asks them in turn from the cheapest, stopping at the first answer kept,
// passing over a failed one, and pricing every call. The expected model of each request is
// worked out here from the router model itself, never hard-coded.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

#include "ledger/pricetable.h"
#include "nodefixture.h"
#include "route/modelrouter.h"
#include "route/routefeatures.h"
#include "route/routermodel.h"
#include "route/routesettings.h"
#include "store/sqlsession.h"
#include "upstream/simulatedprovider.h"
#include "upstream/simulatedupstreamserver.h"

using namespace l0;

namespace {

const QString kWeak = QStringLiteral("gpt-4o-mini");
const QString kStrong = QStringLiteral("gpt-4o");
const QString kMiddle = QStringLiteral("gpt-4.1-mini"); // between the two in price

QByteArray ask(const QString &model, const QString &prompt, bool stream = false)
{
    QJsonObject o { { QStringLiteral("model"), model },
        { QStringLiteral("messages"),
            QJsonArray { QJsonObject {
                { QStringLiteral("role"), QStringLiteral("user") }, { QStringLiteral("content"), prompt } } } } };
    if (stream)
        o.insert(QStringLiteral("stream"), true);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// Prompts of every kind: short facts, arithmetic, multi-step reasoning, code, long essays.
const QStringList kPrompts {
    QStringLiteral("What is the capital of France?"),
    QStringLiteral("hi"),
    QStringLiteral("Translate 'good morning' into Spanish."),
    QStringLiteral("Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. "
                   "How many clips did Natalia sell altogether in April and May? Think step by step."),
    QStringLiteral("Write a Python function that parses an ISO 8601 duration such as P3DT4H into seconds, with "
                   "unit tests, and explain the edge cases.\n```python\ndef parse(s):\n    pass\n```"),
    QStringLiteral("Prove that the square root of 2 is irrational. Then generalise the proof to the square root of "
                   "any prime p, and explain each step of the argument in detail."),
    QStringLiteral("Which of these is a mammal? A) shark B) dolphin C) trout D) octopus"),
    QStringLiteral("Compose a 500-word short story about a lighthouse keeper who discovers a message in a bottle, "
                   "with a twist ending, vivid imagery and dialogue between three characters."),
    QStringLiteral("A train leaves at 3:15 pm travelling 80 km/h; a second leaves the same station at 4:00 pm at "
                   "120 km/h. At what time does the second catch the first? Show your work."),
    QStringLiteral("Name a colour."),
    QStringLiteral("Explain the difference between TCP and UDP, then design a reliable messaging protocol on top of "
                   "UDP with acknowledgements, retransmission and congestion control; give pseudocode."),
    QStringLiteral("Is 17 a prime number?"),
    QStringLiteral("Solve for x: 3x^2 - 12x + 9 = 0, then find the vertex of the parabola and its axis."),
    QStringLiteral("Summarise the plot of Romeo and Juliet in one sentence."),
    QStringLiteral("Refactor this C++ code to use RAII and explain why:\n```cpp\nFILE *f = fopen(p, \"r\");\nif "
                   "(!f) return;\nread(f);\nfclose(f);\n```"),
    QStringLiteral("What year did the Berlin Wall fall?"),
};

ChatRequest promptRequest(const QString &model, const QString &prompt)
{
    ChatRequest r = RouterModel::requestForPrompt(prompt);
    r.model = model;
    return r;
}

// A router model of the test's own, written to a file a policy names (as a tenant's own router
// would be): its learned and cascade parts score a request by its length alone, split at the
// median of the prompts above, so that both sides are populated whatever the shipped model says.
QByteArray testRouterJson()
{
    constexpr int bits = 10;
    std::vector<double> lengths;
    for (const QString &p : kPrompts) {
        RouteFeatures f;
        requestFeatures(promptRequest(kStrong, p), bits, f);
        lengths.push_back(f.dense.at(0)); // log_chars
    }
    std::sort(lengths.begin(), lengths.end());
    const double median = (lengths[lengths.size() / 2 - 1] + lengths[lengths.size() / 2]) / 2;
    auto logit = [&](size_t dense) {
        RouteLogit l;
        l.denseMean.assign(dense, 0.0);
        l.denseScale.assign(dense, 1.0);
        l.denseWeights.assign(dense, 0.0);
        l.denseMean[0] = median;
        l.denseWeights[0] = -3.0; // shorter than the median: the cheap model will do
        l.bits = bits;
        l.hashedWeights.assign(size_t(1) << bits, 0.0f);
        return l;
    };
    RouterModel::Parts parts;
    parts.name = QStringLiteral("tst_routing");
    parts.strong = kStrong;
    parts.weak = kWeak;
    parts.learned = logit(size_t(requestFeatureNames().size()));
    parts.cascade = logit(size_t(requestFeatureNames().size() + answerFeatureNames().size()));
    parts.learnedCurve = { { 0.5, 0.5, 0.96 }, { 0.0, 0.0, 0.8 }, { 1.01, 1.0, 1.0 } };
    parts.cascadeCurve = parts.learnedCurve;
    return RouterModel::fromParts(std::move(parts)).toJson();
}

QString simAnswer(const QString &model, const QString &prompt)
{
    return SimulatedProvider::answer(promptRequest(model, prompt))->text();
}

// A router model for cascades through more than two candidates: its cascade part scores the
// answer by its length alone (longer answers are kept), split at the median length of the cheap
// and middle candidates' answers to the prompts above, so that some prompts stop at each step.
QByteArray answerLengthRouterJson()
{
    constexpr int bits = 10;
    const size_t requestDense = size_t(requestFeatureNames().size());
    std::vector<double> lengths;
    for (const QString &p : kPrompts) {
        for (const QString &m : { kWeak, kMiddle }) {
            RouteFeatures f;
            cascadeFeatures(promptRequest(kStrong, p), simAnswer(m, p), bits, f);
            lengths.push_back(f.dense.at(requestDense)); // answer_log_chars
        }
    }
    std::sort(lengths.begin(), lengths.end());
    const double median = (lengths[lengths.size() / 2 - 1] + lengths[lengths.size() / 2]) / 2;
    auto logit = [&](size_t dense) {
        RouteLogit l;
        l.denseMean.assign(dense, 0.0);
        l.denseScale.assign(dense, 1.0);
        l.denseWeights.assign(dense, 0.0);
        l.bits = bits;
        l.hashedWeights.assign(size_t(1) << bits, 0.0f);
        return l;
    };
    RouterModel::Parts parts;
    parts.name = QStringLiteral("tst_routing_answer_length");
    parts.strong = kStrong;
    parts.weak = kWeak;
    parts.learned = logit(requestDense);
    parts.cascade = logit(requestDense + size_t(answerFeatureNames().size()));
    parts.cascade.denseMean[requestDense] = median;
    parts.cascade.denseWeights[requestDense] = 3.0;
    parts.learnedCurve = { { 0.5, 0.5, 0.96 }, { 0.0, 0.0, 0.8 }, { 1.01, 1.0, 1.0 } };
    parts.cascadeCurve = parts.learnedCurve;
    return RouterModel::fromParts(std::move(parts)).toJson();
}

} // namespace

class TestRouting : public QObject {
    Q_OBJECT
    std::unique_ptr<SimulatedUpstreamServer> m_sim;
    std::unique_ptr<NodeFixture> m_f;
    std::optional<RouterModel> m_router;
    QTemporaryDir m_dir;
    PriceTable m_prices;

    NodeConfig simConfig() const
    {
        NodeConfig config;
        UpstreamConfig up;
        up.name = QStringLiteral("sim-http");
        up.kind = QStringLiteral("openai");
        up.baseUrl = QStringLiteral("http://127.0.0.1:%1/v1").arg(m_sim->port());
        up.apiKey = "sk-sim";
        up.models = QStringList { kWeak, kMiddle, kStrong };
        config.upstreams = { up };
        config.retry.baseBackoffMs = 1;
        config.retry.maxBackoffMs = 2;
        config.breaker.minCalls = 10'000;
        return config;
    }

    void setRoutes(const char *tenant, const QList<RoutePolicy> &policies)
    {
        auto store = m_f->store();
        const auto s = setTenantRoutePolicies(store->session(), QLatin1String(tenant), policies);
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().message));
        m_f->settle();
    }

    QString m_routerPath;

    // The answer-length router (answerLengthRouterJson) in the test's directory: its path, or
    // empty when it could not be written.
    QString writeAnswerLengthRouter() const
    {
        const QString path = m_dir.filePath(QStringLiteral("router-answer-length.json"));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(answerLengthRouterJson()) < 0)
            return QString();
        return path;
    }

    RoutePolicy policy(const QString &model, RouteStrategy strategy, double target = 0.95) const
    {
        RoutePolicy p;
        p.router = m_routerPath;
        p.model = model;
        p.candidates = { kWeak, kStrong };
        p.strategy = strategy;
        p.qualityTarget = target;
        return p;
    }

    struct Event {
        QString requested, used, route;
        std::optional<qint64> actual, baseline;
        qint64 promptTokens = 0, completionTokens = 0;
        int attempts = 0;
    };
    // The ledger events of a tenant, oldest first.
    QList<Event> events(const char *tenant)
    {
        m_f->settle();
        auto rows = m_f->store()->session().query(
            QStringLiteral("SELECT model_requested, model_used, route, actual_micros, baseline_micros, prompt_tokens, "
                           "completion_tokens, attempts FROM ledger_events WHERE tenant_id = (SELECT id FROM tenants "
                           "WHERE name = ?) ORDER BY id"),
            { SqlSession::str(QLatin1String(tenant)) });
        QList<Event> out;
        if (!rows)
            return out;
        for (const auto &r : *rows) {
            Event e { r.text(0), r.text(1), r.text(2) };
            if (!r.isNull(3))
                e.actual = r.int64(3);
            if (!r.isNull(4))
                e.baseline = r.int64(4);
            e.promptTokens = r.int64(5);
            e.completionTokens = r.int64(6);
            e.attempts = int(r.int64(7));
            out << e;
        }
        return out;
    }

    // The value of one series of the node's /metrics (-1: absent); checked by promtool when it
    // is installed.
    qint64 metric(const QByteArray &series)
    {
        const QByteArray text = m_f->request("GET", QStringLiteral("/metrics"), {}).body;
        const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
        if (!promtool.isEmpty()) {
            QProcess p;
            p.setProcessChannelMode(QProcess::MergedChannels);
            p.start(promtool, { QStringLiteral("check"), QStringLiteral("metrics") });
            p.write(text);
            p.closeWriteChannel();
            p.waitForFinished(30000);
            const QByteArray said = p.readAll();
            if (p.exitCode() != 0 || !said.trimmed().isEmpty()) {
                qWarning().noquote() << "promtool check metrics:" << said;
                return -2;
            }
        }
        for (const QByteArray &line : text.split('\n')) {
            if (line.startsWith(QByteArray(series + ' ')))
                return line.mid(series.size() + 1).toLongLong();
        }
        return -1;
    }

    static TokenUsage usageOf(const NodeFixture::Reply &r)
    {
        const QJsonObject u = r.json.value(QStringLiteral("usage")).toObject();
        return TokenUsage { u.value(QStringLiteral("prompt_tokens")).toInteger(),
            u.value(QStringLiteral("completion_tokens")).toInteger() };
    }

    // A quality target under which the scores fall on both sides of the router's threshold for
    // the strategy, and the prompts on each side; fails when the router gives no such split.
    struct Split {
        double target = 0.95;
        double threshold = 0;
        QStringList weak, strong; // learned: routed to weak/strong; cascade: kept/rejected
    };
    Split split(RouteStrategy strategy) const
    {
        Split best;
        for (double target : { 0.95, 0.9, 0.97, 0.85, 0.99, 0.8, 0.7, 1.0, 0.6, 0.5 }) {
            const auto t = m_router->thresholdFor(target, strategy);
            if (!t)
                continue;
            Split s { target, *t, {}, {} };
            for (const QString &p : kPrompts) {
                const double score = strategy == RouteStrategy::Learned
                    ? m_router->weakGoodProbability(promptRequest(kStrong, p))
                    : m_router->cascadeAcceptScore(
                        promptRequest(kStrong, p), SimulatedProvider::answer(promptRequest(kWeak, p))->text());
                (score >= *t ? s.weak : s.strong) << p;
            }
            if (!s.weak.isEmpty() && !s.strong.isEmpty())
                return s;
        }
        return best;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_routerPath = m_dir.filePath(QStringLiteral("router.json"));
        QFile file(m_routerPath);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(testRouterJson());
        file.close();
        auto router = RouterModel::load(m_routerPath);
        QVERIFY2(router.ok(), qPrintable(router.ok() ? QString() : router.error().message));
        m_router = std::move(*router);
        m_prices = PriceTable::builtin().value();
        SimulatedUpstreamOptions o;
        o.apiKey = "sk-sim";
        m_sim = std::make_unique<SimulatedUpstreamServer>(o);
        QVERIFY(m_sim->start().ok());
    }

    void init()
    {
        m_sim->setConfig({});
        m_sim->resetStats();
        m_f = std::make_unique<NodeFixture>();
        QVERIFY(m_f->start(simConfig()));
    }
    void cleanup() { m_f.reset(); }

    void policiesReadBackAndRefuseWhatCannotRoute()
    {
        QList<RoutePolicy> ps { policy(QString(kAutoModel), RouteStrategy::Cascade, 0.9),
            policy(kStrong, RouteStrategy::Learned) };
        ps[0].router.clear(); // the built-in one
        ps[1].router = QStringLiteral("/etc/l0/router.json");
        const auto back = routePoliciesFromJson(routePoliciesToJson(ps));
        QVERIFY(back.ok());
        QCOMPARE(*back, ps);
        QCOMPARE(findRoutePolicy(*back, kStrong)->router, QStringLiteral("/etc/l0/router.json"));
        QVERIFY(!findRoutePolicy(*back, kWeak));
        QCOMPARE(ps[0].baselineModel(), kStrong); // l0/auto is priced at its dearest candidate
        QCOMPARE(ps[1].baselineModel(), kStrong);

        RoutePolicy one = policy(kStrong, RouteStrategy::Learned);
        one.candidates = { kWeak };
        QVERIFY(!checkRoutePolicy(one));
        RoutePolicy noTarget = policy(kStrong, RouteStrategy::Cascade, 1.5);
        QVERIFY(!checkRoutePolicy(noTarget));
        RoutePolicy bareAlias { QString(kAutoModel), {}, RouteStrategy::Fixed };
        QVERIFY(!checkRoutePolicy(bareAlias));
        QVERIFY(!routePoliciesFromJson(R"([{"model":"gpt-4o","strategy":"cheapest"}])"));
        auto store = m_f->store();
        QCOMPARE(
            setTenantRoutePolicies(store->session(), QStringLiteral("nobody"), ps).error().code, ErrorCode::NotFound);
        QVERIFY(!setTenantRoutePolicies(store->session(), QStringLiteral("approved"), { ps[1], ps[1] }));
        QVERIFY(setTenantRoutePolicies(store->session(), QStringLiteral("approved"), ps).ok());
        QCOMPARE(store->tenantByName(QStringLiteral("approved"))->routePolicies, routePoliciesToJson(ps));
        QVERIFY(store->tenantByName(QStringLiteral("auto"))->routePolicies.isEmpty());
    }

    // Only the tenant that opted in is routed; the others get what they name, as before.
    void aTenantWithoutAPolicyIsNeverRouted()
    {
        setRoutes(
            "approved", { policy(kStrong, RouteStrategy::Fixed), policy(QString(kAutoModel), RouteStrategy::Learned) });
        // The routed tenant asks first (on every worker thread), so nothing it set can leak.
        for (int i = 0; i < 6; ++i) {
            const auto r = m_f->chat(m_f->keyApproved, ask(kStrong, kPrompts.at(i)));
            QCOMPARE(r.headers.value("x-l0-route"), QByteArray("fixed"));
        }
        m_sim->resetStats();
        for (const QString &p : kPrompts) {
            const auto r = m_f->chat(m_f->keyAuto, ask(kStrong, p));
            QCOMPARE(r.status, 200);
            QVERIFY(!r.headers.contains("x-l0-route"));
            QCOMPARE(r.headers.value("x-l0-model"), kStrong.toUtf8());
            QCOMPARE(r.json.value(QStringLiteral("model")).toString(), kStrong);
        }
        QCOMPARE(m_sim->calls(kStrong), kPrompts.size());
        QCOMPARE(m_sim->calls(kWeak), 0);
        const auto alias = m_f->chat(m_f->keyAuto, ask(QString(kAutoModel), kPrompts.first()));
        QCOMPARE(alias.status, 404); // l0/auto is no model for a tenant without a policy for it
        for (const Event &e : events("auto")) {
            QVERIFY(e.route.isEmpty());
            if (e.used == kStrong)
                QCOMPARE(e.actual, e.baseline);
        }
    }

    void fixedSendsTheAliasToTheDearestCandidate()
    {
        setRoutes("approved", { policy(QString(kAutoModel), RouteStrategy::Fixed) });
        const auto r = m_f->chat(m_f->keyApproved, ask(QString(kAutoModel), kPrompts.at(0)));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers.value("x-l0-route"), QByteArray("fixed"));
        QCOMPARE(r.headers.value("x-l0-model"), kStrong.toUtf8());
        QCOMPARE(r.json.value(QStringLiteral("model")).toString(), kStrong);
        QCOMPARE(NodeFixture::content(r), SimulatedProvider::answer(promptRequest(kStrong, kPrompts.at(0)))->text());
        QCOMPARE(m_sim->calls(kStrong), 1);
        const auto ev = events("approved");
        QCOMPARE(ev.size(), 1);
        QCOMPARE(ev[0].requested, QString(kAutoModel));
        QCOMPARE(ev[0].used, kStrong);
        QCOMPARE(ev[0].route, QStringLiteral("fixed"));
        QCOMPARE(ev[0].baseline, m_prices.cost(kStrong, usageOf(r)));
        QCOMPARE(ev[0].actual, ev[0].baseline);
    }

    void learnedSendsEachMissToTheModelTheRouterPicks()
    {
        const Split s = split(RouteStrategy::Learned);
        QVERIFY2(!s.weak.isEmpty() && !s.strong.isEmpty(), "the router puts every prompt on one side");
        setRoutes("approved", { policy(kStrong, RouteStrategy::Learned, s.target) });
        // What the node decides is what the router model says.
        ModelRouter router;
        for (const QString &p : kPrompts) {
            const RouteDecision d
                = router.decide(policy(kStrong, RouteStrategy::Learned, s.target), promptRequest(kStrong, p));
            QCOMPARE(d.applied, RouteStrategy::Learned);
            QCOMPARE(d.model, s.weak.contains(p) ? kWeak : kStrong);
        }
        qint64 weakCalls = 0, strongCalls = 0;
        for (const QString &p : kPrompts) {
            const QString expected = s.weak.contains(p) ? kWeak : kStrong;
            (expected == kWeak ? weakCalls : strongCalls) += 1;
            const auto r = m_f->chat(m_f->keyApproved, ask(kStrong, p));
            QCOMPARE(r.status, 200);
            QCOMPARE(r.headers.value("x-l0-route"), QByteArray("learned"));
            QCOMPARE(r.headers.value("x-l0-model"), expected.toUtf8());
            QCOMPARE(r.json.value(QStringLiteral("model")).toString(), expected);
            QCOMPARE(NodeFixture::content(r), SimulatedProvider::answer(promptRequest(expected, p))->text());
            QCOMPARE(m_sim->calls(kWeak), weakCalls);
            QCOMPARE(m_sim->calls(kStrong), strongCalls);
        }
        const auto ev = events("approved");
        QCOMPARE(ev.size(), kPrompts.size());
        for (int i = 0; i < ev.size(); ++i) {
            const QString expected = s.weak.contains(kPrompts[i]) ? kWeak : kStrong;
            const TokenUsage usage { ev[i].promptTokens, ev[i].completionTokens };
            QCOMPARE(ev[i].requested, kStrong);
            QCOMPARE(ev[i].used, expected);
            QCOMPARE(ev[i].route, QStringLiteral("learned"));
            QCOMPARE(ev[i].baseline, m_prices.cost(kStrong, usage)); // the requested model's price
            QCOMPARE(ev[i].actual, m_prices.cost(expected, usage)); // what was paid
            QCOMPARE(ev[i].attempts, 1);
        }
    }

    void cascadePaysForBothCallsWhenTheCheapAnswerIsRejected()
    {
        const Split s = split(RouteStrategy::Cascade);
        QVERIFY2(!s.weak.isEmpty() && !s.strong.isEmpty(), "the cascade keeps every answer or none");
        setRoutes("approved", { policy(QString(kAutoModel), RouteStrategy::Cascade, s.target) });

        const QString kept = s.weak.first();
        auto r = m_f->chat(m_f->keyApproved, ask(QString(kAutoModel), kept));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers.value("x-l0-route"), QByteArray("cascade"));
        QCOMPARE(r.headers.value("x-l0-model"), kWeak.toUtf8());
        QCOMPARE(r.json.value(QStringLiteral("model")).toString(), kWeak);
        QCOMPARE(m_sim->calls(kWeak), 1);
        QCOMPARE(m_sim->calls(kStrong), 0);
        const TokenUsage keptUsage = usageOf(r);

        const QString rejected = s.strong.first();
        r = m_f->chat(m_f->keyApproved, ask(QString(kAutoModel), rejected));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers.value("x-l0-route"), QByteArray("cascade"));
        QCOMPARE(r.headers.value("x-l0-model"), kStrong.toUtf8());
        QCOMPARE(r.json.value(QStringLiteral("model")).toString(), kStrong);
        QCOMPARE(NodeFixture::content(r), SimulatedProvider::answer(promptRequest(kStrong, rejected))->text());
        QCOMPARE(m_sim->calls(kWeak), 2); // asked first...
        QCOMPARE(m_sim->calls(kStrong), 1); // ...and then the dear one
        const TokenUsage strongUsage = usageOf(r);
        const TokenUsage weakUsage = SimulatedProvider::answer(promptRequest(kWeak, rejected))->usage;

        const auto ev = events("approved");
        QCOMPARE(ev.size(), 2);
        QCOMPARE(ev[0].requested, QString(kAutoModel));
        QCOMPARE(ev[0].used, kWeak);
        QCOMPARE(ev[0].route, QStringLiteral("cascade"));
        QCOMPARE(ev[0].actual, m_prices.cost(kWeak, keptUsage));
        QCOMPARE(ev[0].baseline, m_prices.cost(kStrong, keptUsage)); // l0/auto: the dearest candidate's price
        QCOMPARE(ev[1].used, kStrong);
        QCOMPARE(ev[1].route, QStringLiteral("cascade"));
        // Both calls are paid: the rejected cheap answer does not vanish from the ledger.
        QCOMPARE(ev[1].actual, *m_prices.cost(kStrong, strongUsage) + *m_prices.cost(kWeak, weakUsage));
        QCOMPARE(ev[1].baseline, m_prices.cost(kStrong, strongUsage));
        QCOMPARE(ev[1].promptTokens, strongUsage.promptTokens + weakUsage.promptTokens);
        QCOMPARE(ev[1].completionTokens, strongUsage.completionTokens + weakUsage.completionTokens);
        QCOMPARE(ev[1].attempts, 2);
    }

    // When the dear model fails after the cheap answer was rejected, the paid cheap answer is
    // served rather than an error.
    void cascadeServesTheCheapAnswerWhenTheDearOneFails()
    {
        const Split s = split(RouteStrategy::Cascade);
        QVERIFY(!s.strong.isEmpty());
        setRoutes("approved", { policy(kStrong, RouteStrategy::Cascade, s.target) });
        SimulatedUpstreamConfig c;
        SimulatedFaults down;
        down.errorRate = 1.0;
        down.errorStatus = 400; // not retried
        c.models.insert(kStrong, down);
        m_sim->setConfig(c);
        const auto r = m_f->chat(m_f->keyApproved, ask(kStrong, s.strong.first()));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers.value("x-l0-model"), kWeak.toUtf8());
        QCOMPARE(NodeFixture::content(r), SimulatedProvider::answer(promptRequest(kWeak, s.strong.first()))->text());
        QVERIFY(m_sim->calls(kStrong) >= 1);
        const auto ev = events("approved");
        QCOMPARE(ev.size(), 1);
        QCOMPARE(ev[0].used, kWeak);
        QCOMPARE(ev[0].actual, m_prices.cost(kWeak, usageOf(r)));
    }

    // A stream is not held back for a second call: under cascade it is routed as learned.
    void streamsUnderCascadeAreRoutedAsLearned()
    {
        const Split s = split(RouteStrategy::Learned);
        QVERIFY(!s.weak.isEmpty() && !s.strong.isEmpty());
        RoutePolicy p = policy(kStrong, RouteStrategy::Cascade, s.target);
        setRoutes("approved", { p });
        for (const QString &prompt : { s.weak.first(), s.strong.first() }) {
            const QString expected = s.weak.contains(prompt) ? kWeak : kStrong;
            const auto r = m_f->chat(m_f->keyApproved, ask(kStrong, prompt, true));
            QCOMPARE(r.status, 200);
            QCOMPARE(r.headers.value("x-l0-route"), QByteArray("learned"));
            QCOMPARE(r.headers.value("x-l0-model"), expected.toUtf8());
            QVERIFY(r.body.contains(QByteArray(QByteArray("\"model\":\"") + expected.toUtf8() + '"')));
            QVERIFY(r.body.contains("[DONE]"));
        }
        QCOMPARE(m_sim->calls(kWeak), 1);
        QCOMPARE(m_sim->calls(kStrong), 1);
    }

    // Learned decides between one pair (its router model compares the cheap and the dear model):
    // three candidates are refused when set. A cascade takes two to kMaxCascadeCandidates
    // distinct ones.
    void moreThanTwoCandidatesAreForCascadesOnly()
    {
        RoutePolicy learned = policy(QString(kAutoModel), RouteStrategy::Learned);
        learned.candidates = { kWeak, kMiddle, kStrong };
        const auto refused = checkRoutePolicy(learned);
        QVERIFY(!refused);
        QCOMPARE(refused.error().field, QStringLiteral("candidates"));
        QVERIFY2(refused.error().message.contains(QLatin1String("use cascade")), qPrintable(refused.error().message));
        auto store = m_f->store();
        QCOMPARE(setTenantRoutePolicies(store->session(), QStringLiteral("approved"), { learned }).error().code,
            ErrorCode::InvalidArgument);
        QVERIFY(store->tenantByName(QStringLiteral("approved"))->routePolicies.isEmpty());

        RoutePolicy cascade = policy(QString(kAutoModel), RouteStrategy::Cascade);
        cascade.candidates = { kWeak, kMiddle, kStrong };
        QVERIFY(checkRoutePolicy(cascade).ok());
        QVERIFY(setTenantRoutePolicies(store->session(), QStringLiteral("approved"), { cascade }).ok());
        const auto back = routePoliciesFromJson(store->tenantByName(QStringLiteral("approved"))->routePolicies);
        QVERIFY(back.ok());
        QCOMPARE(back->at(0).candidates, cascade.candidates);
        RoutePolicy twice = cascade;
        twice.candidates = { kWeak, kMiddle, kWeak, kStrong };
        QVERIFY(!checkRoutePolicy(twice));
        RoutePolicy tooMany = cascade;
        tooMany.candidates = { QStringLiteral("gpt-4.1-nano"), kWeak, kMiddle, QStringLiteral("gpt-4.1"), kStrong };
        QCOMPARE(tooMany.candidates.size(), kMaxCascadeCandidates + 1);
        QVERIFY(!checkRoutePolicy(tooMany));
        tooMany.candidates.removeFirst();
        QVERIFY(checkRoutePolicy(tooMany).ok());

        // Where a three-candidate policy is routed as learned all the same (a stream under
        // cascade; an experiment arm's learned strategy), the pair is the cheapest and the dearest.
        ModelRouter router;
        for (const QString &p : kPrompts) {
            ChatRequest streamed = promptRequest(QString(kAutoModel), p);
            streamed.stream = true;
            const RouteDecision d = router.decide(cascade, streamed);
            QCOMPARE(d.applied, RouteStrategy::Learned);
            QVERIFY(d.model == kWeak || d.model == kStrong);
            QVERIFY(d.then.isEmpty());
            RoutePolicy arm = cascade;
            arm.strategy = RouteStrategy::Learned;
            QCOMPARE(router.decide(arm, promptRequest(QString(kAutoModel), p)).model, d.model);
        }
    }

    // A cascade through three candidates asks them in turn from the cheapest, serves the first
    // answer the router keeps (the last one's whatever it scores), and the ledger prices every
    // call it made. The prompts that stop at each step are worked out from the router model.
    void cascadeThroughThreeCandidatesStopsAtTheFirstAnswerKept()
    {
        const QString path = writeAnswerLengthRouter();
        QVERIFY(!path.isEmpty());
        const auto router = RouterModel::load(path);
        QVERIFY(router.ok());
        const double threshold = router->thresholdFor(0.95, RouteStrategy::Cascade).value();
        const QStringList chain { kWeak, kMiddle, kStrong };
        // For each prompt, the models asked: up to the first whose answer is kept.
        QList<QStringList> stopsAt(3);
        QHash<QString, QStringList> asked;
        for (const QString &p : kPrompts) {
            QStringList models;
            for (const QString &m : chain) {
                models << m;
                if (m == kStrong || router->cascadeAcceptScore(promptRequest(kStrong, p), simAnswer(m, p)) >= threshold)
                    break;
            }
            asked.insert(p, models);
            stopsAt[models.size() - 1] << p;
        }
        QVERIFY2(!stopsAt[0].isEmpty() && !stopsAt[1].isEmpty() && !stopsAt[2].isEmpty(),
            "the router's answers do not stop at every step");

        RoutePolicy p = policy(QString(kAutoModel), RouteStrategy::Cascade, 0.95);
        p.router = path;
        p.candidates = chain;
        setRoutes("approved", { p });
        const QStringList prompts { stopsAt[0].first(), stopsAt[1].first(), stopsAt[2].first() };
        QHash<QString, qint64> calls;
        for (const QString &prompt : prompts) {
            const QString served = asked.value(prompt).last();
            const auto r = m_f->chat(m_f->keyApproved, ask(QString(kAutoModel), prompt));
            QCOMPARE(r.status, 200);
            QCOMPARE(r.headers.value("x-l0-route"), QByteArray("cascade"));
            QCOMPARE(r.headers.value("x-l0-model"), served.toUtf8());
            QCOMPARE(r.json.value(QStringLiteral("model")).toString(), served);
            QCOMPARE(NodeFixture::content(r), simAnswer(served, prompt));
            for (const QString &m : asked.value(prompt))
                calls[m] += 1;
            for (const QString &m : chain)
                QCOMPARE(m_sim->calls(m), calls.value(m));
        }
        QCOMPARE(calls.value(kWeak), 3); // every cascade starts at the cheapest
        QCOMPARE(calls.value(kMiddle), 2);
        QCOMPARE(calls.value(kStrong), 1);

        const auto ev = events("approved");
        QCOMPARE(ev.size(), prompts.size());
        for (int i = 0; i < ev.size(); ++i) {
            const QStringList &models = asked.value(prompts[i]);
            const TokenUsage servedUsage = SimulatedProvider::answer(promptRequest(models.last(), prompts[i]))->usage;
            qint64 paid = 0, promptTokens = 0, completionTokens = 0;
            for (const QString &m : models) {
                const TokenUsage u = SimulatedProvider::answer(promptRequest(m, prompts[i]))->usage;
                paid += m_prices.cost(m, u).value();
                promptTokens += u.promptTokens;
                completionTokens += u.completionTokens;
            }
            QCOMPARE(ev[i].requested, QString(kAutoModel));
            QCOMPARE(ev[i].used, models.last());
            QCOMPARE(ev[i].route, QStringLiteral("cascade"));
            QCOMPARE(ev[i].actual, paid); // every call made, the answers not served included
            QCOMPARE(ev[i].baseline, m_prices.cost(kStrong, servedUsage)); // l0/auto: the dearest candidate
            QCOMPARE(ev[i].promptTokens, promptTokens);
            QCOMPARE(ev[i].completionTokens, completionTokens);
            QCOMPARE(ev[i].attempts, int(models.size()));
        }
        // /metrics: the routed requests by strategy and served model, and the steps up.
        QCOMPARE(metric(R"(l0_routed_requests_total{strategy="cascade",model="gpt-4o-mini"})"), 1);
        QCOMPARE(metric(R"(l0_routed_requests_total{strategy="cascade",model="gpt-4.1-mini"})"), 1);
        QCOMPARE(metric(R"(l0_routed_requests_total{strategy="cascade",model="gpt-4o"})"), 1);
        QCOMPARE(metric(R"(l0_routed_requests_total{strategy="learned",model="gpt-4o"})"), -1);
        QCOMPARE(metric(R"(l0_route_cascade_escalations_total{reason="rejected"})"), 3); // 0 + 1 + 2
        QCOMPARE(metric(R"(l0_route_cascade_escalations_total{reason="failed"})"), 0);
    }

    // A candidate that fails passes the turn to the next; when the dearest fails after answers
    // were rejected, the dearest rejected answer (paid for) is served rather than an error.
    void cascadeThroughThreeCandidatesSurvivesFailures()
    {
        const QString path = writeAnswerLengthRouter();
        QVERIFY(!path.isEmpty());
        const auto router = RouterModel::load(path);
        QVERIFY(router.ok());
        const double threshold = router->thresholdFor(0.95, RouteStrategy::Cascade).value();
        auto kept = [&](const QString &m, const QString &prompt) {
            return router->cascadeAcceptScore(promptRequest(kStrong, prompt), simAnswer(m, prompt)) >= threshold;
        };
        QString cheapRejected, allRejected;
        for (const QString &prompt : kPrompts) {
            if (!kept(kWeak, prompt) && cheapRejected.isEmpty())
                cheapRejected = prompt;
            if (!kept(kWeak, prompt) && !kept(kMiddle, prompt) && allRejected.isEmpty())
                allRejected = prompt;
        }
        QVERIFY(!cheapRejected.isEmpty() && !allRejected.isEmpty());
        RoutePolicy p = policy(kStrong, RouteStrategy::Cascade, 0.95);
        p.router = path;
        p.candidates = { kWeak, kMiddle, kStrong };
        setRoutes("approved", { p });
        auto usage = [](const QString &m, const QString &prompt) {
            return SimulatedProvider::answer(promptRequest(m, prompt))->usage;
        };
        SimulatedFaults down;
        down.errorRate = 1.0;
        down.errorStatus = 400; // not retried

        // The middle one down: the cheap answer rejected, the dear one asked and served.
        SimulatedUpstreamConfig middleDown;
        middleDown.models.insert(kMiddle, down);
        m_sim->setConfig(middleDown);
        auto r = m_f->chat(m_f->keyApproved, ask(kStrong, cheapRejected));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers.value("x-l0-model"), kStrong.toUtf8());
        QCOMPARE(NodeFixture::content(r), simAnswer(kStrong, cheapRejected));
        QCOMPARE(m_sim->calls(kWeak), 1);
        QCOMPARE(m_sim->calls(kMiddle), 1);
        QCOMPARE(m_sim->calls(kStrong), 1);

        // The dear one down after both cheaper answers were rejected: the middle one's is served.
        SimulatedUpstreamConfig strongDown;
        strongDown.models.insert(kStrong, down);
        m_sim->setConfig(strongDown);
        m_sim->resetStats();
        r = m_f->chat(m_f->keyApproved, ask(kStrong, allRejected));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers.value("x-l0-model"), kMiddle.toUtf8());
        QCOMPARE(NodeFixture::content(r), simAnswer(kMiddle, allRejected));
        QCOMPARE(m_sim->calls(kWeak), 1);
        QCOMPARE(m_sim->calls(kMiddle), 1);
        QCOMPARE(m_sim->calls(kStrong), 1);

        const auto ev = events("approved");
        QCOMPARE(ev.size(), 2);
        QCOMPARE(ev[0].used, kStrong);
        QCOMPARE(ev[0].actual,
            *m_prices.cost(kWeak, usage(kWeak, cheapRejected))
                + *m_prices.cost(kStrong, usage(kStrong, cheapRejected)));
        QCOMPARE(ev[0].attempts, 3); // the failed middle call included
        QCOMPARE(ev[1].used, kMiddle);
        QCOMPARE(ev[1].actual,
            *m_prices.cost(kWeak, usage(kWeak, allRejected)) + *m_prices.cost(kMiddle, usage(kMiddle, allRejected)));
        QCOMPARE(ev[1].baseline, m_prices.cost(kStrong, usage(kMiddle, allRejected)));
        QCOMPARE(ev[1].attempts, 3);
        QCOMPARE(metric(R"(l0_route_cascade_escalations_total{reason="rejected"})"), 3);
        QCOMPARE(metric(R"(l0_route_cascade_escalations_total{reason="failed"})"), 1);
        QCOMPARE(metric(R"(l0_routed_requests_total{strategy="cascade",model="gpt-4o"})"), 1);
        QCOMPARE(metric(R"(l0_routed_requests_total{strategy="cascade",model="gpt-4.1-mini"})"), 1);
    }

    // A router model that cannot be loaded sends the policy's misses to the dear candidate.
    void aMissingRouterSendsMissesToTheDearCandidate()
    {
        RoutePolicy p = policy(QString(kAutoModel), RouteStrategy::Learned);
        p.router = m_dir.filePath(QStringLiteral("no-such-router.json"));
        setRoutes("approved", { p });
        const auto r = m_f->chat(m_f->keyApproved, ask(QString(kAutoModel), kPrompts.at(1)));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers.value("x-l0-route"), QByteArray("fixed"));
        QCOMPARE(r.headers.value("x-l0-model"), kStrong.toUtf8());
        QCOMPARE(m_sim->calls(kWeak), 0);
    }

    // The pool still retries the model routing chose.
    void retriesApplyToTheRoutedModel()
    {
        const Split s = split(RouteStrategy::Learned);
        QVERIFY(!s.weak.isEmpty());
        setRoutes("approved", { policy(kStrong, RouteStrategy::Learned, s.target) });
        SimulatedUpstreamConfig c;
        SimulatedFaults once;
        once.script = { QStringLiteral("503") };
        c.models.insert(kWeak, once);
        m_sim->setConfig(c);
        const auto r = m_f->chat(m_f->keyApproved, ask(kStrong, s.weak.first()));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers.value("x-l0-model"), kWeak.toUtf8());
        QCOMPARE(m_sim->calls(kWeak), 2);
        QCOMPARE(m_sim->calls(kStrong), 0);
        const auto ev = events("approved");
        QCOMPARE(ev.size(), 1);
        QCOMPARE(ev[0].attempts, 2);
        QCOMPARE(ev[0].used, kWeak);
    }
};

QTEST_GUILESS_MAIN(TestRouting)
#include "tst_routing.moc"
