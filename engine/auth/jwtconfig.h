#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace l0 {

// JSON Web Tokens accepted instead of API keys ("jwt" in the node config; see docs/jwt.md).
// Enabled when at least one key source is set.
struct JwtConfig {
    QString issuer; // required "iss" when set
    QString audience; // must be in "aud" when set; a token with an "aud" is refused without it
    QString keysFile; // PEM public keys (RSA: RS256, Ed25519: EdDSA); reloaded on change
    QString jwksFile; // a JWK Set (RSA and OKP/Ed25519 keys, chosen by "kid"); reloaded on change
    QString hs256SecretEnv; // the environment variable holding the HS256 secret
    QByteArray hs256Secret; // read from hs256SecretEnv at load; never in a file, never logged
    QStringList algorithms; // accepted "alg" values; empty: those of the configured keys
    int clockSkewS = 60; // leeway on exp, nbf and iat
    QString tenantClaim = QStringLiteral("l0_tenant"); // names the tenant (by name)
    QString userClaim = QStringLiteral("sub"); // the end user recorded on ledger events
    QString namespaceClaim = QStringLiteral("l0_namespace"); // pins the namespace when present
    int reloadCheckMs = 1000; // how often key files are checked for changes (0: on every token)

    bool enabled() const { return !keysFile.isEmpty() || !jwksFile.isEmpty() || !hs256SecretEnv.isEmpty(); }
};

} // namespace l0
