#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include "core/clock.h"
#include "upstream/anthropicprovider.h"
#include "upstream/circuitbreaker.h"
#include "upstream/openaiprovider.h"
#include "upstream/simulatedprovider.h"
#include "upstream/simulatedupstreamserver.h"
#include "upstream/upstreampool.h"

using namespace l0;

namespace {

ChatRequest ask(const QString &model, const QString &text)
{
    ChatRequest r;
    r.model = model;
    r.messages.append(
        QJsonObject { { QLatin1String("role"), QStringLiteral("user") }, { QLatin1String("content"), text } });
    return r;
}

struct Outcome {
    bool done = false;
    std::optional<ChatResult> result;
    std::optional<Error> error;
    QString announced;
    int deltas = 0;
};

// Runs one request through the pool on this thread's event loop.
Outcome run(UpstreamPool &pool, const ChatRequest &request)
{
    auto out = std::make_shared<Outcome>();
    ChatSink sink;
    sink.onDelta = [out](const QJsonObject &) { ++out->deltas; };
    sink.onComplete = [out](const ChatResult &r) {
        out->result = r;
        out->done = true;
    };
    sink.onError = [out](const Error &e) {
        out->error = e;
        out->done = true;
    };
    sink.onModel = [out](const QString &m) { out->announced = m; };
    auto call = pool.chat(request, sink);
    if (!QTest::qWaitFor([&] { return out->done; }, 20000))
        qWarning("the pool never answered");
    return *out;
}

// An OpenAI-compatible upstream nobody listens at: every attempt is a real refused connection.
UpstreamEndpoint deadEndpoint(const QStringList &models)
{
    OpenAiOptions o;
    o.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:1/v1"));
    o.apiKey = "sk-unused";
    o.timeoutMs = 2000;
    return UpstreamEndpoint { QStringLiteral("dead"), QStringLiteral("openai"), models,
        [o]() -> ChatProvider * { return new OpenAiProvider(o); } };
}

UpstreamEndpoint simEndpoint(const QString &name, const QStringList &models, std::shared_ptr<SimulatedStats> stats)
{
    return UpstreamEndpoint { name, QStringLiteral("sim"), models,
        [stats]() -> ChatProvider * { return new SimulatedProvider(SimulatedOptions {}, stats); } };
}

PoolOptions fastRetries()
{
    PoolOptions o;
    o.retry.maxAttempts = 3;
    o.retry.baseBackoffMs = 5;
    o.retry.maxBackoffMs = 20;
    o.retry.deadlineMs = 15000;
    o.breaker.minCalls = 4;
    o.breaker.failurePercent = 50;
    o.breaker.windowMs = 60000;
    o.breaker.openMs = 200;
    o.breaker.maxOpenMs = 1000;
    return o;
}

} // namespace

// The upstream pool: fallbacks, retries only where they may help, circuit breakers.
class TestUpstreamPool : public QObject {
    Q_OBJECT

private slots:
    void breakerOpensRestsProbesAndCloses()
    {
        BreakerConfig c;
        c.windowMs = 10000;
        c.minCalls = 4;
        c.failurePercent = 50;
        c.openMs = 1000;
        c.maxOpenMs = 3000;
        CircuitBreaker b(c);
        qint64 t = 1000;
        b.record(false, t);
        b.record(false, t);
        b.record(true, t);
        QCOMPARE(b.state(t), CircuitBreaker::State::Closed); // too few outcomes
        b.record(false, t); // 3 of 4 failed
        QCOMPARE(b.state(t), CircuitBreaker::State::Open);
        QVERIFY(!b.allow(t + 999));
        QVERIFY(b.allow(t + 1000)); // the probe
        QVERIFY(!b.allow(t + 1000)); // only one
        b.record(false, t + 1001); // the probe failed: twice the rest
        QCOMPARE(b.state(t + 1001), CircuitBreaker::State::Open);
        QVERIFY(!b.allow(t + 2900));
        QVERIFY(b.allow(t + 3001));
        b.record(true, t + 3002);
        QCOMPARE(b.state(t + 3002), CircuitBreaker::State::Closed);
        // Old outcomes leave the window.
        for (int i = 0; i < 3; ++i)
            b.record(false, t + 4000);
        b.record(true, t + 15000);
        QCOMPARE(b.state(t + 15000), CircuitBreaker::State::Closed);
        QCOMPARE(b.timesOpened(), 2);
    }

