#include "circuitbreaker.h"

#include "config/nodeconfig.h"

namespace l0 {

CircuitBreaker::CircuitBreaker(const BreakerConfig &c)
    : m_windowMs(c.windowMs)
    , m_minCalls(c.minCalls)
    , m_failurePercent(c.failurePercent)
    , m_openMs(c.openMs)
    , m_maxOpenMs(c.maxOpenMs)
{
}

CircuitBreaker::State CircuitBreaker::state(qint64 nowMs) const
{
    if (m_state == State::Open && nowMs >= m_openUntilMs)
        return State::HalfOpen;
    return m_state;
}

bool CircuitBreaker::allow(qint64 nowMs)
{
    if (m_state == State::Open && nowMs >= m_openUntilMs) {
        m_state = State::HalfOpen;
        m_probeOut = false;
    }
    switch (m_state) {
    case State::Closed:
        return true;
    case State::Open:
        return false;
    case State::HalfOpen:
        if (m_probeOut)
            return false;
        m_probeOut = true;
        return true;
    }
    return true;
}

void CircuitBreaker::forgetBefore(qint64 cutoffMs)
{
    while (!m_window.empty() && m_window.front().atMs < cutoffMs) {
        m_failures -= m_window.front().success ? 0 : 1;
        m_window.pop_front();
    }
}

void CircuitBreaker::open(qint64 nowMs)
{
    m_restMs = m_restMs ? qMin<qint64>(m_restMs * 2, m_maxOpenMs) : m_openMs;
    m_state = State::Open;
    m_openUntilMs = nowMs + m_restMs;
    m_probeOut = false;
    ++m_timesOpened;
    m_window.clear();
    m_failures = 0;
}

void CircuitBreaker::record(bool success, qint64 nowMs)
{
    if (m_state == State::HalfOpen || (m_state == State::Open && nowMs >= m_openUntilMs)) {
        if (success) {
            m_state = State::Closed;
            m_restMs = 0;
            m_probeOut = false;
        } else {
            open(nowMs);
        }
        return;
    }
    if (m_state == State::Open)
        return; // a call that started before it opened
    forgetBefore(nowMs - m_windowMs);
    m_window.push_back(Outcome { nowMs, success });
    m_failures += success ? 0 : 1;
    const int calls = int(m_window.size());
    if (calls >= m_minCalls && m_failures * 100 >= m_failurePercent * calls)
        open(nowMs);
    else if (success && m_failures == 0)
        m_restMs = 0; // healthy again: the next opening starts with the first rest
}

} // namespace l0
