#pragma once

#include <QByteArray>
#include <QString>

#include <array>
#include <atomic>

namespace l0 {

// Process-wide counters for /metrics (Prometheus text format). Lock-free; thread-safe.
class Metrics {
public:
    enum class Outcome { Hit, Miss, ShadowHit, Bypass, Error, Count };
    static constexpr std::array<double, 12> kLatencyBucketsMs { 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000,
        10000 };

    void countRequest(int status);
    void countOutcome(Outcome o, const char *tier);
    void observeUpstreamLatency(qint64 ms);
    void addSaved(qint64 micros) { m_savedMicros += micros; }
    void addUpstreamError() { ++m_upstreamErrors; }

    // The hot cache size and readiness are read when rendering.
    QByteArray render(qint64 hotEntries, bool ready, qint64 simulatedCalls) const;

private:
    static int statusIndex(int status);
    std::array<std::atomic<qint64>, 600> m_byStatus {}; // index = status code (100..599)
    std::array<std::atomic<qint64>, size_t(Outcome::Count)> m_outcomes {};
    std::array<std::atomic<qint64>, 4> m_hitsByTier {}; // l0, exact, semantic, other
    std::array<std::atomic<qint64>, kLatencyBucketsMs.size() + 1> m_latencyBuckets {};
    std::atomic<qint64> m_latencySumMs { 0 };
    std::atomic<qint64> m_latencyCount { 0 };
    std::atomic<qint64> m_savedMicros { 0 };
    std::atomic<qint64> m_upstreamErrors { 0 };
};

} // namespace l0
