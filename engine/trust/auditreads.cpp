#include "auditreads.h"

namespace l0 {

Result<std::vector<AuditRecord>> recentAudit(SqlSession &s, int limit)
{
    auto rows = s.query(
        QStringLiteral("SELECT id, ts_ms, actor, action, subject, details FROM audit_log ORDER BY id DESC LIMIT ?"),
        { SqlSession::num(limit) });
    if (!rows)
        return rows.error();
    std::vector<AuditRecord> out;
    out.reserve(rows->size());
    for (const auto &r : *rows)
        out.push_back(AuditRecord { r.int64(0), r.int64(1), r.text(2), r.text(3), r.text(4), r.text(5) });
    return out;
}

} // namespace l0
