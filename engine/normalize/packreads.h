#pragma once

#include <QByteArray>

#include <optional>

#include "core/result.h"
#include "store/sqlsession.h"

namespace l0 {

// The stored content (JSON, for RulePack::fromJson) of the tenant's active rule pack, the newest
// active version should there be more than one; nullopt when the tenant has none (L0 is off for
// it). A plain read that joins the caller's transaction, if one is open; use on the session's
// thread. An error is the database's.
Result<std::optional<QByteArray>> activeRulePackContent(SqlSession &session, qint64 tenantId);

} // namespace l0
