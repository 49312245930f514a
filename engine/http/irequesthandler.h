#pragma once

#include "httprequest.h"
#include "httpresponder.h"

namespace l0::http {

// The server knows nothing of caches: it hands each parsed request to a handler.
// handleRequest() is called on an HTTP worker thread and must not block it; it may answer
// later (on the same thread) through the responder. Implementations must be thread-safe,
// since every worker thread calls the same handler.
class IRequestHandler {
public:
    virtual ~IRequestHandler() = default;
    virtual void handleRequest(const HttpRequest &request, const ResponderPtr &responder) = 0;
};

} // namespace l0::http
