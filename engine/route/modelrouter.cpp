#include "modelrouter.h"

#include "core/logging.h"
#include "route/routermodel.h"

namespace l0 {

ModelRouter::ModelRouter(QString defaultRouter)
    : m_defaultRouter(std::move(defaultRouter))
{
}

ModelRouter::~ModelRouter() = default;

std::optional<RoutePolicy> ModelRouter::policyFor(const Tenant &tenant, const QString &model) const
{
    if (tenant.routePolicies.isEmpty())
        return std::nullopt; // never routed: the common case costs one test
    // Parsed once per thread for each stored text of a tenant's policies.
    struct Parsed {
        QByteArray json;
        QList<RoutePolicy> policies;
    };
    thread_local QHash<qint64, Parsed> parsed;
    auto it = parsed.find(tenant.id);
    if (it == parsed.end() || it->json != tenant.routePolicies) {
        auto policies = routePoliciesFromJson(tenant.routePolicies);
        if (!policies)
            qCWarning(lcUpstream) << "tenant" << tenant.name
                                  << "has route policies that do not read; not routed:" << policies.error().message;
        if (parsed.size() > 4096)
            parsed.clear();
        it = parsed.insert(tenant.id, Parsed { tenant.routePolicies, policies ? *policies : QList<RoutePolicy>() });
    }
    if (const RoutePolicy *p = findRoutePolicy(it->policies, model))
        return *p;
    return std::nullopt;
}

std::shared_ptr<const RouterModel> ModelRouter::routerFor(const QString &path) const
{
    const QString key = path.isEmpty() ? m_defaultRouter : path;
    std::lock_guard lock(m_mutex);
    auto it = m_routers.constFind(key);
    if (it != m_routers.constEnd())
        return *it;
    // Once per file: a small read, kept for the node's life.
    auto model = key.isEmpty() ? RouterModel::builtin() : RouterModel::load(key);
    std::shared_ptr<const RouterModel> out;
    if (model)
        out = std::make_shared<const RouterModel>(std::move(*model));
    else
        qCWarning(lcUpstream) << "router model" << (key.isEmpty() ? QStringLiteral("(built in)") : key)
                              << "cannot be loaded; its policies send misses to the strong candidate:"
                              << model.error().message;
    m_routers.insert(key, out);
    return out;
}

RouteDecision ModelRouter::decide(const RoutePolicy &policy, const ChatRequest &request) const
{
    RouteDecision d;
    d.policy = policy;
    // Fixed: the requested model, or for the alias, the dearest candidate.
    d.model = policy.model == kAutoModel ? policy.strong() : policy.model;
    if (policy.strategy == RouteStrategy::Fixed || policy.candidates.size() < 2)
        return d;
    d.model = policy.strong();
    auto router = routerFor(policy.router);
    if (!router)
        return d;
    RouteStrategy strategy = policy.strategy;
    if (strategy == RouteStrategy::Cascade && (request.stream || !router->hasCascade()))
        strategy = RouteStrategy::Learned; // streams are not held back for a second call
    const auto threshold = router->thresholdFor(policy.qualityTarget, strategy);
    if (!threshold)
        return d;
    d.applied = strategy;
    d.threshold = *threshold;
    if (strategy == RouteStrategy::Learned) {
        d.score = router->weakGoodProbability(request);
        d.model = d.score >= d.threshold ? policy.weak() : policy.strong();
        return d;
    }
    d.model = policy.weak();
    d.then = policy.candidates.mid(1);
    d.router = std::move(router);
    return d;
}

bool ModelRouter::accepts(const RouteDecision &decision, const ChatRequest &request, const ChatResult &first)
{
    if (!decision.router)
        return true;
    return decision.router->cascadeAcceptScore(request, first.text()) >= decision.threshold;
}

} // namespace l0
