#include "commands.h"

#include <QJsonArray>
#include <QJsonObject>

#include "commandsupport.h"
#include "ledger/budget.h"
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

class TenantCommand final : public Command {
public:
    TenantCommand()
        : Command(QStringLiteral("tenant"),
            QStringLiteral("tenant add NAME [--policy P] | tenant list | tenant set-policy NAME --policy P | tenant "
                           "set-ttl NAME --ttl 30d | tenant set-budget NAME --budget DOLLARS|none [--hard|--soft] | "
                           "tenant set-limits NAME [--rpm N|none] [--tpm N|none] "
                           "[--stale-grace DURATION] | tenant set-retention NAME --responses DURATION|default | "
                           "tenant set-fee NAME --fee DOLLARS|none"),
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
                        { QLatin1String("hit_fee_micros"), t.hitFeeMicros } });
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
