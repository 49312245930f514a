#pragma once

#include <QCommandLineOption>
#include <QList>
#include <QString>

#include <map>
#include <memory>

#include "command.h"

namespace l0 {

// Every l0ctl command by name, sorted (the order `l0ctl --help` lists them in). Built once.
const std::map<QString, std::unique_ptr<Command>> &commands();

// The options every command line is parsed with: the global ones (--db, --help, --version) and
// each command's, each name once. Commands that share an option (--tenant, --json, ...) declare
// it alike; an option declared twice with and without a value is a programming error.
QList<QCommandLineOption> allOptions();

// One file per command (or group): each makes its command(s).
std::unique_ptr<Command> makeMigrateCommand();
std::unique_ptr<Command> makeTenantCommand();
std::unique_ptr<Command> makeKeyCommand();
std::unique_ptr<Command> makeQueueCommand();
std::unique_ptr<Command> makeApproveCommand(); // approve, withdraw and revoke: decidecommand.cpp
std::unique_ptr<Command> makeWithdrawCommand();
std::unique_ptr<Command> makeRevokeCommand();
std::unique_ptr<Command> makeEditCommand();
std::unique_ptr<Command> makeExpireCommand();
std::unique_ptr<Command> makeReviewerCommand();
std::unique_ptr<Command> makeRoleCommand();
std::unique_ptr<Command> makeAuditCommand();
std::unique_ptr<Command> makeAdminCommand();
std::unique_ptr<Command> makeSafetyCommand();
std::unique_ptr<Command> makeRulesCommand();
std::unique_ptr<Command> makeEvalCommand();
std::unique_ptr<Command> makeLedgerCommand();
std::unique_ptr<Command> makeFeedbackCommand();
std::unique_ptr<Command> makeAliasCommand(); // alias list|confirm|reject: aliascommand.cpp
std::unique_ptr<Command> makeRouteCommand();
std::unique_ptr<Command> makeExperimentCommand();

} // namespace l0
