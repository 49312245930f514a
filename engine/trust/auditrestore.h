#pragma once

#include <QByteArray>

#include <vector>

#include "auditlog.h"
#include "core/result.h"
#include "signing.h"
#include "store/sqlsession.h"

namespace l0 {

struct RestoreReport {
    std::vector<StateDifference> restored; // put back (a dry run: would be)
    std::vector<StateDifference> left; // what no restore can repair: changed content, rows the chain never had
    qint64 brokenRow = 0; // the chain is broken there: nothing was restored
    QString brokenReason;
};

// What an admin signs to restore: the time and the changes, as recorded in the chain's row.
QByteArray restoreMessage(qint64 tsMs, const QByteArray &changesJson);

// Puts every stored row that does not follow from the audit chain back to what the chain and its
// signatures say (verifyAudit's differences): version and rule-pack states, approval rows that
// are no decision in force (removed), decisions in force whose rows are gone (written again).
// One transaction, recorded as one "audit.restore" row, signed by the admin key, that carries
// every row it changed or removed, so nothing is lost. Versions whose approvals changed get a new
// change number, so nodes check them again.
//
// admin: the private key of an admin who registered this store's reviewers (PermissionDenied for
// another key); unused by a dry run, which only reports what it would do. nowMs: the time the
// restore is recorded and signed at. An error is the database's or the key's; a broken chain is
// no error but restores nothing (brokenRow).
Result<RestoreReport> restoreFromChain(SqlSession &session, const SigningKey *admin, qint64 nowMs, bool dryRun);

} // namespace l0
