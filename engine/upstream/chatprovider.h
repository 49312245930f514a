#pragma once

#include <QObject>

#include <atomic>
#include <functional>
#include <memory>

#include "core/chat.h"

namespace l0 {

// A call in progress; cancel() stops it and guarantees no further sink callbacks.
class UpstreamCall {
public:
    virtual ~UpstreamCall() = default;
    virtual void cancel() = 0;
    // Upstream calls made for it so far (retries and fallbacks included).
    virtual int attempts() const { return 1; }
};

// An LLM API. A provider object belongs to one thread (it may own a QNetworkAccessManager):
// chat() must be called on that thread, and the sink's callbacks run there, asynchronously
// (never from inside chat()).
class ChatProvider : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    virtual QString name() const = 0;
    virtual std::shared_ptr<UpstreamCall> chat(const ChatRequest &request, ChatSink sink) = 0;
};

// Makes a provider for the calling thread.
using ProviderFactory = std::function<ChatProvider *()>;

} // namespace l0
