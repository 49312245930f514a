#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <thread>

#include "auth/base64url.h"
#include "auth/jwtkey.h"
#include "auth/jwtverifier.h"
#include "config/nodeconfig.h"
#include "core/clock.h"
#include "core/text.h"
#include "http/httprequest.h"
#include "node/authenticator.h"
#include "node/tenantdirectory.h"

using namespace l0;

namespace {

struct PkeyFree {
    void operator()(EVP_PKEY *p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Signer = std::function<QByteArray(const QByteArray &)>;

constexpr qint64 kNowS = 1'800'000'000; // the manual clock's time, in seconds
const QString kIssuer = QStringLiteral("https://idp.test.invalid/");
const QString kAudience = QStringLiteral("l0-cache");

const unsigned char *u8(const QByteArray &b)
{
    return reinterpret_cast<const unsigned char *>(b.constData());
}

QByteArray publicPem(EVP_PKEY *key)
{
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(bio, key);
    char *data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    QByteArray pem(data, int(n));
    BIO_free(bio);
    return pem;
}

// The signature the key makes over data: RSA PKCS#1 v1.5 with SHA-256, or pure Ed25519.
QByteArray signWith(EVP_PKEY *key, const QByteArray &data)
{
    const bool rsa = EVP_PKEY_is_a(key, "RSA");
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    size_t len = 0;
    QByteArray sig;
    if (EVP_DigestSignInit(ctx, nullptr, rsa ? EVP_sha256() : nullptr, nullptr, key) == 1
        && EVP_DigestSign(ctx, nullptr, &len, u8(data), size_t(data.size())) == 1) {
        sig.resize(qsizetype(len));
        if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char *>(sig.data()), &len, u8(data), size_t(data.size()))
            != 1)
            sig.clear();
        sig.resize(qsizetype(len));
    }
    EVP_MD_CTX_free(ctx);
    return sig;
}

QByteArray hmacSha256(const QByteArray &secret, const QByteArray &data)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    size_t len = 0;
    EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, secret.constData(), size_t(secret.size()), u8(data),
        size_t(data.size()), out, sizeof out, &len);
    return QByteArray(reinterpret_cast<const char *>(out), qsizetype(len));
}

Signer by(EVP_PKEY *key)
{
    return [key](const QByteArray &in) { return signWith(key, in); };
}
Signer byHmac(const QByteArray &secret)
{
    return [secret](const QByteArray &in) { return hmacSha256(secret, in); };
}

QByteArray b64(const QByteArray &bytes)
{
    return base64UrlEncode(bytes);
}
QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray token(const QJsonObject &header, const QJsonObject &claims, const Signer &sign)
{
    const QByteArray input = b64(compact(header)) + '.' + b64(compact(claims));
    return input + '.' + b64(sign(input));
}

QByteArray bnBytes(EVP_PKEY *key, const char *param)
{
    BIGNUM *bn = nullptr;
    EVP_PKEY_get_bn_param(key, param, &bn);
    QByteArray out(BN_num_bytes(bn), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char *>(out.data()));
    BN_free(bn);
    return out;
}

QJsonObject jwkOf(EVP_PKEY *key, const QString &kid)
{
    QJsonObject jwk { { QStringLiteral("kid"), kid }, { QStringLiteral("use"), QStringLiteral("sig") } };
    if (EVP_PKEY_is_a(key, "RSA")) {
        jwk.insert(QStringLiteral("kty"), QStringLiteral("RSA"));
        jwk.insert(QStringLiteral("n"), QString::fromLatin1(b64(bnBytes(key, OSSL_PKEY_PARAM_RSA_N))));
        jwk.insert(QStringLiteral("e"), QString::fromLatin1(b64(bnBytes(key, OSSL_PKEY_PARAM_RSA_E))));
    } else {
        unsigned char raw[32];
        size_t len = sizeof raw;
        EVP_PKEY_get_raw_public_key(key, raw, &len);
        jwk.insert(QStringLiteral("kty"), QStringLiteral("OKP"));
        jwk.insert(QStringLiteral("crv"), QStringLiteral("Ed25519"));
        jwk.insert(QStringLiteral("x"),
            QString::fromLatin1(b64(QByteArray(reinterpret_cast<const char *>(raw), qsizetype(len)))));
    }
    return jwk;
}

QJsonObject header(const char *alg, const QString &kid = QString())
{
    QJsonObject h { { QStringLiteral("alg"), QLatin1String(alg) }, { QStringLiteral("typ"), QStringLiteral("JWT") } };
    if (!kid.isEmpty())
        h.insert(QStringLiteral("kid"), kid);
    return h;
}

QJsonObject claims(qint64 expIn = 300)
{
    return QJsonObject { { QStringLiteral("iss"), kIssuer }, { QStringLiteral("aud"), kAudience },
        { QStringLiteral("sub"), QStringLiteral("alice") }, { QStringLiteral("l0_tenant"), QStringLiteral("acme") },
        { QStringLiteral("iat"), double(kNowS) }, { QStringLiteral("exp"), double(kNowS + expIn) } };
}

