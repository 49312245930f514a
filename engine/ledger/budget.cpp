#include "budget.h"

#include <QDateTime>
#include <QRegularExpression>

#include "rollup.h"

namespace l0 {

const char *budgetLevelName(BudgetStatus::Level level)
{
    switch (level) {
    case BudgetStatus::Level::Ok:
        return "ok";
    case BudgetStatus::Level::Warning:
        return "warning";
    case BudgetStatus::Level::Over:
        return "over";
    }
    return "ok";
}

std::optional<qint64> parseDollars(const QString &text)
{
    QString t = text.trimmed();
    if (t.startsWith(QLatin1Char('$')))
        t = t.mid(1);
    t.remove(QLatin1Char(','));
    static const QRegularExpression re(QStringLiteral("^(\\d{1,12})(?:\\.(\\d{1,6}))?$"));
    const auto m = re.match(t);
    if (!m.hasMatch())
        return std::nullopt;
    const qint64 whole = m.captured(1).toLongLong();
    const QString frac = m.captured(2).leftJustified(6, QLatin1Char('0'));
    return whole * 1'000'000 + frac.toLongLong();
}

Status setTenantBudget(SqlSession &s, const QString &tenant, std::optional<qint64> monthlyMicros)
{
    if (monthlyMicros && *monthlyMicros <= 0)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a budget is a positive amount (or none)"));
    auto found = s.query(QStringLiteral("SELECT id FROM tenants WHERE name = ?"), { SqlSession::str(tenant) });
    if (!found)
        return found.error();
    if (found->empty())
        return makeError(ErrorCode::NotFound, QStringLiteral("no tenant named %1").arg(tenant));
    auto u = s.query(QStringLiteral("UPDATE tenants SET monthly_budget_micros = ? WHERE name = ?"),
        { monthlyMicros ? SqlSession::num(*monthlyMicros) : SqlSession::Value(), SqlSession::str(tenant) });
    if (!u)
        return u.error();
    return {};
}

Status setTenantLimits(SqlSession &s, const QString &tenant, const TenantLimits &limits)
{
    const auto sane = [](const std::optional<qint64> &v) { return !v || (*v > 0 && *v <= kMaxPerMinuteLimit); };
    if (!sane(limits.requestsPerMinute) || !sane(limits.tokensPerMinute))
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("a per-minute limit is a whole number from 1 to %1 (or none)").arg(kMaxPerMinuteLimit));
    if (limits.staleGraceMs < 0)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a stale grace is a duration (0 for none)"));
    const auto opt = [](const std::optional<qint64> &v) { return v ? SqlSession::num(*v) : SqlSession::Value(); };
    auto u = s.execute(QStringLiteral("UPDATE tenants SET rpm_limit = ?, tpm_limit = ?, budget_hard = ?, "
                                      "stale_grace_ms = ? WHERE name = ?"),
        { opt(limits.requestsPerMinute), opt(limits.tokensPerMinute), SqlSession::num(limits.hardBudget ? 1 : 0),
            SqlSession::num(limits.staleGraceMs), SqlSession::str(tenant) });
    if (!u)
        return u.error();
    if (*u == 0)
        return makeError(ErrorCode::NotFound, QStringLiteral("no tenant named %1").arg(tenant));
    return {};
}

Status setTenantResponseRetention(SqlSession &s, const QString &tenant, std::optional<qint64> retentionMs)
{
    if (retentionMs && *retentionMs < 0)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a retention is a duration (0: keep none)"));
    auto u = s.execute(QStringLiteral("UPDATE tenants SET response_retention_ms = ? WHERE name = ?"),
        { retentionMs ? SqlSession::num(*retentionMs) : SqlSession::Value(), SqlSession::str(tenant) });
    if (!u)
        return u.error();
    if (*u == 0)
        return makeError(ErrorCode::NotFound, QStringLiteral("no tenant named %1").arg(tenant));
    return {};
}

Status setTenantHitFee(SqlSession &s, const QString &tenant, qint64 feeMicros)
{
    if (feeMicros < 0 || feeMicros > 1'000'000)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a per-hit fee is from $0 to $1"));
    auto u = s.execute(QStringLiteral("UPDATE tenants SET hit_fee_micros = ? WHERE name = ?"),
        { SqlSession::num(feeMicros), SqlSession::str(tenant) });
    if (!u)
        return u.error();
    if (*u == 0)
        return makeError(ErrorCode::NotFound, QStringLiteral("no tenant named %1").arg(tenant));
    return {};
}

Result<std::vector<BudgetStatus>> budgetStatus(
    SqlSession &s, const QTimeZone &zone, qint64 nowMs, const QString &tenant)
{
    auto budgets = s.query(QStringLiteral("SELECT name, monthly_budget_micros FROM tenants WHERE "
                                          "monthly_budget_micros IS NOT NULL AND (? = '' OR name = ?) ORDER BY name"),
        { SqlSession::str(tenant), SqlSession::str(tenant) });
    if (!budgets)
        return budgets.error();
    std::vector<BudgetStatus> out;
    if (budgets->empty())
        return out;
    // This month in the zone: from its first midnight to the next month's.
    const QDate today = QDateTime::fromMSecsSinceEpoch(nowMs, zone).date();
    const QDate first(today.year(), today.month(), 1);
    const qint64 monthStart = QDateTime(first, QTime(0, 0), zone).toMSecsSinceEpoch();
    const qint64 monthEnd = QDateTime(first.addMonths(1), QTime(0, 0), zone).toMSecsSinceEpoch();
    RollupQuery q;
    q.fromMs = monthStart;
    q.toMs = (nowMs / 60'000 + 1) * 60'000; // through the current minute
    q.zone = zone;
    q.grain = Grain::Total;
    q.groupBy = Dimension::Tenant;
    auto spent = queryRollups(s, q);
    if (!spent)
        return spent.error();
    const qint64 elapsed = nowMs - monthStart;
    for (const auto &b : *budgets) {
        BudgetStatus st;
        st.tenant = b.text(0);
        st.budgetMicros = b.int64(1);
        st.monthStartMs = monthStart;
        st.monthEndMs = monthEnd;
        for (const RollupRow &r : spent->rows) {
            if (r.group == st.tenant) {
                st.spentMicros += r.actualMicros;
                st.unpricedRequests += r.unpricedRequests;
            }
        }
        if (elapsed >= 86'400'000)
            st.projectedMicros = qint64((__int128(st.spentMicros) * (monthEnd - monthStart)) / elapsed);
        st.level = st.spentMicros >= st.budgetMicros ? BudgetStatus::Level::Over
            : (st.spentMicros * 5 >= st.budgetMicros * 4
                  || (st.projectedMicros && *st.projectedMicros > st.budgetMicros))
            ? BudgetStatus::Level::Warning
            : BudgetStatus::Level::Ok;
        out.push_back(std::move(st));
    }
    return out;
}

} // namespace l0
