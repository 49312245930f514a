#include "responsescodec.h"

#include <QJsonDocument>
#include <QSet>

#include "jsonchecks.h"
#include "openaicodec.h"

namespace l0::api {

namespace {

Error unsupported(const QString &field, const QString &why)
{
    return makeFieldError(field, QStringLiteral("%1: %2").arg(field, why));
}

// One content part of an input message, in chat completions' shape.
Result<QJsonObject> chatPart(const QJsonValue &value, const QString &field)
{
    const QJsonObject p = value.toObject();
    const QString type = p.value(QLatin1String("type")).toString();
    if (type == QLatin1String("input_text") || type == QLatin1String("output_text") || type == QLatin1String("text")) {
        if (!p.value(QLatin1String("text")).isString())
            return makeFieldError(
                field + QStringLiteral(".text"), QStringLiteral("%1.text must be a string").arg(field));
        return QJsonObject { { QLatin1String("type"), QStringLiteral("text") },
            { QLatin1String("text"), p.value(QLatin1String("text")) } };
    }
    if (type == QLatin1String("input_image")) {
        const QJsonValue url = p.value(QLatin1String("image_url"));
        if (!url.isString())
            return unsupported(field,
                QStringLiteral("an image is taken as image_url (an https or data URL); file_id needs "
                               "the Files API, which this node does not hold"));
        QJsonObject image { { QLatin1String("url"), url } };
        if (p.value(QLatin1String("detail")).isString())
            image.insert(QLatin1String("detail"), p.value(QLatin1String("detail")));
        return QJsonObject { { QLatin1String("type"), QStringLiteral("image_url") },
            { QLatin1String("image_url"), image } };
    }
    return unsupported(field + QStringLiteral(".type"),
        QStringLiteral("'%1' is not a content part this node takes (input_text, input_image, output_text)").arg(type));
}

// An input message item ({"role", "content"}, with or without "type": "message").
Result<QJsonObject> chatMessage(const QJsonObject &item, const QString &field)
{
    static const QSet<QString> roles { QStringLiteral("user"), QStringLiteral("assistant"), QStringLiteral("system"),
        QStringLiteral("developer") };
    const QString role = item.value(QLatin1String("role")).toString();
    if (!roles.contains(role))
        return makeFieldError(field + QStringLiteral(".role"),
            QStringLiteral("%1.role must be user, assistant, system or developer").arg(field));
    const QJsonValue content = item.value(QLatin1String("content"));
    if (content.isString())
        return QJsonObject { { QLatin1String("role"), role }, { QLatin1String("content"), content } };
    if (!content.isArray())
        return makeFieldError(field + QStringLiteral(".content"),
            QStringLiteral("%1.content must be a string or an array of parts").arg(field));
    QJsonArray parts;
    const QJsonArray in = content.toArray();
    for (qsizetype j = 0; j < in.size(); ++j) {
        auto part = chatPart(in.at(j), field + QStringLiteral(".content[%1]").arg(j));
        if (!part)
            return part.error();
        parts.append(*part);
    }
    // Assistant turns read back as plain text, as chat completions clients send them.
    if (role == QLatin1String("assistant")) {
        QString text;
        for (const QJsonValue &p : std::as_const(parts))
            text += p.toObject().value(QLatin1String("text")).toString();
        return QJsonObject { { QLatin1String("role"), role }, { QLatin1String("content"), text } };
    }
    // A single text part is the same question as a plain string (one cache entry for both).
    if (parts.size() == 1 && parts.at(0).toObject().value(QLatin1String("type")).toString() == QLatin1String("text"))
        return QJsonObject { { QLatin1String("role"), role },
            { QLatin1String("content"), parts.at(0).toObject().value(QLatin1String("text")) } };
    return QJsonObject { { QLatin1String("role"), role }, { QLatin1String("content"), parts } };
}

Status appendItems(const QJsonArray &items, QJsonArray *messages)
{
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString field = QStringLiteral("input[%1]").arg(i);
        if (!items.at(i).isObject())
            return makeFieldError(field, QStringLiteral("%1 must be an object").arg(field));
        const QJsonObject item = items.at(i).toObject();
        const QString type = item.value(QLatin1String("type")).toString(QStringLiteral("message"));
        if (type == QLatin1String("message")) {
            auto m = chatMessage(item, field);
            if (!m)
                return m.error();
            messages->append(*m);
        } else if (type == QLatin1String("function_call")) {
            for (const char *key : { "call_id", "name", "arguments" }) {
                if (!item.value(QLatin1String(key)).isString())
                    return makeFieldError(field + QLatin1Char('.') + QLatin1String(key),
                        QStringLiteral("%1.%2 must be a string").arg(field, QLatin1String(key)));
            }
            const QJsonObject call { { QLatin1String("id"), item.value(QLatin1String("call_id")) },
                { QLatin1String("type"), QStringLiteral("function") },
                { QLatin1String("function"),
                    QJsonObject { { QLatin1String("name"), item.value(QLatin1String("name")) },
                        { QLatin1String("arguments"), item.value(QLatin1String("arguments")) } } } };
            // Calls of one turn join the assistant message before them, as in chat completions.
            QJsonObject last = messages->isEmpty() ? QJsonObject() : messages->last().toObject();
            if (last.value(QLatin1String("role")).toString() == QLatin1String("assistant")) {
                QJsonArray calls = last.value(QLatin1String("tool_calls")).toArray();
                calls.append(call);
                last.insert(QLatin1String("tool_calls"), calls);
                if (last.value(QLatin1String("content")).toString().isEmpty())
                    last.insert(QLatin1String("content"), QJsonValue());
                (*messages)[messages->size() - 1] = last;
            } else {
                messages->append(QJsonObject { { QLatin1String("role"), QStringLiteral("assistant") },
                    { QLatin1String("content"), QJsonValue() }, { QLatin1String("tool_calls"), QJsonArray { call } } });
            }
        } else if (type == QLatin1String("function_call_output")) {
            if (!item.value(QLatin1String("call_id")).isString())
                return makeFieldError(
                    field + QStringLiteral(".call_id"), QStringLiteral("%1.call_id must be a string").arg(field));
            const QJsonValue output = item.value(QLatin1String("output"));
            QString text;
            if (output.isString()) {
                text = output.toString();
            } else if (output.isArray()) {
                for (const QJsonValue &p : output.toArray())
                    text += p.toObject().value(QLatin1String("text")).toString();
            } else {
                return makeFieldError(field + QStringLiteral(".output"),
                    QStringLiteral("%1.output must be a string or an array of text parts").arg(field));
            }
            messages->append(QJsonObject { { QLatin1String("role"), QStringLiteral("tool") },
                { QLatin1String("tool_call_id"), item.value(QLatin1String("call_id")) },
                { QLatin1String("content"), text } });
        } else {
            return unsupported(field + QStringLiteral(".type"),
                QStringLiteral("'%1' is not an input item this node takes (message, function_call, "
                               "function_call_output)")
                    .arg(type));
        }
    }
    return {};
}

Status readTools(const QJsonObject &o, ChatRequest *r)
{
    const QJsonValue tools = o.value(QLatin1String("tools"));
    if (tools.isUndefined() || tools.isNull())
        return {};
    if (!tools.isArray())
        return makeFieldError(QStringLiteral("tools"), QStringLiteral("'tools' must be an array"));
    QJsonArray out;
    const QJsonArray in = tools.toArray();
    for (qsizetype i = 0; i < in.size(); ++i) {
        const QJsonObject t = in.at(i).toObject();
        const QString field = QStringLiteral("tools[%1]").arg(i);
        if (t.value(QLatin1String("type")).toString() != QLatin1String("function"))
            return unsupported(field + QStringLiteral(".type"),
                QStringLiteral("only function tools are served here, not '%1'")
                    .arg(t.value(QLatin1String("type")).toString()));
        if (!t.value(QLatin1String("name")).isString())
            return makeFieldError(
                field + QStringLiteral(".name"), QStringLiteral("%1.name must be a string").arg(field));
        QJsonObject fn { { QLatin1String("name"), t.value(QLatin1String("name")) } };
        for (const char *key : { "description", "parameters", "strict" }) {
            const QJsonValue v = t.value(QLatin1String(key));
            if (!v.isUndefined() && !v.isNull())
                fn.insert(QLatin1String(key), v);
        }
        out.append(
            QJsonObject { { QLatin1String("type"), QStringLiteral("function") }, { QLatin1String("function"), fn } });
    }
    if (!out.isEmpty())
        r->params.insert(QLatin1String("tools"), out);

    const QJsonValue choice = o.value(QLatin1String("tool_choice"));
    if (choice.isString()) {
        const QString c = choice.toString();
        if (c != QLatin1String("auto") && c != QLatin1String("none") && c != QLatin1String("required"))
            return makeFieldError(QStringLiteral("tool_choice"),
                QStringLiteral("'tool_choice' must be auto, none, required or a function"));
        r->params.insert(QLatin1String("tool_choice"), c);
    } else if (choice.isObject()) {
        const QJsonObject c = choice.toObject();
        if (c.value(QLatin1String("type")).toString() != QLatin1String("function")
            || !c.value(QLatin1String("name")).isString())
            return unsupported(
                QStringLiteral("tool_choice"), QStringLiteral("only {\"type\": \"function\", \"name\": ...}"));
        r->params.insert(QLatin1String("tool_choice"),
            QJsonObject { { QLatin1String("type"), QStringLiteral("function") },
                { QLatin1String("function"),
                    QJsonObject { { QLatin1String("name"), c.value(QLatin1String("name")) } } } });
    } else if (!choice.isUndefined() && !choice.isNull()) {
        return makeFieldError(
            QStringLiteral("tool_choice"), QStringLiteral("'tool_choice' must be a string or an object"));
    }
    return {};
}

Status readTextFormat(const QJsonObject &o, ChatRequest *r)
{
    const QJsonValue text = o.value(QLatin1String("text"));
    if (text.isUndefined() || text.isNull())
        return {};
    if (!text.isObject())
        return makeFieldError(QStringLiteral("text"), QStringLiteral("'text' must be an object"));
    const QJsonObject textObject = text.toObject();
    for (auto it = textObject.begin(); it != textObject.end(); ++it) {
        if (it.key() != QLatin1String("format") && !(it.key() == QLatin1String("verbosity") && it.value().isNull()))
            return unsupported(QStringLiteral("text.") + it.key(), QStringLiteral("not supported by this node"));
    }
    const QJsonObject f = textObject.value(QLatin1String("format")).toObject();
    const QString type = f.value(QLatin1String("type")).toString(QStringLiteral("text"));
    if (type == QLatin1String("text"))
        return {};
    if (type == QLatin1String("json_object")) {
        r->params.insert(QLatin1String("response_format"), QJsonObject { { QLatin1String("type"), type } });
        return {};
    }
    if (type != QLatin1String("json_schema"))
        return unsupported(QStringLiteral("text.format.type"),
            QStringLiteral("'%1' is not text, json_object or json_schema").arg(type));
    if (!f.value(QLatin1String("name")).isString() || !f.value(QLatin1String("schema")).isObject())
        return makeFieldError(
            QStringLiteral("text.format"), QStringLiteral("a json_schema format needs a 'name' and a 'schema' object"));
    QJsonObject schema { { QLatin1String("name"), f.value(QLatin1String("name")) },
        { QLatin1String("schema"), f.value(QLatin1String("schema")) } };
    for (const char *key : { "strict", "description" }) {
        if (f.contains(QLatin1String(key)) && !f.value(QLatin1String(key)).isNull())
            schema.insert(QLatin1String(key), f.value(QLatin1String(key)));
    }
    r->params.insert(QLatin1String("response_format"),
        QJsonObject { { QLatin1String("type"), type }, { QLatin1String("json_schema"), schema } });
    return {};
}

QJsonObject usageObject(const TokenUsage &u)
{
    return QJsonObject { { QLatin1String("input_tokens"), u.promptTokens },
        { QLatin1String("input_tokens_details"), QJsonObject { { QLatin1String("cached_tokens"), 0 } } },
        { QLatin1String("output_tokens"), u.completionTokens },
        { QLatin1String("output_tokens_details"), QJsonObject { { QLatin1String("reasoning_tokens"), 0 } } },
        { QLatin1String("total_tokens"), u.total() } };
}

QString suffixOf(const QString &responseId)
{
    return responseId.startsWith(QLatin1String("resp_")) ? responseId.mid(5) : responseId;
}

QJsonObject textPart(const QString &text)
{
    return QJsonObject { { QLatin1String("type"), QStringLiteral("output_text") }, { QLatin1String("text"), text },
        { QLatin1String("annotations"), QJsonArray {} }, { QLatin1String("logprobs"), QJsonArray {} } };
}

} // namespace

