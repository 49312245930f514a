#include "commands.h"

#include "commandsupport.h"

namespace l0 {

namespace {

class KeyCommand final : public Command {
public:
    KeyCommand()
        : Command(QStringLiteral("key"), QStringLiteral("key issue --tenant NAME"),
            QStringLiteral("Issue an API key; it is printed once, as the last line."),
            { { QStringLiteral("tenant"), QStringLiteral("Tenant name."), QStringLiteral("NAME") } })
    {
    }

    int run(const CommandLine &cmd, CommandIo &io) const override
    {
        if (cmd.args.value(1) != QLatin1String("issue") || !cmd.isSet(QStringLiteral("tenant")))
            return fail(io.err, QStringLiteral("usage: l0ctl key issue --tenant NAME"), 2);
        auto store = openOrFail(cmd, io.err);
        if (!store)
            return 1;
        auto key = store->issueKey(cmd.value(QStringLiteral("tenant")));
        if (!key)
            return fail(io.err, key.error().message);
        // The key is shown once, as the last line, so scripts can take it with `tail -n1`.
        io.out << "# API key for tenant " << cmd.value(QStringLiteral("tenant"))
               << " (shown once; store it now):" << Qt::endl;
        io.out << key->key << Qt::endl;
        return 0;
    }
};

} // namespace

std::unique_ptr<Command> makeKeyCommand()
{
    return std::make_unique<KeyCommand>();
}

} // namespace l0
