#include "commands.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>

#include "commandsupport.h"
#include "normalize/induction.h"
#include "normalize/intentmatcher.h"
#include "normalize/replay.h"
#include "normalize/rulepack.h"

namespace l0 {

namespace {

class RulesCommand final : public Command {
public:
    RulesCommand()
        : Command(QStringLiteral("rules"),
            QStringLiteral("rules check PACK | rules explain PACK \"query\" [--json] | rules explain PACK --data CSV | "
                           "rules induce --data TRAIN.csv "
                           "--out PACK [--target-false-hit-rate X] [--name NAME] | rules publish PACK --tenant NAME "
                           "| rules list [--tenant NAME] [--json] | rules approve|reject ID"),
            QStringLiteral("Validate a rule pack, show every normalization step for a query, learn a pack from "
                           "labelled examples; publish a pack for a tenant, which serves once approved."),
            { { QStringLiteral("json"), QStringLiteral("Print JSON.") },
                { QStringLiteral("tenant"), QStringLiteral("Tenant name."), QStringLiteral("NAME") },
                { QStringLiteral("reviewer"), QStringLiteral("Reviewer name recorded with a decision."),
                    QStringLiteral("NAME") },
                { QStringLiteral("data"), QStringLiteral("Labelled CSV (text,label)."), QStringLiteral("FILE") },
                { QStringLiteral("out"), QStringLiteral("Output file."), QStringLiteral("FILE") },
                { QStringLiteral("name"), QStringLiteral("Name of an induced pack."), QStringLiteral("NAME") },
                { QStringLiteral("target-false-hit-rate"),
                    QStringLiteral("False-hit rate an induced pack aims under (default 0.01)."), QStringLiteral("X") },
                { QStringLiteral("out-of-scope-share"),
                    QStringLiteral("Share of traffic an induced pack is calibrated to hold its target with out of "
                                   "scope (default 0.1)."),
                    QStringLiteral("X") } })
    {
    }

