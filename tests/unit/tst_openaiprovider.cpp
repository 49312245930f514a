#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include "api/anthropiccodec.h"
#include "api/openaicodec.h"
#include "nodefixture.h"
#include "upstream/openaiprovider.h"
#include "upstream/simulatedprovider.h"
#include "upstream/simulatedupstreamserver.h"
#include "upstream/upstreamerror.h"

using namespace l0;

namespace {
ChatRequest req(const char *json)
{
    return api::parseOpenAiChat(QByteArray(json)).value();
}

ChatRequest anthropicReq(const QByteArray &json)
{
    return api::parseAnthropicMessages(json).value();
}

struct Outcome {
    QString streamed;
    QJsonArray toolDeltas;
    std::optional<ChatResult> result;
    std::optional<Error> error;
    bool done() const { return result || error; }
};

Outcome run(OpenAiProvider &p, const ChatRequest &request)
{
    auto out = std::make_shared<Outcome>();
    ChatSink sink;
    sink.onDelta = [out](const QJsonObject &d) {
        out->streamed += d.value(QStringLiteral("content")).toString();
        for (const QJsonValue &c : d.value(QStringLiteral("tool_calls")).toArray())
            out->toolDeltas.append(c);
    };
    sink.onComplete = [out](const ChatResult &r) { out->result = r; };
    sink.onError = [out](const Error &e) { out->error = e; };
    p.chat(request, sink);
    (void)QTest::qWaitFor([&] { return out->done(); }, 15000);
    return *out;
}
} // namespace

// The OpenAI-compatible provider, talking HTTP to a real l0-node (with the simulated
// upstream behind it) as its upstream.
class TestOpenAiProvider : public QObject {
    Q_OBJECT
    NodeFixture m_upstream;

    OpenAiOptions options(const QString &key)
    {
        OpenAiOptions o;
        o.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(m_upstream.node->port()));
        o.apiKey = key.toUtf8();
        o.timeoutMs = 10000;
        return o;
    }

    static OpenAiOptions simOptions(const SimulatedUpstreamServer &sim)
    {
        OpenAiOptions o;
        o.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(sim.port()));
        o.timeoutMs = 10000;
        return o;
    }

