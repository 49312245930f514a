#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTest>

#include "api/openaicodec.h"
#include "upstream/anthropicprovider.h"
#include "upstream/openaiprovider.h"
#include "upstream/simulatedprovider.h"
#include "upstream/simulatedupstreamserver.h"
#include "upstream/upstreamerror.h"

using namespace l0;

namespace {

ChatRequest req(const QByteArray &json)
{
    auto r = api::parseOpenAiChat(json);
    if (!r)
        qWarning() << r.error().toString();
    return r.value();
}

QJsonObject obj(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

struct Outcome {
    QString streamed;
    int deltas = 0;
    StreamAccumulator folded; // the deltas, folded the way OpenAI chunks are
    std::optional<ChatResult> result;
    std::optional<Error> error;
    bool synchronous = false;
    bool done() const { return result || error; }
};

std::shared_ptr<Outcome> start(
    ChatProvider &p, const ChatRequest &request, std::shared_ptr<UpstreamCall> *call = nullptr)
{
    auto out = std::make_shared<Outcome>();
    ChatSink sink;
    sink.onDelta = [out](const QJsonObject &d) {
        ++out->deltas;
        out->streamed += d.value(QStringLiteral("content")).toString();
        const QJsonObject chunk { { QStringLiteral("choices"),
            QJsonArray { QJsonObject { { QStringLiteral("delta"), d } } } } };
        (void)out->folded.addChunk(QJsonDocument(chunk).toJson(QJsonDocument::Compact));
    };
    sink.onComplete = [out](const ChatResult &r) { out->result = r; };
    sink.onError = [out](const Error &e) { out->error = e; };
    auto c = p.chat(request, sink);
    out->synchronous = out->done();
    if (call)
        *call = c;
    return out;
}

Outcome run(ChatProvider &p, const ChatRequest &request, int waitMs = 15000)
{
    auto out = start(p, request);
    (void)QTest::qWaitFor([&] { return out->done(); }, waitMs);
    return *out;
}

const QByteArray kTools
    = R"("tools":[{"type":"function","function":{"name":"get_weather","description":"Weather now", "parameters":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},"required":["city"]}}}, {"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{"zone":{"type":"string","enum":["UTC","CET"]}}}}}])";

} // namespace

// The Anthropic provider against the simulated upstream server's Messages API.
class TestAnthropicProvider : public QObject {
    Q_OBJECT
    std::unique_ptr<SimulatedUpstreamServer> m_server;

    AnthropicOptions options(const QByteArray &key = QByteArrayLiteral("sim-secret-key"))
    {
        AnthropicOptions o;
        o.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server->port()));
        o.apiKey = key;
        o.timeoutMs = 10000;
        return o;
    }
    void setFaults(const QByteArray &json)
    {
        auto c = SimulatedUpstreamConfig::fromJson(obj(json));
        QVERIFY2(c.ok(), qPrintable(c.ok() ? QString() : c.error().message));
        m_server->setConfig(*c);
    }
    QJsonObject lastBody() const
    {
        return m_server->stats()
            .value(QStringLiteral("last_request"))
            .toObject()
            .value(QStringLiteral("body"))
            .toObject();
    }

