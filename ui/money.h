#pragma once

#include <QLocale>
#include <QString>

#include <cmath>

namespace l0::ui {

// Micro-dollars for people: whole dollars from $100, cents below.
inline QString money(qint64 micros)
{
    const double d = double(micros) / 1e6;
    return QStringLiteral("$%1").arg(QLocale().toString(d, 'f', std::abs(d) >= 100 ? 0 : 2));
}

// Small amounts (one answer's cost) keep their digits: four decimals below a dollar, every
// micro-dollar below a cent.
inline QString preciseMoney(qint64 micros)
{
    const double d = double(micros) / 1e6;
    if (std::abs(d) >= 1)
        return money(micros);
    return QStringLiteral("$%1").arg(QLocale().toString(d, 'f', std::abs(d) >= 0.01 ? 4 : 6));
}

} // namespace l0::ui
