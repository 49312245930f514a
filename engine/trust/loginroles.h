#pragma once

#include "core/result.h"
#include "store/sqlsession.h"

namespace l0 {

// Whether the session's login may review (see the queue, decide, read the audit log): on
// PostgreSQL a member of l0_reviewer or l0_admin, or a superuser; on SQLite, whoever can open
// the file. Managers and nodes may not. An error is the database's. Use on the session's thread.
Result<bool> mayReview(SqlSession &session);

} // namespace l0
