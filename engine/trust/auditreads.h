#pragma once

#include <QString>

#include <vector>

#include "core/result.h"
#include "store/sqlsession.h"

namespace l0 {

// One row of the audit chain as people read it (its hashes are verifyAudit's business).
struct AuditRecord {
    qint64 id = 0;
    qint64 tsMs = 0;
    QString actor;
    QString action;
    QString subject;
    QString details; // the row's details as stored (JSON)
};

// The newest `limit` rows of the audit chain, newest first. A plain read that joins the caller's
// transaction, if one is open; use on the session's thread. An error is the database's.
Result<std::vector<AuditRecord>> recentAudit(SqlSession &session, int limit);

} // namespace l0
