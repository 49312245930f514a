#pragma once

#include <QByteArray>
#include <QString>

#include <memory>

#include "core/result.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace l0 {

// An Ed25519 key (private or public only) through OpenSSL EVP. Movable, not copyable.
class SigningKey {
public:
    SigningKey() = default;
    ~SigningKey();
    SigningKey(SigningKey &&o) noexcept;
    SigningKey &operator=(SigningKey &&o) noexcept;
    SigningKey(const SigningKey &) = delete;

    static Result<SigningKey> generate();
    // PKCS#8 PEM, encrypted with the passphrase (AES-256-CBC, scrypt/PBKDF2 per OpenSSL).
    static Result<SigningKey> fromPrivatePem(const QByteArray &pem, const QByteArray &passphrase);
    static Result<SigningKey> fromPublicPem(const QByteArray &pem);
    static Result<SigningKey> fromPrivateFile(const QString &path, const QByteArray &passphrase);
    static Result<SigningKey> fromPublicFile(const QString &path);

    bool isValid() const { return m_key != nullptr; }
    bool hasPrivate() const { return m_private; }
    Result<QByteArray> privatePem(const QByteArray &passphrase) const;
    QByteArray publicPem() const;
    // Hex SHA-256 of the public key (DER SubjectPublicKeyInfo): how keys are named.
    QByteArray fingerprint() const;

    Result<QByteArray> sign(const QByteArray &message) const; // 64 raw bytes
    bool verify(const QByteArray &message, const QByteArray &signature) const;

private:
    EVP_PKEY *m_key = nullptr;
    bool m_private = false;
};

// What a reviewer signs to approve or reject one exact version.
QByteArray approvalMessage(qint64 entryId, int version, const QByteArray &contentSha256, const QString &decision,
    const QString &reviewer, qint64 signedAtMs);
// What an admin signs to register a reviewer's key.
QByteArray reviewerMessage(const QString &reviewer, const QByteArray &reviewerFingerprint);

} // namespace l0
