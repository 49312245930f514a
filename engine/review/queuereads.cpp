#include "queuereads.h"

#include <QDateTime>
#include <QHash>
#include <QSet>
#include <QStringList>

#include <algorithm>

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

DurationStats durations(std::vector<qint64> ms)
{
    DurationStats d;
    if (ms.empty())
        return d;
    std::sort(ms.begin(), ms.end());
    const auto rank = [&](int percent) {
        // Nearest rank: the smallest value with at least `percent` % of the values at or below it.
        const size_t n = ms.size();
        const size_t at = std::max<size_t>(1, (n * size_t(percent) + 99) / 100);
        return ms[std::min(at, n) - 1];
    };
    d.count = qint64(ms.size());
    d.p50Ms = rank(50);
    d.p95Ms = rank(95);
    d.maxMs = ms.back();
    return d;
}

QString utcDay(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).date().toString(Qt::ISODate);
}

// The health figures over the same tenant and namespace conditions as the counts.
Status fillHealth(SqlSession &s, const QString &where, const std::vector<SqlSession::Value> &scope, qint64 nowMs,
    const QueueHealthQuery &q, QueueHealth &h)
{
    using S = SqlSession;
    h.sinceMs = q.sinceMs;
    h.nowMs = nowMs;
    const QString from = QStringLiteral(" JOIN entries e ON e.id = v.entry_id JOIN tenants t ON t.id = e.tenant_id");
    const QString and_ = where.isEmpty() ? QStringLiteral(" WHERE ") : where + QStringLiteral(" AND ");
    const auto withScope = [&](std::vector<S::Value> extra) {
        std::vector<S::Value> p = scope;
        p.insert(p.end(), extra.begin(), extra.end());
        return p;
    };

    // The backlog's ages, by lane; and per entry what its most valuable waiting version saves.
    auto waiting = s.query(QStringLiteral("SELECT v.state, v.created_ms, v.entry_id, e.demand, e.model, v.model_used, "
                                          "v.prompt_tokens, v.completion_tokens FROM versions v")
            + from + and_ + QStringLiteral("v.state IN ('pending', 'needs_second')"),
        scope);
    if (!waiting)
        return waiting.error();
    QHash<QString, std::vector<qint64>> ages;
    QHash<qint64, std::optional<qint64>> entrySave; // nullopt: no waiting version of it is priced
    for (const auto &r : *waiting) {
        const qint64 age = std::max<qint64>(0, nowMs - r.int64(1));
        ages[r.text(0)].push_back(age);
        ages[QStringLiteral("awaiting")].push_back(age);
        std::optional<qint64> once;
        if (q.prices) {
            const TokenUsage usage { r.int64(6), r.int64(7) };
            once = q.prices->cost(r.text(4), usage);
            if (!once)
                once = q.prices->cost(r.text(5), usage);
        }
        auto &best = entrySave[r.int64(2)];
        if (once && (!best || *once * r.int64(3) > *best))
            best = *once * r.int64(3);
    }
    for (const char *lane : { "pending", "needs_second", "awaiting" })
        h.backlogAge.insert(QLatin1String(lane), durations(ages.value(QLatin1String(lane))));
    for (auto it = entrySave.cbegin(); it != entrySave.cend(); ++it) {
        if (*it)
            h.wouldSaveMicros += **it;
        else
            ++h.unpricedEntries;
    }

    // Demand that waits: entries with a waiting version and none approved, of all entries.
    auto demand = s.query(QStringLiteral("SELECT SUM(e.demand), SUM(CASE WHEN EXISTS (SELECT 1 FROM versions v WHERE "
                                         "v.entry_id = e.id AND v.state IN ('pending', 'needs_second')) AND NOT "
                                         "EXISTS (SELECT 1 FROM versions v WHERE v.entry_id = e.id AND v.state = "
                                         "'approved') THEN e.demand ELSE 0 END) FROM entries e JOIN tenants t ON "
                                         "t.id = e.tenant_id")
            + where,
        scope);
    if (!demand)
        return demand.error();
    if (!demand->empty()) {
        h.demandTotal = demand->at(0).int64(0);
        h.demandWaiting = demand->at(0).int64(1);
    }

    // Filed → decided, and filed → first served, for versions decided in the window. A veto or
    // an approval is a decision; an approval later superseded or expired still was one.
    auto decided = s.query(QStringLiteral("SELECT v.state, v.created_ms, v.decided_ms, v.reason, (SELECT MIN(l.ts_ms) "
                                          "FROM ledger_events l WHERE l.entry_id = v.entry_id AND l.tier <> "
                                          "'upstream' AND l.shadow_hit = 0 AND l.ts_ms >= v.decided_ms) FROM "
                                          "versions v")
            + from + and_
            + QStringLiteral("v.decided_ms IS NOT NULL AND v.decided_ms >= ? AND v.decided_ms <= ? AND v.state IN "
                             "('approved', 'rejected', 'revoked', 'expired')"),
        withScope({ S::num(q.sinceMs), S::num(nowMs) }));
    if (!decided)
        return decided.error();
    std::vector<qint64> toDecision, toServing;
    QMap<QPair<QString, QString>, qint64> reasons;
    for (const auto &r : *decided) {
        const QString state = r.text(0);
        const qint64 filed = r.int64(1), at = r.int64(2);
        // A version revoked for another reason than a newer approval was withdrawn, not decided.
        if (state == QLatin1String("revoked") && !r.text(3).startsWith(QLatin1String("superseded")))
            continue;
        toDecision.push_back(std::max<qint64>(0, at - filed));
        if (state == QLatin1String("rejected")) {
            const QString code = r.text(3).section(QLatin1Char(':'), 0, 0).trimmed();
            ++reasons[{ utcDay(at), code.isEmpty() ? QStringLiteral("other") : code }];
        } else if (!r.isNull(4)) {
            toServing.push_back(std::max<qint64>(0, r.int64(4) - filed));
        }
    }
    h.toDecision = durations(std::move(toDecision));
    h.toServing = durations(std::move(toServing));
    for (auto it = reasons.cbegin(); it != reasons.cend(); ++it)
        h.rejectionReasons.push_back({ it.key().first, it.key().second, it.value() });

    // Decisions per reviewer and day: those in force and those taken back (they were made too).
    QMap<QPair<QString, QString>, ReviewerDay> days;
    const auto day = [&](qint64 ms, const QString &reviewer) -> ReviewerDay & {
        ReviewerDay &d = days[{ utcDay(ms), reviewer }];
        d.day = utcDay(ms);
        d.reviewer = reviewer;
        return d;
    };
    const QString byApproval = QStringLiteral(" JOIN entries e ON e.id = a.entry_id JOIN tenants t ON t.id = "
                                              "e.tenant_id");
    auto made = s.query(QStringLiteral("SELECT a.reviewer, a.decision, a.signed_ms FROM approvals a") + byApproval
            + and_ + QStringLiteral("a.signed_ms >= ? AND a.signed_ms <= ?"),
        withScope({ S::num(q.sinceMs), S::num(nowMs) }));
    if (!made)
        return made.error();
    auto undone = s.query(QStringLiteral("SELECT a.reviewer, a.decision, a.signed_ms, a.withdrawn_ms FROM "
                                         "withdrawn_approvals a")
            + byApproval + and_
            + QStringLiteral("((a.signed_ms >= ? AND a.signed_ms <= ?) OR (a.withdrawn_ms >= ? AND a.withdrawn_ms "
                             "<= ?))"),
        withScope({ S::num(q.sinceMs), S::num(nowMs), S::num(q.sinceMs), S::num(nowMs) }));
    if (!undone)
        return undone.error();
    const auto count = [&](const QString &reviewer, const QString &decision, qint64 at) {
        if (at < q.sinceMs || at > nowMs)
            return;
        ReviewerDay &d = day(at, reviewer);
        (decision == QLatin1String("approve") ? d.approvals : d.rejections) += 1;
    };
    for (const auto &r : *made)
        count(r.text(0), r.text(1), r.int64(2));
    for (const auto &r : *undone) {
        count(r.text(0), r.text(1), r.int64(2));
        if (r.int64(3) >= q.sinceMs && r.int64(3) <= nowMs)
            day(r.int64(3), r.text(0)).undone += 1;
    }
    // Edits their authors withdrew (undo of an edit): counted on the day the edit was filed.
    auto withdrawn = s.query(QStringLiteral("SELECT v.author, v.created_ms FROM versions v") + from + and_
            + QStringLiteral("v.state = 'revoked' AND v.reason = 'withdrawn by its author' AND v.created_ms >= ? AND "
                             "v.created_ms <= ?"),
        withScope({ S::num(q.sinceMs), S::num(nowMs) }));
    if (!withdrawn)
        return withdrawn.error();
    for (const auto &r : *withdrawn)
        day(r.int64(1), r.text(0)).editsWithdrawn += 1;
    for (const ReviewerDay &d : days)
        h.reviewerDays.push_back(d);
    return {};
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

Result<QueueStats> queueStats(SqlSession &s, const QString &tenant, qint64 nowMs, std::vector<QueueStats> *perTenant,
    const QString *ns, const QueueHealthQuery *health)
{
    std::vector<SqlSession::Value> params { SqlSession::num(nowMs) };
    std::vector<SqlSession::Value> scope;
    QStringList conditions;
    if (!tenant.isEmpty()) {
        conditions << QStringLiteral("t.name = ?");
        scope.push_back(SqlSession::str(tenant));
    }
    if (ns) {
        conditions << QStringLiteral("e.namespace = ?");
        scope.push_back(SqlSession::str(*ns));
    }
    params.insert(params.end(), scope.begin(), scope.end());
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
    if (health) {
        QueueHealth h;
        if (auto f = fillHealth(s, where, scope, nowMs, *health, h); !f)
            return f.error();
        total.health = std::move(h);
    }
    return total;
}

} // namespace l0
