#include "anthropiccodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "jsonchecks.h"
#include "openaicodec.h"

namespace l0::api {

namespace {

QByteArray event(const char *name, const QJsonObject &data)
{
    return QByteArray("event: ") + name + "\ndata: " + QJsonDocument(data).toJson(QJsonDocument::Compact) + "\n\n";
}

// A content list of text blocks only becomes one string; anything else stays as sent.
Result<QJsonValue> normaliseContent(const QJsonValue &content, const QString &field)
{
    if (content.isString())
        return QJsonValue(content.toString());
    if (!content.isArray())
        return makeFieldError(field, QStringLiteral("%1 must be a string or an array of content blocks").arg(field));
    const QJsonArray blocks = content.toArray();
    QString text;
    bool textOnly = true;
    for (int i = 0; i < blocks.size(); ++i) {
        const QJsonObject b = blocks.at(i).toObject();
        if (!blocks.at(i).isObject() || !b.value(QLatin1String("type")).isString())
            return makeFieldError(QStringLiteral("%1[%2]").arg(field).arg(i),
                QStringLiteral("%1[%2] must be an object with a 'type'").arg(field).arg(i));
        if (b.value(QLatin1String("type")).toString() == QLatin1String("text")) {
            if (!b.value(QLatin1String("text")).isString())
                return makeFieldError(QStringLiteral("%1[%2].text").arg(field).arg(i),
                    QStringLiteral("%1[%2].text must be a string").arg(field).arg(i));
            if (!text.isEmpty())
                text += QLatin1Char('\n');
            text += b.value(QLatin1String("text")).toString();
        } else {
            textOnly = false;
        }
    }
    if (textOnly)
        return QJsonValue(text);
    return QJsonValue(blocks);
}

QString errorType(int status)
{
    switch (status) {
    case 400:
        return QStringLiteral("invalid_request_error");
    case 401:
        return QStringLiteral("authentication_error");
    case 403:
        return QStringLiteral("permission_error");
    case 404:
        return QStringLiteral("not_found_error");
    case 413:
        return QStringLiteral("request_too_large");
    case 429:
        return QStringLiteral("rate_limit_error");
    case 529:
        return QStringLiteral("overloaded_error");
    default:
        break;
    }
    return status >= 500 ? QStringLiteral("api_error") : QStringLiteral("invalid_request_error");
}

QJsonObject usageJson(const TokenUsage &u)
{
    return QJsonObject { { QLatin1String("input_tokens"), u.promptTokens },
        { QLatin1String("output_tokens"), u.completionTokens } };
}

} // namespace

Result<ChatRequest> parseAnthropicMessages(const QByteArray &body)
{
    if (body.trimmed().isEmpty())
        return makeFieldError(QString(), QStringLiteral("the request body is empty; send a JSON object"));
    QJsonParseError err {};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError)
        return makeFieldError(QString(),
            QStringLiteral("could not parse the JSON body: %1 at offset %2").arg(err.errorString()).arg(err.offset));
    if (!doc.isObject())
        return makeFieldError(QString(), QStringLiteral("the JSON body must be an object"));
    const QJsonObject o = doc.object();
    const QJsonValue model = o.value(QLatin1String("model"));
    if (!model.isString() || model.toString().trimmed().isEmpty())
        return makeFieldError(QStringLiteral("model"), QStringLiteral("model: must be a non-empty string"));
    const QJsonValue maxTokens = o.value(QLatin1String("max_tokens"));
    if (!maxTokens.isDouble() || maxTokens.toDouble() != double(maxTokens.toInteger()) || maxTokens.toInteger() < 1)
        return makeFieldError(
            QStringLiteral("max_tokens"), QStringLiteral("max_tokens: a positive integer is required"));
    const QJsonValue messages = o.value(QLatin1String("messages"));
    if (!messages.isArray() || messages.toArray().isEmpty())
        return makeFieldError(QStringLiteral("messages"), QStringLiteral("messages: a non-empty array is required"));
    for (auto s : { checkNumber(o, "temperature", 0, 1), checkNumber(o, "top_p", 0, 1) }) {
        if (!s)
            return s.error();
    }
    const QJsonValue stream = o.value(QLatin1String("stream"));
    if (!stream.isUndefined() && !stream.isNull() && !stream.isBool())
        return makeFieldError(QStringLiteral("stream"), QStringLiteral("stream: must be a boolean"));

    ChatRequest r;
    r.model = model.toString();
    r.wire = WireFormat::Anthropic;
    r.stream = stream.toBool(false);
    r.includeUsage = true;
    const QJsonValue system = o.value(QLatin1String("system"));
    if (!system.isUndefined() && !system.isNull()) {
        auto sys = normaliseContent(system, QStringLiteral("system"));
        if (!sys)
            return sys.error();
        r.messages.append(
            QJsonObject { { QLatin1String("role"), QStringLiteral("system") }, { QLatin1String("content"), *sys } });
    }
    const QJsonArray msgs = messages.toArray();
    for (int i = 0; i < msgs.size(); ++i) {
        const QString field = QStringLiteral("messages.%1").arg(i);
        const QJsonObject m = msgs.at(i).toObject();
        const QString role = m.value(QLatin1String("role")).toString();
        if (!msgs.at(i).isObject() || (role != QLatin1String("user") && role != QLatin1String("assistant")))
            return makeFieldError(
                field + QStringLiteral(".role"), QStringLiteral("%1.role: must be 'user' or 'assistant'").arg(field));
        auto content = normaliseContent(m.value(QLatin1String("content")), field + QStringLiteral(".content"));
        if (!content)
            return content.error();
        r.messages.append(QJsonObject { { QLatin1String("role"), role }, { QLatin1String("content"), *content } });
    }
    static const QHash<QString, QString> renamed { { QStringLiteral("stop_sequences"), QStringLiteral("stop") } };
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString &k = it.key();
        if (k == QLatin1String("model") || k == QLatin1String("messages") || k == QLatin1String("system")
            || k == QLatin1String("stream") || k == QLatin1String("metadata") || it.value().isNull())
            continue;
        r.params.insert(renamed.value(k, k), it.value());
    }
    return r;
}

