#pragma once

#include <QByteArray>
#include <QString>

#include "core/chat.h"
#include "normalize/intentmatcher.h"
#include "core/tenant.h"

namespace l0 {

// The L0 key: the tenant's intent (with the slot types present) under the pack version and
// the conversation around the last user turn (system prompt, earlier turns), so a follow-up
// is never keyed as if it stood alone. The model and sampling parameters do not matter: a
// person approved the answer for this intent. Hex SHA-256.
QByteArray l0KeyFor(
    const Tenant &tenant, const QString &ns, const QString &packId, const ChatRequest &request, const IntentMatch &m);

} // namespace l0
