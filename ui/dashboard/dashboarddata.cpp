#include "dashboarddata.h"

#include "review/queuereads.h"

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
    return d;
}

} // namespace l0::ui
