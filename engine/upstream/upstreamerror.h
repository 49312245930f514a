#pragma once

#include <QByteArray>

#include "core/result.h"

namespace l0 {

// Milliseconds an upstream asks us to wait, from its headers: "retry-after-ms" (milliseconds),
// else "retry-after" (whole seconds or an HTTP date). 0 when neither is present or readable.
qint64 retryAfterMsFromHeaders(const QByteArray &retryAfterMs, const QByteArray &retryAfter, qint64 nowMs);

// Whether trying the same call again may succeed: connect failures and timeouts, 408, 409, 429,
// 5xx and Anthropic's 529 (overloaded). Client mistakes (400, 404, 413, 422, InvalidArgument) and
// our own credentials (401, 403) are final. Whether any byte already reached the client is the
// caller's to know.
bool isRetryableUpstreamError(const Error &error);

} // namespace l0
