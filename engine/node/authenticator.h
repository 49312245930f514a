#pragma once

#include <QByteArray>
#include <QString>

#include <memory>

#include "core/result.h"
#include "core/tenant.h"

namespace l0 {

namespace http {
struct HttpRequest;
}

class TenantDirectory;
class JwtVerifier;

// Who sent a request, once its credentials checked out.
struct Principal {
    Tenant tenant;
    QString user; // the end user a token names (recorded on ledger events); empty for API keys
    QByteArray ns; // the namespace the credential pins; empty: the request's x-l0-namespace
    bool manager = false; // may read other tenants' numbers (the MCP server's cross-tenant tools)
};

// The one place a request's credentials are checked, for every API on the node: an API key
// (`Authorization: Bearer KEY` or `x-api-key: KEY`), or, with a verifier, a JWT in the same
// places (see docs/jwt.md): its claims name the tenant (by name), the user and optionally a
// pinned namespace. Thread-safe.
class Authenticator {
public:
    static constexpr qsizetype kMaxUserLength = 256; // longer user claims are cut

    // jwt: null when tokens are not configured (a JWT is then just an unknown key).
    explicit Authenticator(const TenantDirectory *tenants, std::unique_ptr<JwtVerifier> jwt = nullptr);
    ~Authenticator();

    // Unauthenticated, with a message a client can act on, when the credentials are missing
    // or do not check out.
    Result<Principal> authenticate(const http::HttpRequest &request) const;

    const TenantDirectory *tenants() const { return m_tenants; }

private:
    Result<Principal> authenticateJwt(const QByteArray &token) const;

    const TenantDirectory *m_tenants;
    std::unique_ptr<JwtVerifier> m_jwt;
};

// The namespace a request is served in: the credential's pin when it has one (a request that
// names another namespace is refused), otherwise x-l0-namespace, checked for its characters.
Result<QByteArray> requestNamespace(const Principal &principal, const http::HttpRequest &request);

} // namespace l0
