#pragma once

#include <memory>

#include "apicontroller.h"
#include "apiresponse.h"

namespace l0 {

class HotCache;
class SemanticIndexer;
class StoreWorker;
class UpstreamPool;
struct SimulatedStats;

// GET /healthz (the process answers), /readyz (the store is reachable) and /metrics
// (Prometheus text format). No API key: these are for the operator's probes and scrapers.
class HealthController final : public ApiController {
public:
    enum class Probe { Health, Readiness, Metrics };
    struct Deps {
        StoreWorker *store = nullptr;
        const HotCache *cache = nullptr;
        std::shared_ptr<SimulatedStats> simStats; // null unless the upstream is simulated
        const UpstreamPool *upstream = nullptr; // its breakers and retries in /metrics
        const SemanticIndexer *semantic = nullptr; // the semantic index's size and work; null: tier off
    };

    HealthController(Probe probe, Deps deps, ApiResponse response);
    void handle(const http::HttpRequest &request, const http::ResponderPtr &responder) override;

private:
    Probe m_probe;
    Deps m_deps;
    ApiResponse m_response;
};

} // namespace l0
