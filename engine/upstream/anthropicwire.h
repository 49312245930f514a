#pragma once

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>

#include "core/chat.h"

namespace l0 {

// The Messages API requires max_tokens; a request that does not say (an OpenAI client may leave
// it out) gets this many.
constexpr int kAnthropicDefaultMaxTokens = 4096;

// The provider-neutral request (OpenAI-shaped messages and parameters) as an Anthropic Messages
// API body:
// - system and developer messages (wherever they are) -> `system`, joined by newlines;
// - user text and images (data: URLs -> base64 source, http(s) URLs -> url source), PDF file
//   parts (data: URLs) -> document blocks;
// - assistant tool_calls -> tool_use blocks (arguments parsed into `input`);
// - tool messages -> tool_result blocks at the head of the next user turn, together with the user
//   message that follows them, if any;
// - max_completion_tokens / max_tokens -> max_tokens (default above), stop -> stop_sequences,
//   temperature (0 to 1 only), top_p, top_k, tools (function schema -> input_schema, strict kept),
//   tool_choice (auto, none, required -> any, a named function -> tool) and
//   parallel_tool_calls=false -> disable_parallel_tool_use.
// Values equal to OpenAI's defaults (n=1, logprobs=false, penalties 0, response_format text, ...)
// are accepted; the image `detail` hint and OpenAI's prompt-cache / safety identifiers (which do
// not change the answer) are not sent. Anything else that has no Anthropic counterpart (n>1,
// logprobs, audio, seed, response_format json, server tools, extended thinking, ...) is an
// InvalidArgument error naming the field: never silently dropped.
Result<QJsonObject> anthropicRequestJson(const ChatRequest &request, int defaultMaxTokens = kAnthropicDefaultMaxTokens);

// end_turn, stop_sequence, pause_turn -> stop; max_tokens, model_context_window_exceeded -> length;
// tool_use -> tool_calls; refusal -> content_filter.
QString finishReasonFromAnthropic(const QString &stopReason);

// A Message object (the non-streamed answer) as a ChatResult: text blocks joined, tool_use ->
// tool_calls, usage (input tokens include cache reads and writes), finish reason as above.
Result<ChatResult> chatResultFromAnthropic(const QJsonObject &message);

// An Anthropic error (HTTP status and {"type":"error","error":{"type","message"}} body) as an
// UpstreamError. overloaded_error is reported as upstreamStatus 529 whatever the HTTP status;
// a stream's error event (httpStatus 0) gets the status its type stands for.
Error anthropicUpstreamError(int httpStatus, const QByteArray &body, const QString &fallback);

// Folds a Messages API event stream into OpenAI-shaped deltas and the final answer.
class AnthropicStreamParser {
public:
    // One event's data (JSON). Returns the delta to pass on (may be empty), or the error the
    // stream reported (an `error` event) or an error for data that is not JSON.
    Result<QJsonObject> addEvent(const QByteArray &data);
    bool finished() const { return m_stopped; } // message_stop seen
    ChatResult result() const;

private:
    struct Block {
        bool isTool = false;
        int toolIndex = -1;
        bool gotInput = false;
        QJsonObject startInput;
    };
    QHash<int, Block> m_blocks;
    QString m_text;
    qint64 m_inputTokens = 0;
    qint64 m_cacheTokens = 0;
    QJsonArray m_toolCalls;
    QString m_stopReason;
    QString m_stopSequence;
    QString m_model;
    TokenUsage m_usage;
    bool m_stopped = false;
};

} // namespace l0
