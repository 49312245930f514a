#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpSocket>

#include "api/openaicodec.h"
#include "upstream/simulatedprovider.h"
#include "upstream/simulatedupstreamserver.h"

using namespace l0;

namespace {
ChatRequest req(const char *json)
{
    return api::parseOpenAiChat(QByteArray(json)).value();
}
ChatRequest req(const QByteArray &json)
{
    return api::parseOpenAiChat(json).value();
}
QJsonObject obj(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

const QByteArray kTools
    = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\","
      "\"properties\":{\"city\":{\"type\":\"string\"},\"unit\":{\"type\":\"string\",\"enum\":[\"c\",\"f\"]},\"days\":{"
      "\"type\":\"integer\"},\"detail\":{\"type\":\"object\",\"properties\":{\"hourly\":{\"type\":\"boolean\"}},"
      "\"required\":[\"hourly\"]}},\"required\":[\"city\",\"unit\",\"days\",\"detail\"]}}},{\"type\":\"function\","
      "\"function\":{\"name\":\"get_time\",\"parameters\":{\"type\":\"object\",\"properties\":{}}}}]";

struct HttpReply {
    int status = 0; // 0: no HTTP answer (connection refused or dropped)
    QByteArray body;
    QJsonObject json;
    QMap<QByteArray, QByteArray> headers;
};

HttpReply send(QNetworkAccessManager &nam, const QByteArray &method, quint16 port, const QString &path,
    const QByteArray &body = {}, const QList<QPair<QByteArray, QByteArray>> &headers = {})
{
    QNetworkRequest r(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path)));
    r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    r.setTransferTimeout(5000);
    for (const auto &h : headers)
        r.setRawHeader(h.first, h.second);
    QNetworkReply *reply = nam.sendCustomRequest(r, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    HttpReply out;
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.body = reply->readAll();
    out.json = QJsonDocument::fromJson(out.body).object();
    for (const auto &h : reply->rawHeaderPairs())
        out.headers.insert(h.first.toLower(), h.second);
    reply->deleteLater();
    return out;
}

const QList<QPair<QByteArray, QByteArray>> kAnthropicHeaders { { "anthropic-version", "2023-06-01" } };
} // namespace

