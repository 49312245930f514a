#include "commands.h"

#include <QJsonArray>
#include <QJsonObject>

#include "commandsupport.h"
#include "store/aliasrules.h"
#include "trust/aliasdecisions.h"

namespace l0 {

namespace {

QJsonObject toJson(const AliasProposalRecord &a)
{
    return QJsonObject { { QLatin1String("id"), a.id }, { QLatin1String("tenant"), a.tenant },
        { QLatin1String("namespace"), a.ns }, { QLatin1String("entry"), a.entryId },
        { QLatin1String("version"), a.version }, { QLatin1String("query_key"), QString::fromLatin1(a.queryKey) },
        { QLatin1String("query"), a.query }, { QLatin1String("entry_query"), a.entryQuery },
        { QLatin1String("similarity"), a.similarity }, { QLatin1String("seen"), a.seen },
        { QLatin1String("first_ms"), a.firstMs }, { QLatin1String("last_ms"), a.lastMs },
        { QLatin1String("state"), a.state }, { QLatin1String("decided_by"), a.decidedBy },
        { QLatin1String("decided_ms"), a.decidedMs }, { QLatin1String("reason"), a.reason } };
}

// Alias proposals: queries the semantic tier found close to an approved entry without passing
// its threshold. A confirmation (signed) makes the query's exact key an alias of the entry.
class AliasCommand final : public Command {
public:
    AliasCommand()
        : Command(QStringLiteral("alias"),
            QStringLiteral("alias list [--state pending|confirmed|rejected | --all] [--tenant NAME] [--entry ID] "
                           "[--json] | alias confirm ID --key FILE | alias reject ID --key FILE [--reason TEXT]"),
            QStringLiteral("Alias proposals (\"same question as entry N?\"): list them, or decide one, signed with "
                           "your reviewer key (passphrase from L0_PASSPHRASE or a prompt). A confirmed query is "
                           "served as an exact hit of the entry; a rejected one is not proposed again."),
            { { QStringLiteral("state"), QStringLiteral("Queue state filter."), QStringLiteral("STATE") },
                { QStringLiteral("all"), QStringLiteral("Every state.") },
                { QStringLiteral("tenant"), QStringLiteral("Tenant name."), QStringLiteral("NAME") },
                { QStringLiteral("entry"), QStringLiteral("Only this entry."), QStringLiteral("ID") },
                { QStringLiteral("key"), QStringLiteral("Reviewer private key (PEM)."), QStringLiteral("FILE") },
                { QStringLiteral("reason"), QStringLiteral("Free-text reason."), QStringLiteral("TEXT") },
                { QStringLiteral("json"), QStringLiteral("Print JSON.") } })
    {
    }

    int run(const CommandLine &cmd, CommandIo &io) const override
    {
        const QString sub = cmd.args.value(1);
        if (sub == QLatin1String("list"))
            return list(cmd, io);
        if (sub == QLatin1String("confirm") || sub == QLatin1String("reject"))
            return decide(cmd, io, sub == QLatin1String("confirm"));
        return fail(io.err, QStringLiteral("usage: l0ctl %1").arg(synopsis()), 2);
    }

private:
    int list(const CommandLine &cmd, CommandIo &io) const
    {
        AliasFilter f;
        if (cmd.isSet(QStringLiteral("all")))
            f.state.clear();
        else if (cmd.isSet(QStringLiteral("state"))) {
            f.state = cmd.value(QStringLiteral("state"));
            if (f.state != QLatin1String("pending") && f.state != QLatin1String("confirmed")
                && f.state != QLatin1String("rejected"))
                return fail(io.err, QStringLiteral("--state is pending, confirmed or rejected"), 2);
        }
        f.tenant = cmd.value(QStringLiteral("tenant"));
        if (cmd.isSet(QStringLiteral("entry"))) {
            bool ok = false;
            f.entryId = cmd.value(QStringLiteral("entry")).toLongLong(&ok);
            if (!ok || f.entryId <= 0)
                return fail(io.err, QStringLiteral("--entry takes an entry id (a positive whole number)"), 2);
        }
        f.limit = 10000;
        auto store = openOrFail(cmd, io.err);
        if (!store)
            return 1;
        auto rows = aliasProposals(store->session(), f);
        if (!rows)
            return fail(io.err, rows.error().message);
        if (cmd.isSet(QStringLiteral("json"))) {
            QJsonArray a;
            for (const AliasProposalRecord &r : *rows)
                a.append(toJson(r));
            printJson(io.out, a);
            return 0;
        }
        if (rows->empty()) {
            io.out << "no alias proposals" << Qt::endl;
            return 0;
        }
        for (const AliasProposalRecord &r : *rows) {
            io.out << r.id << "  " << r.state << "  entry " << r.entryId << "  " << r.tenant << "  similarity "
                   << QString::number(r.similarity, 'f', 3) << "  seen " << r.seen << "  \"" << r.query.left(60)
                   << "\" ~ \"" << r.entryQuery.left(60) << '"';
            if (!r.decidedBy.isEmpty())
                io.out << "  by " << r.decidedBy;
            io.out << Qt::endl;
        }
        return 0;
    }

    int decide(const CommandLine &cmd, CommandIo &io, bool confirm) const
    {
        bool ok = false;
        const qint64 id = cmd.args.value(2).toLongLong(&ok);
        if (!ok || id <= 0 || !cmd.isSet(QStringLiteral("key")))
            return fail(io.err,
                QStringLiteral("usage: l0ctl alias %1 ID --key FILE%2")
                    .arg(confirm ? QStringLiteral("confirm") : QStringLiteral("reject"),
                        confirm ? QString() : QStringLiteral(" [--reason TEXT]")),
                2);
        auto signer = openReviewerSession(cmd, io.err);
        if (!signer)
            return 1;
        auto d = decideAliasSigned(
            signer.store->session(), id, confirm, *signer.key, cmd.value(QStringLiteral("reason")), io.clock->nowMs());
        if (!d)
            return fail(io.err, d.error().message);
        if (cmd.isSet(QStringLiteral("json"))) {
            printJson(io.out, toJson(*d));
            return 0;
        }
        io.out << "alias " << id << ' ' << d->state << ": \"" << d->query.left(60) << '"'
               << (confirm ? " is now served as entry " : " is not entry ") << d->entryId << Qt::endl;
        return 0;
    }
};

} // namespace

std::unique_ptr<Command> makeAliasCommand()
{
    return std::make_unique<AliasCommand>();
}

} // namespace l0
