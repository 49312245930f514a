#include "nodeconfig.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTimeZone>
#include <QUrl>

#include "upstream/modelcatalogue.h"

namespace l0 {

QString NodeConfig::effectiveUpstream() const
{
    if (upstream == QLatin1String("auto"))
        return upstreamApiKey.isEmpty() ? QStringLiteral("sim") : QStringLiteral("openai");
    return upstream;
}

Status parseListen(const QString &value, QString *host, quint16 *port)
{
    const qsizetype colon = value.lastIndexOf(QLatin1Char(':'));
    if (colon < 0)
        return makeError(
            ErrorCode::InvalidArgument, QStringLiteral("listen address must be HOST:PORT, got '%1'").arg(value));
    QString h = value.left(colon);
    bool ok = false;
    const uint p = value.mid(colon + 1).toUInt(&ok);
    if (!ok || p > 65535)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("bad port in '%1'").arg(value));
    if (h.startsWith(QLatin1Char('[')) && h.endsWith(QLatin1Char(']')))
        h = h.mid(1, h.size() - 2);
    *host = h.isEmpty() ? QStringLiteral("0.0.0.0") : h;
    *port = quint16(p);
    return {};
}

namespace {

Status readInt(const QJsonObject &o, const char *key, int *out, int lo, int hi)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined())
        return {};
    if (!v.isDouble() || v.toDouble() != double(v.toInteger()) || v.toInteger() < lo || v.toInteger() > hi)
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("config: '%1' must be an integer from %2 to %3").arg(QLatin1String(key)).arg(lo).arg(hi));
    *out = int(v.toInteger());
    return {};
}

Status readString(const QJsonObject &o, const char *key, QString *out)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined())
        return {};
    if (!v.isString())
        return makeError(
            ErrorCode::InvalidArgument, QStringLiteral("config: '%1' must be a string").arg(QLatin1String(key)));
    *out = v.toString();
    return {};
}

Status checkKeys(const QJsonObject &o, const QSet<QString> &allowed, const QString &where)
{
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!allowed.contains(it.key()))
            return makeError(
                ErrorCode::InvalidArgument, QStringLiteral("config: unknown key '%1%2'").arg(where, it.key()));
    }
    return {};
}

Status readStringList(const QJsonObject &o, const char *key, const QString &where, QStringList *out)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined())
        return {};
    const QString bad = QStringLiteral("config: '%1%2' must be a list of names").arg(where, QLatin1String(key));
    if (!v.isArray())
        return makeError(ErrorCode::InvalidArgument, bad);
    for (const QJsonValue &m : v.toArray()) {
        if (!m.isString() || m.toString().trimmed().isEmpty())
            return makeError(ErrorCode::InvalidArgument, bad);
        out->append(m.toString().trimmed());
    }
    return {};
}

