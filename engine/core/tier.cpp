#include "tier.h"

namespace l0 {

const char *tierName(Tier t)
{
    switch (t) {
    case Tier::L0:
        return "l0";
    case Tier::Exact:
        return "exact";
    case Tier::Semantic:
        return "semantic";
    case Tier::Upstream:
        return "upstream";
    }
    return "upstream";
}

std::optional<Tier> tierFromName(const QString &name)
{
    for (auto t : { Tier::L0, Tier::Exact, Tier::Semantic, Tier::Upstream }) {
        if (name == QLatin1String(tierName(t)))
            return t;
    }
    return std::nullopt;
}

} // namespace l0
