#include "router.h"

#include <algorithm>

namespace l0 {

Router::Router(ApiResponse response)
    : m_response(response)
{
}

void Router::add(QByteArrayList paths, QByteArrayList methods, ApiController *controller, WireFormat errorWire)
{
    if (methods.contains("GET") && !methods.contains("HEAD"))
        methods.append("HEAD");
    m_routes.push_back(Route { std::move(paths), std::move(methods), controller, errorWire });
}

void Router::handleRequest(const http::HttpRequest &request, const http::ResponderPtr &responder)
{
    // A path ending in "/*" also matches one more segment ("/v1/responses/*": any response id).
    auto matches = [&request](const QByteArray &path) {
        if (!path.endsWith("/*"))
            return path == request.path;
        const qsizetype prefix = path.size() - 1;
        return request.path.size() > prefix && request.path.startsWith(path.left(prefix))
            && request.path.indexOf('/', prefix) < 0;
    };
    for (const Route &route : m_routes) {
        if (std::none_of(route.paths.begin(), route.paths.end(), matches))
            continue;
        if (!route.methods.isEmpty() && !route.methods.contains(request.method)) {
            const QByteArray allowed = route.methods.contains("POST") ? QByteArray("POST") : route.methods.first();
            return m_response.sendError(responder, route.errorWire,
                makeError(ErrorCode::MethodNotAllowed,
                    QStringLiteral("use %1 for %2")
                        .arg(QString::fromLatin1(allowed), QString::fromLatin1(request.path))),
                { { "Allow", allowed } });
        }
        return route.controller->handle(request, responder);
    }
    m_response.sendError(responder, WireFormat::OpenAi,
        makeError(ErrorCode::NotFound,
            QStringLiteral("unknown route: %1 %2")
                .arg(QString::fromLatin1(request.method), QString::fromLatin1(request.path.left(200)))));
}

} // namespace l0
