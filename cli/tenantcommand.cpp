#include "commands.h"

#include <QJsonArray>
#include <QJsonObject>

#include "commandsupport.h"
#include "ledger/budget.h"
#include "trust/reviewqueue.h"

namespace l0 {

namespace {

class TenantCommand final : public Command {
public:
    TenantCommand()
        : Command(QStringLiteral("tenant"),
            QStringLiteral("tenant add NAME [--policy P] | tenant list | tenant set-policy NAME --policy P | tenant "
                           "set-ttl NAME --ttl 30d | tenant set-budget NAME --budget DOLLARS|none"),
            QStringLiteral("Manage tenants; P is shadow, approved or auto_low_risk."),
            { { QStringLiteral("json"), QStringLiteral("Print JSON.") },
                { QStringLiteral("policy"), QStringLiteral("Tenant policy."), QStringLiteral("POLICY") },
                { QStringLiteral("budget"),
                    QStringLiteral("A tenant's monthly budget in dollars (250, 1200.50), or none."),
                    QStringLiteral("DOLLARS") },
                { QStringLiteral("ttl"), QStringLiteral("How long an approved answer lives (7d, 12h)."),
                    QStringLiteral("DURATION") } })
    {
    }

    int run(const CommandLine &cmd, CommandIo &io) const override
    {
        const QString sub = cmd.args.value(1);
        auto store = openOrFail(cmd, io.err);
        if (!store)
            return 1;
        if (sub == QLatin1String("add") || sub == QLatin1String("set-policy")) {
            if (cmd.args.size() != 3)
                return fail(io.err,
                    QStringLiteral("usage: l0ctl tenant %1 NAME [--policy shadow|approved|auto_low_risk]").arg(sub), 2);
            const QString policyText = cmd.isSet(QStringLiteral("policy")) ? cmd.value(QStringLiteral("policy"))
                                                                           : QStringLiteral("approved");
            const auto policy = policyFromName(policyText);
            if (!policy)
                return fail(io.err,
                    QStringLiteral("unknown policy '%1' (use shadow, approved or auto_low_risk)").arg(policyText), 2);
            if (sub == QLatin1String("add")) {
                auto t = store->addTenant(cmd.args.at(2), *policy);
                if (!t)
                    return fail(io.err, t.error().message);
                if (cmd.isSet(QStringLiteral("json")))
                    printJson(io.out,
                        QJsonObject { { QLatin1String("id"), t->id }, { QLatin1String("name"), t->name },
                            { QLatin1String("policy"), QLatin1String(policyName(t->policy)) } });
                else
                    io.out << "tenant " << t->name << " added (id " << t->id << ", policy " << policyName(t->policy)
                           << ")" << Qt::endl;
                return 0;
            }
            if (auto s = store->setTenantPolicy(cmd.args.at(2), *policy); !s)
                return fail(io.err, s.error().message);
            io.out << "tenant " << cmd.args.at(2) << " policy " << policyName(*policy) << Qt::endl;
            return 0;
        }
        if (sub == QLatin1String("set-budget")) {
            const QString amount = cmd.value(QStringLiteral("budget"));
            const bool none = amount == QLatin1String("none");
            const auto micros = parseDollars(amount);
            if (cmd.args.size() != 3 || !cmd.isSet(QStringLiteral("budget")) || (!none && (!micros || *micros <= 0)))
                return fail(io.err,
                    QStringLiteral(
                        "usage: l0ctl tenant set-budget NAME --budget DOLLARS (a month; 250 or 1200.50; none "
                        "to clear)"),
                    2);
            if (auto s = setTenantBudget(store->session(), cmd.args.at(2), none ? std::nullopt : micros); !s)
                return fail(io.err, s.error().message);
            io.out << "tenant " << cmd.args.at(2)
                   << (none ? QStringLiteral(" has no monthly budget")
                            : QStringLiteral(" monthly budget %1").arg(dollars(*micros)))
                   << Qt::endl;
            return 0;
        }
        if (sub == QLatin1String("set-ttl")) {
            const auto ttl = parseDuration(cmd.value(QStringLiteral("ttl")));
            if (cmd.args.size() != 3 || !cmd.isSet(QStringLiteral("ttl")) || !ttl)
                return fail(io.err,
                    QStringLiteral("usage: l0ctl tenant set-ttl NAME --ttl DURATION (30d, 12h; 0 for none)"), 2);
            if (auto s = setTenantTtl(store->session(), cmd.args.at(2), *ttl); !s)
                return fail(io.err, s.error().message);
            io.out << "tenant " << cmd.args.at(2)
                   << (*ttl > 0 ? QStringLiteral(" answers live %1 ms after approval").arg(*ttl)
                                : QStringLiteral(" answers do not expire"))
                   << Qt::endl;
            return 0;
        }
        if (sub == QLatin1String("list")) {
            auto ts = store->tenants();
            if (!ts)
                return fail(io.err, ts.error().message);
            if (cmd.isSet(QStringLiteral("json"))) {
                QJsonArray a;
                for (const Tenant &t : *ts)
                    a.append(QJsonObject { { QLatin1String("id"), t.id }, { QLatin1String("name"), t.name },
                        { QLatin1String("policy"), QLatin1String(policyName(t.policy)) } });
                printJson(io.out, a);
            } else {
                for (const Tenant &t : *ts)
                    io.out << t.id << '\t' << t.name << '\t' << policyName(t.policy) << Qt::endl;
            }
            return 0;
        }
        return fail(io.err, QStringLiteral("usage: l0ctl tenant add|list|set-policy ..."), 2);
    }
};

} // namespace

std::unique_ptr<Command> makeTenantCommand()
{
    return std::make_unique<TenantCommand>();
}

} // namespace l0
