#pragma once

#include <QByteArray>
#include <QStringList>

#include "apicontroller.h"
#include "apiresponse.h"

namespace l0 {

class TenantDirectory;

// GET /v1/models: the models this node offers, from its configuration (the upstream's
// configured models, else every model in the price table), in OpenAI's list shape.
class ModelsController final : public ApiController {
public:
    ModelsController(QStringList models, const TenantDirectory *tenants, ApiResponse response);
    void handle(const http::HttpRequest &request, const http::ResponderPtr &responder) override;

    const QStringList &models() const { return m_models; }

private:
    QStringList m_models;
    QByteArray m_body; // rendered once
    const TenantDirectory *m_tenants;
    ApiResponse m_response;
};

} // namespace l0
