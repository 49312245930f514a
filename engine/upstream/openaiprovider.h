#pragma once

#include <QUrl>

#include "chatprovider.h"

namespace l0 {

class UpstreamTransport;

struct OpenAiOptions {
    QUrl baseUrl = QUrl(QStringLiteral("https://api.openai.com/v1"));
    QByteArray apiKey; // never logged
    int timeoutMs = 120'000; // without any byte from the upstream
};

// Any OpenAI-compatible chat completions API, through an UpstreamTransport (the own keep-alive
// client for http://, QNetworkAccessManager + OpenSSL for https://).
// Streams are parsed as they arrive and passed on delta by delta.
class OpenAiProvider final : public ChatProvider {
    Q_OBJECT
public:
    explicit OpenAiProvider(OpenAiOptions options, QObject *parent = nullptr);
    QString name() const override { return QStringLiteral("openai"); }
    std::shared_ptr<UpstreamCall> chat(const ChatRequest &request, ChatSink sink) override;

private:
    OpenAiOptions m_options;
    UpstreamTransport *m_transport;
};

// The JSON sent to an OpenAI-compatible upstream. A request from an OpenAI client goes as it
// came (ChatRequest::toOpenAiJson()). One from an Anthropic client is already in the neutral
// (OpenAI) shape, tools, tool calls, tool results and images included; what has no OpenAI
// counterpart is an InvalidArgument error naming the field (top_k, thinking, document and other
// Anthropic-only blocks, images inside tool results, server tools). A tool result marked is_error
// is sent with its content prefixed by "Error: ".
Result<QJsonObject> openAiUpstreamRequest(const ChatRequest &request);

// Folds one streamed chat.completion.chunk into an accumulating answer. Exposed for tests.
class StreamAccumulator {
public:
    // Returns the chunk's delta (may be empty), or an error for a chunk that is not JSON.
    Result<QJsonObject> addChunk(const QByteArray &json);
    ChatResult result() const;
    bool sawFinish() const { return !m_finishReason.isEmpty(); }

private:
    QString m_content;
    bool m_hasContent = false;
    QJsonArray m_toolCalls;
    QString m_finishReason;
    QString m_model;
    TokenUsage m_usage;
};

} // namespace l0
