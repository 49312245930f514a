#include "authenticator.h"

#include <QJsonObject>

#include "apiresponse.h"
#include "auth/jwtverifier.h"
#include "http/httprequest.h"
#include "tenantdirectory.h"

namespace l0 {

Authenticator::Authenticator(const TenantDirectory *tenants, std::unique_ptr<JwtVerifier> jwt)
    : m_tenants(tenants)
    , m_jwt(std::move(jwt))
{
}

Authenticator::~Authenticator() = default;

Result<Principal> Authenticator::authenticate(const http::HttpRequest &request) const
{
    const QByteArray presented = presentedApiKey(request);
    if (presented.isEmpty())
        return makeError(ErrorCode::Unauthenticated,
            QStringLiteral("missing API key: send 'Authorization: Bearer KEY' or 'x-api-key: KEY'"));
    if (m_jwt && JwtVerifier::looksLikeJwt(presented)) {
        auto p = authenticateJwt(presented);
        if (!p) {
            Error e = p.error();
            e.field = QStringLiteral("authorization"); // also answered with WWW-Authenticate (RFC 6750)
            return e;
        }
        return p;
    }
    const auto holder = m_tenants->holder(presented);
    if (!holder)
        return makeError(ErrorCode::Unauthenticated, QStringLiteral("unknown API key"));
    Principal p;
    p.tenant = holder->tenant;
    p.manager = holder->scope == KeyScope::Manager;
    return p;
}

Result<Principal> Authenticator::authenticateJwt(const QByteArray &token) const
{
    auto claims = m_jwt->verify(token);
    if (!claims)
        return claims.error();
    const JwtConfig &config = m_jwt->config();
    auto refuse = [](const QString &why) {
        return makeError(ErrorCode::Unauthenticated, QStringLiteral("invalid token: ") + why);
    };
    const QJsonValue tenantName = claims->value(config.tenantClaim);
    if (!tenantName.isString() || tenantName.toString().isEmpty())
        return refuse(QStringLiteral("its '%1' claim must name a tenant").arg(config.tenantClaim));
    const auto tenant = m_tenants->tenantByName(tenantName.toString());
    if (!tenant)
        return refuse(QStringLiteral("unknown tenant"));
    Principal p;
    p.tenant = *tenant;
    const QJsonValue user = claims->value(config.userClaim);
    if (user.isString())
        p.user = user.toString();
    else if (user.isDouble())
        p.user = QString::number(user.toInteger());
    if (p.user.size() > kMaxUserLength) {
        qsizetype cut = kMaxUserLength;
        if (p.user.at(cut - 1).isHighSurrogate())
            --cut;
        p.user.truncate(cut);
    }
    const QJsonValue ns = claims->value(config.namespaceClaim);
    if (!ns.isUndefined() && !ns.isNull()) {
        const QByteArray pinned = ns.toString().toUtf8();
        if (!ns.isString() || !validNamespace(pinned))
            return refuse(QStringLiteral("its '%1' claim must be a namespace (at most 128 characters of A-Z a-z "
                                         "0-9 - _ . / :)")
                              .arg(config.namespaceClaim));
        p.ns = pinned;
    }
    return p;
}

Result<QByteArray> requestNamespace(const Principal &principal, const http::HttpRequest &request)
{
    const QByteArray asked = request.header("x-l0-namespace");
    if (!principal.ns.isEmpty()) {
        if (!asked.isEmpty() && asked != principal.ns) {
            Error e = makeError(ErrorCode::PermissionDenied,
                QStringLiteral("this credential is pinned to namespace '%1'; x-l0-namespace names another")
                    .arg(QString::fromUtf8(principal.ns)));
            e.field = QStringLiteral("x-l0-namespace");
            return e;
        }
        return principal.ns;
    }
    if (!validNamespace(asked)) {
        Error e = makeError(ErrorCode::InvalidArgument,
            QStringLiteral("x-l0-namespace must be at most 128 characters of A-Z a-z 0-9 - _ . / :"));
        e.field = QStringLiteral("x-l0-namespace");
        return e;
    }
    return asked;
}

} // namespace l0
