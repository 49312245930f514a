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

QString indexed(const QString &field, int i)
{
    return QStringLiteral("%1[%2]").arg(field).arg(i);
}

// Anthropic image block -> OpenAI image_url part (base64 -> data: URL, url -> url). Other
// sources (e.g. uploaded files) stay as sent.
Result<QJsonObject> imagePart(const QJsonObject &block, const QString &field)
{
    const QJsonObject source = block.value(QLatin1String("source")).toObject();
    const QString type = source.value(QLatin1String("type")).toString();
    if (type == QLatin1String("base64")) {
        const QString mediaType = source.value(QLatin1String("media_type")).toString();
        const QString data = source.value(QLatin1String("data")).toString();
        if (mediaType.isEmpty() || data.isEmpty())
            return makeFieldError(field + QStringLiteral(".source"),
                QStringLiteral("%1.source: a base64 image needs 'media_type' and 'data'").arg(field));
        return QJsonObject { { QLatin1String("type"), QStringLiteral("image_url") },
            { QLatin1String("image_url"),
                QJsonObject { { QLatin1String("url"), QStringLiteral("data:%1;base64,%2").arg(mediaType, data) } } } };
    }
    if (type == QLatin1String("url")) {
        const QString url = source.value(QLatin1String("url")).toString();
        if (url.isEmpty())
            return makeFieldError(field + QStringLiteral(".source.url"),
                QStringLiteral("%1.source.url: must be a non-empty string").arg(field));
        return QJsonObject { { QLatin1String("type"), QStringLiteral("image_url") },
            { QLatin1String("image_url"), QJsonObject { { QLatin1String("url"), url } } } };
    }
    if (!block.value(QLatin1String("source")).isObject())
        return makeFieldError(
            field + QStringLiteral(".source"), QStringLiteral("%1.source: an image needs a source object").arg(field));
    return block;
}

QJsonObject textPart(const QString &text)
{
    return QJsonObject { { QLatin1String("type"), QStringLiteral("text") }, { QLatin1String("text"), text } };
}

// Parts that are all text become one string (joined by newlines, as the system prompt is).
QJsonValue collapseParts(const QJsonArray &parts)
{
    QString text;
    for (const QJsonValue &p : parts) {
        const QJsonObject o = p.toObject();
        if (o.value(QLatin1String("type")).toString() != QLatin1String("text"))
            return parts;
        if (!text.isEmpty())
            text += QLatin1Char('\n');
        text += o.value(QLatin1String("text")).toString();
    }
    return text;
}

Status checkBlock(const QJsonValue &block, const QString &field)
{
    const QJsonObject b = block.toObject();
    if (!block.isObject() || !b.value(QLatin1String("type")).isString())
        return makeFieldError(field, QStringLiteral("%1 must be an object with a 'type'").arg(field));
    if (b.value(QLatin1String("type")).toString() == QLatin1String("text")
        && !b.value(QLatin1String("text")).isString())
        return makeFieldError(field + QStringLiteral(".text"), QStringLiteral("%1.text must be a string").arg(field));
    return {};
}

// tool_result content (a string or text/image blocks) -> tool message content.
Result<QJsonValue> toolResultContent(const QJsonValue &content, const QString &field)
{
    if (content.isUndefined() || content.isNull())
        return QJsonValue(QString());
    if (content.isString())
        return content;
    if (!content.isArray())
        return makeFieldError(field, QStringLiteral("%1 must be a string or an array of content blocks").arg(field));
    const QJsonArray blocks = content.toArray();
    QJsonArray parts;
    for (int i = 0; i < blocks.size(); ++i) {
        const QString f = indexed(field, i);
        if (auto s = checkBlock(blocks.at(i), f); !s)
            return s.error();
        const QJsonObject b = blocks.at(i).toObject();
        const QString type = b.value(QLatin1String("type")).toString();
        if (type == QLatin1String("text")) {
            parts.append(textPart(b.value(QLatin1String("text")).toString()));
        } else if (type == QLatin1String("image")) {
            auto part = imagePart(b, f);
            if (!part)
                return part.error();
            parts.append(*part);
        } else {
            parts.append(b);
        }
    }
    return collapseParts(parts);
}