Result<ResponsesRequest> parseResponses(const QByteArray &body)
{
    const auto parsed = jsonObjectBody(body);
    if (!parsed)
        return parsed.error();
    const QJsonObject &o = *parsed;

    // Fields that change nothing in the answer, and those the node reads below.
    static const QSet<QString> known { QStringLiteral("model"), QStringLiteral("input"), QStringLiteral("instructions"),
        QStringLiteral("tools"), QStringLiteral("tool_choice"), QStringLiteral("temperature"), QStringLiteral("top_p"),
        QStringLiteral("max_output_tokens"), QStringLiteral("text"), QStringLiteral("metadata"),
        QStringLiteral("store"), QStringLiteral("previous_response_id"), QStringLiteral("stream"),
        QStringLiteral("stream_options"), QStringLiteral("parallel_tool_calls"), QStringLiteral("user"),
        QStringLiteral("truncation"), QStringLiteral("service_tier"), QStringLiteral("include"),
        QStringLiteral("reasoning") };
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!known.contains(it.key()) && !it.value().isNull())
            return unsupported(it.key(), QStringLiteral("not supported by this node's Responses API"));
    }
    if (!o.value(QLatin1String("include")).toArray().isEmpty())
        return unsupported(QStringLiteral("include"), QStringLiteral("no extra output is available here"));
    const QString truncation = o.value(QLatin1String("truncation")).toString(QStringLiteral("disabled"));
    if (truncation != QLatin1String("disabled"))
        return unsupported(
            QStringLiteral("truncation"), QStringLiteral("only 'disabled' (the whole conversation is sent)"));
    const QJsonObject reasoning = o.value(QLatin1String("reasoning")).toObject();
    if (!reasoning.value(QLatin1String("summary")).isUndefined() && !reasoning.value(QLatin1String("summary")).isNull())
        return unsupported(
            QStringLiteral("reasoning.summary"), QStringLiteral("reasoning summaries are not available here"));

    const QJsonValue model = o.value(QLatin1String("model"));
    if (!model.isString() || model.toString().trimmed().isEmpty())
        return makeFieldError(QStringLiteral("model"), QStringLiteral("'model' must be a non-empty string"));
    for (auto check : { checkNumber(o, "temperature", 0, 2), checkNumber(o, "top_p", 0, 1) }) {
        if (!check)
            return check.error();
    }
    const QJsonValue maxOut = o.value(QLatin1String("max_output_tokens"));
    if (!maxOut.isUndefined() && !maxOut.isNull()
        && (!maxOut.isDouble() || maxOut.toDouble() != double(maxOut.toInteger()) || maxOut.toInteger() < 1))
        return makeFieldError(
            QStringLiteral("max_output_tokens"), QStringLiteral("'max_output_tokens' must be a positive integer"));
    for (const char *key : { "stream", "store", "parallel_tool_calls" }) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (!v.isUndefined() && !v.isNull() && !v.isBool())
            return makeFieldError(QLatin1String(key), QStringLiteral("'%1' must be a boolean").arg(QLatin1String(key)));
    }
    const QJsonValue previous = o.value(QLatin1String("previous_response_id"));
    if (!previous.isUndefined() && !previous.isNull() && !previous.isString())
        return makeFieldError(
            QStringLiteral("previous_response_id"), QStringLiteral("'previous_response_id' must be a string"));
    const QJsonValue metadata = o.value(QLatin1String("metadata"));
    if (!metadata.isUndefined() && !metadata.isNull() && !metadata.isObject())
        return makeFieldError(QStringLiteral("metadata"), QStringLiteral("'metadata' must be an object"));

    ResponsesRequest out;
    ChatRequest &r = out.chat;
    r.model = model.toString();
    r.wire = WireFormat::OpenAiResponses;
    r.stream = o.value(QLatin1String("stream")).toBool(false);
    r.user = o.value(QLatin1String("user")).toString(); // experiments assign arms by it
    r.includeUsage = true;
    out.previousResponseId = previous.toString();
    out.store = o.value(QLatin1String("store")).toBool(true);

    const QJsonValue instructions = o.value(QLatin1String("instructions"));
    if (instructions.isString() && !instructions.toString().isEmpty()) {
        r.messages.append(QJsonObject {
            { QLatin1String("role"), QStringLiteral("system") }, { QLatin1String("content"), instructions } });
        out.conversationStart = 1;
    } else if (!instructions.isUndefined() && !instructions.isNull() && !instructions.isString())
        return makeFieldError(QStringLiteral("instructions"), QStringLiteral("'instructions' must be a string"));
    const QJsonValue input = o.value(QLatin1String("input"));
    if (input.isString()) {
        r.messages.append(
            QJsonObject { { QLatin1String("role"), QStringLiteral("user") }, { QLatin1String("content"), input } });
    } else if (input.isArray() && !input.toArray().isEmpty()) {
        if (auto s = appendItems(input.toArray(), &r.messages); !s)
            return s.error();
    } else {
        return makeFieldError(
            QStringLiteral("input"), QStringLiteral("'input' must be a string or a non-empty array of items"));
    }

    if (auto s = readTools(o, &r); !s)
        return s.error();
    if (auto s = readTextFormat(o, &r); !s)
        return s.error();
    for (const char *key : { "temperature", "top_p", "parallel_tool_calls" }) {
        if (o.contains(QLatin1String(key)) && !o.value(QLatin1String(key)).isNull())
            r.params.insert(QLatin1String(key), o.value(QLatin1String(key)));
    }
    if (!maxOut.isUndefined() && !maxOut.isNull())
        r.params.insert(QLatin1String("max_tokens"), maxOut);
    if (reasoning.value(QLatin1String("effort")).isString())
        r.params.insert(QLatin1String("reasoning_effort"), reasoning.value(QLatin1String("effort")));

    for (const char *key : { "instructions", "max_output_tokens", "temperature", "top_p", "tools", "tool_choice",
             "text", "metadata", "parallel_tool_calls", "previous_response_id" }) {
        if (o.contains(QLatin1String(key)) && !o.value(QLatin1String(key)).isNull())
            out.echo.insert(QLatin1String(key), o.value(QLatin1String(key)));
    }
    out.echo.insert(QLatin1String("store"), out.store);
    return out;
}

