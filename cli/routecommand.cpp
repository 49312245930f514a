#include "commands.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSaveFile>

#include <optional>

#include "commandsupport.h"
#include "ledger/pricetable.h"
#include "route/routedata.h"
#include "route/routeevaluation.h"
#include "route/routermodel.h"
#include "route/routertraining.h"

namespace l0 {

namespace {

const QString kTrainUsage = QStringLiteral(
    "usage: l0ctl route train --data FILE [--data FILE ...] --strong MODEL --weak MODEL --out ROUTER.json "
    "[--name NAME] [--l2 A,B,..] [--epochs N] [--bits B] [--no-cascade] [--json]");
const QString kEvalUsage = QStringLiteral(
    "usage: l0ctl route eval (--router ROUTER.json | --folds K [--train-data FILE ...]) --data FILE [--data FILE ...] "
    "[--strong MODEL --weak MODEL] [--strategy learned|cascade] [--prices FILE] [--json]");

// Training options from the command line; nullopt after printing why.
std::optional<RouteTrainOptions> trainOptions(const CommandLine &cmd, QTextStream &err)
{
    RouteTrainOptions o;
    if (cmd.isSet(QStringLiteral("name")))
        o.name = cmd.value(QStringLiteral("name"));
    if (cmd.isSet(QStringLiteral("l2"))) {
        o.l2Grid.clear();
        for (const QString &part : cmd.value(QStringLiteral("l2")).split(QLatin1Char(','))) {
            bool ok = false;
            const double v = part.trimmed().toDouble(&ok);
            if (!ok || v < 0) {
                fail(err, QStringLiteral("--l2 takes non-negative numbers separated by commas"), 2);
                return std::nullopt;
            }
            o.l2Grid.push_back(v);
        }
    }
    if (cmd.isSet(QStringLiteral("dense-l2"))) {
        bool ok = false;
        o.denseL2 = cmd.value(QStringLiteral("dense-l2")).toDouble(&ok);
        if (!ok || o.denseL2 < 0) {
            fail(err, QStringLiteral("--dense-l2 must be a non-negative number"), 2);
            return std::nullopt;
        }
    }
    if (cmd.isSet(QStringLiteral("epochs"))) {
        bool ok = false;
        o.epochs = cmd.value(QStringLiteral("epochs")).toInt(&ok);
        if (!ok || o.epochs < 1 || o.epochs > 1000) {
            fail(err, QStringLiteral("--epochs must be 1..1000"), 2);
            return std::nullopt;
        }
    }
    if (cmd.isSet(QStringLiteral("bits"))) {
        bool ok = false;
        o.bits = cmd.value(QStringLiteral("bits")).toInt(&ok);
        if (!ok || o.bits < 8 || o.bits > 24) {
            fail(err, QStringLiteral("--bits must be 8..24"), 2);
            return std::nullopt;
        }
    }
    o.cascade = !cmd.isSet(QStringLiteral("no-cascade"));
    return o;
}

// Rows of every file, for this pair; nullopt after printing why.
std::optional<std::vector<RouteExample>> readAll(
    const QStringList &paths, const QString &strong, const QString &weak, QTextStream &err, bool *allText = nullptr)
{
    std::vector<RouteExample> rows;
    bool text = true;
    for (const QString &path : paths) {
        auto set = readRouteData(path, strong, weak);
        if (!set) {
            fail(err, set.error().message);
            return std::nullopt;
        }
        text = text && set->allHaveWeakText;
        rows.insert(rows.end(), set->rows.begin(), set->rows.end());
    }
    if (allText)
        *allText = text;
    return rows;
}

int routeTrain(const CommandLine &cmd, CommandIo &io)
{
    const QStringList data = cmd.parser.values(QStringLiteral("data"));
    const QString strong = cmd.value(QStringLiteral("strong"));
    const QString weak = cmd.value(QStringLiteral("weak"));
    if (data.isEmpty() || strong.isEmpty() || weak.isEmpty() || !cmd.isSet(QStringLiteral("out")))
        return fail(io.err, kTrainUsage, 2);
    auto options = trainOptions(cmd, io.err);
    if (!options)
        return 2;
    auto rows = readAll(data, strong, weak, io.err);
    if (!rows)
        return 1;
    RouteTrainReport report;
    RouterModel model = trainRouterModel(*rows, strong, weak, *options, &report);
    QSaveFile f(cmd.value(QStringLiteral("out")));
    if (!f.open(QIODevice::WriteOnly) || f.write(model.toJson()) < 0 || !f.commit())
        return fail(io.err, QStringLiteral("cannot write %1: %2").arg(f.fileName(), f.errorString()));
    const auto t95 = model.thresholdFor(0.95, RouteStrategy::Learned);
    const auto c95 = model.thresholdFor(0.95, RouteStrategy::Cascade);
    if (cmd.isSet(QStringLiteral("json"))) {
        QJsonObject o { { QLatin1String("rows"), report.rows }, { QLatin1String("weak_good"), report.weakGood },
            { QLatin1String("learned_l2"), report.learnedL2 },
            { QLatin1String("learned_log_loss"), report.learnedLogLoss }, { QLatin1String("cascade"), report.cascade },
            { QLatin1String("learned_threshold_95"), t95 ? QJsonValue(*t95) : QJsonValue() } };
        if (report.cascade) {
            o.insert(QLatin1String("cascade_l2"), report.cascadeL2);
            o.insert(QLatin1String("cascade_log_loss"), report.cascadeLogLoss);
            o.insert(QLatin1String("cascade_threshold_95"), c95 ? QJsonValue(*c95) : QJsonValue());
        }
        printJson(io.out, o);
    } else {
        io.out << QStringLiteral("%1: %2 rows, weak as good as strong on %3; learned L2 %4 (out-of-fold log loss %5)")
                      .arg(f.fileName())
                      .arg(report.rows)
                      .arg(report.weakGood)
                      .arg(report.learnedL2)
                      .arg(report.learnedLogLoss, 0, 'f', 4);
        if (report.cascade)
            io.out << QStringLiteral("; cascade L2 %1 (log loss %2)")
                          .arg(report.cascadeL2)
                          .arg(report.cascadeLogLoss, 0, 'f', 4);
        else
            io.out << QStringLiteral("; no cascade part (fewer than 10 rows have the weak model's text)");
        io.out << Qt::endl;
    }
    return 0;
}

QString pointText(const RouteEvalPoint &p)
{
    return QStringLiteral("strong share %1, quality %2, cost ratio %3")
        .arg(p.strongShare, 0, 'f', 3)
        .arg(p.quality, 0, 'f', 4)
        .arg(p.costRatio ? QString::number(*p.costRatio, 'f', 3) : QStringLiteral("unknown (unpriced model)"));
}

int routeEval(const CommandLine &cmd, CommandIo &io)
{
    const QStringList data = cmd.parser.values(QStringLiteral("data"));
    const bool folds = cmd.isSet(QStringLiteral("folds"));
    if (data.isEmpty() || folds == cmd.isSet(QStringLiteral("router")))
        return fail(io.err, kEvalUsage, 2);
    RouteStrategy strategy = RouteStrategy::Learned;
    if (cmd.isSet(QStringLiteral("strategy"))) {
        const auto s = routeStrategyFromName(cmd.value(QStringLiteral("strategy")));
        if (!s || *s == RouteStrategy::Fixed)
            return fail(io.err, QStringLiteral("--strategy must be learned or cascade"), 2);
        strategy = *s;
    }
    std::optional<RouterModel> router;
    if (!folds) {
        auto loaded = RouterModel::load(cmd.value(QStringLiteral("router")));
        if (!loaded)
            return fail(io.err, loaded.error().message);
        router = std::move(*loaded);
        if (strategy == RouteStrategy::Cascade && !router->hasCascade())
            return fail(io.err,
                QStringLiteral("%1 has no cascade part (it was trained without the weak model's text)")
                    .arg(cmd.value(QStringLiteral("router"))));
    }
    const QString strong = cmd.isSet(QStringLiteral("strong")) ? cmd.value(QStringLiteral("strong"))
        : router                                               ? router->strongModel()
                                                               : QString();
    const QString weak = cmd.isSet(QStringLiteral("weak")) ? cmd.value(QStringLiteral("weak"))
        : router                                           ? router->weakModel()
                                                           : QString();
    if (strong.isEmpty() || weak.isEmpty())
        return fail(io.err, kEvalUsage, 2);
    bool allText = true;
    auto rows = readAll(data, strong, weak, io.err, &allText);
    if (!rows)
        return 1;
    if (strategy == RouteStrategy::Cascade && !allText)
        return fail(io.err,
            QStringLiteral("%1: a cascade reads the weak model's answer, and some rows have no \"text\" for %2")
                .arg(data.constFirst(), weak));

    auto prices = PriceTable::builtin();
    if (!prices)
        return fail(io.err, prices.error().message);
    if (cmd.isSet(QStringLiteral("prices"))) {
        auto extra = PriceTable::fromFile(cmd.value(QStringLiteral("prices")));
        if (!extra)
            return fail(io.err, extra.error().message);
        prices->merge(*extra);
    }

    std::vector<double> scores;
    std::optional<double> modelThreshold;
    QJsonObject foldInfo;
    if (router) {
        scores.reserve(rows->size());
        for (const RouteExample &r : *rows) {
            const ChatRequest req = RouterModel::requestForPrompt(r.prompt);
            scores.push_back(strategy == RouteStrategy::Cascade ? router->cascadeAcceptScore(req, r.weakText)
                                                                : router->weakGoodProbability(req));
        }
        modelThreshold = router->thresholdFor(0.95, strategy);
    } else {
        bool ok = false;
        const int k = cmd.value(QStringLiteral("folds")).toInt(&ok);
        if (!ok || k < 2 || k > 100)
            return fail(io.err, QStringLiteral("--folds must be 2..100"), 2);
        auto options = trainOptions(cmd, io.err);
        if (!options)
            return 2;
        auto extra = readAll(cmd.parser.values(QStringLiteral("train-data")), strong, weak, io.err);
        if (!extra)
            return 1;
        options->cascade = strategy == RouteStrategy::Cascade;
        std::vector<double> learned, cascade;
        crossValidatedScores(*rows, *extra, strong, weak, *options, k, &learned,
            strategy == RouteStrategy::Cascade ? &cascade : nullptr);
        scores = strategy == RouteStrategy::Cascade ? cascade : learned;
        foldInfo = QJsonObject { { QLatin1String("folds"), k },
            { QLatin1String("extra_training_rows"), qint64(extra->size()) } };
    }

    const RouteEvaluation ev = evaluateRouting(*rows, scores, strategy, strong, weak, &*prices, modelThreshold);
    for (const QString &m : ev.unpriced)
        io.err << QStringLiteral("l0ctl: warning: no price for %1 in the price table (add it with --prices FILE); "
                                 "cost_ratio is null")
                      .arg(m)
               << Qt::endl;
    if (cmd.isSet(QStringLiteral("json"))) {
        QJsonObject o = ev.toJson();
        for (auto it = foldInfo.begin(); it != foldInfo.end(); ++it)
            o.insert(it.key(), it.value());
        printJson(io.out, o);
        return 0;
    }
    io.out << QStringLiteral("%1 prompts (%2): strong quality %3, weak quality %4")
                  .arg(ev.prompts)
                  .arg(QLatin1String(routeStrategyName(strategy)))
                  .arg(ev.strongQuality, 0, 'f', 4)
                  .arg(ev.weakQuality, 0, 'f', 4)
           << Qt::endl;
    io.out << QStringLiteral("at 95% of strong quality: ") << pointText(ev.atTarget) << Qt::endl;
    if (ev.atModelThreshold)
        io.out << QStringLiteral("at the model's own 95% threshold %1: ").arg(ev.atModelThreshold->threshold, 0, 'f', 4)
               << pointText(*ev.atModelThreshold) << Qt::endl;
    return 0;
}

class RouteCommand final : public Command {
public:
    RouteCommand()
        : Command(QStringLiteral("route"),
            QStringLiteral("route train --data FILE [--data FILE ...] --strong MODEL --weak MODEL --out ROUTER.json | "
                           "route eval --router ROUTER.json --data FILE [--strategy learned|cascade] [--json]"),
            QStringLiteral(
                "Train a router (which requests the weak model answers as well as the strong one) on routing data "
                "(JSON lines {\"prompt\", \"answers\": {model: {\"text\"|\"chars\", \"correct\"|\"score\"}}}), "
                "and measure one on a file: quality and cost against always-strong along the threshold curve. "
                "--folds K evaluates by cross-validation instead (a model trained on the other folds scores each "
                "fold; --train-data adds rows to every training)."),
            { { QStringLiteral("json"), QStringLiteral("Print JSON.") },
                { QStringLiteral("data"), QStringLiteral("Routing data, JSON lines (repeatable for train)."),
                    QStringLiteral("FILE") },
                { QStringLiteral("out"), QStringLiteral("Output file."), QStringLiteral("FILE") },
                { QStringLiteral("name"), QStringLiteral("Name recorded in a trained router."),
                    QStringLiteral("NAME") },
                { QStringLiteral("strong"), QStringLiteral("The strong (dearer) model."), QStringLiteral("MODEL") },
                { QStringLiteral("weak"), QStringLiteral("The weak (cheaper) model."), QStringLiteral("MODEL") },
                { QStringLiteral("router"), QStringLiteral("A router model (route train --out)."),
                    QStringLiteral("FILE") },
                { QStringLiteral("strategy"), QStringLiteral("Routing strategy: learned or cascade."),
                    QStringLiteral("STRATEGY") },
                { QStringLiteral("folds"), QStringLiteral("Cross-validate with K folds instead of --router."),
                    QStringLiteral("K") },
                { QStringLiteral("train-data"), QStringLiteral("More training rows for --folds (repeatable)."),
                    QStringLiteral("FILE") },
                { QStringLiteral("prices"), QStringLiteral("A price table merged over the built-in one."),
                    QStringLiteral("FILE") },
                { QStringLiteral("l2"),
                    QStringLiteral("L2 strengths to choose from (default 1e-3,3e-3,1e-2,3e-2,1e-1)."),
                    QStringLiteral("A,B,..") },
                { QStringLiteral("dense-l2"), QStringLiteral("L2 of the dense features (default 1e-3)."),
                    QStringLiteral("L2") },
                { QStringLiteral("epochs"), QStringLiteral("Training passes (default 10)."), QStringLiteral("N") },
                { QStringLiteral("bits"), QStringLiteral("Hashed feature bits (default 18)."), QStringLiteral("B") },
                { QStringLiteral("no-cascade"), QStringLiteral("Train the learned part only.") } })
    {
    }

    int run(const CommandLine &cmd, CommandIo &io) const override
    {
        if (cmd.args.value(1) == QLatin1String("train"))
            return routeTrain(cmd, io);
        if (cmd.args.value(1) == QLatin1String("eval"))
            return routeEval(cmd, io);
        return fail(io.err, QStringLiteral("usage: l0ctl route train|eval ...; see l0ctl route --help"), 2);
    }
};

} // namespace

std::unique_ptr<Command> makeRouteCommand()
{
    return std::make_unique<RouteCommand>();
}

} // namespace l0
