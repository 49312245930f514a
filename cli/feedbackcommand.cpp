#include "commands.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QTimeZone>

#include "commandsupport.h"

namespace l0 {

namespace {

// What clients said of the answers they were served (POST /v1/cache/feedback), per entry
// version, most thumbs-down first: where a reviewer should look again.
class FeedbackCommand final : public Command {
public:
    FeedbackCommand()
        : Command(QStringLiteral("feedback"), QStringLiteral("feedback [--tenant NAME] [--entry ID] [--json]"),
            QStringLiteral("Feedback clients gave on served answers, per entry version, most thumbs-down first."),
            { { QStringLiteral("tenant"), QStringLiteral("Tenant name."), QStringLiteral("NAME") },
                { QStringLiteral("entry"), QStringLiteral("Only this entry."), QStringLiteral("ID") },
                { QStringLiteral("json"), QStringLiteral("Print JSON.") } })
    {
    }

    int run(const CommandLine &cmd, CommandIo &io) const override
    {
        qint64 entry = 0;
        if (cmd.isSet(QStringLiteral("entry"))) {
            bool ok = false;
            entry = cmd.value(QStringLiteral("entry")).toLongLong(&ok);
            if (!ok || entry <= 0)
                return fail(io.err, QStringLiteral("--entry takes an entry id (a positive whole number)"), 2);
        }
        auto store = openOrFail(cmd, io.err);
        if (!store)
            return 1;
        auto rows = store->feedbackSummary(cmd.value(QStringLiteral("tenant")), entry);
        if (!rows)
            return fail(io.err, rows.error().message);
        if (cmd.isSet(QStringLiteral("json"))) {
            QJsonArray a;
            for (const FeedbackSummary &f : *rows)
                a.append(QJsonObject { { QLatin1String("entry"), f.entryId }, { QLatin1String("version"), f.version },
                    { QLatin1String("tenant"), f.tenant }, { QLatin1String("query"), f.query },
                    { QLatin1String("up"), f.up }, { QLatin1String("down"), f.down },
                    { QLatin1String("last_ms"), f.lastMs }, { QLatin1String("last_reason"), f.lastReason } });
            printJson(io.out, a);
            return 0;
        }
        if (rows->empty()) {
            io.out << "no feedback" << Qt::endl;
            return 0;
        }
        for (const FeedbackSummary &f : *rows) {
            io.out << f.entryId << '@' << f.version << "  " << f.tenant << "  up " << f.up << "  down " << f.down
                   << "  last " << QDateTime::fromMSecsSinceEpoch(f.lastMs, QTimeZone::utc()).toString(Qt::ISODate)
                   << "  " << f.query.left(60);
            if (!f.lastReason.isEmpty())
                io.out << "  (\"" << f.lastReason.left(80) << "\")";
            io.out << Qt::endl;
        }
        return 0;
    }
};

} // namespace

std::unique_ptr<Command> makeFeedbackCommand()
{
    return std::make_unique<FeedbackCommand>();
}

} // namespace l0
