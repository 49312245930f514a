#include "commands.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <cstdio>
#include <optional>

#include "commandsupport.h"
#include "review/safetyscanner.h"
#include "review/textmodel.h"

namespace l0 {

namespace {

LabelledSource labelledSource(const CommandLine &cmd)
{
    LabelledSource src;
    src.path = cmd.value(QStringLiteral("data"));
    if (cmd.isSet(QStringLiteral("text-field")))
        src.textField = cmd.value(QStringLiteral("text-field"));
    if (cmd.isSet(QStringLiteral("label-field")))
        src.labelField = cmd.value(QStringLiteral("label-field"));
    if (cmd.isSet(QStringLiteral("positive")))
        src.positive = cmd.value(QStringLiteral("positive")).split(QLatin1Char(','));
    if (cmd.isSet(QStringLiteral("negative")))
        src.negative = cmd.value(QStringLiteral("negative")).split(QLatin1Char(','));
    src.groupField = cmd.value(QStringLiteral("group-field"));
    return src;
}

int safetyTrain(const CommandLine &cmd, CommandIo &io)
{
    const auto kind = featureKindFromName(cmd.value(QStringLiteral("kind")));
    if (!kind || !cmd.isSet(QStringLiteral("data")) || !cmd.isSet(QStringLiteral("out"))
        || !cmd.isSet(QStringLiteral("name")))
        return fail(io.err,
            QStringLiteral("usage: l0ctl safety train --kind text|url|line --name NAME --data FILE --out MODEL "
                           "[--text-field F] [--label-field F] [--positive V,..] [--negative V,..] [--group-field F] "
                           "[--precision P]"),
            2);
    QStringList groups;
    auto rows = readLabelled(labelledSource(cmd), &groups);
    if (!rows)
        return fail(io.err, rows.error().message);
    TrainOptions o;
    o.kind = *kind;
    o.name = cmd.value(QStringLiteral("name"));
    if (cmd.isSet(QStringLiteral("precision"))) {
        bool ok = false;
        o.targetPrecision = cmd.value(QStringLiteral("precision")).toDouble(&ok);
        if (!ok || o.targetPrecision <= 0 || o.targetPrecision > 1)
            return fail(io.err, QStringLiteral("--precision must be a number in (0, 1]"), 2);
    }
    TrainReport report;
    const TextModel model
        = trainTextModel(*rows, o, &report, cmd.isSet(QStringLiteral("group-field")) ? &groups : nullptr);
    QSaveFile f(cmd.value(QStringLiteral("out")));
    if (!f.open(QIODevice::WriteOnly) || f.write(model.toJson()) < 0 || !f.commit())
        return fail(io.err, QStringLiteral("cannot write %1: %2").arg(f.fileName(), f.errorString()));
    io.out << QStringLiteral("%1: %2 positives, %3 negatives; held-out folds at threshold %4: precision %5 recall %6")
                  .arg(o.name)
                  .arg(report.positives)
                  .arg(report.negatives)
                  .arg(double(model.threshold), 0, 'f', 4)
                  .arg(report.foldPrecision, 0, 'f', 3)
                  .arg(report.foldRecall, 0, 'f', 3)
           << Qt::endl;
    return 0;
}

int safetyEval(const CommandLine &cmd, CommandIo &io)
{
    const QString family = cmd.value(QStringLiteral("family"));
    if (!cmd.isSet(QStringLiteral("data")) || family.isEmpty())
        return fail(io.err,
            QStringLiteral("usage: l0ctl safety eval --family PREFIX --data FILE [--text-field F] [--label-field F] "
                           "[--positive V,..] [--negative V,..] [--json]"),
            2);
    auto rows = readLabelled(labelledSource(cmd));
    if (!rows)
        return fail(io.err, rows.error().message);
    const auto scanner = scannerFor(cmd, io.err);
    if (!scanner)
        return 1;
    const DetectionCounts c = scanner->measure(*rows, family);
    if (cmd.isSet(QStringLiteral("json"))) {
        printJson(io.out,
            QJsonObject { { QLatin1String("family"), family }, { QLatin1String("rows"), qint64(rows->size()) },
                { QLatin1String("tp"), c.tp }, { QLatin1String("fp"), c.fp }, { QLatin1String("fn"), c.fn },
                { QLatin1String("precision"), c.precision() }, { QLatin1String("recall"), c.recall() } });
    } else {
        io.out << QStringLiteral("%1 on %2 rows: precision %3 recall %4 (tp %5, fp %6, fn %7)")
                      .arg(family)
                      .arg(rows->size())
                      .arg(c.precision(), 0, 'f', 3)
                      .arg(c.recall(), 0, 'f', 3)
                      .arg(c.tp)
                      .arg(c.fp)
                      .arg(c.fn)
               << Qt::endl;
    }
    return 0;
}

class SafetyCommand final : public Command {
public:
    SafetyCommand()
        : Command(QStringLiteral("safety"),
            QStringLiteral("safety scan [--json] | safety eval --family PREFIX --data FILE | safety train --kind K "
                           "--name N --data FILE --out MODEL"),
            QStringLiteral("Read JSON lines {\"text\": ...} on stdin; write one line each: risk and findings with "
                           "code-point spans."),
            { { QStringLiteral("json"), QStringLiteral("Print JSON.") },
                { QStringLiteral("data"), QStringLiteral("Labelled CSV (text,label)."), QStringLiteral("FILE") },
                { QStringLiteral("out"), QStringLiteral("Output file."), QStringLiteral("FILE") },
                { QStringLiteral("name"), QStringLiteral("Name of an induced pack."), QStringLiteral("NAME") },
                { QStringLiteral("kind"), QStringLiteral("What a safety model reads: text, url or line."),
                    QStringLiteral("KIND") },
                { QStringLiteral("family"), QStringLiteral("Detector family to measure (pii., secret., ...)."),
                    QStringLiteral("PREFIX") },
                { QStringLiteral("text-field"), QStringLiteral("Column or JSON field holding the text (default text)."),
                    QStringLiteral("F") },
                { QStringLiteral("label-field"),
                    QStringLiteral("Column or JSON field holding the label (default label)."), QStringLiteral("F") },
                { QStringLiteral("positive"), QStringLiteral("Labels that count as positive (default 1)."),
                    QStringLiteral("V,..") },
                { QStringLiteral("negative"), QStringLiteral("Labels that count as negative (default: all others)."),
                    QStringLiteral("V,..") },
                { QStringLiteral("profile"),
                    QStringLiteral("A tenant safety profile (JSON merged over the built-in one)."),
                    QStringLiteral("FILE") },
                { QStringLiteral("group-field"),
                    QStringLiteral("Column or JSON field whose equal values stay in one held-out fold."),
                    QStringLiteral("F") },
                { QStringLiteral("precision"),
                    QStringLiteral("Precision a trained model's threshold aims at (default 0.93)."),
                    QStringLiteral("P") } })
    {
    }

