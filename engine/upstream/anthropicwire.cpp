#include "anthropicwire.h"

#include <QJsonDocument>
#include <QSet>

namespace l0 {

namespace {

Error fieldError(const QString &field, const QString &what)
{
    return makeFieldError(field, QStringLiteral("%1: %2").arg(field, what));
}

Error notForAnthropic(const QString &field, const QString &why = QString())
{
    return fieldError(field,
        why.isEmpty() ? QStringLiteral("has no counterpart in the Anthropic Messages API, so it cannot be sent to this "
                                       "model's Anthropic upstream")
                      : why);
}

QString at(const QString &field, qsizetype i)
{
    return QStringLiteral("%1[%2]").arg(field).arg(i);
}

QJsonObject textBlock(const QString &text)
{
    return QJsonObject { { QLatin1String("type"), QStringLiteral("text") }, { QLatin1String("text"), text } };
}

// The OpenAI content part types; anything else in a request that came through the Anthropic API
// is an Anthropic block kept as sent (documents, thinking, ...).
bool isOpenAiPartType(const QString &type)
{
    static const QSet<QString> types { QStringLiteral("text"), QStringLiteral("image_url"),
        QStringLiteral("input_audio"), QStringLiteral("file"), QStringLiteral("refusal") };
    return types.contains(type);
}

// "data:MEDIA;base64,DATA" -> (media type, data); false for anything else.
bool splitDataUrl(const QString &url, QString *mediaType, QString *data)
{
    if (!url.startsWith(QLatin1String("data:")))
        return false;
    const qsizetype comma = url.indexOf(QLatin1Char(','));
    if (comma < 0)
        return false;
    const QString head = url.mid(5, comma - 5);
    if (!head.endsWith(QLatin1String(";base64")))
        return false;
    *mediaType = head.left(head.size() - 7);
    *data = url.mid(comma + 1);
    return !mediaType->isEmpty() && !data->isEmpty();
}

Result<QJsonObject> imageBlock(const QJsonObject &part, const QString &field)
{
    const QJsonValue iu = part.value(QLatin1String("image_url"));
    const QString url = iu.isString() ? iu.toString() : iu.toObject().value(QLatin1String("url")).toString();
    QString mediaType, data;
    if (splitDataUrl(url, &mediaType, &data))
        return QJsonObject { { QLatin1String("type"), QStringLiteral("image") },
            { QLatin1String("source"),
                QJsonObject { { QLatin1String("type"), QStringLiteral("base64") },
                    { QLatin1String("media_type"), mediaType }, { QLatin1String("data"), data } } } };
    if (url.startsWith(QLatin1String("https://")) || url.startsWith(QLatin1String("http://")))
        return QJsonObject { { QLatin1String("type"), QStringLiteral("image") },
            { QLatin1String("source"),
                QJsonObject { { QLatin1String("type"), QStringLiteral("url") }, { QLatin1String("url"), url } } } };
    return fieldError(field + QStringLiteral(".image_url.url"),
        QStringLiteral("must be a base64 data: URL or an http(s) URL for an Anthropic upstream"));
}

Result<QJsonObject> fileBlock(const QJsonObject &part, const QString &field)
{
    const QJsonObject file = part.value(QLatin1String("file")).toObject();
    QString mediaType, data;
    if (!splitDataUrl(file.value(QLatin1String("file_data")).toString(), &mediaType, &data)
        || mediaType != QLatin1String("application/pdf"))
        return notForAnthropic(field,
            QStringLiteral("only PDF files sent inline as a base64 data: URL in file.file_data can go to an "
                           "Anthropic upstream"));
    return QJsonObject { { QLatin1String("type"), QStringLiteral("document") },
        { QLatin1String("source"),
            QJsonObject { { QLatin1String("type"), QStringLiteral("base64") },
                { QLatin1String("media_type"), mediaType }, { QLatin1String("data"), data } } } };
}

// User (or tool result) content: a string or OpenAI parts -> Anthropic blocks.
Result<QJsonArray> userBlocks(const QJsonValue &content, const QString &field, bool anthropicWire, bool inToolResult)
{
    QJsonArray out;
    if (content.isString()) {
        out.append(textBlock(content.toString()));
        return out;
    }
    if (content.isNull() || content.isUndefined())
        return out;
    if (!content.isArray())
        return fieldError(field, QStringLiteral("must be a string or an array of content parts"));
    const QJsonArray parts = content.toArray();
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QString f = at(field, i);
        const QJsonObject p = parts.at(i).toObject();
        const QString type = p.value(QLatin1String("type")).toString();
        if (type == QLatin1String("text")) {
            out.append(textBlock(p.value(QLatin1String("text")).toString()));
        } else if (type == QLatin1String("image_url")) {
            auto b = imageBlock(p, f);
            if (!b)
                return b.error();
            out.append(*b);
        } else if (type == QLatin1String("file") && !inToolResult) {
            auto b = fileBlock(p, f);
            if (!b)
                return b.error();
            out.append(*b);
        } else if (type == QLatin1String("input_audio")) {
            return notForAnthropic(f, QStringLiteral("audio input is not supported by Anthropic models"));
        } else if (anthropicWire && !isOpenAiPartType(type) && !type.isEmpty()) {
            out.append(p); // an Anthropic block the client sent, passed on unchanged
        } else {
            return notForAnthropic(f, QStringLiteral("a '%1' part cannot be sent to an Anthropic upstream").arg(type));
        }
    }
    return out;
}

// A turn's blocks: a single plain text block is sent as a string.
QJsonValue compactContent(const QJsonArray &blocks)
{
    if (blocks.size() == 1) {
        const QJsonObject b = blocks.at(0).toObject();
        if (b.size() == 2 && b.value(QLatin1String("type")).toString() == QLatin1String("text"))
            return b.value(QLatin1String("text"));
    }
    return blocks;
}

struct MessageTranslation {
    QStringList system;
    QJsonArray messages;
};

Result<MessageTranslation> translateMessages(const ChatRequest &request)
{
    const bool anthropicWire = request.wire == WireFormat::Anthropic;
    MessageTranslation t;
    QJsonArray toolResults; // tool_result blocks waiting for the next user turn
    QJsonArray userTail; // the user message that joins them
    bool userOpen = false; // a user turn is being built (tool results, maybe with a user message)
    auto flush = [&]() {
        if (!userOpen)
            return;
        QJsonArray blocks = toolResults;
        for (const QJsonValue &b : std::as_const(userTail))
            blocks.append(b);
        t.messages.append(QJsonObject {
            { QLatin1String("role"), QStringLiteral("user") }, { QLatin1String("content"), compactContent(blocks) } });
        toolResults = {};
        userTail = {};
        userOpen = false;
    };

    for (qsizetype i = 0; i < request.messages.size(); ++i) {
        const QString field = at(QStringLiteral("messages"), i);
        const QJsonObject m = request.messages.at(i).toObject();
        const QString role = m.value(QLatin1String("role")).toString();
        const QJsonValue content = m.value(QLatin1String("content"));
        if (m.contains(QLatin1String("name")) && !m.value(QLatin1String("name")).isNull())
            return notForAnthropic(field + QStringLiteral(".name"),
                QStringLiteral("participant names are not supported by Anthropic models"));
        if (role == QLatin1String("system") || role == QLatin1String("developer")) {
            auto blocks = userBlocks(content, field + QStringLiteral(".content"), false, false);
            if (!blocks)
                return blocks.error();
            QStringList texts;
            for (const QJsonValue &b : std::as_const(*blocks)) {
                if (b.toObject().value(QLatin1String("type")).toString() != QLatin1String("text"))
                    return notForAnthropic(field + QStringLiteral(".content"),
                        QStringLiteral("an Anthropic system prompt can only hold text"));
                texts << b.toObject().value(QLatin1String("text")).toString();
            }
            t.system << texts.join(QLatin1Char('\n'));
        } else if (role == QLatin1String("user")) {
            if (userOpen && !userTail.isEmpty())
                flush();
            auto blocks = userBlocks(content, field + QStringLiteral(".content"), anthropicWire, false);
            if (!blocks)
                return blocks.error();
            userTail = *blocks;
            userOpen = true;
        } else if (role == QLatin1String("tool")) {
            if (userOpen && !userTail.isEmpty())
                flush();
            const QJsonValue id = m.value(QLatin1String("tool_call_id"));
            if (!id.isString() || id.toString().isEmpty())
                return fieldError(
                    field + QStringLiteral(".tool_call_id"), QStringLiteral("required for a tool message"));
            QJsonObject result { { QLatin1String("type"), QStringLiteral("tool_result") },
                { QLatin1String("tool_use_id"), id } };
            if (content.isString()) {
                result.insert(QLatin1String("content"), content);
            } else {
                auto blocks = userBlocks(content, field + QStringLiteral(".content"), anthropicWire, true);
                if (!blocks)
                    return blocks.error();
                result.insert(QLatin1String("content"), *blocks);
            }
            if (m.value(QLatin1String("is_error")).toBool())
                result.insert(QLatin1String("is_error"), true);
            toolResults.append(result);
            userOpen = true;
        } else if (role == QLatin1String("assistant")) {
            flush();
            for (const char *k : { "function_call", "audio" }) {
                if (m.contains(QLatin1String(k)) && !m.value(QLatin1String(k)).isNull())
                    return notForAnthropic(field + QLatin1Char('.') + QLatin1String(k));
            }
            QJsonArray blocks;
            if (content.isString()) {
                if (!content.toString().isEmpty())
                    blocks.append(textBlock(content.toString()));
            } else if (content.isArray()) {
                const QJsonArray parts = content.toArray();
                for (qsizetype j = 0; j < parts.size(); ++j) {
                    const QJsonObject p = parts.at(j).toObject();
                    const QString type = p.value(QLatin1String("type")).toString();
                    if (type == QLatin1String("text"))
                        blocks.append(textBlock(p.value(QLatin1String("text")).toString()));
                    else if (type == QLatin1String("refusal"))
                        blocks.append(textBlock(p.value(QLatin1String("refusal")).toString()));
                    else if (anthropicWire && !isOpenAiPartType(type) && !type.isEmpty())
                        blocks.append(p);
                    else
                        return notForAnthropic(at(field + QStringLiteral(".content"), j),
                            QStringLiteral("a '%1' part cannot be sent to an Anthropic upstream").arg(type));
                }
            } else if (!content.isNull() && !content.isUndefined()) {
                return fieldError(
                    field + QStringLiteral(".content"), QStringLiteral("must be a string, an array or null"));
            }
            const QJsonArray calls = m.value(QLatin1String("tool_calls")).toArray();
            for (qsizetype j = 0; j < calls.size(); ++j) {
                const QString f = at(field + QStringLiteral(".tool_calls"), j);
                const QJsonObject c = calls.at(j).toObject();
                const QJsonObject fn = c.value(QLatin1String("function")).toObject();
                if (c.contains(QLatin1String("type"))
                    && c.value(QLatin1String("type")).toString() != QLatin1String("function"))
                    return notForAnthropic(f + QStringLiteral(".type"),
                        QStringLiteral("only function tool calls can be sent to an Anthropic upstream"));
                const QString id = c.value(QLatin1String("id")).toString();
                const QString name = fn.value(QLatin1String("name")).toString();
                if (id.isEmpty())
                    return fieldError(f + QStringLiteral(".id"), QStringLiteral("a tool call needs an id"));
                if (name.isEmpty())
                    return fieldError(f + QStringLiteral(".function.name"), QStringLiteral("a tool call needs a name"));
                const QString arguments = fn.value(QLatin1String("arguments")).toString();
                QJsonObject input;
                if (!arguments.trimmed().isEmpty()) {
                    const QJsonDocument doc = QJsonDocument::fromJson(arguments.toUtf8());
                    if (!doc.isObject())
                        return fieldError(f + QStringLiteral(".function.arguments"),
                            QStringLiteral("must be a JSON object to be sent to an Anthropic upstream"));
                    input = doc.object();
                }
                blocks.append(QJsonObject { { QLatin1String("type"), QStringLiteral("tool_use") },
                    { QLatin1String("id"), id }, { QLatin1String("name"), name }, { QLatin1String("input"), input } });
            }
            if (blocks.isEmpty())
                return fieldError(field, QStringLiteral("an assistant message needs content or tool_calls"));
            t.messages.append(QJsonObject { { QLatin1String("role"), QStringLiteral("assistant") },
                { QLatin1String("content"), compactContent(blocks) } });
        } else {
            return notForAnthropic(field + QStringLiteral(".role"),
                QStringLiteral("the '%1' role cannot be sent to an Anthropic upstream").arg(role));
        }
    }
    flush();
    if (t.messages.isEmpty())
        return fieldError(
            QStringLiteral("messages"), QStringLiteral("an Anthropic upstream needs at least one user message"));
    return t;
}

Result<QJsonArray> translateTools(const QJsonValue &tools)
{
    if (!tools.isArray())
        return fieldError(QStringLiteral("tools"), QStringLiteral("must be an array"));
    QJsonArray out;
    const QJsonArray in = tools.toArray();
    for (qsizetype i = 0; i < in.size(); ++i) {
        const QString f = at(QStringLiteral("tools"), i);
        const QJsonObject t = in.at(i).toObject();
        if (t.value(QLatin1String("type")).toString() != QLatin1String("function")
            || !t.value(QLatin1String("function")).isObject())
            return notForAnthropic(f + QStringLiteral(".type"),
                QStringLiteral(
                    "only function tools (type 'function') can be sent to an Anthropic upstream; '%1' cannot")
                    .arg(t.value(QLatin1String("type")).toString()));
        const QJsonObject fn = t.value(QLatin1String("function")).toObject();
        const QString name = fn.value(QLatin1String("name")).toString();
        if (name.isEmpty())
            return fieldError(f + QStringLiteral(".function.name"), QStringLiteral("a tool needs a name"));
        QJsonObject schema = fn.value(QLatin1String("parameters")).toObject();
        if (schema.isEmpty())
            schema = QJsonObject { { QLatin1String("type"), QStringLiteral("object") },
                { QLatin1String("properties"), QJsonObject {} } };
        QJsonObject tool { { QLatin1String("name"), name }, { QLatin1String("input_schema"), schema } };
        if (fn.value(QLatin1String("description")).isString())
            tool.insert(QLatin1String("description"), fn.value(QLatin1String("description")));
        if (fn.value(QLatin1String("strict")).toBool())
            tool.insert(QLatin1String("strict"), true);
        out.append(tool);
    }
    return out;
}

Result<QJsonObject> translateToolChoice(const QJsonValue &choice)
{
    const QString f = QStringLiteral("tool_choice");
    if (choice.isString()) {
        const QString c = choice.toString();
        if (c == QLatin1String("auto"))
            return QJsonObject { { QLatin1String("type"), QStringLiteral("auto") } };
        if (c == QLatin1String("none"))
            return QJsonObject { { QLatin1String("type"), QStringLiteral("none") } };
        if (c == QLatin1String("required"))
            return QJsonObject { { QLatin1String("type"), QStringLiteral("any") } };
        return fieldError(f, QStringLiteral("'%1' is not one of auto, none, required").arg(c));
    }
    const QJsonObject o = choice.toObject();
    const QString name = o.value(QLatin1String("function")).toObject().value(QLatin1String("name")).toString();
    if (o.value(QLatin1String("type")).toString() == QLatin1String("function") && !name.isEmpty())
        return QJsonObject { { QLatin1String("type"), QStringLiteral("tool") }, { QLatin1String("name"), name } };
    return notForAnthropic(
        f, QStringLiteral("only auto, none, required or a named function can be sent to an Anthropic upstream"));
}

bool isDefault(const QJsonValue &v, const QString &key)
{
    if (v.isNull())
        return true;
    if (key == QLatin1String("n"))
        return v.isDouble() && v.toDouble() == 1;
    if (key == QLatin1String("logprobs"))
        return v.isBool() && !v.toBool();
    if (key == QLatin1String("top_logprobs") || key == QLatin1String("presence_penalty")
        || key == QLatin1String("frequency_penalty"))
        return v.isDouble() && v.toDouble() == 0;
    if (key == QLatin1String("logit_bias"))
        return v.isObject() && v.toObject().isEmpty();
    if (key == QLatin1String("response_format"))
        return v.toObject().value(QLatin1String("type")).toString() == QLatin1String("text");
    if (key == QLatin1String("modalities"))
        return v.isArray() && v.toArray().size() == 1 && v.toArray().at(0).toString() == QLatin1String("text");
    return false;
}

const QString &unsupportedReason(const QString &key)
{
    static const QHash<QString, QString> reasons {
        { QStringLiteral("n"), QStringLiteral("Anthropic models give one answer per request (n must be 1)") },
        { QStringLiteral("logprobs"), QStringLiteral("Anthropic models do not return log probabilities") },
        { QStringLiteral("top_logprobs"), QStringLiteral("Anthropic models do not return log probabilities") },
        { QStringLiteral("audio"), QStringLiteral("Anthropic models do not produce audio") },
        { QStringLiteral("modalities"), QStringLiteral("Anthropic models only answer in text") },
        { QStringLiteral("seed"), QStringLiteral("Anthropic models take no seed") },
        { QStringLiteral("presence_penalty"), QStringLiteral("Anthropic models take no presence penalty") },
        { QStringLiteral("frequency_penalty"), QStringLiteral("Anthropic models take no frequency penalty") },
        { QStringLiteral("logit_bias"), QStringLiteral("Anthropic models take no logit bias") },
        { QStringLiteral("response_format"),
            QStringLiteral("only response_format {\"type\":\"text\"} can be sent to an Anthropic upstream") },
        { QStringLiteral("thinking"),
            QStringLiteral("extended thinking is not supported through the proxy (its thinking blocks cannot be "
                           "carried in the neutral answer)") },
    };
    static const QString none;
    auto it = reasons.constFind(key);
    return it == reasons.constEnd() ? none : *it;
}

} // namespace

