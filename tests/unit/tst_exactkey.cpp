#include <QTest>

#include "api/openaicodec.h"
#include "cache/exactkey.h"

using namespace l0;

namespace {
ChatRequest req(const char *json)
{
    auto r = api::parseOpenAiChat(QByteArray(json));
    if (!r)
        qFatal("bad test request: %s", qPrintable(r.error().message));
    return *r;
}
} // namespace

class TestExactKey : public QObject {
    Q_OBJECT
private slots:
    void sameRequestSameKey()
    {
        const auto a = req(R"({"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":0})");
        const auto b = req(R"({"temperature":0,"messages":[{"content":"hi","role":"user"}],"model":"m"})");
        QCOMPARE(exactKey(1, {}, a), exactKey(1, {}, b));
        QCOMPARE(exactKey(1, {}, a).size(), 64);
    }
    void transportFieldsDoNotMatter()
    {
        const auto a = req(R"({"model":"m","messages":[{"role":"user","content":"hi"}]})");
        const auto b = req(
            R"({"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true},"user":"x"})");
        QCOMPARE(exactKey(1, {}, a), exactKey(1, {}, b));
    }
    void everythingThatChangesOutputMatters_data()
    {
        QTest::addColumn<QByteArray>("other");
        QTest::newRow("model") << QByteArray(R"({"model":"m2","messages":[{"role":"user","content":"hi"}]})");
        QTest::newRow("text") << QByteArray(R"({"model":"m","messages":[{"role":"user","content":"hi!"}]})");
        QTest::newRow("system prompt") << QByteArray(
            R"({"model":"m","messages":[{"role":"system","content":"pirate"},{"role":"user","content":"hi"}]})");
        QTest::newRow("earlier turn") << QByteArray(
            R"({"model":"m","messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"user","content":"hi"}]})");
        QTest::newRow("temperature") << QByteArray(
            R"({"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":1})");
        QTest::newRow("max_tokens") << QByteArray(
            R"({"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":5})");
        QTest::newRow("tools") << QByteArray(
            R"({"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f"}}]})");
        QTest::newRow("response_format") << QByteArray(
            R"({"model":"m","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_object"}})");
        QTest::newRow("unknown param") << QByteArray(
            R"({"model":"m","messages":[{"role":"user","content":"hi"}],"reasoning_effort":"high"})");
    }
    void everythingThatChangesOutputMatters()
    {
        QFETCH(QByteArray, other);
        const auto base = req(R"({"model":"m","messages":[{"role":"user","content":"hi"}]})");
        QVERIFY(exactKey(1, {}, base) != exactKey(1, {}, req(other.constData())));
    }
    void tenantAndNamespacePartition()
    {
        const auto a = req(R"({"model":"m","messages":[{"role":"user","content":"hi"}]})");
        QVERIFY(exactKey(1, {}, a) != exactKey(2, {}, a));
        QVERIFY(exactKey(1, {}, a) != exactKey(1, QStringLiteral("support"), a));
    }
    void uncacheable()
    {
        QVERIFY(uncacheableReason(req(R"({"model":"m","messages":[{"role":"user","content":"hi"}]})")).isEmpty());
        QVERIFY(
            !uncacheableReason(req(R"({"model":"m","messages":[{"role":"user","content":"hi"}],"n":2})")).isEmpty());
        QVERIFY(!uncacheableReason(req(R"({"model":"m","messages":[{"role":"user","content":"hi"}],"logprobs":true})"))
                     .isEmpty());
    }
};

QTEST_APPLESS_MAIN(TestExactKey)
#include "tst_exactkey.moc"
