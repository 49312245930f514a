#include "upstreampool.h"

#include <QPointer>
#include <QRandomGenerator>
#include <QThread>
#include <QTimer>

#include "core/clock.h"
#include "core/logging.h"
#include "upstreamerror.h"

namespace l0 {

namespace {

// Our key or our access is at fault at this upstream: another one may still answer.
bool upstreamRefusedUs(const Error &e)
{
    return e.code == ErrorCode::UpstreamError && (e.upstreamStatus == 401 || e.upstreamStatus == 403);
}

} // namespace

// One client request's walk along the chain. Lives on the calling thread.
class PoolCall final : public UpstreamCall, public std::enable_shared_from_this<PoolCall> {
public:
    PoolCall(UpstreamPool *pool, ChatRequest request, ChatSink sink)
        : m_pool(pool)
        , m_request(std::move(request))
        , m_sink(std::move(sink))
    {
    }

    void start()
    {
        m_flightCounter = m_pool->m_inFlight;
        m_flightCounter->fetch_add(1, std::memory_order_relaxed);
        m_targets = m_pool->chainFor(m_request.model);
        m_deadlineMs = m_pool->nowMs() + m_pool->m_options.retry.deadlineMs;
        if (m_targets.empty()) {
            Error e = makeError(ErrorCode::NotFound,
                QStringLiteral("the model '%1' is not served by any configured upstream").arg(m_request.model));
            e.field = QStringLiteral("model");
            // Asynchronously, as providers do: never from inside chat().
            QTimer::singleShot(0, m_pool->provider(0), [self = shared_from_this(), e] { self->finish(e); });
            return;
        }
        tryNext();
    }

    int attempts() const override { return qMax(1, m_attempts); }

    ~PoolCall() override { leaveFlight(); }

    void cancel() override
    {
        m_cancelled = true;
        leaveFlight();
        if (m_current)
            m_current->cancel();
        m_current.reset();
    }

private:
    void tryNext()
    {
        while (m_next < m_targets.size()) {
            if (m_pool->nowMs() >= m_deadlineMs)
                break;
            const UpstreamPool::Target &t = m_targets[m_next];
            if (m_pool->allow(t))
                return attempt();
            ++m_pool->m_breakerSkips;
            if (m_lastError.message.isEmpty()) {
                m_lastError = makeError(ErrorCode::Unavailable,
                    QStringLiteral("upstream %1 is resting after repeated failures (circuit open) for %2")
                        .arg(m_pool->m_endpoints[size_t(t.endpoint)].name, t.model));
                m_lastError.upstreamStatus = 503;
            }
            ++m_next;
            m_attemptOnTarget = 0;
        }
        if (m_lastError.message.isEmpty()) {
            m_lastError = makeError(ErrorCode::Timeout, QStringLiteral("no upstream answered within the deadline"));
            m_lastError.upstreamStatus = 504;
        }
        finish(m_lastError);
    }

    void attempt()
    {
        const UpstreamPool::Target t = m_targets[m_next];
        ++m_attempts;
        ++m_attemptOnTarget;
        ++m_pool->m_attempts;
        ChatRequest req = m_request;
        req.model = t.model;
        std::weak_ptr<PoolCall> weak = shared_from_this();
        ChatSink inner;
        inner.onDelta = [weak, t](const QJsonObject &delta) {
            auto self = weak.lock();
            if (!self || self->m_cancelled || self->m_done)
                return;
            if (!self->m_delivered) {
                self->m_delivered = true;
                self->announce(t);
            }
            self->m_sink.onDelta(delta);
        };
        inner.onComplete = [weak, t](const ChatResult &result) {
            auto self = weak.lock();
            if (!self || self->m_cancelled || self->m_done)
                return;
            self->m_pool->record(t, true);
            if (!self->m_delivered)
                self->announce(t);
            ChatResult r = result;
            if (r.modelUsed.isEmpty())
                r.modelUsed = t.model;
            r.attempts = self->m_attempts;
            if (t.model != self->m_request.model)
                ++self->m_pool->m_fallbacks;
            self->m_done = true;
            self->leaveFlight();
            self->m_current.reset();
            self->m_sink.onComplete(r);
        };
        inner.onError = [weak, t](const Error &error) {
            if (auto self = weak.lock(); self && !self->m_cancelled && !self->m_done)
                self->failed(t, error);
        };
        m_current = m_pool->provider(t.endpoint)->chat(req, std::move(inner));
    }

