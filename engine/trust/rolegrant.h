#pragma once

#include <QString>
#include <QStringList>

#include <optional>

#include "core/result.h"

namespace l0 {

class Store;

// PostgreSQL logins get their powers from the group roles the migrations create (l0_node,
// l0_reviewer, l0_manager, l0_admin); reviewers see only the tenants role_tenants lists for them.

// The roles a login can be given, without the l0_ prefix: node, reviewer, manager, admin.
const QStringList &grantableRoles();

// Whether name is a plain PostgreSQL role name (lower case letters, digits and _, not starting
// with a digit, at most 63), the only names grantRole puts into its statement.
bool isPlainRoleName(const QString &login);

// Makes login a member of l0_ROLE and, with tenant, scopes it to that tenant. On SQLite an error
// (the file's permissions guard that store); InvalidArgument for an unknown role or a login that
// is not a plain role name; otherwise errors are the database's (an unknown tenant leaves the
// grant made). Use on the store's thread; needs a session allowed to grant.
Status grantRole(Store &store, const QString &login, const QString &role, const std::optional<QString> &tenant);

} // namespace l0
