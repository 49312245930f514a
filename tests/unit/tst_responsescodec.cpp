// The Responses API codec: requests read into the neutral chat request (so a question asked
// here and through chat completions is one cache key), fields it cannot carry refused by name,
// and answers rendered as response objects and typed, numbered stream events.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "api/openaicodec.h"
#include "api/responsescodec.h"
#include "cache/exactkey.h"
#include "core/clock.h"
#include "service/conversationstore.h"

using namespace l0;
using namespace l0::api;

namespace {

QList<QJsonObject> events(const QByteArray &sse, QStringList *types)
{
    QList<QJsonObject> out;
    for (const QByteArray &frame : sse.split('\n')) {
        if (frame.startsWith("event: "))
            types->append(QString::fromUtf8(frame.mid(7)));
        else if (frame.startsWith("data: "))
            out.append(QJsonDocument::fromJson(frame.mid(6)).object());
    }
    return out;
}

} // namespace

class TestResponsesCodec : public QObject {
    Q_OBJECT

private slots:
    void sameKeyAsChatCompletions()
    {
        const auto responses = parseResponses(
            R"({"model":"gpt-4o","instructions":"Be brief.","input":[{"role":"user","content":[{"type":"input_text","text":"Where is my order?"}]}],"max_output_tokens":100,"temperature":0.2,"metadata":{"trace":"x"},"store":true})");
        QVERIFY(responses.ok());
        const auto chat = parseOpenAiChat(
            R"({"model":"gpt-4o","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Where is my order?"}],"max_tokens":100,"temperature":0.2})");
        QVERIFY(chat.ok());
        QCOMPARE(exactKey(1, QString(), responses->chat), exactKey(1, QString(), *chat));
        QCOMPARE(responses->chat.wire, WireFormat::OpenAiResponses);
        QCOMPARE(responses->echo.value(QStringLiteral("metadata")).toObject().value(QStringLiteral("trace")).toString(),
            QStringLiteral("x"));
    }

    void instructionsStartTheConversationOnlyWhenGiven()
    {
        const auto empty = parseResponses(R"({"model":"m","instructions":"","input":"hi"})");
        QVERIFY(empty.ok());
        QCOMPARE(empty->conversationStart, 0);
        QCOMPARE(empty->chat.messages.size(), 1);
        const auto given = parseResponses(R"({"model":"m","instructions":"Be brief.","input":"hi"})");
        QCOMPARE(given->conversationStart, 1);
        QCOMPARE(
            given->chat.messages.at(0).toObject().value(QStringLiteral("role")).toString(), QStringLiteral("system"));
    }

