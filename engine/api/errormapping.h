#pragma once

#include "core/result.h"

namespace l0::api {

// The one place where engine error codes become HTTP status codes.
int httpStatusFor(const Error &error);

} // namespace l0::api
