#include "jwtkey.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "base64url.h"

namespace l0 {

namespace {

constexpr int kMinRsaBits = 2048;
constexpr int kMaxRsaBits = 8192;
constexpr qsizetype kMinSecretBytes = 32;
constexpr qsizetype kMaxJwksKeys = 64;

struct PkeyFree {
    void operator()(EVP_PKEY *p) const { EVP_PKEY_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

QString lastOpenSslError()
{
    const unsigned long e = ERR_get_error();
    ERR_clear_error();
    if (e == 0)
        return QStringLiteral("unknown OpenSSL error");
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    return QString::fromLatin1(buf);
}

const unsigned char *bytes(QByteArrayView v)
{
    return reinterpret_cast<const unsigned char *>(v.data());
}

// An RSA public key from its modulus and exponent (big-endian, as JWK carries them).
Result<PkeyPtr> rsaFromComponents(const QByteArray &n, const QByteArray &e)
{
    BIGNUM *bn = BN_bin2bn(bytes(n), int(n.size()), nullptr);
    BIGNUM *be = BN_bin2bn(bytes(e), int(e.size()), nullptr);
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = nullptr;
    EVP_PKEY_CTX *ctx = nullptr;
    EVP_PKEY *pkey = nullptr;
    // An even or tiny public exponent (e = 1 makes every "signature" valid) is no RSA key.
    if (be && (!BN_is_odd(be) || BN_get_word(be) < 3)) {
        BN_free(bn);
        BN_free(be);
        OSSL_PARAM_BLD_free(bld);
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("its 'e' is not a usable RSA exponent"));
    }
    bool ok = bn && be && bld && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) == 1
        && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be) == 1
        && (params = OSSL_PARAM_BLD_to_param(bld)) != nullptr
        && (ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr)) != nullptr && EVP_PKEY_fromdata_init(ctx) == 1
        && EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) == 1;
    const QString why = ok ? QString() : lastOpenSslError();
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(bn);
    BN_free(be);
    if (!ok) {
        EVP_PKEY_free(pkey);
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("not a usable RSA key: ") + why);
    }
    return PkeyPtr(pkey);
}

// A JWK member holding base64url bytes.
Result<QByteArray> jwkBytes(const QJsonObject &jwk, const char *member)
{
    const QJsonValue v = jwk.value(QLatin1String(member));
    if (!v.isString())
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("its '%1' must be a base64url string").arg(QLatin1String(member)));
    auto decoded = base64UrlDecode(v.toString().toLatin1());
    if (!decoded || decoded->isEmpty())
        return makeError(
            ErrorCode::InvalidArgument, QStringLiteral("its '%1' is not base64url").arg(QLatin1String(member)));
    return *decoded;
}

// nullptr (no error) for a key the node does not use.
Result<std::shared_ptr<const JwtKey>> keyFromJwk(const QJsonObject &jwk)
{
    const QString kty = jwk.value(QLatin1String("kty")).toString();
    const QJsonValue use = jwk.value(QLatin1String("use"));
    if (!use.isUndefined() && use.toString() != QLatin1String("sig"))
        return std::shared_ptr<const JwtKey>();
    const QJsonValue kidValue = jwk.value(QLatin1String("kid"));
    if (!kidValue.isUndefined() && !kidValue.isString())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("its 'kid' must be a string"));
    const QString kid = kidValue.toString();
    const QJsonValue alg = jwk.value(QLatin1String("alg"));
    PkeyPtr pkey;
    if (kty == QLatin1String("RSA")) {
        if (!alg.isUndefined() && alg.toString() != QLatin1String("RS256"))
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("an RSA key verifies RS256 only"));
        auto n = jwkBytes(jwk, "n");
        if (!n)
            return n.error();
        auto e = jwkBytes(jwk, "e");
        if (!e)
            return e.error();
        auto made = rsaFromComponents(*n, *e);
        if (!made)
            return made.error();
        pkey = std::move(*made);
    } else if (kty == QLatin1String("OKP")) {
        if (jwk.value(QLatin1String("crv")).toString() != QLatin1String("Ed25519"))
            return std::shared_ptr<const JwtKey>(); // X25519, Ed448: not for us
        if (!alg.isUndefined() && alg.toString() != QLatin1String("EdDSA"))
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("an Ed25519 key verifies EdDSA only"));
        auto x = jwkBytes(jwk, "x");
        if (!x)
            return x.error();
        if (x->size() != 32)
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("its 'x' must be 32 bytes"));
        pkey.reset(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, bytes(*x), size_t(x->size())));
        if (!pkey)
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("not an Ed25519 key: ") + lastOpenSslError());
    } else {
        return std::shared_ptr<const JwtKey>(); // EC, oct and the rest: not verified here
    }
    return JwtKey::fromPublicKey(pkey.release(), kid);
}

} // namespace

const char *jwtAlgorithmName(JwtAlgorithm alg)
{
    switch (alg) {
    case JwtAlgorithm::HS256:
        return "HS256";
    case JwtAlgorithm::RS256:
        return "RS256";
    case JwtAlgorithm::EdDSA:
        return "EdDSA";
    }
    return "?";
}

std::optional<JwtAlgorithm> jwtAlgorithmFromName(QByteArrayView name)
{
    if (name == "HS256")
        return JwtAlgorithm::HS256;
    if (name == "RS256")
        return JwtAlgorithm::RS256;
    if (name == "EdDSA")
        return JwtAlgorithm::EdDSA;
    return std::nullopt;
}