Result<QJsonObject> anthropicRequestJson(const ChatRequest &request, int defaultMaxTokens)
{
    auto translated = translateMessages(request);
    if (!translated)
        return translated.error();
    QJsonObject o {
        { QLatin1String("model"), request.model },
        { QLatin1String("messages"), translated->messages },
    };
    if (!translated->system.isEmpty())
        o.insert(QLatin1String("system"), translated->system.join(QLatin1Char('\n')));
    if (request.stream)
        o.insert(QLatin1String("stream"), true);

    const QJsonObject &p = request.params;
    bool parallel = true;
    QJsonObject toolChoice;
    qint64 maxTokens = defaultMaxTokens;
    // Hints that do not change the answer and have no Anthropic counterpart.
    static const QSet<QString> hints { QStringLiteral("prompt_cache_key"), QStringLiteral("prompt_cache_retention"),
        QStringLiteral("safety_identifier") };
    for (auto it = p.begin(); it != p.end(); ++it) {
        const QString &k = it.key();
        const QJsonValue v = it.value();
        if (v.isNull() || hints.contains(k))
            continue;
        if (k == QLatin1String("max_tokens") || k == QLatin1String("max_completion_tokens")) {
            if (!v.isDouble() || v.toInteger() < 1)
                return fieldError(k, QStringLiteral("must be a positive integer"));
            if (k == QLatin1String("max_completion_tokens") || !p.contains(QLatin1String("max_completion_tokens")))
                maxTokens = v.toInteger();
        } else if (k == QLatin1String("temperature")) {
            if (!v.isDouble() || v.toDouble() < 0 || v.toDouble() > 1)
                return fieldError(k, QStringLiteral("Anthropic models take a temperature from 0 to 1"));
            o.insert(k, v);
        } else if (k == QLatin1String("top_p")) {
            o.insert(k, v);
        } else if (k == QLatin1String("top_k")) {
            if (!v.isDouble() || v.toInteger() < 0)
                return fieldError(k, QStringLiteral("must be a non-negative integer"));
            o.insert(k, v);
        } else if (k == QLatin1String("stop")) {
            QJsonArray seqs;
            if (v.isString()) {
                seqs.append(v);
            } else if (v.isArray()) {
                for (const QJsonValue &s : v.toArray()) {
                    if (!s.isString())
                        return fieldError(k, QStringLiteral("must be a string or an array of strings"));
                    seqs.append(s);
                }
            } else {
                return fieldError(k, QStringLiteral("must be a string or an array of strings"));
            }
            if (!seqs.isEmpty())
                o.insert(QLatin1String("stop_sequences"), seqs);
        } else if (k == QLatin1String("tools")) {
            auto tools = translateTools(v);
            if (!tools)
                return tools.error();
            if (!tools->isEmpty())
                o.insert(k, *tools);
        } else if (k == QLatin1String("tool_choice")) {
            auto c = translateToolChoice(v);
            if (!c)
                return c.error();
            toolChoice = *c;
        } else if (k == QLatin1String("parallel_tool_calls")) {
            if (!v.isBool())
                return fieldError(k, QStringLiteral("must be a boolean"));
            parallel = v.toBool();
        } else if (k == QLatin1String("service_tier")) {
            const QString tier = v.toString();
            if (tier != QLatin1String("auto") && tier != QLatin1String("standard_only"))
                return notForAnthropic(
                    k, QStringLiteral("Anthropic upstreams take service_tier 'auto' or 'standard_only'"));
            o.insert(k, v);
        } else if (isDefault(v, k)) {
            continue;
        } else {
            return notForAnthropic(k, unsupportedReason(k));
        }
    }
    o.insert(QLatin1String("max_tokens"), maxTokens);
    if (o.contains(QLatin1String("tools"))) {
        if (!parallel) {
            if (toolChoice.isEmpty())
                toolChoice.insert(QLatin1String("type"), QStringLiteral("auto"));
            if (toolChoice.value(QLatin1String("type")).toString() != QLatin1String("none"))
                toolChoice.insert(QLatin1String("disable_parallel_tool_use"), true);
        }
        if (!toolChoice.isEmpty())
            o.insert(QLatin1String("tool_choice"), toolChoice);
    } else if (toolChoice.value(QLatin1String("type")).toString() == QLatin1String("any")
        || toolChoice.value(QLatin1String("type")).toString() == QLatin1String("tool")) {
        return fieldError(
            QStringLiteral("tool_choice"), QStringLiteral("asks for a tool call, but no tools are offered"));
    }
    return o;
}

