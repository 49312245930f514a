#include "tenant.h"

namespace l0 {

const char *policyName(Policy p)
{
    switch (p) {
    case Policy::Shadow:
        return "shadow";
    case Policy::Approved:
        return "approved";
    case Policy::AutoLowRisk:
        return "auto_low_risk";
    }
    return "approved";
}

std::optional<Policy> policyFromName(const QString &name)
{
    if (name == QLatin1String("shadow"))
        return Policy::Shadow;
    if (name == QLatin1String("approved"))
        return Policy::Approved;
    if (name == QLatin1String("auto_low_risk"))
        return Policy::AutoLowRisk;
    return std::nullopt;
}

} // namespace l0
