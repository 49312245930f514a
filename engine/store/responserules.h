#pragma once

#include <QString>

#include "core/result.h"
#include "sqlsession.h"

namespace l0 {

// Whether the tenant was sent the response with this id (chatcmpl-..., msg_..., resp_...): its
// ledger event, written by whichever node served it, names it (migration 0021). What a response
// score (POST /v1/feedback) may be about. An event still queued or journalled on a node is not
// in the store yet.
inline Result<bool> responseSentTo(SqlSession &session, qint64 tenantId, const QString &responseId)
{
    if (responseId.isEmpty())
        return false;
    // "response_id <> ''" lets PostgreSQL use the partial index ledger_events_response.
    auto rows = session.query(QStringLiteral("SELECT 1 FROM ledger_events WHERE tenant_id = ? AND response_id = ? "
                                             "AND response_id <> '' LIMIT 1"),
        { SqlSession::num(tenantId), SqlSession::str(responseId) });
    if (!rows)
        return rows.error();
    return !rows->empty();
}

} // namespace l0
