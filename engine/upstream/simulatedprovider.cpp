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

// A value of the JSON schema's type, the same every time.
QJsonValue simValue(const QJsonObject &schema);

QJsonObject simArguments(const QJsonObject &schema)
{
    const QJsonObject props = schema.value(QLatin1String("properties")).toObject();
    QStringList keys;
    for (const QJsonValue &r : schema.value(QLatin1String("required")).toArray())
        keys << r.toString();
    if (keys.isEmpty())
        keys = props.keys();
    QJsonObject out;
    for (const QString &k : std::as_const(keys))
        out.insert(k, simValue(props.value(k).toObject()));
    return out;
}

QJsonValue simValue(const QJsonObject &schema)
{
    const QJsonArray options = schema.value(QLatin1String("enum")).toArray();
    if (!options.isEmpty())
        return options.at(0);
    QString type = schema.value(QLatin1String("type")).toString();
    for (const QJsonValue &t : schema.value(QLatin1String("type")).toArray()) {
        if (t.toString() != QLatin1String("null")) {
            type = t.toString();
            break;
        }
    }
    if (type == QLatin1String("string"))
        return QStringLiteral("sim");
    if (type == QLatin1String("integer") || type == QLatin1String("number"))
        return 1;
    if (type == QLatin1String("boolean"))
        return true;
    if (type == QLatin1String("array"))
        return QJsonArray {};
    if (type == QLatin1String("object"))
        return simArguments(schema);
    return QJsonValue();
}

// The tools a request makes the simulator call (see SimulatedProvider), in the order offered.
QList<int> chosenTools(const ChatRequest &request, const QString &lastUser)
{
    const QJsonArray tools = request.params.value(QLatin1String("tools")).toArray();
    const QJsonValue choice = request.params.value(QLatin1String("tool_choice"));
    if (tools.isEmpty() || choice.toString() == QLatin1String("none") || request.messages.isEmpty()
        || request.messages.last().toObject().value(QLatin1String("role")).toString() != QLatin1String("user"))
        return {};
    auto name = [&](int i) {
        return tools.at(i)
            .toObject()
            .value(QLatin1String("function"))
            .toObject()
            .value(QLatin1String("name"))
            .toString();
    };
    QList<int> chosen;
    const QString forced
        = choice.toObject().value(QLatin1String("function")).toObject().value(QLatin1String("name")).toString();
    for (int i = 0; i < tools.size(); ++i) {
        if (name(i).isEmpty())
            continue;
        if (forced.isEmpty() ? lastUser.contains(name(i)) : name(i) == forced)
            chosen << i;
    }
    if (chosen.isEmpty() && forced.isEmpty()
        && (choice.toString() == QLatin1String("required") || lastUser.contains(QLatin1String("[sim-tool]"))))
        chosen << 0;
    if (chosen.size() > 1 && request.params.value(QLatin1String("parallel_tool_calls")) == QJsonValue(false))
        chosen = chosen.mid(0, 1);
    return chosen;
}

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
        const QJsonArray calls = m_result.message.value(QLatin1String("tool_calls")).toArray();
        if (m_index < m_pieces.size() + calls.size()) {
            const int i = int(m_index++ - m_pieces.size());
            QJsonObject c = calls.at(i).toObject();
            c.insert(QLatin1String("index"), i);
            m_sink.onDelta(QJsonObject { { QLatin1String("tool_calls"), QJsonArray { c } } });
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

    const QList<int> toolIndexes = chosenTools(request, last);
    if (!toolIndexes.isEmpty()) {
        const QJsonArray tools = request.params.value(QLatin1String("tools")).toArray();
        const QString idBase = QString::fromLatin1(seedBytes.toHex().left(20));
        QJsonArray calls;
        qint64 tokens = 0;
        for (int i : toolIndexes) {
            const QJsonObject fn = tools.at(i).toObject().value(QLatin1String("function")).toObject();
            const QString arguments
                = QString::fromUtf8(QJsonDocument(simArguments(fn.value(QLatin1String("parameters")).toObject()))
                                        .toJson(QJsonDocument::Compact));
            calls.append(
                QJsonObject { { QLatin1String("id"), QStringLiteral("call_%1_%2").arg(idBase).arg(calls.size()) },
                    { QLatin1String("type"), QStringLiteral("function") },
                    { QLatin1String("function"),
                        QJsonObject { { QLatin1String("name"), fn.value(QLatin1String("name")) },
                            { QLatin1String("arguments"), arguments } } } });
            tokens += 4 + estimateTokens(fn.value(QLatin1String("name")).toString() + arguments);
        }
        r.finishReason = QStringLiteral("tool_calls");
        r.usage.completionTokens = tokens;
        r.message = QJsonObject { { QLatin1String("role"), QStringLiteral("assistant") },
            { QLatin1String("content"), QJsonValue() }, { QLatin1String("tool_calls"), calls } };
        return r;
    }

    // Stop sequences: the answer ends just before the first one it contains.
    r.finishReason = QStringLiteral("stop");
    {
        const QJsonValue stop = request.params.value(QLatin1String("stop"));
        QStringList stops;
        if (stop.isString())
            stops << stop.toString();
        for (const QJsonValue &sv : stop.toArray())
            stops << sv.toString();
        qsizetype cut = -1;
        for (const QString &seq : std::as_const(stops)) {
            const qsizetype at = seq.isEmpty() ? -1 : text.indexOf(seq);
            if (at >= 0 && (cut < 0 || at < cut)) {
                cut = at;
                r.stopSequence = seq;
            }
        }
        if (cut >= 0)
            text = text.left(cut);
    }

    const QJsonValue maxTok = request.params.contains(QLatin1String("max_completion_tokens"))
        ? request.params.value(QLatin1String("max_completion_tokens"))
        : request.params.value(QLatin1String("max_tokens"));
    if (maxTok.isDouble() && maxTok.toInteger() > 0 && estimateTokens(text) > maxTok.toInteger()) {
        text = text.left(int(maxTok.toInteger() * 4));
        r.finishReason = QStringLiteral("length");
        r.stopSequence.clear();
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
