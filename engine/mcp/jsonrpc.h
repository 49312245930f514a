#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <vector>

namespace l0::mcp {

// JSON-RPC 2.0 as MCP uses it: requests (with an id), notifications (without) and responses.
// Plain values and functions; thread-safe.
namespace rpc {
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kInternalError = -32603;
constexpr int kServerError = -32000; // transport-level refusals (authentication, sessions, origin)
constexpr int kResourceNotFound = -32002; // MCP: resources/read of an unknown URI
} // namespace rpc

struct RpcMessage {
    enum class Kind { Request, Notification, Response };
    Kind kind = Kind::Request;
    QJsonValue id; // a string or a number; undefined for notifications
    QString method; // requests and notifications
    QJsonObject params; // absent params read as {}
};

// A message that cannot be taken: the error to answer with, and the id to answer to (null
// when the message had none that could be read).
struct RpcFault {
    int code = rpc::kInvalidRequest;
    QString message;
    QJsonValue id = QJsonValue::Null;
};

// One element of a POST body: a message, or why it is not one.
struct RpcParsed {
    bool ok = false;
    RpcMessage message;
    RpcFault fault;
};
RpcParsed parseMessage(const QJsonValue &value);

// A POST body: one message or a batch (a JSON array) of them. ok false: the body is not JSON
// (kParseError) or an empty batch (kInvalidRequest); the fault says which.
struct RpcBody {
    bool ok = false;
    bool batch = false;
    std::vector<RpcParsed> items;
    RpcFault fault;
};
RpcBody parseBody(const QByteArray &body);

QJsonObject rpcResult(const QJsonValue &id, const QJsonValue &result);
QJsonObject rpcError(const QJsonValue &id, int code, const QString &message, const QJsonValue &data = QJsonValue());
inline QJsonObject rpcError(const RpcFault &f)
{
    return rpcError(f.id, f.code, f.message);
}

} // namespace l0::mcp
