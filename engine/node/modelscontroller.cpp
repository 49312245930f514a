#include "modelscontroller.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "authenticator.h"
#include "ledger/pricetable.h"
#include "tenantdirectory.h"
#include "upstream/modelcatalogue.h"

namespace l0 {

ModelsController::ModelsController(const Offer &offer, const ModelCatalogue &catalogue, const PriceTable &prices,
    const Authenticator *auth, ApiResponse response)
    : m_models(offer.models)
    , m_auth(auth)
    , m_response(response)
{
    QJsonArray openAi, anthropic;
    for (const QString &m : std::as_const(m_models)) {
        // What the node adds to each provider's shape: who serves it, what it costs, what it takes.
        QJsonObject extra = catalogue.find(m).value_or(ModelInfo {}).toJson();
        extra.insert(QLatin1String("providers"), QJsonArray::fromStringList(offer.providers.value(m)));
        if (const auto price = prices.priceFor(m))
            extra.insert(QLatin1String("price"),
                QJsonObject { { QLatin1String("input_micros_per_mtok"), price->inputPerMillion },
                    { QLatin1String("output_micros_per_mtok"), price->outputPerMillion } });
        else
            extra.insert(QLatin1String("price"), QJsonValue()); // unknown, never $0
        QJsonObject o = extra;
        o.insert(QLatin1String("id"), m);
        o.insert(QLatin1String("object"), QStringLiteral("model"));
        o.insert(QLatin1String("created"), 0);
        o.insert(QLatin1String("owned_by"), offer.providers.value(m).value(0, QStringLiteral("l0")));
        openAi.append(o);
        QJsonObject a = extra;
        a.insert(QLatin1String("type"), QStringLiteral("model"));
        a.insert(QLatin1String("id"), m);
        a.insert(QLatin1String("display_name"), m);
        a.insert(QLatin1String("created_at"), QStringLiteral("1970-01-01T00:00:00Z"));
        anthropic.append(a);
    }
    m_openAiBody = QJsonDocument(
        QJsonObject { { QLatin1String("object"), QStringLiteral("list") }, { QLatin1String("data"), openAi } })
                       .toJson(QJsonDocument::Compact);
    m_anthropicBody
        = QJsonDocument(QJsonObject { { QLatin1String("data"), anthropic }, { QLatin1String("has_more"), false },
                            { QLatin1String("first_id"), m_models.isEmpty() ? QJsonValue() : m_models.first() },
                            { QLatin1String("last_id"), m_models.isEmpty() ? QJsonValue() : m_models.last() } })
              .toJson(QJsonDocument::Compact);
}

void ModelsController::handle(const http::HttpRequest &request, const http::ResponderPtr &responder)
{
    const bool anthropic = request.hasHeader("anthropic-version");
    if (const auto principal = m_auth->authenticate(request); !principal)
        return m_response.sendError(
            responder, anthropic ? WireFormat::Anthropic : WireFormat::OpenAi, principal.error());
    m_response.sendJson(responder, 200, anthropic ? m_anthropicBody : m_openAiBody);
}

} // namespace l0
