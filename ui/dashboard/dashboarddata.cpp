#include "dashboarddata.h"

#include "review/queuereads.h"
#include "store/experimentrules.h"

namespace l0::ui {

DashboardData loadDashboard(SqlSession &session, const RollupQuery &query, Dimension breakdown, int topN, qint64 nowMs)
{
    DashboardData d;
    d.query = query;
    d.query.groupBy = Dimension::Model;
    auto byModel = queryRollups(session, d.query);
    if (!byModel) {
        d.error = byModel.error().message;
        return d;
    }
    d.byModel = std::move(*byModel);
    d.breakdownQuery = query;
    d.breakdownQuery.grain = Grain::Total;
    d.breakdownQuery.groupBy = breakdown;
    auto b = queryRollups(session, d.breakdownQuery);
    if (!b) {
        d.error = b.error().message;
        return d;
    }
    d.breakdown = std::move(*b);
    auto top = topEntries(session, query, topN);
    if (!top) {
        d.error = top.error().message;
        return d;
    }
    d.topEntries = std::move(*top);
    auto routing = routingSavings(session, query);
    if (!routing) {
        d.error = routing.error().message;
        return d;
    }
    d.routing = std::move(*routing);
    if (auto backlog = countAwaitingReview(session))
        d.backlog = *backlog;
    static const PriceTable prices = [] {
        auto p = PriceTable::builtin();
        return p ? std::move(p.value()) : PriceTable();
    }();
    QueueHealthQuery health;
    health.sinceMs = query.fromMs;
    health.prices = &prices;
    if (auto q = queueStats(session, query.tenant, nowMs, nullptr, nullptr, &health))
        d.queue = std::move(*q);
    else
        d.queueError = q.error().message;
    auto budgets = budgetStatus(session, query.zone, nowMs, query.tenant);
    if (!budgets) {
        d.error = budgets.error().message;
        return d;
    }
    d.budgets = std::move(*budgets);
    if (auto running = runningExperiments(session)) {
        for (const Experiment &x : *running) {
            if (!query.tenant.isEmpty() && x.tenant != query.tenant)
                continue;
            auto report = loadExperimentReport(session, x.name);
            if (!report) {
                d.experimentsError = report.error().message;
                break;
            }
            d.experiments.push_back(std::move(*report));
        }
    } else {
        d.experimentsError = running.error().message;
    }
    return d;
}

} // namespace l0::ui
