#include "packreads.h"

namespace l0 {

Result<std::optional<QByteArray>> activeRulePackContent(SqlSession &s, qint64 tenantId)
{
    auto rows = s.query(
        QStringLiteral(
            "SELECT content FROM rule_packs WHERE tenant_id = ? AND state = 'active' ORDER BY version DESC LIMIT 1"),
        { SqlSession::num(tenantId) });
    if (!rows)
        return rows.error();
    if (rows->empty())
        return std::optional<QByteArray>();
    return std::optional<QByteArray>(rows->at(0).bytes(0));
}

} // namespace l0
