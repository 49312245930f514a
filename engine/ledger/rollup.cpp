#include "rollup.h"

#include <QDateTime>
#include <QHash>

#include <algorithm>

namespace l0 {

namespace {

constexpr qint64 kMinute = 60'000;
constexpr qint64 kHour = 3'600'000;

qint64 floorTo(qint64 ms, qint64 step)
{
    return ms >= 0 ? ms / step * step : -((-ms + step - 1) / step) * step;
}

constexpr qint64 kQuarter = 900'000;
constexpr qint64 kDay = 86'400'000;

// The coarsest rollup that folds exactly into the zone's hours and days across the range: hours
// when every offset is whole hours, quarter hours when it is a multiple of 15 minutes (every
// zone in use today), else minutes.
qint64 foldStep(const QTimeZone &zone, qint64 fromMs, qint64 toMs)
{
    const QDateTime from = QDateTime::fromMSecsSinceEpoch(fromMs, QTimeZone::utc());
    const QDateTime to = QDateTime::fromMSecsSinceEpoch(toMs, QTimeZone::utc());
    std::vector<int> offsets { zone.offsetFromUtc(from), zone.offsetFromUtc(to) };
    for (const QTimeZone::OffsetData &t : zone.transitions(from, to))
        offsets.push_back(t.offsetFromUtc);
    qint64 step = kHour;
    for (int o : offsets) {
        if (o % 3600 != 0)
            step = std::min(step, o % 900 == 0 ? kQuarter : kMinute);
    }
    return step;
}

const char *rollupTable(qint64 step)
{
    return step == kHour ? "ledger_rollup_hour" : step == kQuarter ? "ledger_rollup_quarter" : "ledger_rollup_minute";
}

QString dimensionColumn(Dimension d)
{
    switch (d) {
    case Dimension::None:
        return QStringLiteral("''");
    case Dimension::Tenant:
        return QStringLiteral("tenant_id");
    case Dimension::Namespace:
        return QStringLiteral("namespace");
    case Dimension::Tier:
        return QStringLiteral("tier");
    case Dimension::Model:
        return QStringLiteral("model");
    case Dimension::Intent:
        return QStringLiteral("intent");
    }
    return QStringLiteral("''");
}

// WHERE clauses and parameters for the filters, over a table with the rollup column names
// (model_column differs: ledger_events calls it model_used).
void addFilters(const RollupQuery &q, const QString &modelColumn, QString *sql, std::vector<SqlSession::Value> *params)
{
    if (!q.tenant.isEmpty()) {
        *sql += QStringLiteral(" AND tenant_id = (SELECT id FROM tenants WHERE name = ?)");
        params->push_back(SqlSession::str(q.tenant));
    }
    const std::pair<const QString *, QString> columns[] = { { &q.ns, QStringLiteral("namespace") },
        { &q.tier, QStringLiteral("tier") }, { &q.model, modelColumn }, { &q.intent, QStringLiteral("intent") } };
    for (const auto &[value, column] : columns) {
        if (value->isEmpty())
            continue;
        *sql += QStringLiteral(" AND %1 = ?").arg(column);
        params->push_back(SqlSession::str(*value));
    }
}

} // namespace

const char *grainName(Grain g)
{
    switch (g) {
    case Grain::Minute:
        return "minute";
    case Grain::Hour:
        return "hour";
    case Grain::Day:
        return "day";
    case Grain::Total:
        return "total";
    }
    return "day";
}

std::optional<Grain> grainFromName(const QString &name)
{
    for (Grain g : { Grain::Minute, Grain::Hour, Grain::Day, Grain::Total }) {
        if (name == QLatin1String(grainName(g)))
            return g;
    }
    return std::nullopt;
}

const char *dimensionName(Dimension d)
{
    switch (d) {
    case Dimension::None:
        return "none";
    case Dimension::Tenant:
        return "tenant";
    case Dimension::Namespace:
        return "namespace";
    case Dimension::Tier:
        return "tier";
    case Dimension::Model:
        return "model";
    case Dimension::Intent:
        return "intent";
    }
    return "none";
}

std::optional<Dimension> dimensionFromName(const QString &name)
{
    for (Dimension d : { Dimension::None, Dimension::Tenant, Dimension::Namespace, Dimension::Tier, Dimension::Model,
             Dimension::Intent }) {
        if (name == QLatin1String(dimensionName(d)))
            return d;
    }
    return std::nullopt;
}

qint64 RollupRow::timeSavedMs() const
{
    const qint64 upstreamCalls = upstream + shadowHits;
    if (upstreamCalls == 0 || hits == 0)
        return 0;
    // latencyMs covers every request; the hits' share is what is not upstream.
    const qint64 hitLatency = latencyMs - upstreamLatencyMs;
    const qint64 saved = hits * upstreamLatencyMs / upstreamCalls - hitLatency;
    return std::max<qint64>(0, saved);
}

void RollupRow::add(const RollupRow &o)
{
    requests += o.requests;
    hits += o.hits;
    upstream += o.upstream;
    shadowHits += o.shadowHits;
    unpricedRequests += o.unpricedRequests;
    actualMicros += o.actualMicros;
    baselineMicros += o.baselineMicros;
    shadowWouldSaveMicros += o.shadowWouldSaveMicros;
    promptTokens += o.promptTokens;
    completionTokens += o.completionTokens;
    latencyMs += o.latencyMs;
    upstreamLatencyMs += o.upstreamLatencyMs;
    feeMicros += o.feeMicros;
    for (auto it = o.requestsByTier.begin(); it != o.requestsByTier.end(); ++it)
        requestsByTier[it.key()] += it.value();
}

qint64 bucketStart(qint64 ms, Grain grain, const QTimeZone &zone)
{
    switch (grain) {
    case Grain::Minute:
        return floorTo(ms, kMinute);
    case Grain::Hour: {
        // Back to the start of the local hour; each UTC instant keeps its own hour even when
        // the clock repeats one at the end of summer time.
        const QDateTime local = QDateTime::fromMSecsSinceEpoch(ms, zone);
        const QTime t = local.time();
        return ms - (qint64(t.minute()) * kMinute + qint64(t.second()) * 1000 + t.msec());
    }
    case Grain::Day:
        return QDateTime::fromMSecsSinceEpoch(ms, zone).date().startOfDay(zone).toMSecsSinceEpoch();
    case Grain::Total:
        return 0;
    }
    return ms;
}

qint64 nextBucket(qint64 bucketMs, Grain grain, const QTimeZone &zone)
{
    switch (grain) {
    case Grain::Minute:
        return bucketMs + kMinute;
    case Grain::Hour:
        return bucketMs + kHour;
    case Grain::Day:
        return QDateTime::fromMSecsSinceEpoch(bucketMs, zone).date().addDays(1).startOfDay(zone).toMSecsSinceEpoch();
    case Grain::Total:
        return bucketMs;
    }
    return bucketMs;
}

Result<RollupResult> queryRollups(SqlSession &s, const RollupQuery &query)
{
    if (!query.zone.isValid())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("unknown time zone"));
    const qint64 from = floorTo(query.fromMs, kMinute);
    const qint64 to = floorTo(query.toMs, kMinute);
    if (to < from)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("the range ends before it starts"));
    // The coarsest exact rollup in the middle, minute rollups at the ragged edges.
    struct Span {
        qint64 step, from, to;
    };
    std::vector<Span> spans;
    const qint64 step = query.grain == Grain::Total ? kHour
        : query.grain == Grain::Minute              ? kMinute
                                                    : foldStep(query.zone, from, to);
    const qint64 m1 = std::min(to, floorTo(from + step - 1, step)), m2 = std::max(m1, floorTo(to, step));
    if (step > kMinute && m2 > m1) {
        spans.push_back({ kMinute, from, m1 });
        spans.push_back({ step, m1, m2 });
        spans.push_back({ kMinute, m2, to });
    } else {
        spans.push_back({ kMinute, from, to });
    }
    const QString dim = dimensionColumn(query.groupBy);
    QHash<QString, QString> tenantNames;
    if (query.groupBy == Dimension::Tenant) {
        auto t = s.query(QStringLiteral("SELECT id, name FROM tenants"));
        if (!t)
            return t.error();
        for (const auto &row : *t)
            tenantNames.insert(row.text(0), row.text(1));
    }
    QHash<qint64, qint64> bucketOf; // rollup bucket -> zone bucket
    QMap<std::pair<qint64, QString>, RollupRow> cells;
    RollupResult result;
    for (const Span &span : spans) {
        if (span.to <= span.from)
            continue;
        QString sql
            = QStringLiteral("SELECT bucket_ms, %1, tier, shadow, SUM(requests), SUM(unpriced), "
                             "SUM(actual_micros), SUM(baseline_micros), SUM(shadow_micros), SUM(prompt_tokens), "
                             "SUM(completion_tokens), SUM(latency_ms), SUM(fee_micros) FROM %2 "
                             "WHERE bucket_ms >= ? AND bucket_ms < ?")
                  .arg(dim, QLatin1String(rollupTable(span.step)));
        std::vector<SqlSession::Value> params { SqlSession::num(span.from), SqlSession::num(span.to) };
        addFilters(query, QStringLiteral("model"), &sql, &params);
        sql += QStringLiteral(" GROUP BY bucket_ms, tier, shadow");
        if (query.groupBy != Dimension::None && query.groupBy != Dimension::Tier)
            sql += QStringLiteral(", ") + dim;
        auto rows = s.query(sql, params);
        if (!rows)
            return rows.error();
        for (const auto &r : *rows) {
            const qint64 raw = r.int64(0);
            auto b = bucketOf.find(raw);
            if (b == bucketOf.end())
                b = bucketOf.insert(
                    raw, query.grain == Grain::Total ? from : bucketStart(raw, query.grain, query.zone));
            QString group = r.text(1);
            if (query.groupBy == Dimension::Tenant)
                group = tenantNames.value(group, group);
            const QString tier = r.text(2);
            const bool shadow = r.int64(3) != 0;
            RollupRow v;
            v.requests = r.int64(4);
            v.unpricedRequests = r.int64(5);
            v.actualMicros = r.int64(6);
            v.baselineMicros = r.int64(7);
            v.shadowWouldSaveMicros = r.int64(8);
            v.promptTokens = r.int64(9);
            v.completionTokens = r.int64(10);
            v.latencyMs = r.int64(11);
            v.feeMicros = r.int64(12);
            const bool upstream = tier == QLatin1String("upstream");
            v.hits = upstream ? 0 : v.requests;
            v.upstream = upstream ? v.requests : 0;
            v.shadowHits = shadow ? v.requests : 0;
            v.upstreamLatencyMs = upstream ? v.latencyMs : 0;
            v.requestsByTier[tier] = v.requests;
            RollupRow &cell = cells[{ *b, group }];
            cell.bucketMs = *b;
            cell.group = group;
            cell.add(v);
        }
    }
    QHash<QString, qint64> groupRequests;
    for (auto it = cells.cbegin(); it != cells.cend(); ++it) {
        result.rows.push_back(*it);
        result.totals.add(*it);
        groupRequests[it->group] += it->requests;
    }
    result.totals.bucketMs = from;
    for (auto it = groupRequests.cbegin(); it != groupRequests.cend(); ++it)
        result.groups << it.key();
    std::sort(result.groups.begin(), result.groups.end(), [&](const QString &a, const QString &b) {
        return groupRequests.value(a) != groupRequests.value(b) ? groupRequests.value(a) > groupRequests.value(b)
                                                                : a < b;
    });
    if (query.grain == Grain::Total) {
        result.buckets.push_back(from);
    } else if (to > from) {
        // At most a few hundred thousand buckets: a year by minute is the limit.
        for (qint64 b = bucketStart(from, query.grain, query.zone); b < to && result.buckets.size() < 600'000;
             b = nextBucket(b, query.grain, query.zone))
            result.buckets.push_back(b);
    }
    return result;
}

