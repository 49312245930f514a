#include "commands.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>

#include "commandsupport.h"
#include "ledger/experimentreport.h"
#include "store/experimentrules.h"

namespace l0 {

namespace {

const QString kPolicySyntax = QStringLiteral(
    "POLICY is route:fixed, route:learned[@TARGET] or route:cascade[@TARGET] (the tenant's route policy for the "
    "requested model with this strategy; TARGET a quality target in (0, 1]), cache:shadow, cache:approved or "
    "cache:auto_low_risk (the tenant's cache policy), or one route and one cache part joined by '+' "
    "(route:learned@0.9+cache:approved).");

QJsonObject experimentJson(const Experiment &x)
{
    QJsonArray arms;
    for (const ExperimentArm &a : x.arms)
        arms.append(QJsonObject { { QLatin1String("name"), a.name }, { QLatin1String("policy"), a.policy.text() },
            { QLatin1String("weight"), a.weight } });
    return { { QLatin1String("name"), x.name }, { QLatin1String("tenant"), x.tenant },
        { QLatin1String("state"), QString::fromLatin1(experimentStateName(x.state)) },
        { QLatin1String("created"), isoTime(x.createdMs) },
        { QLatin1String("stopped"), x.stoppedMs ? QJsonValue(isoTime(x.stoppedMs)) : QJsonValue() },
        { QLatin1String("created_by"), x.createdBy }, { QLatin1String("arms"), arms } };
}

QString describeArms(const Experiment &x)
{
    QStringList parts;
    for (const ExperimentArm &a : x.arms)
        parts << QStringLiteral("%1=%2 (%3%)").arg(a.name, a.policy.text()).arg(a.weight);
    return parts.join(QStringLiteral(", "));
}

class ExperimentCommand final : public Command {
public:
    ExperimentCommand()
        : Command(QStringLiteral("experiment"),
            QStringLiteral("experiment create NAME --tenant T --arm A=POLICY --arm B=POLICY [--split 50/50] | "
                           "experiment list [--tenant T] [--json] | experiment show NAME [--json] | "
                           "experiment stop NAME | experiment report NAME [--json] | "
                           "experiment assign NAME --user ID"),
            QStringLiteral("A/B experiments between route strategies or cache policies for one tenant. Each caller "
                           "is put in an arm by a hash of the experiment's name and its end user (the request's "
                           "user field, Anthropic's metadata.user_id, or the user a token names), or without one "
                           "its conversation (the first user message): the same on every node and after restarts. "
                           "The arm's policy replaces the tenant's for that request and the ledger records the "
                           "arm. A tenant runs one experiment at a time; names are never reused. report: requests, "
                           "cost per request, hit rate, latency and client feedback per arm with 95% intervals, "
                           "each arm against the first (Welch's t-test, two-proportion z-test). ")
                + kPolicySyntax,
            { { QStringLiteral("tenant"), QStringLiteral("Tenant name."), QStringLiteral("NAME") },
                { QStringLiteral("arm"), QStringLiteral("With create: an arm, NAME=POLICY (twice or more)."),
                    QStringLiteral("NAME=POLICY") },
                { QStringLiteral("split"),
                    QStringLiteral("With create: each arm's share in percent, in --arm order (50/50, 90/10); "
                                   "default even."),
                    QStringLiteral("A/B") },
                { QStringLiteral("user"), QStringLiteral("With assign: the end user id a request would carry."),
                    QStringLiteral("ID") },
                { QStringLiteral("json"), QStringLiteral("Print JSON.") } })
    {
    }

