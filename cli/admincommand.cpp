#include "commands.h"

#include "commandsupport.h"
#include "trust/adminkey.h"

namespace l0 {

namespace {

class AdminCommand final : public Command {
public:
    AdminCommand()
        : Command(QStringLiteral("admin"), QStringLiteral("admin init --dir DIR"),
            QStringLiteral("Make this install's admin key in DIR unless it has one: admin.pem (encrypted), "
                           "admin.pem.pub (pin it: l0-node --admin-pubkey DIR/admin.pem.pub) and admin.passphrase "
                           "(mode 0600; use it with L0_PASSPHRASE_FILE)."),
            { { QStringLiteral("dir"), QStringLiteral("The data directory."), QStringLiteral("DIR") } })
    {
    }

    int run(const CommandLine &cmd, CommandIo &io) const override
    {
        if (cmd.args.value(1) != QLatin1String("init") || !cmd.isSet(QStringLiteral("dir")))
            return fail(io.err, QStringLiteral("usage: l0ctl admin init --dir DIR"), 2);
        auto files = ensureAdminKey(cmd.value(QStringLiteral("dir")));
        if (!files)
            return fail(io.err, files.error().message);
        io.out << (files->created ? "created " : "kept ") << files->privateKey << " (encrypted; passphrase in "
               << files->passphrase << ") and " << files->publicKey << Qt::endl;
        return 0;
    }
};

} // namespace

std::unique_ptr<Command> makeAdminCommand()
{
    return std::make_unique<AdminCommand>();
}

} // namespace l0
