#pragma once

#include <QString>
#include <QTimeZone>

#include <optional>
#include <vector>

#include "core/result.h"
#include "core/tenant.h"
#include "store/sqlsession.h"

namespace l0 {

// Monthly budgets per tenant: what was spent since the first of the month (in an explicit time
// zone) against the budget, and where this month's pace leads. Spend is the actual cost of
// priced requests from the ledger rollups; requests to unpriced models are counted apart,
// because their cost is unknown, not zero.
struct BudgetStatus {
    enum class Level { Ok, Warning, Over };
    QString tenant;
    qint64 budgetMicros = 0;
    qint64 spentMicros = 0;
    // Spend at this month's pace by its end; unset in the month's first day (too little to go on).
    std::optional<qint64> projectedMicros;
    qint64 unpricedRequests = 0;
    qint64 monthStartMs = 0;
    qint64 monthEndMs = 0;
    // Over: spent the budget. Warning: 80 % spent, or on course to pass it.
    Level level = Level::Ok;
};

// Sets (micros > 0) or clears (nullopt) a tenant's monthly budget. NotFound for no such tenant.
Status setTenantBudget(SqlSession &session, const QString &tenant, std::optional<qint64> monthlyMicros);
// Sets all of a tenant's limits at once (read them first to change one). NotFound for no such
// tenant; InvalidArgument for a limit that is not positive.
Status setTenantLimits(SqlSession &session, const QString &tenant, const TenantLimits &limits);
// How long the node keeps the tenant's Responses API responses (unset: the node's default;
// 0: none). NotFound for no such tenant.
Status setTenantResponseRetention(SqlSession &session, const QString &tenant, std::optional<qint64> retentionMs);
// The operator's fee per cache hit for a tenant (micro-dollars; 0: none). At most $1 a hit.
Status setTenantHitFee(SqlSession &session, const QString &tenant, qint64 feeMicros);
// Every tenant with a budget (or only `tenant`), as of nowMs.
Result<std::vector<BudgetStatus>> budgetStatus(
    SqlSession &session, const QTimeZone &zone, qint64 nowMs, const QString &tenant = QString());
const char *budgetLevelName(BudgetStatus::Level level);

// "250", "250.5", "$1,000.25", "0.000001": dollars to micro-dollars, exactly (no floating point);
// nullopt for anything else, negative amounts, or more than six decimals.
std::optional<qint64> parseDollars(const QString &text);

} // namespace l0
