#pragma once

#include <QJsonObject>
#include <QMap>
#include <QString>

#include "core/result.h"
#include "rollup.h"
#include "store/sqlsession.h"

namespace l0 {

// What routing saved, apart from what the cache saved, from the ledger's events in a range
// (same filters as the rollups: tenant, namespace, model; tier and intent are ignored). A routed
// event (ledger_events.route set) saved its baseline (the requested model's price, for l0/auto
// the dearest candidate's) minus what was paid (every call, a cascade's rejected first answer
// included); the cache saved the baseline of each hit. Unpriced events are counted apart and
// never as $0. `l0ctl ledger report` and the dashboard both read through here.
struct RoutingSavings {
    qint64 routedRequests = 0; // answered (status 200) routed misses
    qint64 routedUnpriced = 0;
    qint64 routedBaselineMicros = 0; // priced routed events only
    qint64 routedActualMicros = 0;
    qint64 cacheHits = 0;
    qint64 cacheSavedMicros = 0; // baseline - actual over priced hits
    QMap<QString, qint64> requestsByStrategy; // fixed, learned, cascade
    QMap<QString, qint64> savedByStrategy;
    // The model mix of routed requests before routing (the model asked for) and after (the
    // model that answered).
    QMap<QString, qint64> requestedModels;
    QMap<QString, qint64> usedModels;

    qint64 routingSavedMicros() const { return routedBaselineMicros - routedActualMicros; }
};

Result<RoutingSavings> routingSavings(SqlSession &session, const RollupQuery &query);
// {"routed_requests", "routing_savings_micros", "cache_savings_micros", "by_strategy": {...},
//  "model_mix": {"requested": {...}, "used": {...}}, ...}
QJsonObject routingSavingsJson(const RoutingSavings &savings);

} // namespace l0
