#include "commands.h"

#include "commandsupport.h"
#include "trust/auditlog.h"

namespace l0 {

namespace {

class AuditCommand final : public Command {
public:
    AuditCommand()
        : Command(QStringLiteral("audit"), QStringLiteral("audit verify"),
            QStringLiteral("Check the audit chain and the state it records; prints OK ROWS, or the first broken "
                           "row and exits 1."),
            {})
    {
    }

    int run(const CommandLine &cmd, CommandIo &io) const override
    {
        if (cmd.args.value(1) != QLatin1String("verify"))
            return fail(io.err, QStringLiteral("usage: l0ctl audit verify"), 2);
        auto store = openOrFail(cmd, io.err);
        if (!store)
            return 1;
        auto report = verifyAudit(store->session());
        if (!report)
            return fail(io.err, report.error().message);
        if (report->ok) {
            io.out << "OK " << report->rows << Qt::endl;
            return 0;
        }
        if (report->brokenRow > 0)
            io.out << "BROKEN at row " << report->brokenRow << ": " << report->reason << Qt::endl;
        else
            io.out << "BROKEN: " << report->reason << Qt::endl;
        return 1;
    }
};

} // namespace

std::unique_ptr<Command> makeAuditCommand()
{
    return std::make_unique<AuditCommand>();
}

} // namespace l0