class TestSimulatedProvider : public QObject {
    Q_OBJECT
private slots:
    void deterministic()
    {
        const auto a = SimulatedProvider::answer(
            req("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"));
        const auto b = SimulatedProvider::answer(
            req("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"));
        const auto c = SimulatedProvider::answer(
            req("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hello!\"}]}"));
        QCOMPARE(a->text(), b->text());
        QVERIFY(a->text() != c->text());
        QVERIFY(a->usage.promptTokens > 0);
        QCOMPARE(a->usage.completionTokens, SimulatedProvider::estimateTokens(a->text()));
    }
    void maxTokensTruncates()
    {
        const auto r = SimulatedProvider::answer(
            req("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}],\"max_tokens\":3}"));
        QCOMPARE(r->finishReason, QStringLiteral("length"));
        QVERIFY(r->usage.completionTokens <= 3);
    }
    void failureMarker()
    {
        const auto r = SimulatedProvider::answer(
            req("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x [sim-fail:503]\"}]}"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().upstreamStatus, 503);
    }
    void streamsThenCompletesAndCounts()
    {
        auto stats = std::make_shared<SimulatedStats>();
        SimulatedProvider p(SimulatedOptions { 5, 1 }, stats);
        auto request
            = req("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"stream me\"}],\"stream\":true}");
        QString streamed;
        std::optional<ChatResult> done;
        ChatSink sink;
        sink.onDelta = [&](const QJsonObject &d) { streamed += d.value(QStringLiteral("content")).toString(); };
        sink.onComplete = [&](const ChatResult &r) { done = r; };
        sink.onError = [&](const Error &) { QFAIL("unexpected error"); };
        p.chat(request, sink);
        QVERIFY(!done); // never from inside chat()
        QVERIFY(QTest::qWaitFor([&] { return done.has_value(); }, 5000));
        QCOMPARE(streamed, done->text());
        QCOMPARE(stats->calls.load(), 1);
    }
    void toolCallRule()
    {
        auto calls = [](const QByteArray &json) {
            const auto r = SimulatedProvider::answer(req(json));
            return r->message.value(QStringLiteral("tool_calls")).toArray();
        };
        const QByteArray head = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"";
        // A named tool is called, with arguments from its schema.
        const QJsonArray named = calls(head + "weather in Paris? get_weather\"}]," + kTools + "}");
        QCOMPARE(named.size(), 1);
        const QJsonObject fn = named.at(0).toObject().value(QStringLiteral("function")).toObject();
        QCOMPARE(fn.value(QStringLiteral("name")).toString(), QStringLiteral("get_weather"));
        QCOMPARE(obj(fn.value(QStringLiteral("arguments")).toString().toUtf8()),
            obj("{\"city\":\"sim\",\"unit\":\"c\",\"days\":1,\"detail\":{\"hourly\":true}}"));
        QCOMPARE(named.at(0).toObject().value(QStringLiteral("type")).toString(), QStringLiteral("function"));
        const auto r = SimulatedProvider::answer(req(head + "get_weather\"}]," + kTools + "}"));
        QCOMPARE(r->finishReason, QStringLiteral("tool_calls"));
        QVERIFY(r->message.value(QStringLiteral("content")).isNull());
        QVERIFY(r->usage.completionTokens > 0);
        // Deterministic, ids included.
        QCOMPARE(calls(head + "get_weather\"}]," + kTools + "}"), calls(head + "get_weather\"}]," + kTools + "}"));
        // Both named: both called, unless parallel calls are off.
        QCOMPARE(calls(head + "get_time and get_weather\"}]," + kTools + "}").size(), 2);
        QCOMPARE(calls(head + "get_time and get_weather\"}]," + kTools + ",\"parallel_tool_calls\":false}").size(), 1);
        // No name: text, unless forced or marked.
        QVERIFY(calls(head + "hello\"}]," + kTools + "}").isEmpty());
        QCOMPARE(calls(head + "hello [sim-tool]\"}]," + kTools + "}").size(), 1);
        QCOMPARE(calls(head + "hello\"}]," + kTools + ",\"tool_choice\":\"required\"}").size(), 1);
        const QJsonArray forced = calls(head + "get_weather\"}]," + kTools
            + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}}");
        QCOMPARE(forced.size(), 1);
        QCOMPARE(forced.at(0)
                     .toObject()
                     .value(QStringLiteral("function"))
                     .toObject()
                     .value(QStringLiteral("name"))
                     .toString(),
            QStringLiteral("get_time"));
        QVERIFY(calls(head + "get_weather\"}]," + kTools + ",\"tool_choice\":\"none\"}").isEmpty());
        // Without tools, or after a tool result: text.
        QVERIFY(calls(head + "get_weather\"}]}").isEmpty());
        QVERIFY(calls(
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"get_weather\"},{\"role\":\"assistant\","
            "\"content\":null,\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"get_"
            "weather\",\"arguments\":\"{}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"c\",\"content\":\"sunny\"}],"
            + kTools + "}")
                    .isEmpty());
    }
    void stopSequences()
    {
        const auto r = SimulatedProvider::answer(req("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":"
                                                     "\"hello\"}],\"stop\":[\"zzz\",\"answer\"]}"));
        QCOMPARE(r->text(), QStringLiteral("Simulated "));
        QCOMPARE(r->finishReason, QStringLiteral("stop"));
        QCOMPARE(r->stopSequence, QStringLiteral("answer"));
        QCOMPARE(r->usage.completionTokens, SimulatedProvider::estimateTokens(r->text()));
        const auto none = SimulatedProvider::answer(
            req("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}],\"stop\":\"zzz\"}"));
        QVERIFY(none->stopSequence.isEmpty());
        QCOMPARE(none->text(),
            SimulatedProvider::answer(req("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"))
                ->text());
    }
    void streamsToolCalls()
    {
        auto stats = std::make_shared<SimulatedStats>();
        SimulatedProvider p(SimulatedOptions { 0, 0 }, stats);
        const auto request
            = req("{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"get_weather\"}],"
                + kTools + "}");
        QJsonArray streamed;
        std::optional<ChatResult> done;
        ChatSink sink;
        sink.onDelta = [&](const QJsonObject &d) {
            for (const QJsonValue &c : d.value(QStringLiteral("tool_calls")).toArray())
                streamed.append(c);
        };
        sink.onComplete = [&](const ChatResult &r) { done = r; };
        sink.onError = [&](const Error &) { QFAIL("unexpected error"); };
        p.chat(request, sink);
        QVERIFY(QTest::qWaitFor([&] { return done.has_value(); }, 5000));
        QCOMPARE(streamed.size(), 1);
        QJsonObject first = streamed.at(0).toObject();
        QCOMPARE(first.take(QStringLiteral("index")).toInt(), 0);
        QCOMPARE(QJsonValue(first), done->message.value(QStringLiteral("tool_calls")).toArray().at(0));
    }

