#pragma once

#include <QString>

#include <optional>

namespace l0 {

// How a miss picks its model.
//   Fixed:   the requested model (today's behaviour; the default).
//   Learned: RouterModel::weakGoodProbability() of the request against a threshold decides,
//            before any call, between the weak and the strong model (the cheapest and the
//            dearest candidate: the router model compares one pair).
//   Cascade: the candidates answer in turn from the cheapest; an answer is kept when
//            RouterModel::cascadeAcceptScore() passes the threshold, else the next candidate is
//            asked too; the last one's answer is kept whatever it scores (every call is paid).
enum class RouteStrategy { Fixed, Learned, Cascade };

// "fixed", "learned", "cascade".
const char *routeStrategyName(RouteStrategy strategy);
// The strategy of that name (lower case), nullopt for any other text.
std::optional<RouteStrategy> routeStrategyFromName(const QString &name);

} // namespace l0
