#include "commands.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "commandsupport.h"
#include "ledger/budget.h"
#include "route/routermodel.h"
#include "route/routesettings.h"
#include "trust/reviewqueue.h"

namespace l0 {

namespace {

QString describeLimits(const TenantLimits &l)
{
    QStringList parts;
    parts << (l.requestsPerMinute ? QStringLiteral("%1 requests/min").arg(*l.requestsPerMinute)
                                  : QStringLiteral("no request limit"));
    parts << (l.tokensPerMinute ? QStringLiteral("%1 tokens/min").arg(*l.tokensPerMinute)
                                : QStringLiteral("no token limit"));
    if (l.hardBudget)
        parts << QStringLiteral("hard budget");
    parts << (l.staleGraceMs > 0
            ? QStringLiteral("stale answers up to %1 s past their end when upstreams fail").arg(l.staleGraceMs / 1000)
            : QStringLiteral("no stale answers"));
    return parts.join(QStringLiteral(", "));
}

QJsonObject routePolicyJson(const RoutePolicy &p)
{
    return QJsonObject { { QLatin1String("model"), p.model },
        { QLatin1String("candidates"), QJsonArray::fromStringList(p.candidates) },
        { QLatin1String("strategy"), QLatin1String(routeStrategyName(p.strategy)) },
        { QLatin1String("quality_target"), p.qualityTarget },
        { QLatin1String("router"), p.router.isEmpty() ? QJsonValue() : QJsonValue(p.router) } };
}

QString describeRoutePolicy(const RoutePolicy &p)
{
    QString s = QStringLiteral("%1 -> %2 %3")
                    .arg(p.model, QLatin1String(routeStrategyName(p.strategy)),
                        p.candidates.isEmpty() ? QStringLiteral("(the requested model)")
                                               : p.candidates.join(QLatin1Char(',')));
    if (p.strategy != RouteStrategy::Fixed)
        s += QStringLiteral(", quality target %1, router %2")
                 .arg(p.qualityTarget)
                 .arg(p.router.isEmpty() ? QStringLiteral("built in") : p.router);
    return s;
}

class TenantCommand final : public Command {
public:
    TenantCommand()
        : Command(QStringLiteral("tenant"),
            QStringLiteral("tenant add NAME [--policy P] | tenant list | tenant set-policy NAME --policy P | tenant "
                           "set-ttl NAME --ttl 30d | tenant set-budget NAME --budget DOLLARS|none [--hard|--soft] | "
                           "tenant set-limits NAME [--rpm N|none] [--tpm N|none] "
                           "[--stale-grace DURATION] | tenant set-retention NAME --responses DURATION|default | "
                           "tenant set-fee NAME --fee DOLLARS|none | tenant set-route NAME --model MODEL|l0/auto "
                           "--strategy fixed|learned|cascade [--candidates CHEAP,DEAR] [--quality 0.95] "
                           "[--router FILE] | tenant clear-route NAME [--model MODEL] | tenant routes NAME"),
            QStringLiteral("Manage tenants; P is shadow, approved or auto_low_risk."),
            { { QStringLiteral("json"), QStringLiteral("Print JSON.") },
                { QStringLiteral("policy"), QStringLiteral("Tenant policy."), QStringLiteral("POLICY") },
                { QStringLiteral("budget"),
                    QStringLiteral("A tenant's monthly budget in dollars (250, 1200.50), or none."),
                    QStringLiteral("DOLLARS") },
                { QStringLiteral("fee"),
                    QStringLiteral("With set-fee: what the operator charges the tenant per cache hit, in dollars "
                                   "(0.0001), or none."),
                    QStringLiteral("DOLLARS") },
                { QStringLiteral("ttl"), QStringLiteral("How long an approved answer lives (7d, 12h)."),
                    QStringLiteral("DURATION") },
                { QStringLiteral("hard"),
                    QStringLiteral("With set-budget: once the month's budget is spent, misses are refused with 429 "
                                   "(cache hits are still served).") },
                { QStringLiteral("soft"), QStringLiteral("With set-budget: the budget only warns (the default).") },
                { QStringLiteral("rpm"),
                    QStringLiteral("Requests per minute a tenant may make (hits included), or none."),
                    QStringLiteral("N") },
                { QStringLiteral("tpm"),
                    QStringLiteral("Upstream tokens per minute a tenant may use (hits never count), or none."),
                    QStringLiteral("N") },
                { QStringLiteral("responses"),
                    QStringLiteral("With set-retention: how long Responses API responses are kept for "
                                   "previous_response_id (30d; 0: none; default: the node's)."),
                    QStringLiteral("DURATION") },
                { QStringLiteral("model"),
                    QStringLiteral("With set-route/clear-route: the requested model, or the alias l0/auto, the "
                                   "route policy applies to."),
                    QStringLiteral("MODEL") },
                { QStringLiteral("strategy"),
                    QStringLiteral("With set-route: fixed (the requested model; for l0/auto the dearest candidate), "
                                   "learned (the router picks the cheap or the dear candidate per request) or cascade "
                                   "(the cheap one first, the dear one when its answer scores low)."),
                    QStringLiteral("STRATEGY") },
                { QStringLiteral("candidates"),
                    QStringLiteral("With set-route: the candidate models, cheap to dear. learned takes two "
                                   "(gpt-4o-mini,gpt-4o); cascade two to four, asked in turn from the cheapest until "
                                   "an answer scores well enough (gpt-4o-mini,gpt-4.1-mini,gpt-4o)."),
                    QStringLiteral("CHEAP,DEAR") },
                { QStringLiteral("quality"),
                    QStringLiteral("With set-route: the share of the dear model's quality to keep, in (0, 1] "
                                   "(default 0.95)."),
                    QStringLiteral("Q") },
                { QStringLiteral("router"),
                    QStringLiteral("With set-route: a router model file (l0ctl route train) on the nodes; default: "
                                   "the built-in one."),
                    QStringLiteral("FILE") },
                { QStringLiteral("stale-grace"),
                    QStringLiteral("When every upstream fails, serve an approved answer up to this long past its end "
                                   "(1h, 2d; 0 for never)."),
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
            auto tenant = store->tenantByName(cmd.args.at(2));
            if (!tenant)
                return fail(io.err, tenant.error().message);
            if (auto s = setTenantBudget(store->session(), cmd.args.at(2), none ? std::nullopt : micros); !s)
                return fail(io.err, s.error().message);
            TenantLimits limits = tenant->limits;
            // A new amount keeps the budget hard or soft as it was, unless told.
            if (none || cmd.isSet(QStringLiteral("soft")))
                limits.hardBudget = false;
            else if (cmd.isSet(QStringLiteral("hard")))
                limits.hardBudget = true;
            if (auto s = setTenantLimits(store->session(), cmd.args.at(2), limits); !s)
                return fail(io.err, s.error().message);
            io.out << "tenant " << cmd.args.at(2)
                   << (none ? QStringLiteral(" has no monthly budget")
                            : QStringLiteral(" monthly budget %1%2")
                                  .arg(dollars(*micros),
                                      limits.hardBudget ? QStringLiteral(" (hard: misses refused once spent)")
                                                        : QString()))
                   << Qt::endl;
            return 0;
        }
        if (sub == QLatin1String("set-fee")) {
            const QString amount = cmd.value(QStringLiteral("fee"));
            const bool none = amount == QLatin1String("none");
            const auto micros = none ? std::optional<qint64>(0) : parseDollars(amount);
            if (cmd.args.size() != 3 || !cmd.isSet(QStringLiteral("fee")) || !micros)
                return fail(io.err,
                    QStringLiteral("usage: l0ctl tenant set-fee NAME --fee DOLLARS (per cache hit; 0.0001 is a "
                                   "hundredth of a cent; none to clear)"),
                    2);
            if (auto s = setTenantHitFee(store->session(), cmd.args.at(2), *micros); !s)
                return fail(io.err, s.error().message);
            io.out << "tenant " << cmd.args.at(2)
                   << (*micros > 0 ? QStringLiteral(": %1 per cache hit").arg(dollars(*micros))
                                   : QStringLiteral(": no per-hit fee"))
                   << Qt::endl;
            return 0;
        }
        if (sub == QLatin1String("set-retention")) {
            const QString v = cmd.value(QStringLiteral("responses"));
            const bool byDefault = v == QLatin1String("default");
            const auto ms = parseDuration(v);
            if (cmd.args.size() != 3 || !cmd.isSet(QStringLiteral("responses")) || (!byDefault && !ms))
                return fail(io.err,
                    QStringLiteral(
                        "usage: l0ctl tenant set-retention NAME --responses DURATION (30d, 12h; 0: keep none; "
                        "default: the node's)"),
                    2);
            if (auto s = setTenantResponseRetention(store->session(), cmd.args.at(2), byDefault ? std::nullopt : ms);
                !s)
                return fail(io.err, s.error().message);
            io.out << "tenant " << cmd.args.at(2)
                   << (byDefault        ? QStringLiteral(": responses kept for the node's default retention")
                              : *ms > 0 ? QStringLiteral(": responses kept %1 s").arg(*ms / 1000)
                                        : QStringLiteral(": responses are not kept"))
                   << Qt::endl;
            return 0;
        }
        if (sub == QLatin1String("set-limits")) {
            static const QString usage = QStringLiteral(
                "usage: l0ctl tenant set-limits NAME [--rpm N|none] [--tpm N|none] [--stale-grace DURATION]");
            if (cmd.args.size() != 3)
                return fail(io.err, usage, 2);
            auto tenant = store->tenantByName(cmd.args.at(2));
            if (!tenant)
                return fail(io.err, tenant.error().message);
            TenantLimits limits = tenant->limits;
            auto perMinute = [&](const QString &option, std::optional<qint64> *out) {
                if (!cmd.isSet(option))
                    return true;
                const QString v = cmd.value(option);
                if (v == QLatin1String("none")) {
                    out->reset();
                    return true;
                }
                bool ok = false;
                const qint64 n = v.toLongLong(&ok);
                if (!ok || n <= 0)
                    return false;
                *out = n;
                return true;
            };
            if (!perMinute(QStringLiteral("rpm"), &limits.requestsPerMinute))
                return fail(io.err, QStringLiteral("--rpm takes a positive whole number, or none"), 2);
            if (!perMinute(QStringLiteral("tpm"), &limits.tokensPerMinute))
                return fail(io.err, QStringLiteral("--tpm takes a positive whole number, or none"), 2);
            if (cmd.isSet(QStringLiteral("stale-grace"))) {
                const auto grace = parseDuration(cmd.value(QStringLiteral("stale-grace")));
                if (!grace)
                    return fail(
                        io.err, QStringLiteral("--stale-grace takes a duration (30m, 12h, 2d; 0 for never)"), 2);
                limits.staleGraceMs = *grace;
            }
            if (auto s = setTenantLimits(store->session(), cmd.args.at(2), limits); !s)
                return fail(io.err, s.error().message);
            io.out << "tenant " << cmd.args.at(2) << ": " << describeLimits(limits) << Qt::endl;
            return 0;
        }
        if (sub == QLatin1String("set-route") || sub == QLatin1String("clear-route")
            || sub == QLatin1String("routes")) {
            if (cmd.args.size() != 3)
                return fail(io.err,
                    QStringLiteral("usage: l0ctl tenant set-route NAME --model MODEL|l0/auto --strategy "
                                   "fixed|learned|cascade [--candidates CHEAP,DEAR] [--quality 0.95] [--router FILE] | "
                                   "tenant clear-route NAME [--model MODEL] | tenant routes NAME [--json]"),
                    2);
            auto tenant = store->tenantByName(cmd.args.at(2));
            if (!tenant)
                return fail(io.err, tenant.error().message);
            auto policies = routePoliciesFromJson(tenant->routePolicies);
            if (!policies)
                return fail(
                    io.err, QStringLiteral("stored route policies do not read: %1").arg(policies.error().message));
            if (sub == QLatin1String("set-route")) {
                RoutePolicy p;
                p.model = cmd.value(QStringLiteral("model"));
                const QString strategy = cmd.value(QStringLiteral("strategy"));
                const auto s = routeStrategyFromName(strategy);
                if (!cmd.isSet(QStringLiteral("model")) || !s)
                    return fail(io.err,
                        QStringLiteral("set-route takes --model MODEL|l0/auto and --strategy fixed|learned|cascade"),
                        2);
                p.strategy = *s;
                for (const QString &c :
                    cmd.value(QStringLiteral("candidates")).split(QLatin1Char(','), Qt::SkipEmptyParts))
                    p.candidates << c.trimmed();
                if (cmd.isSet(QStringLiteral("quality"))) {
                    bool ok = false;
                    p.qualityTarget = cmd.value(QStringLiteral("quality")).toDouble(&ok);
                    if (!ok)
                        return fail(io.err, QStringLiteral("--quality takes a number in (0, 1], e.g. 0.95"), 2);
                }
                p.router = cmd.value(QStringLiteral("router"));
                if (auto st = checkRoutePolicy(p); !st)
                    return fail(io.err, st.error().message, 2);
                if (p.strategy != RouteStrategy::Fixed) {
                    // Checked here so that a typo shows now, not as misses sent to the dear model.
                    const QString name = p.router.isEmpty() ? QStringLiteral("(built in)") : p.router;
                    auto model = p.router.isEmpty() ? RouterModel::builtin() : RouterModel::load(p.router);
                    if (!model)
                        return fail(io.err, QStringLiteral("router %1: %2").arg(name, model.error().message), 2);
                    if (p.strategy == RouteStrategy::Cascade && !model->hasCascade())
                        return fail(io.err, QStringLiteral("router %1 has no cascade part").arg(name), 2);
                }
                upsertRoutePolicy(&*policies, p);
                if (auto st = setTenantRoutePolicies(store->session(), tenant->name, *policies); !st)
                    return fail(io.err, st.error().message);
                io.out << "tenant " << tenant->name << ": " << describeRoutePolicy(p) << Qt::endl;
                return 0;
            }
            if (sub == QLatin1String("clear-route")) {
                const QString model = cmd.value(QStringLiteral("model"));
                const qsizetype before = policies->size();
                if (cmd.isSet(QStringLiteral("model")))
                    policies->removeIf([&](const RoutePolicy &p) { return p.model == model; });
                else
                    policies->clear();
                if (policies->size() == before)
                    return fail(io.err, QStringLiteral("tenant %1 has no route policy to clear").arg(tenant->name));
                if (auto st = setTenantRoutePolicies(store->session(), tenant->name, *policies); !st)
                    return fail(io.err, st.error().message);
                io.out << "tenant " << tenant->name << ": "
                       << (policies->isEmpty() ? QStringLiteral("not routed")
                                               : QStringLiteral("%1 route policies left").arg(policies->size()))
                       << Qt::endl;
                return 0;
            }
            if (cmd.isSet(QStringLiteral("json"))) {
                QJsonArray a;
                for (const RoutePolicy &p : std::as_const(*policies))
                    a.append(routePolicyJson(p));
                printJson(
                    io.out, QJsonObject { { QLatin1String("tenant"), tenant->name }, { QLatin1String("routes"), a } });
                return 0;
            }
            if (policies->isEmpty())
                io.out << "tenant " << tenant->name << " is not routed (every request goes to the model it names)"
                       << Qt::endl;
            for (const RoutePolicy &p : std::as_const(*policies))
                io.out << describeRoutePolicy(p) << Qt::endl;
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
                for (const Tenant &t : *ts) {
                    const auto opt = [](const std::optional<qint64> &v) { return v ? QJsonValue(*v) : QJsonValue(); };
                    a.append(QJsonObject { { QLatin1String("id"), t.id }, { QLatin1String("name"), t.name },
                        { QLatin1String("policy"), QLatin1String(policyName(t.policy)) },
                        { QLatin1String("rpm"), opt(t.limits.requestsPerMinute) },
                        { QLatin1String("tpm"), opt(t.limits.tokensPerMinute) },
                        { QLatin1String("hard_budget"), t.limits.hardBudget },
                        { QLatin1String("stale_grace_ms"), t.limits.staleGraceMs },
                        { QLatin1String("hit_fee_micros"), t.hitFeeMicros },
                        { QLatin1String("routes"), QJsonDocument::fromJson(t.routePolicies).array() } });
                }
                printJson(io.out, a);
            } else {
                for (const Tenant &t : *ts)
                    io.out << t.id << '\t' << t.name << '\t' << policyName(t.policy) << '\t' << describeLimits(t.limits)
                           << (t.hitFeeMicros > 0 ? QStringLiteral(", %1 per hit").arg(dollars(t.hitFeeMicros))
                                                  : QString())
                           << Qt::endl;
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
