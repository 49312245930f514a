#pragma once

#include <QByteArray>
#include <QByteArrayList>

#include <vector>

#include "apicontroller.h"
#include "apiresponse.h"
#include "http/irequesthandler.h"

namespace l0 {

// The node's HTTP door: dispatches each request to the controller of its path. A known path
// with the wrong method is a 405 that says which method to use; an unknown path is a 404.
// Errors on a route come in the shape of that route's API. Routes are added before serving
// starts; after that the router is read-only and thread-safe.
class Router final : public http::IRequestHandler {
public:
    explicit Router(ApiResponse response);

    // paths: the path and its aliases ("/v1/models", "/models"); "/v1/responses/*" matches any
    // one segment after the prefix. methods: those allowed
    // (GET also allows HEAD; none: any method). The controller must outlive the router.
    void add(QByteArrayList paths, QByteArrayList methods, ApiController *controller,
        WireFormat errorWire = WireFormat::OpenAi);

    void handleRequest(const http::HttpRequest &request, const http::ResponderPtr &responder) override;

private:
    struct Route {
        QByteArrayList paths;
        QByteArrayList methods;
        ApiController *controller = nullptr;
        WireFormat errorWire = WireFormat::OpenAi;
    };
    ApiResponse m_response;
    std::vector<Route> m_routes;
};

} // namespace l0