QString bucketLabel(qint64 ms, const QTimeZone &zone)
{
    return QDateTime::fromMSecsSinceEpoch(ms, zone).toString(Qt::ISODate);
}

QJsonObject rollupRowJson(const RollupRow &row)
{
    QJsonObject byTier;
    for (auto it = row.requestsByTier.begin(); it != row.requestsByTier.end(); ++it)
        byTier.insert(it.key(), it.value());
    return QJsonObject { { QLatin1String("requests"), row.requests }, { QLatin1String("hits"), row.hits },
        { QLatin1String("upstream"), row.upstream }, { QLatin1String("shadow_hits"), row.shadowHits },
        { QLatin1String("hit_rate"), row.hitRate() }, { QLatin1String("actual_micros"), row.actualMicros },
        { QLatin1String("baseline_micros"), row.baselineMicros }, { QLatin1String("saved_micros"), row.savedMicros() },
        { QLatin1String("shadow_would_save_micros"), row.shadowWouldSaveMicros },
        { QLatin1String("unpriced_requests"), row.unpricedRequests },
        { QLatin1String("prompt_tokens"), row.promptTokens },
        { QLatin1String("completion_tokens"), row.completionTokens },
        { QLatin1String("time_saved_ms"), row.timeSavedMs() }, { QLatin1String("fee_micros"), row.feeMicros },
        { QLatin1String("net_saved_micros"), row.netSavedMicros() }, { QLatin1String("requests_by_tier"), byTier } };
}