    void failed(const UpstreamPool::Target &t, const Error &error)
    {
        m_current.reset();
        const bool retryable = isRetryableUpstreamError(error);
        if (retryable)
            m_pool->record(t, false);
        m_lastError = error;
        qCInfo(lcUpstream) << "upstream" << m_pool->m_endpoints[size_t(t.endpoint)].name << t.model
                           << "failed:" << error.upstreamStatus << error.message;
        // Bytes of this answer reached the client: another attempt would send a second answer.
        if (m_delivered)
            return finish(error);
        if (retryable && m_attemptOnTarget < m_pool->m_options.retry.maxAttempts) {
            const qint64 delay = m_pool->backoffMs(m_attemptOnTarget, error.retryAfterMs);
            if (m_pool->nowMs() + delay < m_deadlineMs) {
                ++m_pool->m_retries;
                std::weak_ptr<PoolCall> weak = shared_from_this();
                QTimer::singleShot(int(delay), m_pool->provider(t.endpoint), [weak] {
                    if (auto self = weak.lock(); self && !self->m_cancelled && !self->m_done)
                        self->retryHere();
                });
                return;
            }
        }
        if (retryable || upstreamRefusedUs(error)) {
            ++m_next;
            m_attemptOnTarget = 0;
            return tryNext();
        }
        finish(error); // the request itself is at fault: every upstream would say the same
    }

    void retryHere()
    {
        if (m_pool->allow(m_targets[m_next]))
            return attempt();
        ++m_next;
        m_attemptOnTarget = 0;
        tryNext();
    }

    void announce(const UpstreamPool::Target &t)
    {
        if (m_sink.onModel)
            m_sink.onModel(t.model);
    }

    void finish(const Error &error)
    {
        if (m_done || m_cancelled)
            return;
        m_done = true;
        leaveFlight();
        m_sink.onError(error);
    }

    // Once per call: when it answers, fails, is cancelled or goes away.
    void leaveFlight()
    {
        if (m_flightCounter) {
            m_flightCounter->fetch_sub(1, std::memory_order_relaxed);
            m_flightCounter.reset();
        }
    }

