#include "commands.h"

#include <QJsonArray>
#include <QJsonObject>

#include "commandsupport.h"
#include "normalize/induction.h"
#include "normalize/intentmatcher.h"
#include "normalize/replay.h"
#include "normalize/rulepack.h"
#include "service/cachereplay.h"

namespace l0 {

namespace {

class EvalCommand final : public Command {
public:
    EvalCommand()
        : Command(QStringLiteral("eval"),
            QStringLiteral("eval --tier l0|exact|chain [--rules PACK] [--warm WARM.csv] --data DATA.csv [--json]"),
            QStringLiteral("Replay labelled queries through a cache tier and report hit and false-hit rates."),
            { { QStringLiteral("json"), QStringLiteral("Print JSON.") },
                { QStringLiteral("data"), QStringLiteral("Labelled CSV (text,label)."), QStringLiteral("FILE") },
                { QStringLiteral("warm"), QStringLiteral("Labelled CSV that fills the cache before counting."),
                    QStringLiteral("FILE") },
                { QStringLiteral("rules"), QStringLiteral("Rule pack file."), QStringLiteral("PACK") },
                { QStringLiteral("tier"), QStringLiteral("Cache tier (eval; a ledger filter)."),
                    QStringLiteral("TIER") } })
    {
    }

    int run(const CommandLine &cmd, CommandIo &io) const override
    {
        const QString tierName = cmd.value(QStringLiteral("tier"));
        ReplayTier tier;
        if (tierName == QLatin1String("l0"))
            tier = ReplayTier::L0;
        else if (tierName == QLatin1String("exact"))
            tier = ReplayTier::Exact;
        else if (tierName == QLatin1String("chain"))
            tier = ReplayTier::Chain;
        else if (tierName == QLatin1String("semantic"))
            return fail(io.err, QStringLiteral("the semantic tier is not built yet; use l0, exact or chain"), 2);
        else
            return fail(io.err,
                QStringLiteral("usage: l0ctl eval --tier l0|exact|chain [--rules PACK] [--warm WARM.csv] --data "
                               "DATA.csv [--json]"),
                2);
        if (!cmd.isSet(QStringLiteral("data")))
            return fail(io.err, QStringLiteral("eval needs --data DATA.csv"), 2);
        std::unique_ptr<IntentMatcher> matcher;
        if (tier != ReplayTier::Exact) {
            if (!cmd.isSet(QStringLiteral("rules")))
                return fail(io.err, QStringLiteral("the %1 tier needs --rules PACK").arg(tierName), 2);
            auto pack = RulePack::fromFile(cmd.value(QStringLiteral("rules")));
            if (!pack)
                return fail(io.err, pack.error().message);
            matcher = std::make_unique<IntentMatcher>(*pack);
        }
        std::vector<LabelledText> warm;
        if (cmd.isSet(QStringLiteral("warm"))) {
            auto w = readReplayCsv(cmd.value(QStringLiteral("warm")));
            if (!w)
                return fail(io.err, w.error().message);
            warm = std::move(w.value());
        }
        auto data = readReplayCsv(cmd.value(QStringLiteral("data")));
        if (!data)
            return fail(io.err, data.error().message);
        const ReplayResult r = replayEvaluate(tier, matcher.get(), warm, *data);
        // 95% Wilson intervals, each query taken as one trial.
        const auto hitCi = wilsonInterval(double(r.hits), double(r.queries));
        const auto falseCi = wilsonInterval(double(r.falseHits), double(r.hits));
        if (cmd.isSet(QStringLiteral("json"))) {
            printJson(io.out,
                QJsonObject { { QLatin1String("queries"), r.queries }, { QLatin1String("hits"), r.hits },
                    { QLatin1String("false_hits"), r.falseHits }, { QLatin1String("hit_rate"), r.hitRate() },
                    { QLatin1String("false_hit_rate"), r.falseHitRate() },
                    { QLatin1String("hit_rate_ci"), QJsonArray { hitCi.first, hitCi.second } },
                    { QLatin1String("false_hit_rate_ci"), QJsonArray { falseCi.first, falseCi.second } },
                    { QLatin1String("ci_level"), 0.95 } });
        } else {
            auto ci = [](const std::pair<double, double> &c) {
                return QStringLiteral("95% CI %1-%2%")
                    .arg(QString::number(c.first * 100, 'f', 2), QString::number(c.second * 100, 'f', 2));
            };
            io.out << "queries " << r.queries << ", hits " << r.hits << " ("
                   << QString::number(r.hitRate() * 100, 'f', 2) << "%, " << ci(hitCi) << "), false hits "
                   << r.falseHits << " (" << QString::number(r.falseHitRate() * 100, 'f', 2) << "% of hits, "
                   << ci(falseCi) << ")" << Qt::endl;
        }
        return 0;
    }
};

} // namespace

std::unique_ptr<Command> makeEvalCommand()
{
    return std::make_unique<EvalCommand>();
}

} // namespace l0
