#include "chat.h"

namespace l0 {

QString messageContentText(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    QString out;
    if (content.isArray()) {
        for (const QJsonValue &part : content.toArray()) {
            const QJsonObject p = part.toObject();
            if (p.value(QLatin1String("type")).toString() == QLatin1String("text")) {
                if (!out.isEmpty())
                    out += QLatin1Char('\n');
                out += p.value(QLatin1String("text")).toString();
            }
        }
    }
    return out;
}

QString ChatRequest::lastUserText() const
{
    for (qsizetype i = messages.size() - 1; i >= 0; --i) {
        const QJsonObject m = messages.at(i).toObject();
        if (m.value(QLatin1String("role")).toString() == QLatin1String("user"))
            return messageContentText(m.value(QLatin1String("content")));
    }
    return {};
}

QJsonObject ChatRequest::toOpenAiJson() const
{
    QJsonObject o = params;
    o.insert(QLatin1String("model"), model);
    o.insert(QLatin1String("messages"), messages);
    if (stream) {
        o.insert(QLatin1String("stream"), true);
        // Always ask for usage so the ledger has real token counts.
        o.insert(QLatin1String("stream_options"), QJsonObject { { QLatin1String("include_usage"), true } });
    }
    return o;
}

QJsonObject ChatResult::toJson() const
{
    QJsonObject o {
        { QLatin1String("message"), message },
        { QLatin1String("finish_reason"), finishReason },
        { QLatin1String("model"), modelUsed },
        { QLatin1String("usage"),
            QJsonObject { { QLatin1String("prompt_tokens"), usage.promptTokens },
                { QLatin1String("completion_tokens"), usage.completionTokens } } },
    };
    if (!stopSequence.isEmpty())
        o.insert(QLatin1String("stop_sequence"), stopSequence);
    return o;
}

Result<ChatResult> ChatResult::fromJson(const QJsonObject &json)
{
    if (!json.value(QLatin1String("message")).isObject())
        return makeError(ErrorCode::Corruption, QStringLiteral("stored answer has no message object"));
    ChatResult r;
    r.message = json.value(QLatin1String("message")).toObject();
    r.finishReason = json.value(QLatin1String("finish_reason")).toString(QStringLiteral("stop"));
    r.modelUsed = json.value(QLatin1String("model")).toString();
    const QJsonObject u = json.value(QLatin1String("usage")).toObject();
    r.usage.promptTokens = u.value(QLatin1String("prompt_tokens")).toInteger();
    r.usage.completionTokens = u.value(QLatin1String("completion_tokens")).toInteger();
    r.stopSequence = json.value(QLatin1String("stop_sequence")).toString();
    return r;
}

} // namespace l0