    void fallbackServesAndSaysWhichModel()
    {
        auto stats = std::make_shared<SimulatedStats>();
        std::vector<UpstreamEndpoint> e { deadEndpoint({ QStringLiteral("gpt-4o") }),
            simEndpoint(QStringLiteral("backup"), { QStringLiteral("claude-sonnet-4-5") }, stats) };
        PoolOptions o = fastRetries();
        o.fallbacks.insert(QStringLiteral("gpt-4o"), { QStringLiteral("claude-sonnet-4-5") });
        UpstreamPool pool(std::move(e), o);
        QVERIFY(pool.serves(QStringLiteral("gpt-4o")));
        QVERIFY(pool.serves(QStringLiteral("claude-sonnet-4-5")));
        QVERIFY(!pool.serves(QStringLiteral("gpt-3.5-turbo")));
        QCOMPARE(
            pool.configuredModels(), QStringList({ QStringLiteral("gpt-4o"), QStringLiteral("claude-sonnet-4-5") }));

        const Outcome out = run(pool, ask(QStringLiteral("gpt-4o"), QStringLiteral("hello")));
        QVERIFY2(out.result, out.error ? qPrintable(out.error->message) : "no answer");
        QCOMPARE(out.result->modelUsed, QStringLiteral("claude-sonnet-4-5"));
        QCOMPARE(out.announced, QStringLiteral("claude-sonnet-4-5"));
        QCOMPARE(out.result->attempts, 4); // three refused connections, then the fallback
        QCOMPARE(stats->calls.load(), 1);
        QVERIFY(pool.renderMetrics().contains("l0_upstream_fallbacks_total 1"));
        QVERIFY(pool.renderMetrics().contains("l0_upstream_retries_total 2"));
        QVERIFY(pool.renderMetrics().contains("l0_upstream_requests_in_flight 0\n"));
    }

    void onlyRetryableFailuresAreRetried()
    {
        auto stats = std::make_shared<SimulatedStats>();
        std::vector<UpstreamEndpoint> e { simEndpoint(QStringLiteral("sim"), {}, stats) };
        UpstreamPool pool(std::move(e), fastRetries());
        // The request itself is at fault: retrying would give the same answer.
        const Outcome bad = run(pool, ask(QStringLiteral("gpt-4o-mini"), QStringLiteral("[sim-fail:400] x")));
        QVERIFY(bad.error);
        QCOMPARE(bad.error->upstreamStatus, 400);
        QCOMPARE(stats->calls.load(), 1);
        // An overloaded upstream: retried up to the limit.
        const Outcome busy = run(pool, ask(QStringLiteral("gpt-4o-mini"), QStringLiteral("[sim-fail:503] y")));
        QVERIFY(busy.error);
        QCOMPARE(busy.error->upstreamStatus, 503);
        QCOMPARE(stats->calls.load(), 1 + 3);
        QVERIFY(pool.serves(QStringLiteral("anything"))); // a single upstream serves every model
        QVERIFY(pool.configuredModels().isEmpty());
    }

