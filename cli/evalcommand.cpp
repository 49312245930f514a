#include "commands.h"

#include <QFile>
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
            QStringLiteral("eval --tier l0|exact|semantic|chain [--rules PACK] [--embedder SPEC] "
                           "[--target-false-hit-rate X] [--curve] [--warm WARM.csv] --data DATA.csv [--json]"),
            QStringLiteral("Replay labelled queries through a cache tier and report hit and false-hit rates."),
            { { QStringLiteral("json"), QStringLiteral("Print JSON.") },
                { QStringLiteral("data"), QStringLiteral("Labelled CSV (text,label)."), QStringLiteral("FILE") },
                { QStringLiteral("warm"), QStringLiteral("Labelled CSV that fills the cache before counting."),
                    QStringLiteral("FILE") },
                { QStringLiteral("rules"), QStringLiteral("Rule pack file."), QStringLiteral("PACK") },
                { QStringLiteral("tier"), QStringLiteral("Cache tier (eval; a ledger filter)."),
                    QStringLiteral("TIER") },
                { QStringLiteral("embedder"), QStringLiteral("Embedder for the semantic tier (default builtin)."),
                    QStringLiteral("SPEC") },
                { QStringLiteral("target-false-hit-rate"),
                    QStringLiteral("The semantic tier's false-hit target (default 0.01)."), QStringLiteral("X") },
                { QStringLiteral("threshold"),
                    QStringLiteral("Serve any guarded neighbour this similar instead of learned thresholds."),
                    QStringLiteral("S") },
                { QStringLiteral("semantic-options"),
                    QStringLiteral("Semantic tier settings, comma-separated: rare_either=, rare_both=, prefix=, "
                                   "min_similarity=, confidence=, entry_spread=, min_observations=."),
                    QStringLiteral("K=V,...") },
                { QStringLiteral("trace"),
                    QStringLiteral("Write each semantic decision (query, neighbour, similarity, served, same "
                                   "label) as CSV."),
                    QStringLiteral("FILE") },
                { QStringLiteral("curve"),
                    QStringLiteral("Also replay at fixed similarity thresholds: hit rate against false-hit rate.") } })
    {
    }

    static QJsonObject toJson(const ReplayResult &r)
    {
        const auto hitCi = wilsonInterval(double(r.hits), double(r.queries));
        const auto falseCi = wilsonInterval(double(r.falseHits), double(r.hits));
        QJsonObject byTier;
        for (const auto &[t, n] : r.hitsByTier) {
            const auto f = r.falseHitsByTier.find(t);
            byTier.insert(QLatin1String(tierName(t)),
                QJsonObject { { QLatin1String("hits"), n },
                    { QLatin1String("false_hits"), f == r.falseHitsByTier.end() ? 0 : f->second } });
        }
        return QJsonObject { { QLatin1String("queries"), r.queries }, { QLatin1String("hits"), r.hits },
            { QLatin1String("false_hits"), r.falseHits }, { QLatin1String("hit_rate"), r.hitRate() },
            { QLatin1String("false_hit_rate"), r.falseHitRate() }, { QLatin1String("findable"), r.findable },
            { QLatin1String("true_hits"), r.trueHits }, { QLatin1String("recall"), r.recall() },
            { QLatin1String("by_tier"), byTier },
            { QLatin1String("hit_rate_ci"), QJsonArray { hitCi.first, hitCi.second } },
            { QLatin1String("false_hit_rate_ci"), QJsonArray { falseCi.first, falseCi.second } },
            { QLatin1String("ci_level"), 0.95 } };
    }

    static QString summary(const ReplayResult &r)
    {
        const auto hitCi = wilsonInterval(double(r.hits), double(r.queries));
        const auto falseCi = wilsonInterval(double(r.falseHits), double(r.hits));
        auto ci = [](const std::pair<double, double> &c) {
            return QStringLiteral("95% CI %1-%2%")
                .arg(QString::number(c.first * 100, 'f', 2), QString::number(c.second * 100, 'f', 2));
        };
        return QStringLiteral("queries %1, hits %2 (%3%, %4), false hits %5 (%6% of hits, %7), findable %8, "
                              "true hits %9 (recall %10%)")
            .arg(r.queries)
            .arg(r.hits)
            .arg(QString::number(r.hitRate() * 100, 'f', 2), ci(hitCi))
            .arg(r.falseHits)
            .arg(QString::number(r.falseHitRate() * 100, 'f', 2), ci(falseCi))
            .arg(r.findable)
            .arg(r.trueHits)
            .arg(QString::number(r.recall() * 100, 'f', 2));
    }

    int run(const CommandLine &cmd, CommandIo &io) const override
    {
        const QString tierName = cmd.value(QStringLiteral("tier"));
        ReplayOptions options;
        if (tierName == QLatin1String("l0"))
            options.tier = ReplayTier::L0;
        else if (tierName == QLatin1String("exact"))
            options.tier = ReplayTier::Exact;
        else if (tierName == QLatin1String("semantic"))
            options.tier = ReplayTier::Semantic;
        else if (tierName == QLatin1String("chain"))
            options.tier = ReplayTier::Chain;
        else
            return fail(io.err,
                QStringLiteral("usage: l0ctl eval --tier l0|exact|semantic|chain [--rules PACK] [--embedder SPEC] "
                               "[--target-false-hit-rate X] [--curve] [--warm WARM.csv] --data DATA.csv [--json]"),
                2);
        if (!cmd.isSet(QStringLiteral("data")))
            return fail(io.err, QStringLiteral("eval needs --data DATA.csv"), 2);
        options.semantic.enabled = options.tier == ReplayTier::Chain || options.tier == ReplayTier::Semantic;
        if (cmd.isSet(QStringLiteral("embedder")))
            options.semantic.embedderSpec = cmd.value(QStringLiteral("embedder"));
        if (cmd.isSet(QStringLiteral("target-false-hit-rate"))) {
            bool ok = false;
            const double x = cmd.value(QStringLiteral("target-false-hit-rate")).toDouble(&ok);
            if (!ok || x <= 0 || x >= 1)
                return fail(io.err, QStringLiteral("--target-false-hit-rate must be a number between 0 and 1"), 2);
            options.semantic.targetFalseHitRate = x;
        }
        if (cmd.isSet(QStringLiteral("threshold"))) {
            bool ok = false;
            const double x = cmd.value(QStringLiteral("threshold")).toDouble(&ok);
            if (!ok || x < 0 || x > 1)
                return fail(io.err, QStringLiteral("--threshold must be a similarity between 0 and 1"), 2);
            options.semantic.fixedThreshold = x;
        }
        if (cmd.isSet(QStringLiteral("semantic-options"))) {
            for (const QString &kv :
                cmd.value(QStringLiteral("semantic-options")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
                const QString k = kv.section(QLatin1Char('='), 0, 0).trimmed();
                bool ok = false;
                const double v = kv.section(QLatin1Char('='), 1).toDouble(&ok);
                if (!ok)
                    return fail(io.err, QStringLiteral("--semantic-options: %1 needs a number").arg(k), 2);
                GuardOptions &g = options.semantic.guards;
                ThresholdOptions &t = options.semantic.thresholds;
                if (k == QLatin1String("rare_either"))
                    g.rareEither = v;
                else if (k == QLatin1String("rare_both"))
                    g.rareBoth = v;
                else if (k == QLatin1String("prefix"))
                    g.prefixMatch = int(v);
                else if (k == QLatin1String("min_similarity"))
                    t.minSimilarity = v;
                else if (k == QLatin1String("confidence"))
                    t.confidence = v;
                else if (k == QLatin1String("entry_spread"))
                    t.entrySpread = v;
                else if (k == QLatin1String("min_observations"))
                    t.minObservations = int(v);
                else
                    return fail(io.err, QStringLiteral("--semantic-options: unknown setting %1").arg(k), 2);
            }
        }
        std::unique_ptr<IntentMatcher> matcher;
        if (options.tier == ReplayTier::L0 || options.tier == ReplayTier::Chain) {
            if (!cmd.isSet(QStringLiteral("rules")))
                return fail(io.err, QStringLiteral("the %1 tier needs --rules PACK").arg(tierName), 2);
            auto pack = RulePack::fromFile(cmd.value(QStringLiteral("rules")));
            if (!pack)
                return fail(io.err, pack.error().message);
            matcher = std::make_unique<IntentMatcher>(*pack);
            options.matcher = matcher.get();
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
        std::unique_ptr<QFile> traceFile;
        if (cmd.isSet(QStringLiteral("trace"))) {
            traceFile = std::make_unique<QFile>(cmd.value(QStringLiteral("trace")));
            if (!traceFile->open(QIODevice::WriteOnly | QIODevice::Truncate))
                return fail(io.err, QStringLiteral("cannot write %1").arg(traceFile->fileName()));
            traceFile->write("query,neighbour,similarity,served,same,counted\n");
            QFile *f = traceFile.get();
            options.trace = [f](const ReplaySemanticTrace &t) {
                auto q = [](const QString &s) -> QByteArray {
                    QByteArray out = s.toUtf8().replace('"', "\"\"");
                    out.prepend('"');
                    out.append('"');
                    return out;
                };
                const bool same = !t.queryLabel.isEmpty() && t.queryLabel == t.neighbourLabel;
                QByteArray line = q(t.query);
                line += ',';
                line += q(t.neighbour);
                line += ',';
                line += QByteArray::number(t.similarity, 'f', 4);
                line += t.served ? ",1," : ",0,";
                line += same ? "1," : "0,";
                line += t.counted ? "1\n" : "0\n";
                f->write(line);
            };
        }
        const auto r = replayEvaluate(options, warm, *data);
        options.trace = nullptr;
        if (!r)
            return fail(io.err, r.error().message);
        // The curve: fixed similarity thresholds, guards on, nothing learned.
        QJsonArray curve;
        const bool wantCurve = cmd.isSet(QStringLiteral("curve")) && options.semantic.enabled;
        if (wantCurve) {
            for (double t : { 0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95, 0.98 }) {
                ReplayOptions o = options;
                o.semantic.fixedThreshold = t;
                const auto c = replayEvaluate(o, warm, *data);
                if (!c)
                    return fail(io.err, c.error().message);
                QJsonObject point = toJson(*c);
                point.insert(QLatin1String("threshold"), t);
                curve.append(point);
                if (!cmd.isSet(QStringLiteral("json")))
                    io.out << "threshold " << QString::number(t, 'f', 2) << ": " << summary(*c) << Qt::endl;
            }
        }
        if (cmd.isSet(QStringLiteral("json"))) {
            QJsonObject out = toJson(*r);
            if (wantCurve)
                out.insert(QLatin1String("curve"), curve);
            printJson(io.out, out);
        } else {
            io.out << summary(*r) << Qt::endl;
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
