#pragma once

#include <QtGlobal>

#include <deque>

namespace l0 {

struct BreakerConfig;

// One provider-and-model's circuit breaker. Closed: calls pass and outcomes are counted over a
// sliding time window; when at least minCalls outcomes are in the window and the failure share
// reaches failurePercent, it opens. Open: calls are refused (the pool moves on to a fallback)
// until the rest is over, then half-open: one probe passes; its success closes the breaker, its
// failure opens it again for twice as long (up to maxOpenMs). Not thread-safe: the pool locks.
class CircuitBreaker {
public:
    enum class State { Closed = 0, Open = 1, HalfOpen = 2 };

    explicit CircuitBreaker(const BreakerConfig &config);

    // Whether a call may go now. In half-open, true once (the probe) until its outcome arrives.
    bool allow(qint64 nowMs);
    void record(bool success, qint64 nowMs);
    State state(qint64 nowMs) const;
    int timesOpened() const { return m_timesOpened; }

private:
    void open(qint64 nowMs);
    void forgetBefore(qint64 cutoffMs);

    int m_windowMs, m_minCalls, m_failurePercent, m_openMs, m_maxOpenMs;
    State m_state = State::Closed;
    qint64 m_openUntilMs = 0;
    qint64 m_restMs = 0;
    bool m_probeOut = false;
    int m_timesOpened = 0;
    struct Outcome {
        qint64 atMs;
        bool success;
    };
    std::deque<Outcome> m_window;
    int m_failures = 0;
};

} // namespace l0