QByteArray anthropicErrorBody(int status, const QString &message)
{
    const QJsonObject o { { QLatin1String("type"), QStringLiteral("error") },
        { QLatin1String("error"),
            QJsonObject { { QLatin1String("type"), errorType(status) }, { QLatin1String("message"), message } } } };
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QString AnthropicRenderer::stopReason(const QString &fr)
{
    if (fr == QLatin1String("length"))
        return QStringLiteral("max_tokens");
    if (fr == QLatin1String("tool_calls"))
        return QStringLiteral("tool_use");
    return QStringLiteral("end_turn");
}

QByteArray AnthropicRenderer::completion(const ChatResult &result) const
{
    QJsonArray content;
    if (!result.text().isEmpty() || !result.message.contains(QLatin1String("tool_calls")))
        content.append(QJsonObject {
            { QLatin1String("type"), QStringLiteral("text") }, { QLatin1String("text"), result.text() } });
    for (const QJsonValue &cv : result.message.value(QLatin1String("tool_calls")).toArray()) {
        const QJsonObject c = cv.toObject();
        const QJsonObject fn = c.value(QLatin1String("function")).toObject();
        content.append(QJsonObject { { QLatin1String("type"), QStringLiteral("tool_use") },
            { QLatin1String("id"), c.value(QLatin1String("id")) },
            { QLatin1String("name"), fn.value(QLatin1String("name")) },
            { QLatin1String("input"),
                QJsonDocument::fromJson(fn.value(QLatin1String("arguments")).toString().toUtf8()).object() } });
    }
    const QJsonObject o { { QLatin1String("id"), m_id }, { QLatin1String("type"), QStringLiteral("message") },
        { QLatin1String("role"), QStringLiteral("assistant") }, { QLatin1String("model"), m_model },
        { QLatin1String("content"), content }, { QLatin1String("stop_reason"), stopReason(result.finishReason) },
        { QLatin1String("stop_sequence"), QJsonValue() }, { QLatin1String("usage"), usageJson(result.usage) } };
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray AnthropicRenderer::messageStart(qint64 inputTokens) const
{
    const QJsonObject message { { QLatin1String("id"), m_id }, { QLatin1String("type"), QStringLiteral("message") },
        { QLatin1String("role"), QStringLiteral("assistant") }, { QLatin1String("model"), m_model },
        { QLatin1String("content"), QJsonArray {} }, { QLatin1String("stop_reason"), QJsonValue() },
        { QLatin1String("stop_sequence"), QJsonValue() }, { QLatin1String("usage"), usageJson({ inputTokens, 0 }) } };
    return event("message_start",
               QJsonObject {
                   { QLatin1String("type"), QStringLiteral("message_start") }, { QLatin1String("message"), message } })
        + event("content_block_start",
            QJsonObject { { QLatin1String("type"), QStringLiteral("content_block_start") },
                { QLatin1String("index"), 0 },
                { QLatin1String("content_block"),
                    QJsonObject {
                        { QLatin1String("type"), QStringLiteral("text") }, { QLatin1String("text"), QString() } } } })
        + event("ping", QJsonObject { { QLatin1String("type"), QStringLiteral("ping") } });
}

QByteArray AnthropicRenderer::streamStart() const
{
    return messageStart(0);
}

QByteArray AnthropicRenderer::streamDelta(const QJsonObject &delta) const
{
    const QString text = delta.value(QLatin1String("content")).toString();
    if (text.isEmpty())
        return {};
    return event("content_block_delta",
        QJsonObject { { QLatin1String("type"), QStringLiteral("content_block_delta") }, { QLatin1String("index"), 0 },
            { QLatin1String("delta"),
                QJsonObject {
                    { QLatin1String("type"), QStringLiteral("text_delta") }, { QLatin1String("text"), text } } } });
}

QByteArray AnthropicRenderer::streamFinish(const ChatResult &result) const
{
    return event("content_block_stop",
               QJsonObject {
                   { QLatin1String("type"), QStringLiteral("content_block_stop") }, { QLatin1String("index"), 0 } })
        + event("message_delta",
            QJsonObject { { QLatin1String("type"), QStringLiteral("message_delta") },
                { QLatin1String("delta"),
                    QJsonObject { { QLatin1String("stop_reason"), stopReason(result.finishReason) },
                        { QLatin1String("stop_sequence"), QJsonValue() } } },
                { QLatin1String("usage"),
                    QJsonObject { { QLatin1String("output_tokens"), result.usage.completionTokens } } } })
        + event("message_stop", QJsonObject { { QLatin1String("type"), QStringLiteral("message_stop") } });
}

QByteArray AnthropicRenderer::streamError(int status, const QString &message) const
{
    return "event: error\ndata: " + anthropicErrorBody(status, message) + "\n\n";
}

QList<QByteArray> AnthropicRenderer::replayStream(const ChatResult &result) const
{
    QList<QByteArray> frames { messageStart(result.usage.promptTokens) };
    for (const QString &piece : splitForStreaming(result.text()))
        frames << streamDelta(QJsonObject { { QLatin1String("content"), piece } });
    frames << streamFinish(result);
    return frames;
}

QByteArray AnthropicRenderer::errorBody(int status, const QString &message, const QString &, const QString &) const
{
    return anthropicErrorBody(status, message);
}

} // namespace l0::api
