#include "entry.h"

namespace l0 {

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

} // namespace l0
