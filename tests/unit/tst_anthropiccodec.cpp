#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "api/anthropiccodec.h"
#include "api/openaicodec.h"
#include "cache/exactkey.h"

using namespace l0;
using namespace l0::api;

class TestAnthropicCodec : public QObject {
    Q_OBJECT
private slots:
    void parsesIntoNeutralRequest()
    {
        auto r = parseAnthropicMessages(R"({"model":"claude-x","max_tokens":100,"system":"Be brief.",
            "messages":[{"role":"user","content":[{"type":"text","text":"Hello"}]}],"stop_sequences":["END"],"stream":true})");
        QVERIFY(r.ok());
        QCOMPARE(r->wire, WireFormat::Anthropic);
        QVERIFY(r->stream);
        QCOMPARE(r->messages.size(), 2);
        QCOMPARE(r->messages.at(0).toObject().value(QStringLiteral("role")).toString(), QStringLiteral("system"));
        QCOMPARE(r->messages.at(1).toObject().value(QStringLiteral("content")).toString(), QStringLiteral("Hello"));
        QCOMPARE(r->params.value(QStringLiteral("stop")).toArray().at(0).toString(), QStringLiteral("END"));
        QCOMPARE(r->params.value(QStringLiteral("max_tokens")).toInt(), 100);
        QCOMPARE(r->lastUserText(), QStringLiteral("Hello"));
    }
    void sameQuestionSameKeyAcrossWires()
    {
        auto a = parseAnthropicMessages(
            R"({"model":"m","max_tokens":50,"system":"S","messages":[{"role":"user","content":"Q"}]})");
        auto o = parseOpenAiChat(
            R"({"model":"m","max_tokens":50,"messages":[{"role":"system","content":"S"},{"role":"user","content":"Q"}]})");
        QCOMPARE(exactKey(1, {}, *a), exactKey(1, {}, *o));
    }
    void rejects_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::newRow("malformed") << QByteArray("{") << QString();
        QTest::newRow("no max_tokens") << QByteArray(R"({"model":"m","messages":[{"role":"user","content":"x"}]})")
                                       << QStringLiteral("max_tokens");
        QTest::newRow("no messages") << QByteArray(R"({"model":"m","max_tokens":5})") << QStringLiteral("messages");
        QTest::newRow("system role in messages")
            << QByteArray(R"({"model":"m","max_tokens":5,"messages":[{"role":"system","content":"x"}]})")
            << QStringLiteral("messages.0.role");
        QTest::newRow("bad block") << QByteArray(
            R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[1]}]})")
                                   << QStringLiteral("messages.0.content[0]");
        QTest::newRow("temperature") << QByteArray(
            R"({"model":"m","max_tokens":5,"temperature":1.5,"messages":[{"role":"user","content":"x"}]})")
                                     << QStringLiteral("temperature");
    }
    void rejects()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        auto r = parseAnthropicMessages(body);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().field, field);
    }
    void rendersMessage()
    {
        ChatResult res;
        res.message = QJsonObject { { QStringLiteral("role"), QStringLiteral("assistant") },
            { QStringLiteral("content"), QStringLiteral("Hi there") } };
        res.finishReason = QStringLiteral("length");
        res.usage = { 12, 3 };
        AnthropicRenderer r(QStringLiteral("msg_1"), QStringLiteral("claude-x"));
        const QJsonObject o = QJsonDocument::fromJson(r.completion(res)).object();
        QCOMPARE(o.value(QStringLiteral("type")).toString(), QStringLiteral("message"));
        QCOMPARE(o.value(QStringLiteral("content")).toArray().at(0).toObject().value(QStringLiteral("text")).toString(),
            QStringLiteral("Hi there"));
        QCOMPARE(o.value(QStringLiteral("stop_reason")).toString(), QStringLiteral("max_tokens"));
        QCOMPARE(o.value(QStringLiteral("usage")).toObject().value(QStringLiteral("input_tokens")).toInt(), 12);
    }
    void replayEventsInOrder()
    {
        ChatResult res;
        res.message = QJsonObject { { QStringLiteral("content"),
            QStringLiteral("one two three four five six seven eight nine ten") } };
        res.usage = { 4, 10 };
        AnthropicRenderer r(QStringLiteral("msg_1"), QStringLiteral("m"));
        QByteArray all;
        for (const QByteArray &f : r.replayStream(res))
            all += f;
        QStringList types;
        QString text;
        for (const QByteArray &ev : all.split('\n')) {
            if (!ev.startsWith("data: "))
                continue;
            const QJsonObject o = QJsonDocument::fromJson(ev.mid(6)).object();
            types << o.value(QStringLiteral("type")).toString();
            text += o.value(QStringLiteral("delta")).toObject().value(QStringLiteral("text")).toString();
        }
        QCOMPARE(types.first(), QStringLiteral("message_start"));
        QCOMPARE(types.last(), QStringLiteral("message_stop"));
        QVERIFY(types.contains(QStringLiteral("content_block_delta")));
        QCOMPARE(text, res.text());
    }
    void errorShape()
    {
        const QJsonObject o = QJsonDocument::fromJson(anthropicErrorBody(404, QStringLiteral("nope"))).object();
        QCOMPARE(o.value(QStringLiteral("type")).toString(), QStringLiteral("error"));
        QCOMPARE(o.value(QStringLiteral("error")).toObject().value(QStringLiteral("type")).toString(),
            QStringLiteral("not_found_error"));
    }
};

QTEST_APPLESS_MAIN(TestAnthropicCodec)
#include "tst_anthropiccodec.moc"
