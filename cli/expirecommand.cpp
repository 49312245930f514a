#include "commands.h"

#include "commandsupport.h"
#include "trust/reviewqueue.h"

namespace l0 {

namespace {

class ExpireCommand final : public Command {
public:
    ExpireCommand()
        : Command(QStringLiteral("expire"), QStringLiteral("expire"),
            QStringLiteral("Mark approved answers whose lifetime ended as expired (nodes stop serving them at that "
                           "time regardless)."),
            {})
    {
    }

    int run(const CommandLine &cmd, CommandIo &io) const override
    {
        auto store = openOrFail(cmd, io.err);
        if (!store)
            return 1;
        auto n = expireDue(store->session(), io.clock->nowMs());
        if (!n)
            return fail(io.err, n.error().message);
        io.out << *n << " approved answers expired" << Qt::endl;
        return 0;
    }
};

} // namespace

std::unique_ptr<Command> makeExpireCommand()
{
    return std::make_unique<ExpireCommand>();
}

} // namespace l0
