#include "commands.h"

#include "commandsupport.h"
#include "trust/auditlog.h"
#include "trust/auditrestore.h"

namespace l0 {

namespace {

class AuditCommand final : public Command {
public:
    AuditCommand()
        : Command(QStringLiteral("audit"), QStringLiteral("audit verify | audit restore --admin-key FILE [--dry-run]"),
            QStringLiteral("verify: check the audit chain and that every stored version, approval and rule pack "
                           "follows from it; prints OK ROWS, or each row that does not, and exits 1. restore: put "
                           "every such row back to what the chain and its signatures say, signed with the admin "
                           "key and recorded in the chain (--dry-run: only show what would change)."),
            { { QStringLiteral("admin-key"), QStringLiteral("The admin's private key (encrypted PEM)."),
                  QStringLiteral("FILE") },
                { QStringLiteral("dry-run"), QStringLiteral("Show what a restore would change; change nothing.") } })
    {
    }

    int run(const CommandLine &cmd, CommandIo &io) const override
    {
        const QString sub = cmd.args.value(1);
        if (sub == QLatin1String("verify"))
            return verify(cmd, io);
        if (sub == QLatin1String("restore"))
            return restore(cmd, io);
        return fail(
            io.err, QStringLiteral("usage: l0ctl audit verify | audit restore --admin-key FILE [--dry-run]"), 2);
    }

private:
    static int verify(const CommandLine &cmd, CommandIo &io)
    {
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
        if (report->brokenRow > 0) {
            io.out << "BROKEN at row " << report->brokenRow << ": " << report->reason << Qt::endl;
            return 1;
        }
        for (const StateDifference &d : report->differences)
            io.out << "DIFFERS " << d.describe() << Qt::endl;
        io.out << "BROKEN: " << report->differences.size() << " stored rows do not follow from the audit chain ("
               << "l0ctl audit restore puts them back)" << Qt::endl;
        return 1;
    }

    static int restore(const CommandLine &cmd, CommandIo &io)
    {
        const bool dryRun = cmd.isSet(QStringLiteral("dry-run"));
        if (!dryRun && !cmd.isSet(QStringLiteral("admin-key")))
            return fail(io.err, QStringLiteral("usage: l0ctl audit restore --admin-key FILE [--dry-run]"), 2);
        std::optional<SigningKey> admin;
        if (!dryRun) {
            admin = openPrivateKey(
                cmd.value(QStringLiteral("admin-key")), QStringLiteral("Passphrase of the admin key: "), io.err);
            if (!admin)
                return 1;
        }
        auto store = openOrFail(cmd, io.err);
        if (!store)
            return 1;
        auto report = restoreFromChain(store->session(), admin ? &*admin : nullptr, io.clock->nowMs(), dryRun);
        if (!report)
            return fail(io.err, report.error().message);
        if (report->brokenRow > 0)
            return fail(io.err,
                QStringLiteral("the audit chain is broken at row %1 (%2): nothing to restore from")
                    .arg(report->brokenRow)
                    .arg(report->brokenReason));
        for (const StateDifference &d : report->restored)
            io.out << (dryRun ? "WOULD RESTORE " : "RESTORED ") << d.describe() << Qt::endl;
        for (const StateDifference &d : report->left)
            io.out << "CANNOT RESTORE " << d.describe() << Qt::endl;
        io.out << (dryRun ? "would restore " : "restored ") << report->restored.size() << " rows" << Qt::endl;
        if (!report->left.empty())
            return fail(io.err,
                QStringLiteral("%1 rows cannot be restored from the chain (revoke or edit those versions)")
                    .arg(report->left.size()));
        return 0;
    }
};

} // namespace

std::unique_ptr<Command> makeAuditCommand()
{
    return std::make_unique<AuditCommand>();
}

} // namespace l0
