#pragma once

#include <QByteArray>
#include <QString>

#include "core/chat.h"

namespace l0 {

// Why a request cannot use the cache at all (it is still answered, just not cached).
// Empty when cacheable.
QString uncacheableReason(const ChatRequest &request);

// The canonical form of a request for the L1 exact tier: tenant, namespace, model, the whole
// conversation (system prompt and tools included) and every parameter that can change the
// output. Object keys are sorted, so field order on the wire does not matter; values are kept
// as sent, so "1" and 1 differ.
QByteArray canonicalExactRequest(qint64 tenantId, const QString &ns, const ChatRequest &request);

// Hex SHA-256 of canonicalExactRequest().
QByteArray exactKey(qint64 tenantId, const QString &ns, const ChatRequest &request);

} // namespace l0
