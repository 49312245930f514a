#include "queuereads.h"

#include <QStringList>

namespace l0 {

namespace {

// The lane's models with a price, as a small VALUES table ("WITH p (model, pin, pout)") and its
// parameters. A typed first row matches no model: an empty table is not valid SQL.
Result<QString> priceTable(
    SqlSession &s, const QString &state, const PriceTable &prices, std::vector<SqlSession::Value> *params)
{
    auto models = s.query(QStringLiteral("SELECT DISTINCT e.model FROM versions v JOIN entries e ON e.id = "
                                         "v.entry_id WHERE v.state = ? UNION SELECT DISTINCT model_used FROM "
                                         "versions WHERE state = ?"),
        { SqlSession::str(state), SqlSession::str(state) });
    if (!models)
        return models.error();
    QStringList rows { QStringLiteral("(CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT))") };
    params->insert(params->end(), { SqlSession::str(QStringLiteral(" none")), SqlSession::num(0), SqlSession::num(0) });
    for (const auto &m : *models) {
        if (const auto p = prices.priceFor(m.text(0))) {
            rows << QStringLiteral("(?, ?, ?)");
            params->insert(params->end(),
                { SqlSession::str(m.text(0)), SqlSession::num(p->inputPerMillion),
                    SqlSession::num(p->outputPerMillion) });
        }
    }
    return QStringLiteral("WITH p (model, pin, pout) AS (VALUES %1) ").arg(rows.join(QStringLiteral(", ")));
}

} // namespace

Result<std::vector<VersionRef>> rankQueue(
    SqlSession &s, VersionState state, QueueRank order, int limit, const PriceTable &prices)
{
    const QString stateName = QString::fromLatin1(versionStateName(state));
    QString orderBy;
    std::vector<SqlSession::Value> params;
    QString with;
    QString joins;
    switch (order) {
    case QueueRank::WouldSave: {
        auto table = priceTable(s, stateName, prices, &params);
        if (!table)
            return table.error();
        with = *table;
        joins = QStringLiteral(" LEFT JOIN p pr ON pr.model = e.model LEFT JOIN p pu ON pu.model = v.model_used");
        // The requested model's price, else the one that answered; unpriced last.
        const QString pin = QStringLiteral("CASE WHEN pr.model IS NOT NULL THEN pr.pin ELSE pu.pin END");
        const QString pout = QStringLiteral("CASE WHEN pr.model IS NOT NULL THEN pr.pout ELSE pu.pout END");
        orderBy = QStringLiteral("CASE WHEN pr.model IS NULL AND pu.model IS NULL THEN 1 ELSE 0 END, "
                                 "e.demand * ((v.prompt_tokens * %1 + 500000) / 1000000 + "
                                 "(v.completion_tokens * %2 + 500000) / 1000000) DESC, ")
                      .arg(pin, pout);
        break;
    }
    case QueueRank::Newest:
        orderBy = QStringLiteral("v.created_ms DESC, ");
        break;
    case QueueRank::Risk:
        orderBy = QStringLiteral("CASE v.risk WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, ");
        break;
    }
    params.push_back(SqlSession::str(stateName));
    params.push_back(SqlSession::num(limit));
    auto rows = s.query(with
            + QStringLiteral("SELECT v.entry_id, v.version FROM versions v JOIN entries e ON e.id = v.entry_id%1 "
                             "WHERE v.state = ? ORDER BY %2e.demand DESC, v.created_ms, v.entry_id, v.version LIMIT ?")
                  .arg(joins, orderBy),
        params);
    if (!rows)
        return rows.error();
    std::vector<VersionRef> out;
    out.reserve(rows->size());
    for (const auto &r : *rows)
        out.push_back(VersionRef { r.int64(0), int(r.int64(1)) });
    return out;
}

Result<qint64> countInState(SqlSession &s, VersionState state)
{
    auto count = s.query(QStringLiteral("SELECT COUNT(*) FROM versions WHERE state = ?"),
        { SqlSession::str(QString::fromLatin1(versionStateName(state))) });
    if (!count)
        return count.error();
    return count->empty() ? 0 : count->at(0).int64(0);
}

Result<qint64> countAwaitingReview(SqlSession &s)
{
    auto count = s.query(QStringLiteral("SELECT COUNT(*) FROM versions WHERE state IN ('pending', 'needs_second')"));
    if (!count)
        return count.error();
    return count->empty() ? 0 : count->at(0).int64(0);
}

Result<QueueStats> queueStats(
    SqlSession &s, const QString &tenant, qint64 nowMs, std::vector<QueueStats> *perTenant, const QString *ns)
{
    std::vector<SqlSession::Value> params { SqlSession::num(nowMs) };
    QStringList conditions;
    if (!tenant.isEmpty()) {
        conditions << QStringLiteral("t.name = ?");
        params.push_back(SqlSession::str(tenant));
    }
    if (ns) {
        conditions << QStringLiteral("e.namespace = ?");
        params.push_back(SqlSession::str(*ns));
    }
    const QString where
        = conditions.isEmpty() ? QString() : QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));
    auto rows = s.query(QStringLiteral("SELECT t.name, v.state, v.risk, COUNT(*), MIN(v.created_ms), "
                                       "SUM(CASE WHEN v.claimed_by IS NOT NULL AND v.claim_expires_ms > ? THEN 1 "
                                       "ELSE 0 END) FROM versions v JOIN entries e ON e.id = v.entry_id JOIN "
                                       "tenants t ON t.id = e.tenant_id%1 GROUP BY t.name, v.state, v.risk "
                                       "ORDER BY t.name")
                            .arg(where),
        params);
    if (!rows)
        return rows.error();
    const auto blank = [](const QString &name) {
        QueueStats q;
        q.tenant = name;
        for (VersionState st : { VersionState::Pending, VersionState::NeedsSecond, VersionState::Approved,
                 VersionState::Rejected, VersionState::Revoked, VersionState::Expired })
            q.byState.insert(QString::fromLatin1(versionStateName(st)), 0);
        for (const char *risk : { "low", "medium", "high" })
            q.awaitingByRisk.insert(QLatin1String(risk), 0);
        return q;
    };
    const auto add
        = [](QueueStats &q, const QString &state, const QString &risk, qint64 count, qint64 oldest, qint64 claimed) {
              q.byState[state] += count;
              if (state != QLatin1String("pending") && state != QLatin1String("needs_second"))
                  return;
              q.awaiting += count;
              q.awaitingByRisk[risk] += count;
              q.claimed += claimed;
              if (!q.oldestAwaitingMs || oldest < *q.oldestAwaitingMs)
                  q.oldestAwaitingMs = oldest;
          };
    QueueStats total = blank(tenant);
    for (const auto &r : *rows) {
        const QString name = r.text(0), state = r.text(1), risk = r.text(2);
        const qint64 count = r.int64(3), oldest = r.int64(4), claimed = r.int64(5);
        add(total, state, risk, count, oldest, claimed);
        if (!perTenant)
            continue;
        if (perTenant->empty() || perTenant->back().tenant != name)
            perTenant->push_back(blank(name));
        add(perTenant->back(), state, risk, count, oldest, claimed);
    }
    return total;
}

} // namespace l0
