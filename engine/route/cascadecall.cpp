#include "cascadecall.h"

#include "core/logging.h"
#include "upstream/upstreampool.h"

namespace l0 {

namespace {

class CascadeCall final : public UpstreamCall, public std::enable_shared_from_this<CascadeCall> {
public:
    CascadeCall(UpstreamPool *pool, ChatRequest request, RouteDecision decision, ChatSink sink,
        std::shared_ptr<std::vector<ChatResult>> rejected)
        : m_pool(pool)
        , m_request(std::move(request))
        , m_decision(std::move(decision))
        , m_sink(std::move(sink))
        , m_rejected(std::move(rejected))
    {
    }

    void start()
    {
        ChatRequest first = m_request;
        first.model = m_decision.model;
        first.stream = false; // the answer is judged whole before anyone sees it
        std::weak_ptr<CascadeCall> weak = shared_from_this();
        ChatSink inner;
        inner.onDelta = [](const QJsonObject &) {};
        inner.onComplete = [weak](const ChatResult &result) {
            if (auto self = weak.lock(); self && !self->m_cancelled)
                self->firstAnswered(result);
        };
        inner.onError = [weak](const Error &error) {
            auto self = weak.lock();
            if (!self || self->m_cancelled)
                return;
            qCInfo(lcUpstream) << "cascade: the cheaper model failed, asking" << self->m_decision.second << ":"
                               << error.message;
            self->askSecond(std::nullopt);
        };
        m_current = m_pool->chat(first, std::move(inner));
    }

    void cancel() override
    {
        m_cancelled = true;
        if (m_current)
            m_current->cancel();
    }

    int attempts() const override { return m_doneAttempts + (m_current ? m_current->attempts() : 0); }

private:
    void firstAnswered(const ChatResult &answer)
    {
        ChatResult r = answer;
        if (r.modelUsed.isEmpty())
            r.modelUsed = m_decision.model;
        if (ModelRouter::accepts(m_decision, m_request, r)) {
            m_doneAttempts = 0;
            if (m_sink.onModel)
                m_sink.onModel(r.modelUsed);
            m_sink.onComplete(r);
            return;
        }
        askSecond(r);
    }

    void askSecond(std::optional<ChatResult> firstAnswer)
    {
        m_doneAttempts = m_current ? m_current->attempts() : 1;
        if (firstAnswer)
            m_rejected->push_back(*firstAnswer);
        ChatRequest second = m_request;
        second.model = m_decision.second;
        std::weak_ptr<CascadeCall> weak = shared_from_this();
        ChatSink inner = m_sink;
        inner.onComplete = [weak](const ChatResult &result) {
            auto self = weak.lock();
            if (!self || self->m_cancelled)
                return;
            ChatResult r = result;
            if (self->m_rejected->empty())
                r.attempts += self->m_doneAttempts; // a failed first call's attempts
            self->m_sink.onComplete(r);
        };
        inner.onError = [weak, firstAnswer](const Error &error) {
            auto self = weak.lock();
            if (!self || self->m_cancelled)
                return;
            if (!firstAnswer || self->m_streamed)
                return self->m_sink.onError(error);
            qCInfo(lcUpstream) << "cascade: the dearer model failed; serving the cheaper model's answer:"
                               << error.message;
            self->m_rejected->clear(); // served after all
            if (self->m_sink.onModel)
                self->m_sink.onModel(firstAnswer->modelUsed);
            self->m_sink.onComplete(*firstAnswer);
        };
        inner.onDelta = [weak](const QJsonObject &delta) {
            auto self = weak.lock();
            if (!self || self->m_cancelled)
                return;
            self->m_streamed = true;
            self->m_sink.onDelta(delta);
        };
        m_current = m_pool->chat(second, std::move(inner));
    }

    UpstreamPool *m_pool;
    ChatRequest m_request;
    RouteDecision m_decision;
    ChatSink m_sink;
    std::shared_ptr<std::vector<ChatResult>> m_rejected;
    std::shared_ptr<UpstreamCall> m_current;
    int m_doneAttempts = 0;
    bool m_cancelled = false;
    bool m_streamed = false;
};

} // namespace

std::shared_ptr<UpstreamCall> startCascade(UpstreamPool *pool, const ChatRequest &request,
    const RouteDecision &decision, ChatSink sink, std::shared_ptr<std::vector<ChatResult>> rejected)
{
    auto call = std::make_shared<CascadeCall>(pool, request, decision, std::move(sink), std::move(rejected));
    call->start();
    return call;
}

} // namespace l0
