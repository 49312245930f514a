#pragma once

#include <QUrl>

#include "anthropicwire.h"
#include "chatprovider.h"

namespace l0 {

class UpstreamTransport;

struct AnthropicOptions {
    // As the official SDKs take it: "/v1/messages" is appended (a base URL that already ends in
    // "/v1" gets only "/messages").
    QUrl baseUrl = QUrl(QStringLiteral("https://api.anthropic.com"));
    QByteArray apiKey; // sent as x-api-key; never logged
    QByteArray version = QByteArrayLiteral("2023-06-01"); // the anthropic-version header
    int timeoutMs = 120'000; // without any byte from the upstream
    int firstByteTimeoutMs = 0; // until the response starts (0: only timeoutMs applies)
    int defaultMaxTokens = kAnthropicDefaultMaxTokens; // when the request gives none
};

// The native Anthropic Messages API as an upstream, through an UpstreamTransport (the own
// keep-alive client for http://, QNetworkAccessManager + OpenSSL for https://). Requests
// are translated from the neutral shape by anthropicRequestJson() (a request that cannot be
// translated fails with InvalidArgument naming the field, without any network call); answers and
// streams come back as OpenAI-shaped deltas and a ChatResult.
//
// Errors: HTTP errors are UpstreamError with upstreamStatus (overloaded_error -> 529 whatever the
// status) and retryAfterMs from retry-after-ms / retry-after; an `error` event in a stream the
// same way; connect failures UpstreamError 502; no byte within a timeout Timeout 504; a stream
// that ends before message_stop UpstreamError 502.
class AnthropicProvider final : public ChatProvider {
    Q_OBJECT
public:
    explicit AnthropicProvider(AnthropicOptions options, QObject *parent = nullptr);
    QString name() const override { return QStringLiteral("anthropic"); }
    std::shared_ptr<UpstreamCall> chat(const ChatRequest &request, ChatSink sink) override;

    // The URL requests go to for a base URL.
    static QUrl messagesUrl(const QUrl &baseUrl);

private:
    AnthropicOptions m_options;
    UpstreamTransport *m_transport;
};

} // namespace l0
