#pragma once

#include <QString>

#include "core/result.h"
#include "store/auditchain.h"
#include "store/sqlsession.h"

namespace l0 {

// Appending to the audit chain is the store's (store/auditchain.h); checking it is here.
struct AuditReport {
    bool ok = true;
    qint64 rows = 0;
    qint64 brokenRow = 0; // id of the first row that does not verify
    QString reason;
};

// Walks the chain, then checks that the state it describes is the state in the tables: every
// version's content and every approval's signature as recorded when they were written.
Result<AuditReport> verifyAudit(SqlSession &session);

} // namespace l0