// "semantic" and "embedders": the semantic tier and the remote embedders it may name.
Status readSemantic(const QJsonObject &o, const QProcessEnvironment &env, NodeConfig *c)
{
    const QJsonValue sv = o.value(QLatin1String("semantic"));
    if (!sv.isUndefined()) {
        if (!sv.isObject())
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("config: 'semantic' must be an object"));
        const QJsonObject sem = sv.toObject();
        if (auto s = checkKeys(sem,
                { QStringLiteral("enabled"), QStringLiteral("embedder"), QStringLiteral("tiers"),
                    QStringLiteral("index_threads") },
                QStringLiteral("semantic."));
            !s)
            return s;
        QStringList tiers;
        for (auto s : { readString(sem, "embedder", &c->semantic.embedder),
                 readInt(sem, "index_threads", &c->semantic.indexThreads, 1, 64),
                 readStringList(sem, "tiers", QStringLiteral("semantic."), &tiers) }) {
            if (!s)
                return s;
        }
        if (sem.contains(QLatin1String("tiers")))
            c->semantic.tiers = tiers;
        const QJsonValue enabled = sem.value(QLatin1String("enabled"));
        if (!enabled.isUndefined() && !enabled.isBool())
            return makeError(
                ErrorCode::InvalidArgument, QStringLiteral("config: 'semantic.enabled' must be true or false"));
        c->semantic.enabled = enabled.toBool(c->semantic.enabled);
    }
    const QJsonValue ev = o.value(QLatin1String("embedders"));
    if (ev.isUndefined())
        return {};
    if (!ev.isObject())
        return makeError(
            ErrorCode::InvalidArgument, QStringLiteral("config: 'embedders' must be an object of named embedders"));
    const QJsonObject all = ev.toObject();
    for (auto it = all.begin(); it != all.end(); ++it) {
        const QString where = QStringLiteral("embedders.%1.").arg(it.key());
        if (!it.value().isObject())
            return makeError(
                ErrorCode::InvalidArgument, QStringLiteral("config: '%1' must be an object").arg(where.chopped(1)));
        const QJsonObject e = it.value().toObject();
        if (auto s = checkKeys(e,
                { QStringLiteral("base_url"), QStringLiteral("model"), QStringLiteral("api_key_env"),
                    QStringLiteral("dimensions"), QStringLiteral("batch_size"), QStringLiteral("max_in_flight"),
                    QStringLiteral("timeout_ms"), QStringLiteral("cache_entries") },
                where);
            !s)
            return s;
        EmbedderConfig ec;
        ec.name = it.key();
        for (auto s : { readString(e, "base_url", &ec.baseUrl), readString(e, "model", &ec.model),
                 readString(e, "api_key_env", &ec.apiKeyEnv), readInt(e, "dimensions", &ec.dimensions, 0, 65'536),
                 readInt(e, "batch_size", &ec.batchSize, 1, 4096), readInt(e, "max_in_flight", &ec.maxInFlight, 1, 256),
                 readInt(e, "timeout_ms", &ec.timeoutMs, 100, 600'000),
                 readInt(e, "cache_entries", &ec.cacheEntries, 0, 100'000'000) }) {
            if (!s)
                return makeError(s.error().code,
                    QString(s.error().message)
                        .replace(QStringLiteral("config: '"), QStringLiteral("config: '") + where));
        }
        if (!ec.baseUrl.startsWith(QLatin1String("http://")) && !ec.baseUrl.startsWith(QLatin1String("https://")))
            return makeError(ErrorCode::InvalidArgument,
                QStringLiteral("config: '%1base_url' must be an http:// or https:// URL").arg(where));
        while (ec.baseUrl.endsWith(QLatin1Char('/')))
            ec.baseUrl.chop(1);
        if (ec.model.isEmpty())
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("config: '%1model' is required").arg(where));
        if (!ec.apiKeyEnv.isEmpty())
            ec.apiKey = env.value(ec.apiKeyEnv).toUtf8();
        c->embedders.push_back(std::move(ec));
    }
    return {};
}

