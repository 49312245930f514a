#include "nodeconfig.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

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

} // namespace

Result<NodeConfig> loadNodeConfig(const QString &file, const QProcessEnvironment &env)
{
    NodeConfig c;
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
        if (auto s = checkKeys(o,
                { QStringLiteral("db"), QStringLiteral("listen"), QStringLiteral("threads"), QStringLiteral("limits"),
                    QStringLiteral("upstream"), QStringLiteral("prices_file"), QStringLiteral("sync_interval_ms"),
                    QStringLiteral("drain_timeout_ms"), QStringLiteral("log_content"), QStringLiteral("admin_pubkeys"),
                    QStringLiteral("journal"), QStringLiteral("safety_profiles") },
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

    const QString u = c.upstream;
    if (u != QLatin1String("sim") && u != QLatin1String("openai") && u != QLatin1String("auto"))
        return makeError(
            ErrorCode::InvalidArgument, QStringLiteral("upstream must be sim, openai or auto, not '%1'").arg(u));
    return c;
}

} // namespace l0
