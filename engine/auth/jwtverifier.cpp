#include "jwtverifier.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>

#include <chrono>

#include "base64url.h"
#include "core/clock.h"
#include "core/text.h"

namespace l0 {

namespace {

Q_LOGGING_CATEGORY(lcAuth, "l0.auth", QtInfoMsg)

constexpr qint64 kMaxKeyFileBytes = 1024 * 1024;

Error invalid(const QString &why)
{
    return makeError(ErrorCode::Unauthenticated, QStringLiteral("invalid token: ") + why);
}

qint64 steadyMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

Result<QByteArray> readKeyFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::NotFound, f.errorString());
    if (f.size() > kMaxKeyFileBytes)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("larger than 1 MiB"));
    return f.read(kMaxKeyFileBytes + 1);
}

std::optional<QJsonObject> decodeJsonObject(QByteArrayView segment)
{
    const auto raw = base64UrlDecode(segment);
    if (!raw)
        return std::nullopt;
    QJsonParseError err {};
    const QJsonDocument doc = QJsonDocument::fromJson(*raw, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

// An alg name safe to repeat in a message: short, letters, digits and + -.
QString printableAlg(const QString &alg)
{
    if (alg.isEmpty() || alg.size() > 16)
        return QString();
    for (QChar c : alg) {
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != QLatin1Char('+') && c != QLatin1Char('-'))
            return QString();
    }
    return alg;
}

} // namespace

JwtVerifier::JwtVerifier(const JwtConfig &config, const Clock *clock)
    : m_config(config)
    , m_clock(clock ? clock : Clock::system())
{
}

JwtVerifier::~JwtVerifier() = default;

Result<std::unique_ptr<JwtVerifier>> JwtVerifier::create(const JwtConfig &config, const Clock *clock)
{
    if (!config.enabled())
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("jwt: set at least one of keys_file, jwks_file and hs256_secret_env"));
    std::unique_ptr<JwtVerifier> v(new JwtVerifier(config, clock));
    if (config.algorithms.isEmpty()) {
        const bool publicKeys = !config.keysFile.isEmpty() || !config.jwksFile.isEmpty();
        v->m_accept[int(JwtAlgorithm::RS256)] = publicKeys;
        v->m_accept[int(JwtAlgorithm::EdDSA)] = publicKeys;
        v->m_accept[int(JwtAlgorithm::HS256)] = !config.hs256SecretEnv.isEmpty();
    }
    for (const QString &name : config.algorithms) {
        const auto alg = jwtAlgorithmFromName(name.toLatin1());
        if (!alg)
            return makeError(ErrorCode::InvalidArgument,
                QStringLiteral("jwt: algorithm '%1' is not supported (RS256, EdDSA, HS256 are)").arg(name));
        v->m_accept[int(*alg)] = true;
    }
    if (v->m_accept[int(JwtAlgorithm::HS256)] && config.hs256SecretEnv.isEmpty())
        return makeError(
            ErrorCode::InvalidArgument, QStringLiteral("jwt: HS256 is accepted but no hs256_secret_env is set"));

    auto initial = std::make_shared<KeySet>();
    if (!config.hs256SecretEnv.isEmpty()) {
        if (config.hs256Secret.isEmpty())
            return makeError(ErrorCode::InvalidArgument,
                QStringLiteral("jwt: the environment variable %1 (hs256_secret_env) is not set")
                    .arg(config.hs256SecretEnv));
        auto secret = JwtKey::fromSecret(config.hs256Secret);
        if (!secret)
            return makeError(ErrorCode::InvalidArgument,
                QStringLiteral("jwt: %1 (hs256_secret_env): %2").arg(config.hs256SecretEnv, secret.error().message));
        initial->secret = std::move(*secret);
    }
    v->m_keys.store(std::move(initial));
    Status failure;
    v->reload(true, &failure);
    if (!failure)
        return failure.error();
    v->m_nextCheckMs.store(steadyMs() + config.reloadCheckMs);
    return v;
}

bool JwtVerifier::looksLikeJwt(QByteArrayView credential)
{
    if (credential.size() < 8 || !credential.startsWith("eyJ"))
        return false;
    const qsizetype first = credential.indexOf('.');
    if (first < 0)
        return false;
    const qsizetype second = credential.indexOf('.', first + 1);
    return second > first && credential.indexOf('.', second + 1) < 0;
}

