#pragma once

#include <QByteArray>
#include <QHash>
#include <QStringList>

#include "apicontroller.h"
#include "apiresponse.h"

namespace l0 {

class ModelCatalogue;
class PriceTable;
class Authenticator;

// GET /v1/models: the models this node offers (the configured upstreams' models, else every
// model in the price table), each with the upstreams that serve it, its price and what the
// catalogue knows of it (context window, longest answer, tools, images, JSON output). OpenAI's
// list shape, or Anthropic's when the request carries anthropic-version.
class ModelsController final : public ApiController {
public:
    struct Offer {
        QStringList models;
        QHash<QString, QStringList> providers; // model -> the upstreams serving it, in order
    };
    ModelsController(const Offer &offer, const ModelCatalogue &catalogue, const PriceTable &prices,
        const Authenticator *auth, ApiResponse response);
    void handle(const http::HttpRequest &request, const http::ResponderPtr &responder) override;

    const QStringList &models() const { return m_models; }

private:
    QStringList m_models;
    QByteArray m_openAiBody, m_anthropicBody; // rendered once
    const Authenticator *m_auth;
    ApiResponse m_response;
};

} // namespace l0
