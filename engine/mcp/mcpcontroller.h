#pragma once

#include <QJsonObject>
#include <QStringList>

#include <functional>

#include "node/apicontroller.h"
#include "node/apiresponse.h"

namespace l0 {

class Authenticator;
struct Principal;

namespace mcp {

class McpSessions;
class McpTools;
struct RpcMessage;

// The MCP server at /mcp: the Model Context Protocol's streamable HTTP transport (protocol
// versions 2025-11-25, 2025-06-18 and 2025-03-26), authenticated like every API on the node
// (Authorization: Bearer KEY).
//   POST    one JSON-RPC message (a batch too, for 2025-03-26 sessions); requests are answered
//           with application/json, notifications and responses with 202 and no body.
//           initialize opens a session (Mcp-Session-Id in the answer); every later request must
//           carry it, with the credential that opened it (400 without, 404 when unknown or ended).
//   GET     405: this server sends nothing unasked, so it offers no event stream.
//   DELETE  ends the session named by Mcp-Session-Id.
// Methods: initialize, ping, tools/list, tools/call, resources/list, resources/read,
// resources/templates/list; notifications are accepted and need no answer. A browser Origin
// header must be a loopback origin or one of allowedOrigins (403 otherwise).
class McpController final : public ApiController {
public:
    struct Deps {
        const Authenticator *auth = nullptr;
        McpTools *tools = nullptr;
        McpSessions *sessions = nullptr;
        QStringList allowedOrigins;
    };
    McpController(Deps deps, ApiResponse response);
    void handle(const http::HttpRequest &request, const http::ResponderPtr &responder) override;

    // The protocol versions served, newest first.
    static QStringList supportedVersions();

private:
    struct Exchange;
    void post(const http::HttpRequest &request, const Principal &principal, const QByteArray &identity,
        const http::ResponderPtr &responder);
    void dispatch(const Principal &principal, const RpcMessage &message, std::function<void(QJsonObject)> reply);
    bool originAllowed(const QByteArray &origin) const;
    void refuse(const http::ResponderPtr &responder, int status, int code, const QString &message,
        const http::HeaderList &extra = {}) const;

    Deps m_deps;
    ApiResponse m_response;
};

} // namespace mcp
} // namespace l0
