#pragma once

#include <QByteArray>
#include <QHash>

#include "core/chat.h"
#include "core/result.h"
#include "wirerenderer.h"

namespace l0::api {

// Parses and validates an Anthropic Messages API body into the provider-neutral request: the
// system prompt becomes a leading system message, text-only content lists become strings,
// and parameters take their OpenAI names (stop_sequences -> stop), so the same question asked
// through either API has the same exact key.
Result<ChatRequest> parseAnthropicMessages(const QByteArray &body);

// {"type":"error","error":{"type","message"}}
QByteArray anthropicErrorBody(int status, const QString &message);

class AnthropicRenderer final : public WireRenderer {
public:
    AnthropicRenderer(QString id, QString model)
        : m_id(std::move(id))
        , m_model(std::move(model))
    {
    }

    QByteArray completion(const ChatResult &result) const override;
    QByteArray streamStart() const override; // message_start, content_block_start, ping
    QByteArray streamDelta(const QJsonObject &delta) const override;
    QByteArray streamFinish(const ChatResult &result) const override;
    QByteArray streamError(int status, const QString &message) const override;
    QList<QByteArray> replayStream(const ChatResult &result) const override;
    QByteArray errorBody(int status, const QString &message, const QString &param = QString(),
        const QString &code = QString()) const override;
    void setModel(const QString &model) override { m_model = model; }
    QString id() const override { return m_id; }

    static QString stopReason(const QString &openAiFinishReason);
    // As above, and "stop_sequence" when the result names the stop sequence that ended it.
    static QString stopReason(const ChatResult &result);

private:
    // Where a stream is: the content block open now and the block of each tool call. Streams
    // start with an open text block (index 0); a tool call closes the open block and opens a
    // tool_use block, text after it opens a new text block.
    struct StreamState {
        int open = -1;
        bool openIsText = false;
        int next = 0;
        QHash<int, int> toolBlocks; // OpenAI tool call index -> content block index
    };

    QByteArray messageStart(qint64 inputTokens, StreamState &state) const;
    QByteArray delta(const QJsonObject &delta, StreamState &state) const;
    QByteArray finish(const ChatResult &result, StreamState &state) const;

    QString m_id;
    QString m_model;
    mutable StreamState m_stream; // one renderer per request (see WireRenderer)
};

} // namespace l0::api
