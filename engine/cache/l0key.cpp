#include "l0key.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/text.h"

namespace l0 {

QByteArray l0KeyFor(
    const Tenant &tenant, const QString &ns, const QString &packId, const ChatRequest &request, const IntentMatch &m)
{
    QJsonArray context;
    qsizetype lastUser = -1;
    for (qsizetype i = request.messages.size() - 1; i >= 0; --i) {
        if (request.messages.at(i).toObject().value(QLatin1String("role")).toString() == QLatin1String("user")) {
            lastUser = i;
            break;
        }
    }
    for (qsizetype i = 0; i < request.messages.size(); ++i) {
        if (i != lastUser)
            context.append(request.messages.at(i));
    }
    const QJsonObject canonical { { QLatin1String("v"), 1 }, { QLatin1String("tenant"), tenant.id },
        { QLatin1String("namespace"), ns }, { QLatin1String("pack"), packId }, { QLatin1String("context"), context },
        { QLatin1String("intent"), m.key() } };
    return sha256Hex(QJsonDocument(canonical).toJson(QJsonDocument::Compact));
}

} // namespace l0
