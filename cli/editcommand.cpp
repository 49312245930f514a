#include "commands.h"

#include <QFile>

#include "commandsupport.h"
#include "core/text.h"
#include "review/safetyscanner.h"
#include "trust/approvals.h"

namespace l0 {

namespace {

class EditCommand final : public Command {
public:
    EditCommand()
        : Command(QStringLiteral("edit"),
            QStringLiteral("edit ENTRY@VERSION --content-file FILE [--key FILE | --reviewer NAME]"),
            QStringLiteral(
                "Fix a candidate's text: a new pending version authored by you, for someone else to approve."),
            { { QStringLiteral("reviewer"), QStringLiteral("Reviewer name recorded with a decision."),
                  QStringLiteral("NAME") },
                { QStringLiteral("key"), QStringLiteral("Your reviewer key (encrypted PEM)."), QStringLiteral("FILE") },
                { QStringLiteral("content-file"), QStringLiteral("The edited answer text."), QStringLiteral("FILE") },
                { QStringLiteral("profile"),
                    QStringLiteral("A tenant safety profile (JSON merged over the built-in one)."),
                    QStringLiteral("FILE") } })
    {
    }

    int run(const CommandLine &cmd, CommandIo &io) const override
    {
        const QStringList parts = cmd.args.value(1).split(QLatin1Char('@'));
        if (cmd.args.size() != 2 || parts.size() != 2 || !cmd.isSet(QStringLiteral("content-file")))
            return fail(io.err,
                QStringLiteral("usage: l0ctl edit ENTRY@VERSION --content-file FILE [--key FILE | --reviewer NAME]"),
                2);
        QFile f(cmd.value(QStringLiteral("content-file")));
        if (!f.open(QIODevice::ReadOnly))
            return fail(io.err, QStringLiteral("cannot read %1: %2").arg(f.fileName(), f.errorString()));
        const QByteArray text = f.readAll();
        if (!isValidUtf8(text))
            return fail(io.err, QStringLiteral("%1 is not UTF-8 text").arg(f.fileName()));
        auto store = openOrFail(cmd, io.err);
        if (!store)
            return 1;
        QString editor = reviewerName(cmd);
        if (cmd.isSet(QStringLiteral("key"))) {
            auto key = openPrivateKey(
                cmd.value(QStringLiteral("key")), QStringLiteral("Passphrase of your reviewer key: "), io.err);
            if (!key)
                return 1;
            auto who = reviewerForKey(store->session(), *key);
            if (!who)
                return fail(io.err, who.error().message);
            editor = *who;
        }
        const auto scanner = scannerFor(cmd, io.err);
        if (!scanner)
            return 1;
        auto v = editVersion(store->session(), parts[0].toLongLong(), parts[1].toInt(), QString::fromUtf8(text), editor,
            io.clock->nowMs(), scanner->report(QString::fromUtf8(text)));
        if (!v)
            return fail(io.err, v.error().message);
        io.out << parts[0] << '@' << *v << " pending (edited by " << editor << "; someone else must approve it)"
               << Qt::endl;
        return 0;
    }
};

} // namespace

std::unique_ptr<Command> makeEditCommand()
{
    return std::make_unique<EditCommand>();
}

} // namespace l0
