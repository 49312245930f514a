#include "openaiprovider.h"

#include <QJsonDocument>
#include <QSet>
#include <QTimer>

#include "api/openaicodec.h"
#include "core/clock.h"
#include "core/logging.h"
#include "ssedecoder.h"
#include "upstreamerror.h"
#include "upstreamtransport.h"

namespace l0 {

namespace {

class NetworkCall final : public UpstreamCall {
public:
    void cancel() override
    {
        cancelled = true;
        if (transport)
            transport->cancel();
    }
    std::shared_ptr<TransportCall> transport;
    bool cancelled = false;
};

Error upstreamError(int status, const QByteArray &body, const QString &fallback)
{
    QString message = fallback;
    const QJsonObject err = QJsonDocument::fromJson(body).object().value(QLatin1String("error")).toObject();
    if (!err.value(QLatin1String("message")).toString().isEmpty())
        message = err.value(QLatin1String("message")).toString();
    Error e = makeError(ErrorCode::UpstreamError, QStringLiteral("upstream: %1").arg(message));
    e.upstreamStatus = status;
    return e;
}

Error notForOpenAi(const QString &field, const QString &why)
{
    return makeFieldError(field, QStringLiteral("%1: %2").arg(field, why));
}

} // namespace

Result<QJsonObject> openAiUpstreamRequest(const ChatRequest &request)
{
    QJsonObject o = request.toOpenAiJson();
    if (request.wire != WireFormat::Anthropic)
        return o;
    // Parameters the Anthropic parser can produce that an OpenAI-compatible API also takes.
    static const QSet<QString> known { QStringLiteral("model"), QStringLiteral("messages"), QStringLiteral("stream"),
        QStringLiteral("stream_options"), QStringLiteral("max_tokens"), QStringLiteral("temperature"),
        QStringLiteral("top_p"), QStringLiteral("stop"), QStringLiteral("tools"), QStringLiteral("tool_choice"),
        QStringLiteral("parallel_tool_calls") };
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (it.key() == QLatin1String("service_tier") && it.value().toString() == QLatin1String("auto"))
            continue;
        if (!known.contains(it.key()))
            return notForOpenAi(it.key(),
                QStringLiteral("has no counterpart in the OpenAI chat completions API, so it cannot be sent to this "
                               "model's OpenAI-compatible upstream"));
    }
    const QJsonArray tools = o.value(QLatin1String("tools")).toArray();
    for (qsizetype i = 0; i < tools.size(); ++i) {
        const QJsonObject t = tools.at(i).toObject();
        if (t.value(QLatin1String("type")).toString() != QLatin1String("function"))
            return notForOpenAi(QStringLiteral("tools.%1.type").arg(i),
                QStringLiteral("the server tool '%1' cannot be sent to an OpenAI-compatible upstream")
                    .arg(t.value(QLatin1String("type")).toString()));
    }
    QJsonArray messages = o.value(QLatin1String("messages")).toArray();
    for (qsizetype i = 0; i < messages.size(); ++i) {
        QJsonObject m = messages.at(i).toObject();
        const QString role = m.value(QLatin1String("role")).toString();
        const QJsonValue content = m.value(QLatin1String("content"));
        if (content.isArray()) {
            const QJsonArray parts = content.toArray();
            for (qsizetype j = 0; j < parts.size(); ++j) {
                const QString type = parts.at(j).toObject().value(QLatin1String("type")).toString();
                const bool ok = type == QLatin1String("text")
                    || (type == QLatin1String("image_url") && role == QLatin1String("user"));
                if (!ok)
                    return notForOpenAi(QStringLiteral("messages[%1].content[%2]").arg(i).arg(j),
                        role == QLatin1String("tool") && type == QLatin1String("image_url")
                            ? QStringLiteral("an image inside a tool result cannot be sent to an OpenAI-compatible "
                                             "upstream")
                            : QStringLiteral("a '%1' block in a %2 message has no counterpart in the OpenAI chat "
                                             "completions API")
                                  .arg(type, role));
            }
        }
        if (role == QLatin1String("tool") && m.contains(QLatin1String("is_error"))) {
            const bool isError = m.take(QLatin1String("is_error")).toBool();
            if (isError) {
                if (content.isArray()) {
                    QJsonArray parts = content.toArray();
                    parts.prepend(QJsonObject { { QLatin1String("type"), QStringLiteral("text") },
                        { QLatin1String("text"), QStringLiteral("Error:") } });
                    m.insert(QLatin1String("content"), parts);
                } else {
                    m.insert(QLatin1String("content"), QString(QStringLiteral("Error: ") + content.toString()));
                }
            }
            messages.replace(i, m);
        }
    }
    o.insert(QLatin1String("messages"), messages);
    return o;
}

