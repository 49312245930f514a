#include "upstreamerror.h"

#include <QDateTime>
#include <QLocale>

namespace l0 {

qint64 retryAfterMsFromHeaders(const QByteArray &retryAfterMs, const QByteArray &retryAfter, qint64 nowMs)
{
    bool ok = false;
    const double ms = retryAfterMs.trimmed().toDouble(&ok);
    if (ok && ms >= 0)
        return qint64(ms + 0.5);
    const QByteArray ra = retryAfter.trimmed();
    if (ra.isEmpty())
        return 0;
    const double secs = ra.toDouble(&ok);
    if (ok)
        return secs > 0 ? qint64(secs * 1000 + 0.5) : 0;
    // An HTTP date, e.g. "Wed, 21 Oct 2015 07:28:00 GMT".
    QString text = QString::fromLatin1(ra);
    if (text.endsWith(QLatin1String(" GMT")))
        text.chop(4);
    const QDateTime at = QLocale::c().toDateTime(text, QStringLiteral("ddd, dd MMM yyyy hh:mm:ss"));
    if (!at.isValid())
        return 0;
    const QDateTime utc(at.date(), at.time(), Qt::UTC);
    return qMax<qint64>(0, utc.toMSecsSinceEpoch() - nowMs);
}

bool isRetryableUpstreamError(const Error &error)
{
    if (error.code == ErrorCode::Timeout || error.code == ErrorCode::Unavailable)
        return true;
    if (error.code != ErrorCode::UpstreamError)
        return false;
    const int s = error.upstreamStatus;
    return s == 408 || s == 409 || s == 429 || s == 500 || s == 502 || s == 503 || s == 504 || s == 529;
}

} // namespace l0
