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

const char *keyScopeName(KeyScope s)
{
    return s == KeyScope::Manager ? "manager" : "tenant";
}

std::optional<KeyScope> keyScopeFromName(const QString &name)
{
    if (name == QLatin1String("tenant"))
        return KeyScope::Tenant;
    if (name == QLatin1String("manager"))
        return KeyScope::Manager;
    return std::nullopt;
}

} // namespace l0
