#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <atomic>
#include <memory>
#include <optional>

#include "semantic/remoteembedder.h"
#include "upstream/simulatedembedding.h"
#include "upstream/simulatedupstreamserver.h"

using namespace l0;

namespace {

SimulatedUpstreamOptions withFaults(const char *json, const QByteArray &key = QByteArray())
{
    SimulatedUpstreamOptions o;
    o.apiKey = key;
    o.config = *SimulatedUpstreamConfig::fromJson(QJsonDocument::fromJson(json).object());
    return o;
}

RemoteEmbedderOptions against(const SimulatedUpstreamServer &sim, const QString &model = QStringLiteral("sim-embed"))
{
    RemoteEmbedderOptions o;
    o.name = QStringLiteral("sim");
    o.baseUrl = QStringLiteral("http://127.0.0.1:%1/v1").arg(sim.port());
    o.model = model;
    o.timeoutMs = 5'000;
    o.retry.baseBackoffMs = 10;
    o.retry.maxBackoffMs = 50;
    return o;
}

// embedAsync() and the event loop until done: the simulated server's acceptor is on this thread.
Result<QList<Embedding>> embedWaiting(const RemoteEmbedder &e, const QStringList &texts)
{
    auto result = std::make_shared<std::optional<Result<QList<Embedding>>>>();
    auto ready = std::make_shared<std::atomic<bool>>(false);
    e.embedAsync(texts, [result, ready](Result<QList<Embedding>> r) {
        *result = std::move(r);
        ready->store(true);
    });
    for (int i = 0; i < 3000 && !ready->load(); ++i)
        QTest::qWait(10);
    if (!ready->load())
        return makeError(ErrorCode::Internal, QStringLiteral("test: no answer in 30 s"));
    return std::move(**result);
}

double dot(const Embedding &a, const Embedding &b)
{
    double s = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        s += double(a[i]) * b[i];
    return s;
}

} // namespace

class TestRemoteEmbedder : public QObject {
    Q_OBJECT
private slots:
    void simulatedEmbeddingsAreDeterministicAndNearForSimilarTexts()
    {
        const auto a = simulatedEmbedding(QStringLiteral("How do I reset my password?"), 256);
        QCOMPARE(a, simulatedEmbedding(QStringLiteral("How do I reset my password?"), 256));
        QCOMPARE(a.size(), 256);
        QVERIFY(qAbs(dot(a, a) - 1.0) < 1e-5);
        const auto near = simulatedEmbedding(QStringLiteral("how can I reset my password"), 256);
        const auto far = simulatedEmbedding(QStringLiteral("What is the weather in Lisbon tomorrow?"), 256);
        QVERIFY2(dot(a, near) > 0.6, qPrintable(QString::number(dot(a, near))));
        QVERIFY2(dot(a, far) < 0.3, qPrintable(QString::number(dot(a, far))));
        QVERIFY(dot(simulatedEmbedding(QStringLiteral("?!"), 8), simulatedEmbedding(QStringLiteral("?!"), 8)) == 0);
    }

    void embedsThroughTheSimulatedUpstreamWithUsage()
    {
        SimulatedUpstreamServer sim({});
        QVERIFY(sim.start().ok());
        RemoteEmbedder e(against(sim));
        QCOMPARE(e.dimensions(), 0); // learned from the first answer
        QVERIFY(!e.computesInline());
        QVERIFY(e.modelId().startsWith(QStringLiteral("remote:http://127.0.0.1:")));
        QVERIFY(e.modelId().endsWith(QStringLiteral("#sim-embed")));
        const QStringList texts { QStringLiteral("reset my password"), QStringLiteral("cancel my order 1234") };
        auto r = embedWaiting(e, texts);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(r->size(), 2);
        for (int i = 0; i < 2; ++i) {
            const auto want = simulatedEmbedding(texts[i], kSimulatedEmbeddingDims);
            QCOMPARE(r->at(i).size(), want.size());
            QVERIFY(dot(r->at(i), want) > 0.99999);
        }
        QCOMPARE(e.dimensions(), kSimulatedEmbeddingDims);
        QVERIFY(e.stats().promptTokens > 0);
        QCOMPARE(sim.calls(QStringLiteral("sim-embed")), qint64(1));
        const QJsonObject last = sim.stats().value(QLatin1String("last_request")).toObject();
        QCOMPARE(last.value(QLatin1String("path")).toString(), QStringLiteral("/v1/embeddings"));
    }

    void blockingEmbedFromAnotherThread()
    {
        SimulatedUpstreamServer sim({});
        QVERIFY(sim.start().ok());
        RemoteEmbedder e(against(sim));
        std::optional<Result<QList<Embedding>>> out;
        std::thread t([&] { out = e.embed({ QStringLiteral("from a worker thread") }); });
        for (int i = 0; i < 3000 && !out; ++i)
            QTest::qWait(10);
        t.join();
        QVERIFY(out && out->ok());
        QCOMPARE(out->value().size(), 1);
    }