int JwtVerifier::keyCount() const
{
    const auto set = keys();
    return int(set->fromPem.size() + set->fromJwks.size() + (set->secret ? 1 : 0));
}

void JwtVerifier::reloadNow()
{
    std::lock_guard lock(m_reloadMutex);
    reload(false, nullptr);
    m_nextCheckMs.store(steadyMs() + m_config.reloadCheckMs);
}

void JwtVerifier::maybeReload()
{
    if (m_config.keysFile.isEmpty() && m_config.jwksFile.isEmpty())
        return;
    const qint64 now = steadyMs();
    qint64 due = m_nextCheckMs.load(std::memory_order_relaxed);
    if (now < due)
        return;
    // One thread wins the check; the others go on with the keys they have.
    if (!m_nextCheckMs.compare_exchange_strong(due, now + m_config.reloadCheckMs))
        return;
    std::unique_lock lock(m_reloadMutex, std::try_to_lock);
    if (lock.owns_lock())
        reload(false, nullptr);
}

void JwtVerifier::reload(bool initial, Status *failure)
{
    const auto current = keys();
    auto next = std::make_shared<KeySet>(*current);
    bool changed = false;
    auto load = [&](const QString &path, const char *key, FileStamp *stamp, JwtKeyList *into, bool jwks) {
        if (path.isEmpty())
            return;
        const auto bytes = readKeyFile(path);
        const FileStamp now = sha256(bytes ? *bytes : bytes.error().message.toUtf8().prepend("error:"));
        if (!initial && now == *stamp)
            return;
        *stamp = now;
        Result<JwtKeyList> parsed = !bytes ? Result<JwtKeyList>(bytes.error())
            : jwks                         ? parseJwks(*bytes)
                                           : parsePemPublicKeys(*bytes);
        if (!parsed) {
            const QString message
                = QStringLiteral("jwt: %1 %2: %3").arg(QLatin1String(key), path, parsed.error().message);
            if (initial && failure && failure->ok())
                *failure = makeError(ErrorCode::InvalidArgument, message);
            else if (!initial)
                qCWarning(lcAuth).noquote() << message << "(keeping the keys it had)";
            return;
        }
        if (!initial)
            qCInfo(lcAuth).noquote() << "jwt: reloaded" << parsed->size() << "key(s) from" << path;
        *into = std::move(*parsed);
        changed = true;
    };
    load(m_config.keysFile, "keys_file", &next->pemStamp, &next->fromPem, false);
    load(m_config.jwksFile, "jwks_file", &next->jwksStamp, &next->fromJwks, true);
    // A changed stamp is kept even when the file failed, so it is read again only once it changes.
    if (changed || next->pemStamp != current->pemStamp || next->jwksStamp != current->jwksStamp)
        m_keys.store(std::shared_ptr<const KeySet>(std::move(next)), std::memory_order_release);
}

