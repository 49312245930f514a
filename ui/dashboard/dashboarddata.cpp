#include "dashboarddata.h"

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
    auto backlog
        = session.query(QStringLiteral("SELECT COUNT(*) FROM versions WHERE state IN ('pending', 'needs_second')"));
    if (backlog && !backlog->empty())
        d.backlog = backlog->at(0).int64(0);
    auto budgets = budgetStatus(session, query.zone, nowMs, query.tenant);
    if (!budgets) {
        d.error = budgets.error().message;
        return d;
    }
    d.budgets = std::move(*budgets);
    return d;
}

std::vector<VersionHistoryItem> loadHistory(SqlSession &session, qint64 entryId, QString *error)
{
    std::vector<VersionHistoryItem> out;
    auto rows = session.query(QStringLiteral("SELECT version, state, risk, author, decided_by, created_ms, decided_ms "
                                             "FROM versions WHERE entry_id = ? ORDER BY version"),
        { SqlSession::num(entryId) });
    if (!rows) {
        *error = rows.error().message;
        return out;
    }
    for (const auto &r : *rows)
        out.push_back(
            VersionHistoryItem { int(r.int64(0)), r.text(1), r.text(2), r.text(3), r.text(4), r.int64(5), r.int64(6) });
    return out;
}

} // namespace l0::ui
