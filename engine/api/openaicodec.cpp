#include "openaicodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include "jsonchecks.h"

namespace l0::api {

namespace {

const QSet<QString> &knownRoles()
{
    static const QSet<QString> roles { QStringLiteral("system"), QStringLiteral("developer"), QStringLiteral("user"),
        QStringLiteral("assistant"), QStringLiteral("tool"), QStringLiteral("function") };
    return roles;
}

// Fields that never change the answer; everything else is part of the exact key.
const QSet<QString> &nonOutputFields()
{
    static const QSet<QString> fields { QStringLiteral("model"), QStringLiteral("messages"), QStringLiteral("stream"),
        QStringLiteral("stream_options"), QStringLiteral("user"), QStringLiteral("metadata"), QStringLiteral("store") };
    return fields;
}

Status checkPositiveInt(const QJsonObject &o, const char *name)
{
    const QJsonValue v = o.value(QLatin1String(name));
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isDouble() || v.toDouble() != double(v.toInteger()) || v.toInteger() < 1)
        return makeFieldError(
            QString::fromLatin1(name), QStringLiteral("'%1' must be a positive integer").arg(QLatin1String(name)));
    return {};
}

Status checkMessage(const QJsonValue &mv, int index)
{
    const QString field = QStringLiteral("messages[%1]").arg(index);
    if (!mv.isObject())
        return makeFieldError(field, QStringLiteral("%1 must be an object").arg(field));
    const QJsonObject m = mv.toObject();
    const QJsonValue role = m.value(QLatin1String("role"));
    if (!role.isString())
        return makeFieldError(field + QStringLiteral(".role"), QStringLiteral("%1.role must be a string").arg(field));
    if (!knownRoles().contains(role.toString()))
        return makeFieldError(field + QStringLiteral(".role"),
            QStringLiteral("%1.role '%2' is not one of system, developer, user, assistant, tool")
                .arg(field, role.toString()));
    const QJsonValue content = m.value(QLatin1String("content"));
    if (content.isString() || content.isNull() || content.isUndefined()) {
        if ((content.isNull() || content.isUndefined()) && role.toString() != QLatin1String("assistant"))
            return makeFieldError(
                field + QStringLiteral(".content"), QStringLiteral("%1.content is required").arg(field));
        return {};
    }
    if (!content.isArray())
        return makeFieldError(field + QStringLiteral(".content"),
            QStringLiteral("%1.content must be a string or an array of parts").arg(field));
    const QJsonArray parts = content.toArray();
    for (int i = 0; i < parts.size(); ++i) {
        const QJsonObject p = parts.at(i).toObject();
        if (!parts.at(i).isObject() || !p.value(QLatin1String("type")).isString())
            return makeFieldError(field + QStringLiteral(".content[%1]").arg(i),
                QStringLiteral("%1.content[%2] must be an object with a 'type'").arg(field).arg(i));
        if (p.value(QLatin1String("type")).toString() == QLatin1String("text")
            && !p.value(QLatin1String("text")).isString())
            return makeFieldError(field + QStringLiteral(".content[%1].text").arg(i),
                QStringLiteral("%1.content[%2].text must be a string").arg(field).arg(i));
    }
    return {};
}

} // namespace

