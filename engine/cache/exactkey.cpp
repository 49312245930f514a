#include "exactkey.h"

#include <QJsonDocument>
#include <QJsonObject>

#include "core/text.h"

namespace l0 {

QString uncacheableReason(const ChatRequest &request)
{
    const QJsonValue n = request.params.value(QLatin1String("n"));
    if (!n.isUndefined() && !n.isNull() && n.toInteger(1) != 1)
        return QStringLiteral("n > 1");
    if (request.params.value(QLatin1String("logprobs")).toBool())
        return QStringLiteral("logprobs requested");
    return {};
}

QByteArray canonicalExactRequest(qint64 tenantId, const QString &ns, const ChatRequest &request)
{
    // QJsonObject keeps keys sorted, which makes the serialisation canonical.
    const QJsonObject canonical {
        { QLatin1String("v"), 1 },
        { QLatin1String("tenant"), tenantId },
        { QLatin1String("namespace"), ns },
        { QLatin1String("model"), request.model },
        { QLatin1String("messages"), request.messages },
        { QLatin1String("params"), request.params },
    };
    return QJsonDocument(canonical).toJson(QJsonDocument::Compact);
}

QByteArray exactKey(qint64 tenantId, const QString &ns, const ChatRequest &request)
{
    return sha256Hex(canonicalExactRequest(tenantId, ns, request));
}

} // namespace l0
