#include "mcpcontroller.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

#include <algorithm>
#include <optional>

#include "core/text.h"
#include "jsonrpc.h"
#include "mcpsessions.h"
#include "mcptools.h"
#include "node/authenticator.h"
#include "node/metrics.h"

namespace l0::mcp {

namespace {

const QLatin1String kBatchVersion("2025-03-26"); // the last version with JSON-RPC batches

// Whether an Accept header takes this media type (type/subtype), wildcards included.
bool accepts(const QByteArray &accept, const QByteArray &type)
{
    const QByteArray major = type.left(type.indexOf('/'));
    for (QByteArray part : accept.split(',')) {
        part = part.trimmed();
        const qsizetype semi = part.indexOf(';');
        const QByteArray range = (semi >= 0 ? part.left(semi) : part).trimmed().toLower();
        if (range == type || range == "*/*" || range == major + "/*")
            return true;
    }
    return false;
}

QByteArray json(const QJsonValue &v)
{
    return v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                       : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
}

} // namespace

// One POST's requests, answered together once the last of them is done (tools may answer later,
// from the store reader). Lives on the connection's thread.
struct McpController::Exchange {
    http::ResponderPtr responder;
    bool batch = false;
    std::vector<QJsonObject> answers; // by position among the requests
    int remaining = 0;
    http::HeaderList headers;
};

McpController::McpController(Deps deps, ApiResponse response)
    : m_deps(std::move(deps))
    , m_response(response)
{
}

QStringList McpController::supportedVersions()
{
    return { QStringLiteral("2025-11-25"), QStringLiteral("2025-06-18"), QStringLiteral("2025-03-26") };
}

void McpController::refuse(const http::ResponderPtr &responder, int status, int code, const QString &message,
    const http::HeaderList &extra) const
{
    m_response.sendJson(responder, status, json(rpcError(QJsonValue::Null, code, message)), extra);
}

bool McpController::originAllowed(const QByteArray &origin) const
{
    const QUrl url(QString::fromUtf8(origin));
    const QString host = url.host().toLower();
    if ((url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https"))
        && (host == QLatin1String("localhost") || host == QLatin1String("127.0.0.1") || host == QLatin1String("::1")))
        return true;
    QString o = QString::fromUtf8(origin).toLower();
    while (o.endsWith(QLatin1Char('/')))
        o.chop(1);
    for (QString allowed : m_deps.allowedOrigins) {
        allowed = allowed.toLower();
        while (allowed.endsWith(QLatin1Char('/')))
            allowed.chop(1);
        if (!allowed.isEmpty() && allowed == o)
            return true;
    }
    return false;
}

void McpController::handle(const http::HttpRequest &request, const http::ResponderPtr &responder)
{
    // DNS rebinding: a page from elsewhere must not reach a server on this host through a browser.
    if (request.hasHeader("origin") && !originAllowed(request.header("origin")))
        return refuse(responder, 403, rpc::kServerError,
            QStringLiteral("Forbidden: origin %1 may not use this MCP server (allow it with mcp_allowed_origins in "
                           "the node's config)")
                .arg(QString::fromUtf8(request.header("origin").left(200))));
    const auto principal = m_deps.auth->authenticate(request);
    if (!principal)
        return refuse(responder, 401, rpc::kServerError, principal.error().message,
            { { "WWW-Authenticate",
                request.hasHeader("authorization") || request.hasHeader("x-api-key")
                    ? QByteArray(R"(Bearer realm="l0", error="invalid_token")")
                    : QByteArray(R"(Bearer realm="l0")") } });
    // Sessions belong to who opened them (the tenant, user and scope a credential names), so
    // another tenant's key cannot use a session id it has learnt.
    const QByteArray identity = sha256(QByteArray::number(principal->tenant.id) + '\n' + principal->user.toUtf8() + '\n'
        + principal->ns + '\n' + (principal->manager ? "m" : "t"));
    if (request.method == "GET" || request.method == "HEAD")
        return refuse(responder, 405, rpc::kServerError,
            QStringLiteral("Method Not Allowed: this server sends nothing unasked, so it offers no event stream; "
                           "POST JSON-RPC messages"),
            { { "Allow", "POST, DELETE" } });
    if (request.method == "DELETE") {
        const QByteArray id = request.header("mcp-session-id");
        if (id.isEmpty())
            return refuse(
                responder, 400, rpc::kServerError, QStringLiteral("Bad Request: Mcp-Session-Id header is required"));
        if (!m_deps.sessions->close(id, identity))
            return refuse(responder, 404, -32001, QStringLiteral("Session not found"));
        m_response.metrics()->countRequest(200);
        return responder->send(200, {}, {});
    }
    post(request, *principal, identity, responder);
}

void McpController::post(const http::HttpRequest &request, const Principal &principal, const QByteArray &identity,
    const http::ResponderPtr &responder)
{
    const QByteArray accept = request.header("accept");
    if (!accepts(accept, "application/json") || !accepts(accept, "text/event-stream"))
        return refuse(responder, 406, rpc::kServerError,
            QStringLiteral("Not Acceptable: the client must accept both application/json and text/event-stream"));
    const QByteArray contentType = request.header("content-type").toLower();
    if (!contentType.startsWith("application/json"))
        return refuse(responder, 415, rpc::kServerError,
            QStringLiteral("Unsupported Media Type: Content-Type must be application/json"));
    const QByteArray version = request.header("mcp-protocol-version");
    if (!version.isEmpty() && !supportedVersions().contains(QString::fromLatin1(version)))
        return refuse(responder, 400, rpc::kServerError,
            QStringLiteral("Bad Request: unsupported MCP-Protocol-Version %1 (supported: %2)")
                .arg(QString::fromLatin1(version.left(40)), supportedVersions().join(QStringLiteral(", "))));
    const RpcBody body = parseBody(request.body);
    if (!body.ok)
        return m_response.sendJson(responder, 400, json(rpcError(body.fault)));

    const bool initializing = std::any_of(body.items.begin(), body.items.end(),
        [](const RpcParsed &p) { return p.ok && p.message.method == QLatin1String("initialize"); });
    std::optional<McpSessions::Session> session;
    if (initializing) {
        if (body.batch)
            return m_response.sendJson(responder, 400,
                json(rpcError(QJsonValue::Null, rpc::kInvalidRequest,
                    QStringLiteral("Invalid Request: initialize must not be part of a batch"))));
    } else {
        const QByteArray id = request.header("mcp-session-id");
        if (id.isEmpty())
            return refuse(responder, 400, rpc::kServerError,
                QStringLiteral("Bad Request: Mcp-Session-Id header is required (send initialize first)"));
        session = m_deps.sessions->use(id, identity);
        if (!session)
            return refuse(responder, 404, -32001,
                QStringLiteral("Session not found: it ended or never existed; initialize a new one"));
        if (body.batch && session->protocolVersion != kBatchVersion)
            return m_response.sendJson(responder, 400,
                json(rpcError(QJsonValue::Null, rpc::kInvalidRequest,
                    QStringLiteral("Invalid Request: JSON-RPC batches ended with protocol version 2025-03-26; this "
                                   "session speaks %1: send one message per POST")
                        .arg(session->protocolVersion))));
    }

    auto exchange = std::make_shared<Exchange>();
    exchange->responder = responder;
    exchange->batch = body.batch;
    std::vector<const RpcParsed *> requests;
    for (const RpcParsed &p : body.items) {
        if (p.ok ? p.message.kind == RpcMessage::Kind::Request : !p.fault.id.isUndefined())
            requests.push_back(&p);
    }
    if (requests.empty()) {
        // Only notifications and responses: accepted, nothing to say.
        m_response.metrics()->countRequest(202);
        return responder->send(202, {}, {});
    }
    exchange->answers.resize(requests.size());
    exchange->remaining = int(requests.size());
    const ApiResponse response = m_response;
    auto finish = [exchange, response](size_t index, QJsonObject answer) {
        exchange->answers[index] = std::move(answer);
        if (--exchange->remaining > 0)
            return;
        QJsonValue out;
        if (exchange->batch) {
            QJsonArray a;
            for (const QJsonObject &o : exchange->answers)
                a.append(o);
            out = a;
        } else {
            out = exchange->answers.front();
        }
        response.sendJson(exchange->responder, 200, json(out), exchange->headers);
    };
    for (size_t i = 0; i < requests.size(); ++i) {
        const RpcParsed &p = *requests[i];
        if (!p.ok) {
            finish(i, rpcError(p.fault));
            continue;
        }
        if (p.message.method == QLatin1String("initialize")) {
            const QJsonValue asked = p.message.params.value(QLatin1String("protocolVersion"));
            if (!asked.isString()) {
                finish(i,
                    rpcError(p.message.id, rpc::kInvalidParams,
                        QStringLiteral("Invalid params: initialize needs params.protocolVersion")));
                continue;
            }
            const QStringList versions = supportedVersions();
            const QString negotiated = versions.contains(asked.toString()) ? asked.toString() : versions.front();
            const QByteArray sessionId = m_deps.sessions->open(identity, negotiated);
            exchange->headers.append({ "Mcp-Session-Id", sessionId });
            QString version = QCoreApplication::applicationVersion();
            if (version.isEmpty())
                version = QStringLiteral("0");
            const QJsonObject result { { QLatin1String("protocolVersion"), negotiated },
                { QLatin1String("capabilities"),
                    QJsonObject { { QLatin1String("tools"), QJsonObject { { QLatin1String("listChanged"), false } } },
                        { QLatin1String("resources"),
                            QJsonObject {
                                { QLatin1String("subscribe"), false }, { QLatin1String("listChanged"), false } } } } },
                { QLatin1String("serverInfo"),
                    QJsonObject { { QLatin1String("name"), QLatin1String("l0-node") },
                        { QLatin1String("title"), QLatin1String("L0 Cache") },
                        { QLatin1String("version"), version } } },
                { QLatin1String("instructions"),
                    QStringLiteral("L0 Cache, an LLM caching proxy with human-approved answers. Tenant %1%2. Tools "
                                   "report savings (integer micro-dollars), the review queue, whether a question has "
                                   "an approved answer, and how a query normalizes. Resources: the price table and "
                                   "tenant policies.")
                        .arg(principal.tenant.name,
                            principal.manager ? QStringLiteral(" (manager key: every tenant may be named, or \"all\")")
                                              : QString()) } };
            finish(i, rpcResult(p.message.id, result));
            continue;
        }
        dispatch(principal, p.message, [finish, i](QJsonObject answer) { finish(i, std::move(answer)); });
    }
}

void McpController::dispatch(
    const Principal &principal, const RpcMessage &message, std::function<void(QJsonObject)> reply)
{
    const QString &method = message.method;
    const QJsonValue id = message.id;
    const QJsonObject &params = message.params;
    if (method == QLatin1String("ping"))
        return reply(rpcResult(id, QJsonObject()));
    if (method == QLatin1String("tools/list"))
        return reply(rpcResult(id, QJsonObject { { QLatin1String("tools"), m_deps.tools->toolList() } }));
    if (method == QLatin1String("resources/list"))
        return reply(
            rpcResult(id, QJsonObject { { QLatin1String("resources"), m_deps.tools->resourceList(principal) } }));
    if (method == QLatin1String("resources/templates/list"))
        return reply(rpcResult(id, QJsonObject { { QLatin1String("resourceTemplates"), QJsonArray() } }));
    const auto answer = [id, reply](McpTools::Outcome o) {
        reply(o.rpcCode ? rpcError(id, o.rpcCode, o.rpcMessage) : rpcResult(id, o.result));
    };
    if (method == QLatin1String("tools/call")) {
        const QJsonValue name = params.value(QLatin1String("name"));
        const QJsonValue arguments = params.value(QLatin1String("arguments"));
        if (!name.isString())
            return reply(rpcError(id, rpc::kInvalidParams, QStringLiteral("Invalid params: tools/call needs name")));
        if (!arguments.isUndefined() && !arguments.isObject())
            return reply(
                rpcError(id, rpc::kInvalidParams, QStringLiteral("Invalid params: arguments must be an object")));
        return m_deps.tools->callTool(principal, name.toString(), arguments.toObject(), answer);
    }
    if (method == QLatin1String("resources/read")) {
        const QJsonValue uri = params.value(QLatin1String("uri"));
        if (!uri.isString())
            return reply(rpcError(id, rpc::kInvalidParams, QStringLiteral("Invalid params: resources/read needs uri")));
        return m_deps.tools->readResource(principal, uri.toString(), answer);
    }
    reply(rpcError(id, rpc::kMethodNotFound, QStringLiteral("Method not found: %1").arg(method)));
}

} // namespace l0::mcp
