#include "anthropicprovider.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QTimer>

#include "core/clock.h"
#include "upstreamerror.h"

namespace l0 {

namespace {

class AnthropicCall final : public UpstreamCall {
public:
    void cancel() override
    {
        cancelled = true;
        if (reply)
            reply->abort();
    }
    QPointer<QNetworkReply> reply;
    bool cancelled = false;
};

void captureRetryAfter(Error &e, const QNetworkReply *reply)
{
    e.retryAfterMs = retryAfterMsFromHeaders(
        reply->rawHeader("retry-after-ms"), reply->rawHeader("retry-after"), Clock::system()->nowMs());
}

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
    , m_nam(new QNetworkAccessManager(this))
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

    QNetworkRequest req(messagesUrl(m_options.baseUrl));
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!m_options.apiKey.isEmpty())
        req.setRawHeader("x-api-key", m_options.apiKey);
    req.setRawHeader("anthropic-version", m_options.version);
    if (request.stream)
        req.setRawHeader("Accept", "text/event-stream");
    req.setTransferTimeout(m_options.timeoutMs);
    req.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);

    QNetworkReply *reply = m_nam->post(req, QJsonDocument(*body).toJson(QJsonDocument::Compact));
    call->reply = reply;
    const bool stream = request.stream;

    struct State {
        QByteArray buffer;
        QByteArray data; // the data lines of the event being read
        AnthropicStreamParser parser;
        bool done = false;
        bool firstByte = false;
        bool firstByteTimedOut = false;
    };
    auto state = std::make_shared<State>();

    auto fail = [call, sink, state](const Error &e) {
        if (state->done || call->cancelled)
            return;
        state->done = true;
        sink.onError(e);
    };

    if (m_options.firstByteTimeoutMs > 0) {
        auto *timer = new QTimer(reply);
        timer->setSingleShot(true);
        QObject::connect(timer, &QTimer::timeout, reply, [reply, state] {
            if (state->firstByte || state->done)
                return;
            state->firstByteTimedOut = true;
            reply->abort();
        });
        QObject::connect(reply, &QNetworkReply::metaDataChanged, timer, [state, timer] {
            state->firstByte = true;
            timer->stop();
        });
        timer->start(m_options.firstByteTimeoutMs);
    }

    if (stream) {
        QObject::connect(reply, &QNetworkReply::readyRead, reply, [reply, state, sink, call, fail] {
            if (call->cancelled || state->done)
                return;
            state->firstByte = true;
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (status >= 400)
                return; // the whole error body is read in finished()
            state->buffer += reply->readAll();
            qsizetype nl;
            while ((nl = state->buffer.indexOf('\n')) >= 0) {
                QByteArray line = state->buffer.left(nl);
                state->buffer.remove(0, nl + 1);
                if (line.endsWith('\r'))
                    line.chop(1);
                if (line.startsWith("data:")) {
                    QByteArray piece = line.mid(5);
                    if (piece.startsWith(' '))
                        piece.remove(0, 1);
                    if (!state->data.isEmpty())
                        state->data += '\n';
                    state->data += piece;
                    continue;
                }
                if (!line.isEmpty() || state->data.isEmpty())
                    continue; // event names, comments, ids: the data says what the event is
                const QByteArray data = std::exchange(state->data, QByteArray());
                auto delta = state->parser.addEvent(data);
                if (!delta) {
                    Error e = delta.error();
                    fail(e);
                    reply->abort();
                    return;
                }
                if (!delta->isEmpty())
                    sink.onDelta(*delta);
                if (call->cancelled || state->done)
                    return;
                if (state->parser.finished()) {
                    state->done = true;
                    sink.onComplete(state->parser.result());
                    return;
                }
            }
        });
    }

    const int timeoutMs = m_options.timeoutMs;
    const int firstByteTimeoutMs = m_options.firstByteTimeoutMs;
    QObject::connect(reply, &QNetworkReply::finished, reply,
        [reply, state, sink, call, fail, stream, timeoutMs, firstByteTimeoutMs] {
            reply->deleteLater();
            if (call->cancelled || state->done)
                return;
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const QByteArray body = reply->readAll();
            if (reply->error() != QNetworkReply::NoError && status < 400) {
                const bool timeout = state->firstByteTimedOut || reply->error() == QNetworkReply::OperationCanceledError
                    || reply->error() == QNetworkReply::TimeoutError;
                Error e;
                if (timeout) {
                    e = makeError(ErrorCode::Timeout,
                        state->firstByteTimedOut
                            ? QStringLiteral("upstream sent no response within %1 ms").arg(firstByteTimeoutMs)
                            : QStringLiteral("upstream sent nothing for %1 ms").arg(timeoutMs));
                    e.upstreamStatus = 504;
                } else {
                    e = makeError(ErrorCode::UpstreamError,
                        status > 0 || state->firstByte
                            ? QStringLiteral("upstream connection failed mid-answer: %1").arg(reply->errorString())
                            : QStringLiteral("upstream unreachable: %1").arg(reply->errorString()));
                    e.upstreamStatus = 502;
                }
                fail(e);
                return;
            }
            if (status >= 400) {
                Error e = anthropicUpstreamError(status, body, QStringLiteral("HTTP %1").arg(status));
                captureRetryAfter(e, reply);
                fail(e);
                return;
            }
            if (stream) {
                // Bytes after the last newline: a final event without its blank line.
                if (!state->buffer.trimmed().isEmpty() || !state->data.isEmpty()) {
                    QByteArray rest = state->data;
                    const QByteArray tail = state->buffer.trimmed();
                    if (tail.startsWith("data:"))
                        rest = tail.mid(5).trimmed();
                    if (!rest.isEmpty()) {
                        auto delta = state->parser.addEvent(rest);
                        if (!delta) {
                            fail(delta.error());
                            return;
                        }
                        if (!delta->isEmpty())
                            sink.onDelta(*delta);
                    }
                }
                if (call->cancelled || state->done)
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
            const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
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
        });
    return call;
}

} // namespace l0