// "upstreams", "fallbacks", "retry" and "breaker": the upstream pool.
Status readPool(const QJsonObject &o, const QProcessEnvironment &env, NodeConfig *c)
{
    const QJsonValue ups = o.value(QLatin1String("upstreams"));
    if (!ups.isUndefined() && !ups.isArray())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("config: 'upstreams' must be a list"));
    QSet<QString> names;
    const QJsonArray list = ups.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString where = QStringLiteral("upstreams[%1].").arg(i);
        if (!list.at(i).isObject())
            return makeError(
                ErrorCode::InvalidArgument, QStringLiteral("config: '%1' must be an object").arg(where.chopped(1)));
        const QJsonObject u = list.at(i).toObject();
        if (auto s = checkKeys(u,
                { QStringLiteral("name"), QStringLiteral("kind"), QStringLiteral("base_url"),
                    QStringLiteral("api_key_env"), QStringLiteral("models"), QStringLiteral("timeout_ms") },
                where);
            !s)
            return s;
        UpstreamConfig up;
        for (auto s :
            { readString(u, "name", &up.name), readString(u, "kind", &up.kind), readString(u, "base_url", &up.baseUrl),
                readString(u, "api_key_env", &up.apiKeyEnv), readInt(u, "timeout_ms", &up.timeoutMs, 100, 3'600'000),
                readStringList(u, "models", where, &up.models) }) {
            if (!s)
                return makeError(s.error().code,
                    QString(s.error().message)
                        .replace(QStringLiteral("config: '"), QStringLiteral("config: '") + where));
        }
        if (up.name.isEmpty())
            up.name = QStringLiteral("upstream%1").arg(i + 1);
        if (names.contains(up.name))
            return makeError(
                ErrorCode::InvalidArgument, QStringLiteral("config: two upstreams are named '%1'").arg(up.name));
        names.insert(up.name);
        if (up.kind != QLatin1String("openai") && up.kind != QLatin1String("anthropic")
            && up.kind != QLatin1String("sim"))
            return makeError(ErrorCode::InvalidArgument,
                QStringLiteral("config: '%1kind' must be openai, anthropic or sim, not '%2'").arg(where, up.kind));
        if (up.kind != QLatin1String("sim")) {
            if (up.baseUrl.isEmpty())
                up.baseUrl = up.kind == QLatin1String("anthropic") ? QStringLiteral("https://api.anthropic.com")
                                                                   : QStringLiteral("https://api.openai.com/v1");
            const QUrl url(up.baseUrl);
            if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
                return makeError(ErrorCode::InvalidArgument,
                    QStringLiteral("config: '%1base_url' must be an http(s) URL, not '%2'").arg(where, up.baseUrl));
            if (up.apiKeyEnv.isEmpty())
                return makeError(ErrorCode::InvalidArgument,
                    QStringLiteral("config: '%1api_key_env' must name the environment variable with its key")
                        .arg(where));
            up.apiKey = env.value(up.apiKeyEnv).toUtf8();
        }
        if (up.models.isEmpty())
            return makeError(ErrorCode::InvalidArgument,
                QStringLiteral("config: '%1models' must list the models it serves").arg(where));
        c->upstreams.push_back(std::move(up));
    }

    const QJsonValue fb = o.value(QLatin1String("fallbacks"));
    if (!fb.isUndefined() && !fb.isObject())
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("config: 'fallbacks' must map a model to the models tried after it"));
    const QJsonObject fallbacks = fb.toObject();
    for (auto it = fallbacks.begin(); it != fallbacks.end(); ++it) {
        QStringList chain;
        if (auto s = readStringList(fallbacks, it.key().toUtf8().constData(), QStringLiteral("fallbacks."), &chain); !s)
            return s;
        c->fallbacks.insert(it.key(), chain);
    }

    const QJsonObject retry = o.value(QLatin1String("retry")).toObject();
    if (auto s = checkKeys(retry,
            { QStringLiteral("max_attempts"), QStringLiteral("base_backoff_ms"), QStringLiteral("max_backoff_ms"),
                QStringLiteral("deadline_ms") },
            QStringLiteral("retry."));
        !s)
        return s;
    const QJsonObject breaker = o.value(QLatin1String("breaker")).toObject();
    if (auto s = checkKeys(breaker,
            { QStringLiteral("window_ms"), QStringLiteral("min_calls"), QStringLiteral("failure_percent"),
                QStringLiteral("open_ms"), QStringLiteral("max_open_ms") },
            QStringLiteral("breaker."));
        !s)
        return s;
    for (auto s : { readInt(retry, "max_attempts", &c->retry.maxAttempts, 1, 10),
             readInt(retry, "base_backoff_ms", &c->retry.baseBackoffMs, 0, 60'000),
             readInt(retry, "max_backoff_ms", &c->retry.maxBackoffMs, 0, 600'000),
             readInt(retry, "deadline_ms", &c->retry.deadlineMs, 100, 3'600'000),
             readInt(breaker, "window_ms", &c->breaker.windowMs, 100, 3'600'000),
             readInt(breaker, "min_calls", &c->breaker.minCalls, 1, 10'000),
             readInt(breaker, "failure_percent", &c->breaker.failurePercent, 1, 100),
             readInt(breaker, "open_ms", &c->breaker.openMs, 10, 3'600'000),
             readInt(breaker, "max_open_ms", &c->breaker.maxOpenMs, 10, 3'600'000) }) {
        if (!s)
            return s;
    }
    return {};
}

// "jwt": tokens accepted instead of API keys. The HS256 secret comes from the environment only.
// "tls": the listener's certificate and key files.
Status readTls(const QJsonObject &o, NodeConfig *c)
{
    const QJsonValue v = o.value(QLatin1String("tls"));
    if (v.isUndefined())
        return {};
    if (!v.isObject())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("config: 'tls' must be an object"));
    const QJsonObject t = v.toObject();
    if (auto s = checkKeys(t,
            { QStringLiteral("cert_file"), QStringLiteral("key_file"), QStringLiteral("key_passphrase_env") },
            QStringLiteral("tls."));
        !s)
        return s;
    for (auto s : { readString(t, "cert_file", &c->tls.certFile), readString(t, "key_file", &c->tls.keyFile),
             readString(t, "key_passphrase_env", &c->tlsKeyPassphraseEnv) }) {
        if (!s)
            return s;
    }
    return {};
}

Status readJwt(const QJsonObject &o, const QProcessEnvironment &env, JwtConfig *jwt)
{
    const QJsonValue v = o.value(QLatin1String("jwt"));
    if (v.isUndefined())
        return {};
    if (!v.isObject())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("config: 'jwt' must be an object"));
    const QJsonObject j = v.toObject();
    const QString where = QStringLiteral("jwt.");
    if (auto s = checkKeys(j,
            { QStringLiteral("issuer"), QStringLiteral("audience"), QStringLiteral("keys_file"),
                QStringLiteral("jwks_file"), QStringLiteral("hs256_secret_env"), QStringLiteral("algorithms"),
                QStringLiteral("clock_skew_s"), QStringLiteral("tenant_claim"), QStringLiteral("user_claim"),
                QStringLiteral("namespace_claim"), QStringLiteral("reload_check_ms") },
            where);
        !s)
        return s;
    QStringList algorithms;
    for (auto s : { readString(j, "issuer", &jwt->issuer), readString(j, "audience", &jwt->audience),
             readString(j, "keys_file", &jwt->keysFile), readString(j, "jwks_file", &jwt->jwksFile),
             readString(j, "hs256_secret_env", &jwt->hs256SecretEnv),
             readStringList(j, "algorithms", QString(), &algorithms),
             readInt(j, "clock_skew_s", &jwt->clockSkewS, 0, 3600), readString(j, "tenant_claim", &jwt->tenantClaim),
             readString(j, "user_claim", &jwt->userClaim), readString(j, "namespace_claim", &jwt->namespaceClaim),
             readInt(j, "reload_check_ms", &jwt->reloadCheckMs, 0, 3'600'000) }) {
        if (!s)
            return makeError(s.error().code,
                QString(s.error().message).replace(QStringLiteral("config: '"), QStringLiteral("config: '") + where));
    }
    for (const QString &alg : algorithms) {
        if (alg != QLatin1String("RS256") && alg != QLatin1String("EdDSA") && alg != QLatin1String("HS256"))
            return makeError(ErrorCode::InvalidArgument,
                QStringLiteral("config: 'jwt.algorithms' may hold RS256, EdDSA and HS256, not '%1'").arg(alg));
    }
    jwt->algorithms = algorithms;
    for (const auto &[key, value] : { std::pair { "tenant_claim", &jwt->tenantClaim },
             std::pair { "user_claim", &jwt->userClaim }, std::pair { "namespace_claim", &jwt->namespaceClaim } }) {
        if (value->isEmpty())
            return makeError(ErrorCode::InvalidArgument,
                QStringLiteral("config: 'jwt.%1' must name a claim").arg(QLatin1String(key)));
    }
    if (!jwt->enabled())
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("config: 'jwt' needs at least one of keys_file, jwks_file and hs256_secret_env"));
    if (!jwt->hs256SecretEnv.isEmpty()) {
        jwt->hs256Secret = env.value(jwt->hs256SecretEnv).toUtf8();
        if (jwt->hs256Secret.isEmpty())
            return makeError(ErrorCode::InvalidArgument,
                QStringLiteral("config: 'jwt.hs256_secret_env' names %1, which is not set").arg(jwt->hs256SecretEnv));
    }
    return {};
}

} // namespace