QJsonArray responsesOutputItems(const QString &responseId, const ChatResult &result)
{
    const QString suffix = suffixOf(responseId);
    QJsonArray items;
    const QJsonArray calls = result.message.value(QLatin1String("tool_calls")).toArray();
    const QString text = result.text();
    if (!text.isEmpty() || calls.isEmpty())
        items.append(QJsonObject { { QLatin1String("id"), QString(QStringLiteral("msg_") + suffix) },
            { QLatin1String("type"), QStringLiteral("message") },
            { QLatin1String("status"), QStringLiteral("completed") },
            { QLatin1String("role"), QStringLiteral("assistant") },
            { QLatin1String("content"), QJsonArray { QJsonValue(textPart(text)) } } });
    for (qsizetype i = 0; i < calls.size(); ++i) {
        const QJsonObject c = calls.at(i).toObject();
        const QJsonObject fn = c.value(QLatin1String("function")).toObject();
        items.append(QJsonObject { { QLatin1String("id"), QStringLiteral("fc_%1_%2").arg(suffix).arg(i) },
            { QLatin1String("type"), QStringLiteral("function_call") },
            { QLatin1String("status"), QStringLiteral("completed") },
            { QLatin1String("call_id"), c.value(QLatin1String("id")) },
            { QLatin1String("name"), fn.value(QLatin1String("name")) },
            { QLatin1String("arguments"), fn.value(QLatin1String("arguments")).toString() } });
    }
    return items;
}

