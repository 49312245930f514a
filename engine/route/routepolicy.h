#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include "core/result.h"
#include "route/routestrategy.h"

namespace l0 {

// The alias a client may name instead of a model to let its tenant's route policy choose.
inline constexpr QLatin1String kAutoModel("l0/auto");

// How a tenant's misses for one requested model (or the alias l0/auto) choose their model. Set
// with `l0ctl tenant set-route`; stored with the tenant (tenants.route_policies, a JSON array)
// and read by every node with the tenant. A tenant without policies is never routed.
struct RoutePolicy {
    QString model; // the requested model or alias it applies to (exact name)
    // Cheap to dear. Learned takes exactly two (weak, strong): its router model compares one pair.
    // Cascade takes two to kMaxCascadeCandidates, asked in this order.
    QStringList candidates;
    RouteStrategy strategy = RouteStrategy::Fixed;
    double qualityTarget = 0.95; // share of the strong model's quality to keep, in (0, 1]
    QString router; // the router model file (on the node); empty: the compiled-in default

    // The cheap and the dear candidate (the requested model when there are none).
    QString weak() const { return candidates.isEmpty() ? model : candidates.first(); }
    QString strong() const { return candidates.isEmpty() ? model : candidates.last(); }
    // What the ledger prices its baseline at: the requested model, or for the alias, the dearest
    // candidate.
    QString baselineModel() const { return model == kAutoModel ? strong() : model; }
    bool operator==(const RoutePolicy &) const = default;
};

// The most candidates a cascade may go through (each one asked is paid, and waited for).
inline constexpr int kMaxCascadeCandidates = 4;

// InvalidArgument (with the field at fault) for a policy that cannot route: no model, an alias
// without candidates, learned without exactly two distinct candidates, cascade without two to
// kMaxCascadeCandidates distinct ones, a target outside (0, 1].
Status checkRoutePolicy(const RoutePolicy &policy);

// The stored form: [{"model", "candidates": [...], "strategy", "quality_target", "router"}, ...];
// empty bytes read as no policies. InvalidArgument for anything else.
Result<QList<RoutePolicy>> routePoliciesFromJson(const QByteArray &json);
// Compact and deterministic; empty bytes for no policies.
QByteArray routePoliciesToJson(const QList<RoutePolicy> &policies);

// The policy for a requested model; nullptr when none applies.
const RoutePolicy *findRoutePolicy(const QList<RoutePolicy> &policies, const QString &model);

// Adds or replaces the policy for policy.model.
void upsertRoutePolicy(QList<RoutePolicy> *policies, const RoutePolicy &policy);

} // namespace l0
