#include "commands.h"
#include "commandsupport.h"

namespace l0 {

namespace {

class MigrateCommand final : public Command {
public:
    MigrateCommand()
        : Command(QStringLiteral("migrate"), QStringLiteral("migrate"),
            QStringLiteral("Apply pending schema migrations."), {})
    {
    }

    int run(const CommandLine &cmd, CommandIo &io) const override
    {
        auto store = openOrFail(cmd, io.err, false);
        if (!store)
            return 1;
        if (auto s = store->migrate(); !s)
            return fail(io.err, s.error().message);
        auto v = store->schemaVersion();
        if (!v)
            return fail(io.err, v.error().message);
        io.out << "schema at version " << *v << Qt::endl;
        return 0;
    }
};

} // namespace

std::unique_ptr<Command> makeMigrateCommand()
{
    return std::make_unique<MigrateCommand>();
}

} // namespace l0
