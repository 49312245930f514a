#include "anthropicprovider.h"

#include <QJsonDocument>
#include <QTimer>

#include "core/clock.h"
#include "ssedecoder.h"
#include "upstreamerror.h"
#include "upstreamtransport.h"

namespace l0 {

namespace {

class AnthropicCall final : public UpstreamCall {
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

} // namespace

QUrl AnthropicProvider::messagesUrl(const QUrl &baseUrl)
{
    QUrl url = baseUrl;
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    path += path.endsWith(QLatin1String("/v1")) ? QStringLiteral("/messages") : QStringLiteral("/v1/messages");
    url.setPath(path);
    return url;
}

AnthropicProvider::AnthropicProvider(AnthropicOptions options, QObject *parent)
    : ChatProvider(parent)
    , m_options(std::move(options))
    , m_transport(new UpstreamTransport(this))
{
}

std::shared_ptr<UpstreamCall> AnthropicProvider::chat(const ChatRequest &request, ChatSink sink)
{
    auto call = std::make_shared<AnthropicCall>();
    auto body = anthropicRequestJson(request, m_options.defaultMaxTokens);
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
    req.url = messagesUrl(m_options.baseUrl);
    req.headers = { { "Content-Type", "application/json" }, { "anthropic-version", m_options.version } };
    if (!m_options.apiKey.isEmpty())
        req.headers.append({ QByteArrayLiteral("x-api-key"), m_options.apiKey });
    if (request.stream)
        req.headers.append({ QByteArrayLiteral("Accept"), QByteArrayLiteral("text/event-stream") });
    req.idleTimeoutMs = m_options.timeoutMs;
    req.firstByteTimeoutMs = m_options.firstByteTimeoutMs;
    req.body = QJsonDocument(*body).toJson(QJsonDocument::Compact);
    const bool stream = request.stream;

    struct State {
        http::ClientResponseHead head;
        QByteArray body; // a plain answer, or an error's body
        SseDecoder sse { SseDecoder::Framing::PerEvent };
        AnthropicStreamParser parser;
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
        auto delta = state->parser.addEvent(data);
        if (!delta) {
            fail(delta.error());
            if (call->transport)
                call->transport->cancel();
            return false;
        }
        if (!delta->isEmpty())
            sink.onDelta(*delta);
        if (call->cancelled || state->done)
            return false;
        if (state->parser.finished()) {
            // The rest of the body is read and ignored: the connection stays reusable.
            state->done = true;
            sink.onComplete(state->parser.result());
            return false;
        }
        return true;
    };

    http::ClientHandler handler;
    handler.onHead = [state](const http::ClientResponseHead &head) { state->head = head; };
    handler.onData = [state, call, stream, onEvent](const QByteArray &bytes) {
        if (call->cancelled || state->done)
            return;
        if (!stream || state->head.status >= 400) {
            state->body += bytes; // read whole, in onFinished
            return;
        }
        state->sse.feed(bytes, onEvent);
    };
    handler.onError = [fail](const http::ClientError &error) { fail(transportError(error)); };
    handler.onFinished = [state, sink, call, fail, stream, onEvent] {
        if (call->cancelled || state->done)
            return;
        const int status = state->head.status;
        if (status >= 400) {
            Error e = anthropicUpstreamError(status, state->body, QStringLiteral("HTTP %1").arg(status));
            e.retryAfterMs = retryAfterMsFromHeaders(
                state->head.header("retry-after-ms"), state->head.header("retry-after"), Clock::system()->nowMs());
            fail(e);
            return;
        }
        if (stream) {
            // Bytes after the last newline: a final event without its blank line.
            if (!state->sse.finish(onEvent) || call->cancelled || state->done)
                return;
            // A stream that ended without message_stop is incomplete: never an answer.
            if (state->parser.finished()) {
                state->done = true;
                sink.onComplete(state->parser.result());
            } else {
                Error e = makeError(ErrorCode::UpstreamError, QStringLiteral("upstream: stream ended early"));
                e.upstreamStatus = 502;
                fail(e);
            }
            return;
        }
        QJsonParseError err {};
        const QJsonDocument doc = QJsonDocument::fromJson(state->body, &err);
        if (err.error != QJsonParseError::NoError || !doc.isObject()) {
            Error e = makeError(ErrorCode::UpstreamError, QStringLiteral("upstream: answer is not JSON"));
            e.upstreamStatus = 502;
            fail(e);
            return;
        }
        auto result = chatResultFromAnthropic(doc.object());
        if (!result) {
            fail(result.error());
            return;
        }
        state->done = true;
        sink.onComplete(*result);
    };
    call->transport = m_transport->send(std::move(req), std::move(handler));
    return call;
}

} // namespace l0