Result<NodeConfig> loadNodeConfig(const QString &file, const QProcessEnvironment &env)
{
    NodeConfig c;
    QJsonObject poolSource;
    if (!file.isEmpty()) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly))
            return makeError(
                ErrorCode::NotFound, QStringLiteral("cannot read config %1: %2").arg(file, f.errorString()));
        QJsonParseError err {};
        const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &err);
        if (err.error != QJsonParseError::NoError || !doc.isObject())
            return makeError(ErrorCode::InvalidArgument,
                QStringLiteral("config %1 is not a JSON object: %2 at offset %3")
                    .arg(file, err.errorString())
                    .arg(err.offset));
        const QJsonObject o = doc.object();
        poolSource = o;
        if (auto s = checkKeys(o,
                { QStringLiteral("db"), QStringLiteral("listen"), QStringLiteral("threads"), QStringLiteral("limits"),
                    QStringLiteral("upstream"), QStringLiteral("prices_file"), QStringLiteral("sync_interval_ms"),
                    QStringLiteral("drain_timeout_ms"), QStringLiteral("log_content"), QStringLiteral("admin_pubkeys"),
                    QStringLiteral("journal"), QStringLiteral("safety_profiles"), QStringLiteral("mcp_allowed_origins"),
                    QStringLiteral("upstreams"), QStringLiteral("fallbacks"), QStringLiteral("retry"),
                    QStringLiteral("breaker"), QStringLiteral("tenant_limits"), QStringLiteral("models"),
                    QStringLiteral("responses"), QStringLiteral("jwt"), QStringLiteral("semantic"),
                    QStringLiteral("embedders"), QStringLiteral("tls") },
                QString());
            !s)
            return s.error();
        QString listen;
        for (auto s : { readString(o, "db", &c.db), readString(o, "listen", &listen),
                 readInt(o, "threads", &c.threads, 0, 256), readString(o, "prices_file", &c.pricesFile),
                 readInt(o, "sync_interval_ms", &c.syncIntervalMs, 50, 3'600'000),
                 readInt(o, "drain_timeout_ms", &c.drainTimeoutMs, 0, 600'000), readString(o, "journal", &c.journal),
                 readString(o, "safety_profiles", &c.safetyProfiles) }) {
            if (!s)
                return s.error();
        }
        if (!listen.isEmpty()) {
            if (auto s = parseListen(listen, &c.listenHost, &c.port); !s)
                return s.error();
        }
        c.logContent = o.value(QLatin1String("log_content")).toBool(false);
        for (const QJsonValue &v : o.value(QLatin1String("admin_pubkeys")).toArray())
            c.adminPubkeys << v.toString();
        for (const QJsonValue &v : o.value(QLatin1String("mcp_allowed_origins")).toArray())
            c.mcpAllowedOrigins << v.toString();
        const QJsonObject limits = o.value(QLatin1String("limits")).toObject();
        if (auto s = checkKeys(limits,
                { QStringLiteral("max_body_bytes"), QStringLiteral("max_header_bytes"),
                    QStringLiteral("read_timeout_ms"), QStringLiteral("idle_timeout_ms") },
                QStringLiteral("limits."));
            !s)
            return s.error();
        int maxBody = int(qMin<qint64>(c.limits.maxBodyBytes, INT_MAX));
        int maxHeader = int(c.limits.maxHeaderBytes);
        for (auto s : { readInt(limits, "max_body_bytes", &maxBody, 1024, INT_MAX),
                 readInt(limits, "max_header_bytes", &maxHeader, 1024, 16 * 1024 * 1024),
                 readInt(limits, "read_timeout_ms", &c.limits.readTimeoutMs, 100, 3'600'000),
                 readInt(limits, "idle_timeout_ms", &c.limits.idleTimeoutMs, 100, 3'600'000) }) {
            if (!s)
                return s.error();
        }
        c.limits.maxBodyBytes = maxBody;
        c.limits.maxHeaderBytes = maxHeader;
        if (o.contains(QLatin1String("models"))) {
            if (!o.value(QLatin1String("models")).isObject())
                return makeError(ErrorCode::InvalidArgument,
                    QStringLiteral("config: 'models' must map a model name to what it can take"));
            c.models = o.value(QLatin1String("models")).toObject();
            if (auto cat = ModelCatalogue::fromJson(QJsonObject { { QLatin1String("models"), c.models } }); !cat)
                return makeError(
                    ErrorCode::InvalidArgument, QStringLiteral("config: 'models': ") + cat.error().message);
        }
        const QJsonObject responses = o.value(QLatin1String("responses")).toObject();
        if (auto s = checkKeys(responses, { QStringLiteral("retention_s"), QStringLiteral("max_stored") },
                QStringLiteral("responses."));
            !s)
            return s.error();
        for (auto s : { readInt(responses, "retention_s", &c.responsesRetentionS, 0, 365 * 24 * 3600),
                 readInt(responses, "max_stored", &c.responsesMaxStored, 0, 10'000'000) }) {
            if (!s)
                return s.error();
        }
        const QJsonObject tenantLimits = o.value(QLatin1String("tenant_limits")).toObject();
        if (auto s = checkKeys(tenantLimits, { QStringLiteral("nodes"), QStringLiteral("budget_time_zone") },
                QStringLiteral("tenant_limits."));
            !s)
            return s.error();
        for (auto s : { readInt(tenantLimits, "nodes", &c.limitNodes, 1, 10'000),
                 readString(tenantLimits, "budget_time_zone", &c.budgetTimeZone) }) {
            if (!s)
                return s.error();
        }
        if (!QTimeZone(c.budgetTimeZone.toUtf8()).isValid())
            return makeError(ErrorCode::InvalidArgument,
                QStringLiteral("config: 'tenant_limits.budget_time_zone' is not a time zone: '%1'")
                    .arg(c.budgetTimeZone));
        const QJsonObject up = o.value(QLatin1String("upstream")).toObject();
        if (auto s = checkKeys(up,
                { QStringLiteral("kind"), QStringLiteral("base_url"), QStringLiteral("timeout_ms"),
                    QStringLiteral("sim_latency_ms"), QStringLiteral("sim_chunk_delay_ms"), QStringLiteral("models") },
                QStringLiteral("upstream."));
            !s)
            return s.error();
        for (auto s : { readString(up, "kind", &c.upstream), readString(up, "base_url", &c.upstreamBaseUrl),
                 readInt(up, "timeout_ms", &c.upstreamTimeoutMs, 100, 3'600'000),
                 readInt(up, "sim_latency_ms", &c.simLatencyMs, 0, 600'000),
                 readInt(up, "sim_chunk_delay_ms", &c.simChunkDelayMs, 0, 60'000) }) {
            if (!s)
                return s.error();
        }
        if (up.contains(QLatin1String("models"))) {
            const QJsonValue models = up.value(QLatin1String("models"));
            if (!models.isArray())
                return makeError(ErrorCode::InvalidArgument,
                    QStringLiteral("config: 'upstream.models' must be a list of model names"));
            for (const QJsonValue &m : models.toArray()) {
                if (!m.isString() || m.toString().trimmed().isEmpty())
                    return makeError(ErrorCode::InvalidArgument,
                        QStringLiteral("config: 'upstream.models' must be a list of model names"));
                c.upstreamModels.append(m.toString().trimmed());
            }
        }
    }

    if (auto st = readPool(file.isEmpty() ? QJsonObject() : poolSource, env, &c); !st)
        return st.error();
    if (auto st = readTls(poolSource, &c); !st)
        return st.error();
    if (auto st = readJwt(poolSource, env, &c.jwt); !st)
        return st.error();
    if (auto st = readSemantic(poolSource, env, &c); !st)
        return st.error();

    if (env.contains(QStringLiteral("L0_DB")))
        c.db = env.value(QStringLiteral("L0_DB"));
    if (env.contains(QStringLiteral("L0_LISTEN"))) {
        if (auto s = parseListen(env.value(QStringLiteral("L0_LISTEN")), &c.listenHost, &c.port); !s)
            return s.error();
    }
    if (env.contains(QStringLiteral("L0_THREADS")))
        c.threads = env.value(QStringLiteral("L0_THREADS")).toInt();
    if (env.contains(QStringLiteral("L0_UPSTREAM")))
        c.upstream = env.value(QStringLiteral("L0_UPSTREAM"));
    if (!env.value(QStringLiteral("OPENAI_API_KEY")).isEmpty())
        c.upstreamApiKey = env.value(QStringLiteral("OPENAI_API_KEY")).toUtf8();
    if (!env.value(QStringLiteral("OPENAI_BASE_URL")).isEmpty())
        c.upstreamBaseUrl = env.value(QStringLiteral("OPENAI_BASE_URL"));
    if (env.contains(QStringLiteral("L0_MAX_BODY_BYTES")))
        c.limits.maxBodyBytes = env.value(QStringLiteral("L0_MAX_BODY_BYTES")).toLongLong();
    if (env.value(QStringLiteral("L0_LOG_CONTENT")) == QLatin1String("1"))
        c.logContent = true;
    if (env.contains(QStringLiteral("L0_TLS_CERT_FILE")))
        c.tls.certFile = env.value(QStringLiteral("L0_TLS_CERT_FILE"));
    if (env.contains(QStringLiteral("L0_TLS_KEY_FILE")))
        c.tls.keyFile = env.value(QStringLiteral("L0_TLS_KEY_FILE"));
    if (auto st = finishTlsConfig(&c, env); !st)
        return st.error();

    const QString u = c.upstream;
    if (u != QLatin1String("sim") && u != QLatin1String("openai") && u != QLatin1String("auto"))
        return makeError(
            ErrorCode::InvalidArgument, QStringLiteral("upstream must be sim, openai or auto, not '%1'").arg(u));
    return c;
}

Status finishTlsConfig(NodeConfig *c, const QProcessEnvironment &env)
{
    if (!c->tlsEnabled())
        return {};
    if (c->tls.certFile.isEmpty() || c->tls.keyFile.isEmpty())
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("config: TLS needs both a certificate file (tls.cert_file, --tls-cert) and a key file "
                           "(tls.key_file, --tls-key)"));
    if (!c->tlsKeyPassphraseEnv.isEmpty()) {
        c->tls.keyPassphrase = env.value(c->tlsKeyPassphraseEnv).toUtf8();
        if (c->tls.keyPassphrase.isEmpty())
            return makeError(ErrorCode::InvalidArgument,
                QStringLiteral("config: 'tls.key_passphrase_env' names %1, which is not set")
                    .arg(c->tlsKeyPassphraseEnv));
    }
    return {};
}

} // namespace l0
