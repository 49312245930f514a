#include "modelscontroller.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "tenantdirectory.h"

namespace l0 {

ModelsController::ModelsController(QStringList models, const TenantDirectory *tenants, ApiResponse response)
    : m_models(std::move(models))
    , m_tenants(tenants)
    , m_response(response)
{
    QJsonArray data;
    for (const QString &m : std::as_const(m_models)) {
        data.append(QJsonObject { { QLatin1String("id"), m }, { QLatin1String("object"), QStringLiteral("model") },
            { QLatin1String("created"), 0 }, { QLatin1String("owned_by"), QStringLiteral("l0") } });
    }
    m_body = QJsonDocument(
        QJsonObject { { QLatin1String("object"), QStringLiteral("list") }, { QLatin1String("data"), data } })
                 .toJson(QJsonDocument::Compact);
}

void ModelsController::handle(const http::HttpRequest &request, const http::ResponderPtr &responder)
{
    if (!m_tenants->authenticate(presentedApiKey(request)))
        return m_response.sendError(
            responder, WireFormat::OpenAi, makeError(ErrorCode::Unauthenticated, QStringLiteral("missing or unknown API key")));
    m_response.sendJson(responder, 200, m_body);
}

} // namespace l0
