#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <functional>

#include "core/chat.h"
#include "core/result.h"
#include "wirerenderer.h"

namespace l0::api {

// A Responses API request (POST /v1/responses), read into the neutral chat request the cache
// keys and the upstreams take, so that a question asked here and through chat completions is
// one entry: `instructions` becomes the leading system message, `input` items become chat
// messages (input_text / input_image parts, function_call and function_call_output items as
// tool calls and tool messages), `tools` and `tool_choice` take chat completions' shape,
// `max_output_tokens` is `max_tokens` and `text.format` is `response_format`. A field the node
// cannot carry is a 400 naming it, never dropped.
struct ResponsesRequest {
    ChatRequest chat; // without the stored conversation previous_response_id names
    QString previousResponseId;
    bool store = true; // false: nothing is kept, and the response cannot be continued
    QJsonObject echo; // request fields the response object repeats (instructions, tools, ...)
    int conversationStart = 0; // chat.messages before this index are the instructions, not the conversation
};
Result<ResponsesRequest> parseResponses(const QByteArray &body);

// Renders answers as Responses API objects and typed SSE events (response.created ...
// response.output_text.delta ... response.completed). Streaming is stateful (items open and
// close as deltas arrive), so one renderer serves one request.
class ResponsesRenderer final : public WireRenderer {
public:
    // done: called once with the finished response object (for storing the conversation).
    ResponsesRenderer(QString id, qint64 createdSecs, QString model, QJsonObject echo,
        std::function<void(const QJsonObject &response, const ChatResult &result)> done = {});

    QByteArray completion(const ChatResult &result) const override;
    QByteArray streamStart() const override;
    QByteArray streamDelta(const QJsonObject &delta) const override;
    QByteArray streamFinish(const ChatResult &result) const override;
    QByteArray streamError(int status, const QString &message) const override;
    QList<QByteArray> replayStream(const ChatResult &result) const override;
    QByteArray errorBody(int status, const QString &message, const QString &param = QString(),
        const QString &code = QString()) const override;
    void setModel(const QString &model) override { m_model = model; }
    QString id() const override { return m_id; }

    // The response object for a finished answer (status completed, or incomplete when it hit
    // max_output_tokens).
    QJsonObject responseObject(const ChatResult &result) const;

private:
    QJsonObject shell(const QString &status) const; // the response object without output
    QJsonArray outputItems(const ChatResult &result) const;
    QByteArray event(const char *type, QJsonObject payload) const;
    QByteArray openMessage() const; // announces the message item (and its text part)
    QByteArray closeOpenItems() const;
    QString callItemId(int index) const;

    QString m_id;
    qint64 m_created;
    QString m_model;
    QJsonObject m_echo;
    std::function<void(const QJsonObject &, const ChatResult &)> m_done;

    // Stream state.
    mutable int m_sequence = 0;
    mutable int m_nextOutput = 0;
    mutable int m_messageOutput = -1; // output_index of the open message item, -1: none open
    mutable int m_messageIndex = -1; // output_index the message item had in the stream, -1: none
    mutable QString m_text;
    struct OpenCall {
        int output = -1; // its output_index once announced
        QString callId, name, arguments;
        bool open = false;
    };
    mutable QList<OpenCall> m_calls; // by tool call index
    mutable bool m_streamed = false; // items were announced in a stream: the final output keeps their order
};

// The answer's items as the Responses API shows them (a message with output_text, function
// calls), with the item ids the renderer used.
QJsonArray responsesOutputItems(const QString &responseId, const ChatResult &result);

} // namespace l0::api
