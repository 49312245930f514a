#include "simulatedprovider.h"

#include <QJsonDocument>
#include <QPointer>
#include <QRegularExpression>
#include <QTimer>

#include "core/text.h"

namespace l0 {

namespace {

const char *const kWords[] = {
    "the",
    "cache",
    "answer",
    "request",
    "approved",
    "review",
    "response",
    "model",
    "token",
    "cost",
    "savings",
    "quickly",
    "order",
    "account",
    "policy",
    "details",
    "simple",
    "example",
    "refund",
    "delivery",
    "support",
    "question",
    "clear",
    "helpful",
    "steps",
    "first",
    "then",
    "finally",
    "check",
    "settings",
    "please",
    "note",
    "usually",
    "within",
    "days",
    "business",
    "contact",
    "team",
    "update",
    "status",
    "available",
    "option",
    "choose",
    "menu",
    "select",
};
constexpr int kWordCount = int(sizeof(kWords) / sizeof(kWords[0]));

class SimCall final : public UpstreamCall {
public:
    void cancel() override { cancelled = true; }
    std::atomic<bool> cancelled { false };
};

// Streams one answer word by word on the provider's thread, then deletes itself.
class SimStreamer final : public QObject {
public:
    SimStreamer(std::shared_ptr<SimCall> call, ChatResult result, ChatSink sink, int delayMs, QObject *parent)
        : QObject(parent)
        , m_call(std::move(call))
        , m_result(std::move(result))
        , m_sink(std::move(sink))
    {
        const QString text = m_result.text();
        qsizetype start = 0;
        for (qsizetype i = 1; i <= text.size(); ++i) {
            if (i == text.size() || (text.at(i) == QLatin1Char(' ') && i - start >= 8)) {
                m_pieces.append(text.mid(start, i - start));
                start = i;
            }
        }
        m_timer.setInterval(delayMs);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] { step(); });
        m_timer.start();
    }

private:
    void step()
    {
        if (m_call->cancelled) {
            deleteLater();
            m_timer.stop();
            return;
        }
        if (m_index < m_pieces.size()) {
            m_sink.onDelta(QJsonObject { { QLatin1String("content"), m_pieces.at(m_index++) } });
            return;
        }
        m_timer.stop();
        deleteLater();
        m_sink.onComplete(m_result);
    }

    std::shared_ptr<SimCall> m_call;
    ChatResult m_result;
    ChatSink m_sink;
    QStringList m_pieces;
    qsizetype m_index = 0;
    QTimer m_timer;
};

} // namespace

SimulatedProvider::SimulatedProvider(SimulatedOptions options, std::shared_ptr<SimulatedStats> stats, QObject *parent)
    : ChatProvider(parent)
    , m_options(options)
    , m_stats(std::move(stats))
{
}

qint64 SimulatedProvider::estimateTokens(const QString &text)
{
    return (text.size() + 3) / 4;
}

Result<ChatResult> SimulatedProvider::answer(const ChatRequest &request)
{
    const QString last = request.lastUserText();
    static const QRegularExpression failRe(QStringLiteral("\\[sim-fail:(\\d{3})\\]"));
    const auto m = failRe.match(last);
    if (m.hasMatch()) {
        Error e = makeError(ErrorCode::UpstreamError, QStringLiteral("simulated upstream failure"));
        e.upstreamStatus = m.captured(1).toInt();
        return e;
    }

    const QByteArray seedBytes
        = sha256(request.model.toUtf8() + '\n' + QJsonDocument(request.messages).toJson(QJsonDocument::Compact));
    quint64 seed = 0;
    for (int i = 0; i < 8; ++i)
        seed = (seed << 8) | quint8(seedBytes.at(i));

    QString topic = last.simplified();
    if (topic.size() > 80)
        topic = topic.left(77) + QStringLiteral("...");
    QString text = QStringLiteral("Simulated answer from %1 to \"%2\":").arg(request.model, topic);
    const int words = 16 + int(seed % 48);
    for (int i = 0; i < words; ++i) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        text += QLatin1Char(' ') + QString::fromLatin1(kWords[(seed >> 33) % kWordCount]);
    }
    text += QLatin1Char('.');

    ChatResult r;
    r.modelUsed = request.model;
    qint64 prompt = 3;
    for (const QJsonValue &mv : request.messages) {
        const QJsonObject msg = mv.toObject();
        const QJsonValue c = msg.value(QLatin1String("content"));
        prompt += 4
            + estimateTokens(c.isString()
                    ? c.toString()
                    : QString::fromUtf8(QJsonDocument(c.toArray()).toJson(QJsonDocument::Compact)));
    }
    r.usage.promptTokens = prompt;

    const QJsonValue maxTok = request.params.contains(QLatin1String("max_completion_tokens"))
        ? request.params.value(QLatin1String("max_completion_tokens"))
        : request.params.value(QLatin1String("max_tokens"));
    r.finishReason = QStringLiteral("stop");
    if (maxTok.isDouble() && maxTok.toInteger() > 0 && estimateTokens(text) > maxTok.toInteger()) {
        text = text.left(int(maxTok.toInteger() * 4));
        r.finishReason = QStringLiteral("length");
    }
    r.usage.completionTokens = estimateTokens(text);
    r.message
        = QJsonObject { { QLatin1String("role"), QStringLiteral("assistant") }, { QLatin1String("content"), text } };
    return r;
}

std::shared_ptr<UpstreamCall> SimulatedProvider::chat(const ChatRequest &request, ChatSink sink)
{
    ++m_stats->calls;
    auto call = std::make_shared<SimCall>();
    auto result = answer(request);
    const bool stream = request.stream;
    const int chunkDelay = m_options.chunkDelayMs;
    QPointer<SimulatedProvider> self(this);
    auto finish = [call, result, sink, stream, chunkDelay, self]() {
        if (call->cancelled || !self)
            return;
        if (!result) {
            sink.onError(result.error());
            return;
        }
        if (!stream) {
            sink.onComplete(*result);
            return;
        }
        new SimStreamer(call, *result, sink, chunkDelay, self);
    };
    QTimer::singleShot(m_options.latencyMs, this, finish);
    return call;
}

} // namespace l0
