#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include "api/openaicodec.h"
#include "upstream/simulatedprovider.h"

using namespace l0;

namespace {
ChatRequest req(const char *json)
{
    return api::parseOpenAiChat(QByteArray(json)).value();
}
} // namespace

class TestSimulatedProvider : public QObject {
    Q_OBJECT
private slots:
    void deterministic()
    {
        const auto a
            = SimulatedProvider::answer(req(R"({"model":"m","messages":[{"role":"user","content":"hello"}]})"));
        const auto b
            = SimulatedProvider::answer(req(R"({"model":"m","messages":[{"role":"user","content":"hello"}]})"));
        const auto c
            = SimulatedProvider::answer(req(R"({"model":"m","messages":[{"role":"user","content":"hello!"}]})"));
        QCOMPARE(a->text(), b->text());
        QVERIFY(a->text() != c->text());
        QVERIFY(a->usage.promptTokens > 0);
        QCOMPARE(a->usage.completionTokens, SimulatedProvider::estimateTokens(a->text()));
    }
    void maxTokensTruncates()
    {
        const auto r = SimulatedProvider::answer(
            req(R"({"model":"m","messages":[{"role":"user","content":"hello"}],"max_tokens":3})"));
        QCOMPARE(r->finishReason, QStringLiteral("length"));
        QVERIFY(r->usage.completionTokens <= 3);
    }
    void failureMarker()
    {
        const auto r = SimulatedProvider::answer(
            req(R"({"model":"m","messages":[{"role":"user","content":"x [sim-fail:503]"}]})"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().upstreamStatus, 503);
    }
    void streamsThenCompletesAndCounts()
    {
        auto stats = std::make_shared<SimulatedStats>();
        SimulatedProvider p(SimulatedOptions { 5, 1 }, stats);
        auto request = req(R"({"model":"m","messages":[{"role":"user","content":"stream me"}],"stream":true})");
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
    void cancelStopsCallbacks()
    {
        auto stats = std::make_shared<SimulatedStats>();
        SimulatedProvider p(SimulatedOptions { 20, 0 }, stats);
        bool called = false;
        ChatSink sink;
        sink.onDelta = [&](const QJsonObject &) { called = true; };
        sink.onComplete = [&](const ChatResult &) { called = true; };
        sink.onError = [&](const Error &) { called = true; };
        auto call = p.chat(req(R"({"model":"m","messages":[{"role":"user","content":"x"}]})"), sink);
        call->cancel();
        QTest::qWait(100);
        QVERIFY(!called);
    }
};

QTEST_GUILESS_MAIN(TestSimulatedProvider)
#include "tst_simulatedprovider.moc"