// One Anthropic message -> one or more messages in the neutral (OpenAI) shape:
// - user turns: text and images become parts; each tool_result becomes a "tool" message
//   (before the rest of the turn, as Anthropic requires tool results to come first);
// - assistant turns: text becomes the content, tool_use blocks become tool_calls.
// Blocks with no OpenAI counterpart (documents, thinking, ...) stay as sent; an Anthropic upstream
// receives them unchanged and an OpenAI-compatible one refuses them, naming the field.
Status appendMessage(QJsonArray &out, const QString &role, const QJsonValue &content, const QString &field)
{
    if (content.isString()) {
        out.append(QJsonObject { { QLatin1String("role"), role }, { QLatin1String("content"), content.toString() } });
        return {};
    }
    if (!content.isArray())
        return makeFieldError(field, QStringLiteral("%1 must be a string or an array of content blocks").arg(field));
    const QJsonArray blocks = content.toArray();
    QJsonArray parts;
    QJsonArray toolMessages;
    QJsonArray toolCalls;
    for (int i = 0; i < blocks.size(); ++i) {
        const QString f = indexed(field, i);
        if (auto s = checkBlock(blocks.at(i), f); !s)
            return s;
        const QJsonObject b = blocks.at(i).toObject();
        const QString type = b.value(QLatin1String("type")).toString();
        if (type == QLatin1String("text")) {
            parts.append(textPart(b.value(QLatin1String("text")).toString()));
        } else if (type == QLatin1String("image") && role == QLatin1String("user")) {
            auto part = imagePart(b, f);
            if (!part)
                return part.error();
            parts.append(*part);
        } else if (type == QLatin1String("tool_result") && role == QLatin1String("user")) {
            const QJsonValue id = b.value(QLatin1String("tool_use_id"));
            if (!id.isString() || id.toString().isEmpty())
                return makeFieldError(f + QStringLiteral(".tool_use_id"),
                    QStringLiteral("%1.tool_use_id: must be a non-empty string").arg(f));
            auto c = toolResultContent(b.value(QLatin1String("content")), f + QStringLiteral(".content"));
            if (!c)
                return c.error();
            QJsonObject tool { { QLatin1String("role"), QStringLiteral("tool") }, { QLatin1String("tool_call_id"), id },
                { QLatin1String("content"), *c } };
            if (b.value(QLatin1String("is_error")).toBool())
                tool.insert(QLatin1String("is_error"), true);
            toolMessages.append(tool);
        } else if (type == QLatin1String("tool_use") && role == QLatin1String("assistant")) {
            const QJsonValue id = b.value(QLatin1String("id"));
            const QJsonValue name = b.value(QLatin1String("name"));
            if (!id.isString() || id.toString().isEmpty())
                return makeFieldError(
                    f + QStringLiteral(".id"), QStringLiteral("%1.id: must be a non-empty string").arg(f));
            if (!name.isString() || name.toString().isEmpty())
                return makeFieldError(
                    f + QStringLiteral(".name"), QStringLiteral("%1.name: must be a non-empty string").arg(f));
            const QJsonValue input = b.value(QLatin1String("input"));
            if (!input.isUndefined() && !input.isObject())
                return makeFieldError(
                    f + QStringLiteral(".input"), QStringLiteral("%1.input: must be an object").arg(f));
            toolCalls.append(QJsonObject { { QLatin1String("id"), id },
                { QLatin1String("type"), QStringLiteral("function") },
                { QLatin1String("function"),
                    QJsonObject { { QLatin1String("name"), name },
                        { QLatin1String("arguments"),
                            QString::fromUtf8(QJsonDocument(input.toObject()).toJson(QJsonDocument::Compact)) } } } });
        } else {
            parts.append(b);
        }
    }
    for (const QJsonValue &t : toolMessages)
        out.append(t);
    if (role == QLatin1String("assistant")) {
        QJsonObject m { { QLatin1String("role"), role } };
        const QJsonValue c = collapseParts(parts);
        if (!toolCalls.isEmpty()) {
            m.insert(QLatin1String("content"), c.isString() && c.toString().isEmpty() ? QJsonValue() : c);
            m.insert(QLatin1String("tool_calls"), toolCalls);
        } else {
            m.insert(QLatin1String("content"), c);
        }
        out.append(m);
    } else if (!parts.isEmpty() || toolMessages.isEmpty()) {
        out.append(QJsonObject { { QLatin1String("role"), role }, { QLatin1String("content"), collapseParts(parts) } });
    }
    return {};
}