JwtKey::~JwtKey()
{
    EVP_PKEY_free(m_pkey);
    if (!m_secret.isEmpty())
        OPENSSL_cleanse(m_secret.data(), size_t(m_secret.size()));
}

Result<std::shared_ptr<const JwtKey>> JwtKey::fromPublicKey(EVP_PKEY *pkey, const QString &kid)
{
    PkeyPtr owned(pkey);
    if (!owned)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("no key"));
    std::shared_ptr<JwtKey> key(new JwtKey);
    if (EVP_PKEY_is_a(pkey, "RSA")) {
        const int bits = EVP_PKEY_get_bits(pkey);
        if (bits < kMinRsaBits || bits > kMaxRsaBits)
            return makeError(ErrorCode::InvalidArgument,
                QStringLiteral("an RSA key must have %1 to %2 bits, not %3")
                    .arg(kMinRsaBits)
                    .arg(kMaxRsaBits)
                    .arg(bits));
        key->m_alg = JwtAlgorithm::RS256;
    } else if (EVP_PKEY_is_a(pkey, "ED25519")) {
        key->m_alg = JwtAlgorithm::EdDSA;
    } else {
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("only RSA and Ed25519 public keys verify tokens"));
    }
    key->m_kid = kid;
    key->m_pkey = owned.release();
    return std::shared_ptr<const JwtKey>(std::move(key));
}

Result<std::shared_ptr<const JwtKey>> JwtKey::fromSecret(const QByteArray &secret)
{
    if (secret.size() < kMinSecretBytes)
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("an HS256 secret must be at least %1 bytes").arg(kMinSecretBytes));
    if (secret.trimmed().startsWith("-----BEGIN")) // a public key is no secret: the classic key confusion
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("an HS256 secret must not be a PEM key"));
    std::shared_ptr<JwtKey> key(new JwtKey);
    key->m_alg = JwtAlgorithm::HS256;
    key->m_secret = QByteArray(secret.constData(), secret.size()); // a copy of its own, cleansed on destruction
    return std::shared_ptr<const JwtKey>(std::move(key));
}

bool JwtKey::verify(QByteArrayView signingInput, QByteArrayView signature) const
{
    if (m_alg == JwtAlgorithm::HS256) {
        unsigned char mac[EVP_MAX_MD_SIZE];
        size_t macLen = 0;
        if (signature.size() != 32
            || !EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, m_secret.constData(), size_t(m_secret.size()),
                bytes(signingInput), size_t(signingInput.size()), mac, sizeof mac, &macLen)
            || macLen != 32) {
            ERR_clear_error();
            return false;
        }
        const bool same = CRYPTO_memcmp(mac, signature.data(), 32) == 0;
        OPENSSL_cleanse(mac, sizeof mac);
        return same;
    }
    const bool rsa = m_alg == JwtAlgorithm::RS256;
    // A signature of the wrong length is refused before OpenSSL sees it.
    if (rsa ? signature.size() != EVP_PKEY_get_size(m_pkey) : signature.size() != 64)
        return false;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = nullptr;
    bool ok = ctx && EVP_DigestVerifyInit(ctx, &pctx, rsa ? EVP_sha256() : nullptr, nullptr, m_pkey) == 1
        && (!rsa || EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1)
        && EVP_DigestVerify(
               ctx, bytes(signature), size_t(signature.size()), bytes(signingInput), size_t(signingInput.size()))
            == 1;
    EVP_MD_CTX_free(ctx);
    if (!ok)
        ERR_clear_error();
    return ok;
}

Result<JwtKeyList> parsePemPublicKeys(const QByteArray &pem)
{
    BIO *bio = BIO_new_mem_buf(pem.constData(), int(pem.size()));
    if (!bio)
        return makeError(ErrorCode::Internal, QStringLiteral("out of memory"));
    JwtKeyList keys;
    Error failure;
    bool failed = false;
    while (!failed) {
        EVP_PKEY *pkey = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
        if (!pkey)
            break;
        auto key = JwtKey::fromPublicKey(pkey, QString());
        if (!key) {
            failure = key.error();
            failed = true;
        } else {
            keys.push_back(std::move(*key));
        }
    }
    ERR_clear_error(); // the end of the text reads as "no start line"
    BIO_free(bio);
    if (failed)
        return failure;
    if (keys.empty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("no PEM public key (BEGIN PUBLIC KEY) in it"));
    return keys;
}

Result<JwtKeyList> parseJwks(const QByteArray &json)
{
    QJsonParseError err {};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("not a JSON object"));
    const QJsonValue list = doc.object().value(QLatin1String("keys"));
    if (!list.isArray())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("'keys' must be a list of JWKs"));
    const QJsonArray array = list.toArray();
    if (array.size() > kMaxJwksKeys)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("more than %1 keys").arg(kMaxJwksKeys));
    JwtKeyList keys;
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array.at(i).isObject())
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("keys[%1] is not an object").arg(i));
        auto key = keyFromJwk(array.at(i).toObject());
        if (!key)
            return makeError(
                ErrorCode::InvalidArgument, QStringLiteral("keys[%1]: %2").arg(i).arg(key.error().message));
        if (*key)
            keys.push_back(std::move(*key));
    }
    if (keys.empty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("no RSA or Ed25519 signing key in it"));
    return keys;
}

} // namespace l0
