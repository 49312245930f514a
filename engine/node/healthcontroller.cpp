#include "healthcontroller.h"

#include "cache/hotcache.h"
#include "metrics.h"
#include "semantic/semanticindexer.h"
#include "storeworker.h"
#include "upstream/simulatedprovider.h"
#include "upstream/upstreampool.h"

namespace l0 {

HealthController::HealthController(Probe probe, Deps deps, ApiResponse response)
    : m_probe(probe)
    , m_deps(std::move(deps))
    , m_response(response)
{
}

void HealthController::handle(const http::HttpRequest &, const http::ResponderPtr &responder)
{
    switch (m_probe) {
    case Probe::Health:
        return m_response.sendJson(responder, 200, R"({"status":"ok"})");
    case Probe::Readiness: {
        const bool ready = m_deps.store->isReady();
        return m_response.sendJson(responder, ready ? 200 : 503,
            ready ? QByteArray(R"({"status":"ready"})")
                  : QByteArray(R"({"status":"not_ready","reason":"store unavailable"})"));
    }
    case Probe::Metrics: {
        Metrics *metrics = m_response.metrics();
        metrics->countRequest(200);
        const qint64 sim = m_deps.simStats ? m_deps.simStats->calls.load() : -1;
        QByteArray text = metrics->render(qint64(m_deps.cache->size()), m_deps.store->isReady(), sim);
        if (m_deps.upstream)
            text += m_deps.upstream->renderMetrics();
        text += m_deps.store->renderTrustMetrics();
        if (m_deps.semantic)
            text += m_deps.semantic->renderMetrics();
        return responder->send(200, { { "Content-Type", "text/plain; version=0.0.4" } }, text);
    }
    }
}

} // namespace l0