// Anthropic tools -> OpenAI function tools. Server tools (a 'type' other than "custom") stay as sent.
Result<QJsonValue> translateTools(const QJsonValue &tools)
{
    if (!tools.isArray())
        return makeFieldError(QStringLiteral("tools"), QStringLiteral("tools: must be an array"));
    const QJsonArray in = tools.toArray();
    QJsonArray out;
    for (int i = 0; i < in.size(); ++i) {
        const QString f = QStringLiteral("tools.%1").arg(i);
        const QJsonObject t = in.at(i).toObject();
        if (!in.at(i).isObject())
            return makeFieldError(f, QStringLiteral("%1: must be an object").arg(f));
        const QJsonValue type = t.value(QLatin1String("type"));
        if (type.isString() && type.toString() != QLatin1String("custom")) {
            out.append(t);
            continue;
        }
        const QJsonValue name = t.value(QLatin1String("name"));
        if (!name.isString() || name.toString().isEmpty())
            return makeFieldError(
                f + QStringLiteral(".name"), QStringLiteral("%1.name: must be a non-empty string").arg(f));
        const QJsonValue schema = t.value(QLatin1String("input_schema"));
        if (!schema.isObject())
            return makeFieldError(
                f + QStringLiteral(".input_schema"), QStringLiteral("%1.input_schema: must be an object").arg(f));
        QJsonObject fn { { QLatin1String("name"), name }, { QLatin1String("parameters"), schema } };
        if (t.value(QLatin1String("description")).isString())
            fn.insert(QLatin1String("description"), t.value(QLatin1String("description")));
        if (t.value(QLatin1String("strict")).isBool())
            fn.insert(QLatin1String("strict"), t.value(QLatin1String("strict")));
        out.append(
            QJsonObject { { QLatin1String("type"), QStringLiteral("function") }, { QLatin1String("function"), fn } });
    }
    return QJsonValue(out);
}

// Anthropic tool_choice -> OpenAI tool_choice (+ parallel_tool_calls when parallel use is disabled).
Status translateToolChoice(const QJsonValue &choice, QJsonObject &params)
{
    const QJsonObject c = choice.toObject();
    const QString type = c.value(QLatin1String("type")).toString();
    if (!choice.isObject() || type.isEmpty())
        return makeFieldError(
            QStringLiteral("tool_choice"), QStringLiteral("tool_choice: must be an object with a 'type'"));
    if (type == QLatin1String("auto")) {
        params.insert(QLatin1String("tool_choice"), QStringLiteral("auto"));
    } else if (type == QLatin1String("any")) {
        params.insert(QLatin1String("tool_choice"), QStringLiteral("required"));
    } else if (type == QLatin1String("none")) {
        params.insert(QLatin1String("tool_choice"), QStringLiteral("none"));
    } else if (type == QLatin1String("tool")) {
        const QString name = c.value(QLatin1String("name")).toString();
        if (name.isEmpty())
            return makeFieldError(
                QStringLiteral("tool_choice.name"), QStringLiteral("tool_choice.name: required when type is 'tool'"));
        params.insert(QLatin1String("tool_choice"),
            QJsonObject { { QLatin1String("type"), QStringLiteral("function") },
                { QLatin1String("function"), QJsonObject { { QLatin1String("name"), name } } } });
    } else {
        return makeFieldError(QStringLiteral("tool_choice.type"),
            QStringLiteral("tool_choice.type: '%1' is not one of auto, any, tool, none").arg(type));
    }
    if (c.value(QLatin1String("disable_parallel_tool_use")).toBool())
        params.insert(QLatin1String("parallel_tool_calls"), false);
    return {};
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
    const auto parsed = jsonObjectBody(body);
    if (!parsed)
        return parsed.error();
    const QJsonObject &o = *parsed;
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
    // experiments assign arms by it
    r.user = o.value(QLatin1String("metadata")).toObject().value(QLatin1String("user_id")).toString();
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
        if (auto s
            = appendMessage(r.messages, role, m.value(QLatin1String("content")), field + QStringLiteral(".content"));
            !s)
            return s.error();
    }
    static const QHash<QString, QString> renamed { { QStringLiteral("stop_sequences"), QStringLiteral("stop") } };
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString &k = it.key();
        if (k == QLatin1String("model") || k == QLatin1String("messages") || k == QLatin1String("system")
            || k == QLatin1String("stream") || k == QLatin1String("metadata") || it.value().isNull())
            continue;
        if (k == QLatin1String("tools")) {
            auto tools = translateTools(it.value());
            if (!tools)
                return tools.error();
            r.params.insert(k, *tools);
        } else if (k == QLatin1String("tool_choice")) {
            if (auto s = translateToolChoice(it.value(), r.params); !s)
                return s.error();
        } else {
            r.params.insert(renamed.value(k, k), it.value());
        }
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
    if (fr == QLatin1String("content_filter"))
        return QStringLiteral("refusal");
    return QStringLiteral("end_turn");
}