private slots:
    void initTestCase() { QVERIFY(m_upstream.start()); }
    void cleanupTestCase() { m_upstream.node.reset(); }

    void accumulatorFoldsChunks()
    {
        StreamAccumulator acc;
        QVERIFY(acc.addChunk(R"({"model":"m1","choices":[{"delta":{"role":"assistant","content":""}}]})").ok());
        QCOMPARE(
            acc.addChunk(R"({"choices":[{"delta":{"content":"Hel"}}]})")->value(QStringLiteral("content")).toString(),
            QStringLiteral("Hel"));
        QVERIFY(acc.addChunk(R"({"choices":[{"delta":{"content":"lo"}}]})").ok());
        // Plain literals here: moc cannot read raw strings that contain escaped quotes.
        QVERIFY(acc.addChunk("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\"function\":"
                             "{\"name\":\"get\",\"arguments\":\"{\\\"a\\\"\"}}]}}]}")
                    .ok());
        QVERIFY(acc.addChunk(
                       "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\":1}\"}}]},"
                       "\"finish_reason\":\"tool_calls\"}]}")
                    .ok());
        QVERIFY(acc.addChunk(R"({"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":3}})").ok());
        QVERIFY(!acc.addChunk("not json").ok());
        QVERIFY(acc.sawFinish());
        const ChatResult r = acc.result();
        QCOMPARE(r.text(), QStringLiteral("Hello"));
        QCOMPARE(r.finishReason, QStringLiteral("tool_calls"));
        QCOMPARE(r.modelUsed, QStringLiteral("m1"));
        QCOMPARE(r.usage.promptTokens, 7);
        const QJsonObject fn = r.message.value(QStringLiteral("tool_calls"))
                                   .toArray()
                                   .at(0)
                                   .toObject()
                                   .value(QStringLiteral("function"))
                                   .toObject();
        QCOMPARE(fn.value(QStringLiteral("name")).toString(), QStringLiteral("get"));
        QCOMPARE(fn.value(QStringLiteral("arguments")).toString(), QStringLiteral("{\"a\":1}"));
    }
    void completes()
    {
        OpenAiProvider p(options(m_upstream.keyApproved));
        const auto request = req(R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"provider test"}]})");
        const Outcome o = run(p, request);
        QVERIFY(o.result);
        QCOMPARE(o.result->text(), SimulatedProvider::answer(request)->text());
        QCOMPARE(o.result->usage.promptTokens, SimulatedProvider::answer(request)->usage.promptTokens);
        QCOMPARE(o.result->modelUsed, QStringLiteral("gpt-4o-mini"));
    }
    void streams()
    {
        OpenAiProvider p(options(m_upstream.keyApproved));
        const auto request = req(
            R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"provider stream test"}],"stream":true})");
        const Outcome o = run(p, request);
        QVERIFY(o.result);
        QCOMPARE(o.streamed, o.result->text());
        QCOMPARE(o.result->text(), SimulatedProvider::answer(request)->text());
        QVERIFY(o.result->usage.completionTokens > 0); // include_usage is always requested upstream
    }
    void upstreamErrorIsReported()
    {
        OpenAiProvider p(options(m_upstream.keyApproved));
        const Outcome o = run(p, req(R"({"model":"m","messages":[{"role":"user","content":"boom [sim-fail:500]"}]})"));
        QVERIFY(o.error);
        QCOMPARE(o.error->code, ErrorCode::UpstreamError);
        QCOMPARE(o.error->upstreamStatus, 502);
    }
    void wrongUpstreamKey()
    {
        OpenAiProvider p(options(QStringLiteral("l0-wrong")));
        const Outcome o = run(p, req(R"({"model":"m","messages":[{"role":"user","content":"x"}]})"));
        QVERIFY(o.error);
        QCOMPARE(o.error->upstreamStatus, 401);
        QVERIFY(!o.error->message.contains(QStringLiteral("l0-wrong"))); // never echo secrets
    }
    // ---- against the simulated upstream server (OpenAI wire) -----------------------------------

    void simServerAnswersAndCounts()
    {
        SimulatedUpstreamServer sim({});
        QVERIFY(sim.start().ok());
        OpenAiProvider p(simOptions(sim));
        const auto request
            = req("{\"model\":\"gpt-sim\",\"messages\":[{\"role\":\"user\",\"content\":\"hi sim\"}],\"stream\":true}");
        const Outcome o = run(p, request);
        QVERIFY(o.result);
        QCOMPARE(o.result->text(), SimulatedProvider::answer(request)->text());
        QCOMPARE(o.streamed, o.result->text());
        QVERIFY(o.result->usage.completionTokens > 0);
        QCOMPARE(sim.calls(QStringLiteral("gpt-sim")), 1);
    }
    void oneKeptAliveConnection()
    {
        // A forwarder in front of the simulated upstream counts the connections the provider opens:
        // plain answers, streams (read to their end after [DONE]) and HTTP errors all leave the
        // connection open for the next request.
        SimulatedUpstreamServer sim({});
        QVERIFY(sim.start().ok());
        QTcpServer front;
        QVERIFY(front.listen(QHostAddress::LocalHost, 0));
        int accepts = 0;
        QObject::connect(&front, &QTcpServer::newConnection, &front, [&] {
            while (QTcpSocket *in = front.nextPendingConnection()) {
                ++accepts;
                auto *out = new QTcpSocket(in);
                auto pending = std::make_shared<QByteArray>();
                QObject::connect(in, &QTcpSocket::readyRead, in, [in, out, pending] {
                    if (out->state() == QAbstractSocket::ConnectedState)
                        out->write(in->readAll());
                    else
                        *pending += in->readAll();
                });
                QObject::connect(out, &QTcpSocket::connected, in, [out, pending] { out->write(*pending); });
                QObject::connect(out, &QTcpSocket::readyRead, in, [in, out] { in->write(out->readAll()); });
                QObject::connect(out, &QTcpSocket::disconnected, in, [in] { in->disconnectFromHost(); });
                QObject::connect(in, &QTcpSocket::disconnected, in, &QObject::deleteLater);
                out->connectToHost(QHostAddress::LocalHost, sim.port());
            }
        });
        OpenAiOptions o = simOptions(sim);
        o.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(front.serverPort()));
        OpenAiProvider p(o);
        QVERIFY(run(p, req(R"({"model":"m","messages":[{"role":"user","content":"one"}]})")).result);
        const Outcome streamed = run(p,
            req(R"({"model":"m","stream":true,"messages":[{"role":"user","content":"a question long enough to stream"}]})"));
        QVERIFY(streamed.result);
        QVERIFY(!streamed.streamed.isEmpty());
        const Outcome failed
            = run(p, req(R"({"model":"m","messages":[{"role":"user","content":"x [sim-fail:500]"}]})"));
        QVERIFY(failed.error);
        QCOMPARE(failed.error->upstreamStatus, 500);
        QVERIFY(run(p, req(R"({"model":"m","messages":[{"role":"user","content":"two"}]})")).result);
        QCOMPARE(sim.calls(), 4);
        QCOMPARE(accepts, 1);
    }
    void retryAfterIsCaptured()
    {
        SimulatedUpstreamOptions so;
        so.config = *SimulatedUpstreamConfig::fromJson(
            QJsonDocument::fromJson("{\"script\":[\"429\",\"503\"],\"retry_after_s\":3}").object());
        SimulatedUpstreamServer sim(so);
        QVERIFY(sim.start().ok());
        OpenAiProvider p(simOptions(sim));
        const auto request = req("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        const Outcome limited = run(p, request);
        QVERIFY(limited.error);
        QCOMPARE(limited.error->upstreamStatus, 429);
        QCOMPARE(limited.error->retryAfterMs, 3000);
        QVERIFY(isRetryableUpstreamError(*limited.error));
        const Outcome unavailable = run(p, request);
        QCOMPARE(unavailable.error->upstreamStatus, 503);
        QCOMPARE(unavailable.error->retryAfterMs, 0);
        QVERIFY(run(p, request).result);
        QCOMPARE(sim.calls(), 3);
    }
    void streamCutIsAnError()
    {
        SimulatedUpstreamOptions so;
        so.config = *SimulatedUpstreamConfig::fromJson(
            QJsonDocument::fromJson("{\"cut_rate\":1,\"cut_after_events\":2}").object());
        SimulatedUpstreamServer sim(so);
        QVERIFY(sim.start().ok());
        OpenAiProvider p(simOptions(sim));
        const Outcome o = run(p,
            req("{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"a long enough "
                "question to stream\"}]}"));
        QVERIFY(o.error);
        QCOMPARE(o.error->upstreamStatus, 502);
        QVERIFY(!o.streamed.isEmpty());
    }
    void anthropicClientServedByOpenAiUpstream()
    {
        SimulatedUpstreamServer sim({});
        QVERIFY(sim.start().ok());
        OpenAiProvider p(simOptions(sim));
        const QByteArray tools = "\"tools\":[{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\","
                                 "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}]";
        for (const bool stream : { false, true }) {
            const Outcome o = run(p,
                anthropicReq(
                    "{\"model\":\"gpt-sim\",\"max_tokens\":100,\"stream\":" + QByteArray(stream ? "true" : "false")
                    + ",\"system\":\"Be brief.\",\"messages\":[{\"role\":\"user\",\"content\":\"use get_weather\"}],"
                    + tools + "}"));
            QVERIFY(o.result);
            QCOMPARE(o.result->finishReason, QStringLiteral("tool_calls"));
            const QJsonObject fn = o.result->message.value(QStringLiteral("tool_calls"))
                                       .toArray()
                                       .at(0)
                                       .toObject()
                                       .value(QStringLiteral("function"))
                                       .toObject();
            QCOMPARE(fn.value(QStringLiteral("name")).toString(), QStringLiteral("get_weather"));
            QCOMPARE(fn.value(QStringLiteral("arguments")).toString(), QStringLiteral("{\"city\":\"sim\"}"));
            QCOMPARE(o.toolDeltas.isEmpty(), !stream);
            // What the upstream received is plain OpenAI.
            const QJsonObject body
                = sim.stats().value(QStringLiteral("last_request")).toObject().value(QStringLiteral("body")).toObject();
            QCOMPARE(
                body.value(QStringLiteral("tools")).toArray().at(0).toObject().value(QStringLiteral("type")).toString(),
                QStringLiteral("function"));
            QCOMPARE(body.value(QStringLiteral("messages"))
                         .toArray()
                         .at(0)
                         .toObject()
                         .value(QStringLiteral("role"))
                         .toString(),
                QStringLiteral("system"));
        }
        // Anthropic-only parameters never reach an OpenAI-compatible upstream.
        const Outcome refused = run(p,
            anthropicReq("{\"model\":\"gpt-sim\",\"max_tokens\":100,\"top_k\":3,\"messages\":[{\"role\":\"user\","
                         "\"content\":\"x\"}]}"));
        QVERIFY(refused.error);
        QCOMPARE(refused.error->code, ErrorCode::InvalidArgument);
        QCOMPARE(refused.error->field, QStringLiteral("top_k"));
        QCOMPARE(sim.calls(), 2);
    }
    void unreachableUpstream()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        OpenAiOptions o;
        o.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(port));
        o.apiKey = "k";
        OpenAiProvider p(o);
        const Outcome out = run(p, req(R"({"model":"m","messages":[{"role":"user","content":"x"}]})"));
        QVERIFY(out.error);
        QCOMPARE(out.error->code, ErrorCode::UpstreamError);
        QCOMPARE(out.error->upstreamStatus, 502);
    }
};

QTEST_GUILESS_MAIN(TestOpenAiProvider)
#include "tst_openaiprovider.moc"
