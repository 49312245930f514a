#include "storetypes.h"

namespace l0 {

QString idList(const std::vector<qint64> &ids)
{
    QStringList parts;
    parts.reserve(qsizetype(ids.size()));
    for (qint64 id : ids)
        parts << QString::number(id);
    return parts.join(QLatin1Char(','));
}

QString answerPreview(const ChatResult &r)
{
    QString t = r.text().simplified();
    if (t.size() > 160)
        t = t.left(157) + QStringLiteral("...");
    return t;
}

} // namespace l0
