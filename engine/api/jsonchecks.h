#pragma once

#include <QJsonObject>

#include "core/result.h"

namespace l0::api {

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
