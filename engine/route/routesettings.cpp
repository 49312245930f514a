#include "routesettings.h"

#include <QSet>

namespace l0 {

Status setTenantRoutePolicies(SqlSession &s, const QString &tenant, const QList<RoutePolicy> &policies)
{
    QSet<QString> models;
    for (const RoutePolicy &p : policies) {
        if (auto st = checkRoutePolicy(p); !st)
            return st;
        if (models.contains(p.model))
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("two route policies for %1").arg(p.model));
        models.insert(p.model);
    }
    auto u = s.execute(QStringLiteral("UPDATE tenants SET route_policies = ? WHERE name = ?"),
        { SqlSession::str(QString::fromUtf8(routePoliciesToJson(policies))), SqlSession::str(tenant) });
    if (!u)
        return u.error();
    if (*u == 0)
        return makeError(ErrorCode::NotFound, QStringLiteral("no tenant named %1").arg(tenant));
    return {};
}

} // namespace l0
