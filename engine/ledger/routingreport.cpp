#include "routingreport.h"

namespace l0 {

namespace {

QJsonObject counts(const QMap<QString, qint64> &m)
{
    QJsonObject o;
    for (auto it = m.begin(); it != m.end(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

} // namespace

Result<RoutingSavings> routingSavings(SqlSession &s, const RollupQuery &q)
{
    using S = SqlSession;
    // Filters as the rollups take them; the tenant by name.
    const QString where = QStringLiteral(
        " FROM ledger_events l LEFT JOIN tenants t ON t.id = l.tenant_id WHERE l.ts_ms >= ? AND l.ts_ms < ? "
        "AND (? = '' OR t.name = ?) AND (? = '' OR l.namespace = ?) AND (? = '' OR l.model_requested = ? OR "
        "l.model_used = ?) AND l.status = 200 AND l.shadow_hit = 0");
    const std::vector<S::Value> params { S::num(q.fromMs / 60'000 * 60'000), S::num(q.toMs / 60'000 * 60'000),
        S::str(q.tenant), S::str(q.tenant), S::str(q.ns), S::str(q.ns), S::str(q.model), S::str(q.model),
        S::str(q.model) };
    RoutingSavings out;
    const QString priced = QStringLiteral("l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL");
    auto routed = s.query(QStringLiteral("SELECT l.route, l.model_requested, l.model_used, COUNT(*), "
                                         "SUM(CASE WHEN %1 THEN 0 ELSE 1 END), "
                                         "SUM(CASE WHEN %1 THEN l.baseline_micros ELSE 0 END), "
                                         "SUM(CASE WHEN %1 THEN l.actual_micros ELSE 0 END)")
                              .arg(priced)
            + where + QStringLiteral(" AND l.route <> '' AND l.tier = 'upstream' GROUP BY 1, 2, 3"),
        params);
    if (!routed)
        return routed.error();
    for (const S::Row &r : *routed) {
        const qint64 n = r.int64(3);
        out.routedRequests += n;
        out.routedUnpriced += r.int64(4);
        out.routedBaselineMicros += r.int64(5);
        out.routedActualMicros += r.int64(6);
        out.requestsByStrategy[r.text(0)] += n;
        out.savedByStrategy[r.text(0)] += r.int64(5) - r.int64(6);
        out.requestedModels[r.text(1)] += n;
        out.usedModels[r.text(2)] += n;
    }
    auto hits = s.query(QStringLiteral("SELECT COUNT(*), SUM(CASE WHEN %1 THEN l.baseline_micros - l.actual_micros "
                                       "ELSE 0 END)")
                            .arg(priced)
            + where + QStringLiteral(" AND l.tier <> 'upstream'"),
        params);
    if (!hits)
        return hits.error();
    if (!hits->empty()) {
        out.cacheHits = hits->at(0).int64(0);
        out.cacheSavedMicros = hits->at(0).int64(1);
    }
    return out;
}

QJsonObject routingSavingsJson(const RoutingSavings &r)
{
    QJsonObject byStrategy;
    for (auto it = r.requestsByStrategy.begin(); it != r.requestsByStrategy.end(); ++it)
        byStrategy.insert(it.key(),
            QJsonObject { { QLatin1String("requests"), it.value() },
                { QLatin1String("saved_micros"), r.savedByStrategy.value(it.key()) } });
    return QJsonObject { { QLatin1String("routed_requests"), r.routedRequests },
        { QLatin1String("routed_unpriced"), r.routedUnpriced },
        { QLatin1String("routed_baseline_micros"), r.routedBaselineMicros },
        { QLatin1String("routed_actual_micros"), r.routedActualMicros },
        { QLatin1String("routing_savings_micros"), r.routingSavedMicros() },
        { QLatin1String("cache_hits"), r.cacheHits }, { QLatin1String("cache_savings_micros"), r.cacheSavedMicros },
        { QLatin1String("by_strategy"), byStrategy },
        { QLatin1String("model_mix"),
            QJsonObject { { QLatin1String("requested"), counts(r.requestedModels) },
                { QLatin1String("used"), counts(r.usedModels) } } } };
}

} // namespace l0
