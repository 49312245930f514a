#include "commands.h"

#include <QJsonArray>
#include <QJsonObject>

#include "commandsupport.h"
#include "trust/reviewqueue.h"

namespace l0 {

namespace {

class QueueCommand final : public Command {
public:
    QueueCommand()
        : Command(QStringLiteral("queue"),
            QStringLiteral("queue list [--json] [--state S | --all] [--tenant NAME] | queue claim [ENTRY@VERSION] "
                           "[--reviewer NAME] [--lease 5m] | queue release ENTRY@VERSION"),
            QStringLiteral("List candidates waiting for review; claim the most valuable free one (or one item) for "
                           "a while; release it."),
            { { QStringLiteral("json"), QStringLiteral("Print JSON.") },
                { QStringLiteral("tenant"), QStringLiteral("Tenant name."), QStringLiteral("NAME") },
                { QStringLiteral("state"), QStringLiteral("Queue state filter."), QStringLiteral("STATE") },
                { QStringLiteral("all"), QStringLiteral("Every state.") },
                { QStringLiteral("reviewer"), QStringLiteral("Reviewer name recorded with a decision."),
                    QStringLiteral("NAME") },
                { QStringLiteral("lease"), QStringLiteral("How long a claim lasts unless renewed (default 5m)."),
                    QStringLiteral("DURATION") } })
    {
    }

    int run(const CommandLine &cmd, CommandIo &io) const override
    {
        if (cmd.args.value(1) == QLatin1String("claim") || cmd.args.value(1) == QLatin1String("release")) {
            auto store = openOrFail(cmd, io.err);
            if (!store)
                return 1;
            const qint64 now = io.clock->nowMs();
            const auto lease = parseDuration(
                cmd.isSet(QStringLiteral("lease")) ? cmd.value(QStringLiteral("lease")) : QStringLiteral("5m"));
            if (!lease || *lease <= 0)
                return fail(io.err, QStringLiteral("--lease takes a duration such as 5m"), 2);
            if (cmd.args.value(1) == QLatin1String("release")) {
                const QStringList parts = cmd.args.value(2).split(QLatin1Char('@'));
                if (cmd.args.size() != 3 || parts.size() != 2)
                    return fail(
                        io.err, QStringLiteral("usage: l0ctl queue release ENTRY@VERSION [--reviewer NAME]"), 2);
                if (auto s = releaseItem(store->session(), parts[0].toLongLong(), parts[1].toInt(), reviewerName(cmd));
                    !s)
                    return fail(io.err, s.error().message);
                io.out << cmd.args.at(2) << " released" << Qt::endl;
                return 0;
            }
            Result<std::optional<Claim>> claim = std::optional<Claim>();
            if (cmd.args.size() == 3) {
                const QStringList parts = cmd.args.at(2).split(QLatin1Char('@'));
                if (parts.size() != 2)
                    return fail(io.err,
                        QStringLiteral(
                            "usage: l0ctl queue claim [ENTRY@VERSION] [--reviewer NAME] [--lease 5m] [--tenant NAME]"),
                        2);
                auto one = claimItem(
                    store->session(), parts[0].toLongLong(), parts[1].toInt(), reviewerName(cmd), *lease, now);
                if (!one)
                    return fail(io.err, one.error().message);
                claim = std::optional<Claim>(*one);
            } else {
                claim
                    = claimNext(store->session(), reviewerName(cmd), *lease, now, cmd.value(QStringLiteral("tenant")));
            }
            if (!claim)
                return fail(io.err, claim.error().message);
            if (!claim->has_value()) {
                io.out << (cmd.isSet(QStringLiteral("json")) ? "null" : "nothing to review") << Qt::endl;
                return 0;
            }
            const Claim c = **claim;
            if (cmd.isSet(QStringLiteral("json")))
                printJson(io.out,
                    QJsonObject { { QLatin1String("id"), c.entryId }, { QLatin1String("version"), c.version },
                        { QLatin1String("expires"), isoTime(c.expiresMs) } });
            else
                io.out << c.entryId << '@' << c.version << " claimed by " << reviewerName(cmd) << " until "
                       << isoTime(c.expiresMs) << Qt::endl;
            return 0;
        }
        if (cmd.args.value(1) != QLatin1String("list"))
            return fail(io.err,
                QStringLiteral("usage: l0ctl queue list [--json] [--state STATE | --all] [--tenant NAME] | queue claim "
                               "[ENTRY@VERSION] | queue release ENTRY@VERSION"),
                2);
        auto store = openOrFail(cmd, io.err);
        if (!store)
            return 1;
        QueueFilter f;
        f.all = cmd.isSet(QStringLiteral("all"));
        if (cmd.isSet(QStringLiteral("state"))) {
            f.state = versionStateFromName(cmd.value(QStringLiteral("state")));
            if (!f.state)
                return fail(io.err, QStringLiteral("unknown state '%1'").arg(cmd.value(QStringLiteral("state"))), 2);
        }
        f.tenant = cmd.value(QStringLiteral("tenant"));
        auto items = store->queue(f);
        if (!items)
            return fail(io.err, items.error().message);
        if (cmd.isSet(QStringLiteral("json"))) {
            QJsonArray a;
            for (const QueueItem &i : *items) {
                a.append(QJsonObject { { QLatin1String("id"), i.entryId }, { QLatin1String("version"), i.version },
                    { QLatin1String("state"), QLatin1String(versionStateName(i.state)) },
                    { QLatin1String("tenant"), i.tenant }, { QLatin1String("namespace"), i.ns },
                    { QLatin1String("tier"), i.tier }, { QLatin1String("model"), i.model },
                    { QLatin1String("risk"), i.risk }, { QLatin1String("demand"), i.hits },
                    { QLatin1String("query"), i.query }, { QLatin1String("preview"), i.preview },
                    { QLatin1String("created"), isoTime(i.createdMs) },
                    { QLatin1String("claimed_by"), i.claimedBy.isEmpty() ? QJsonValue() : QJsonValue(i.claimedBy) } });
            }
            printJson(io.out, a);
            return 0;
        }
        if (items->empty()) {
            io.out << "queue is empty" << Qt::endl;
            return 0;
        }
        for (const QueueItem &i : *items) {
            io.out << i.entryId << '@' << i.version << '\t' << versionStateName(i.state) << '\t' << i.tenant << '\t'
                   << i.model << '\t' << "demand " << i.hits << '\t' << i.query.left(60) << Qt::endl;
        }
        return 0;
    }
};

} // namespace

std::unique_ptr<Command> makeQueueCommand()
{
    return std::make_unique<QueueCommand>();
}

} // namespace l0
