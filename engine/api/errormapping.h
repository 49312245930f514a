#pragma once

#include "core/result.h"

namespace l0::api {

// The one place where engine error codes become HTTP status codes.
int httpStatusFor(const Error &error);

// The machine-readable "code" of an OpenAI-shaped error body ("invalid_api_key", …); empty
// when the code says nothing more than the status.
QString openAiErrorCodeFor(const Error &error);

} // namespace l0::api