QString AnthropicRenderer::stopReason(const ChatResult &result)
{
    if (result.finishReason == QLatin1String("stop") && !result.stopSequence.isEmpty())
        return QStringLiteral("stop_sequence");
    return stopReason(result.finishReason);
}

namespace {
QJsonValue stopSequenceValue(const ChatResult &result)
{
    return result.stopSequence.isEmpty() ? QJsonValue() : QJsonValue(result.stopSequence);
}

QJsonObject toolInput(const QJsonObject &function)
{
    return QJsonDocument::fromJson(function.value(QLatin1String("arguments")).toString().toUtf8()).object();
}
} // namespace

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
            { QLatin1String("name"), fn.value(QLatin1String("name")) }, { QLatin1String("input"), toolInput(fn) } });
    }
    const QJsonObject o { { QLatin1String("id"), m_id }, { QLatin1String("type"), QStringLiteral("message") },
        { QLatin1String("role"), QStringLiteral("assistant") }, { QLatin1String("model"), m_model },
        { QLatin1String("content"), content }, { QLatin1String("stop_reason"), stopReason(result) },
        { QLatin1String("stop_sequence"), stopSequenceValue(result) },
        { QLatin1String("usage"), usageJson(result.usage) } };
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray AnthropicRenderer::messageStart(qint64 inputTokens, StreamState &state) const
{
    state = StreamState {};
    state.open = 0;
    state.openIsText = true;
    state.next = 1;
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
    return messageStart(0, m_stream);
}

namespace {
QByteArray blockStop(int index)
{
    return event("content_block_stop",
        QJsonObject {
            { QLatin1String("type"), QStringLiteral("content_block_stop") }, { QLatin1String("index"), index } });
}

QByteArray blockDelta(int index, const QJsonObject &delta)
{
    return event("content_block_delta",
        QJsonObject { { QLatin1String("type"), QStringLiteral("content_block_delta") },
            { QLatin1String("index"), index }, { QLatin1String("delta"), delta } });
}

QByteArray blockStart(int index, const QJsonObject &block)
{
    return event("content_block_start",
        QJsonObject { { QLatin1String("type"), QStringLiteral("content_block_start") },
            { QLatin1String("index"), index }, { QLatin1String("content_block"), block } });
}
} // namespace

