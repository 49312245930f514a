#include "commands.h"

#include "commandsupport.h"

namespace l0 {

namespace {

class KeyCommand final : public Command {
public:
    KeyCommand()
        : Command(QStringLiteral("key"), QStringLiteral("key issue --tenant NAME [--scope tenant|manager]"),
            QStringLiteral("Issue an API key; it is printed once, as the last line. A manager key serves requests "
                           "as its tenant like any key, and may also read every tenant's numbers (the MCP "
                           "server's reports)."),
            { { QStringLiteral("tenant"), QStringLiteral("Tenant name."), QStringLiteral("NAME") },
                { QStringLiteral("scope"),
                    QStringLiteral("What the key may read: tenant (its own tenant, the default) or manager (every "
                                   "tenant)."),
                    QStringLiteral("SCOPE") } })
    {
    }

    int run(const CommandLine &cmd, CommandIo &io) const override
    {
        if (cmd.args.value(1) != QLatin1String("issue") || !cmd.isSet(QStringLiteral("tenant")))
            return fail(io.err, QStringLiteral("usage: l0ctl key issue --tenant NAME [--scope tenant|manager]"), 2);
        KeyScope scope = KeyScope::Tenant;
        if (cmd.isSet(QStringLiteral("scope"))) {
            const auto s = keyScopeFromName(cmd.value(QStringLiteral("scope")));
            if (!s)
                return fail(io.err, QStringLiteral("--scope is tenant or manager"), 2);
            scope = *s;
        }
        auto store = openOrFail(cmd, io.err);
        if (!store)
            return 1;
        auto key = store->issueKey(cmd.value(QStringLiteral("tenant")), scope);
        if (!key)
            return fail(io.err, key.error().message);
        // The key is shown once, as the last line, so scripts can take it with `tail -n1`.
        io.out << "# " << (scope == KeyScope::Manager ? "manager " : "") << "API key for tenant "
               << cmd.value(QStringLiteral("tenant")) << " (shown once; store it now):" << Qt::endl;
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
