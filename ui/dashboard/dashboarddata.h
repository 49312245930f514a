#pragma once

#include <QMetaType>
#include <QString>
#include <QStringList>

#include <vector>

#include "ledger/budget.h"
#include "ledger/experimentreport.h"
#include "ledger/rollup.h"
#include "ledger/routingreport.h"
#include "review/queuereads.h"

namespace l0::ui {

// Everything the dashboard shows for one range and filter, read off the GUI thread.
struct DashboardData {
    quint64 generation = 0; // which request this answers
    RollupQuery query; // grouped by model: the charts
    RollupResult byModel;
    RollupQuery breakdownQuery; // the whole range, grouped as the user chose
    RollupResult breakdown;
    std::vector<EntrySavings> topEntries;
    qint64 backlog = 0; // versions waiting for a review
    // The queue's health (queueStats with health, the numbers `l0ctl queue stats` prints) for the
    // tenant filter; decisions count from the range's start to now. Unset when unreadable
    // (queueError says why); the rest of the dashboard stands without it.
    std::optional<QueueStats> queue;
    QString queueError;
    std::vector<BudgetStatus> budgets; // this month, in the query's zone; the tenant filter applies
    RoutingSavings routing; // routing savings apart from the cache's, and the routed model mix
    // The running experiments (of the tenant filter's tenant, if any), each with its report;
    // experimentsError says why they could not be read (the rest stands without them).
    std::vector<ExperimentReport> experiments;
    QString experimentsError;
    QString error; // non-empty: nothing else is valid
};

// Reads DashboardData through the engine: the same queries `l0ctl ledger report` runs.
DashboardData loadDashboard(SqlSession &session, const RollupQuery &query, Dimension breakdown, int topN, qint64 nowMs);

} // namespace l0::ui

Q_DECLARE_METATYPE(l0::ui::DashboardData)
Q_DECLARE_METATYPE(l0::RollupQuery)