QString finishReasonFromAnthropic(const QString &stopReason)
{
    if (stopReason == QLatin1String("max_tokens") || stopReason == QLatin1String("model_context_window_exceeded"))
        return QStringLiteral("length");
    if (stopReason == QLatin1String("tool_use"))
        return QStringLiteral("tool_calls");
    if (stopReason == QLatin1String("refusal"))
        return QStringLiteral("content_filter");
    return QStringLiteral("stop");
}

namespace {

qint64 inputTokens(const QJsonObject &usage)
{
    return usage.value(QLatin1String("input_tokens")).toInteger()
        + usage.value(QLatin1String("cache_creation_input_tokens")).toInteger()
        + usage.value(QLatin1String("cache_read_input_tokens")).toInteger();
}

bool isThinking(const QString &type)
{
    return type == QLatin1String("thinking") || type == QLatin1String("redacted_thinking");
}

Error unsupportedBlock(const QString &type)
{
    Error e = makeError(ErrorCode::UpstreamError,
        QStringLiteral("upstream: the answer holds a '%1' content block, which the proxy cannot pass on").arg(type));
    e.upstreamStatus = 502;
    return e;
}

QJsonObject toolCall(const QString &id, const QString &name, const QString &arguments)
{
    return QJsonObject { { QLatin1String("id"), id }, { QLatin1String("type"), QStringLiteral("function") },
        { QLatin1String("function"),
            QJsonObject { { QLatin1String("name"), name }, { QLatin1String("arguments"), arguments } } } };
}

int statusForErrorType(const QString &type)
{
    static const QHash<QString, int> statuses {
        { QStringLiteral("invalid_request_error"), 400 },
        { QStringLiteral("authentication_error"), 401 },
        { QStringLiteral("billing_error"), 402 },
        { QStringLiteral("permission_error"), 403 },
        { QStringLiteral("not_found_error"), 404 },
        { QStringLiteral("request_too_large"), 413 },
        { QStringLiteral("rate_limit_error"), 429 },
        { QStringLiteral("api_error"), 500 },
        { QStringLiteral("timeout_error"), 504 },
        { QStringLiteral("overloaded_error"), 529 },
    };
    return statuses.value(type, 502);
}

} // namespace

