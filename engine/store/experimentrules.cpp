#include "experimentrules.h"

#include <QHash>
#include <QSet>

namespace l0 {

namespace {

using S = SqlSession;

const QString kExperimentSelect
    = QStringLiteral("SELECT x.id, x.name, x.tenant_id, t.name, x.state, x.created_ms, x.stopped_ms, x.created_by "
                     "FROM experiments x JOIN tenants t ON t.id = x.tenant_id ");

// The rows of kExperimentSelect with their arms, in the rows' order.
Result<std::vector<Experiment>> readExperiments(SqlSession &s, const std::vector<S::Row> &rows)
{
    std::vector<Experiment> out;
    if (rows.empty())
        return out;
    QHash<qint64, size_t> byId;
    QStringList ids;
    for (const S::Row &row : rows) {
        Experiment x;
        x.id = row.int64(0);
        x.name = row.text(1);
        x.tenantId = row.int64(2);
        x.tenant = row.text(3);
        x.state = experimentStateFromName(row.text(4)).value_or(ExperimentState::Stopped);
        x.createdMs = row.int64(5);
        x.stoppedMs = row.int64(6);
        x.createdBy = row.text(7);
        byId.insert(x.id, out.size());
        ids << QString::number(x.id);
        out.push_back(std::move(x));
    }
    // Ids are numbers the store gave out: safe to list inline.
    auto arms = s.query(QStringLiteral("SELECT experiment_id, name, policy, weight FROM experiment_arms WHERE "
                                       "experiment_id IN (%1) ORDER BY experiment_id, position")
                            .arg(ids.join(QLatin1Char(','))));
    if (!arms)
        return arms.error();
    for (const S::Row &row : *arms) {
        const auto at = byId.constFind(row.int64(0));
        if (at == byId.constEnd())
            continue;
        ExperimentArm a;
        a.name = row.text(1);
        auto policy = parseArmPolicy(row.text(2));
        if (!policy)
            return makeError(ErrorCode::Internal,
                QStringLiteral("experiment %1, arm %2: stored policy '%3' does not read: %4")
                    .arg(out[*at].name, a.name, row.text(2), policy.error().message));
        a.policy = *policy;
        a.weight = int(row.int64(3));
        out[*at].arms.push_back(std::move(a));
    }
    return out;
}

} // namespace

Result<Experiment> createExperiment(SqlSession &s, const QString &name, const QString &tenant,
    const std::vector<ExperimentArm> &arms, const QString &createdBy)
{
    if (auto c = checkExperimentName(name, QStringLiteral("experiment name"), kMaxExperimentName); !c)
        return c.error();
    if (arms.size() < 2 || arms.size() > size_t(kMaxArms))
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("an experiment has 2 to %1 arms (%2 given)").arg(kMaxArms).arg(arms.size()));
    QSet<QString> names;
    int sum = 0;
    for (const ExperimentArm &a : arms) {
        if (auto c = checkExperimentName(a.name, QStringLiteral("arm name"), kMaxArmName); !c)
            return c.error();
        if (names.contains(a.name))
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("arm %1 is named twice").arg(a.name));
        names.insert(a.name);
        if (!a.policy.route && !a.policy.cache)
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("arm %1 has no policy").arg(a.name));
        if (a.weight < 1 || a.weight > 99)
            return makeError(
                ErrorCode::InvalidArgument, QStringLiteral("arm %1: a share is 1 to 99 percent").arg(a.name));
        sum += a.weight;
    }
    if (sum != 100)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("the arms' shares sum to %1, not 100").arg(sum));

    return withTransaction(s, [&]() -> Result<Experiment> {
        auto t = s.query(QStringLiteral("SELECT id FROM tenants WHERE name = ?"), { S::str(tenant) });
        if (!t)
            return t.error();
        if (t->empty())
            return makeError(ErrorCode::NotFound, QStringLiteral("no tenant named %1").arg(tenant));
        const qint64 tenantId = t->at(0).int64(0);
        auto used = s.query(QStringLiteral("SELECT state FROM experiments WHERE name = ?"), { S::str(name) });
        if (!used)
            return used.error();
        if (!used->empty())
            return makeError(ErrorCode::AlreadyExists,
                QStringLiteral("experiment %1 exists already (%2); names are never reused, pick another")
                    .arg(name, used->at(0).text(0)));
        auto running = s.query(QStringLiteral("SELECT name FROM experiments WHERE tenant_id = ? AND state = 'running'"),
            { S::num(tenantId) });
        if (!running)
            return running.error();
        if (!running->empty())
            return makeError(ErrorCode::Conflict,
                QStringLiteral("tenant %1 already runs experiment %2: stop it first")
                    .arg(tenant, running->at(0).text(0)));
        const qint64 now = s.clock().nowMs();
        auto id = s.insert(QStringLiteral("INSERT INTO experiments (name, tenant_id, state, created_ms, created_by) "
                                          "VALUES (?, ?, 'running', ?, ?)"),
            { S::str(name), S::num(tenantId), S::num(now), S::str(createdBy) });
        if (!id)
            return id.error();
        Experiment x;
        x.id = *id;
        x.name = name;
        x.tenantId = tenantId;
        x.tenant = tenant;
        x.createdMs = now;
        x.createdBy = createdBy;
        for (size_t i = 0; i < arms.size(); ++i) {
            auto r = s.execute(QStringLiteral("INSERT INTO experiment_arms (experiment_id, position, name, policy, "
                                              "weight) VALUES (?, ?, ?, ?, ?)"),
                { S::num(*id), S::num(qint64(i)), S::str(arms[i].name), S::str(arms[i].policy.text()),
                    S::num(arms[i].weight) });
            if (!r)
                return r.error();
        }
        x.arms = arms;
        if (auto a = s.announce(QStringLiteral("experiment")); !a)
            return a.error();
        return x;
    });
}

