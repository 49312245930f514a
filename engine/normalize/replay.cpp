#include "replay.h"

#include <QFile>

#include "core/csv.h"

namespace l0 {

Result<std::vector<LabelledText>> parseReplayCsv(const QByteArray &csv)
{
    auto parsed = parseCsv(csv);
    if (!parsed)
        return parsed.error();
    const std::vector<QStringList> &records = *parsed;
    if (records.empty() || records.front().size() < 2 || records.front().at(0).trimmed() != QLatin1String("text")
        || records.front().at(1).trimmed() != QLatin1String("label"))
        return makeError(
            ErrorCode::InvalidArgument, QStringLiteral("CSV: the first line must be the header text,label"));
    std::vector<LabelledText> rows;
    rows.reserve(records.size());
    for (size_t r = 1; r < records.size(); ++r) {
        if (records[r].size() != 2)
            return makeError(ErrorCode::InvalidArgument,
                QStringLiteral("CSV: record %1 has %2 fields, expected 2").arg(r + 1).arg(records[r].size()));
        rows.push_back(LabelledText { records[r].at(0), records[r].at(1).trimmed() });
    }
    return rows;
}

Result<std::vector<LabelledText>> readReplayCsv(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::NotFound, QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
    auto rows = parseReplayCsv(f.readAll());
    if (!rows)
        return makeError(rows.error().code, path + QStringLiteral(": ") + rows.error().message);
    return rows;
}

} // namespace l0
