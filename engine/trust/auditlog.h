#pragma once

#include <QJsonObject>
#include <QString>

#include "core/result.h"
#include "store/sqlsession.h"

namespace l0 {

// The audit chain: every state change appends a row whose hash is
// SHA-256(previous hash ‖ "\n" ‖ canonical JSON of the row), so a changed, removed or inserted
// row breaks every hash after it. Appends join the caller's transaction.
Status appendAudit(SqlSession &session, const QString &actor, const QString &action, const QString &subject,
    const QJsonObject &details, qint64 tsMs = 0);

struct AuditReport {
    bool ok = true;
    qint64 rows = 0;
    qint64 brokenRow = 0; // id of the first row that does not verify
    QString reason;
};

// Walks the chain, then checks that the state it describes is the state in the tables: every
// version's content and every approval's signature as recorded when they were written.
Result<AuditReport> verifyAudit(SqlSession &session);

// Tells every listening node and console that something changed (PostgreSQL NOTIFY, delivered
// when the transaction commits); nothing on SQLite, where nodes poll.
Status notifyChange(SqlSession &session, const QString &what);

// The next change sequence number, in either dialect.
Result<qint64> nextChangeSeq(SqlSession &session);

} // namespace l0