private slots:
    void initTestCase()
    {
        SimulatedUpstreamOptions o;
        o.apiKey = "sim-secret-key";
        m_server = std::make_unique<SimulatedUpstreamServer>(o);
        QVERIFY(m_server->start().ok());
        QVERIFY(m_server->port() > 0);
    }
    void init()
    {
        m_server->setConfig({});
        m_server->resetStats();
    }
    void cleanupTestCase() { m_server.reset(); }

    void completes()
    {
        AnthropicProvider p(options());
        const auto request = req(
            R"({"model":"claude-sim","messages":[{"role":"system","content":"Be brief."}, {"role":"user","content":"anthropic provider test"}]})");
        const Outcome o = run(p, request);
        QVERIFY(o.result);
        QVERIFY(!o.synchronous);
        const auto oracle = SimulatedProvider::answer(request);
        QCOMPARE(o.result->text(), oracle->text());
        QCOMPARE(o.result->usage.promptTokens, oracle->usage.promptTokens);
        QCOMPARE(o.result->usage.completionTokens, oracle->usage.completionTokens);
        QCOMPARE(o.result->finishReason, QStringLiteral("stop"));
        QCOMPARE(o.result->modelUsed, QStringLiteral("claude-sim"));
        QCOMPARE(o.deltas, 0);
        QCOMPARE(m_server->calls(QStringLiteral("claude-sim")), 1);
        const QJsonObject last = m_server->stats().value(QStringLiteral("last_request")).toObject();
        QCOMPARE(last.value(QStringLiteral("path")).toString(), QStringLiteral("/v1/messages"));
        QCOMPARE(last.value(QStringLiteral("anthropic_version")).toString(), QStringLiteral("2023-06-01"));
        QCOMPARE(lastBody().value(QStringLiteral("system")).toString(), QStringLiteral("Be brief."));
        QCOMPARE(lastBody().value(QStringLiteral("max_tokens")).toInt(), 4096);
    }
    void streams()
    {
        AnthropicProvider p(options());
        const auto request = req(
            R"({"model":"claude-sim","stream":true, "messages":[{"role":"user","content":"anthropic provider stream test, long enough to stream in pieces"}]})");
        const Outcome o = run(p, request);
        QVERIFY(o.result);
        QVERIFY(o.deltas > 1);
        QCOMPARE(o.streamed, o.result->text());
        QCOMPARE(o.result->text(), SimulatedProvider::answer(request)->text());
        QCOMPARE(o.result->usage.promptTokens, SimulatedProvider::answer(request)->usage.promptTokens);
        QVERIFY(o.result->usage.completionTokens > 0);
        QVERIFY(lastBody().value(QStringLiteral("stream")).toBool());
    }
    void toolCalls_data()
    {
        QTest::addColumn<bool>("stream");
        QTest::newRow("plain") << false;
        QTest::newRow("stream") << true;
    }
    void toolCalls()
    {
        QFETCH(bool, stream);
        AnthropicProvider p(options());
        const auto request = req(QByteArray(R"({"model":"claude-sim","stream":)") + (stream ? "true" : "false")
            + R"(,"messages":[{"role":"user","content":"Use get_weather and get_time for Paris"}],)" + kTools + "}");
        const Outcome o = run(p, request);
        QVERIFY(o.result);
        QCOMPARE(o.result->finishReason, QStringLiteral("tool_calls"));
        QVERIFY(o.result->message.value(QStringLiteral("content")).isNull());
        const QJsonArray calls = o.result->message.value(QStringLiteral("tool_calls")).toArray();
        QCOMPARE(calls.size(), 2);
        const QJsonObject fn = calls.at(0).toObject().value(QStringLiteral("function")).toObject();
        QCOMPARE(fn.value(QStringLiteral("name")).toString(), QStringLiteral("get_weather"));
        QCOMPARE(obj(fn.value(QStringLiteral("arguments")).toString().toUtf8()), obj(R"({"city":"sim"})"));
        QCOMPARE(obj(calls.at(1)
                         .toObject()
                         .value(QStringLiteral("function"))
                         .toObject()
                         .value(QStringLiteral("arguments"))
                         .toString()
                         .toUtf8()),
            obj(R"({"zone":"UTC"})"));
        QVERIFY(!calls.at(0).toObject().value(QStringLiteral("id")).toString().isEmpty());
        if (stream) {
            // The deltas are OpenAI-shaped and fold into the same calls.
            QCOMPARE(o.folded.result().message.value(QStringLiteral("tool_calls")).toArray().size(), 2);
            for (int i = 0; i < 2; ++i) {
                const QJsonObject a
                    = o.folded.result().message.value(QStringLiteral("tool_calls")).toArray().at(i).toObject();
                QCOMPARE(a.value(QStringLiteral("id")), calls.at(i).toObject().value(QStringLiteral("id")));
                QCOMPARE(a.value(QStringLiteral("function")), calls.at(i).toObject().value(QStringLiteral("function")));
            }
        }
        // The upstream saw Anthropic tools.
        const QJsonObject tool = lastBody().value(QStringLiteral("tools")).toArray().at(0).toObject();
        QCOMPARE(tool.value(QStringLiteral("name")).toString(), QStringLiteral("get_weather"));
        QVERIFY(tool.value(QStringLiteral("input_schema")).isObject());
    }
    void forcedAndSingleToolChoice()
    {
        AnthropicProvider p(options());
        const Outcome forced = run(p,
            req(R"({"model":"claude-sim","messages":[{"role":"user","content":"hello"}],)" + kTools
                + R"(,"tool_choice":{"type":"function","function":{"name":"get_time"}}})"));
        QVERIFY(forced.result);
        QCOMPARE(forced.result->message.value(QStringLiteral("tool_calls")).toArray().size(), 1);
        QCOMPARE(
            lastBody().value(QStringLiteral("tool_choice")).toObject(), obj(R"({"type":"tool","name":"get_time"})"));
        const Outcome single = run(p,
            req(R"({"model":"claude-sim","messages":[{"role":"user","content":"get_weather get_time"}],)" + kTools
                + R"(,"parallel_tool_calls":false})"));
        QCOMPARE(single.result->message.value(QStringLiteral("tool_calls")).toArray().size(), 1);
        QCOMPARE(lastBody().value(QStringLiteral("tool_choice")).toObject(),
            obj(R"({"type":"auto","disable_parallel_tool_use":true})"));
    }
    void toolResultsAndImages()
    {
        AnthropicProvider p(options());
        QJsonObject body = obj(
            R"({"model":"claude-sim","messages":[ {"role":"user","content":[{"type":"text","text":"What is in the picture? Use get_weather."}, {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}, {"role":"assistant","content":null,"tool_calls":[]}, {"role":"tool","tool_call_id":"toolu_1","content":"18C"}]})");
        QJsonArray messages = body.value(QStringLiteral("messages")).toArray();
        QJsonObject assistant = messages.at(1).toObject();
        assistant.insert(QStringLiteral("tool_calls"),
            QJsonArray { QJsonObject { { QStringLiteral("id"), QStringLiteral("toolu_1") },
                { QStringLiteral("type"), QStringLiteral("function") },
                { QStringLiteral("function"),
                    QJsonObject { { QStringLiteral("name"), QStringLiteral("get_weather") },
                        { QStringLiteral("arguments"), QStringLiteral("{}") } } } } });
        messages.replace(1, assistant);
        body.insert(QStringLiteral("messages"), messages);
        body.insert(QStringLiteral("tools"), obj("{" + kTools + "}").value(QStringLiteral("tools")));
        const Outcome o = run(p, req(QJsonDocument(body).toJson()));
        QVERIFY(o.result);
        QCOMPARE(o.result->finishReason, QStringLiteral("stop")); // after the tool result: text
        QVERIFY(!o.result->text().isEmpty());
        const QJsonArray sent = lastBody().value(QStringLiteral("messages")).toArray();
        QCOMPARE(sent.size(), 3);
        QCOMPARE(sent.at(0).toObject().value(QStringLiteral("content")).toArray().at(1).toObject(),
            obj(R"({"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}})"));
        QCOMPARE(sent.at(2).toObject().value(QStringLiteral("content")).toArray().at(0).toObject(),
            obj(R"({"type":"tool_result","tool_use_id":"toolu_1","content":"18C"})"));
    }
    void stopSequencesAndMaxTokens()
    {
        AnthropicProvider p(options());
        const Outcome stopped
            = run(p, req(R"({"model":"claude-sim","messages":[{"role":"user","content":"hi"}],"stop":"answer"})"));
        QVERIFY(stopped.result);
        QCOMPARE(stopped.result->text(), QStringLiteral("Simulated "));
        QCOMPARE(stopped.result->finishReason, QStringLiteral("stop"));
        QCOMPARE(stopped.result->stopSequence, QStringLiteral("answer"));
        QCOMPARE(lastBody().value(QStringLiteral("stop_sequences")).toArray(), QJsonArray { QStringLiteral("answer") });
        const Outcome cut = run(p,
            req(R"({"model":"claude-sim","messages":[{"role":"user","content":"hi"}],"max_tokens":3,"temperature":0.1})"));
        QCOMPARE(cut.result->finishReason, QStringLiteral("length"));
        QCOMPARE(lastBody().value(QStringLiteral("max_tokens")).toInt(), 3);
        QCOMPARE(lastBody().value(QStringLiteral("temperature")).toDouble(), 0.1);
    }
    void untranslatableFieldsNeverReachTheUpstream_data()
    {
        QTest::addColumn<QByteArray>("extra");
        QTest::addColumn<QString>("field");
        QTest::newRow("n") << QByteArray(R"("n":3)") << QStringLiteral("n");
        QTest::newRow("logprobs") << QByteArray(R"("logprobs":true)") << QStringLiteral("logprobs");
        QTest::newRow("audio") << QByteArray(R"("audio":{"voice":"alloy","format":"mp3"})") << QStringLiteral("audio");
    }
    void untranslatableFieldsNeverReachTheUpstream()
    {
        QFETCH(QByteArray, extra);
        QFETCH(QString, field);
        AnthropicProvider p(options());
        const Outcome o
            = run(p, req(R"({"model":"claude-sim","messages":[{"role":"user","content":"x"}],)" + extra + "}"));
        QVERIFY(o.error);
        QVERIFY(!o.synchronous);
        QCOMPARE(o.error->code, ErrorCode::InvalidArgument);
        QCOMPARE(o.error->field, field);
        QCOMPARE(m_server->calls(), 0);
    }
    void wrongKey()
    {
        AnthropicProvider p(options("sk-wrong-one"));
        const Outcome o = run(p, req(R"({"model":"claude-sim","messages":[{"role":"user","content":"x"}]})"));
        QVERIFY(o.error);
        QCOMPARE(o.error->upstreamStatus, 401);
        QVERIFY(!o.error->message.contains(QStringLiteral("sk-wrong-one")));
        QVERIFY(!isRetryableUpstreamError(*o.error));
    }
    void httpErrors_data()
    {
        QTest::addColumn<QByteArray>("faults");
        QTest::addColumn<int>("status");
        QTest::addColumn<qint64>("retryAfterMs");
        QTest::addColumn<bool>("retryable");
        QTest::newRow("500") << QByteArray(R"({"script":["500"]})") << 500 << qint64(0) << true;
        QTest::newRow("overloaded") << QByteArray(R"({"script":["529"]})") << 529 << qint64(0) << true;
        QTest::newRow("rate limit") << QByteArray(R"({"script":["429"],"retry_after_s":2})") << 429 << qint64(2000)
                                    << true;
        QTest::newRow("share of 5xx") << QByteArray(R"({"error_rate":1,"error_status":502})") << 502 << qint64(0)
                                      << true;
        QTest::newRow("bad request") << QByteArray(R"({"script":["400"]})") << 400 << qint64(0) << false;
    }
    void httpErrors()
    {
        QFETCH(QByteArray, faults);
        QFETCH(int, status);
        QFETCH(qint64, retryAfterMs);
        QFETCH(bool, retryable);
        setFaults(faults);
        AnthropicProvider p(options());
        const Outcome o = run(p, req(R"({"model":"claude-sim","messages":[{"role":"user","content":"x"}]})"));
        QVERIFY(o.error);
        QCOMPARE(o.error->code, ErrorCode::UpstreamError);
        QCOMPARE(o.error->upstreamStatus, status);
        QCOMPARE(o.error->retryAfterMs, retryAfterMs);
        QCOMPARE(isRetryableUpstreamError(*o.error), retryable);
        QCOMPARE(m_server->calls(), 1);
    }
    void simFailMarker()
    {
        AnthropicProvider p(options());
        const Outcome o
            = run(p, req(R"({"model":"claude-sim","messages":[{"role":"user","content":"boom [sim-fail:503]"}]})"));
        QVERIFY(o.error);
        QCOMPARE(o.error->upstreamStatus, 503);
    }
    void streamErrorEvent()
    {
        setFaults(R"({"script":["stream_error"],"error_status":529})");
        AnthropicProvider p(options());
        const Outcome o = run(p,
            req(R"({"model":"claude-sim","stream":true, "messages":[{"role":"user","content":"a question long enough for a stream of several events"}]})"));
        QVERIFY(o.error);
        QCOMPARE(o.error->upstreamStatus, 529); // overloaded_error inside the stream
        QVERIFY(o.deltas > 0); // some text had arrived first
    }
    void streamCutMidway()
    {
        setFaults(R"({"script":["cut"],"cut_after_events":3})");
        AnthropicProvider p(options());
        const Outcome o = run(p,
            req(R"({"model":"claude-sim","stream":true, "messages":[{"role":"user","content":"a question long enough for a stream of several events"}]})"));
        QVERIFY(o.error);
        QCOMPARE(o.error->code, ErrorCode::UpstreamError);
        QCOMPARE(o.error->upstreamStatus, 502);
        QVERIFY(o.deltas > 0);
        QVERIFY(!o.result);
    }
    void plainAnswerCut()
    {
        setFaults(R"({"cut_rate":1})");
        AnthropicProvider p(options());
        const Outcome o = run(p, req(R"({"model":"claude-sim","messages":[{"role":"user","content":"x"}]})"));
        QVERIFY(o.error);
        QCOMPARE(o.error->upstreamStatus, 502);
    }
    void hangTimesOut()
    {
        setFaults(R"({"script":["hang"]})");
        AnthropicOptions opts = options();
        opts.firstByteTimeoutMs = 300;
        AnthropicProvider p(opts);
        const Outcome o = run(p, req(R"({"model":"claude-sim","messages":[{"role":"user","content":"x"}]})"));
        QVERIFY(o.error);
        QCOMPARE(o.error->code, ErrorCode::Timeout);
        QCOMPARE(o.error->upstreamStatus, 504);
        QVERIFY(isRetryableUpstreamError(*o.error));
        // The transfer timeout too, without a first-byte timeout.
        setFaults(R"({"script":["hang"]})");
        opts.firstByteTimeoutMs = 0;
        opts.timeoutMs = 300;
        AnthropicProvider p2(opts);
        const Outcome o2 = run(p2, req(R"({"model":"claude-sim","messages":[{"role":"user","content":"x"}]})"));
        QVERIFY(o2.error);
        QCOMPARE(o2.error->code, ErrorCode::Timeout);
    }
    void slowFirstByteStillAnswers()
    {
        setFaults(R"({"first_byte_delay_ms":300,"chunk_delay_ms":5})");
        AnthropicOptions opts = options();
        opts.firstByteTimeoutMs = 3000;
        AnthropicProvider p(opts);
        QElapsedTimer t;
        t.start();
        const Outcome o
            = run(p, req(R"({"model":"claude-sim","stream":true,"messages":[{"role":"user","content":"slow"}]})"));
        QVERIFY(o.result);
        QVERIFY(t.elapsed() >= 250);
    }
    void connectRefused()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        AnthropicOptions opts;
        opts.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
        opts.apiKey = "k";
        AnthropicProvider p(opts);
        const Outcome o = run(p, req(R"({"model":"m","messages":[{"role":"user","content":"x"}]})"));
        QVERIFY(o.error);
        QCOMPARE(o.error->code, ErrorCode::UpstreamError);
        QCOMPARE(o.error->upstreamStatus, 502);
        QVERIFY(isRetryableUpstreamError(*o.error));
    }
    void refusesThenRecovers()
    {
        AnthropicProvider p(options());
        const auto request = req(R"({"model":"claude-sim","messages":[{"role":"user","content":"x"}]})");
        QVERIFY(run(p, request).result); // a keep-alive connection exists now
        m_server->refuseConnections(600);
        QTest::qWait(50);
        QVERIFY(!m_server->isListening());
        const Outcome refused = run(p, request);
        QVERIFY(refused.error);
        QCOMPARE(refused.error->upstreamStatus, 502);
        QVERIFY(QTest::qWaitFor([&] { return m_server->isListening(); }, 3000));
        QVERIFY(run(p, request).result);
        QCOMPARE(m_server->calls(), 2); // refused attempts never reached it
    }
    void cancelStopsCallbacks()
    {
        setFaults(R"({"first_byte_delay_ms":200})");
        AnthropicProvider p(options());
        std::shared_ptr<UpstreamCall> call;
        auto out = start(p, req(R"({"model":"claude-sim","messages":[{"role":"user","content":"x"}]})"), &call);
        call->cancel();
        QTest::qWait(400);
        QVERIFY(!out->done());
        // An untranslatable request cancelled at once reports nothing either.
        auto bad = start(p, req(R"({"model":"claude-sim","messages":[{"role":"user","content":"x"}],"n":2})"), &call);
        call->cancel();
        QTest::qWait(50);
        QVERIFY(!bad->done());
    }
};

QTEST_GUILESS_MAIN(TestAnthropicProvider)
#include "tst_anthropicprovider.moc"