QJsonObject with(QJsonObject o, const QString &key, const QJsonValue &value)
{
    if (value.isUndefined())
        o.remove(key);
    else
        o.insert(key, value);
    return o;
}

// JSON written with single quotes, for readability.
QByteArray q(const char *text)
{
    return QByteArray(text).replace('\'', '"');
}

QString messageOf(const Result<QJsonObject> &r)
{
    return r.ok() ? QStringLiteral("(accepted)") : r.error().message;
}

} // namespace

class TestJwt : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    Pkey m_rsa, m_rsa2, m_ed, m_ed2;
    Pkey m_stranger; // configured nowhere
    QByteArray m_secret;
    QString m_pemFile; // m_rsa and m_ed
    QString m_jwksFile; // m_rsa2 as "r2", m_ed2 as "e2"
    ManualClock m_clock { kNowS * 1000 };

    QString write(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(path));
        f.write(bytes);
        return path;
    }
    QByteArray jwks(const QJsonArray &keys) { return compact(QJsonObject { { QStringLiteral("keys"), keys } }); }

    JwtConfig config() const
    {
        JwtConfig c;
        c.issuer = kIssuer;
        c.audience = kAudience;
        c.keysFile = m_pemFile;
        c.jwksFile = m_jwksFile;
        c.hs256SecretEnv = QStringLiteral("L0_TEST_JWT_SECRET");
        c.hs256Secret = m_secret;
        c.reloadCheckMs = 0;
        return c;
    }
    std::unique_ptr<JwtVerifier> verifier(const JwtConfig &c)
    {
        auto v = JwtVerifier::create(c, &m_clock);
        if (!v)
            qFatal("verifier: %s", qPrintable(v.error().message));
        return std::move(*v);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_rsa.reset(EVP_RSA_gen(2048));
        m_rsa2.reset(EVP_RSA_gen(2048));
        m_ed.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
        m_ed2.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
        m_stranger.reset(EVP_RSA_gen(2048));
        QVERIFY(m_rsa && m_rsa2 && m_ed && m_ed2 && m_stranger);
        QByteArray random(32, '\0');
        QVERIFY(RAND_bytes(reinterpret_cast<unsigned char *>(random.data()), 32) == 1);
        m_secret = random.toHex(); // 64 bytes, made for this run only
        m_pemFile = write(QStringLiteral("keys.pem"), publicPem(m_rsa.get()) + publicPem(m_ed.get()));
        m_jwksFile = write(QStringLiteral("jwks.json"),
            jwks({ jwkOf(m_rsa2.get(), QStringLiteral("r2")), jwkOf(m_ed2.get(), QStringLiteral("e2")) }));
    }

    void base64url()
    {
        for (const QByteArray &bytes : { QByteArray(), QByteArray("f"), QByteArray("fo"), QByteArray("foo"),
                 QByteArray("\xff\xfe\xfd\x00\x01", 5), QByteArray(1000, '\xa5') }) {
            const QByteArray enc = base64UrlEncode(bytes);
            QCOMPARE(enc, bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
            QCOMPARE(base64UrlDecode(enc).value_or("(failed)"), bytes);
        }
        QVERIFY(!base64UrlDecode("Zm9v=")); // padding
        QVERIFY(!base64UrlDecode("Zm+v")); // the standard alphabet
        QVERIFY(!base64UrlDecode("Zm9 v")); // whitespace
        QVERIFY(!base64UrlDecode("Zm9vY")); // a lone sixth of a byte
        QVERIFY(!base64UrlDecode("Zh")); // non-zero unused bits ("Zg" is "f")
        QVERIFY(base64UrlDecode("Zg").has_value());
    }

    void looksLikeJwt()
    {
        const QByteArray good = token(header("RS256"), claims(), by(m_rsa.get()));
        QVERIFY(JwtVerifier::looksLikeJwt(good));
        QVERIFY(!JwtVerifier::looksLikeJwt("l0-abcdefghijklmnopqrstuvwxyz012345"));
        QVERIFY(!JwtVerifier::looksLikeJwt("eyJhbGciOiJIUzI1NiJ9.only-two"));
        QVERIFY(!JwtVerifier::looksLikeJwt("eyJh.b.c.d"));
    }

    void acceptsEachAlgorithm_data()
    {
        QTest::addColumn<QByteArray>("tok");
        QTest::newRow("RS256, PEM key") << token(header("RS256"), claims(), by(m_rsa.get()));
        QTest::newRow("EdDSA, PEM key") << token(header("EdDSA"), claims(), by(m_ed.get()));
        QTest::newRow("RS256, JWKS kid") << token(header("RS256", QStringLiteral("r2")), claims(), by(m_rsa2.get()));
        QTest::newRow("EdDSA, JWKS kid") << token(header("EdDSA", QStringLiteral("e2")), claims(), by(m_ed2.get()));
        QTest::newRow("EdDSA, JWKS without kid") << token(header("EdDSA"), claims(), by(m_ed2.get()));
        QTest::newRow("HS256, secret") << token(header("HS256"), claims(), byHmac(m_secret));
        QTest::newRow("aud as a list") << token(header("RS256"),
            with(claims(), QStringLiteral("aud"), QJsonArray { QStringLiteral("other"), kAudience }), by(m_rsa.get()));
        QTest::newRow("expired within the skew") << token(header("RS256"), claims(-30), by(m_rsa.get()));
        QTest::newRow("nbf within the skew")
            << token(header("RS256"), with(claims(), QStringLiteral("nbf"), double(kNowS + 30)), by(m_rsa.get()));
        QTest::newRow("fractional exp") << token(
            header("RS256"), with(claims(), QStringLiteral("exp"), double(kNowS) + 0.5), by(m_rsa.get()));
    }
    void acceptsEachAlgorithm()
    {
        QFETCH(QByteArray, tok);
        auto v = verifier(config());
        const auto r = v->verify(tok);
        QVERIFY2(r.ok(), qPrintable(messageOf(r)));
        QCOMPARE(r->value(QStringLiteral("sub")).toString(), QStringLiteral("alice"));
    }

    void refuses_data()
    {
        QTest::addColumn<QByteArray>("tok");
        QTest::addColumn<QString>("why");
        EVP_PKEY *rsa = m_rsa.get();
        const QByteArray good = token(header("RS256"), claims(), by(rsa));
        const QList<QByteArray> parts = good.split('.');

        // alg none, with and without a signature part.
        const QByteArray noneInput = b64(compact(header("none"))) + '.' + parts[1];
        QTest::newRow("alg none, empty signature") << noneInput + '.' << QStringLiteral("alg 'none'");
        QTest::newRow("alg none, with a signature") << noneInput + '.' + parts[2] << QStringLiteral("alg 'none'");
        QTest::newRow("alg NONE") << b64(compact(header("NONE"))) + '.' + parts[1] + '.'
                                  << QStringLiteral("alg 'none'");
        QTest::newRow("no alg") << token(QJsonObject { { QStringLiteral("typ"), QStringLiteral("JWT") } }, claims(),
            by(rsa)) << QStringLiteral("no alg");
        QTest::newRow("RS512") << token(header("RS512"), claims(), by(rsa))
                               << QStringLiteral("unsupported alg 'RS512'");
        QTest::newRow("HS512") << token(header("HS512"), claims(), byHmac(m_secret))
                               << QStringLiteral("unsupported alg");

        // Key confusion: the RSA public key's PEM as an HMAC secret.
        QTest::newRow("key confusion (PEM as HS256 secret)")
            << token(header("HS256"), claims(), byHmac(publicPem(rsa))) << QStringLiteral("bad signature");
        QTest::newRow("key confusion (JWKS n as HS256 secret)") << token(
            header("HS256", QStringLiteral("r2")), claims(), byHmac(bnBytes(m_rsa2.get(), OSSL_PKEY_PARAM_RSA_N)))
                                                                << QStringLiteral("bad signature");
        // Algorithm binding: an Ed25519 signature under an RS256 header, and the other way round.
        QTest::newRow("EdDSA signature labelled RS256")
            << token(header("RS256"), claims(), by(m_ed.get())) << QStringLiteral("bad signature");
        QTest::newRow("RS256 signature labelled EdDSA")
            << token(header("EdDSA"), claims(), by(rsa)) << QStringLiteral("bad signature");

        // Tampering.
        const QByteArray otherClaims
            = b64(compact(with(claims(), QStringLiteral("l0_tenant"), QStringLiteral("beta"))));
        QTest::newRow("tampered payload")
            << parts[0] + '.' + otherClaims + '.' + parts[2] << QStringLiteral("bad signature");
        QByteArray flipped = parts[2];
        flipped[10] = flipped[10] == 'A' ? 'B' : 'A';
        QTest::newRow("tampered signature")
            << parts[0] + '.' + parts[1] + '.' + flipped << QStringLiteral("bad signature");
        QTest::newRow("signature of an unknown RSA key")
            << token(header("RS256"), claims(), by(m_stranger.get())) << QStringLiteral("bad signature");
        QTest::newRow("truncated signature")
            << parts[0] + '.' + parts[1] + '.' + parts[2].left(40) << QStringLiteral("bad signature");
        QTest::newRow("wrong HS256 secret")
            << token(header("HS256"), claims(), byHmac(QByteArray(64, 'x'))) << QStringLiteral("bad signature");

        // Shape.
        QTest::newRow("two parts") << parts[0] + '.' + parts[1] << QStringLiteral("three base64url parts");
        QTest::newRow("four parts") << good + ".x" << QStringLiteral("three base64url parts");
        QTest::newRow("padded signature") << good + "==" << QStringLiteral("not base64url");
        QTest::newRow("header not JSON") << b64("alg=RS256") + '.' + parts[1] + '.' + parts[2]
                                         << QStringLiteral("header is not");
        QTest::newRow("payload a JSON list") << token(header("RS256"), QJsonObject(), by(rsa)).split('.')[0] + '.'
                + b64("[1,2]") + '.' + b64(signWith(rsa, b64(compact(header("RS256"))) + '.' + b64("[1,2]")))
                                             << QStringLiteral("payload is not");
        QTest::newRow("larger than 8 KiB")
            << token(header("RS256"), with(claims(), QStringLiteral("pad"), QString(9000, QLatin1Char('p'))), by(rsa))
            << QStringLiteral("larger than");
        QJsonObject crit = header("RS256");
        crit.insert(QStringLiteral("crit"), QJsonArray { QStringLiteral("exp") });
        QTest::newRow("crit header") << token(crit, claims(), by(rsa)) << QStringLiteral("crit");

        // Keys.
        QTest::newRow("unknown kid") << token(header("EdDSA", QStringLiteral("nope")), claims(), by(m_ed2.get()))
                                     << QStringLiteral("bad signature"); // the PEM Ed25519 key has no kid: tried
        QTest::newRow("kid of another key")
            << token(header("RS256", QStringLiteral("r2")), claims(), by(rsa)) << QStringLiteral("bad signature");

        // Claims.
        QTest::newRow("expired") << token(header("RS256"), claims(-61), by(rsa)) << QStringLiteral("expired");
        QTest::newRow("no exp") << token(header("RS256"), with(claims(), QStringLiteral("exp"), QJsonValue::Undefined),
            by(rsa)) << QStringLiteral("no exp");
        QTest::newRow("exp a string") << token(
            header("RS256"), with(claims(), QStringLiteral("exp"), QStringLiteral("soon")), by(rsa))
                                      << QStringLiteral("exp must be");
        QTest::newRow("not yet valid") << token(
            header("RS256"), with(claims(), QStringLiteral("nbf"), double(kNowS + 61)), by(rsa))
                                       << QStringLiteral("not yet valid");
        QTest::newRow("issued in the future")
            << token(header("RS256"), with(claims(), QStringLiteral("iat"), double(kNowS + 120)), by(rsa))
            << QStringLiteral("issued in the future");
        QTest::newRow("wrong audience") << token(
            header("RS256"), with(claims(), QStringLiteral("aud"), QStringLiteral("someone-else")), by(rsa))
                                        << QStringLiteral("wrong audience");
        QTest::newRow("audience list without ours") << token(header("RS256"),
            with(claims(), QStringLiteral("aud"), QJsonArray { QStringLiteral("a"), QStringLiteral("b") }), by(rsa))
                                                    << QStringLiteral("wrong audience");
        QTest::newRow("no audience") << token(
            header("RS256"), with(claims(), QStringLiteral("aud"), QJsonValue::Undefined), by(rsa))
                                     << QStringLiteral("wrong audience");
        QTest::newRow("wrong issuer") << token(
            header("RS256"), with(claims(), QStringLiteral("iss"), QStringLiteral("https://evil.invalid/")), by(rsa))
                                      << QStringLiteral("wrong issuer");
        QTest::newRow("no issuer") << token(
            header("RS256"), with(claims(), QStringLiteral("iss"), QJsonValue::Undefined), by(rsa))
                                   << QStringLiteral("wrong issuer");
    }
    void refuses()
    {
        QFETCH(QByteArray, tok);
        QFETCH(QString, why);
        auto v = verifier(config());
        const auto r = v->verify(tok);
        QVERIFY2(!r.ok(), "accepted");
        QCOMPARE(r.error().code, ErrorCode::Unauthenticated);
        QVERIFY2(r.error().message.contains(why), qPrintable(r.error().message));
        // The message never repeats the token (or any of its parts).
        for (const QByteArray &part : tok.split('.')) {
            if (part.size() > 8)
                QVERIFY(!r.error().message.contains(QString::fromLatin1(part)));
        }
    }

    void unknownKidWithJwksOnly()
    {
        JwtConfig c = config();
        c.keysFile.clear();
        c.hs256SecretEnv.clear();
        c.hs256Secret.clear();
        auto v = verifier(c);
        const auto r = v->verify(token(header("EdDSA", QStringLiteral("nope")), claims(), by(m_ed2.get())));
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(QStringLiteral("unknown kid")), qPrintable(r.error().message));
        // HS256 is not accepted at all without a secret: a key-confusion token is turned away on its alg.
        const auto confused = v->verify(token(header("HS256"), claims(), byHmac(publicPem(m_rsa2.get()))));
        QVERIFY(!confused.ok());
        QVERIFY2(confused.error().message.contains(QStringLiteral("HS256 is not accepted")),
            qPrintable(confused.error().message));
    }

    void algorithmsListRestricts()
    {
        JwtConfig c = config();
        c.algorithms = { QStringLiteral("EdDSA") };
        auto v = verifier(c);
        QVERIFY(v->verify(token(header("EdDSA"), claims(), by(m_ed.get()))).ok());
        const auto r = v->verify(token(header("RS256"), claims(), by(m_rsa.get())));
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.contains(QStringLiteral("RS256 is not accepted")));
        const auto h = v->verify(token(header("HS256"), claims(), byHmac(m_secret)));
        QVERIFY(!h.ok());
    }

    void skewAndClock()
    {
        JwtConfig c = config();
        c.clockSkewS = 0;
        auto v = verifier(c);
        const QByteArray tok = token(header("EdDSA"), claims(10), by(m_ed.get()));
        QVERIFY(v->verify(tok).ok());
        m_clock.advance(9'999);
        QVERIFY(v->verify(tok).ok());
        m_clock.advance(1);
        QVERIFY(!v->verify(tok).ok()); // exp is the first instant it is no longer valid
        m_clock.set(kNowS * 1000);
    }

    void audienceWhenNoneConfigured()
    {
        JwtConfig c = config();
        c.audience.clear();
        c.issuer.clear();
        auto v = verifier(c);
        QVERIFY(v->verify(token(header("EdDSA"), with(claims(), QStringLiteral("aud"), QJsonValue::Undefined),
                              by(m_ed.get())))
                    .ok());
        const auto r = v->verify(token(header("EdDSA"), claims(), by(m_ed.get())));
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.contains(QStringLiteral("wrong audience")));
    }

    void badConfigurations()
    {
        JwtConfig none;
        QVERIFY(!JwtVerifier::create(none, &m_clock).ok());

        JwtConfig shortSecret;
        shortSecret.hs256SecretEnv = QStringLiteral("S");
        shortSecret.hs256Secret = "too-short";
        const auto s = JwtVerifier::create(shortSecret, &m_clock);
        QVERIFY(!s.ok());
        QVERIFY(s.error().message.contains(QStringLiteral("at least 32 bytes")));
        QVERIFY(!s.error().message.contains(QStringLiteral("too-short"))); // the secret is never repeated

        JwtConfig pemSecret;
        pemSecret.hs256SecretEnv = QStringLiteral("S");
        pemSecret.hs256Secret = publicPem(m_rsa.get());
        QVERIFY(!JwtVerifier::create(pemSecret, &m_clock).ok());

        JwtConfig unset;
        unset.hs256SecretEnv = QStringLiteral("S");
        QVERIFY(!JwtVerifier::create(unset, &m_clock).ok());

        JwtConfig missingFile;
        missingFile.jwksFile = m_dir.filePath(QStringLiteral("absent.json"));
        const auto m = JwtVerifier::create(missingFile, &m_clock);
        QVERIFY(!m.ok());
        QVERIFY(m.error().message.contains(QStringLiteral("jwks_file")));

        JwtConfig badAlg = config();
        badAlg.algorithms = { QStringLiteral("ES256") };
        QVERIFY(!JwtVerifier::create(badAlg, &m_clock).ok());

        // A small RSA key, a JWK whose alg contradicts its type, a set with no usable key.
        Pkey small(EVP_RSA_gen(1024));
        QVERIFY(!parsePemPublicKeys(publicPem(small.get())).ok());
        QJsonObject lying = jwkOf(m_rsa.get(), QStringLiteral("x"));
        lying.insert(QStringLiteral("alg"), QStringLiteral("HS256"));
        QVERIFY(!parseJwks(jwks({ lying })).ok());
        QVERIFY(!parseJwks(jwks({ QJsonObject { { QStringLiteral("kty"), QStringLiteral("oct") },
                               { QStringLiteral("k"), QStringLiteral("c2VjcmV0") } } }))
                     .ok());
        QVERIFY(!parseJwks("[]").ok());
        QJsonObject weakExponent = jwkOf(m_rsa.get(), QStringLiteral("w"));
        weakExponent.insert(QStringLiteral("e"), QStringLiteral("AQ")); // e = 1
        QVERIFY(!parseJwks(jwks({ weakExponent })).ok());
        QVERIFY(!parsePemPublicKeys("not a key").ok());
        // Keys for encryption and unknown curves are skipped, not used.
        QJsonObject enc = jwkOf(m_ed.get(), QStringLiteral("enc"));
        enc.insert(QStringLiteral("use"), QStringLiteral("enc"));
        auto mixed = parseJwks(jwks({ enc, jwkOf(m_ed2.get(), QStringLiteral("sig")) }));
        QVERIFY(mixed.ok());
        QCOMPARE(int(mixed->size()), 1);
        QCOMPARE(mixed->front()->kid(), QStringLiteral("sig"));
        QCOMPARE(mixed->front()->algorithm(), JwtAlgorithm::EdDSA);
    }

    void jwksReloadsOnChange()
    {
        const QString path = write(QStringLiteral("rotating.json"), jwks({ jwkOf(m_ed.get(), QStringLiteral("k1")) }));
        JwtConfig c;
        c.jwksFile = path;
        c.audience = kAudience;
        c.reloadCheckMs = 0;
        auto v = verifier(c);
        const QByteArray oldTok = token(header("EdDSA", QStringLiteral("k1")), claims(), by(m_ed.get()));
        const QByteArray newTok = token(header("EdDSA", QStringLiteral("k2")), claims(), by(m_ed2.get()));
        QVERIFY(v->verify(oldTok).ok());
        QVERIFY(v->verify(newTok).error().message.contains(QStringLiteral("unknown kid")));

        // Rotation: the new key replaces the old one, no restart.
        write(QStringLiteral("rotating.json"), jwks({ jwkOf(m_ed2.get(), QStringLiteral("k2")) }));
        const auto r = v->verify(newTok);
        QVERIFY2(r.ok(), qPrintable(messageOf(r)));
        QVERIFY(!v->verify(oldTok).ok());

        // A broken rewrite keeps the keys it had; a good one after it is picked up.
        write(QStringLiteral("rotating.json"), "{\"keys\": [");
        QVERIFY(v->verify(newTok).ok());
        QCOMPARE(v->keyCount(), 1);
        write(QStringLiteral("rotating.json"),
            jwks({ jwkOf(m_ed.get(), QStringLiteral("k1")), jwkOf(m_ed2.get(), QStringLiteral("k2")) }));
        QVERIFY(v->verify(oldTok).ok());
        QVERIFY(v->verify(newTok).ok());
        QCOMPARE(v->keyCount(), 2);
    }

    void reloadWhileVerifyingOnManyThreads()
    {
        const QString path = write(QStringLiteral("busy.json"), jwks({ jwkOf(m_ed.get(), QStringLiteral("k1")) }));
        JwtConfig c;
        c.jwksFile = path;
        c.audience = kAudience;
        c.reloadCheckMs = 0;
        auto v = verifier(c);
        const QByteArray tok = token(header("EdDSA", QStringLiteral("k1")), claims(), by(m_ed.get()));
        std::atomic<int> failures { 0 };
        std::atomic<int> verified { 0 };
        std::atomic<bool> stop { false };
        std::vector<std::thread> threads;
        for (int i = 0; i < 4; ++i) {
            threads.emplace_back([&] {
                while (!stop.load()) {
                    if (v->verify(tok).ok())
                        ++verified;
                    else
                        ++failures;
                }
            });
        }
        // k1 stays in every version of the file, so no token may fail while it changes.
        for (int i = 0; i < 50; ++i) {
            QJsonArray keys { jwkOf(m_ed.get(), QStringLiteral("k1")) };
            if (i % 2)
                keys.append(jwkOf(m_ed2.get(), QStringLiteral("k2")));
            const QString tmp = write(QStringLiteral("busy.json.tmp"), jwks(keys));
            QVERIFY(std::rename(tmp.toLocal8Bit().constData(), path.toLocal8Bit().constData()) == 0);
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        stop = true;
        for (auto &t : threads)
            t.join();
        QCOMPARE(failures.load(), 0);
        QVERIFY(verified.load() > 0);
    }

    void reloadWaitsForTheInterval()
    {
        const QString path = write(QStringLiteral("slow.json"), jwks({ jwkOf(m_ed.get(), QStringLiteral("k1")) }));
        JwtConfig c;
        c.jwksFile = path;
        c.reloadCheckMs = 60'000;
        auto v = verifier(c);
        QJsonObject noAud = with(claims(), QStringLiteral("aud"), QJsonValue::Undefined);
        const QByteArray newTok = token(header("EdDSA", QStringLiteral("k2")), noAud, by(m_ed2.get()));
        write(QStringLiteral("slow.json"), jwks({ jwkOf(m_ed2.get(), QStringLiteral("k2")) }));
        QVERIFY(!v->verify(newTok).ok()); // not checked yet
        v->reloadNow();
        QVERIFY(v->verify(newTok).ok());
    }

    void pemReloadsOnChange()
    {
        const QString path = write(QStringLiteral("one.pem"), publicPem(m_rsa.get()));
        JwtConfig c;
        c.keysFile = path;
        c.audience = kAudience;
        c.reloadCheckMs = 0;
        auto v = verifier(c);
        const QByteArray tok2 = token(header("RS256"), claims(), by(m_rsa2.get()));
        QVERIFY(!v->verify(tok2).ok());
        write(QStringLiteral("one.pem"), publicPem(m_rsa2.get()));
        QVERIFY(v->verify(tok2).ok());
    }

    void authenticatorMapsClaims()
    {
        TenantDirectory tenants;
        Tenant acme;
        acme.id = 7;
        acme.name = QStringLiteral("acme");
        Tenant beta;
        beta.id = 8;
        beta.name = QStringLiteral("beta");
        const QByteArray apiKey = "l0-" + QByteArray(30, 'k');
        ApiKeyRecord key;
        key.id = 1;
        key.tenantId = 8;
        key.keyHash = sha256(apiKey);
        tenants.replace({ acme, beta }, { key });
        QCOMPARE(tenants.tenantByName(QStringLiteral("acme"))->id, qint64(7));
        QVERIFY(!tenants.tenantByName(QStringLiteral("nobody")));

        Authenticator auth(&tenants, verifier(config()));
        auto request = [](const QByteArray &name, const QByteArray &value) {
            http::HttpRequest r;
            r.headers.append({ name, value });
            return r;
        };
        auto bearer = [&](const QByteArray &tok) { return request("authorization", "Bearer " + tok); };

        // API keys work as before.
        const auto k = auth.authenticate(bearer(apiKey));
        QVERIFY(k.ok());
        QCOMPARE(k->tenant.id, qint64(8));
        QVERIFY(k->user.isEmpty());
        const auto unknownKey = auth.authenticate(bearer("l0-unknown"));
        QVERIFY(!unknownKey.ok());
        QCOMPARE(unknownKey.error().message, QStringLiteral("unknown API key"));
        QVERIFY(unknownKey.error().field.isEmpty());

        // A token: tenant by name, user from sub, no namespace pin.
        const auto p = auth.authenticate(bearer(token(header("RS256"), claims(), by(m_rsa.get()))));
        QVERIFY2(p.ok(), qPrintable(p.ok() ? QString() : p.error().message));
        QCOMPARE(p->tenant.id, qint64(7));
        QCOMPARE(p->user, QStringLiteral("alice"));
        QVERIFY(p->ns.isEmpty());
        QVERIFY(!p->manager);

        // As x-api-key (the Anthropic SDK's header), with a namespace claim.
        const auto n = auth.authenticate(request("x-api-key",
            token(header("EdDSA"), with(claims(), QStringLiteral("l0_namespace"), QStringLiteral("team/support")),
                by(m_ed.get()))));
        QVERIFY(n.ok());
        QCOMPARE(n->ns, QByteArray("team/support"));
        http::HttpRequest other = request("x-l0-namespace", "other");
        QVERIFY(!requestNamespace(*n, other).ok());
        QCOMPARE(requestNamespace(*n, http::HttpRequest()).value(), QByteArray("team/support"));

        auto refused = [&](const QJsonObject &c, const QString &why) {
            const auto r = auth.authenticate(bearer(token(header("RS256"), c, by(m_rsa.get()))));
            if (r.ok())
                return QStringLiteral("accepted");
            if (r.error().code != ErrorCode::Unauthenticated || !r.error().message.contains(why))
                return r.error().message;
            if (r.error().field != QLatin1String("authorization")) // answered with WWW-Authenticate
                return QStringLiteral("no field");
            return QString();
        };
        QCOMPARE(refused(with(claims(), QStringLiteral("l0_tenant"), QStringLiteral("nobody")),
                     QStringLiteral("unknown tenant")),
            QString());
        QCOMPARE(
            refused(with(claims(), QStringLiteral("l0_tenant"), QJsonValue::Undefined), QStringLiteral("l0_tenant")),
            QString());
        QCOMPARE(refused(with(claims(), QStringLiteral("l0_tenant"), 7), QStringLiteral("l0_tenant")), QString());
        QCOMPARE(refused(with(claims(), QStringLiteral("l0_namespace"), QStringLiteral("bad ns!")),
                     QStringLiteral("l0_namespace")),
            QString());
        QCOMPARE(refused(claims(-3600), QStringLiteral("expired")), QString());

        // A long user is cut, a missing one stays empty.
        const auto longUser = auth.authenticate(bearer(token(
            header("RS256"), with(claims(), QStringLiteral("sub"), QString(1000, QLatin1Char('u'))), by(m_rsa.get()))));
        QVERIFY(longUser.ok());
        QCOMPARE(longUser->user.size(), qsizetype(Authenticator::kMaxUserLength));
        const auto noUser = auth.authenticate(bearer(
            token(header("RS256"), with(claims(), QStringLiteral("sub"), QJsonValue::Undefined), by(m_rsa.get()))));
        QVERIFY(noUser.ok());
        QVERIFY(noUser->user.isEmpty());

        // Without a verifier a token is just an unknown key.
        Authenticator keysOnly(&tenants);
        const auto plain = keysOnly.authenticate(bearer(token(header("RS256"), claims(), by(m_rsa.get()))));
        QVERIFY(!plain.ok());
        QVERIFY(plain.error().message.contains(QStringLiteral("unknown API key")));
    }

    void customClaimNames()
    {
        TenantDirectory tenants;
        Tenant acme;
        acme.id = 7;
        acme.name = QStringLiteral("acme");
        tenants.replace({ acme }, {});
        JwtConfig c = config();
        c.tenantClaim = QStringLiteral("org");
        c.userClaim = QStringLiteral("email");
        c.namespaceClaim = QStringLiteral("ns");
        Authenticator auth(&tenants, verifier(c));
        QJsonObject cl = claims();
        cl.insert(QStringLiteral("org"), QStringLiteral("acme"));
        cl.insert(QStringLiteral("email"), QStringLiteral("bob@example.invalid"));
        cl.insert(QStringLiteral("ns"), QStringLiteral("faq"));
        cl.insert(QStringLiteral("l0_tenant"), QStringLiteral("nobody")); // not the configured claim: ignored
        http::HttpRequest r;
        r.headers.append({ "authorization", "Bearer " + token(header("EdDSA"), cl, by(m_ed.get())) });
        const auto p = auth.authenticate(r);
        QVERIFY2(p.ok(), qPrintable(p.ok() ? QString() : p.error().message));
        QCOMPARE(p->user, QStringLiteral("bob@example.invalid"));
        QCOMPARE(p->ns, QByteArray("faq"));
    }

    void nodeConfigReadsJwt()
    {
        const QString path = write(QStringLiteral("node.json"),
            q("{'jwt': { 'issuer': 'https://idp.test.invalid/', 'audience': 'l0-cache', 'jwks_file': "
              "'/etc/l0/jwks.json', 'hs256_secret_env': 'L0_TEST_SECRET', 'algorithms': ['EdDSA', 'HS256'], "
              "'clock_skew_s': 5, 'tenant_claim': 'org', 'user_claim': 'email', 'namespace_claim': 'ns', "
              "'reload_check_ms': 250}}"));
        QProcessEnvironment env;
        env.insert(QStringLiteral("L0_TEST_SECRET"), QString::fromLatin1(m_secret));
        auto c = loadNodeConfig(path, env);
        QVERIFY2(c.ok(), qPrintable(c.ok() ? QString() : c.error().message));
        QVERIFY(c->jwt.enabled());
        QCOMPARE(c->jwt.issuer, QStringLiteral("https://idp.test.invalid/"));
        QCOMPARE(c->jwt.audience, QStringLiteral("l0-cache"));
        QCOMPARE(c->jwt.jwksFile, QStringLiteral("/etc/l0/jwks.json"));
        QCOMPARE(c->jwt.hs256Secret, m_secret);
        QCOMPARE(c->jwt.algorithms, QStringList({ QStringLiteral("EdDSA"), QStringLiteral("HS256") }));
        QCOMPARE(c->jwt.clockSkewS, 5);
        QCOMPARE(c->jwt.tenantClaim, QStringLiteral("org"));
        QCOMPARE(c->jwt.userClaim, QStringLiteral("email"));
        QCOMPARE(c->jwt.namespaceClaim, QStringLiteral("ns"));
        QCOMPARE(c->jwt.reloadCheckMs, 250);

        QVERIFY(!loadNodeConfig({}, env)->jwt.enabled());

        auto bad = [&](const QByteArray &json, const QString &needle) {
            auto r = loadNodeConfig(write(QStringLiteral("bad.json"), json), env);
            if (r.ok())
                return QStringLiteral("accepted");
            return r.error().message.contains(needle) ? QString() : r.error().message;
        };
        QCOMPARE(bad(q("{'jwt': {'audience': 'x'}}"), QStringLiteral("jwt")), QString());
        QCOMPARE(bad(q("{'jwt': {'jwks_file': '/x', 'typo': 1}}"), QStringLiteral("jwt.typo")), QString());
        QCOMPARE(bad(q("{'jwt': {'jwks_file': '/x', 'algorithms': ['none']}}"), QStringLiteral("jwt.algorithms")),
            QString());
        QCOMPARE(
            bad(q("{'jwt': {'jwks_file': '/x', 'clock_skew_s': -1}}"), QStringLiteral("jwt.clock_skew_s")), QString());
        QCOMPARE(bad(q("{'jwt': {'hs256_secret_env': 'L0_UNSET_VARIABLE'}}"), QStringLiteral("L0_UNSET_VARIABLE")),
            QString());
        QCOMPARE(bad(q("{'jwt': 'yes'}"), QStringLiteral("'jwt'")), QString());
        QCOMPARE(
            bad(q("{'jwt': {'jwks_file': '/x', 'tenant_claim': ''}}"), QStringLiteral("jwt.tenant_claim")), QString());
    }
};

QTEST_APPLESS_MAIN(TestJwt)
#include "tst_jwt.moc"
