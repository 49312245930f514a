#pragma once

#include <QString>

#include <optional>

namespace l0 {

// Where an answer came from: a cache tier, or the upstream.
enum class Tier { L0, Exact, Semantic, Upstream };
const char *tierName(Tier t);
std::optional<Tier> tierFromName(const QString &name);

} // namespace l0