QByteArray rollupCsv(const RollupResult &result, const RollupQuery &query)
{
    auto field = [](const QString &v) {
        QString s = v;
        if (s.contains(QLatin1Char(',')) || s.contains(QLatin1Char('"')) || s.contains(QLatin1Char('\n')))
            s = QLatin1Char('"') + s.replace(QLatin1Char('"'), QLatin1String("\"\"")) + QLatin1Char('"');
        return s.toUtf8();
    };
    QByteArray out
        = "bucket,group,requests,hits,upstream,shadow_hits,hit_rate,actual_micros,baseline_micros,"
          "saved_micros,shadow_would_save_micros,unpriced_requests,prompt_tokens,completion_tokens,fee_micros,"
          "net_saved_micros\n";
    auto line = [&](const RollupRow &r, qint64 bucket) {
        out += field(bucketLabel(bucket, query.zone)) + ',' + field(r.group) + ',' + QByteArray::number(r.requests)
            + ',' + QByteArray::number(r.hits) + ',' + QByteArray::number(r.upstream) + ','
            + QByteArray::number(r.shadowHits) + ',' + QByteArray::number(r.hitRate(), 'f', 4) + ','
            + QByteArray::number(r.actualMicros) + ',' + QByteArray::number(r.baselineMicros) + ','
            + QByteArray::number(r.savedMicros()) + ',' + QByteArray::number(r.shadowWouldSaveMicros) + ','
            + QByteArray::number(r.unpricedRequests) + ',' + QByteArray::number(r.promptTokens) + ','
            + QByteArray::number(r.completionTokens) + ',' + QByteArray::number(r.feeMicros) + ','
            + QByteArray::number(r.netSavedMicros()) + '\n';
    };
    if (query.grain == Grain::Total && query.groupBy == Dimension::None) {
        line(result.totals, result.totals.bucketMs);
        return out;
    }
    for (const RollupRow &r : result.rows)
        line(r, r.bucketMs);
    return out;
}