    void openCircuitIsSkippedThenProbed()
    {
        auto stats = std::make_shared<SimulatedStats>();
        std::vector<UpstreamEndpoint> e { deadEndpoint({ QStringLiteral("gpt-4o") }),
            simEndpoint(QStringLiteral("backup"), { QStringLiteral("local-model") }, stats) };
        PoolOptions o = fastRetries();
        o.retry.maxAttempts = 1;
        o.fallbacks.insert(QStringLiteral("gpt-4o"), { QStringLiteral("local-model") });
        UpstreamPool pool(std::move(e), o);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(run(pool, ask(QStringLiteral("gpt-4o"), QStringLiteral("q"))).result->attempts, 2);
        QVERIFY2(pool.renderMetrics().contains(
                     R"(l0_upstream_breaker_state{upstream="dead",model="gpt-4o",state="open"} 1)"),
            pool.renderMetrics().constData());
        // Open: the dead upstream is not even tried.
        QCOMPARE(run(pool, ask(QStringLiteral("gpt-4o"), QStringLiteral("q"))).result->attempts, 1);
        QVERIFY(pool.renderMetrics().contains("l0_upstream_breaker_skips_total 1"));
        // After the rest one probe goes out (and fails again here).
        QTest::qWait(250);
        QCOMPARE(run(pool, ask(QStringLiteral("gpt-4o"), QStringLiteral("q"))).result->attempts, 2);
        QCOMPARE(stats->calls.load(), 6);
    }

    void streamedBytesAreNeverRetried()
    {
        auto stats = std::make_shared<SimulatedStats>();
        std::vector<UpstreamEndpoint> e { simEndpoint(QStringLiteral("sim"), {}, stats) };
        UpstreamPool pool(std::move(e), fastRetries());
        ChatRequest r = ask(QStringLiteral("gpt-4o-mini"), QStringLiteral("tell me something long"));
        r.stream = true;
        const Outcome out = run(pool, r);
        QVERIFY(out.result);
        QVERIFY(out.deltas > 1);
        QCOMPARE(out.announced, QStringLiteral("gpt-4o-mini"));
        QCOMPARE(out.result->attempts, 1);
    }

