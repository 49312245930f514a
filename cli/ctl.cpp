#include "ctl.h"

#include <QCommandLineParser>

#include "commands.h"
#include "commandsupport.h"

namespace l0 {

QString ctlUsage()
{
    QString u = QStringLiteral("Usage: l0ctl [--db URL] COMMAND ...\n\nThe store is named by --db (sqlite:PATH or "
                               "postgresql://...) or L0_DB.\n\nCommands:\n");
    for (const auto &[name, c] : commands())
        u += QStringLiteral("  %1\n      %2\n").arg(c->synopsis(), c->description());
    u += QStringLiteral("\nRun `l0ctl COMMAND --help` for one command.\n");
    return u;
}

int runCtl(const QStringList &args, CommandIo &io)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("L0 Cache administration"));
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    p.addOptions(allOptions());
    QStringList argv { QStringLiteral("l0ctl") };
    argv += args;
    if (!p.parse(argv))
        return fail(io.err, p.errorText(), 2);
    const QStringList pos = p.positionalArguments();
    if (p.isSet(QStringLiteral("version"))) {
        io.out << "l0ctl " << L0_VERSION_STRING << Qt::endl;
        return 0;
    }
    if (pos.isEmpty()) {
        if (p.isSet(QStringLiteral("help"))) {
            io.out << ctlUsage();
            return 0;
        }
        io.err << ctlUsage();
        return 2;
    }
    auto it = commands().find(pos.first());
    if (it == commands().end())
        return fail(io.err, QStringLiteral("unknown command '%1'; run `l0ctl --help`").arg(pos.first()), 2);
    const Command &command = *it->second;
    if (p.isSet(QStringLiteral("help"))) {
        io.out << command.help() << Qt::flush;
        return 0;
    }
    return command.run(CommandLine { p, pos }, io);
}

int runCtl(const QStringList &args, QTextStream &out, QTextStream &err)
{
    CommandIo io { out, err };
    return runCtl(args, io);
}

} // namespace l0
