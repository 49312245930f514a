#pragma once

#include <QList>
#include <QString>

#include "core/result.h"
#include "route/routepolicy.h"
#include "store/sqlsession.h"

namespace l0 {

// Writes all of a tenant's route policies at once (read them with the tenant, change, write
// back); an empty list stops routing the tenant. Nodes pick the change up with their next
// tenant sync. NotFound for no such tenant; InvalidArgument for a policy checkRoutePolicy()
// refuses or two policies for one model.
Status setTenantRoutePolicies(SqlSession &session, const QString &tenant, const QList<RoutePolicy> &policies);

} // namespace l0
