#pragma once

#include <QByteArray>
#include <QString>

#include <array>
#include <atomic>
#include <cstddef>
#include <vector>

namespace l0 {

// A Prometheus histogram of durations kept as lock-free counters: observe() from any thread,
// render() while others observe (each bucket is read once, so a scrape may see an observation in
// _count before _sum; Prometheus tolerates that).
class DurationHistogram {
public:
    // Upper bounds in seconds: a hit takes tens of microseconds, an upstream answer seconds.
    static constexpr std::array<double, 18> kBoundsSeconds { 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
        0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60 };

    void observe(qint64 micros);
    // The _bucket, _sum and _count lines of one series; labels is `name="value",...` or empty.
    void renderSeries(QByteArray &out, const QByteArray &name, const QByteArray &labels) const;
    // Adds another histogram's counts into this one (for merging series at render time).
    void addTo(DurationHistogram &into) const;

private:
    std::array<std::atomic<qint64>, kBoundsSeconds.size() + 1> m_buckets {}; // not cumulative; last: +Inf
    std::atomic<qint64> m_sumMicros { 0 };
    std::atomic<qint64> m_count { 0 };
};

// Process-wide counters for /metrics (Prometheus text format, names and units as Prometheus
// recommends: base units, _total on counters). Lock-free and thread-safe: every call on the
// request path is a few relaxed atomic increments, or a short scan of a fixed table.
class Metrics {
public:
    enum class Outcome { Hit, Miss, ShadowHit, Bypass, Error, Count };
    // Model names get their own upstream latency series up to this many; later ones share
    // model="other".
    static constexpr size_t kMaxModels = 32;
    static constexpr size_t kMaxModelName = 96;

    void countRequest(int status);
    void countOutcome(Outcome o, const char *tier);
    // A chat request answered, from its start to the answer: tier is the tier that hit, or
    // "upstream" for an answer from upstream.
    void observeRequest(const char *tier, qint64 micros);
    // A complete upstream answer from the given model, timed from the request's start.
    void observeUpstream(const QString &model, qint64 micros);
    void addSaved(qint64 micros) { m_savedMicros.fetch_add(micros, std::memory_order_relaxed); }
    // A routed miss answered upstream: strategy is the one applied ("fixed", "learned",
    // "cascade"), model the one whose answer was served.
    void countRouted(const QString &strategy, const QString &model);
    // A cascade that went on to a dearer candidate: the cheaper answer scored below the
    // threshold (failed: false), or the cheaper call failed (failed: true).
    void countCascadeEscalation(bool failed) { m_escalations[failed ? 1 : 0].fetch_add(1, std::memory_order_relaxed); }
    void addUpstreamError() { m_upstreamErrors.fetch_add(1, std::memory_order_relaxed); }
    // HTTPS: when the certificate presented now expires (Unix seconds), and each reload of the
    // files (SIGHUP), loaded or refused. Without TLS neither series is rendered.
    void setTlsCertificateExpiry(qint64 unixSeconds) { m_tlsNotAfter.store(unixSeconds, std::memory_order_relaxed); }
    void countTlsReload(bool loaded) { m_tlsReloads[loaded ? 0 : 1].fetch_add(1, std::memory_order_relaxed); }

    // The hot cache size and readiness are read when rendering.
    QByteArray render(qint64 hotEntries, bool ready, qint64 simulatedCalls) const;

    // "12.345678" from a count of micro-units, exactly (no floating point).
    static QByteArray microsAsDecimal(qint64 micros);

private:
    static constexpr size_t kRouteStrategies = 3; // fixed, learned, cascade
    struct ModelSlot {
        std::atomic<int> state { 0 }; // 0 free, 1 being claimed, 2 named
        char name[kMaxModelName] {};
        DurationHistogram latency;
        std::array<std::atomic<qint64>, kRouteStrategies> routed {}; // answers served, by strategy
    };
    static int statusIndex(int status);
    static size_t tierIndex(const char *tier);
    // The model's slot; null when the table is full or the name unfit (the model="other" series).
    ModelSlot *modelSlot(const QByteArray &model);
    DurationHistogram &modelHistogram(const QByteArray &model);
    // The named models, each with every slot that holds it: two threads naming one model at once
    // may have taken two slots, which render() merges.
    std::vector<std::vector<const ModelSlot *>> modelsNamed() const;

    std::array<std::atomic<qint64>, 600> m_byStatus {}; // index = status code (100..599)
    std::array<std::atomic<qint64>, size_t(Outcome::Count)> m_outcomes {};
    std::array<std::atomic<qint64>, 4> m_hitsByTier {}; // l0, exact, semantic, other
    std::array<DurationHistogram, 5> m_requestByTier {}; // l0, exact, semantic, other, upstream
    std::array<ModelSlot, kMaxModels> m_models {};
    DurationHistogram m_otherModels;
    std::array<std::atomic<qint64>, kRouteStrategies> m_otherRouted {};
    std::array<std::atomic<qint64>, 2> m_escalations {}; // rejected, failed
    std::atomic<qint64> m_savedMicros { 0 };
    std::atomic<qint64> m_upstreamErrors { 0 };
    std::atomic<qint64> m_tlsNotAfter { 0 };
    std::array<std::atomic<qint64>, 2> m_tlsReloads {}; // loaded, refused
};

} // namespace l0
