#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "api/anthropiccodec.h"
#include "api/openaicodec.h"
#include "cache/exactkey.h"
#include "upstream/anthropicprovider.h"
#include "upstream/anthropicwire.h"
#include "upstream/openaiprovider.h"
#include "upstream/upstreamerror.h"

using namespace l0;

namespace {

QJsonObject obj(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QJsonObject openAiToolCall(const QString &id, const QString &name, const QJsonObject &args)
{
    return QJsonObject { { QStringLiteral("id"), id }, { QStringLiteral("type"), QStringLiteral("function") },
        { QStringLiteral("function"),
            QJsonObject { { QStringLiteral("name"), name },
                { QStringLiteral("arguments"),
                    QString::fromUtf8(QJsonDocument(args).toJson(QJsonDocument::Compact)) } } } };
}

QJsonObject weatherTool()
{
    return obj(
        R"({"type":"function","function":{"name":"get_weather","description":"Weather now", "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}})");
}

// An OpenAI tool conversation: system, question, tool call, tool result, follow-up.
QJsonObject openAiToolConversation()
{
    QJsonObject body = obj(R"({"model":"m","max_tokens":50,"tools":[]})");
    body.insert(QStringLiteral("tools"), QJsonArray { weatherTool() });
    QJsonArray messages;
    messages.append(obj(R"({"role":"system","content":"Be brief."})"));
    messages.append(obj(R"({"role":"user","content":"Weather in Paris?"})"));
    QJsonObject assistant = obj(R"({"role":"assistant","content":null})");
    assistant.insert(QStringLiteral("tool_calls"),
        QJsonArray { openAiToolCall(QStringLiteral("call_1"), QStringLiteral("get_weather"),
            QJsonObject { { QStringLiteral("city"), QStringLiteral("Paris") } }) });
    messages.append(assistant);
    messages.append(obj(R"({"role":"tool","tool_call_id":"call_1","content":"18C, sunny"})"));
    body.insert(QStringLiteral("messages"), messages);
    return body;
}

ChatRequest fromOpenAi(const QJsonObject &body)
{
    auto r = api::parseOpenAiChat(compact(body));
    if (!r)
        qWarning() << r.error().toString();
    return r.value();
}

ChatRequest fromAnthropic(const QByteArray &body)
{
    auto r = api::parseAnthropicMessages(body);
    if (!r)
        qWarning() << r.error().toString();
    return r.value();
}

// Every event's data in an SSE byte stream.
QList<QByteArray> sseData(const QByteArray &all)
{
    QList<QByteArray> out;
    for (const QByteArray &line : all.split('\n')) {
        if (line.startsWith("data: "))
            out << line.mid(6);
    }
    return out;
}

} // namespace

class TestWireTranslation : public QObject {
    Q_OBJECT
private slots:
    // ---- OpenAI client -> Anthropic upstream -------------------------------------------------

    void openAiRequestToAnthropic()
    {
        QJsonObject body = openAiToolConversation();
        QJsonArray messages = body.value(QStringLiteral("messages")).toArray();
        messages.insert(1, obj(R"({"role":"developer","content":[{"type":"text","text":"Use metric."}]})"));
        messages.append(
            obj("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"And this?\"}, "
                "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AAAA\",\"detail\":\"high\"}}, "
                "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/a.jpg\"}}]}"));
        body.insert(QStringLiteral("messages"), messages);
        body.remove(QStringLiteral("max_tokens"));
        body.insert(QStringLiteral("max_completion_tokens"), 200);
        body.insert(QStringLiteral("stop"), QStringLiteral("END"));
        body.insert(QStringLiteral("temperature"), 0.5);
        body.insert(QStringLiteral("top_p"), 0.9);
        body.insert(QStringLiteral("tool_choice"), QStringLiteral("required"));
        body.insert(QStringLiteral("parallel_tool_calls"), false);
        body.insert(QStringLiteral("n"), 1);
        body.insert(QStringLiteral("stream"), true);
        auto a = anthropicRequestJson(fromOpenAi(body));
        QVERIFY2(a.ok(), qPrintable(a.ok() ? QString() : a.error().message));
        const QJsonObject o = *a;
        QCOMPARE(o.value(QStringLiteral("system")).toString(), QStringLiteral("Be brief.\nUse metric."));
        QCOMPARE(o.value(QStringLiteral("max_tokens")).toInt(), 200);
        QCOMPARE(o.value(QStringLiteral("stop_sequences")).toArray(), QJsonArray { QStringLiteral("END") });
        QCOMPARE(o.value(QStringLiteral("temperature")).toDouble(), 0.5);
        QCOMPARE(o.value(QStringLiteral("top_p")).toDouble(), 0.9);
        QVERIFY(o.value(QStringLiteral("stream")).toBool());
        QVERIFY(!o.contains(QStringLiteral("n")));
        QCOMPARE(o.value(QStringLiteral("tool_choice")).toObject(),
            obj(R"({"type":"any","disable_parallel_tool_use":true})"));
        QCOMPARE(o.value(QStringLiteral("tools")).toArray().at(0).toObject(),
            obj(R"({"name":"get_weather","description":"Weather now", "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}})"));