    int run(const CommandLine &cmd, CommandIo &io) const override
    {
        const QString sub = cmd.args.value(1);
        const QString name = cmd.args.value(2);
        if (sub.isEmpty())
            return fail(io.err, QStringLiteral("usage: l0ctl ") + synopsis(), 2);
        if (sub != QLatin1String("list") && name.isEmpty())
            return fail(io.err, QStringLiteral("experiment %1 takes the experiment's NAME").arg(sub), 2);
        if (sub == QLatin1String("create"))
            return create(cmd, io, name);
        if (sub != QLatin1String("list") && sub != QLatin1String("show") && sub != QLatin1String("stop")
            && sub != QLatin1String("report") && sub != QLatin1String("assign"))
            return fail(
                io.err, QStringLiteral("unknown experiment command '%1'; usage: l0ctl %2").arg(sub, synopsis()), 2);
        if (sub == QLatin1String("assign") && !cmd.isSet(QStringLiteral("user")))
            return fail(io.err, QStringLiteral("experiment assign takes --user ID"), 2);
        auto store = openOrFail(cmd, io.err);
        if (!store)
            return 1;
        SqlSession &s = store->session();
        const bool json = cmd.isSet(QStringLiteral("json"));
        if (sub == QLatin1String("list")) {
            auto xs = listExperiments(s, cmd.value(QStringLiteral("tenant")));
            if (!xs)
                return fail(io.err, xs.error().message);
            if (json) {
                QJsonArray a;
                for (const Experiment &x : *xs)
                    a.append(experimentJson(x));
                printJson(io.out, a);
            } else if (xs->empty()) {
                io.out << "no experiments" << Qt::endl;
            } else {
                for (const Experiment &x : *xs)
                    io.out << x.name << "  " << x.tenant << "  " << experimentStateName(x.state) << "  "
                           << describeArms(x) << Qt::endl;
            }
            return 0;
        }
        if (sub == QLatin1String("stop")) {
            if (auto st = stopExperiment(s, name); !st)
                return fail(io.err, st.error().message);
            io.out << "stopped experiment " << name << ": its tenant's requests follow the tenant's own policies again"
                   << Qt::endl;
            return 0;
        }
        if (sub == QLatin1String("report")) {
            auto r = loadExperimentReport(s, name);
            if (!r)
                return fail(io.err, r.error().message);
            if (json)
                printJson(io.out, experimentReportJson(*r));
            else
                io.out << experimentReportText(*r);
            io.out.flush();
            return 0;
        }
        auto x = experimentByName(s, name);
        if (!x)
            return fail(io.err, x.error().message);
        if (sub == QLatin1String("assign")) {
            ChatRequest probe;
            probe.user = cmd.value(QStringLiteral("user"));
            const ExperimentArm *arm = assignArm(*x, assignmentUnit(probe, QString()));
            if (json)
                printJson(io.out,
                    QJsonObject { { QLatin1String("experiment"), x->name }, { QLatin1String("user"), probe.user },
                        { QLatin1String("arm"), arm ? arm->name : QString() },
                        { QLatin1String("policy"), arm ? arm->policy.text() : QString() } });
            else
                io.out << (arm ? arm->name : QStringLiteral("-")) << Qt::endl;
            return 0;
        }
        // show
        if (json)
            printJson(io.out, experimentJson(*x));
        else
            io.out << x->name << "  tenant " << x->tenant << "  " << experimentStateName(x->state) << "  since "
                   << isoTime(x->createdMs) << Qt::endl
                   << "  " << describeArms(*x) << Qt::endl;
        return 0;
    }

private:
    int create(const CommandLine &cmd, CommandIo &io, const QString &name) const
    {
        if (!cmd.isSet(QStringLiteral("tenant")))
            return fail(io.err, QStringLiteral("experiment create takes --tenant NAME"), 2);
        const QStringList armSpecs = cmd.parser.values(QStringLiteral("arm"));
        if (armSpecs.size() < 2)
            return fail(
                io.err, QStringLiteral("experiment create takes two or more --arm NAME=POLICY; ") + kPolicySyntax, 2);
        std::vector<ExperimentArm> arms;
        for (const QString &spec : armSpecs) {
            const qsizetype eq = spec.indexOf(QLatin1Char('='));
            if (eq <= 0)
                return fail(io.err, QStringLiteral("--arm '%1' is NAME=POLICY; ").arg(spec) + kPolicySyntax, 2);
            ExperimentArm a;
            a.name = spec.left(eq).trimmed();
            auto policy = parseArmPolicy(spec.mid(eq + 1));
            if (!policy)
                return fail(io.err, QStringLiteral("--arm %1: %2").arg(a.name, policy.error().message), 2);
            a.policy = *policy;
            arms.push_back(std::move(a));
        }
        auto split = parseSplit(cmd.value(QStringLiteral("split")), int(arms.size()));
        if (!split)
            return fail(io.err, split.error().message, 2);
        for (size_t i = 0; i < arms.size(); ++i)
            arms[i].weight = (*split)[i];
        auto store = openOrFail(cmd, io.err);
        if (!store)
            return 1;
        auto x = createExperiment(store->session(), name, cmd.value(QStringLiteral("tenant")), arms, reviewerName(cmd));
        if (!x)
            return fail(io.err, x.error().message, x.error().code == ErrorCode::InvalidArgument ? 2 : 1);
        if (cmd.isSet(QStringLiteral("json")))
            printJson(io.out, experimentJson(*x));
        else
            io.out << "experiment " << x->name << " running for tenant " << x->tenant << ": " << describeArms(*x)
                   << Qt::endl;
        // A route part only changes the strategy of the tenant's route policies: without any,
        // the arms' route parts do nothing (routing is opt-in per tenant).
        const bool routes = std::any_of(
            x->arms.begin(), x->arms.end(), [](const ExperimentArm &a) { return a.policy.route.has_value(); });
        if (auto t = store->tenantByName(x->tenant); routes && t && t->routePolicies.isEmpty())
            io.err << "l0ctl: warning: tenant " << x->tenant
                   << " has no route policy, so the arms' route parts change nothing; set one with "
                      "`l0ctl tenant set-route`"
                   << Qt::endl;
        return 0;
    }
};

} // namespace

std::unique_ptr<Command> makeExperimentCommand()
{
    return std::make_unique<ExperimentCommand>();
}

} // namespace l0