    // Every fault kind of the simulated upstream, over real HTTP in both wire formats, with the
    // number of calls that reached it: retried where a retry may help, never where it cannot
    // (the request is at fault, or bytes of a stream reached the client).
    void faultKindsOverHttp_data()
    {
        QTest::addColumn<QString>("wire");
        QTest::addColumn<QStringList>("script");
        QTest::addColumn<int>("firstByteDelayMs");
        QTest::addColumn<bool>("stream");
        QTest::addColumn<bool>("answered");
        QTest::addColumn<int>("calls");
        const QString o = QStringLiteral("openai"), a = QStringLiteral("anthropic");
        QTest::newRow("503 retried") << o << QStringList { QStringLiteral("503") } << 0 << false << true << 2;
        QTest::newRow("500, 502 retried")
            << o << QStringList { QStringLiteral("500"), QStringLiteral("502") } << 0 << false << true << 3;
        QTest::newRow("504 three times: out of attempts")
            << o << QStringList { QStringLiteral("504"), QStringLiteral("504"), QStringLiteral("504") } << 0 << false
            << false << 3;
        QTest::newRow("429 retried after Retry-After")
            << o << QStringList { QStringLiteral("429") } << 0 << false << true << 2;
        QTest::newRow("400 not retried") << o << QStringList { QStringLiteral("400") } << 0 << false << false << 1;
        QTest::newRow("401 not retried") << o << QStringList { QStringLiteral("401") } << 0 << false << false << 1;
        QTest::newRow("hang: timeout before the first byte, retried")
            << o << QStringList { QStringLiteral("hang") } << 0 << false << true << 2;
        QTest::newRow("slow first byte within the timeout: one call")
            << o << QStringList {} << 150 << false << true << 1;
        QTest::newRow("cut before the client saw anything: retried")
            << o << QStringList { QStringLiteral("cut") } << 0 << false << true << 2;
        QTest::newRow("stream cut after bytes: never retried")
            << o << QStringList { QStringLiteral("cut") } << 0 << true << false << 1;
        QTest::newRow("stream error event after bytes: never retried")
            << o << QStringList { QStringLiteral("stream_error") } << 0 << true << false << 1;
        QTest::newRow("anthropic overloaded (529) retried")
            << a << QStringList { QStringLiteral("529") } << 0 << false << true << 2;
        QTest::newRow("anthropic 429 retried, streamed")
            << a << QStringList { QStringLiteral("429") } << 0 << true << true << 2;
        QTest::newRow("anthropic stream cut: never retried")
            << a << QStringList { QStringLiteral("cut") } << 0 << true << false << 1;
    }
    void faultKindsOverHttp()
    {
        QFETCH(QString, wire);
        QFETCH(QStringList, script);
        QFETCH(int, firstByteDelayMs);
        QFETCH(bool, stream);
        QFETCH(bool, answered);
        QFETCH(int, calls);
        SimulatedUpstreamOptions so;
        so.apiKey = "sk-sim";
        so.config.faults.script = script;
        so.config.faults.firstByteDelayMs = firstByteDelayMs;
        so.config.faults.retryAfterSeconds = 1;
        SimulatedUpstreamServer sim(so);
        QVERIFY(sim.start().ok());
        const QString base = QStringLiteral("http://127.0.0.1:%1").arg(sim.port());
        UpstreamEndpoint endpoint;
        if (wire == QLatin1String("anthropic")) {
            AnthropicOptions ao;
            ao.baseUrl = QUrl(base);
            ao.apiKey = "sk-sim";
            ao.timeoutMs = 400;
            endpoint = UpstreamEndpoint { QStringLiteral("sim-anthropic"), wire, {},
                [ao]() -> ChatProvider * { return new AnthropicProvider(ao); } };
        } else {
            OpenAiOptions oo;
            oo.baseUrl = QUrl(base + QStringLiteral("/v1"));
            oo.apiKey = "sk-sim";
            oo.timeoutMs = 400;
            endpoint = UpstreamEndpoint { QStringLiteral("sim-openai"), wire, {},
                [oo]() -> ChatProvider * { return new OpenAiProvider(oo); } };
        }
        std::vector<UpstreamEndpoint> e { endpoint };
        PoolOptions options = fastRetries();
        options.breaker.minCalls = 1000; // one test, one fault: the breaker stays out of it
        UpstreamPool pool(std::move(e), options);
        ChatRequest request = ask(QStringLiteral("gpt-4o-mini"), QStringLiteral("a fault kind"));
        request.stream = stream;
        QElapsedTimer timer;
        timer.start();
        const Outcome out = run(pool, request);
        QVERIFY(out.done);
        QCOMPARE(out.result.has_value(), answered);
        QCOMPARE(sim.calls(), qint64(calls));
        if (answered)
            QCOMPARE(out.result->attempts, calls);
        if (script.value(0) == QLatin1String("429"))
            QVERIFY2(timer.elapsed() >= 950, "the retry waited for Retry-After"); // a lower bound, not a speed check
        if (!answered && stream)
            QVERIFY(out.deltas > 0); // bytes had reached the client: that is why it was not retried
    }

    void deadlineBoundsTheWholeRequest()
    {
        auto stats = std::make_shared<SimulatedStats>();
        std::vector<UpstreamEndpoint> e { simEndpoint(QStringLiteral("sim"), {}, stats) };
        PoolOptions o = fastRetries();
        o.retry.maxAttempts = 10;
        o.retry.baseBackoffMs = 400;
        o.retry.maxBackoffMs = 400;
        o.retry.deadlineMs = 300;
        UpstreamPool pool(std::move(e), o);
        const Outcome out = run(pool, ask(QStringLiteral("m"), QStringLiteral("[sim-fail:502] z")));
        QVERIFY(out.error);
        QVERIFY2(stats->calls.load() < 10, qPrintable(QString::number(stats->calls.load())));
    }
};

QTEST_GUILESS_MAIN(TestUpstreamPool)
#include "tst_upstreampool.moc"