Result<std::vector<Experiment>> listExperiments(SqlSession &s, const QString &tenant)
{
    auto rows = tenant.isEmpty()
        ? s.query(kExperimentSelect + QStringLiteral("ORDER BY x.id DESC"))
        : s.query(kExperimentSelect + QStringLiteral("WHERE t.name = ? ORDER BY x.id DESC"), { S::str(tenant) });
    if (!rows)
        return rows.error();
    return readExperiments(s, *rows);
}

Result<Experiment> experimentByName(SqlSession &s, const QString &name)
{
    auto rows = s.query(kExperimentSelect + QStringLiteral("WHERE x.name = ?"), { S::str(name) });
    if (!rows)
        return rows.error();
    if (rows->empty())
        return makeError(ErrorCode::NotFound, QStringLiteral("no experiment named %1").arg(name));
    auto x = readExperiments(s, *rows);
    if (!x)
        return x.error();
    return std::move(x->front());
}

Result<std::vector<Experiment>> runningExperiments(SqlSession &s)
{
    auto rows = s.query(kExperimentSelect + QStringLiteral("WHERE x.state = 'running' ORDER BY x.tenant_id"));
    if (!rows)
        return rows.error();
    return readExperiments(s, *rows);
}

Status stopExperiment(SqlSession &s, const QString &name)
{
    return withTransaction(s, [&]() -> Status {
        auto x = s.query(QStringLiteral("SELECT state FROM experiments WHERE name = ?"), { S::str(name) });
        if (!x)
            return x.error();
        if (x->empty())
            return makeError(ErrorCode::NotFound, QStringLiteral("no experiment named %1").arg(name));
        if (x->at(0).text(0) != QLatin1String("running"))
            return makeError(ErrorCode::Conflict, QStringLiteral("experiment %1 is stopped already").arg(name));
        auto u = s.execute(QStringLiteral("UPDATE experiments SET state = 'stopped', stopped_ms = ? WHERE name = ?"),
            { S::num(s.clock().nowMs()), S::str(name) });
        if (!u)
            return u.error();
        return s.announce(QStringLiteral("experiment"));
    });
}

} // namespace l0
