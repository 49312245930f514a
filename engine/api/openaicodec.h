#pragma once

#include <QByteArray>
#include <QString>

#include "core/chat.h"
#include "core/result.h"
#include "wirerenderer.h"

namespace l0::api {

// Parses and validates an OpenAI chat completions body. Errors name the offending field.
Result<ChatRequest> parseOpenAiChat(const QByteArray &body);

// A chat.completion object (from an upstream, or handed in through the cache API) as an answer:
// the first choice's message and finish reason, the model and the usage.
ChatResult chatResultFromOpenAi(const QJsonObject &completion);

// Renders answers in OpenAI's wire format.
class OpenAiRenderer final : public WireRenderer {
public:
    OpenAiRenderer(QString id, qint64 createdSecs, QString model, bool includeUsage)
        : m_id(std::move(id))
        , m_created(createdSecs)
        , m_model(std::move(model))
        , m_includeUsage(includeUsage)
    {
    }

    QByteArray completion(const ChatResult &result) const override;
    // completion() is completionHead() + completionTail(result): the tail depends only on the
    // answer and the model, so a node can keep it per cached answer and skip the JSON work.
    QByteArray completionHead() const;
    QByteArray completionTail(const ChatResult &result) const;

    // SSE events, each a complete "data: …\n\n" frame.
    QByteArray streamStart() const override; // the role delta
    QByteArray streamDelta(const QJsonObject &delta) const override;
    QByteArray streamFinish(const ChatResult &result) const override; // finish chunk, usage chunk, [DONE]
    QByteArray streamError(int status, const QString &message) const override;
    QList<QByteArray> replayStream(const ChatResult &result) const override;
    QByteArray errorBody(int status, const QString &message, const QString &param = QString(),
        const QString &code = QString()) const override;

    void setModel(const QString &model) override { m_model = model; }
    QString id() const override { return m_id; }

private:
    QList<QByteArray> finishFrames(const ChatResult &result) const;
    QJsonObject chunk(const QJsonObject &delta, const QJsonValue &finishReason) const;
    static QByteArray frame(const QJsonObject &o);

    QString m_id;
    qint64 m_created;
    QString m_model;
    bool m_includeUsage;
};

// {"error": {"message", "type", "param", "code"}}
QByteArray openAiErrorBody(
    int status, const QString &message, const QString &param = QString(), const QString &code = QString());
QString openAiErrorType(int status);

// Splits text into stream-sized pieces (at spaces, roughly every 16 characters). Joining the
// pieces gives the text back exactly.
QStringList splitForStreaming(const QString &text);

} // namespace l0::api