Result<QJsonObject> JwtVerifier::verify(QByteArrayView token)
{
    if (token.size() > kMaxTokenBytes)
        return invalid(QStringLiteral("larger than %1 bytes").arg(kMaxTokenBytes));
    const qsizetype dot1 = token.indexOf('.');
    const qsizetype dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
    if (dot1 <= 0 || dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0)
        return invalid(QStringLiteral("not a signed JWT (three base64url parts)"));

    const auto header = decodeJsonObject(token.first(dot1));
    if (!header)
        return invalid(QStringLiteral("its header is not a base64url JSON object"));
    const QJsonValue algValue = header->value(QLatin1String("alg"));
    if (!algValue.isString())
        return invalid(QStringLiteral("its header has no alg"));
    const QString algName = algValue.toString();
    if (algName.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0)
        return invalid(QStringLiteral("alg 'none' is never accepted: tokens must be signed"));
    const auto alg = jwtAlgorithmFromName(algName.toLatin1());
    if (!alg) {
        const QString shown = printableAlg(algName);
        return invalid(shown.isEmpty() ? QStringLiteral("unsupported alg (RS256, EdDSA and HS256 are supported)")
                                       : QStringLiteral("unsupported alg '%1'").arg(shown));
    }
    if (!m_accept[int(*alg)])
        return invalid(
            QStringLiteral("alg %1 is not accepted by this node").arg(QLatin1String(jwtAlgorithmName(*alg))));
    if (header->contains(QLatin1String("crit")))
        return invalid(QStringLiteral("unsupported critical header parameters (crit)"));
    const QJsonValue kidValue = header->value(QLatin1String("kid"));
    if (!kidValue.isUndefined() && !kidValue.isString())
        return invalid(QStringLiteral("its kid must be a string"));
    const QString kid = kidValue.toString();

    if (dot2 + 1 >= token.size())
        return invalid(QStringLiteral("it has no signature"));
    const auto signature = base64UrlDecode(token.sliced(dot2 + 1));
    if (!signature)
        return invalid(QStringLiteral("its signature is not base64url"));

    maybeReload();
    const auto set = keys();
    // A kid picks the keys that carry it; keys without one (PEM keys, the secret) are tried
    // only when none does, or when the token names no kid.
    std::vector<const JwtKey *> candidates;
    bool kidMatched = false;
    auto consider = [&](const std::shared_ptr<const JwtKey> &key) {
        if (!key || key->algorithm() != *alg)
            return;
        if (kid.isEmpty() || key->kid().isEmpty()) {
            candidates.push_back(key.get());
        } else if (key->kid() == kid) {
            kidMatched = true;
            candidates.push_back(key.get());
        }
    };
    for (const auto &key : set->fromJwks)
        consider(key);
    for (const auto &key : set->fromPem)
        consider(key);
    consider(set->secret);
    if (kidMatched)
        std::erase_if(candidates, [&](const JwtKey *k) { return k->kid() != kid; });
    const bool anyForAlg = !candidates.empty();
    bool verified = false;
    const QByteArrayView signingInput = token.first(dot2);
    for (const JwtKey *key : candidates) {
        if (key->verify(signingInput, *signature)) {
            verified = true;
            break;
        }
    }
    if (!anyForAlg) {
        if (!kid.isEmpty())
            return invalid(
                QStringLiteral("unknown kid (no %1 key by that id)").arg(QLatin1String(jwtAlgorithmName(*alg))));
        return invalid(QStringLiteral("no %1 key is configured").arg(QLatin1String(jwtAlgorithmName(*alg))));
    }
    if (!verified)
        return invalid(QStringLiteral("bad signature"));

    const auto claims = decodeJsonObject(token.sliced(dot1 + 1, dot2 - dot1 - 1));
    if (!claims)
        return invalid(QStringLiteral("its payload is not a base64url JSON object"));

    const double now = double(m_clock->nowMs()) / 1000.0;
    const double skew = m_config.clockSkewS;
    const QJsonValue exp = claims->value(QLatin1String("exp"));
    if (exp.isUndefined())
        return invalid(QStringLiteral("it has no exp (expiry)"));
    if (!exp.isDouble())
        return invalid(QStringLiteral("its exp must be a number"));
    if (now >= exp.toDouble() + skew)
        return invalid(QStringLiteral("expired"));
    const QJsonValue nbf = claims->value(QLatin1String("nbf"));
    if (!nbf.isUndefined() && !nbf.isDouble())
        return invalid(QStringLiteral("its nbf must be a number"));
    if (nbf.isDouble() && now + skew < nbf.toDouble())
        return invalid(QStringLiteral("not yet valid (nbf)"));
    const QJsonValue iat = claims->value(QLatin1String("iat"));
    if (!iat.isUndefined() && !iat.isDouble())
        return invalid(QStringLiteral("its iat must be a number"));
    if (iat.isDouble() && now + skew < iat.toDouble())
        return invalid(QStringLiteral("not yet valid (issued in the future)"));

    if (!m_config.issuer.isEmpty()) {
        const QJsonValue iss = claims->value(QLatin1String("iss"));
        if (!iss.isString() || iss.toString() != m_config.issuer)
            return invalid(QStringLiteral("wrong issuer"));
    }
    const QJsonValue aud = claims->value(QLatin1String("aud"));
    if (!m_config.audience.isEmpty()) {
        bool match = aud.isString() && aud.toString() == m_config.audience;
        if (aud.isArray()) {
            for (const QJsonValue &a : aud.toArray())
                match = match || (a.isString() && a.toString() == m_config.audience);
        }
        if (!match)
            return invalid(QStringLiteral("wrong audience"));
    } else if (!aud.isUndefined()) {
        // RFC 7519 4.1.3: a token for named audiences is refused by a node that is none of them.
        return invalid(QStringLiteral("wrong audience (this node has no jwt.audience)"));
    }
    return *claims;
}

} // namespace l0