Result<std::vector<EntrySavings>> topEntries(SqlSession &s, const RollupQuery &query, int limit)
{
    const qint64 from = floorTo(query.fromMs, kMinute);
    const qint64 to = floorTo(query.toMs, kMinute);
    // Whole UTC days from the entry-day rollups, the ragged ends from the raw hits.
    const qint64 d1 = std::min(to, floorTo(from + kDay - 1, kDay)), d2 = std::max(d1, floorTo(to, kDay));
    QHash<qint64, EntrySavings> byEntry;
    auto run = [&](QString sql, std::vector<SqlSession::Value> params, const QString &modelColumn) -> Status {
        addFilters(query, modelColumn, &sql, &params);
        sql += QStringLiteral(" GROUP BY entry_id");
        auto rows = s.query(sql, params);
        if (!rows)
            return rows.error();
        for (const auto &r : *rows) {
            EntrySavings &e = byEntry[r.int64(0)];
            e.entryId = r.int64(0);
            e.hits += r.int64(1);
            e.savedMicros += r.int64(2);
            e.unpricedHits += r.int64(3);
            if (e.intent.isEmpty())
                e.intent = r.text(4);
        }
        return {};
    };
    const QString raw = QStringLiteral(
        "SELECT entry_id, COUNT(*), "
        "SUM(CASE WHEN actual_micros IS NOT NULL AND baseline_micros IS NOT NULL THEN baseline_micros - actual_micros "
        "ELSE 0 END), "
        "SUM(CASE WHEN actual_micros IS NULL OR baseline_micros IS NULL THEN 1 ELSE 0 END), MAX(intent) "
        "FROM ledger_events WHERE entry_id IS NOT NULL AND tier <> 'upstream' AND ts_ms >= ? AND ts_ms < ?");
    if (d2 > d1) {
        for (const auto &[a, b] : { std::pair { from, d1 }, std::pair { d2, to } }) {
            if (b > a) {
                if (auto st = run(raw, { SqlSession::num(a), SqlSession::num(b) }, QStringLiteral("model_used")); !st)
                    return st.error();
            }
        }
        if (auto st = run(QStringLiteral("SELECT entry_id, SUM(hits), SUM(saved_micros), SUM(unpriced), MAX(intent) "
                                         "FROM ledger_rollup_entry_day WHERE day_ms >= ? AND day_ms < ?"),
                { SqlSession::num(d1), SqlSession::num(d2) }, QStringLiteral("model"));
            !st)
            return st.error();
    } else if (to > from) {
        if (auto st = run(raw, { SqlSession::num(from), SqlSession::num(to) }, QStringLiteral("model_used")); !st)
            return st.error();
    }
    std::vector<EntrySavings> out;
    out.reserve(size_t(byEntry.size()));
    for (const EntrySavings &e : std::as_const(byEntry))
        out.push_back(e);
    std::sort(out.begin(), out.end(), [](const EntrySavings &a, const EntrySavings &b) {
        if (a.savedMicros != b.savedMicros)
            return a.savedMicros > b.savedMicros;
        if (a.hits != b.hits)
            return a.hits > b.hits;
        return a.entryId < b.entryId;
    });
    if (out.size() > size_t(std::max(0, limit)))
        out.resize(size_t(std::max(0, limit)));
    for (EntrySavings &e : out) {
        auto info = s.query(QStringLiteral("SELECT t.name, e.tier, "
                                           "(SELECT query FROM entry_queries WHERE entry_id = e.id LIMIT 1) "
                                           "FROM entries e JOIN tenants t ON t.id = e.tenant_id WHERE e.id = ?"),
            { SqlSession::num(e.entryId) });
        if (info && !info->empty()) {
            e.tenant = info->at(0).text(0);
            e.tier = info->at(0).text(1);
            e.query = info->at(0).text(2);
        }
    }
    return out;
}

} // namespace l0
