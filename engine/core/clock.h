#pragma once

#include <QtGlobal>

#include <atomic>

namespace l0 {

// Seam for time so tests can run exact. Thread-safe.
class Clock {
public:
    virtual ~Clock() = default;
    virtual qint64 nowMs() const = 0; // milliseconds since the Unix epoch, UTC

    static Clock *system();
};

class ManualClock final : public Clock {
public:
    explicit ManualClock(qint64 startMs = 0)
        : m_now(startMs)
    {
    }
    qint64 nowMs() const override { return m_now.load(); }
    void advance(qint64 ms) { m_now += ms; }
    void set(qint64 ms) { m_now = ms; }

private:
    std::atomic<qint64> m_now;
};

} // namespace l0
