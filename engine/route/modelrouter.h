#pragma once

#include <QHash>
#include <QString>

#include <memory>
#include <mutex>
#include <optional>

#include "core/chat.h"
#include "core/tenant.h"
#include "route/routepolicy.h"

namespace l0 {

class RouterModel;

// What routing decided for one miss.
struct RouteDecision {
    RoutePolicy policy; // the policy that applied (a tenant's, or an experiment arm's)
    // What was done: the policy's strategy, except that a streamed request under cascade is
    // routed as learned (its first token is not held back for a second call), and that a policy
    // whose router model is missing (or has no cascade part) sends every miss to the strong
    // candidate as fixed. Learned (streamed cascades and experiment arms included) decides between
    // the cheapest and the dearest candidate only: the router model compares one pair.
    RouteStrategy applied = RouteStrategy::Fixed;
    QString model; // the model asked first
    // Cascade: the dearer candidates, cheap to dear, each asked in turn while the answers before
    // it score below the threshold; the last one's answer is served whatever it scores.
    QStringList then;
    double score = -1; // learned: the weak model's good-answer probability (-1: not asked)
    double threshold = -1;
    std::shared_ptr<const RouterModel> router; // cascade: scores the first answer
};

// Resolves and applies route policies on the miss path. Router model files are loaded once
// per path on first use and kept (a failed load is logged and remembered: its policies send
// misses to their strong candidate). Thread-safe; policies parsed from a tenant's record are
// memoised per thread, so a routed miss takes a hash lookup and, for learned, one scoring
// (a few microseconds).
class ModelRouter {
public:
    // defaultRouter: the file a policy without one uses; empty: RouterModel::builtin().
    explicit ModelRouter(QString defaultRouter = QString());
    ~ModelRouter();

    // The tenant's policy for this requested model; nullopt when the tenant has none for it
    // (never routed) or its stored policies do not read (logged once).
    std::optional<RoutePolicy> policyFor(const Tenant &tenant, const QString &model) const;
    // Applies a policy to a request (the model to ask; for cascade, the second model).
    RouteDecision decide(const RoutePolicy &policy, const ChatRequest &request) const;
    // Cascade: whether the first model's answer is kept.
    static bool accepts(const RouteDecision &decision, const ChatRequest &request, const ChatResult &first);

    // The router model for a policy's file (empty: the default); null when it cannot be loaded.
    std::shared_ptr<const RouterModel> routerFor(const QString &path) const;

private:
    QString m_defaultRouter;
    mutable std::mutex m_mutex;
    mutable QHash<QString, std::shared_ptr<const RouterModel>> m_routers; // null: failed to load
};

} // namespace l0
