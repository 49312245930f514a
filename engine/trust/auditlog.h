#pragma once

#include <QString>

#include <vector>

#include "chainstate.h"
#include "core/result.h"
#include "store/auditchain.h"
#include "store/sqlsession.h"

namespace l0 {

// A stored row that does not follow from the audit chain.
struct StateDifference {
    enum class Kind {
        VersionState, // a version's state is not what its recorded decisions give
        VersionContent, // a version's content is not what was filed (cannot be restored)
        VersionUnknown, // a version the chain never filed (cannot be restored)
        ExtraApproval, // an approval row that is no decision in force
        MissingApproval, // a decision in force whose approval row is gone
        PackState, // a rule pack's state is not what its recorded decisions give
        BadChainSignature, // a recorded decision whose signature does not verify (cannot be restored)
        AliasDecision, // an alias proposal's decision is not the signed one the chain recorded
    };
    Kind kind = Kind::VersionState;
    QString table; // versions | approvals | rule_packs | alias_proposals | audit_log
    QString place; // "entry/12@1", "approval 7 (entry/12@1 by ann)", "rulepack/3"
    QString stored; // what the table holds
    QString expected; // what the chain says
    QString why;
    qint64 entryId = 0;
    int version = 0;
    qint64 rowId = 0; // approvals.id, rule_packs.id or audit_log.id
    QString reviewer; // for approvals

    bool restorable() const;
    // One line: "versions entry/12@1: stored approved, the chain says pending (why)".
    QString describe() const;
};

// Appending to the audit chain is the store's (store/auditchain.h); checking it is here.
struct AuditReport {
    bool ok = true;
    qint64 rows = 0;
    qint64 brokenRow = 0; // id of the first row that does not verify
    QString reason; // the first problem, in words
    std::vector<StateDifference> differences; // every stored row that does not follow from the chain
};

// Walks the chain, then checks that the tables hold what it describes: every version's content
// and state, every approval row, every rule pack's state (see ChainState for how states follow).
// A broken link is reported alone: what comes after it cannot be trusted to compare with.
Result<AuditReport> verifyAudit(SqlSession &session);

// The stored rows that differ from the replayed chain. An error is the database's.
Result<std::vector<StateDifference>> stateDifferences(SqlSession &session, const ChainState &chain);

} // namespace l0