    // ---- the simulated upstream as an HTTP server ---------------------------------------------

    void faultConfiguration()
    {
        auto c
            = SimulatedUpstreamConfig::fromJson(obj("{\"error_rate\":0.5,\"seed\":3,\"script\":[\"503\",\"ok\",429,"
                                                    "\"hang\"],\"models\":{\"b\":{\"error_rate\":0,\"cut_rate\":1}}}"));
        QVERIFY(c.ok());
        QCOMPARE(c->faults.errorRate, 0.5);
        QCOMPARE(c->faults.script,
            (QStringList {
                QStringLiteral("503"), QStringLiteral("ok"), QStringLiteral("429"), QStringLiteral("hang") }));
        QCOMPARE(c->models.value(QStringLiteral("b")).cutRate, 1.0);
        QCOMPARE(c->models.value(QStringLiteral("b")).errorRate, 0.0);
        QCOMPARE(c->models.value(QStringLiteral("b")).seed, 3u); // read over the top level
        QCOMPARE(SimulatedUpstreamConfig::fromJson(c->toJson())->toJson(), c->toJson());
        QCOMPARE(
            SimulatedUpstreamConfig::fromJson(obj("{\"error_rat\":0.5}")).error().field, QStringLiteral("error_rat"));
        QCOMPARE(
            SimulatedUpstreamConfig::fromJson(obj("{\"error_rate\":2}")).error().field, QStringLiteral("error_rate"));
        QCOMPARE(
            SimulatedUpstreamConfig::fromJson(obj("{\"script\":[\"maybe\"]}")).error().field, QStringLiteral("script"));
        QCOMPARE(SimulatedUpstreamConfig::fromJson(obj("{\"models\":{\"x\":{\"hang_rate\":-1}}}")).error().field,
            QStringLiteral("models.x.hang_rate"));
    }
    void serverOnlyOnLoopback()
    {
        SimulatedUpstreamServer s({});
        QVERIFY(!s.start(QHostAddress::Any, 0).ok());
        QVERIFY(s.start(QHostAddress::LocalHost, 0).ok());
    }
    void serverSpeaksBothWireFormats()
    {
        SimulatedUpstreamServer server({});
        QVERIFY(server.start().ok());
        QNetworkAccessManager nam;
        const QByteArray question = "{\"model\":\"sim-a\",\"messages\":[{\"role\":\"system\",\"content\":\"S\"},{"
                                    "\"role\":\"user\",\"content\":\"both wires\"}]}";
        const QString oracle = SimulatedProvider::answer(req(question))->text();

        HttpReply o = send(nam, "POST", server.port(), QStringLiteral("/v1/chat/completions"), question);
        QCOMPARE(o.status, 200);
        QCOMPARE(o.json.value(QStringLiteral("object")).toString(), QStringLiteral("chat.completion"));
        QCOMPARE(o.json.value(QStringLiteral("choices"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("message"))
                     .toObject()
                     .value(QStringLiteral("content"))
                     .toString(),
            oracle);
        QVERIFY(o.json.value(QStringLiteral("usage")).toObject().value(QStringLiteral("prompt_tokens")).toInt() > 0);

        QByteArray streamReq = question;
        streamReq.replace("{\"model\"", "{\"stream\":true,\"stream_options\":{\"include_usage\":true},\"model\"");
        HttpReply os = send(nam, "POST", server.port(), QStringLiteral("/v1/chat/completions"), streamReq);
        QCOMPARE(os.status, 200);
        QVERIFY(os.headers.value("content-type").startsWith("text/event-stream"));
        QVERIFY(os.body.endsWith("data: [DONE]\n\n"));
        QVERIFY(os.body.contains("\"completion_tokens\""));
        QString text;
        for (const QByteArray &line : os.body.split('\n')) {
            if (line.startsWith("data: {"))
                text += obj(line.mid(6))
                            .value(QStringLiteral("choices"))
                            .toArray()
                            .at(0)
                            .toObject()
                            .value(QStringLiteral("delta"))
                            .toObject()
                            .value(QStringLiteral("content"))
                            .toString();
        }
        QCOMPARE(text, oracle);

        const QByteArray aq = "{\"model\":\"sim-a\",\"max_tokens\":4096,\"system\":\"S\",\"messages\":[{\"role\":"
                              "\"user\",\"content\":\"both wires\"}]}";
        HttpReply a = send(nam, "POST", server.port(), QStringLiteral("/v1/messages"), aq, kAnthropicHeaders);
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json.value(QStringLiteral("type")).toString(), QStringLiteral("message"));
        QCOMPARE(
            a.json.value(QStringLiteral("content")).toArray().at(0).toObject().value(QStringLiteral("text")).toString(),
            oracle);
        QCOMPARE(a.json.value(QStringLiteral("stop_reason")).toString(), QStringLiteral("end_turn"));
        QVERIFY(a.json.value(QStringLiteral("usage")).toObject().value(QStringLiteral("output_tokens")).toInt() > 0);

        QByteArray astreamReq = aq;
        astreamReq.replace("{\"model\"", "{\"stream\":true,\"model\"");
        HttpReply as = send(nam, "POST", server.port(), QStringLiteral("/v1/messages"), astreamReq, kAnthropicHeaders);
        QCOMPARE(as.status, 200);
        QVERIFY(as.body.startsWith("event: message_start"));
        QVERIFY(as.body.contains("event: message_stop"));

        HttpReply noVersion = send(nam, "POST", server.port(), QStringLiteral("/v1/messages"), aq);
        QCOMPARE(noVersion.status, 400);
        QCOMPARE(noVersion.json.value(QStringLiteral("type")).toString(), QStringLiteral("error"));
        HttpReply invalid = send(nam, "POST", server.port(), QStringLiteral("/v1/messages"),
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", kAnthropicHeaders);
        QCOMPARE(invalid.status, 400); // no max_tokens, as the real API says
        QCOMPARE(send(nam, "GET", server.port(), QStringLiteral("/v1/nothing")).status, 404);

        const QJsonObject stats = send(nam, "GET", server.port(), QStringLiteral("/stats")).json;
        QCOMPARE(stats.value(QStringLiteral("calls")).toInt(), 6);
        QCOMPARE(stats.value(QStringLiteral("models")).toObject().value(QStringLiteral("sim-a")).toInt(), 5);
        QCOMPARE(stats.value(QStringLiteral("paths")).toObject().value(QStringLiteral("/v1/messages")).toInt(), 4);
        QCOMPARE(server.calls(QStringLiteral("sim-a")), 5);
        QCOMPARE(send(nam, "POST", server.port(), QStringLiteral("/stats/reset"))
                     .json.value(QStringLiteral("calls"))
                     .toInt(),
            0);
        QCOMPARE(server.calls(), 0);
    }
    void keyIsRequiredWhenSet()
    {
        SimulatedUpstreamOptions o;
        o.apiKey = "k-123";
        SimulatedUpstreamServer server(o);
        QVERIFY(server.start().ok());
        QNetworkAccessManager nam;
        const QByteArray q = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
        QCOMPARE(send(nam, "POST", server.port(), QStringLiteral("/v1/chat/completions"), q).status, 401);
        QCOMPARE(send(nam, "POST", server.port(), QStringLiteral("/v1/chat/completions"), q,
                     { { "authorization", "Bearer k-123" } })
                     .status,
            200);
        const QByteArray aq = "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
        QCOMPARE(send(nam, "POST", server.port(), QStringLiteral("/v1/messages"), aq,
                     { { "anthropic-version", "2023-06-01" }, { "authorization", "Bearer k-123" } })
                     .status,
            200);
        QCOMPARE(send(nam, "POST", server.port(), QStringLiteral("/v1/messages"), aq,
                     { { "anthropic-version", "2023-06-01" }, { "x-api-key", "wrong" } })
                     .status,
            401);
        const HttpReply ok = send(nam, "POST", server.port(), QStringLiteral("/v1/messages"), aq,
            { { "anthropic-version", "2023-06-01" }, { "x-api-key", "k-123" } });
        QCOMPARE(ok.status, 200);
        QVERIFY(!QJsonDocument(server.stats()).toJson().contains("k-123")); // never reported
    }
    void sharesAreDeterministicPerModel()
    {
        SimulatedUpstreamOptions o;
        o.config = *SimulatedUpstreamConfig::fromJson(
            obj("{\"error_rate\":0.25,\"models\":{\"steady\":{\"error_rate\":0}}}"));
        SimulatedUpstreamServer server(o);
        QVERIFY(server.start().ok());
        QNetworkAccessManager nam;
        QList<int> failed;
        for (int k = 1; k <= 12; ++k) {
            const int status = send(nam, "POST", server.port(), QStringLiteral("/v1/chat/completions"),
                "{\"model\":\"flaky\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                                   .status;
            if (status != 200) {
                QCOMPARE(status, 503);
                failed << k;
            }
            QCOMPARE(send(nam, "POST", server.port(), QStringLiteral("/v1/chat/completions"),
                         "{\"model\":\"steady\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                         .status,
                200);
        }
        QCOMPARE(failed, (QList<int> { 4, 8, 12 }));
        QCOMPARE(server.calls(QStringLiteral("flaky")), 12);
        QCOMPARE(server.stats().value(QStringLiteral("outcomes")).toObject().value(QStringLiteral("error")).toInt(), 3);
        // A seed moves the failures but not their number.
        SimulatedUpstreamConfig seeded = server.config();
        seeded.faults.seed = 1;
        seeded.models.clear();
        server.setConfig(seeded);
        int n = 0;
        QList<int> seededFailed;
        for (int k = 1; k <= 12; ++k) {
            if (send(nam, "POST", server.port(), QStringLiteral("/v1/chat/completions"),
                    "{\"model\":\"flaky\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                    .status
                != 200) {
                ++n;
                seededFailed << k;
            }
        }
        QCOMPARE(n, 3);
        QVERIFY(seededFailed != failed);
    }
    void scriptAndRateLimitAtRunTime()
    {
        SimulatedUpstreamServer server({});
        QVERIFY(server.start().ok());
        QNetworkAccessManager nam;
        const HttpReply set = send(nam, "POST", server.port(), QStringLiteral("/control/faults"),
            "{\"script\":[\"429\",\"529\",\"ok\"],\"retry_after_s\":7}");
        QCOMPARE(set.status, 200);
        QCOMPARE(send(nam, "GET", server.port(), QStringLiteral("/control/faults"))
                     .json.value(QStringLiteral("retry_after_s"))
                     .toInt(),
            7);
        QCOMPARE(send(nam, "POST", server.port(), QStringLiteral("/control/faults"), "{\"bogus\":1}").status, 400);
        const QByteArray aq = "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
        const HttpReply limited
            = send(nam, "POST", server.port(), QStringLiteral("/v1/messages"), aq, kAnthropicHeaders);
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.headers.value("retry-after"), QByteArray("7"));
        QCOMPARE(limited.json.value(QStringLiteral("error")).toObject().value(QStringLiteral("type")).toString(),
            QStringLiteral("rate_limit_error"));
        const HttpReply overloaded
            = send(nam, "POST", server.port(), QStringLiteral("/v1/messages"), aq, kAnthropicHeaders);
        QCOMPARE(overloaded.status, 529);
        QCOMPARE(overloaded.json.value(QStringLiteral("error")).toObject().value(QStringLiteral("type")).toString(),
            QStringLiteral("overloaded_error"));
        QCOMPARE(send(nam, "POST", server.port(), QStringLiteral("/v1/messages"), aq, kAnthropicHeaders).status, 200);
        const QJsonObject outcomes = server.stats().value(QStringLiteral("outcomes")).toObject();
        QCOMPARE(outcomes.value(QStringLiteral("rate_limit")).toInt(), 1);
        QCOMPARE(outcomes.value(QStringLiteral("error")).toInt(), 1);
        QCOMPARE(outcomes.value(QStringLiteral("ok")).toInt(), 1);
    }
    void slowFirstByteAndHang()
    {
        SimulatedUpstreamOptions o;
        o.config
            = *SimulatedUpstreamConfig::fromJson(obj("{\"first_byte_delay_ms\":200,\"script\":[\"ok\",\"hang\"]}"));
        SimulatedUpstreamServer server(o);
        QVERIFY(server.start().ok());
        QNetworkAccessManager nam;
        QElapsedTimer t;
        t.start();
        QCOMPARE(send(nam, "POST", server.port(), QStringLiteral("/v1/chat/completions"),
                     "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                     .status,
            200);
        QVERIFY(t.elapsed() >= 180);
        QNetworkRequest r(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/chat/completions").arg(server.port())));
        r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        QNetworkReply *hung
            = nam.post(r, QByteArray("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));
        QTest::qWait(600);
        QVERIFY(!hung->isFinished()); // never answered
        hung->abort();
        hung->deleteLater();
        QCOMPARE(server.calls(), 2);
    }
    void refuseAfterCallsThenListenAgain()
    {
        SimulatedUpstreamOptions o;
        o.config = *SimulatedUpstreamConfig::fromJson(obj("{\"refuse_after_calls\":2,\"refuse_ms\":400}"));
        SimulatedUpstreamServer server(o);
        QVERIFY(server.start().ok());
        QNetworkAccessManager nam;
        const QByteArray q = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
        QCOMPARE(send(nam, "POST", server.port(), QStringLiteral("/v1/chat/completions"), q).status, 200);
        QCOMPARE(send(nam, "POST", server.port(), QStringLiteral("/v1/chat/completions"), q).status, 200);
        QVERIFY(QTest::qWaitFor([&] { return !server.isListening(); }, 2000));
        QTcpSocket probe;
        probe.connectToHost(QStringLiteral("127.0.0.1"), server.port());
        QVERIFY(!probe.waitForConnected(1000)); // refused
        QCOMPARE(send(nam, "POST", server.port(), QStringLiteral("/v1/chat/completions"), q).status, 0);
        QVERIFY(QTest::qWaitFor([&] { return server.isListening(); }, 3000));
        QCOMPARE(send(nam, "POST", server.port(), QStringLiteral("/v1/chat/completions"), q).status, 200);
        QCOMPARE(server.calls(), 3);
        QCOMPARE(
            send(nam, "GET", server.port(), QStringLiteral("/stats")).json.value(QStringLiteral("listening")).toBool(),
            true);
    }
    void cancelStopsCallbacks()
    {
        auto stats = std::make_shared<SimulatedStats>();
        SimulatedProvider p(SimulatedOptions { 20, 0 }, stats);
        bool called = false;
        ChatSink sink;
        sink.onDelta = [&](const QJsonObject &) { called = true; };
        sink.onComplete = [&](const ChatResult &) { called = true; };
        sink.onError = [&](const Error &) { called = true; };
        auto call = p.chat(req("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"), sink);
        call->cancel();
        QTest::qWait(100);
        QVERIFY(!called);
    }
};

QTEST_GUILESS_MAIN(TestSimulatedProvider)
#include "tst_simulatedprovider.moc"
