#include "errormapping.h"

namespace l0::api {

int httpStatusFor(const Error &error)
{
    switch (error.code) {
    case ErrorCode::InvalidArgument:
        return 400;
    case ErrorCode::Unauthenticated:
        return 401;
    case ErrorCode::PermissionDenied:
        return 403;
    case ErrorCode::NotFound:
        return 404;
    case ErrorCode::MethodNotAllowed:
        return 405;
    case ErrorCode::AlreadyExists:
        return 409;
    case ErrorCode::Conflict:
        return 409;
    case ErrorCode::PayloadTooLarge:
        return 413;
    case ErrorCode::RateLimited:
        return 429;
    case ErrorCode::Unavailable:
        return 503;
    case ErrorCode::Timeout:
        return 504;
    case ErrorCode::UpstreamError: {
        const int s = error.upstreamStatus;
        // The client's own mistakes pass through; our credentials or the upstream's trouble
        // are a bad gateway, never a 401 the client would blame on its L0 key.
        if (s == 400 || s == 404 || s == 413 || s == 422 || s == 429)
            return s;
        if (s == 504)
            return 504;
        return 502;
    }
    case ErrorCode::Corruption:
    case ErrorCode::Internal:
        return 500;
    }
    return 500;
}

QString openAiErrorCodeFor(const Error &error)
{
    switch (error.code) {
    case ErrorCode::Unauthenticated:
        return QStringLiteral("invalid_api_key");
    case ErrorCode::NotFound:
        return QStringLiteral("unknown_url");
    case ErrorCode::UpstreamError:
        return QStringLiteral("upstream_error");
    default:
        return QString();
    }
}

} // namespace l0::api
