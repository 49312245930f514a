#include "metrics.h"

#include <cstring>

namespace l0 {

namespace {

constexpr auto kRelaxed = std::memory_order_relaxed;

const char *const kHitTierNames[] = { "l0", "exact", "semantic", "other" };
const char *const kRequestTierNames[] = { "l0", "exact", "semantic", "other", "upstream" };
const char *const kRouteStrategyNames[] = { "fixed", "learned", "cascade" }; // as routeStrategyName()

QByteArray boundLabel(double seconds)
{
    // Prometheus compares le values as floats; print them short and without exponent.
    return QByteArray::number(seconds, 'g', 6);
}

void header(QByteArray &out, const char *name, const char *type, const char *help)
{
    out += "# HELP ";
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}

QByteArray labelValue(const char *v)
{
    QByteArray s(v);
    s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return s;
}

} // namespace

void DurationHistogram::observe(qint64 micros)
{
    if (micros < 0)
        micros = 0;
    const double seconds = double(micros) / 1e6;
    size_t i = 0;
    while (i < kBoundsSeconds.size() && seconds > kBoundsSeconds[i])
        ++i;
    m_buckets[i].fetch_add(1, kRelaxed);
    m_sumMicros.fetch_add(micros, kRelaxed);
    m_count.fetch_add(1, kRelaxed);
}

void DurationHistogram::addTo(DurationHistogram &into) const
{
    for (size_t i = 0; i < m_buckets.size(); ++i)
        into.m_buckets[i].fetch_add(m_buckets[i].load(kRelaxed), kRelaxed);
    into.m_sumMicros.fetch_add(m_sumMicros.load(kRelaxed), kRelaxed);
    into.m_count.fetch_add(m_count.load(kRelaxed), kRelaxed);
}

void DurationHistogram::renderSeries(QByteArray &out, const QByteArray &name, const QByteArray &labels) const
{
    const QByteArray sep = labels.isEmpty() ? QByteArray() : QByteArray(",");
    qint64 cumulative = 0;
    for (size_t i = 0; i < kBoundsSeconds.size(); ++i) {
        cumulative += m_buckets[i].load(kRelaxed);
        out += name + "_bucket{" + labels + sep + "le=\"" + boundLabel(kBoundsSeconds[i]) + "\"} "
            + QByteArray::number(cumulative) + '\n';
    }
    cumulative += m_buckets[kBoundsSeconds.size()].load(kRelaxed);
    out += name + "_bucket{" + labels + sep + "le=\"+Inf\"} " + QByteArray::number(cumulative) + '\n';
    const QByteArray braced = labels.isEmpty() ? QByteArray() : '{' + labels + '}';
    out += name + "_sum" + braced + ' ' + Metrics::microsAsDecimal(m_sumMicros.load(kRelaxed)) + '\n';
    // _count equals the +Inf bucket, as the format requires, even while observations race.
    out += name + "_count" + braced + ' ' + QByteArray::number(cumulative) + '\n';
}

QByteArray Metrics::microsAsDecimal(qint64 micros)
{
    const bool negative = micros < 0;
    const quint64 m = negative ? quint64(-(micros + 1)) + 1 : quint64(micros);
    QByteArray frac = QByteArray::number(m % 1000000);
    frac = QByteArray(6 - frac.size(), '0') + frac;
    return (negative ? "-" : "") + QByteArray::number(m / 1000000) + '.' + frac;
}

int Metrics::statusIndex(int status)
{
    return (status >= 100 && status < 600) ? status : 599;
}

size_t Metrics::tierIndex(const char *tier)
{
    if (std::strcmp(tier, "l0") == 0)
        return 0;
    if (std::strcmp(tier, "exact") == 0)
        return 1;
    if (std::strcmp(tier, "semantic") == 0)
        return 2;
    if (std::strcmp(tier, "upstream") == 0)
        return 4;
    return 3;
}

void Metrics::countRequest(int status)
{
    m_byStatus[size_t(statusIndex(status))].fetch_add(1, kRelaxed);
}

void Metrics::countOutcome(Outcome o, const char *tier)
{
    m_outcomes[size_t(o)].fetch_add(1, kRelaxed);
    if (o == Outcome::Hit) {
        const size_t i = tierIndex(tier);
        m_hitsByTier[i < 4 ? i : 3].fetch_add(1, kRelaxed);
    }
}

void Metrics::observeRequest(const char *tier, qint64 micros)
{
    m_requestByTier[tierIndex(tier)].observe(micros);
}

Metrics::ModelSlot *Metrics::modelSlot(const QByteArray &model)
{
    if (model.isEmpty() || model.size() >= qsizetype(kMaxModelName))
        return nullptr;
    for (ModelSlot &slot : m_models) {
        int state = slot.state.load(std::memory_order_acquire);
        if (state == 2) {
            if (std::strcmp(slot.name, model.constData()) == 0)
                return &slot;
            continue;
        }
        if (state == 1)
            continue; // someone is naming it; if it is this model, render() merges the two slots
        if (slot.state.compare_exchange_strong(state, 1, std::memory_order_acq_rel)) {
            std::memcpy(slot.name, model.constData(), size_t(model.size()) + 1);
            slot.state.store(2, std::memory_order_release);
            return &slot;
        }
        if (state == 2 && std::strcmp(slot.name, model.constData()) == 0)
            return &slot;
    }
    return nullptr;
}

DurationHistogram &Metrics::modelHistogram(const QByteArray &model)
{
    ModelSlot *slot = modelSlot(model);
    return slot ? slot->latency : m_otherModels;
}

std::vector<std::vector<const Metrics::ModelSlot *>> Metrics::modelsNamed() const
{
    std::vector<std::vector<const ModelSlot *>> models;
    std::array<bool, kMaxModels> done {};
    for (size_t i = 0; i < m_models.size(); ++i) {
        if (done[i] || m_models[i].state.load(std::memory_order_acquire) != 2)
            continue;
        std::vector<const ModelSlot *> holders { &m_models[i] };
        for (size_t j = i + 1; j < m_models.size(); ++j) {
            if (!done[j] && m_models[j].state.load(std::memory_order_acquire) == 2
                && std::strcmp(m_models[i].name, m_models[j].name) == 0) {
                holders.push_back(&m_models[j]);
                done[j] = true;
            }
        }
        models.push_back(std::move(holders));
    }
    return models;
}

void Metrics::countRouted(const QString &strategy, const QString &model)
{
    size_t i = 0;
    while (i < kRouteStrategies && strategy != QLatin1String(kRouteStrategyNames[i]))
        ++i;
    if (i == kRouteStrategies)
        return; // not routed
    ModelSlot *slot = modelSlot(model.toUtf8());
    (slot ? slot->routed : m_otherRouted)[i].fetch_add(1, kRelaxed);
}

void Metrics::observeUpstream(const QString &model, qint64 micros)
{
    modelHistogram(model.toUtf8()).observe(micros);
}

QByteArray Metrics::render(qint64 hotEntries, bool ready, qint64 simulatedCalls) const
{
    QByteArray out;
    out.reserve(16384);
    header(out, "l0_build_info", "gauge", "Always 1; the version label names the running build.");
    out += "l0_build_info{version=\"" L0_VERSION_STRING "\"} 1\n";

    if (const qint64 notAfter = m_tlsNotAfter.load(kRelaxed); notAfter > 0) {
        header(out, "l0_tls_certificate_expiry_timestamp_seconds", "gauge",
            "When the certificate the listener presents expires, in Unix seconds.");
        out += "l0_tls_certificate_expiry_timestamp_seconds " + QByteArray::number(notAfter) + '\n';
        header(out, "l0_tls_reloads_total", "counter", "Reloads of the TLS certificate and key files, by result.");
        out += "l0_tls_reloads_total{result=\"loaded\"} " + QByteArray::number(m_tlsReloads[0].load(kRelaxed)) + '\n';
        out += "l0_tls_reloads_total{result=\"refused\"} " + QByteArray::number(m_tlsReloads[1].load(kRelaxed)) + '\n';
    }

    header(out, "l0_http_requests_total", "counter", "HTTP requests answered, by status code.");
    for (int s = 100; s < 600; ++s) {
        const qint64 v = m_byStatus[size_t(s)].load(kRelaxed);
        if (v > 0)
            out += "l0_http_requests_total{code=\"" + QByteArray::number(s) + "\"} " + QByteArray::number(v) + '\n';
    }

    static const char *const outcomeNames[] = { "hit", "miss", "shadow_hit", "bypass", "error" };
    header(out, "l0_cache_requests_total", "counter", "Chat requests by cache outcome.");
    for (size_t i = 0; i < size_t(Outcome::Count); ++i)
        out += QByteArray("l0_cache_requests_total{outcome=\"") + outcomeNames[i] + "\"} "
            + QByteArray::number(m_outcomes[i].load(kRelaxed)) + '\n';

    header(out, "l0_cache_hits_total", "counter", "Cache hits by tier.");
    for (size_t i = 0; i < 4; ++i)
        out += QByteArray("l0_cache_hits_total{tier=\"") + kHitTierNames[i] + "\"} "
            + QByteArray::number(m_hitsByTier[i].load(kRelaxed)) + '\n';

    header(out, "l0_cache_misses_total", "counter", "Chat requests sent upstream after a lookup.");
    out += "l0_cache_misses_total " + QByteArray::number(m_outcomes[size_t(Outcome::Miss)].load(kRelaxed)) + '\n';

    header(out, "l0_cache_saved_dollars_total", "counter",
        "US dollars saved by cache hits: what the requested model would have cost, less what was paid.");
    out += "l0_cache_saved_dollars_total " + microsAsDecimal(m_savedMicros.load(kRelaxed)) + '\n';

    header(out, "l0_request_duration_seconds", "histogram",
        "Time from a chat request to its answer, by the tier that answered (upstream: a miss answered upstream).");
    for (size_t i = 0; i < m_requestByTier.size(); ++i)
        m_requestByTier[i].renderSeries(
            out, "l0_request_duration_seconds", QByteArray("tier=\"") + kRequestTierNames[i] + '"');

    header(out, "l0_upstream_request_duration_seconds", "histogram",
        "Time from a chat request to its complete upstream answer, by the model that answered.");
    const auto models = modelsNamed();
    for (const auto &holders : models) {
        DurationHistogram merged;
        for (const ModelSlot *slot : holders)
            slot->latency.addTo(merged);
        merged.renderSeries(
            out, "l0_upstream_request_duration_seconds", "model=\"" + labelValue(holders.front()->name) + '"');
    }
    m_otherModels.renderSeries(out, "l0_upstream_request_duration_seconds", "model=\"other\"");

    header(out, "l0_routed_requests_total", "counter",
        "Chat misses a route policy sent upstream and answered, by the strategy applied and the model whose answer "
        "was served.");
    auto renderRouted = [&](const QByteArray &model, const std::array<qint64, kRouteStrategies> &counts) {
        for (size_t k = 0; k < kRouteStrategies; ++k) {
            if (counts[k] > 0)
                out += QByteArray("l0_routed_requests_total{strategy=\"") + kRouteStrategyNames[k] + "\",model=\""
                    + model + "\"} " + QByteArray::number(counts[k]) + '\n';
        }
    };
    for (const auto &holders : models) {
        std::array<qint64, kRouteStrategies> counts {};
        for (const ModelSlot *slot : holders) {
            for (size_t k = 0; k < kRouteStrategies; ++k)
                counts[k] += slot->routed[k].load(kRelaxed);
        }
        renderRouted(labelValue(holders.front()->name), counts);
    }
    std::array<qint64, kRouteStrategies> other {};
    for (size_t k = 0; k < kRouteStrategies; ++k)
        other[k] = m_otherRouted[k].load(kRelaxed);
    renderRouted("other", other);

    header(out, "l0_route_cascade_escalations_total", "counter",
        "Cascade steps to a dearer candidate, by reason: the cheaper answer scored below the threshold (rejected) "
        "or the cheaper call failed (failed).");
    out += "l0_route_cascade_escalations_total{reason=\"rejected\"} "
        + QByteArray::number(m_escalations[0].load(kRelaxed)) + '\n';
    out += "l0_route_cascade_escalations_total{reason=\"failed\"} "
        + QByteArray::number(m_escalations[1].load(kRelaxed)) + '\n';

    header(out, "l0_upstream_errors_total", "counter", "Upstream calls that failed (after retries and fallbacks).");
    out += "l0_upstream_errors_total " + QByteArray::number(m_upstreamErrors.load(kRelaxed)) + '\n';

    header(out, "l0_hot_cache_entries", "gauge", "Approved answers held in memory.");
    out += "l0_hot_cache_entries " + QByteArray::number(hotEntries) + '\n';
    header(out, "l0_ready", "gauge", "1 when the node is ready (store reachable and synced), else 0.");
    out += QByteArray("l0_ready ") + (ready ? "1" : "0") + '\n';
    if (simulatedCalls >= 0) {
        header(out, "l0_simulated_upstream_calls_total", "counter", "Calls the simulated upstream answered.");
        out += "l0_simulated_upstream_calls_total " + QByteArray::number(simulatedCalls) + '\n';
    }
    return out;
}

} // namespace l0
