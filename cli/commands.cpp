#include "commands.h"

#include <QHash>

namespace l0 {

const std::map<QString, std::unique_ptr<Command>> &commands()
{
    static const std::map<QString, std::unique_ptr<Command>> table = [] {
        std::map<QString, std::unique_ptr<Command>> t;
        for (auto make : { makeMigrateCommand, makeTenantCommand, makeKeyCommand, makeQueueCommand, makeApproveCommand,
                 makeWithdrawCommand, makeRevokeCommand, makeEditCommand, makeExpireCommand, makeReviewerCommand,
                 makeRoleCommand, makeAuditCommand, makeAdminCommand, makeSafetyCommand, makeRulesCommand,
                 makeEvalCommand, makeLedgerCommand, makeFeedbackCommand, makeExperimentCommand, makeAliasCommand,
                 makeRouteCommand }) {
            std::unique_ptr<Command> c = make();
            const QString name = c->name();
            Q_ASSERT(!t.contains(name));
            t.emplace(name, std::move(c));
        }
        return t;
    }();
    return table;
}

QList<QCommandLineOption> allOptions()
{
    QList<QCommandLineOption> list {
        { QStringLiteral("db"), QStringLiteral("Store URL (sqlite:PATH or postgresql://...)."), QStringLiteral("URL") },
        { QStringLiteral("help"), QStringLiteral("Show help.") },
        { QStringLiteral("version"), QStringLiteral("Show the version.") },
    };
    QHash<QString, bool> takesValue; // name -> whether it takes a value
    for (const QCommandLineOption &o : list)
        takesValue.insert(o.names().constFirst(), !o.valueName().isEmpty());
    for (const auto &[name, command] : commands()) {
        for (const QCommandLineOption &o : command->options()) {
            const QString optionName = o.names().constFirst();
            const auto seen = takesValue.constFind(optionName);
            if (seen != takesValue.cend()) {
                Q_ASSERT_X(*seen == !o.valueName().isEmpty(), "allOptions", qPrintable(optionName));
                continue;
            }
            takesValue.insert(optionName, !o.valueName().isEmpty());
            list.append(o);
        }
    }
    return list;
}

} // namespace l0