Result<QJsonObject> StreamAccumulator::addChunk(const QByteArray &json)
{
    QJsonParseError err {};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return makeError(ErrorCode::UpstreamError, QStringLiteral("upstream sent a stream chunk that is not JSON"));
    const QJsonObject o = doc.object();
    if (o.contains(QLatin1String("error")))
        return upstreamError(502, json, QStringLiteral("error in stream"));
    if (m_model.isEmpty())
        m_model = o.value(QLatin1String("model")).toString();
    const QJsonObject usage = o.value(QLatin1String("usage")).toObject();
    if (!usage.isEmpty()) {
        m_usage.promptTokens = usage.value(QLatin1String("prompt_tokens")).toInteger();
        m_usage.completionTokens = usage.value(QLatin1String("completion_tokens")).toInteger();
    }
    const QJsonObject choice = o.value(QLatin1String("choices")).toArray().at(0).toObject();
    const QJsonObject delta = choice.value(QLatin1String("delta")).toObject();
    const QJsonValue fr = choice.value(QLatin1String("finish_reason"));
    if (fr.isString())
        m_finishReason = fr.toString();
    QJsonObject out;
    if (delta.value(QLatin1String("content")).isString()) {
        const QString piece = delta.value(QLatin1String("content")).toString();
        m_content += piece;
        m_hasContent = true;
        if (!piece.isEmpty())
            out.insert(QLatin1String("content"), piece);
    }
    const QJsonArray calls = delta.value(QLatin1String("tool_calls")).toArray();
    for (const QJsonValue &cv : calls) {
        const QJsonObject c = cv.toObject();
        const int index = c.value(QLatin1String("index")).toInt();
        while (m_toolCalls.size() <= index)
            m_toolCalls.append(QJsonObject { { QLatin1String("type"), QStringLiteral("function") },
                { QLatin1String("function"),
                    QJsonObject {
                        { QLatin1String("name"), QString() }, { QLatin1String("arguments"), QString() } } } });
        QJsonObject acc = m_toolCalls.at(index).toObject();
        if (c.contains(QLatin1String("id")))
            acc.insert(QLatin1String("id"), c.value(QLatin1String("id")));
        QJsonObject fn = acc.value(QLatin1String("function")).toObject();
        const QJsonObject dfn = c.value(QLatin1String("function")).toObject();
        const QString name = fn.value(QLatin1String("name")).toString() + dfn.value(QLatin1String("name")).toString();
        const QString arguments
            = fn.value(QLatin1String("arguments")).toString() + dfn.value(QLatin1String("arguments")).toString();
        fn.insert(QLatin1String("name"), name);
        fn.insert(QLatin1String("arguments"), arguments);
        acc.insert(QLatin1String("function"), fn);
        m_toolCalls.replace(index, acc);
    }
    if (!calls.isEmpty())
        out.insert(QLatin1String("tool_calls"), calls);
    return out;
}

ChatResult StreamAccumulator::result() const
{
    ChatResult r;
    r.message.insert(QLatin1String("role"), QStringLiteral("assistant"));
    r.message.insert(
        QLatin1String("content"), m_hasContent || m_toolCalls.isEmpty() ? QJsonValue(m_content) : QJsonValue());
    if (!m_toolCalls.isEmpty())
        r.message.insert(QLatin1String("tool_calls"), m_toolCalls);
    r.finishReason = m_finishReason.isEmpty() ? QStringLiteral("stop") : m_finishReason;
    r.modelUsed = m_model;
    r.usage = m_usage;
    return r;
}

OpenAiProvider::OpenAiProvider(OpenAiOptions options, QObject *parent)
    : ChatProvider(parent)
    , m_options(std::move(options))
    , m_transport(new UpstreamTransport(this))
{
}