QByteArray AnthropicRenderer::delta(const QJsonObject &d, StreamState &state) const
{
    QByteArray out;
    const QString text = d.value(QLatin1String("content")).toString();
    if (!text.isEmpty()) {
        if (state.open < 0 || !state.openIsText) {
            if (state.open >= 0)
                out += blockStop(state.open);
            state.open = state.next++;
            state.openIsText = true;
            out += blockStart(state.open,
                QJsonObject {
                    { QLatin1String("type"), QStringLiteral("text") }, { QLatin1String("text"), QString() } });
        }
        out += blockDelta(state.open,
            QJsonObject { { QLatin1String("type"), QStringLiteral("text_delta") }, { QLatin1String("text"), text } });
    }
    for (const QJsonValue &cv : d.value(QLatin1String("tool_calls")).toArray()) {
        const QJsonObject c = cv.toObject();
        const int toolIndex = c.value(QLatin1String("index")).toInt();
        const QJsonObject fn = c.value(QLatin1String("function")).toObject();
        auto it = state.toolBlocks.constFind(toolIndex);
        if (it == state.toolBlocks.constEnd()) {
            if (state.open >= 0)
                out += blockStop(state.open);
            state.open = state.next++;
            state.openIsText = false;
            it = state.toolBlocks.insert(toolIndex, state.open);
            out += blockStart(state.open,
                QJsonObject { { QLatin1String("type"), QStringLiteral("tool_use") },
                    { QLatin1String("id"), c.value(QLatin1String("id")) },
                    { QLatin1String("name"), fn.value(QLatin1String("name")) },
                    { QLatin1String("input"), QJsonObject {} } });
        }
        const QString arguments = fn.value(QLatin1String("arguments")).toString();
        if (!arguments.isEmpty())
            out += blockDelta(*it,
                QJsonObject { { QLatin1String("type"), QStringLiteral("input_json_delta") },
                    { QLatin1String("partial_json"), arguments } });
    }
    return out;
}

QByteArray AnthropicRenderer::streamDelta(const QJsonObject &d) const
{
    return delta(d, m_stream);
}

QByteArray AnthropicRenderer::finish(const ChatResult &result, StreamState &state) const
{
    QByteArray out;
    if (state.open >= 0)
        out += blockStop(state.open);
    state.open = -1;
    return out
        + event("message_delta",
            QJsonObject { { QLatin1String("type"), QStringLiteral("message_delta") },
                { QLatin1String("delta"),
                    QJsonObject { { QLatin1String("stop_reason"), stopReason(result) },
                        { QLatin1String("stop_sequence"), stopSequenceValue(result) } } },
                { QLatin1String("usage"),
                    QJsonObject { { QLatin1String("input_tokens"), result.usage.promptTokens },
                        { QLatin1String("output_tokens"), result.usage.completionTokens } } } })
        + event("message_stop", QJsonObject { { QLatin1String("type"), QStringLiteral("message_stop") } });
}

QByteArray AnthropicRenderer::streamFinish(const ChatResult &result) const
{
    if (m_stream.open < 0 && m_stream.next == 0) // finished without streamStart(): block 0 is open
        m_stream.open = 0;
    return finish(result, m_stream);
}

QByteArray AnthropicRenderer::streamError(int status, const QString &message) const
{
    return "event: error\ndata: " + anthropicErrorBody(status, message) + "\n\n";
}

QList<QByteArray> AnthropicRenderer::replayStream(const ChatResult &result) const
{
    StreamState state;
    QList<QByteArray> frames { messageStart(result.usage.promptTokens, state) };
    for (const QString &piece : splitForStreaming(result.text()))
        frames << delta(QJsonObject { { QLatin1String("content"), piece } }, state);
    const QJsonArray calls = result.message.value(QLatin1String("tool_calls")).toArray();
    for (int i = 0; i < calls.size(); ++i) {
        const QJsonObject c = calls.at(i).toObject();
        const QJsonObject fn = c.value(QLatin1String("function")).toObject();
        const QString arguments = fn.value(QLatin1String("arguments")).toString();
        // The tool_use block first, then its input in pieces, as the Messages API streams it.
        frames << delta(QJsonObject { { QLatin1String("tool_calls"),
                            QJsonArray { QJsonObject { { QLatin1String("index"), i },
                                { QLatin1String("id"), c.value(QLatin1String("id")) },
                                { QLatin1String("function"),
                                    QJsonObject { { QLatin1String("name"), fn.value(QLatin1String("name")) },
                                        { QLatin1String("arguments"), QString() } } } } } } },
            state);
        for (qsizetype at = 0; at < arguments.size(); at += 16)
            frames << delta(QJsonObject { { QLatin1String("tool_calls"),
                                QJsonArray { QJsonObject { { QLatin1String("index"), i },
                                    { QLatin1String("function"),
                                        QJsonObject { { QLatin1String("arguments"), arguments.mid(at, 16) } } } } } } },
                state);
    }
    frames << finish(result, state);
    return frames;
}

QByteArray AnthropicRenderer::errorBody(int status, const QString &message, const QString &, const QString &) const
{
    return anthropicErrorBody(status, message);
}

} // namespace l0::api
