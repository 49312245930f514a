#include "commands.h"

#include <optional>

#include "commandsupport.h"
#include "trust/rolegrant.h"

namespace l0 {

namespace {

class RoleCommand final : public Command {
public:
    RoleCommand()
        : Command(QStringLiteral("role"),
            QStringLiteral("role grant LOGIN --as node|reviewer|manager|admin [--tenant NAME]"),
            QStringLiteral("PostgreSQL: make a login a node, reviewer (scoped to tenants), manager or admin."),
            { { QStringLiteral("tenant"), QStringLiteral("Tenant name."), QStringLiteral("NAME") },
                { QStringLiteral("as"), QStringLiteral("Role to grant: node, reviewer, manager or admin."),
                    QStringLiteral("ROLE") } })
    {
    }

    int run(const CommandLine &cmd, CommandIo &io) const override
    {
        const QString as = cmd.value(QStringLiteral("as"));
        if (cmd.args.value(1) != QLatin1String("grant") || cmd.args.size() != 3 || !grantableRoles().contains(as))
            return fail(io.err,
                QStringLiteral("usage: l0ctl role grant LOGIN --as node|reviewer|manager|admin [--tenant NAME]"), 2);
        const QString login = cmd.args.at(2);
        if (!isPlainRoleName(login))
            return fail(io.err,
                QStringLiteral("'%1' is not a plain PostgreSQL role name (lower case letters, digits, _)").arg(login),
                2);
        auto store = openOrFail(cmd, io.err);
        if (!store)
            return 1;
        const std::optional<QString> tenant = cmd.isSet(QStringLiteral("tenant"))
            ? std::optional<QString>(cmd.value(QStringLiteral("tenant")))
            : std::nullopt;
        if (auto s = grantRole(*store, login, as, tenant); !s)
            return fail(io.err, s.error().message);
        io.out << login << " is now l0_" << as
               << (cmd.isSet(QStringLiteral("tenant"))
                          ? QStringLiteral(" for tenant ") + cmd.value(QStringLiteral("tenant"))
                          : QString())
               << Qt::endl;
        return 0;
    }
};

} // namespace

std::unique_ptr<Command> makeRoleCommand()
{
    return std::make_unique<RoleCommand>();
}

} // namespace l0
