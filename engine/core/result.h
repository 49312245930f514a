#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace l0 {

// Typed error codes. The HTTP layer maps them to status codes in one place
// (api/errormapping.cpp); everything else only passes them on.
enum class ErrorCode {
    InvalidArgument, // malformed input from a client or a caller
    Unauthenticated, // missing or unknown credentials
    PermissionDenied, // known caller, not allowed
    NotFound,
    MethodNotAllowed, // the resource exists; the method does not apply to it
    AlreadyExists,
    PayloadTooLarge,
    RateLimited,
    Conflict, // state does not allow the operation (e.g. approving a rejected version)
    Unavailable, // a dependency is down (database, upstream); retrying may help
    UpstreamError, // the upstream answered with an error
    Timeout,
    Corruption, // stored data failed a check
    Internal,
};

const char *errorCodeName(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::Internal;
    QString message;
    int upstreamStatus = 0; // HTTP status from an upstream, when code == UpstreamError
    QString field; // the input field at fault, when there is one
    qint64 retryAfterMs = 0; // an upstream's Retry-After, when it sent one (0: none)

    QString toString() const;
};

inline Error makeError(ErrorCode code, const QString &message)
{
    return Error { code, message, 0, QString(), 0 };
}

// Result<T>: a value or an Error. Errors are values; nothing in the engine throws across
// a module boundary.
template <typename T> class [[nodiscard]] Result {
public:
    Result(T value)
        : m_data(std::in_place_index<0>, std::move(value))
    {
    }
    Result(Error error)
        : m_data(std::in_place_index<1>, std::move(error))
    {
    }

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(m_data); }
    const T &value() const & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    const Error &error() const { return std::get<1>(m_data); }

private:
    std::variant<T, Error> m_data;
};

template <> class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error)
        : m_error(std::move(error))
    {
    }

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

using Status = Result<void>;

inline Error makeFieldError(const QString &field, const QString &message)
{
    return Error { ErrorCode::InvalidArgument, message, 0, field, 0 };
}

} // namespace l0
