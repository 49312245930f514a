#include "signing.h"

#include <QFile>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "core/text.h"

namespace l0 {

namespace {

QString opensslError()
{
    const unsigned long e = ERR_get_error();
    if (e == 0)
        return QStringLiteral("unknown OpenSSL error");
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    ERR_clear_error();
    return QString::fromLatin1(buf);
}

QByteArray bioToBytes(BIO *bio)
{
    char *data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    return QByteArray(data, int(len));
}

Result<QByteArray> readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::NotFound, QStringLiteral("cannot read key %1: %2").arg(path, f.errorString()));
    return f.readAll();
}

} // namespace

SigningKey::~SigningKey()
{
    if (m_key)
        EVP_PKEY_free(m_key);
}

SigningKey::SigningKey(SigningKey &&o) noexcept
    : m_key(o.m_key)
    , m_private(o.m_private)
{
    o.m_key = nullptr;
}

SigningKey &SigningKey::operator=(SigningKey &&o) noexcept
{
    if (this != &o) {
        if (m_key)
            EVP_PKEY_free(m_key);
        m_key = o.m_key;
        m_private = o.m_private;
        o.m_key = nullptr;
    }
    return *this;
}

Result<SigningKey> SigningKey::generate()
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
    EVP_PKEY *key = nullptr;
    const bool ok = ctx && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_keygen(ctx, &key) == 1;
    EVP_PKEY_CTX_free(ctx);
    if (!ok)
        return makeError(ErrorCode::Internal, QStringLiteral("key generation failed: %1").arg(opensslError()));
    SigningKey k;
    k.m_key = key;
    k.m_private = true;
    return k;
}

Result<SigningKey> SigningKey::fromPrivatePem(const QByteArray &pem, const QByteArray &passphrase)
{
    BIO *bio = BIO_new_mem_buf(pem.constData(), int(pem.size()));
    QByteArray pass = passphrase;
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, pass.data());
    BIO_free(bio);
    if (!key)
        return makeError(ErrorCode::PermissionDenied,
            QStringLiteral("cannot open the private key (wrong passphrase, or not a PKCS#8 PEM key)"));
    if (EVP_PKEY_id(key) != EVP_PKEY_ED25519) {
        EVP_PKEY_free(key);
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("the private key is not an Ed25519 key"));
    }
    SigningKey k;
    k.m_key = key;
    k.m_private = true;
    return k;
}

Result<SigningKey> SigningKey::fromPublicPem(const QByteArray &pem)
{
    BIO *bio = BIO_new_mem_buf(pem.constData(), int(pem.size()));
    EVP_PKEY *key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    if (!key)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("not a PEM public key: %1").arg(opensslError()));
    if (EVP_PKEY_id(key) != EVP_PKEY_ED25519) {
        EVP_PKEY_free(key);
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("the public key is not an Ed25519 key"));
    }
    SigningKey k;
    k.m_key = key;
    return k;
}

Result<SigningKey> SigningKey::fromPrivateFile(const QString &path, const QByteArray &passphrase)
{
    auto pem = readFile(path);
    if (!pem)
        return pem.error();
    return fromPrivatePem(*pem, passphrase);
}

Result<SigningKey> SigningKey::fromPublicFile(const QString &path)
{
    auto pem = readFile(path);
    if (!pem)
        return pem.error();
    return fromPublicPem(*pem);
}

Result<QByteArray> SigningKey::privatePem(const QByteArray &passphrase) const
{
    if (!m_key || !m_private)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("no private key"));
    if (passphrase.size() < 8)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("the passphrase must have at least 8 characters"));
    BIO *bio = BIO_new(BIO_s_mem());
    QByteArray pass = passphrase;
    const int ok
        = PEM_write_bio_PKCS8PrivateKey(bio, m_key, EVP_aes_256_cbc(), pass.data(), int(pass.size()), nullptr, nullptr);
    QByteArray out = ok == 1 ? bioToBytes(bio) : QByteArray();
    BIO_free(bio);
    if (ok != 1)
        return makeError(ErrorCode::Internal, QStringLiteral("cannot write the private key: %1").arg(opensslError()));
    return out;
}

QByteArray SigningKey::publicPem() const
{
    if (!m_key)
        return {};
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(bio, m_key);
    QByteArray out = bioToBytes(bio);
    BIO_free(bio);
    return out;
}

QByteArray SigningKey::fingerprint() const
{
    if (!m_key)
        return {};
    unsigned char *der = nullptr;
    const int len = i2d_PUBKEY(m_key, &der);
    if (len <= 0)
        return {};
    QByteArray out = sha256Hex(QByteArray(reinterpret_cast<const char *>(der), len));
    OPENSSL_free(der);
    return out;
}

Result<QByteArray> SigningKey::sign(const QByteArray &message) const
{
    if (!m_key || !m_private)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("signing needs a private key"));
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    size_t len = 64;
    QByteArray sig(64, Qt::Uninitialized);
    const bool ok = EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, m_key) == 1
        && EVP_DigestSign(ctx, reinterpret_cast<unsigned char *>(sig.data()), &len,
               reinterpret_cast<const unsigned char *>(message.constData()), size_t(message.size()))
            == 1;
    EVP_MD_CTX_free(ctx);
    if (!ok)
        return makeError(ErrorCode::Internal, QStringLiteral("signing failed: %1").arg(opensslError()));
    sig.resize(qsizetype(len));
    return sig;
}

bool SigningKey::verify(const QByteArray &message, const QByteArray &signature) const
{
    if (!m_key || signature.size() != 64)
        return false;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    const bool ok = EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, m_key) == 1
        && EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char *>(signature.constData()),
               size_t(signature.size()), reinterpret_cast<const unsigned char *>(message.constData()),
               size_t(message.size()))
            == 1;
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return ok;
}

QByteArray approvalMessage(qint64 entryId, int version, const QByteArray &contentSha256, const QString &decision,
    const QString &reviewer, qint64 signedAtMs)
{
    return "l0-approval/1\n" + QByteArray::number(entryId) + '\n' + QByteArray::number(version) + '\n' + contentSha256
        + '\n' + decision.toUtf8() + '\n' + reviewer.toUtf8() + '\n' + QByteArray::number(signedAtMs);
}

QByteArray reviewerMessage(const QString &reviewer, const QByteArray &reviewerFingerprint)
{
    return "l0-reviewer/1\n" + reviewer.toUtf8() + '\n' + reviewerFingerprint;
}

} // namespace l0