    int run(const CommandLine &cmd, CommandIo &io) const override
    {
        const QString sub = cmd.args.value(1);
        if (sub == QLatin1String("check")) {
            if (cmd.args.size() != 3)
                return fail(io.err, QStringLiteral("usage: l0ctl rules check PACK"), 2);
            bool ok = false;
            const QByteArray json = readFileOrFail(cmd.args.at(2), io.err, &ok);
            if (!ok)
                return 1;
            const QStringList problems = RulePack::check(json);
            if (problems.isEmpty()) {
                auto pack = RulePack::fromJson(json);
                io.out << "OK " << (*pack)->id() << ": " << (*pack)->intents.size() << " intents, "
                       << (*pack)->slotPatterns.size() << " slot patterns" << Qt::endl;
                return 0;
            }
            for (const QString &problem : problems)
                io.err << cmd.args.at(2) << ':' << problem.mid(5) << Qt::endl; // "PACK:N: message", like a compiler
            return 1;
        }
        if (sub == QLatin1String("explain") && cmd.args.size() == 3 && cmd.isSet(QStringLiteral("data"))) {
            // Every row of a replay CSV: one JSON line each, the row's label beside the match.
            auto pack = RulePack::fromFile(cmd.args.at(2));
            if (!pack)
                return fail(io.err, pack.error().message);
            auto rows = readReplayCsv(cmd.value(QStringLiteral("data")));
            if (!rows)
                return fail(io.err, rows.error().message);
            const IntentMatcher matcher(*pack);
            for (const LabelledText &r : *rows) {
                QJsonObject o = matchExplanationJson(matcher.match(r.text), {});
                o.remove(QLatin1String("steps"));
                o.insert(QLatin1String("text"), r.text);
                o.insert(QLatin1String("label"), r.label);
                printJson(io.out, o);
            }
            return 0;
        }
        if (sub == QLatin1String("explain")) {
            if (cmd.args.size() != 4)
                return fail(io.err,
                    QStringLiteral("usage: l0ctl rules explain PACK \"query\" | rules explain PACK --data CSV"), 2);
            auto pack = RulePack::fromFile(cmd.args.at(2));
            if (!pack)
                return fail(io.err, pack.error().message);
            const IntentMatcher matcher(*pack);
            QStringList trace;
            const IntentMatch m = matcher.match(cmd.args.at(3), &trace);
            if (cmd.isSet(QStringLiteral("json"))) {
                printJson(io.out, matchExplanationJson(m, trace));
                return 0;
            }
            io.out << "pack:         " << (*pack)->id() << " (abstain below margin " << (*pack)->abstainMargin
                   << ((*pack)->coveragePower > 0
                              ? QStringLiteral(", on margin x coverage^%1").arg((*pack)->coveragePower)
                              : QString())
                   << ")" << Qt::endl;
            for (const QString &line : trace)
                io.out << line << Qt::endl;
            return 0;
        }
        if (sub == QLatin1String("induce")) {
            if (!cmd.isSet(QStringLiteral("data")) || !cmd.isSet(QStringLiteral("out")))
                return fail(io.err,
                    QStringLiteral("usage: l0ctl rules induce --data TRAIN.csv --out PACK [--target-false-hit-rate X] "
                                   "[--out-of-scope-share X] [--name NAME]"),
                    2);
            auto rows = readReplayCsv(cmd.value(QStringLiteral("data")));
            if (!rows)
                return fail(io.err, rows.error().message);
            InductionOptions o;
            if (cmd.isSet(QStringLiteral("name")))
                o.name = cmd.value(QStringLiteral("name"));
            if (cmd.isSet(QStringLiteral("target-false-hit-rate"))) {
                bool ok = false;
                o.targetFalseHitRate = cmd.value(QStringLiteral("target-false-hit-rate")).toDouble(&ok);
                if (!ok || o.targetFalseHitRate <= 0 || o.targetFalseHitRate >= 1)
                    return fail(io.err, QStringLiteral("--target-false-hit-rate takes a number between 0 and 1"), 2);
            }
            if (cmd.isSet(QStringLiteral("out-of-scope-share"))) {
                bool ok = false;
                o.assumedOutOfScopeShare = cmd.value(QStringLiteral("out-of-scope-share")).toDouble(&ok);
                if (!ok || o.assumedOutOfScopeShare < 0 || o.assumedOutOfScopeShare >= 0.95)
                    return fail(io.err, QStringLiteral("--out-of-scope-share takes a number from 0 to 0.95"), 2);
            }
            InductionReport report;
            auto pack = inducePack(*rows, o, &report);
            if (!pack)
                return fail(io.err, pack.error().message);
            QFile f(cmd.value(QStringLiteral("out")));
            if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write((*pack)->toJson()) < 0 || !f.flush())
                return fail(io.err, QStringLiteral("cannot write %1: %2").arg(f.fileName(), f.errorString()));
            io.out << "wrote " << f.fileName() << ": " << report.intents << " intents from " << report.rows << " rows ("
                   << report.outOfScopeRows << " out of scope), " << report.features
                   << " weighted phrases; abstain below margin " << report.margin << "; held-out: answers "
                   << QString::number(report.heldOutCoverage * 100, 'f', 1)
                   << "% of in-scope queries at a projected false-hit rate of "
                   << QString::number(report.heldOutFalseHitRate * 100, 'f', 2) << "% (95% interval "
                   << QString::number(report.heldOutFalseHitLow * 100, 'f', 2) << "-"
                   << QString::number(report.heldOutFalseHitHigh * 100, 'f', 2) << "%, measured on folds the "
                   << "thresholds were not chosen on, with "
                   << QString::number(report.assumedOutOfScopeShare * 100, 'f', 0) << "% of traffic out of scope)"
                   << Qt::endl;
            // The same estimate at other shares of out-of-scope traffic: it holds up to the
            // share calibrated for; past it, it is what the held-out rates imply.
            QStringList shares;
            for (const double share : { 0.0, 0.03, 0.2, 0.5 }) {
                const InductionReport::Projection p = report.projectedAt(share);
                shares << QStringLiteral("%1%: %2% [%3-%4%]")
                              .arg(QString::number(share * 100, 'f', 0), QString::number(p.rate * 100, 'f', 2),
                                  QString::number(p.low * 100, 'f', 2), QString::number(p.high * 100, 'f', 2));
            }
            io.out << "projected false-hit rate by out-of-scope share of traffic (" << report.unseenIntentRows
                   << " held-out queries of unseen intents, " << report.outOfScopeRows
                   << " out-of-scope rows): " << shares.join(QStringLiteral(", ")) << Qt::endl;
            if (report.heldOutFalseHitRate > o.targetFalseHitRate)
                io.out << "note: on these rows no thresholds meet the target on folds they were not chosen on; "
                          "the pack answers only where it was most sure. More labelled rows make it answer more."
                       << Qt::endl;
            return 0;
        }
        if (sub == QLatin1String("publish")) {
            if (cmd.args.size() != 3 || !cmd.isSet(QStringLiteral("tenant")))
                return fail(io.err, QStringLiteral("usage: l0ctl rules publish PACK --tenant NAME"), 2);
            bool ok = false;
            const QByteArray json = readFileOrFail(cmd.args.at(2), io.err, &ok);
            if (!ok)
                return 1;
            auto pack = RulePack::fromJson(json);
            if (!pack)
                return fail(io.err, QStringLiteral("%1: %2").arg(cmd.args.at(2), pack.error().message));
            auto store = openOrFail(cmd, io.err);
            if (!store)
                return 1;
            const QString author = reviewerName(cmd);
            auto rec = store->addRulePack(
                cmd.value(QStringLiteral("tenant")), (*pack)->name, (*pack)->version, json, author);
            if (!rec)
                return fail(io.err, rec.error().message);
            io.out << "rule pack " << (*pack)->id() << " published for tenant " << rec->tenant << " as id " << rec->id
                   << " (pending: `l0ctl rules approve " << rec->id << "` makes it active)" << Qt::endl;
            return 0;
        }
        if (sub == QLatin1String("list")) {
            auto store = openOrFail(cmd, io.err);
            if (!store)
                return 1;
            auto packs = store->rulePacks(cmd.value(QStringLiteral("tenant")));
            if (!packs)
                return fail(io.err, packs.error().message);
            if (cmd.isSet(QStringLiteral("json"))) {
                QJsonArray a;
                for (const RulePackRecord &r : *packs)
                    a.append(QJsonObject { { QLatin1String("id"), r.id }, { QLatin1String("tenant"), r.tenant },
                        { QLatin1String("name"), r.name }, { QLatin1String("version"), r.version },
                        { QLatin1String("state"), r.state }, { QLatin1String("author"), r.author } });
                printJson(io.out, a);
            } else {
                for (const RulePackRecord &r : *packs)
                    io.out << r.id << '\t' << r.tenant << '\t' << r.name << '@' << r.version << '\t' << r.state << '\t'
                           << r.author << Qt::endl;
            }
            return 0;
        }
        if (sub == QLatin1String("approve") || sub == QLatin1String("reject")) {
            bool ok = false;
            const qint64 id = cmd.args.value(2).toLongLong(&ok);
            if (cmd.args.size() != 3 || !ok)
                return fail(io.err, QStringLiteral("usage: l0ctl rules %1 ID").arg(sub), 2);
            auto store = openOrFail(cmd, io.err);
            if (!store)
                return 1;
            const QString reviewer = reviewerName(cmd);
            if (auto s = store->decideRulePack(id, sub == QLatin1String("approve"), reviewer); !s)
                return fail(io.err, s.error().message);
            io.out << "rule pack " << id << (sub == QLatin1String("approve") ? " active" : " rejected") << Qt::endl;
            return 0;
        }
        return fail(
            io.err, QStringLiteral("usage: l0ctl rules check|explain|induce|publish|list|approve|reject ..."), 2);
    }
};

} // namespace

std::unique_ptr<Command> makeRulesCommand()
{
    return std::make_unique<RulesCommand>();
}

} // namespace l0
