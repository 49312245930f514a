#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include "core/chat.h"

namespace l0::api {

// Renders answers and errors in one client wire format (OpenAI or Anthropic). One object per
// request; not thread-safe.
class WireRenderer {
public:
    virtual ~WireRenderer() = default;

    virtual QByteArray completion(const ChatResult &result) const = 0;
    // Streams are sequences of complete SSE frames.
    virtual QByteArray streamStart() const = 0;
    virtual QByteArray streamDelta(const QJsonObject &delta) const = 0; // OpenAI-shaped delta
    virtual QByteArray streamFinish(const ChatResult &result) const = 0;
    virtual QByteArray streamError(int status, const QString &message) const = 0;
    // The whole stream for a cached answer, split into small deltas as a model would send.
    virtual QList<QByteArray> replayStream(const ChatResult &result) const = 0;
    virtual QByteArray errorBody(int status, const QString &message, const QString &param = QString(),
        const QString &code = QString()) const = 0;
    virtual void setModel(const QString &model) = 0;
    // The id the response carries (chatcmpl-..., msg_..., resp_...); empty when it has none.
    virtual QString id() const { return QString(); }
};

} // namespace l0::api
