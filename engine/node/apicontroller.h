#pragma once

#include "http/httprequest.h"
#include "http/httpresponder.h"

namespace l0 {

// One API's requests (chat completions, messages, models, health…). The router has already
// checked the path and method. Called on any HTTP worker thread, so implementations are
// thread-safe; they never block, and may answer later on the same thread.
class ApiController {
public:
    virtual ~ApiController() = default;
    virtual void handle(const http::HttpRequest &request, const http::ResponderPtr &responder) = 0;
};

} // namespace l0
