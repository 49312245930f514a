#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/result.h"

namespace l0::api {

// A request body that must be one JSON object; the error says what is wrong with it.
inline Result<QJsonObject> jsonObjectBody(const QByteArray &body)
{
    if (body.trimmed().isEmpty())
        return makeFieldError(QString(), QStringLiteral("the request body is empty; send a JSON object"));
    QJsonParseError err {};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError)
        return makeFieldError(QString(),
            QStringLiteral("could not parse the JSON body: %1 at offset %2").arg(err.errorString()).arg(err.offset));
    if (!doc.isObject())
        return makeFieldError(QString(), QStringLiteral("the JSON body must be an object"));
    return doc.object();
}

// A number field, when present and not null, must lie in [lo, hi]; the error names it.
inline Status checkNumber(const QJsonObject &o, const char *name, double lo, double hi)
{
    const QJsonValue v = o.value(QLatin1String(name));
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isDouble() || v.toDouble() < lo || v.toDouble() > hi)
        return makeFieldError(QString::fromLatin1(name),
            QStringLiteral("'%1' must be a number from %2 to %3").arg(QLatin1String(name)).arg(lo).arg(hi));
    return {};
}

} // namespace l0::api