    void asksForDimensionsAndChecksThem()
    {
        SimulatedUpstreamServer sim({});
        QVERIFY(sim.start().ok());
        RemoteEmbedderOptions o = against(sim);
        o.dimensions = 64;
        RemoteEmbedder e(o);
        QVERIFY(e.modelId().endsWith(QStringLiteral("#sim-embed@64")));
        auto r = embedWaiting(e, { QStringLiteral("sixty four") });
        QVERIFY(r.ok());
        QCOMPARE(r->at(0).size(), 64);
        QCOMPARE(sim.stats()
                     .value(QLatin1String("last_request"))
                     .toObject()
                     .value(QLatin1String("body"))
                     .toObject()
                     .value(QLatin1String("dimensions"))
                     .toInt(),
            64);
    }

    void batchesAndCachesByTextHash()
    {
        SimulatedUpstreamServer sim({});
        QVERIFY(sim.start().ok());
        RemoteEmbedderOptions o = against(sim);
        o.batchSize = 64;
        o.maxInFlight = 1;
        o.cacheEntries = 100;
        RemoteEmbedder e(o);
        QStringList texts;
        for (int i = 0; i < 150; ++i)
            texts << QStringLiteral("question number %1").arg(i);
        auto r = embedWaiting(e, texts);
        QVERIFY(r.ok());
        QCOMPARE(r->size(), 150);
        QCOMPARE(sim.calls(QStringLiteral("sim-embed")), qint64(3)); // 64 + 64 + 22
        QVERIFY(dot(r->at(149), simulatedEmbedding(texts[149], kSimulatedEmbeddingDims)) > 0.99999);
        // Bounded: 100 of the 150 are still cached; the other 50 go out in one call.
        auto again = embedWaiting(e, texts);
        QVERIFY(again.ok());
        QCOMPARE(e.stats().cacheHits, qint64(100));
        QCOMPARE(sim.calls(QStringLiteral("sim-embed")), qint64(4));
        for (int i = 0; i < 150; ++i)
            QCOMPARE(again->at(i), r->at(i));
        // All cached: answered at once, no call.
        auto cached = embedWaiting(e, texts.mid(100));
        QVERIFY(cached.ok());
        QCOMPARE(sim.calls(QStringLiteral("sim-embed")), qint64(4));
    }

    void concurrentCallersShareCalls()
    {
        SimulatedUpstreamServer sim(withFaults("{\"first_byte_delay_ms\": 100}"));
        QVERIFY(sim.start().ok());
        RemoteEmbedderOptions o = against(sim);
        o.maxInFlight = 1;
        RemoteEmbedder e(o);
        std::atomic<int> done { 0 }, ok { 0 };
        for (int i = 0; i < 10; ++i)
            e.embedAsync({ QStringLiteral("the same question") }, [&](Result<QList<Embedding>> r) {
                ok += r.ok() ? 1 : 0;
                ++done;
            });
        QTRY_COMPARE_WITH_TIMEOUT(done.load(), 10, 30'000);
        QCOMPARE(ok.load(), 10);
        QCOMPARE(sim.calls(QStringLiteral("sim-embed")), qint64(1));
    }

    void retriesServerErrorsAndRateLimits()
    {
        SimulatedUpstreamServer sim(withFaults("{\"script\": [\"503\", \"429\"], \"retry_after_s\": 0}"));
        QVERIFY(sim.start().ok());
        RemoteEmbedder e(against(sim));
        auto r = embedWaiting(e, { QStringLiteral("flaky") });
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(e.stats().httpCalls, qint64(3));
        QCOMPARE(e.stats().retries, qint64(2));
        QCOMPARE(sim.calls(QStringLiteral("sim-embed")), qint64(3));
    }

    void aHangTimesOutAndIsRetried()
    {
        SimulatedUpstreamServer sim(withFaults("{\"script\": [\"hang\"]}"));
        QVERIFY(sim.start().ok());
        RemoteEmbedderOptions o = against(sim);
        o.timeoutMs = 300;
        RemoteEmbedder e(o);
        auto r = embedWaiting(e, { QStringLiteral("slow") });
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(e.stats().retries, qint64(1));
        QCOMPARE(sim.stats().value(QLatin1String("outcomes")).toObject().value(QLatin1String("hang")).toInt(), 1);

        // Hanging every time: a timeout error once the attempts are spent.
        sim.setConfig(*SimulatedUpstreamConfig::fromJson(QJsonDocument::fromJson("{\"hang_rate\": 1}").object()));
        o.retry.maxAttempts = 2;
        RemoteEmbedder e2(o);
        auto failed = embedWaiting(e2, { QStringLiteral("never") });
        QVERIFY(!failed.ok());
        QCOMPARE(failed.error().code, ErrorCode::Timeout);
        QCOMPARE(e2.stats().httpCalls, qint64(2));
        QCOMPARE(e2.stats().failedCalls, qint64(1));
    }

    void clientErrorsAreFinal()
    {
        SimulatedUpstreamServer sim(withFaults("{\"script\": [\"400\"]}"));
        QVERIFY(sim.start().ok());
        RemoteEmbedder e(against(sim));
        auto r = embedWaiting(e, { QStringLiteral("bad") });
        QVERIFY(!r.ok());
        QCOMPARE(r.error().upstreamStatus, 400);
        QCOMPARE(e.stats().httpCalls, qint64(1));
        // One text of the batch the server refuses ("[sim-fail:422]"): the call fails, not retried.
        auto marked = embedWaiting(e, { QStringLiteral("fine"), QStringLiteral("[sim-fail:422]") });
        QVERIFY(!marked.ok());
        QCOMPARE(marked.error().upstreamStatus, 422);
        QCOMPARE(e.stats().httpCalls, qint64(2));
    }

    void theBreakerOpensAndFailsFast()
    {
        SimulatedUpstreamServer sim(withFaults("{\"error_rate\": 1, \"error_status\": 500}"));
        QVERIFY(sim.start().ok());
        RemoteEmbedderOptions o = against(sim);
        o.retry.maxAttempts = 1;
        o.breaker.minCalls = 2;
        o.breaker.failurePercent = 50;
        o.breaker.openMs = 60'000;
        RemoteEmbedder e(o);
        QVERIFY(!embedWaiting(e, { QStringLiteral("a") }).ok());
        QVERIFY(!embedWaiting(e, { QStringLiteral("b") }).ok());
        QCOMPARE(e.breakerState(), CircuitBreaker::State::Open);
        const qint64 calls = sim.calls(QStringLiteral("sim-embed"));
        auto refused = embedWaiting(e, { QStringLiteral("c") });
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, ErrorCode::Unavailable);
        QCOMPARE(sim.calls(QStringLiteral("sim-embed")), calls); // never reached the server
        QCOMPARE(e.stats().breakerRejections, qint64(1));
    }