Result<ChatRequest> parseOpenAiChat(const QByteArray &body)
{
    const auto parsed = jsonObjectBody(body);
    if (!parsed)
        return parsed.error();
    const QJsonObject &o = *parsed;

    const QJsonValue model = o.value(QLatin1String("model"));
    if (!model.isString() || model.toString().trimmed().isEmpty())
        return makeFieldError(QStringLiteral("model"), QStringLiteral("'model' must be a non-empty string"));
    const QJsonValue messages = o.value(QLatin1String("messages"));
    if (!messages.isArray())
        return makeFieldError(QStringLiteral("messages"), QStringLiteral("'messages' must be an array"));
    if (messages.toArray().isEmpty())
        return makeFieldError(QStringLiteral("messages"), QStringLiteral("'messages' must not be empty"));
    const QJsonArray msgs = messages.toArray();
    for (int i = 0; i < msgs.size(); ++i) {
        if (auto s = checkMessage(msgs.at(i), i); !s)
            return s.error();
    }
    const QJsonValue stream = o.value(QLatin1String("stream"));
    if (!stream.isUndefined() && !stream.isNull() && !stream.isBool())
        return makeFieldError(QStringLiteral("stream"), QStringLiteral("'stream' must be a boolean"));
    const QJsonValue so = o.value(QLatin1String("stream_options"));
    if (!so.isUndefined() && !so.isNull() && !so.isObject())
        return makeFieldError(QStringLiteral("stream_options"), QStringLiteral("'stream_options' must be an object"));
    for (auto check :
        { checkNumber(o, "temperature", 0, 2), checkNumber(o, "top_p", 0, 1), checkNumber(o, "presence_penalty", -2, 2),
            checkNumber(o, "frequency_penalty", -2, 2), checkPositiveInt(o, "max_tokens"),
            checkPositiveInt(o, "max_completion_tokens"), checkPositiveInt(o, "n") }) {
        if (!check)
            return check.error();
    }
    const QJsonValue tools = o.value(QLatin1String("tools"));
    if (!tools.isUndefined() && !tools.isNull() && !tools.isArray())
        return makeFieldError(QStringLiteral("tools"), QStringLiteral("'tools' must be an array"));
    const QJsonValue stop = o.value(QLatin1String("stop"));
    if (!stop.isUndefined() && !stop.isNull() && !stop.isString() && !stop.isArray())
        return makeFieldError(QStringLiteral("stop"), QStringLiteral("'stop' must be a string or an array of strings"));

    ChatRequest r;
    r.model = model.toString();
    r.messages = msgs;
    r.stream = stream.toBool(false);
    r.includeUsage = so.toObject().value(QLatin1String("include_usage")).toBool(false);
    r.wire = WireFormat::OpenAi;
    r.user = o.value(QLatin1String("user")).toString(); // experiments assign arms by it
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!nonOutputFields().contains(it.key()) && !it.value().isNull())
            r.params.insert(it.key(), it.value());
    }
    return r;
}

ChatResult chatResultFromOpenAi(const QJsonObject &o)
{
    ChatResult r;
    const QJsonObject choice = o.value(QLatin1String("choices")).toArray().at(0).toObject();
    r.message = choice.value(QLatin1String("message")).toObject();
    if (!r.message.contains(QLatin1String("role")))
        r.message.insert(QLatin1String("role"), QStringLiteral("assistant"));
    r.finishReason = choice.value(QLatin1String("finish_reason")).toString(QStringLiteral("stop"));
    r.modelUsed = o.value(QLatin1String("model")).toString();
    const QJsonObject u = o.value(QLatin1String("usage")).toObject();
    r.usage.promptTokens = u.value(QLatin1String("prompt_tokens")).toInteger();
    r.usage.completionTokens = u.value(QLatin1String("completion_tokens")).toInteger();
    return r;
}

QByteArray OpenAiRenderer::frame(const QJsonObject &o)
{
    return "data: " + QJsonDocument(o).toJson(QJsonDocument::Compact) + "\n\n";
}

QJsonObject OpenAiRenderer::chunk(const QJsonObject &delta, const QJsonValue &finishReason) const
{
    QJsonObject c {
        { QLatin1String("id"), m_id },
        { QLatin1String("object"), QStringLiteral("chat.completion.chunk") },
        { QLatin1String("created"), m_created },
        { QLatin1String("model"), m_model },
        { QLatin1String("system_fingerprint"), QJsonValue() },
        { QLatin1String("choices"),
            QJsonArray { QJsonObject { { QLatin1String("index"), 0 }, { QLatin1String("delta"), delta },
                { QLatin1String("logprobs"), QJsonValue() }, { QLatin1String("finish_reason"), finishReason } } } },
    };
    if (m_includeUsage)
        c.insert(QLatin1String("usage"), QJsonValue());
    return c;
}

QByteArray OpenAiRenderer::completion(const ChatResult &result) const
{
    return completionHead() + completionTail(result);
}

QByteArray OpenAiRenderer::completionHead() const
{
    return "{\"id\":\"" + m_id.toLatin1()
        + "\",\"object\":\"chat.completion\",\"created\":" + QByteArray::number(m_created);
}

QByteArray OpenAiRenderer::completionTail(const ChatResult &result) const
{
    QJsonObject message = result.message;
    if (!message.contains(QLatin1String("content")))
        message.insert(QLatin1String("content"), QJsonValue());
    message.insert(QLatin1String("refusal"), message.value(QLatin1String("refusal")));
    const QJsonArray choices { QJsonObject { { QLatin1String("index"), 0 }, { QLatin1String("message"), message },
        { QLatin1String("logprobs"), QJsonValue() }, { QLatin1String("finish_reason"), result.finishReason } } };
    const QJsonObject usage { { QLatin1String("prompt_tokens"), result.usage.promptTokens },
        { QLatin1String("completion_tokens"), result.usage.completionTokens },
        { QLatin1String("total_tokens"), result.usage.total() } };
    QByteArray model = QJsonDocument(QJsonArray { m_model }).toJson(QJsonDocument::Compact);
    model = model.mid(1, model.size() - 2); // the JSON string literal, escaped
    return ",\"model\":" + model + ",\"choices\":" + QJsonDocument(choices).toJson(QJsonDocument::Compact)
        + ",\"usage\":" + QJsonDocument(usage).toJson(QJsonDocument::Compact) + ",\"system_fingerprint\":null}";
}