    UpstreamPool *m_pool;
    ChatRequest m_request;
    ChatSink m_sink;
    std::vector<UpstreamPool::Target> m_targets;
    size_t m_next = 0;
    int m_attemptOnTarget = 0;
    int m_attempts = 0;
    std::shared_ptr<std::atomic<qint64>> m_flightCounter; // the pool's, while in flight
    qint64 m_deadlineMs = 0;
    bool m_delivered = false;
    bool m_cancelled = false;
    bool m_done = false;
    Error m_lastError;
    std::shared_ptr<UpstreamCall> m_current;
};

UpstreamPool::UpstreamPool(
    std::vector<UpstreamEndpoint> endpoints, PoolOptions options, const Clock *clock, QString description)
    : m_endpoints(std::move(endpoints))
    , m_options(std::move(options))
    , m_clock(clock ? clock : Clock::system())
    , m_description(std::move(description))
    , m_providersMutex(std::make_shared<std::mutex>())
    , m_providers(std::make_shared<QHash<QPair<QThread *, int>, ChatProvider *>>())
{
    Q_ASSERT(!m_endpoints.empty());
}

UpstreamPool::~UpstreamPool() = default;

qint64 UpstreamPool::nowMs() const
{
    return m_clock->nowMs();
}

std::vector<UpstreamPool::Target> UpstreamPool::chainFor(const QString &model) const
{
    std::vector<Target> chain;
    QStringList models { model };
    models += m_options.fallbacks.value(model);
    for (const QString &m : std::as_const(models)) {
        for (size_t e = 0; e < m_endpoints.size(); ++e) {
            if (m_endpoints[e].models.isEmpty() || m_endpoints[e].models.contains(m))
                chain.push_back(Target { int(e), m });
        }
    }
    return chain;
}

bool UpstreamPool::serves(const QString &model) const
{
    return !chainFor(model).empty();
}

QStringList UpstreamPool::configuredModels() const
{
    QStringList all;
    for (const UpstreamEndpoint &e : m_endpoints) {
        if (e.models.isEmpty())
            return {};
        for (const QString &m : e.models) {
            if (!all.contains(m))
                all.append(m);
        }
    }
    return all;
}

ChatProvider *UpstreamPool::provider(int endpoint)
{
    QThread *thread = QThread::currentThread();
    const QPair<QThread *, int> key { thread, endpoint };
    std::lock_guard lock(*m_providersMutex);
    auto it = m_providers->constFind(key);
    if (it != m_providers->constEnd())
        return *it;
    ChatProvider *p = m_endpoints[size_t(endpoint)].factory();
    m_providers->insert(key, p);
    QObject::connect(thread, &QThread::finished, p, &QObject::deleteLater);
    // The table outlives the pool when a thread ends after it: the lambda holds its own share.
    QObject::connect(
        p, &QObject::destroyed, p,
        [mutex = m_providersMutex, providers = m_providers, key] {
            std::lock_guard lock(*mutex);
            providers->remove(key);
        },
        Qt::DirectConnection);
    return p;
}

bool UpstreamPool::allow(const Target &t)
{
    const QString key = m_endpoints[size_t(t.endpoint)].name + QLatin1Char('|') + t.model;
    std::lock_guard lock(m_breakersMutex);
    auto &b = m_breakers[key];
    if (!b)
        b = std::make_shared<CircuitBreaker>(m_options.breaker);
    return b->allow(nowMs());
}

void UpstreamPool::record(const Target &t, bool success)
{
    const QString key = m_endpoints[size_t(t.endpoint)].name + QLatin1Char('|') + t.model;
    std::lock_guard lock(m_breakersMutex);
    auto &b = m_breakers[key];
    if (!b)
        b = std::make_shared<CircuitBreaker>(m_options.breaker);
    const auto before = b->state(nowMs());
    b->record(success, nowMs());
    const auto after = b->state(nowMs());
    if (before != after)
        qCWarning(lcUpstream) << "circuit for" << key << (after == CircuitBreaker::State::Open ? "opened" : "closed");
}

qint64 UpstreamPool::backoffMs(int attempt, qint64 retryAfterMs) const
{
    // Full jitter over an exponentially growing cap, so retries of many clients spread out.
    const qint64 cap = qMin<qint64>(
        qint64(m_options.retry.maxBackoffMs), qint64(m_options.retry.baseBackoffMs) << qMin(attempt - 1, 20));
    const qint64 jittered = cap > 0 ? qint64(QRandomGenerator::global()->bounded(quint32(cap) + 1)) : 0;
    return qMax(jittered, retryAfterMs);
}

std::shared_ptr<UpstreamCall> UpstreamPool::chat(const ChatRequest &request, ChatSink sink)
{
    auto call = std::make_shared<PoolCall>(this, request, std::move(sink));
    call->start();
    return call;
}

QByteArray UpstreamPool::renderMetrics() const
{
    QByteArray out;
    out += "# HELP l0_upstream_attempts_total Upstream calls made, retries and fallbacks included.\n"
           "# TYPE l0_upstream_attempts_total counter\n"
           "l0_upstream_attempts_total "
        + QByteArray::number(m_attempts.load()) + '\n';
    out += "# HELP l0_upstream_retries_total Upstream calls repeated after a retryable failure.\n"
           "# TYPE l0_upstream_retries_total counter\n"
           "l0_upstream_retries_total "
        + QByteArray::number(m_retries.load()) + '\n';
    out += "# HELP l0_upstream_fallbacks_total Answers given by a fallback model.\n"
           "# TYPE l0_upstream_fallbacks_total counter\n"
           "l0_upstream_fallbacks_total "
        + QByteArray::number(m_fallbacks.load()) + '\n';
    out += "# HELP l0_upstream_requests_in_flight Chat requests the upstream pool is working on now.\n"
           "# TYPE l0_upstream_requests_in_flight gauge\n"
           "l0_upstream_requests_in_flight "
        + QByteArray::number(m_inFlight->load(std::memory_order_relaxed)) + '\n';
    out += "# HELP l0_upstream_breaker_skips_total Calls not made because a circuit was open.\n"
           "# TYPE l0_upstream_breaker_skips_total counter\n"
           "l0_upstream_breaker_skips_total "
        + QByteArray::number(m_breakerSkips.load()) + '\n';
    // One series per circuit and state, 1 for the state it is in (the Prometheus way to show an
    // enumeration), and how many circuits are open.
    std::lock_guard lock(m_breakersMutex);
    QStringList keys = m_breakers.keys();
    keys.sort();
    static const char *const stateNames[] = { "closed", "open", "half_open" };
    QByteArray states;
    int open = 0;
    auto label = [](QString v) {
        return v.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
            .replace(QLatin1Char('"'), QStringLiteral("\\\""))
            .replace(QLatin1Char('\n'), QStringLiteral("\\n"))
            .toUtf8();
    };
    for (const QString &key : std::as_const(keys)) {
        const qsizetype bar = key.indexOf(QLatin1Char('|'));
        const int state = int(m_breakers.value(key)->state(nowMs()));
        if (state == int(CircuitBreaker::State::Open))
            ++open;
        const QByteArray labels = "upstream=\"" + label(key.left(bar)) + "\",model=\"" + label(key.mid(bar + 1)) + '"';
        for (int s = 0; s < 3; ++s)
            states += "l0_upstream_breaker_state{" + labels + ",state=\"" + stateNames[s] + "\"} "
                + (s == state ? "1" : "0") + '\n';
    }
    out += "# HELP l0_upstream_breakers_open Circuits (per upstream and model) open now.\n"
           "# TYPE l0_upstream_breakers_open gauge\n"
           "l0_upstream_breakers_open "
        + QByteArray::number(open) + '\n';
    out += "# HELP l0_upstream_breaker_state Circuit per upstream and model: 1 for the state it is in.\n"
           "# TYPE l0_upstream_breaker_state gauge\n"
        + states;
    return out;
}

} // namespace l0
