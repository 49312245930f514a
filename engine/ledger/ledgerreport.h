#pragma once

#include <QJsonObject>

#include <vector>

#include "rollup.h"

namespace l0 {

// A ledger report as JSON: the range's totals (rollupRowJson), the range, zone, bucket and
// grouping, what per-hit fees brought in, one row per non-empty (bucket, group) cell when
// bucketed or grouped, and the top entries when asked for (topEntries not null). `l0ctl ledger report --json`
// prints it and the MCP server's savings_report returns it, so both always say the same.
QJsonObject ledgerReportJson(
    const RollupQuery &query, const RollupResult &result, const std::vector<EntrySavings> *topEntries = nullptr);

} // namespace l0