        const QJsonArray m = o.value(QStringLiteral("messages")).toArray();
        QCOMPARE(m.size(), 3); // user, assistant(tool_use), user(tool_result + follow-up)
        QCOMPARE(m.at(0).toObject(), obj(R"({"role":"user","content":"Weather in Paris?"})"));
        QCOMPARE(m.at(1).toObject(),
            obj(R"({"role":"assistant","content":[{"type":"tool_use","id":"call_1", "name":"get_weather","input":{"city":"Paris"}}]})"));
        const QJsonArray last = m.at(2).toObject().value(QStringLiteral("content")).toArray();
        QCOMPARE(m.at(2).toObject().value(QStringLiteral("role")).toString(), QStringLiteral("user"));
        QCOMPARE(last.size(), 4);
        QCOMPARE(last.at(0).toObject(), obj(R"({"type":"tool_result","tool_use_id":"call_1","content":"18C, sunny"})"));
        QCOMPARE(last.at(1).toObject(), obj(R"({"type":"text","text":"And this?"})"));
        QCOMPARE(last.at(2).toObject(),
            obj(R"({"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}})"));
        QCOMPARE(last.at(3).toObject(),
            obj("{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/a.jpg\"}}"));
    }
    void maxTokensDefaultAndToolChoices()
    {
        QJsonObject body = obj(R"({"model":"m","messages":[{"role":"user","content":"hi"}],"stop":["a","b"]})");
        auto a = anthropicRequestJson(fromOpenAi(body));
        QVERIFY(a.ok());
        QCOMPARE(a->value(QStringLiteral("max_tokens")).toInt(), kAnthropicDefaultMaxTokens);
        QCOMPARE(a->value(QStringLiteral("max_tokens")).toInt(), 4096);
        QCOMPARE(a->value(QStringLiteral("stop_sequences")).toArray().size(), 2);
        QVERIFY(!a->contains(QStringLiteral("system")));
        QCOMPARE(anthropicRequestJson(fromOpenAi(body), 77)->value(QStringLiteral("max_tokens")).toInt(), 77);

        body.insert(QStringLiteral("tools"), QJsonArray { weatherTool() });
        const QList<QPair<QJsonValue, QJsonObject>> cases {
            { QStringLiteral("auto"), obj(R"({"type":"auto"})") },
            { QStringLiteral("none"), obj(R"({"type":"none"})") },
            { obj(R"({"type":"function","function":{"name":"get_weather"}})"),
                obj(R"({"type":"tool","name":"get_weather"})") },
        };
        for (const auto &c : cases) {
            body.insert(QStringLiteral("tool_choice"), c.first);
            auto t = anthropicRequestJson(fromOpenAi(body));
            QVERIFY(t.ok());
            QCOMPARE(t->value(QStringLiteral("tool_choice")).toObject(), c.second);
        }
        body.remove(QStringLiteral("tool_choice"));
        body.insert(QStringLiteral("parallel_tool_calls"), false);
        QCOMPARE(anthropicRequestJson(fromOpenAi(body))->value(QStringLiteral("tool_choice")).toObject(),
            obj(R"({"type":"auto","disable_parallel_tool_use":true})"));
    }
    void openAiDefaultsAreAccepted()
    {
        const QJsonObject body = obj(
            R"({"model":"m","messages":[{"role":"user","content":"hi"}],"n":1, "logprobs":false,"presence_penalty":0,"frequency_penalty":0,"response_format":{"type":"text"}, "modalities":["text"],"logit_bias":{},"prompt_cache_key":"k","user":"u"})");
        auto a = anthropicRequestJson(fromOpenAi(body));
        QVERIFY2(a.ok(), qPrintable(a.ok() ? QString() : a.error().message));
        QCOMPARE(a->keys(),
            (QStringList { QStringLiteral("max_tokens"), QStringLiteral("messages"), QStringLiteral("model") }));
    }
    void untranslatableOpenAiFieldsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        const QByteArray hi = R"("messages":[{"role":"user","content":"hi"}])";
        QTest::newRow("n>1") << QByteArray("{\"model\":\"m\"," + hi + ",\"n\":2}") << QStringLiteral("n");
        QTest::newRow("logprobs") << QByteArray("{\"model\":\"m\"," + hi + ",\"logprobs\":true}")
                                  << QStringLiteral("logprobs");
        QTest::newRow("top_logprobs") << QByteArray("{\"model\":\"m\"," + hi + ",\"top_logprobs\":2}")
                                      << QStringLiteral("top_logprobs");
        QTest::newRow("audio") << QByteArray("{\"model\":\"m\"," + hi + ",\"audio\":{\"voice\":\"x\"}}")
                               << QStringLiteral("audio");
        QTest::newRow("modalities") << QByteArray("{\"model\":\"m\"," + hi + ",\"modalities\":[\"text\",\"audio\"]}")
                                    << QStringLiteral("modalities");
        QTest::newRow("seed") << QByteArray("{\"model\":\"m\"," + hi + ",\"seed\":7}") << QStringLiteral("seed");
        QTest::newRow("penalty") << QByteArray("{\"model\":\"m\"," + hi + ",\"presence_penalty\":1}")
                                 << QStringLiteral("presence_penalty");
        QTest::newRow("json mode") << QByteArray(
            "{\"model\":\"m\"," + hi + ",\"response_format\":{\"type\":\"json_object\"}}")
                                   << QStringLiteral("response_format");
        QTest::newRow("temperature above 1")
            << QByteArray("{\"model\":\"m\"," + hi + ",\"temperature\":1.5}") << QStringLiteral("temperature");
        QTest::newRow("unknown") << QByteArray("{\"model\":\"m\"," + hi + ",\"reasoning_effort\":\"low\"}")
                                 << QStringLiteral("reasoning_effort");
        QTest::newRow("audio part") << QByteArray(
            R"({"model":"m","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{}}]}]})")
                                    << QStringLiteral("messages[0].content[0]");
        QTest::newRow("file id") << QByteArray(
            R"({"model":"m","messages":[{"role":"user","content":[{"type":"file","file":{"file_id":"f"}}]}]})")
                                 << QStringLiteral("messages[0].content[0]");
        QTest::newRow("image url scheme") << QByteArray(
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{"
            "\"url\":\"ftp://x\"}}]}]}") << QStringLiteral("messages[0].content[0].image_url.url");
        QTest::newRow("name") << QByteArray(R"({"model":"m","messages":[{"role":"user","name":"bob","content":"hi"}]})")
                              << QStringLiteral("messages[0].name");
        QTest::newRow("function role") << QByteArray(
            R"({"model":"m","messages":[{"role":"function","name":null,"content":"x"}]})")
                                       << QStringLiteral("messages[0].role");
        QTest::newRow("custom tool") << QByteArray(
            "{\"model\":\"m\"," + hi + ",\"tools\":[{\"type\":\"custom\",\"custom\":{}}]}")
                                     << QStringLiteral("tools[0].type");
        QTest::newRow("forced tool without tools")
            << QByteArray("{\"model\":\"m\"," + hi + ",\"tool_choice\":\"required\"}") << QStringLiteral("tool_choice");
        QTest::newRow("only system") << QByteArray(R"({"model":"m","messages":[{"role":"system","content":"x"}]})")
                                     << QStringLiteral("messages");
    }
    void untranslatableOpenAiFieldsAreRefused()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        auto parsed = api::parseOpenAiChat(body);
        QVERIFY2(parsed.ok(), body.constData());
        auto a = anthropicRequestJson(*parsed);
        QVERIFY(!a.ok());
        QCOMPARE(a.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(a.error().field, field);
        QVERIFY2(a.error().message.startsWith(field), qPrintable(a.error().message));
    }
    void toolArgumentsMustBeAnObject()
    {
        QJsonObject body = openAiToolConversation();
        QJsonArray messages = body.value(QStringLiteral("messages")).toArray();
        QJsonObject assistant = messages.at(2).toObject();
        QJsonObject call = assistant.value(QStringLiteral("tool_calls")).toArray().at(0).toObject();
        QJsonObject fn = call.value(QStringLiteral("function")).toObject();
        fn.insert(QStringLiteral("arguments"), QStringLiteral("not json"));
        call.insert(QStringLiteral("function"), fn);
        assistant.insert(QStringLiteral("tool_calls"), QJsonArray { call });
        messages.replace(2, assistant);
        body.insert(QStringLiteral("messages"), messages);
        auto a = anthropicRequestJson(fromOpenAi(body));
        QVERIFY(!a.ok());
        QCOMPARE(a.error().field, QStringLiteral("messages[2].tool_calls[0].function.arguments"));
    }

    // ---- Anthropic upstream answers -> neutral result -----------------------------------------

    void anthropicMessageToResult()
    {
        auto r = chatResultFromAnthropic(obj(
            R"({"id":"msg_1","type":"message","role":"assistant","model":"claude-x", "content":[{"type":"text","text":"Let me check. "},{"type":"text","text":"One moment."}, {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}], "stop_reason":"tool_use","stop_sequence":null, "usage":{"input_tokens":10,"cache_read_input_tokens":5,"cache_creation_input_tokens":2,"output_tokens":7}})"));
        QVERIFY(r.ok());
        QCOMPARE(r->text(), QStringLiteral("Let me check. One moment."));
        QCOMPARE(r->finishReason, QStringLiteral("tool_calls"));
        QCOMPARE(r->modelUsed, QStringLiteral("claude-x"));
        QCOMPARE(r->usage.promptTokens, 17);
        QCOMPARE(r->usage.completionTokens, 7);
        const QJsonObject call = r->message.value(QStringLiteral("tool_calls")).toArray().at(0).toObject();
        QCOMPARE(call.value(QStringLiteral("id")).toString(), QStringLiteral("toolu_1"));
        QCOMPARE(call.value(QStringLiteral("type")).toString(), QStringLiteral("function"));
        QCOMPARE(obj(call.value(QStringLiteral("function"))
                         .toObject()
                         .value(QStringLiteral("arguments"))
                         .toString()
                         .toUtf8()),
            obj(R"({"city":"Paris"})"));

        // Rendered for an OpenAI client.
        const QJsonObject rendered
            = obj(api::OpenAiRenderer(QStringLiteral("c1"), 1, QStringLiteral("claude-x"), false).completion(*r));
        const QJsonObject choice = rendered.value(QStringLiteral("choices")).toArray().at(0).toObject();
        QCOMPARE(choice.value(QStringLiteral("finish_reason")).toString(), QStringLiteral("tool_calls"));
        QCOMPARE(
            choice.value(QStringLiteral("message")).toObject().value(QStringLiteral("tool_calls")).toArray().size(), 1);
        QCOMPARE(rendered.value(QStringLiteral("usage")).toObject().value(QStringLiteral("total_tokens")).toInt(), 24);

        auto onlyTool = chatResultFromAnthropic(obj(
            R"({"type":"message","content":[{"type":"tool_use","id":"t", "name":"f","input":{}}],"stop_reason":"tool_use"})"));
        QVERIFY(onlyTool->message.value(QStringLiteral("content")).isNull());
        QVERIFY(!chatResultFromAnthropic(obj(R"({"type":"message","content":[{"type":"server_tool_use"}]})")).ok());
        QVERIFY(!chatResultFromAnthropic(obj(R"({"type":"error"})")).ok());
    }
    void finishReasons_data()
    {
        QTest::addColumn<QString>("stop");
        QTest::addColumn<QString>("finish");
        QTest::newRow("end_turn") << QStringLiteral("end_turn") << QStringLiteral("stop");
        QTest::newRow("stop_sequence") << QStringLiteral("stop_sequence") << QStringLiteral("stop");
        QTest::newRow("max_tokens") << QStringLiteral("max_tokens") << QStringLiteral("length");
        QTest::newRow("tool_use") << QStringLiteral("tool_use") << QStringLiteral("tool_calls");
        QTest::newRow("refusal") << QStringLiteral("refusal") << QStringLiteral("content_filter");
        QTest::newRow("pause_turn") << QStringLiteral("pause_turn") << QStringLiteral("stop");
    }
    void finishReasons()
    {
        QFETCH(QString, stop);
        QFETCH(QString, finish);
        QCOMPARE(finishReasonFromAnthropic(stop), finish);
    }
    void stopSequenceTravels()
    {
        auto r = chatResultFromAnthropic(obj(
            R"({"type":"message","model":"c","content":[{"type":"text","text":"a"}], "stop_reason":"stop_sequence","stop_sequence":"END","usage":{"input_tokens":1,"output_tokens":1}})"));
        QCOMPARE(r->finishReason, QStringLiteral("stop"));
        QCOMPARE(r->stopSequence, QStringLiteral("END"));
        // Stored and read back, then shown to an Anthropic client as it came.
        const auto back = ChatResult::fromJson(r->toJson());
        QCOMPARE(back->stopSequence, QStringLiteral("END"));
        const QJsonObject m = obj(api::AnthropicRenderer(QStringLiteral("m1"), QStringLiteral("c")).completion(*back));
        QCOMPARE(m.value(QStringLiteral("stop_reason")).toString(), QStringLiteral("stop_sequence"));
        QCOMPARE(m.value(QStringLiteral("stop_sequence")).toString(), QStringLiteral("END"));
        // Answers without one keep the stored shape they always had.
        ChatResult plain;
        QVERIFY(!plain.toJson().contains(QStringLiteral("stop_sequence")));
    }
    void streamParser()
    {
        AnthropicStreamParser p;
        QStringList text;
        QString args;
        auto feed = [&](const QByteArray &data) {
            auto d = p.addEvent(data);
            QVERIFY2(d.ok(), data.constData());
            text << d->value(QStringLiteral("content")).toString();
            for (const QJsonValue &c : d->value(QStringLiteral("tool_calls")).toArray())
                args += c.toObject()
                            .value(QStringLiteral("function"))
                            .toObject()
                            .value(QStringLiteral("arguments"))
                            .toString();
        };
        feed(
            R"({"type":"message_start","message":{"model":"claude-x","usage":{"input_tokens":12,"output_tokens":1}}})");
        feed(R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})");
        feed(R"({"type":"ping"})");
        feed(R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}})");
        feed(R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo"}})");
        feed(R"({"type":"content_block_stop","index":0})");
        feed(
            R"({"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_9","name":"get_weather","input":{}}})");
        feed(R"({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}})");
        feed("{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":"
             "\"{\\\"ci\"}}");
        feed("{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":"
             "\"ty\\\":\\\"Oslo\\\"}\"}}");
        feed(R"({"type":"content_block_stop","index":1})");
        feed(R"({"type":"some_future_event"})");
        feed(
            R"({"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":15}})");
        QVERIFY(!p.finished());
        feed(R"({"type":"message_stop"})");
        QVERIFY(p.finished());
        QCOMPARE(text.join(QString()), QStringLiteral("Hello"));
        QCOMPARE(obj(args.toUtf8()), obj(R"({"city":"Oslo"})"));
        const ChatResult r = p.result();
        QCOMPARE(r.text(), QStringLiteral("Hello"));
        QCOMPARE(r.finishReason, QStringLiteral("tool_calls"));
        QCOMPARE(r.usage.promptTokens, 12);
        QCOMPARE(r.usage.completionTokens, 15);
        QCOMPARE(r.modelUsed, QStringLiteral("claude-x"));
        const QJsonObject call = r.message.value(QStringLiteral("tool_calls")).toArray().at(0).toObject();
        QCOMPARE(call.value(QStringLiteral("id")).toString(), QStringLiteral("toolu_9"));
        QCOMPARE(obj(call.value(QStringLiteral("function"))
                         .toObject()
                         .value(QStringLiteral("arguments"))
                         .toString()
                         .toUtf8()),
            obj(R"({"city":"Oslo"})"));
    }
    void streamParserToolWithoutInputDeltas()
    {
        AnthropicStreamParser p;
        QVERIFY(p.addEvent(R"({"type":"message_start","message":{"usage":{"input_tokens":1}}})").ok());
        QVERIFY(
            p.addEvent(
                 R"({"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"t","name":"now","input":{}}})")
                .ok());
        auto d = p.addEvent(R"({"type":"content_block_stop","index":0})");
        QCOMPARE(d->value(QStringLiteral("tool_calls"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("function"))
                     .toObject()
                     .value(QStringLiteral("arguments"))
                     .toString(),
            QStringLiteral("{}"));
        QVERIFY(p.result().message.value(QStringLiteral("content")).isNull());
    }
    void streamErrorEvents()
    {
        AnthropicStreamParser p;
        auto e = p.addEvent(R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");
        QVERIFY(!e.ok());
        QCOMPARE(e.error().code, ErrorCode::UpstreamError);
        QCOMPARE(e.error().upstreamStatus, 529);
        QVERIFY(isRetryableUpstreamError(e.error()));
        auto api = AnthropicStreamParser().addEvent(R"({"type":"error","error":{"type":"api_error","message":"x"}})");
        QCOMPARE(api.error().upstreamStatus, 500);
        QVERIFY(!AnthropicStreamParser().addEvent("not json").ok());
    }
    void anthropicHttpErrors()
    {
        const Error rl = anthropicUpstreamError(
            429, R"({"type":"error","error":{"type":"rate_limit_error","message":"slow down"}})", {});
        QCOMPARE(rl.upstreamStatus, 429);
        QVERIFY(rl.message.contains(QStringLiteral("slow down")));
        QVERIFY(isRetryableUpstreamError(rl));
        const Error ov
            = anthropicUpstreamError(503, R"({"type":"error","error":{"type":"overloaded_error","message":"o"}})", {});
        QCOMPARE(ov.upstreamStatus, 529);
        const Error bad = anthropicUpstreamError(
            400, R"({"type":"error","error":{"type":"invalid_request_error","message":"x"}})", {});
        QVERIFY(!isRetryableUpstreamError(bad));
        QVERIFY(!isRetryableUpstreamError(anthropicUpstreamError(401, "", QStringLiteral("HTTP 401"))));
        QVERIFY(!isRetryableUpstreamError(makeFieldError(QStringLiteral("n"), QStringLiteral("n"))));
        Error timeout = makeError(ErrorCode::Timeout, QStringLiteral("t"));
        QVERIFY(isRetryableUpstreamError(timeout));
    }
    void retryAfterHeaders()
    {
        QCOMPARE(retryAfterMsFromHeaders({}, "2", 0), 2000);
        QCOMPARE(retryAfterMsFromHeaders("1500", "9", 0), 1500);
        QCOMPARE(retryAfterMsFromHeaders({}, "0.5", 0), 500);
        QCOMPARE(retryAfterMsFromHeaders({}, {}, 0), 0);
        QCOMPARE(retryAfterMsFromHeaders({}, "soon", 0), 0);
        const qint64 at = QDateTime(QDate(2030, 1, 2), QTime(3, 4, 5), Qt::UTC).toMSecsSinceEpoch();
        QCOMPARE(retryAfterMsFromHeaders({}, "Wed, 02 Jan 2030 03:04:08 GMT", at), 3000);
    }
    void messagesUrl()
    {
        QCOMPARE(AnthropicProvider::messagesUrl(QUrl(QStringLiteral("https://api.anthropic.com"))).toString(),
            QStringLiteral("https://api.anthropic.com/v1/messages"));
        QCOMPARE(AnthropicProvider::messagesUrl(QUrl(QStringLiteral("http://127.0.0.1:9/"))).toString(),
            QStringLiteral("http://127.0.0.1:9/v1/messages"));
        QCOMPARE(AnthropicProvider::messagesUrl(QUrl(QStringLiteral("http://h/proxy/v1"))).toString(),
            QStringLiteral("http://h/proxy/v1/messages"));
    }

    // ---- Anthropic client -> neutral -> OpenAI-compatible upstream ----------------------------

    void anthropicRequestToOpenAi()
    {
        const ChatRequest r = fromAnthropic(
            "{\"model\":\"m\",\"max_tokens\":300,\"system\":[{\"type\":\"text\",\"text\":\"Be brief.\"}], "
            "\"stop_sequences\":[\"END\"],\"temperature\":0.3,\"top_p\":0.8, "
            "\"tools\":[{\"name\":\"get_weather\",\"description\":\"Weather "
            "now\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}},\"cache_"
            "control\":{\"type\":\"ephemeral\"}}], "
            "\"tool_choice\":{\"type\":\"any\",\"disable_parallel_tool_use\":true}, \"messages\":[ "
            "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Weather here?\"}, "
            "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/jpeg\",\"data\":\"QUJD\"}}, "
            "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/x.png\"}}]}, "
            "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Checking.\"}, "
            "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{\"city\":\"Oslo\"}}]}, "
            "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":[{"
            "\"type\":\"text\",\"text\":\"-3C\"}]}, {\"type\":\"text\",\"text\":\"Thanks, and tomorrow?\"}]}]}");
        auto o = openAiUpstreamRequest(r);
        QVERIFY2(o.ok(), qPrintable(o.ok() ? QString() : o.error().message));
        QCOMPARE(o->value(QStringLiteral("max_tokens")).toInt(), 300);
        QCOMPARE(o->value(QStringLiteral("stop")).toArray(), QJsonArray { QStringLiteral("END") });
        QCOMPARE(o->value(QStringLiteral("temperature")).toDouble(), 0.3);
        QCOMPARE(o->value(QStringLiteral("tool_choice")).toString(), QStringLiteral("required"));
        QCOMPARE(o->value(QStringLiteral("parallel_tool_calls")).toBool(true), false);
        QCOMPARE(o->value(QStringLiteral("tools")).toArray().at(0).toObject(),
            obj(R"({"type":"function","function":{"name":"get_weather","description":"Weather now", "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}})"));
        const QJsonArray m = o->value(QStringLiteral("messages")).toArray();
        QCOMPARE(m.size(), 5);
        QCOMPARE(m.at(0).toObject(), obj(R"({"role":"system","content":"Be brief."})"));
        QCOMPARE(m.at(1).toObject(),
            obj("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Weather here?\"}, "
                "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/jpeg;base64,QUJD\"}}, "
                "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/x.png\"}}]}"));
        const QJsonObject assistant = m.at(2).toObject();
        QCOMPARE(assistant.value(QStringLiteral("content")).toString(), QStringLiteral("Checking."));
        const QJsonObject call = assistant.value(QStringLiteral("tool_calls")).toArray().at(0).toObject();
        QCOMPARE(call.value(QStringLiteral("id")).toString(), QStringLiteral("toolu_1"));
        QCOMPARE(call.value(QStringLiteral("type")).toString(), QStringLiteral("function"));
        QCOMPARE(obj(call.value(QStringLiteral("function"))
                         .toObject()
                         .value(QStringLiteral("arguments"))
                         .toString()
                         .toUtf8()),
            obj(R"({"city":"Oslo"})"));
        QCOMPARE(m.at(3).toObject(), obj(R"({"role":"tool","tool_call_id":"toolu_1","content":"-3C"})"));
        QCOMPARE(m.at(4).toObject(), obj(R"({"role":"user","content":"Thanks, and tomorrow?"})"));
        QCOMPARE(r.lastUserText(), QStringLiteral("Thanks, and tomorrow?"));
    }
    void anthropicToolChoices()
    {
        const QByteArray head
            = R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"}],"tools":[{"name":"f","input_schema":{"type":"object"}}],"tool_choice":)";
        QCOMPARE(fromAnthropic(head + R"({"type":"auto"}})").params.value(QStringLiteral("tool_choice")).toString(),
            QStringLiteral("auto"));
        QCOMPARE(fromAnthropic(head + R"({"type":"none"}})").params.value(QStringLiteral("tool_choice")).toString(),
            QStringLiteral("none"));
        QCOMPARE(fromAnthropic(head + R"({"type":"tool","name":"f"}})")
                     .params.value(QStringLiteral("tool_choice"))
                     .toObject(),
            obj(R"({"type":"function","function":{"name":"f"}})"));
        auto bad = api::parseAnthropicMessages(head + R"({"type":"sometimes"}})");
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().field, QStringLiteral("tool_choice.type"));
        auto noName = api::parseAnthropicMessages(head + R"({"type":"tool"}})");
        QCOMPARE(noName.error().field, QStringLiteral("tool_choice.name"));
    }
    void anthropicBlocksAreValidated_data()
    {
        QTest::addColumn<QByteArray>("messages");
        QTest::addColumn<QString>("field");
        QTest::newRow("tool_result id") << QByteArray(
            R"([{"role":"user","content":[{"type":"tool_result","content":"x"}]}])")
                                        << QStringLiteral("messages.0.content[0].tool_use_id");
        QTest::newRow("tool_use name") << QByteArray(
            R"([{"role":"user","content":"q"},{"role":"assistant","content":[{"type":"tool_use","id":"t","input":{}}]}])")
                                       << QStringLiteral("messages.1.content[0].name");
        QTest::newRow("tool_use input") << QByteArray(
            R"([{"role":"user","content":"q"},{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":3}]}])")
                                        << QStringLiteral("messages.1.content[0].input");
        QTest::newRow("image source") << QByteArray(
            R"([{"role":"user","content":[{"type":"image","source":{"type":"base64"}}]}])")
                                      << QStringLiteral("messages.0.content[0].source");
        QTest::newRow("tool_result block")
            << QByteArray(R"([{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[7]}]}])")
            << QStringLiteral("messages.0.content[0].content[0]");
    }
    void anthropicBlocksAreValidated()
    {
        QFETCH(QByteArray, messages);
        QFETCH(QString, field);
        auto r = api::parseAnthropicMessages(R"({"model":"m","max_tokens":5,"messages":)" + messages + "}");
        QVERIFY(!r.ok());
        QCOMPARE(r.error().field, field);
    }
    void anthropicOnlyFeaturesAreRefusedByOpenAi_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        const QByteArray q = R"("messages":[{"role":"user","content":"q"}])";
        QTest::newRow("top_k") << QByteArray("{\"model\":\"m\",\"max_tokens\":5,\"top_k\":5," + q + "}")
                               << QStringLiteral("top_k");
        QTest::newRow("thinking") << QByteArray(
            "{\"model\":\"m\",\"max_tokens\":5,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024}," + q + "}")
                                  << QStringLiteral("thinking");
        QTest::newRow("server tool") << QByteArray(
            "{\"model\":\"m\",\"max_tokens\":5,\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}],"
            + q + "}") << QStringLiteral("tools.0.type");
        QTest::newRow("document") << QByteArray(
            R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"text","data":"x","media_type":"text/plain"}},{"type":"text","text":"sum up"}]}]})")
                                  << QStringLiteral("messages[0].content[0]");
        QTest::newRow("image in tool result") << QByteArray(
            "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
            "\"tool_use_id\":\"t\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://x/"
            "y.png\"}}]}]}]}") << QStringLiteral("messages[0].content[0]");
    }
    void anthropicOnlyFeaturesAreRefusedByOpenAi()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        const ChatRequest r = fromAnthropic(body);
        auto o = openAiUpstreamRequest(r);
        QVERIFY(!o.ok());
        QCOMPARE(o.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(o.error().field, field);
        // The same request from an OpenAI client is passed on as it came (vLLM and others take
        // extensions such as top_k).
        ChatRequest asOpenAi = r;
        asOpenAi.wire = WireFormat::OpenAi;
        QVERIFY(openAiUpstreamRequest(asOpenAi).ok());
    }
    void toolErrorsAreSpelledOutForOpenAi()
    {
        const ChatRequest r = fromAnthropic(
            R"({"model":"m","max_tokens":5,"messages":[ {"role":"user","content":"q"}, {"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":{}}]}, {"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"disk full","is_error":true}]}]})");
        QCOMPARE(r.messages.at(2).toObject().value(QStringLiteral("is_error")).toBool(), true);
        auto o = openAiUpstreamRequest(r);
        QVERIFY(o.ok());
        QCOMPARE(o->value(QStringLiteral("messages")).toArray().at(2).toObject(),
            obj(R"({"role":"tool","tool_call_id":"t","content":"Error: disk full"})"));
        // ...and kept as is_error for an Anthropic upstream.
        auto a = anthropicRequestJson(r);
        QCOMPARE(a->value(QStringLiteral("messages")).toArray().at(2).toObject(),
            obj(R"({"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"disk full","is_error":true}]})"));
    }
    void openAiClientsAreUnchanged()
    {
        const ChatRequest r = fromOpenAi(openAiToolConversation());
        QCOMPARE(*openAiUpstreamRequest(r), r.toOpenAiJson());
    }

    // ---- both ways ----------------------------------------------------------------------------

    void anthropicRoundTrip()
    {
        const QJsonObject original = obj(
            R"({"model":"claude-x","max_tokens":256,"system":"Be brief.", "stop_sequences":["END"],"temperature":0.2,"top_k":40, "tools":[{"name":"get_weather","description":"d","input_schema":{"type":"object","properties":{}}}], "tool_choice":{"type":"tool","name":"get_weather"}, "messages":[ {"role":"user","content":[{"type":"text","text":"Weather?"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AA"}}]}, {"role":"assistant","content":[{"type":"text","text":"Checking."},{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Oslo"}}]}, {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"-3C"},{"type":"text","text":"Tomorrow?"}]}, {"role":"assistant","content":"Probably"}]})");
        auto back = anthropicRequestJson(fromAnthropic(compact(original)));
        QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message));
        QCOMPARE(*back, original);
    }
    void documentsPassToAnthropic()
    {
        const QJsonObject original = obj(
            R"({"model":"c","max_tokens":9,"messages":[{"role":"user","content":[ {"type":"document","source":{"type":"text","media_type":"text/plain","data":"hello"}},{"type":"text","text":"sum up"}]}]})");
        QCOMPARE(*anthropicRequestJson(fromAnthropic(compact(original))), original);
        // An OpenAI client's PDF goes as a document block.
        auto pdf = anthropicRequestJson(fromOpenAi(obj(
            R"({"model":"c","messages":[{"role":"user","content":[ {"type":"file","file":{"filename":"a.pdf","file_data":"data:application/pdf;base64,JVBE"}}]}]})")));
        QVERIFY(pdf.ok());
        QCOMPARE(pdf->value(QStringLiteral("messages"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("content"))
                     .toArray()
                     .at(0)
                     .toObject(),
            obj(R"({"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBE"}})"));
    }
    void sameToolConversationSameKeyAcrossWires()
    {
        const ChatRequest o = fromOpenAi(openAiToolConversation());
        const ChatRequest a = fromAnthropic(
            R"({"model":"m","max_tokens":50,"system":"Be brief.", "tools":[{"name":"get_weather","description":"Weather now","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}], "messages":[{"role":"user","content":"Weather in Paris?"}, {"role":"assistant","content":[{"type":"tool_use","id":"call_1","name":"get_weather","input":{"city":"Paris"}}]}, {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_1","content":"18C, sunny"}]}]})");
        QCOMPARE(QJsonDocument(a.messages).toJson(), QJsonDocument(o.messages).toJson());
        QCOMPARE(exactKey(1, {}, a), exactKey(1, {}, o));
    }
    void anthropicRendererStreamsToolUse()
    {
        // An OpenAI-compatible upstream's stream, shown to an Anthropic client, read back.
        api::AnthropicRenderer r(QStringLiteral("msg_1"), QStringLiteral("gpt-x"));
        QByteArray all = r.streamStart();
        all += r.streamDelta(obj(R"({"content":"Let me look."})"));
        all += r.streamDelta(obj(
            R"({"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_weather","arguments":""}}]})"));
        all += r.streamDelta(obj("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}"));
        all += r.streamDelta(obj("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Rome\\\"}\"}}]}"));
        all += r.streamDelta(obj(
            R"({"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"get_time","arguments":"{}"}}]})"));
        ChatResult done;
        done.finishReason = QStringLiteral("tool_calls");
        done.usage = { 20, 9 };
        all += r.streamFinish(done);

        AnthropicStreamParser p;
        QStringList types;
        for (const QByteArray &data : sseData(all)) {
            types << obj(data).value(QStringLiteral("type")).toString();
            QVERIFY(p.addEvent(data).ok());
        }
        QCOMPARE(types,
            (QStringList { QStringLiteral("message_start"), QStringLiteral("content_block_start"),
                QStringLiteral("ping"), QStringLiteral("content_block_delta"), QStringLiteral("content_block_stop"),
                QStringLiteral("content_block_start"), QStringLiteral("content_block_delta"),
                QStringLiteral("content_block_delta"), QStringLiteral("content_block_stop"),
                QStringLiteral("content_block_start"), QStringLiteral("content_block_delta"),
                QStringLiteral("content_block_stop"), QStringLiteral("message_delta"),
                QStringLiteral("message_stop") }));
        QVERIFY(p.finished());
        const ChatResult got = p.result();
        QCOMPARE(got.text(), QStringLiteral("Let me look."));
        QCOMPARE(got.finishReason, QStringLiteral("tool_calls"));
        QCOMPARE(got.usage.promptTokens, 20); // message_delta carries the input tokens of a miss
        QCOMPARE(got.usage.completionTokens, 9);
        const QJsonArray calls = got.message.value(QStringLiteral("tool_calls")).toArray();
        QCOMPARE(calls.size(), 2);
        QCOMPARE(calls.at(0).toObject().value(QStringLiteral("id")).toString(), QStringLiteral("call_a"));
        QCOMPARE(obj(calls.at(0)
                         .toObject()
                         .value(QStringLiteral("function"))
                         .toObject()
                         .value(QStringLiteral("arguments"))
                         .toString()
                         .toUtf8()),
            obj(R"({"city":"Rome"})"));
        QCOMPARE(calls.at(1)
                     .toObject()
                     .value(QStringLiteral("function"))
                     .toObject()
                     .value(QStringLiteral("name"))
                     .toString(),
            QStringLiteral("get_time"));
    }
    void anthropicReplayWithToolCalls()
    {
        ChatResult res;
        res.message = QJsonObject { { QStringLiteral("role"), QStringLiteral("assistant") },
            { QStringLiteral("content"), QJsonValue() },
            { QStringLiteral("tool_calls"),
                QJsonArray { openAiToolCall(QStringLiteral("call_z"), QStringLiteral("lookup"),
                    QJsonObject { { QStringLiteral("query"), QStringLiteral("a fairly long query string") } }) } } };
        res.finishReason = QStringLiteral("tool_calls");
        res.usage = { 3, 4 };
        api::AnthropicRenderer r(QStringLiteral("msg_1"), QStringLiteral("m"));
        QByteArray all;
        for (const QByteArray &f : r.replayStream(res))
            all += f;
        AnthropicStreamParser p;
        int jsonDeltas = 0;
        for (const QByteArray &data : sseData(all)) {
            if (obj(data).value(QStringLiteral("delta")).toObject().value(QStringLiteral("type")).toString()
                == QStringLiteral("input_json_delta"))
                ++jsonDeltas;
            QVERIFY(p.addEvent(data).ok());
        }
        QVERIFY(jsonDeltas > 1); // the input arrives in pieces
        const ChatResult got = p.result();
        QCOMPARE(got.message.value(QStringLiteral("tool_calls")), res.message.value(QStringLiteral("tool_calls")));
        QVERIFY(got.message.value(QStringLiteral("content")).isNull());
        QCOMPARE(got.finishReason, QStringLiteral("tool_calls"));
        // The non-streamed form has a tool_use block and no empty text block.
        const QJsonArray content = obj(r.completion(res)).value(QStringLiteral("content")).toArray();
        QCOMPARE(content.size(), 1);
        QCOMPARE(content.at(0).toObject().value(QStringLiteral("type")).toString(), QStringLiteral("tool_use"));
    }
};

QTEST_APPLESS_MAIN(TestWireTranslation)
#include "tst_wiretranslation.moc"
