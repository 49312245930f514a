#include "storetypes.h"

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

const char *versionStateName(VersionState s)
{
    switch (s) {
    case VersionState::Pending:
        return "pending";
    case VersionState::NeedsSecond:
        return "needs_second";
    case VersionState::Approved:
        return "approved";
    case VersionState::Rejected:
        return "rejected";
    case VersionState::Revoked:
        return "revoked";
    case VersionState::Expired:
        return "expired";
    }
    return "pending";
}

std::optional<VersionState> versionStateFromName(const QString &name)
{
    for (auto s : { VersionState::Pending, VersionState::NeedsSecond, VersionState::Approved, VersionState::Rejected,
             VersionState::Revoked, VersionState::Expired }) {
        if (name == QLatin1String(versionStateName(s)))
            return s;
    }
    return std::nullopt;
}

QString idList(const std::vector<qint64> &ids)
{
    QStringList parts;
    parts.reserve(qsizetype(ids.size()));
    for (qint64 id : ids)
        parts << QString::number(id);
    return parts.join(QLatin1Char(','));
}

QString answerPreview(const ChatResult &r)
{
    QString t = r.text().simplified();
    if (t.size() > 160)
        t = t.left(157) + QStringLiteral("...");
    return t;
}

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
