#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "api/errormapping.h"
#include "api/openaicodec.h"

using namespace l0;
using namespace l0::api;

class TestOpenAiCodec : public QObject {
    Q_OBJECT
private slots:
    void parsesMinimalRequest()
    {
        auto r = parseOpenAiChat(R"({"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]})");
        QVERIFY(r.ok());
        QCOMPARE(r->model, QStringLiteral("gpt-4o"));
        QCOMPARE(r->messages.size(), 1);
        QVERIFY(!r->stream);
        QVERIFY(r->params.isEmpty());
        QCOMPARE(r->lastUserText(), QStringLiteral("hi"));
    }
    void keepsOutputParamsDropsTransportOnes()
    {
        auto r = parseOpenAiChat(R"({"model":"m","messages":[{"role":"user","content":"x"}],"stream":true,
            "stream_options":{"include_usage":true},"user":"u1","temperature":0.2,"seed":7,"tools":[]})");
        QVERIFY(r.ok());
        QVERIFY(r->stream);
        QVERIFY(r->includeUsage);
        QVERIFY(!r->params.contains(QStringLiteral("stream")));
        QVERIFY(!r->params.contains(QStringLiteral("user")));
        QCOMPARE(r->params.value(QStringLiteral("temperature")).toDouble(), 0.2);
        QCOMPARE(r->params.value(QStringLiteral("seed")).toInt(), 7);
        QVERIFY(r->params.contains(QStringLiteral("tools")));
    }
    void partsContent()
    {
        auto r = parseOpenAiChat(R"({"model":"m","messages":[{"role":"system","content":"be brief"},
            {"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]})");
        QVERIFY(r.ok());
        QCOMPARE(r->lastUserText(), QStringLiteral("a\nb"));
    }
    void rejects_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::newRow("empty") << QByteArray("") << QString();
        QTest::newRow("malformed") << QByteArray("{\"model\":") << QString();
        QTest::newRow("array") << QByteArray("[1,2]") << QString();
        QTest::newRow("no model") << QByteArray(R"({"messages":[{"role":"user","content":"x"}]})")
                                  << QStringLiteral("model");
        QTest::newRow("model number") << QByteArray(R"({"model":5,"messages":[{"role":"user","content":"x"}]})")
                                      << QStringLiteral("model");
        QTest::newRow("messages string") << QByteArray(R"({"model":"m","messages":"hi"})")
                                         << QStringLiteral("messages");
        QTest::newRow("messages empty") << QByteArray(R"({"model":"m","messages":[]})") << QStringLiteral("messages");
        QTest::newRow("message not object")
            << QByteArray(R"({"model":"m","messages":["hi"]})") << QStringLiteral("messages[0]");
        QTest::newRow("bad role") << QByteArray(R"({"model":"m","messages":[{"role":"wizard","content":"x"}]})")
                                  << QStringLiteral("messages[0].role");
        QTest::newRow("content number") << QByteArray(R"({"model":"m","messages":[{"role":"user","content":5}]})")
                                        << QStringLiteral("messages[0].content");
        QTest::newRow("user content null") << QByteArray(R"({"model":"m","messages":[{"role":"user","content":null}]})")
                                           << QStringLiteral("messages[0].content");
        QTest::newRow("part without text")
            << QByteArray(R"({"model":"m","messages":[{"role":"user","content":[{"type":"text"}]}]})")
            << QStringLiteral("messages[0].content[0].text");
        QTest::newRow("stream string") << QByteArray(
            R"({"model":"m","messages":[{"role":"user","content":"x"}],"stream":"yes"})")
                                       << QStringLiteral("stream");
        QTest::newRow("temperature high")
            << QByteArray(R"({"model":"m","messages":[{"role":"user","content":"x"}],"temperature":3})")
            << QStringLiteral("temperature");
        QTest::newRow("max_tokens fraction")
            << QByteArray(R"({"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":1.5})")
            << QStringLiteral("max_tokens");
        QTest::newRow("tools object") << QByteArray(
            R"({"model":"m","messages":[{"role":"user","content":"x"}],"tools":{}})")
                                      << QStringLiteral("tools");
    }
    void rejects()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        auto r = parseOpenAiChat(body);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(r.error().field, field);
        QVERIFY(!r.error().message.isEmpty());
    }
    void rendersCompletion()
    {
        ChatResult res;
        res.message = QJsonObject { { QStringLiteral("role"), QStringLiteral("assistant") },
            { QStringLiteral("content"), QStringLiteral("Hello") } };
        res.usage = { 10, 2 };
        OpenAiRenderer r(QStringLiteral("chatcmpl-1"), 1700000000, QStringLiteral("gpt-4o"), false);
        const QJsonObject o = QJsonDocument::fromJson(r.completion(res)).object();
        QCOMPARE(o.value(QStringLiteral("object")).toString(), QStringLiteral("chat.completion"));
        QCOMPARE(o.value(QStringLiteral("id")).toString(), QStringLiteral("chatcmpl-1"));
        const QJsonObject choice = o.value(QStringLiteral("choices")).toArray().at(0).toObject();
        QCOMPARE(choice.value(QStringLiteral("message")).toObject().value(QStringLiteral("content")).toString(),
            QStringLiteral("Hello"));
        QCOMPARE(choice.value(QStringLiteral("finish_reason")).toString(), QStringLiteral("stop"));
        QCOMPARE(o.value(QStringLiteral("usage")).toObject().value(QStringLiteral("total_tokens")).toInt(), 12);
    }
    void replayStreamIsValidSse()
    {
        ChatResult res;
        const QString text = QStringLiteral("The quick brown fox jumps over the lazy dog, again and again and again.");
        res.message = QJsonObject { { QStringLiteral("role"), QStringLiteral("assistant") },
            { QStringLiteral("content"), text } };
        res.usage = { 5, 20 };
        OpenAiRenderer r(QStringLiteral("id1"), 1, QStringLiteral("m"), true);
        QString joined;
        bool sawDone = false, sawUsage = false, sawFinish = false;
        for (const QByteArray &frame : r.replayStream(res)) {
            QVERIFY(frame.startsWith("data: "));
            QVERIFY(frame.endsWith("\n\n"));
            const QByteArray payload = frame.mid(6).trimmed();
            if (payload == "[DONE]") {
                sawDone = true;
                continue;
            }
            QVERIFY(!sawDone);
            const QJsonObject o = QJsonDocument::fromJson(payload).object();
            QCOMPARE(o.value(QStringLiteral("object")).toString(), QStringLiteral("chat.completion.chunk"));
            const QJsonArray choices = o.value(QStringLiteral("choices")).toArray();
            if (choices.isEmpty()) {
                sawUsage = true;
                QCOMPARE(
                    o.value(QStringLiteral("usage")).toObject().value(QStringLiteral("completion_tokens")).toInt(), 20);
                continue;
            }
            const QJsonObject c = choices.at(0).toObject();
            joined += c.value(QStringLiteral("delta")).toObject().value(QStringLiteral("content")).toString();
            if (c.value(QStringLiteral("finish_reason")).toString() == QStringLiteral("stop"))
                sawFinish = true;
        }
        QVERIFY(sawDone);
        QVERIFY(sawUsage);
        QVERIFY(sawFinish);
        QCOMPARE(joined, text);
    }
    void splitKeepsText()
    {
        for (const QString &t :
            { QString(), QStringLiteral("x"), QStringLiteral("a b c d e f g h i j k l m n o p q r s t"),
                QStringLiteral("ünïcödé 😀 text with spaces   and   runs") }) {
            QCOMPARE(splitForStreaming(t).join(QString()), t);
        }
    }
    void errorShape()
    {
        const QJsonObject o = QJsonDocument::fromJson(
            openAiErrorBody(401, QStringLiteral("bad key"), {}, QStringLiteral("invalid_api_key")))
                                  .object();
        const QJsonObject e = o.value(QStringLiteral("error")).toObject();
        QCOMPARE(e.value(QStringLiteral("message")).toString(), QStringLiteral("bad key"));
        QCOMPARE(e.value(QStringLiteral("type")).toString(), QStringLiteral("authentication_error"));
        QCOMPARE(e.value(QStringLiteral("code")).toString(), QStringLiteral("invalid_api_key"));
        QVERIFY(e.value(QStringLiteral("param")).isNull());
    }
    void errorMapping()
    {
        QCOMPARE(httpStatusFor(makeError(ErrorCode::InvalidArgument, {})), 400);
        QCOMPARE(httpStatusFor(makeError(ErrorCode::Unauthenticated, {})), 401);
        QCOMPARE(httpStatusFor(makeError(ErrorCode::PayloadTooLarge, {})), 413);
        QCOMPARE(httpStatusFor(makeError(ErrorCode::Unavailable, {})), 503);
        Error up = makeError(ErrorCode::UpstreamError, {});
        up.upstreamStatus = 401; // our upstream credentials: never blamed on the client
        QCOMPARE(httpStatusFor(up), 502);
        up.upstreamStatus = 429;
        QCOMPARE(httpStatusFor(up), 429);
        up.upstreamStatus = 500;
        QCOMPARE(httpStatusFor(up), 502);
    }
};

QTEST_APPLESS_MAIN(TestOpenAiCodec)
#include "tst_openaicodec.moc"