std::shared_ptr<UpstreamCall> OpenAiProvider::chat(const ChatRequest &request, ChatSink sink)
{
    auto call = std::make_shared<NetworkCall>();
    auto body = openAiUpstreamRequest(request);
    if (!body) {
        // Never from inside chat(): the caller hears about it from the event loop.
        const Error e = body.error();
        QTimer::singleShot(0, this, [call, sink, e] {
            if (!call->cancelled)
                sink.onError(e);
        });
        return call;
    }

    http::ClientRequest req;
    req.url = m_options.baseUrl;
    req.url.setPath(req.url.path().endsWith(QLatin1Char('/')) ? req.url.path() + QStringLiteral("chat/completions")
                                                              : req.url.path() + QStringLiteral("/chat/completions"));
    req.headers = { { "Content-Type", "application/json" }, { "Cache-Control", "no-cache" } };
    if (!m_options.apiKey.isEmpty())
        req.headers.append({ QByteArrayLiteral("Authorization"), "Bearer " + m_options.apiKey });
    if (request.stream)
        req.headers.append({ QByteArrayLiteral("Accept"), QByteArrayLiteral("text/event-stream") });
    req.idleTimeoutMs = m_options.timeoutMs;
    req.body = QJsonDocument(*body).toJson(QJsonDocument::Compact);
    const bool stream = request.stream;

    struct State {
        http::ClientResponseHead head;
        QByteArray body; // a plain answer, or an error's body
        SseDecoder sse { SseDecoder::Framing::PerDataLine };
        StreamAccumulator acc;
        bool done = false;
    };
    auto state = std::make_shared<State>();

    auto fail = [call, sink, state](const Error &e) {
        if (state->done || call->cancelled)
            return;
        state->done = true;
        sink.onError(e);
    };

    // One event of the stream; false once the stream has failed or is complete.
    auto onEvent = [state, sink, call, fail](const QByteArray &data) {
        if (data == "[DONE]") {
            // What follows (the end of the chunked body) is read and ignored, so the
            // connection stays reusable.
            state->done = true;
            sink.onComplete(state->acc.result());
            return false;
        }
        auto delta = state->acc.addChunk(data);
        if (!delta) {
            fail(delta.error());
            if (call->transport)
                call->transport->cancel();
            return false;
        }
        if (!delta->isEmpty())
            sink.onDelta(*delta);
        return !call->cancelled && !state->done;
    };

    http::ClientHandler handler;
    handler.onHead = [state](const http::ClientResponseHead &head) { state->head = head; };
    handler.onData = [state, call, stream, onEvent](const QByteArray &data) {
        if (call->cancelled || state->done)
            return;
        if (!stream || state->head.status >= 400) {
            state->body += data; // read whole, in onFinished
            return;
        }
        state->sse.feed(data, onEvent);
    };
    handler.onError = [fail](const http::ClientError &error) { fail(transportError(error)); };
    handler.onFinished = [state, sink, call, fail, stream, onEvent] {
        if (call->cancelled || state->done)
            return;
        const int status = state->head.status;
        if (stream && status < 400 && (!state->sse.finish(onEvent) || call->cancelled || state->done))
            return; // a last line without its newline ended the stream
        if (status >= 400) {
            Error e = upstreamError(status, state->body, QStringLiteral("HTTP %1").arg(status));
            e.retryAfterMs = retryAfterMsFromHeaders(
                state->head.header("retry-after-ms"), state->head.header("retry-after"), Clock::system()->nowMs());
            fail(e);
            return;
        }
        if (stream) {
            // A stream that ended without [DONE] is incomplete: never treat it as an answer.
            if (state->acc.sawFinish()) {
                state->done = true;
                sink.onComplete(state->acc.result());
            } else {
                fail(upstreamError(502, QByteArray(), QStringLiteral("stream ended early")));
            }
            return;
        }
        QJsonParseError err {};
        const QJsonDocument doc = QJsonDocument::fromJson(state->body, &err);
        if (err.error != QJsonParseError::NoError || !doc.isObject()
            || !doc.object().value(QLatin1String("choices")).isArray()) {
            fail(upstreamError(502, QByteArray(), QStringLiteral("answer is not a chat completion")));
            return;
        }
        state->done = true;
        sink.onComplete(api::chatResultFromOpenAi(doc.object()));
    };
    call->transport = m_transport->send(std::move(req), std::move(handler));
    return call;
}

} // namespace l0