QByteArray OpenAiRenderer::streamStart() const
{
    return frame(chunk(
        QJsonObject { { QLatin1String("role"), QStringLiteral("assistant") }, { QLatin1String("content"), QString() } },
        QJsonValue()));
}

QByteArray OpenAiRenderer::streamDelta(const QJsonObject &delta) const
{
    return frame(chunk(delta, QJsonValue()));
}

QByteArray OpenAiRenderer::streamFinish(const ChatResult &result) const
{
    QByteArray out;
    for (const QByteArray &f : finishFrames(result))
        out += f;
    return out;
}

QList<QByteArray> OpenAiRenderer::finishFrames(const ChatResult &result) const
{
    QList<QByteArray> out { frame(chunk(QJsonObject {}, result.finishReason)) };
    if (m_includeUsage) {
        QJsonObject u {
            { QLatin1String("id"), m_id },
            { QLatin1String("object"), QStringLiteral("chat.completion.chunk") },
            { QLatin1String("created"), m_created },
            { QLatin1String("model"), m_model },
            { QLatin1String("system_fingerprint"), QJsonValue() },
            { QLatin1String("choices"), QJsonArray {} },
            { QLatin1String("usage"),
                QJsonObject { { QLatin1String("prompt_tokens"), result.usage.promptTokens },
                    { QLatin1String("completion_tokens"), result.usage.completionTokens },
                    { QLatin1String("total_tokens"), result.usage.total() } } },
        };
        out << frame(u);
    }
    out << QByteArrayLiteral("data: [DONE]\n\n");
    return out;
}

QList<QByteArray> OpenAiRenderer::replayStream(const ChatResult &result) const
{
    QList<QByteArray> frames;
    frames << streamStart();
    for (const QString &piece : splitForStreaming(result.text()))
        frames << streamDelta(QJsonObject { { QLatin1String("content"), piece } });
    const QJsonArray calls = result.message.value(QLatin1String("tool_calls")).toArray();
    for (int i = 0; i < calls.size(); ++i) {
        QJsonObject c = calls.at(i).toObject();
        c.insert(QLatin1String("index"), i);
        frames << streamDelta(QJsonObject { { QLatin1String("tool_calls"), QJsonArray { c } } });
    }
    frames += finishFrames(result);
    return frames;
}

QByteArray OpenAiRenderer::streamError(int status, const QString &message) const
{
    return "data: " + openAiErrorBody(status, message) + "\n\n";
}

QByteArray OpenAiRenderer::errorBody(
    int status, const QString &message, const QString &param, const QString &code) const
{
    return openAiErrorBody(status, message, param, code);
}

QStringList splitForStreaming(const QString &text)
{
    QStringList pieces;
    qsizetype start = 0;
    for (qsizetype i = 1; i <= text.size(); ++i) {
        if (i == text.size() || (text.at(i) == QLatin1Char(' ') && i - start >= 16)) {
            pieces << text.mid(start, i - start);
            start = i;
        }
    }
    return pieces;
}

QString openAiErrorType(int status)
{
    switch (status) {
    case 401:
        return QStringLiteral("authentication_error");
    case 403:
        return QStringLiteral("permission_error");
    case 404:
        return QStringLiteral("invalid_request_error");
    case 429:
        return QStringLiteral("rate_limit_error");
    default:
        break;
    }
    return status >= 500 ? QStringLiteral("api_error") : QStringLiteral("invalid_request_error");
}

QByteArray openAiErrorBody(int status, const QString &message, const QString &param, const QString &code)
{
    const QJsonObject o { { QLatin1String("error"),
        QJsonObject { { QLatin1String("message"), message }, { QLatin1String("type"), openAiErrorType(status) },
            { QLatin1String("param"), param.isEmpty() ? QJsonValue() : QJsonValue(param) },
            { QLatin1String("code"), code.isEmpty() ? QJsonValue() : QJsonValue(code) } } } };
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace l0::api
