#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include "core/result.h"
#include "sqlsession.h"

namespace l0 {

// The audit chain: every state change appends a row whose hash is
// SHA-256(previous hash ‖ "\n" ‖ canonical JSON of the row), so a changed, removed or inserted
// row breaks every hash after it. Appends join the caller's transaction. tsMs <= 0: the
// session's clock. (Verifying the chain against the tables is trust/auditlog.h.)
Status appendAudit(SqlSession &session, const QString &actor, const QString &action, const QString &subject,
    const QJsonObject &details, qint64 tsMs = 0);

// Holds the chain's writer lock until the transaction ends: what is read meanwhile stays the
// chain's latest state (a restore compares the tables with it before writing).
Status lockAuditChain(SqlSession &session);

// The hash before the first row.
QByteArray auditGenesisHash();
// The hash of a row that follows prevHash; detailsJson as stored.
QByteArray auditRowHash(const QByteArray &prevHash, qint64 tsMs, const QString &actor, const QString &action,
    const QString &subject, const QByteArray &detailsJson);

} // namespace l0
