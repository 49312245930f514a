#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <functional>

#include "result.h"

namespace l0 {

// The client API a request came in by (chat completions, messages, or responses).
enum class WireFormat { OpenAi, Anthropic, OpenAiResponses };

struct TokenUsage {
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 total() const { return promptTokens + completionTokens; }
};

// A provider-neutral chat request. Messages use the OpenAI message shape (role, content as a
// string or a list of parts, tool_calls, tool_call_id, name) because every provider we speak
// can be mapped to and from it without loss for the fields we cache on.
// The text of a message's content: a string as it is, or the text parts of a content array
// joined by newlines (images and other parts are left out).
QString messageContentText(const QJsonValue &content);

struct ChatRequest {
    QString model;
    QJsonArray messages; // includes the system prompt as a leading system message
    QJsonObject params; // every other field that can change the output
    bool stream = false;
    bool includeUsage = false; // OpenAI stream_options.include_usage
    WireFormat wire = WireFormat::OpenAi;
    // What the client's API needs back in its answer and nothing else reads (the Responses
    // API's echoed fields): never keyed, never sent upstream.
    QJsonObject clientExtras;
    // The caller's end user as the body names it (OpenAI `user`, Anthropic `metadata.user_id`):
    // what experiments assign arms by. Never keyed, never sent upstream.
    QString user;

    // Text of the last user message (parts concatenated); empty when there is none.
    QString lastUserText() const;
    // JSON sent to an OpenAI-compatible upstream.
    QJsonObject toOpenAiJson() const;
};

// A complete assistant answer.
struct ChatResult {
    QJsonObject message; // {"role":"assistant","content":...,"tool_calls":[...]}
    QString finishReason = QStringLiteral("stop");
    TokenUsage usage;
    QString modelUsed;
    // The stop sequence that ended the answer, when the upstream says which one did (finishReason
    // is then "stop"). Anthropic clients see it as stop_reason "stop_sequence".
    QString stopSequence;
    int attempts = 1; // upstream calls it took (retries and fallbacks included); not stored with the answer

    QString text() const { return message.value(QLatin1String("content")).toString(); }

    QJsonObject toJson() const;
    static Result<ChatResult> fromJson(const QJsonObject &json);
};

// Receives a streamed answer. All callbacks run on the thread that started the call.
// Exactly one of onComplete / onError is called last.
struct ChatSink {
    // An OpenAI-shaped delta: {"content": "..."} and/or {"tool_calls": [...]}.
    std::function<void(const QJsonObject &delta)> onDelta;
    std::function<void(const ChatResult &result)> onComplete;
    std::function<void(const Error &error)> onError;
    // Optional: the model about to answer, called once before its first delta or its result
    // (a fallback may answer for the model that was asked for).
    std::function<void(const QString &model)> onModel;
};

} // namespace l0
