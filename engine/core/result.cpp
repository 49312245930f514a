#include "result.h"

namespace l0 {

const char *errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument:
        return "invalid_argument";
    case ErrorCode::Unauthenticated:
        return "unauthenticated";
    case ErrorCode::PermissionDenied:
        return "permission_denied";
    case ErrorCode::MethodNotAllowed:
        return "method_not_allowed";
    case ErrorCode::NotFound:
        return "not_found";
    case ErrorCode::AlreadyExists:
        return "already_exists";
    case ErrorCode::PayloadTooLarge:
        return "payload_too_large";
    case ErrorCode::RateLimited:
        return "rate_limited";
    case ErrorCode::Conflict:
        return "conflict";
    case ErrorCode::Unavailable:
        return "unavailable";
    case ErrorCode::UpstreamError:
        return "upstream_error";
    case ErrorCode::Timeout:
        return "timeout";
    case ErrorCode::Corruption:
        return "corruption";
    case ErrorCode::Internal:
        return "internal";
    }
    return "internal";
}

QString Error::toString() const
{
    return QString::fromLatin1(errorCodeName(code)) + QStringLiteral(": ") + message;
}

} // namespace l0