    void sendsTheKeyFromTheEnvironment()
    {
        SimulatedUpstreamServer sim(withFaults("{}", "k-secret"));
        QVERIFY(sim.start().ok());
        QProcessEnvironment env;
        env.insert(QStringLiteral("MY_EMBED_KEY"), QStringLiteral("k-secret"));
        const QString base = QStringLiteral("openai:http://127.0.0.1:%1/v1#sim-embed").arg(sim.port());
        auto withKey = RemoteEmbedderOptions::fromSpec(base + QStringLiteral("?key_env=MY_EMBED_KEY"), env);
        QVERIFY(withKey.ok());
        QCOMPARE(withKey->apiKey, QByteArray("k-secret"));
        RemoteEmbedder good(*withKey);
        QVERIFY(!good.modelId().contains(QStringLiteral("k-secret")));
        QVERIFY(embedWaiting(good, { QStringLiteral("hello") }).ok());
        auto noKey = RemoteEmbedderOptions::fromSpec(base, env); // $L0_EMBEDDER_API_KEY is not set
        QVERIFY(noKey.ok());
        RemoteEmbedder bad(*noKey);
        auto refused = embedWaiting(bad, { QStringLiteral("hello") });
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().upstreamStatus, 401);
        QCOMPARE(bad.stats().httpCalls, qint64(1)); // our credentials: not retried
    }

    void specs()
    {
        const QProcessEnvironment env;
        auto o = RemoteEmbedderOptions::fromSpec(
            QStringLiteral("openai:http://localhost:11434/v1/#nomic-embed-text@768?batch=16&timeout_ms=2000&cache=0"),
            env);
        QVERIFY(o.ok());
        QCOMPARE(o->baseUrl, QStringLiteral("http://localhost:11434/v1"));
        QCOMPARE(o->model, QStringLiteral("nomic-embed-text"));
        QCOMPARE(o->dimensions, 768);
        QCOMPARE(o->batchSize, 16);
        QCOMPARE(o->timeoutMs, 2000);
        QCOMPARE(o->cacheEntries, 0);
        QCOMPARE(o->apiKeyEnv, QStringLiteral("L0_EMBEDDER_API_KEY"));
        for (const char *bad : { "openai:http://h/v1", "openai:#m", "openai:ftp://h/v1#m", "openai:http://h/v1#m@x",
                 "openai:http://h/v1#m?batch=0", "openai:http://h/v1#m?colour=red", "remote:x" })
            QVERIFY2(!RemoteEmbedderOptions::fromSpec(QString::fromLatin1(bad), env).ok(), bad);
    }
};

QTEST_GUILESS_MAIN(TestRemoteEmbedder)
#include "tst_remoteembedder.moc"
