#include "cascadecall.h"

#include "core/logging.h"
#include "upstream/upstreampool.h"

namespace l0 {

namespace {

class CascadeCall final : public UpstreamCall, public std::enable_shared_from_this<CascadeCall> {
public:
    CascadeCall(UpstreamPool *pool, ChatRequest request, RouteDecision decision, ChatSink sink,
        std::shared_ptr<std::vector<ChatResult>> rejected, std::function<void(bool)> onEscalation)
        : m_pool(pool)
        , m_request(std::move(request))
        , m_decision(std::move(decision))
        , m_sink(std::move(sink))
        , m_rejected(std::move(rejected))
        , m_onEscalation(std::move(onEscalation))
    {
    }

    void start() { ask(0); }

    void cancel() override
    {
        m_cancelled = true;
        if (m_current)
            m_current->cancel();
    }

    int attempts() const override
    {
        return m_pastAttempts + (m_current && !m_currentCounted ? m_current->attempts() : 0);
    }

private:
    // Candidate i of the chain: the first (decision.model), then decision.then in order.
    QString modelAt(qsizetype i) const { return i == 0 ? m_decision.model : m_decision.then.at(i - 1); }
    bool isLast(qsizetype i) const { return i >= m_decision.then.size(); }

    void ask(qsizetype i)
    {
        if (isLast(i))
            return askLast(i);
        ChatRequest request = m_request;
        request.model = modelAt(i);
        request.stream = false; // the answer is judged whole before anyone sees it
        std::weak_ptr<CascadeCall> weak = shared_from_this();
        ChatSink inner;
        inner.onDelta = [](const QJsonObject &) {};
        inner.onComplete = [weak, i](const ChatResult &result) {
            if (auto self = weak.lock(); self && !self->m_cancelled)
                self->answered(i, result);
        };
        inner.onError = [weak, i](const Error &error) {
            auto self = weak.lock();
            if (!self || self->m_cancelled)
                return;
            qCInfo(lcUpstream) << "cascade:" << self->modelAt(i) << "failed, asking" << self->modelAt(i + 1) << ":"
                               << error.message;
            self->m_failedAttempts += self->finishCurrent();
            if (self->m_onEscalation)
                self->m_onEscalation(true);
            self->ask(i + 1);
        };
        call(request, std::move(inner));
    }

    // The attempts of the call that just ended, now counted in the past.
    int finishCurrent()
    {
        const int n = m_current ? qMax(1, m_current->attempts()) : 1;
        m_pastAttempts += n;
        m_currentCounted = true;
        return n;
    }

    void call(const ChatRequest &request, ChatSink sink)
    {
        m_currentCounted = false;
        m_current = m_pool->chat(request, std::move(sink));
    }

    void answered(qsizetype i, const ChatResult &answer)
    {
        ChatResult r = answer;
        if (r.modelUsed.isEmpty())
            r.modelUsed = modelAt(i);
        finishCurrent();
        if (ModelRouter::accepts(m_decision, m_request, r))
            return serve(r);
        m_rejected->push_back(r); // paid for, not served
        if (m_onEscalation)
            m_onEscalation(false);
        ask(i + 1);
    }

    void serve(ChatResult r)
    {
        r.attempts += m_failedAttempts; // calls that failed on the way are paid in attempts too
        if (m_sink.onModel)
            m_sink.onModel(r.modelUsed);
        m_sink.onComplete(r);
    }

    // The dearest candidate: streamed through to the sink as any call, its answer served.
    void askLast(qsizetype i)
    {
        ChatRequest request = m_request;
        request.model = modelAt(i);
        std::weak_ptr<CascadeCall> weak = shared_from_this();
        ChatSink inner = m_sink;
        inner.onComplete = [weak](const ChatResult &result) {
            auto self = weak.lock();
            if (!self || self->m_cancelled)
                return;
            ChatResult r = result;
            r.attempts += self->m_failedAttempts;
            self->m_sink.onComplete(r);
        };
        inner.onError = [weak](const Error &error) {
            auto self = weak.lock();
            if (!self || self->m_cancelled)
                return;
            if (self->m_rejected->empty() || self->m_streamed)
                return self->m_sink.onError(error);
            // The dearest rejected answer (already paid) is better than an error.
            qCInfo(lcUpstream) << "cascade: the dearest model failed; serving the answer of"
                               << self->m_rejected->back().modelUsed << ":" << error.message;
            self->m_failedAttempts += self->finishCurrent();
            ChatResult fallback = self->m_rejected->back();
            self->m_rejected->pop_back(); // served after all
            self->serve(fallback);
        };
        inner.onDelta = [weak](const QJsonObject &delta) {
            auto self = weak.lock();
            if (!self || self->m_cancelled)
                return;
            self->m_streamed = true;
            self->m_sink.onDelta(delta);
        };
        call(request, std::move(inner));
    }

    UpstreamPool *m_pool;
    ChatRequest m_request;
    RouteDecision m_decision;
    ChatSink m_sink;
    std::shared_ptr<std::vector<ChatResult>> m_rejected;
    std::function<void(bool)> m_onEscalation;
    std::shared_ptr<UpstreamCall> m_current;
    int m_pastAttempts = 0; // of the calls that ended (answered or failed)
    int m_failedAttempts = 0; // of the calls that failed: no answer carries them
    bool m_currentCounted = false; // m_current ended and its attempts are in m_pastAttempts
    bool m_cancelled = false;
    bool m_streamed = false;
};

} // namespace

std::shared_ptr<UpstreamCall> startCascade(UpstreamPool *pool, const ChatRequest &request,
    const RouteDecision &decision, ChatSink sink, std::shared_ptr<std::vector<ChatResult>> rejected,
    std::function<void(bool failed)> onEscalation)
{
    auto call = std::make_shared<CascadeCall>(
        pool, request, decision, std::move(sink), std::move(rejected), std::move(onEscalation));
    call->start();
    return call;
}

} // namespace l0
