#pragma once

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QTimeZone>

#include <optional>
#include <vector>

#include "core/result.h"
#include "store/sqlsession.h"

namespace l0 {

// Savings over time, read from the ledger rollups (per UTC minute and hour, kept by the
// store in the same transaction as the events). Buckets are cut in an explicit time zone, so
// a day is the zone's calendar day, 23 or 25 hours long across a DST change. Ranges are at
// minute resolution: from and to are floored to whole minutes. The dashboard and
// `l0ctl ledger report` both read through here, so they always show the same numbers.
enum class Grain { Minute, Hour, Day, Total };
const char *grainName(Grain g);
std::optional<Grain> grainFromName(const QString &name);

enum class Dimension { None, Tenant, Namespace, Tier, Model, Intent };
const char *dimensionName(Dimension d);
std::optional<Dimension> dimensionFromName(const QString &name);

struct RollupQuery {
    qint64 fromMs = 0; // inclusive
    qint64 toMs = 0; // exclusive
    QTimeZone zone = QTimeZone::utc();
    Grain grain = Grain::Day;
    Dimension groupBy = Dimension::None;
    // Filters; empty: all.
    QString tenant, ns, tier, model, intent;
};

struct RollupRow {
    qint64 bucketMs = 0; // start of the bucket (UTC ms); the range's start for Grain::Total
    QString group; // the value of the grouping dimension; empty without one
    qint64 requests = 0;
    qint64 hits = 0; // served from a cache tier (not shadow)
    qint64 upstream = 0;
    qint64 shadowHits = 0; // answered upstream, but the cache would have answered
    qint64 unpricedRequests = 0; // a model without a price: never counted as $0
    qint64 actualMicros = 0; // priced requests only
    qint64 baselineMicros = 0; // what the priced requests would have cost without the cache
    qint64 shadowWouldSaveMicros = 0;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 latencyMs = 0; // sum
    qint64 upstreamLatencyMs = 0; // sum over upstream requests
    // The operator's per-hit fees charged on these requests' hits: a cost to the tenant, the
    // operator's revenue, apart from model costs.
    qint64 feeMicros = 0;
    QMap<QString, qint64> requestsByTier;

    qint64 savedMicros() const { return baselineMicros - actualMicros; }
    // What the tenant saved once the operator's fees are paid.
    qint64 netSavedMicros() const { return savedMicros() - feeMicros; }
    double hitRate() const { return requests ? double(hits) / double(requests) : 0.0; }
    // Time saved: hits times the mean upstream latency of the same rows, minus the hits' own time.
    qint64 timeSavedMs() const;
    void add(const RollupRow &o);
};

struct RollupResult {
    std::vector<qint64> buckets; // every bucket start in the range, empty ones included
    std::vector<RollupRow> rows; // non-empty (bucket, group) cells, by bucket then group
    RollupRow totals;
    QStringList groups; // distinct group values, by requests, most first
};

Result<RollupResult> queryRollups(SqlSession &session, const RollupQuery &query);

// The bucket of a UTC instant in the zone.
qint64 bucketStart(qint64 ms, Grain grain, const QTimeZone &zone);
qint64 nextBucket(qint64 bucketMs, Grain grain, const QTimeZone &zone);

// One line per non-empty (bucket, group) cell, or the totals for Grain::Total; buckets as
// ISO 8601 with the zone's offset. The dashboard's "Export CSV" and `l0ctl ledger report
// --csv` both write this.
QByteArray rollupCsv(const RollupResult &result, const RollupQuery &query);
QJsonObject rollupRowJson(const RollupRow &row);
QString bucketLabel(qint64 ms, const QTimeZone &zone);

struct EntrySavings {
    qint64 entryId = 0;
    QString tenant;
    QString tier;
    QString intent;
    QString query; // a query that mapped to the entry
    qint64 hits = 0;
    qint64 savedMicros = 0;
    qint64 unpricedHits = 0;
};

// The entries that saved most in the range (raw hit events; same filters).
Result<std::vector<EntrySavings>> topEntries(SqlSession &session, const RollupQuery &query, int limit);

} // namespace l0
