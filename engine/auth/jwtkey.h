#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

#include "core/result.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace l0 {

// The JWS algorithms the node verifies (RFC 7518, RFC 8037). Each key verifies exactly one:
// RSA keys RS256, Ed25519 keys EdDSA, a shared secret HS256.
enum class JwtAlgorithm { HS256, RS256, EdDSA };
const char *jwtAlgorithmName(JwtAlgorithm alg);
std::optional<JwtAlgorithm> jwtAlgorithmFromName(QByteArrayView name);

// One verification key. Immutable once made, so one key is shared by every thread.
class JwtKey {
public:
    ~JwtKey();
    JwtKey(const JwtKey &) = delete;
    JwtKey &operator=(const JwtKey &) = delete;

    // Takes ownership of pkey, which must be an RSA (at least 2048 bits) or Ed25519 public key.
    static Result<std::shared_ptr<const JwtKey>> fromPublicKey(EVP_PKEY *pkey, const QString &kid);
    // An HS256 secret: at least 32 bytes (RFC 7518 section 3.2).
    static Result<std::shared_ptr<const JwtKey>> fromSecret(const QByteArray &secret);

    JwtAlgorithm algorithm() const { return m_alg; }
    const QString &kid() const { return m_kid; } // empty for PEM keys and the secret

    // Whether signature is this key's signature over signingInput, with its own algorithm.
    bool verify(QByteArrayView signingInput, QByteArrayView signature) const;

private:
    JwtKey() = default;

    JwtAlgorithm m_alg = JwtAlgorithm::HS256;
    QString m_kid;
    EVP_PKEY *m_pkey = nullptr; // RS256, EdDSA
    QByteArray m_secret; // HS256
};

using JwtKeyList = std::vector<std::shared_ptr<const JwtKey>>;

// Every public key (-----BEGIN PUBLIC KEY-----, SubjectPublicKeyInfo) in a PEM text.
Result<JwtKeyList> parsePemPublicKeys(const QByteArray &pem);
// A JWK Set ({"keys": [...]}, RFC 7517): kty RSA (n, e) and kty OKP crv Ed25519 (x). Keys
// for other uses ("use" other than "sig"), other types or curves are skipped; a key whose
// "alg" contradicts its type is an error. At most 64 keys.
Result<JwtKeyList> parseJwks(const QByteArray &json);

} // namespace l0