Result<ChatResult> chatResultFromAnthropic(const QJsonObject &message)
{
    if (message.value(QLatin1String("type")).toString() != QLatin1String("message")
        || !message.value(QLatin1String("content")).isArray()) {
        Error e = makeError(ErrorCode::UpstreamError, QStringLiteral("upstream: answer is not a Message"));
        e.upstreamStatus = 502;
        return e;
    }
    ChatResult r;
    QString text;
    QJsonArray calls;
    for (const QJsonValue &bv : message.value(QLatin1String("content")).toArray()) {
        const QJsonObject b = bv.toObject();
        const QString type = b.value(QLatin1String("type")).toString();
        if (type == QLatin1String("text")) {
            text += b.value(QLatin1String("text")).toString();
        } else if (type == QLatin1String("tool_use")) {
            calls.append(toolCall(b.value(QLatin1String("id")).toString(), b.value(QLatin1String("name")).toString(),
                QString::fromUtf8(
                    QJsonDocument(b.value(QLatin1String("input")).toObject()).toJson(QJsonDocument::Compact))));
        } else if (!isThinking(type)) {
            return unsupportedBlock(type);
        }
    }
    r.message.insert(QLatin1String("role"), QStringLiteral("assistant"));
    r.message.insert(QLatin1String("content"), !text.isEmpty() || calls.isEmpty() ? QJsonValue(text) : QJsonValue());
    if (!calls.isEmpty())
        r.message.insert(QLatin1String("tool_calls"), calls);
    const QString stopReason = message.value(QLatin1String("stop_reason")).toString();
    r.finishReason = finishReasonFromAnthropic(stopReason);
    if (stopReason == QLatin1String("stop_sequence"))
        r.stopSequence = message.value(QLatin1String("stop_sequence")).toString();
    r.modelUsed = message.value(QLatin1String("model")).toString();
    const QJsonObject usage = message.value(QLatin1String("usage")).toObject();
    r.usage.promptTokens = inputTokens(usage);
    r.usage.completionTokens = usage.value(QLatin1String("output_tokens")).toInteger();
    return r;
}

