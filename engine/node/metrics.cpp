#include "metrics.h"

#include <cstring>

namespace l0 {

int Metrics::statusIndex(int status)
{
    return (status >= 100 && status < 600) ? status : 599;
}

void Metrics::countRequest(int status)
{
    ++m_byStatus[size_t(statusIndex(status))];
}

void Metrics::countOutcome(Outcome o, const char *tier)
{
    ++m_outcomes[size_t(o)];
    if (o == Outcome::Hit) {
        size_t i = 3;
        if (std::strcmp(tier, "l0") == 0)
            i = 0;
        else if (std::strcmp(tier, "exact") == 0)
            i = 1;
        else if (std::strcmp(tier, "semantic") == 0)
            i = 2;
        ++m_hitsByTier[i];
    }
}

void Metrics::observeUpstreamLatency(qint64 ms)
{
    size_t i = 0;
    while (i < kLatencyBucketsMs.size() && double(ms) > kLatencyBucketsMs[i])
        ++i;
    ++m_latencyBuckets[i];
    m_latencySumMs += ms;
    ++m_latencyCount;
}

QByteArray Metrics::render(qint64 hotEntries, bool ready, qint64 simulatedCalls) const
{
    QByteArray out;
    out.reserve(4096);
    out += "# HELP l0_http_requests_total HTTP requests answered, by status code.\n"
           "# TYPE l0_http_requests_total counter\n";
    for (int s = 100; s < 600; ++s) {
        const qint64 v = m_byStatus[size_t(s)].load();
        if (v > 0)
            out += "l0_http_requests_total{status=\"" + QByteArray::number(s) + "\"} " + QByteArray::number(v) + '\n';
    }
    static const char *const outcomeNames[] = { "hit", "miss", "shadow_hit", "bypass", "error" };
    out += "# HELP l0_cache_requests_total Chat requests by cache outcome.\n"
           "# TYPE l0_cache_requests_total counter\n";
    for (size_t i = 0; i < size_t(Outcome::Count); ++i)
        out += QByteArray("l0_cache_requests_total{outcome=\"") + outcomeNames[i] + "\"} "
            + QByteArray::number(m_outcomes[i].load()) + '\n';
    static const char *const tierNames[] = { "l0", "exact", "semantic", "other" };
    out += "# HELP l0_cache_hits_total Cache hits by tier.\n# TYPE l0_cache_hits_total counter\n";
    for (size_t i = 0; i < 4; ++i)
        out += QByteArray("l0_cache_hits_total{tier=\"") + tierNames[i] + "\"} "
            + QByteArray::number(m_hitsByTier[i].load()) + '\n';
    out += "# HELP l0_cache_misses_total Chat requests sent upstream after a lookup.\n# TYPE l0_cache_misses_total "
           "counter\n"
           "l0_cache_misses_total "
        + QByteArray::number(m_outcomes[size_t(Outcome::Miss)].load()) + '\n';
    out += "# HELP l0_upstream_latency_ms Time to a complete upstream answer.\n# TYPE l0_upstream_latency_ms "
           "histogram\n";
    qint64 cumulative = 0;
    for (size_t i = 0; i < kLatencyBucketsMs.size(); ++i) {
        cumulative += m_latencyBuckets[i].load();
        out += "l0_upstream_latency_ms_bucket{le=\"" + QByteArray::number(kLatencyBucketsMs[i]) + "\"} "
            + QByteArray::number(cumulative) + '\n';
    }
    cumulative += m_latencyBuckets[kLatencyBucketsMs.size()].load();
    out += "l0_upstream_latency_ms_bucket{le=\"+Inf\"} " + QByteArray::number(cumulative) + '\n';
    out += "l0_upstream_latency_ms_sum " + QByteArray::number(m_latencySumMs.load()) + '\n';
    out += "l0_upstream_latency_ms_count " + QByteArray::number(m_latencyCount.load()) + '\n';
    out += "# HELP l0_upstream_errors_total Upstream calls that failed.\n# TYPE l0_upstream_errors_total counter\n"
           "l0_upstream_errors_total "
        + QByteArray::number(m_upstreamErrors.load()) + '\n';
    out += "# HELP l0_saved_micros_total Micro-dollars saved by cache hits (baseline minus actual).\n"
           "# TYPE l0_saved_micros_total counter\nl0_saved_micros_total "
        + QByteArray::number(m_savedMicros.load()) + '\n';
    out += "# HELP l0_hot_cache_entries Answers held in memory.\n# TYPE l0_hot_cache_entries gauge\n"
           "l0_hot_cache_entries "
        + QByteArray::number(hotEntries) + '\n';
    out += "# HELP l0_ready Whether the node is ready (store reachable and synced).\n# TYPE l0_ready gauge\n"
           "l0_ready "
        + QByteArray(ready ? "1" : "0") + '\n';
    if (simulatedCalls >= 0) {
        out += "# HELP l0_simulated_upstream_calls_total Calls the simulated upstream answered.\n"
               "# TYPE l0_simulated_upstream_calls_total counter\nl0_simulated_upstream_calls_total "
            + QByteArray::number(simulatedCalls) + '\n';
    }
    return out;
}

} // namespace l0
