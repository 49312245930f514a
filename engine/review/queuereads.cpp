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

} // namespace l0
