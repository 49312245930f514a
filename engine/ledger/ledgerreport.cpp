#include "ledgerreport.h"

#include <QJsonArray>

namespace l0 {

QJsonObject ledgerReportJson(const RollupQuery &q, const RollupResult &r, const std::vector<EntrySavings> *entries)
{
    const RollupRow &t = r.totals;
    QJsonObject o = rollupRowJson(t);
    o.insert(QLatin1String("since"), bucketLabel(q.fromMs / 60'000 * 60'000, q.zone));
    o.insert(QLatin1String("until"), bucketLabel(q.toMs / 60'000 * 60'000, q.zone));
    o.insert(QLatin1String("zone"), QString::fromUtf8(q.zone.id()));
    o.insert(QLatin1String("bucket"), QLatin1String(grainName(q.grain)));
    o.insert(QLatin1String("group_by"), QLatin1String(dimensionName(q.groupBy)));
    // The same fees seen from the operator's side: what the per-hit fees brought in.
    o.insert(QLatin1String("fee_revenue_micros"), t.feeMicros);
    if (q.grain != Grain::Total || q.groupBy != Dimension::None) {
        QJsonArray rows;
        for (const RollupRow &row : r.rows) {
            QJsonObject ro = rollupRowJson(row);
            ro.insert(QLatin1String("bucket"), bucketLabel(row.bucketMs, q.zone));
            ro.insert(QLatin1String("group"), row.group);
            rows.append(ro);
        }
        o.insert(QLatin1String("rows"), rows);
    }
    if (entries) {
        QJsonArray list;
        for (const EntrySavings &e : *entries)
            list.append(QJsonObject { { QLatin1String("entry"), e.entryId }, { QLatin1String("tenant"), e.tenant },
                { QLatin1String("tier"), e.tier }, { QLatin1String("intent"), e.intent },
                { QLatin1String("query"), e.query }, { QLatin1String("hits"), e.hits },
                { QLatin1String("saved_micros"), e.savedMicros }, { QLatin1String("unpriced_hits"), e.unpricedHits } });
        o.insert(QLatin1String("top_entries"), list);
    }
    return o;
}

} // namespace l0
