#include "jsonrpc.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace l0::mcp {

namespace {

bool validId(const QJsonValue &id)
{
    // MCP: a string or an integer; never null.
    return id.isString() || (id.isDouble() && id.toDouble() == double(qint64(id.toDouble())));
}

} // namespace

RpcParsed parseMessage(const QJsonValue &value)
{
    RpcParsed out;
    if (!value.isObject()) {
        out.fault = { rpc::kInvalidRequest, QStringLiteral("Invalid Request: a JSON-RPC message is a JSON object"),
            QJsonValue::Null };
        return out;
    }
    const QJsonObject o = value.toObject();
    const QJsonValue id = o.value(QLatin1String("id"));
    const bool hasId = o.contains(QLatin1String("id"));
    out.fault.id = hasId && validId(id) ? id : QJsonValue(QJsonValue::Null);
    if (o.value(QLatin1String("jsonrpc")).toString() != QLatin1String("2.0")) {
        out.fault.message = QStringLiteral("Invalid Request: \"jsonrpc\" must be \"2.0\"");
        return out;
    }
    if (hasId && !validId(id)) {
        out.fault.message = QStringLiteral("Invalid Request: \"id\" must be a string or an integer");
        return out;
    }
    const bool hasMethod = o.contains(QLatin1String("method"));
    if (!hasMethod) {
        if (hasId && (o.contains(QLatin1String("result")) || o.contains(QLatin1String("error")))) {
            out.ok = true;
            out.message.kind = RpcMessage::Kind::Response;
            out.message.id = id;
            return out;
        }
        out.fault.message = QStringLiteral("Invalid Request: a request needs \"method\"");
        return out;
    }
    const QJsonValue method = o.value(QLatin1String("method"));
    if (!method.isString() || method.toString().isEmpty()) {
        out.fault.message = QStringLiteral("Invalid Request: \"method\" must be a non-empty string");
        return out;
    }
    const QJsonValue params = o.value(QLatin1String("params"));
    if (!params.isUndefined() && !params.isObject()) {
        out.fault.code = rpc::kInvalidParams;
        out.fault.message = QStringLiteral("Invalid params: MCP's \"params\" is an object");
        if (!hasId) // a notification is never answered, not even with an error
            out.fault.id = QJsonValue::Undefined;
        return out;
    }
    out.ok = true;
    out.message.kind = hasId ? RpcMessage::Kind::Request : RpcMessage::Kind::Notification;
    out.message.id = hasId ? id : QJsonValue(QJsonValue::Undefined);
    out.message.method = method.toString();
    out.message.params = params.toObject();
    return out;
}

RpcBody parseBody(const QByteArray &body)
{
    RpcBody out;
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError || doc.isNull()) {
        out.fault = { rpc::kParseError,
            QStringLiteral("Parse error: %1 at offset %2").arg(err.errorString()).arg(err.offset), QJsonValue::Null };
        return out;
    }
    if (doc.isArray()) {
        const QJsonArray a = doc.array();
        if (a.isEmpty()) {
            out.fault = { rpc::kInvalidRequest, QStringLiteral("Invalid Request: an empty batch"), QJsonValue::Null };
            return out;
        }
        out.batch = true;
        for (const QJsonValue &v : a)
            out.items.push_back(parseMessage(v));
    } else {
        out.items.push_back(parseMessage(doc.object()));
    }
    out.ok = true;
    return out;
}

QJsonObject rpcResult(const QJsonValue &id, const QJsonValue &result)
{
    return QJsonObject { { QLatin1String("jsonrpc"), QLatin1String("2.0") }, { QLatin1String("id"), id },
        { QLatin1String("result"), result } };
}

QJsonObject rpcError(const QJsonValue &id, int code, const QString &message, const QJsonValue &data)
{
    QJsonObject error { { QLatin1String("code"), code }, { QLatin1String("message"), message } };
    if (!data.isUndefined())
        error.insert(QLatin1String("data"), data);
    return QJsonObject { { QLatin1String("jsonrpc"), QLatin1String("2.0") },
        { QLatin1String("id"), id.isUndefined() ? QJsonValue(QJsonValue::Null) : id },
        { QLatin1String("error"), error } };
}

} // namespace l0::mcp
