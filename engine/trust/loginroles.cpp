#include "loginroles.h"

namespace l0 {

Result<bool> mayReview(SqlSession &s)
{
    if (s.dialect() != QLatin1String("postgresql"))
        return true;
    auto rows = s.query(QStringLiteral(
        "SELECT pg_has_role(current_user, 'l0_reviewer', 'MEMBER') OR pg_has_role(current_user, 'l0_admin', "
        "'MEMBER') OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"));
    if (!rows)
        return rows.error();
    return !rows->empty() && rows->at(0).text(0) == QLatin1String("t");
}

} // namespace l0