    // A call streamed before any text keeps its place in the final output; an empty answer is
    // announced as the empty message the final output holds.
    void finalOutputFollowsTheStream()
    {
        ResponsesRenderer renderer(QStringLiteral("resp_x"), 1, QStringLiteral("m"), {});
        QByteArray sse = renderer.streamStart();
        sse += renderer.streamDelta(QJsonDocument::fromJson(
            R"({"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]})")
                                        .object());
        sse += renderer.streamDelta(QJsonObject { { QStringLiteral("content"), QStringLiteral("and some text") } });
        sse += renderer.streamDelta(QJsonDocument::fromJson(
            R"({"tool_calls":[{"index":-3,"id":"call_2","type":"function","function":{"name":"g","arguments":"{}"}}]})")
                                        .object());
        ChatResult result;
        result.message = QJsonDocument::fromJson(R"({"role":"assistant","content":"and some text","tool_calls":[
            {"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}},
            {"id":"call_2","type":"function","function":{"name":"g","arguments":"{}"}}]})")
                             .object();
        sse += renderer.streamFinish(result);
        QStringList types;
        const QList<QJsonObject> data = events(sse, &types);
        const QJsonArray output
            = data.last().value(QStringLiteral("response")).toObject().value(QStringLiteral("output")).toArray();
        QCOMPARE(output.size(), 3);
        QCOMPARE(output.at(0).toObject().value(QStringLiteral("type")).toString(), QStringLiteral("function_call"));
        QCOMPARE(output.at(1).toObject().value(QStringLiteral("type")).toString(), QStringLiteral("message"));
        QCOMPARE(output.at(2).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("g"));
        for (int i = 0; i < data.size(); ++i) {
            if (types.at(i) == QLatin1String("response.output_item.added")) {
                const QJsonObject item = data.at(i).value(QStringLiteral("item")).toObject();
                const int at = data.at(i).value(QStringLiteral("output_index")).toInt();
                QCOMPARE(output.at(at).toObject().value(QStringLiteral("id")), item.value(QStringLiteral("id")));
            }
        }

        ResponsesRenderer silent(QStringLiteral("resp_y"), 1, QStringLiteral("m"), {});
        ChatResult nothing;
        nothing.message = QJsonObject { { QStringLiteral("role"), QStringLiteral("assistant") },
            { QStringLiteral("content"), QString() } };
        QStringList silentTypes;
        events(silent.streamStart() + silent.streamFinish(nothing), &silentTypes);
        QVERIFY(silentTypes.contains(QStringLiteral("response.output_item.added")));
        QVERIFY(silentTypes.contains(QStringLiteral("response.output_item.done")));
    }

    void itemsToolsAndFormats()
    {
        const auto r = parseResponses(R"({"model":"m","input":[
            {"type":"message","role":"user","content":"weather in Paris?"},
            {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{}"},
            {"type":"function_call_output","call_id":"call_1","output":"21 degrees"},
            {"role":"user","content":[{"type":"input_text","text":"and this?"},{"type":"input_image","image_url":"data:image/png;base64,AA=="}]}],
            "tools":[{"type":"function","name":"get_weather","parameters":{"type":"object"},"strict":true}],
            "tool_choice":{"type":"function","name":"get_weather"},
            "text":{"format":{"type":"json_schema","name":"w","schema":{"type":"object"},"strict":true}},
            "previous_response_id":"resp_1","store":false})");
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        const QJsonArray m = r->chat.messages;
        QCOMPARE(m.size(), 4);
        QCOMPARE(m.at(1).toObject().value(QStringLiteral("role")).toString(), QStringLiteral("assistant"));
        QCOMPARE(m.at(1)
                     .toObject()
                     .value(QStringLiteral("tool_calls"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("id")),
            QJsonValue(QStringLiteral("call_1")));
        QCOMPARE(m.at(2).toObject().value(QStringLiteral("role")).toString(), QStringLiteral("tool"));
        QCOMPARE(m.at(2).toObject().value(QStringLiteral("tool_call_id")).toString(), QStringLiteral("call_1"));
        const QJsonArray parts = m.at(3).toObject().value(QStringLiteral("content")).toArray();
        QCOMPARE(parts.at(1).toObject().value(QStringLiteral("type")).toString(), QStringLiteral("image_url"));
        const QJsonObject tool = r->chat.params.value(QStringLiteral("tools")).toArray().at(0).toObject();
        QCOMPARE(tool.value(QStringLiteral("function")).toObject().value(QStringLiteral("name")).toString(),
            QStringLiteral("get_weather"));
        QCOMPARE(r->chat.params.value(QStringLiteral("tool_choice"))
                     .toObject()
                     .value(QStringLiteral("function"))
                     .toObject()
                     .value(QStringLiteral("name"))
                     .toString(),
            QStringLiteral("get_weather"));
        const QJsonObject format = r->chat.params.value(QStringLiteral("response_format")).toObject();
        QCOMPARE(format.value(QStringLiteral("json_schema")).toObject().value(QStringLiteral("name")).toString(),
            QStringLiteral("w"));
        QCOMPARE(r->previousResponseId, QStringLiteral("resp_1"));
        QVERIFY(!r->store);
    }

    void refusalsNameTheField_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::newRow("no input") << QByteArray(R"({"model":"m"})") << QStringLiteral("input");
        QTest::newRow("no model") << QByteArray(R"({"input":"x"})") << QStringLiteral("model");
        QTest::newRow("item type") << QByteArray(R"({"model":"m","input":[{"type":"reasoning","id":"r"}]})")
                                   << QStringLiteral("input[0].type");
        QTest::newRow("hosted tool") << QByteArray(R"({"model":"m","input":"x","tools":[{"type":"file_search"}]})")
                                     << QStringLiteral("tools[0].type");
        QTest::newRow("unknown field") << QByteArray(R"({"model":"m","input":"x","background":true})")
                                       << QStringLiteral("background");
        QTest::newRow("file image") << QByteArray(
            R"({"model":"m","input":[{"role":"user","content":[{"type":"input_image","file_id":"f"}]}]})")
                                    << QStringLiteral("input[0].content[0]");
        QTest::newRow("bad max") << QByteArray(R"({"model":"m","input":"x","max_output_tokens":0})")
                                 << QStringLiteral("max_output_tokens");
        QTest::newRow("truncation") << QByteArray(R"({"model":"m","input":"x","truncation":"auto"})")
                                    << QStringLiteral("truncation");
        QTest::newRow("not json") << QByteArray("{nope") << QString();
    }
    void refusalsNameTheField()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        const auto r = parseResponses(body);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(r.error().field, field);
    }

    void streamEventsAreTypedNumberedAndMatchTheResult()
    {
        QJsonObject stored;
        ResponsesRenderer renderer(QStringLiteral("resp_abc"), 1700000000, QStringLiteral("gpt-4o"), {},
            [&stored](const QJsonObject &response, const ChatResult &) { stored = response; });
        ChatResult result;
        result.message = QJsonObject { { QStringLiteral("role"), QStringLiteral("assistant") },
            { QStringLiteral("content"), QStringLiteral("Your order ships today, as promised.") },
            { QStringLiteral("tool_calls"),
                QJsonArray { QJsonObject { { QStringLiteral("id"), QStringLiteral("call_9") },
                    { QStringLiteral("type"), QStringLiteral("function") },
                    { QStringLiteral("function"),
                        QJsonObject { { QStringLiteral("name"), QStringLiteral("track") },
                            { QStringLiteral("arguments"), QStringLiteral("{\"id\":1}") } } } } } } };
        result.finishReason = QStringLiteral("tool_calls");
        result.usage = TokenUsage { 12, 8 };
        QByteArray sse;
        for (const QByteArray &f : renderer.replayStream(result))
            sse += f;
        QStringList types;
        const QList<QJsonObject> data = events(sse, &types);
        QCOMPARE(types.first(), QStringLiteral("response.created"));
        QCOMPARE(types.last(), QStringLiteral("response.completed"));
        for (const char *t : { "response.output_text.delta", "response.output_text.done", "response.output_item.done",
                 "response.function_call_arguments.delta", "response.function_call_arguments.done" })
            QVERIFY2(types.contains(QLatin1String(t)), t);
        QString text;
        for (int i = 0; i < data.size(); ++i) {
            QCOMPARE(data.at(i).value(QStringLiteral("sequence_number")).toInt(), i);
            QCOMPARE(data.at(i).value(QStringLiteral("type")).toString(), types.at(i));
            if (types.at(i) == QLatin1String("response.output_text.delta"))
                text += data.at(i).value(QStringLiteral("delta")).toString();
        }
        QCOMPARE(text, result.text());
        const QJsonObject final = data.last().value(QStringLiteral("response")).toObject();
        QCOMPARE(final, stored);
        const QJsonArray output = final.value(QStringLiteral("output")).toArray();
        QCOMPARE(output.size(), 2);
        QCOMPARE(output.at(1).toObject().value(QStringLiteral("call_id")).toString(), QStringLiteral("call_9"));
        QCOMPARE(final.value(QStringLiteral("usage")).toObject().value(QStringLiteral("total_tokens")).toInt(), 20);

        ChatResult cut = result;
        cut.finishReason = QStringLiteral("length");
        const QJsonObject incomplete = renderer.responseObject(cut);
        QCOMPARE(incomplete.value(QStringLiteral("status")).toString(), QStringLiteral("incomplete"));
        QCOMPARE(incomplete.value(QStringLiteral("incomplete_details"))
                     .toObject()
                     .value(QStringLiteral("reason"))
                     .toString(),
            QStringLiteral("max_output_tokens"));
    }

    // Stored responses: per tenant, for the node's retention or the tenant's own, bounded.
    void conversationStore()
    {
        ManualClock clock(1'000'000);
        ConversationStore store(&clock, 60'000, 3);
        auto stored = [](qint64 tenant) {
            ConversationStore::Stored s;
            s.tenantId = tenant;
            s.response = QJsonObject { { QStringLiteral("id"), QStringLiteral("r") } };
            return s;
        };
        store.put(QStringLiteral("resp_a"), stored(1));
        store.put(QStringLiteral("resp_b"), stored(1), 5'000); // the tenant keeps them 5 s
        store.put(QStringLiteral("resp_none"), stored(1), 0); // the tenant keeps none
        QVERIFY(store.get(1, QStringLiteral("resp_a")));
        QVERIFY(!store.get(2, QStringLiteral("resp_a"))); // another tenant's
        QVERIFY(!store.get(1, QStringLiteral("resp_none")));
        clock.advance(5'000);
        QVERIFY(!store.get(1, QStringLiteral("resp_b")));
        QVERIFY(store.get(1, QStringLiteral("resp_a")));
        QVERIFY(!store.remove(2, QStringLiteral("resp_a")));
        QVERIFY(store.remove(1, QStringLiteral("resp_a")));
        QVERIFY(!store.get(1, QStringLiteral("resp_a")));
        for (int i = 0; i < 5; ++i)
            store.put(QStringLiteral("resp_%1").arg(i), stored(1));
        QVERIFY(store.size() <= 3); // the oldest went first
        QVERIFY(!store.get(1, QStringLiteral("resp_0")));
        QVERIFY(store.get(1, QStringLiteral("resp_4")));
        clock.advance(60'000);
        QVERIFY(!store.get(1, QStringLiteral("resp_4")));
    }
};

QTEST_MAIN(TestResponsesCodec)
#include "tst_responsescodec.moc"