Error anthropicUpstreamError(int httpStatus, const QByteArray &body, const QString &fallback)
{
    const QJsonObject err = QJsonDocument::fromJson(body).object().value(QLatin1String("error")).toObject();
    const QString type = err.value(QLatin1String("type")).toString();
    QString message = err.value(QLatin1String("message")).toString();
    if (message.isEmpty())
        message = fallback;
    int status = httpStatus;
    if (type == QLatin1String("overloaded_error"))
        status = 529;
    else if (status <= 0)
        status = statusForErrorType(type);
    Error e = makeError(ErrorCode::UpstreamError,
        type.isEmpty() ? QStringLiteral("upstream: %1").arg(message)
                       : QStringLiteral("upstream: %1 (%2)").arg(message, type));
    e.upstreamStatus = status;
    return e;
}

Result<QJsonObject> AnthropicStreamParser::addEvent(const QByteArray &data)
{
    QJsonParseError perr {};
    const QJsonDocument doc = QJsonDocument::fromJson(data, &perr);
    if (perr.error != QJsonParseError::NoError || !doc.isObject()) {
        Error e = makeError(ErrorCode::UpstreamError, QStringLiteral("upstream sent a stream event that is not JSON"));
        e.upstreamStatus = 502;
        return e;
    }
    const QJsonObject ev = doc.object();
    const QString type = ev.value(QLatin1String("type")).toString();
    QJsonObject out;
    if (type == QLatin1String("message_start")) {
        const QJsonObject message = ev.value(QLatin1String("message")).toObject();
        m_model = message.value(QLatin1String("model")).toString();
        const QJsonObject usage = message.value(QLatin1String("usage")).toObject();
        m_inputTokens = usage.value(QLatin1String("input_tokens")).toInteger();
        m_cacheTokens = inputTokens(usage) - m_inputTokens;
        m_usage.promptTokens = m_inputTokens + m_cacheTokens;
        m_usage.completionTokens = usage.value(QLatin1String("output_tokens")).toInteger();
    } else if (type == QLatin1String("content_block_start")) {
        const int index = ev.value(QLatin1String("index")).toInt();
        const QJsonObject block = ev.value(QLatin1String("content_block")).toObject();
        const QString btype = block.value(QLatin1String("type")).toString();
        Block b;
        if (btype == QLatin1String("text")) {
            const QString text = block.value(QLatin1String("text")).toString();
            if (!text.isEmpty()) {
                m_text += text;
                out.insert(QLatin1String("content"), text);
            }
        } else if (btype == QLatin1String("tool_use")) {
            b.isTool = true;
            b.toolIndex = int(m_toolCalls.size());
            b.startInput = block.value(QLatin1String("input")).toObject();
            const QString id = block.value(QLatin1String("id")).toString();
            const QString name = block.value(QLatin1String("name")).toString();
            m_toolCalls.append(toolCall(id, name, QString()));
            QJsonObject delta = toolCall(id, name, QString());
            delta.insert(QLatin1String("index"), b.toolIndex);
            out.insert(QLatin1String("tool_calls"), QJsonArray { delta });
        } else if (!isThinking(btype)) {
            return unsupportedBlock(btype);
        }
        m_blocks.insert(index, b);
    } else if (type == QLatin1String("content_block_delta")) {
        const int index = ev.value(QLatin1String("index")).toInt();
        const QJsonObject delta = ev.value(QLatin1String("delta")).toObject();
        const QString dtype = delta.value(QLatin1String("type")).toString();
        if (dtype == QLatin1String("text_delta")) {
            const QString text = delta.value(QLatin1String("text")).toString();
            m_text += text;
            if (!text.isEmpty())
                out.insert(QLatin1String("content"), text);
        } else if (dtype == QLatin1String("input_json_delta")) {
            auto it = m_blocks.find(index);
            if (it != m_blocks.end() && it->isTool) {
                const QString piece = delta.value(QLatin1String("partial_json")).toString();
                it->gotInput = true;
                QJsonObject call = m_toolCalls.at(it->toolIndex).toObject();
                QJsonObject fn = call.value(QLatin1String("function")).toObject();
                fn.insert(QLatin1String("arguments"), QString(fn.value(QLatin1String("arguments")).toString() + piece));
                call.insert(QLatin1String("function"), fn);
                m_toolCalls.replace(it->toolIndex, call);
                if (!piece.isEmpty())
                    out.insert(QLatin1String("tool_calls"),
                        QJsonArray { QJsonObject { { QLatin1String("index"), it->toolIndex },
                            { QLatin1String("function"), QJsonObject { { QLatin1String("arguments"), piece } } } } });
            }
        }
        // thinking, signature and citation deltas are not part of the neutral answer
    } else if (type == QLatin1String("content_block_stop")) {
        auto it = m_blocks.find(ev.value(QLatin1String("index")).toInt());
        if (it != m_blocks.end() && it->isTool && !it->gotInput) {
            // No input_json_delta at all: the input given at the start is the whole input.
            const QString arguments = QString::fromUtf8(QJsonDocument(it->startInput).toJson(QJsonDocument::Compact));
            it->gotInput = true;
            QJsonObject call = m_toolCalls.at(it->toolIndex).toObject();
            QJsonObject fn = call.value(QLatin1String("function")).toObject();
            fn.insert(QLatin1String("arguments"), arguments);
            call.insert(QLatin1String("function"), fn);
            m_toolCalls.replace(it->toolIndex, call);
            out.insert(QLatin1String("tool_calls"),
                QJsonArray { QJsonObject { { QLatin1String("index"), it->toolIndex },
                    { QLatin1String("function"), QJsonObject { { QLatin1String("arguments"), arguments } } } } });
        }
    } else if (type == QLatin1String("message_delta")) {
        const QJsonObject delta = ev.value(QLatin1String("delta")).toObject();
        if (delta.value(QLatin1String("stop_reason")).isString())
            m_stopReason = delta.value(QLatin1String("stop_reason")).toString();
        if (delta.value(QLatin1String("stop_sequence")).isString())
            m_stopSequence = delta.value(QLatin1String("stop_sequence")).toString();
        const QJsonObject usage = ev.value(QLatin1String("usage")).toObject();
        if (usage.contains(QLatin1String("output_tokens")))
            m_usage.completionTokens = usage.value(QLatin1String("output_tokens")).toInteger();
        // Totals for the whole message, present only when they apply.
        if (usage.contains(QLatin1String("input_tokens")))
            m_inputTokens = usage.value(QLatin1String("input_tokens")).toInteger();
        if (usage.contains(QLatin1String("cache_creation_input_tokens"))
            || usage.contains(QLatin1String("cache_read_input_tokens")))
            m_cacheTokens = inputTokens(usage) - usage.value(QLatin1String("input_tokens")).toInteger();
        m_usage.promptTokens = m_inputTokens + m_cacheTokens;
    } else if (type == QLatin1String("message_stop")) {
        m_stopped = true;
    } else if (type == QLatin1String("error")) {
        return anthropicUpstreamError(0, data, QStringLiteral("error in stream"));
    }
    // ping and event types added later carry nothing to pass on
    return out;
}

ChatResult AnthropicStreamParser::result() const
{
    ChatResult r;
    r.message.insert(QLatin1String("role"), QStringLiteral("assistant"));
    r.message.insert(
        QLatin1String("content"), !m_text.isEmpty() || m_toolCalls.isEmpty() ? QJsonValue(m_text) : QJsonValue());
    if (!m_toolCalls.isEmpty())
        r.message.insert(QLatin1String("tool_calls"), m_toolCalls);
    r.finishReason = finishReasonFromAnthropic(m_stopReason);
    if (m_stopReason == QLatin1String("stop_sequence"))
        r.stopSequence = m_stopSequence;
    r.modelUsed = m_model;
    r.usage = m_usage;
    return r;
}

} // namespace l0