ResponsesRenderer::ResponsesRenderer(QString id, qint64 createdSecs, QString model, QJsonObject echo,
    std::function<void(const QJsonObject &, const ChatResult &)> done)
    : m_id(std::move(id))
    , m_created(createdSecs)
    , m_model(std::move(model))
    , m_echo(std::move(echo))
    , m_done(std::move(done))
{
}

QJsonObject ResponsesRenderer::shell(const QString &status) const
{
    auto echoed = [this](const char *key, const QJsonValue &otherwise) {
        const QJsonValue v = m_echo.value(QLatin1String(key));
        return v.isUndefined() ? otherwise : v;
    };
    return QJsonObject { { QLatin1String("id"), m_id }, { QLatin1String("object"), QStringLiteral("response") },
        { QLatin1String("created_at"), m_created }, { QLatin1String("status"), status },
        { QLatin1String("error"), QJsonValue() }, { QLatin1String("incomplete_details"), QJsonValue() },
        { QLatin1String("instructions"), echoed("instructions", QJsonValue()) },
        { QLatin1String("max_output_tokens"), echoed("max_output_tokens", QJsonValue()) },
        { QLatin1String("model"), m_model }, { QLatin1String("output"), QJsonArray {} },
        { QLatin1String("parallel_tool_calls"), echoed("parallel_tool_calls", true) },
        { QLatin1String("previous_response_id"), echoed("previous_response_id", QJsonValue()) },
        { QLatin1String("reasoning"),
            QJsonObject { { QLatin1String("effort"), QJsonValue() }, { QLatin1String("summary"), QJsonValue() } } },
        { QLatin1String("store"), echoed("store", true) }, { QLatin1String("temperature"), echoed("temperature", 1.0) },
        { QLatin1String("text"),
            echoed("text",
                QJsonObject {
                    { QLatin1String("format"), QJsonObject { { QLatin1String("type"), QStringLiteral("text") } } } }) },
        { QLatin1String("tool_choice"), echoed("tool_choice", QStringLiteral("auto")) },
        { QLatin1String("tools"), echoed("tools", QJsonArray {}) }, { QLatin1String("top_p"), echoed("top_p", 1.0) },
        { QLatin1String("truncation"), QStringLiteral("disabled") }, { QLatin1String("usage"), QJsonValue() },
        { QLatin1String("user"), QJsonValue() }, { QLatin1String("metadata"), echoed("metadata", QJsonObject {}) } };
}