    int run(const CommandLine &cmd, CommandIo &io) const override
    {
        if (cmd.args.value(1) == QLatin1String("train"))
            return safetyTrain(cmd, io);
        if (cmd.args.value(1) == QLatin1String("eval"))
            return safetyEval(cmd, io);
        if (cmd.args.value(1) != QLatin1String("scan"))
            return fail(io.err, QStringLiteral("usage: l0ctl safety scan|eval|train ...; see l0ctl safety --help"), 2);
        const auto loaded = scannerFor(cmd, io.err);
        if (!loaded)
            return 1;
        const SafetyScanner &scanner = *loaded;
        std::optional<QTextStream> standardInput;
        if (!io.in)
            standardInput.emplace(stdin);
        QTextStream &in = io.in ? *io.in : *standardInput;
        qint64 line = 0;
        while (!in.atEnd()) {
            const QString raw = in.readLine();
            ++line;
            if (raw.trimmed().isEmpty())
                continue;
            QJsonParseError perr {};
            const QJsonObject o = QJsonDocument::fromJson(raw.toUtf8(), &perr).object();
            if (perr.error != QJsonParseError::NoError || !o.value(QLatin1String("text")).isString())
                return fail(io.err, QStringLiteral("line %1: expected {\"text\": \"...\"}").arg(line));
            const auto findings = scanner.scan(o.value(QLatin1String("text")).toString());
            QJsonArray list;
            for (const Finding &f : findings)
                list.append(f.toJson());
            io.out << QJsonDocument(
                QJsonObject { { QLatin1String("risk"), QLatin1String(riskName(scanner.risk(findings, 0))) },
                    { QLatin1String("findings"), list } })
                          .toJson(QJsonDocument::Compact)
                   << '\n';
        }
        io.out.flush();
        return 0;
    }
};

} // namespace

std::unique_ptr<Command> makeSafetyCommand()
{
    return std::make_unique<SafetyCommand>();
}

} // namespace l0
