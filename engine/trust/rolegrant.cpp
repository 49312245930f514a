#include "rolegrant.h"

#include <QRegularExpression>

#include "store/store.h"

namespace l0 {

const QStringList &grantableRoles()
{
    static const QStringList roles { QStringLiteral("node"), QStringLiteral("reviewer"), QStringLiteral("manager"),
        QStringLiteral("admin") };
    return roles;
}

bool isPlainRoleName(const QString &login)
{
    static const QRegularExpression ident(QStringLiteral("^[a-z_][a-z0-9_]{0,62}$"));
    return ident.match(login).hasMatch();
}

Status grantRole(Store &store, const QString &login, const QString &role, const std::optional<QString> &tenant)
{
    if (!grantableRoles().contains(role))
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("unknown role '%1'").arg(role));
    if (!isPlainRoleName(login))
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("'%1' is not a plain PostgreSQL role name (lower case letters, digits, _)").arg(login));
    if (store.kind() != QLatin1String("postgresql"))
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("roles are a PostgreSQL feature; an SQLite store is guarded by its file's permissions"));
    // Identifiers cannot be bound as parameters; both were checked above.
    SqlSession &s = store.session();
    if (auto r = s.query(QStringLiteral("GRANT l0_%1 TO %2").arg(role, login)); !r)
        return r.error();
    if (!tenant)
        return {};
    auto t = store.tenantByName(*tenant);
    if (!t)
        return t.error();
    if (auto r = s.query(
            QStringLiteral("INSERT INTO role_tenants (role_name, tenant_id) VALUES (?, ?) ON CONFLICT DO NOTHING"),
            { SqlSession::str(login), SqlSession::num(t->id) });
        !r)
        return r.error();
    return {};
}

} // namespace l0