QJsonObject ResponsesRenderer::responseObject(const ChatResult &result) const
{
    const bool cut
        = result.finishReason == QLatin1String("length") || result.finishReason == QLatin1String("content_filter");
    QJsonObject r = shell(cut ? QStringLiteral("incomplete") : QStringLiteral("completed"));
    if (cut)
        r.insert(QLatin1String("incomplete_details"),
            QJsonObject { { QLatin1String("reason"),
                result.finishReason == QLatin1String("length") ? QStringLiteral("max_output_tokens")
                                                               : QStringLiteral("content_filter") } });
    QJsonArray items = responsesOutputItems(m_id, result);
    if (m_streamed) {
        // As the stream announced them: by output_index (a call may have come before the text).
        std::vector<std::pair<int, QJsonValue>> ordered;
        int call = 0;
        for (const QJsonValue &item : std::as_const(items)) {
            const bool isMessage = item.toObject().value(QLatin1String("type")).toString() == QLatin1String("message");
            const int at = isMessage ? m_messageIndex : (call < m_calls.size() ? m_calls[call].output : 1000 + call);
            call += isMessage ? 0 : 1;
            ordered.emplace_back(at < 0 ? 1000 : at, item);
        }
        std::stable_sort(
            ordered.begin(), ordered.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
        items = QJsonArray();
        for (const auto &o : ordered)
            items.append(o.second);
    }
    r.insert(QLatin1String("output"), items);
    r.insert(QLatin1String("usage"), usageObject(result.usage));
    return r;
}

QByteArray ResponsesRenderer::completion(const ChatResult &result) const
{
    const QJsonObject r = responseObject(result);
    if (m_done)
        m_done(r, result);
    return QJsonDocument(r).toJson(QJsonDocument::Compact);
}

QByteArray ResponsesRenderer::event(const char *type, QJsonObject payload) const
{
    payload.insert(QLatin1String("type"), QLatin1String(type));
    payload.insert(QLatin1String("sequence_number"), m_sequence++);
    return QByteArray("event: ") + type + "\ndata: " + QJsonDocument(payload).toJson(QJsonDocument::Compact) + "\n\n";
}

QString ResponsesRenderer::callItemId(int index) const
{
    return QStringLiteral("fc_%1_%2").arg(suffixOf(m_id)).arg(index);
}

QByteArray ResponsesRenderer::streamStart() const
{
    const QJsonObject r = shell(QStringLiteral("in_progress"));
    QByteArray out = event("response.created", QJsonObject { { QLatin1String("response"), r } });
    out += event("response.in_progress", QJsonObject { { QLatin1String("response"), r } }); // numbered in order
    return out;
}

QByteArray ResponsesRenderer::openMessage() const
{
    const QString msgId = QStringLiteral("msg_") + suffixOf(m_id);
    m_messageOutput = m_messageIndex = m_nextOutput++;
    m_streamed = true;
    QByteArray out = event("response.output_item.added",
        QJsonObject { { QLatin1String("output_index"), m_messageOutput },
            { QLatin1String("item"),
                QJsonObject { { QLatin1String("id"), msgId }, { QLatin1String("type"), QStringLiteral("message") },
                    { QLatin1String("status"), QStringLiteral("in_progress") },
                    { QLatin1String("role"), QStringLiteral("assistant") },
                    { QLatin1String("content"), QJsonArray {} } } } });
    QJsonObject part = textPart(QString());
    part.remove(QLatin1String("logprobs"));
    out += event("response.content_part.added",
        QJsonObject { { QLatin1String("item_id"), msgId }, { QLatin1String("output_index"), m_messageOutput },
            { QLatin1String("content_index"), 0 }, { QLatin1String("part"), part } });
    return out;
}

QByteArray ResponsesRenderer::streamDelta(const QJsonObject &delta) const
{
    QByteArray out;
    const QString msgId = QStringLiteral("msg_") + suffixOf(m_id);
    const QString text = delta.value(QLatin1String("content")).toString();
    if (!text.isEmpty()) {
        if (m_messageOutput < 0)
            out += openMessage();
        m_text += text;
        out += event("response.output_text.delta",
            QJsonObject { { QLatin1String("item_id"), msgId }, { QLatin1String("output_index"), m_messageOutput },
                { QLatin1String("content_index"), 0 }, { QLatin1String("delta"), text },
                { QLatin1String("logprobs"), QJsonArray {} } });
    }
    for (const QJsonValue &v : delta.value(QLatin1String("tool_calls")).toArray()) {
        const QJsonObject c = v.toObject();
        int index = c.value(QLatin1String("index")).toInt(int(m_calls.size()));
        if (index < 0 || index > m_calls.size())
            index = int(m_calls.size()); // calls are numbered from 0, one after another
        while (m_calls.size() <= index)
            m_calls.append(OpenCall {});
        OpenCall &call = m_calls[index];
        const QJsonObject fn = c.value(QLatin1String("function")).toObject();
        if (!call.open && call.output < 0) {
            call.open = true;
            m_streamed = true;
            call.output = m_nextOutput++;
            call.callId = c.value(QLatin1String("id")).toString();
            call.name = fn.value(QLatin1String("name")).toString();
            out += event("response.output_item.added",
                QJsonObject { { QLatin1String("output_index"), call.output },
                    { QLatin1String("item"),
                        QJsonObject { { QLatin1String("id"), callItemId(index) },
                            { QLatin1String("type"), QStringLiteral("function_call") },
                            { QLatin1String("status"), QStringLiteral("in_progress") },
                            { QLatin1String("call_id"), call.callId }, { QLatin1String("name"), call.name },
                            { QLatin1String("arguments"), QString() } } } });
        }
        const QString args = fn.value(QLatin1String("arguments")).toString();
        if (!args.isEmpty()) {
            call.arguments += args;
            out += event("response.function_call_arguments.delta",
                QJsonObject { { QLatin1String("item_id"), callItemId(index) },
                    { QLatin1String("output_index"), call.output }, { QLatin1String("delta"), args } });
        }
    }
    return out;
}

QByteArray ResponsesRenderer::closeOpenItems() const
{
    QByteArray out;
    if (m_messageOutput >= 0) {
        const QString msgId = QStringLiteral("msg_") + suffixOf(m_id);
        out += event("response.output_text.done",
            QJsonObject { { QLatin1String("item_id"), msgId }, { QLatin1String("output_index"), m_messageOutput },
                { QLatin1String("content_index"), 0 }, { QLatin1String("text"), m_text },
                { QLatin1String("logprobs"), QJsonArray {} } });
        QJsonObject part = textPart(m_text);
        part.remove(QLatin1String("logprobs"));
        out += event("response.content_part.done",
            QJsonObject { { QLatin1String("item_id"), msgId }, { QLatin1String("output_index"), m_messageOutput },
                { QLatin1String("content_index"), 0 }, { QLatin1String("part"), part } });
        out += event("response.output_item.done",
            QJsonObject { { QLatin1String("output_index"), m_messageOutput },
                { QLatin1String("item"),
                    QJsonObject { { QLatin1String("id"), msgId }, { QLatin1String("type"), QStringLiteral("message") },
                        { QLatin1String("status"), QStringLiteral("completed") },
                        { QLatin1String("role"), QStringLiteral("assistant") },
                        { QLatin1String("content"), QJsonArray { QJsonValue(textPart(m_text)) } } } } });
        m_messageOutput = -1;
    }
    for (int i = 0; i < m_calls.size(); ++i) {
        OpenCall &call = m_calls[i];
        if (!call.open)
            continue;
        out += event("response.function_call_arguments.done",
            QJsonObject { { QLatin1String("item_id"), callItemId(i) }, { QLatin1String("output_index"), call.output },
                { QLatin1String("name"), call.name }, { QLatin1String("arguments"), call.arguments } });
        out += event("response.output_item.done",
            QJsonObject { { QLatin1String("output_index"), call.output },
                { QLatin1String("item"),
                    QJsonObject { { QLatin1String("id"), callItemId(i) },
                        { QLatin1String("type"), QStringLiteral("function_call") },
                        { QLatin1String("status"), QStringLiteral("completed") },
                        { QLatin1String("call_id"), call.callId }, { QLatin1String("name"), call.name },
                        { QLatin1String("arguments"), call.arguments } } } });
        call.open = false;
    }
    return out;
}

QByteArray ResponsesRenderer::streamFinish(const ChatResult &result) const
{
    QByteArray out;
    if (m_nextOutput == 0)
        out += openMessage(); // nothing was said: announce the (empty) message the final output holds
    out += closeOpenItems();
    const QJsonObject r = responseObject(result);
    if (m_done)
        m_done(r, result);
    const bool incomplete = r.value(QLatin1String("status")).toString() == QLatin1String("incomplete");
    out += event(
        incomplete ? "response.incomplete" : "response.completed", QJsonObject { { QLatin1String("response"), r } });
    return out;
}

QByteArray ResponsesRenderer::streamError(int status, const QString &message) const
{
    const QJsonObject e
        = QJsonDocument::fromJson(openAiErrorBody(status, message)).object().value(QLatin1String("error")).toObject();
    return event("error",
        QJsonObject { { QLatin1String("code"), e.value(QLatin1String("type")) }, { QLatin1String("message"), message },
            { QLatin1String("param"), QJsonValue() } });
}

QList<QByteArray> ResponsesRenderer::replayStream(const ChatResult &result) const
{
    QList<QByteArray> frames { streamStart() };
    for (const QString &piece : splitForStreaming(result.text()))
        frames << streamDelta(QJsonObject { { QLatin1String("content"), piece } });
    const QJsonArray calls = result.message.value(QLatin1String("tool_calls")).toArray();
    for (int i = 0; i < calls.size(); ++i) {
        QJsonObject c = calls.at(i).toObject();
        c.insert(QLatin1String("index"), i);
        frames << streamDelta(QJsonObject { { QLatin1String("tool_calls"), QJsonArray { c } } });
    }
    frames << streamFinish(result);
    return frames;
}

QByteArray ResponsesRenderer::errorBody(
    int status, const QString &message, const QString &param, const QString &code) const
{
    return openAiErrorBody(status, message, param, code);
}

} // namespace l0::api
