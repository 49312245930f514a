#include "replay.h"

#include <QFile>
#include <QHash>

#include "core/csv.h"
#include "intentmatcher.h"

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

ReplayResult replayEvaluate(ReplayTier tier, const IntentMatcher *matcher, const std::vector<LabelledText> &warm,
    const std::vector<LabelledText> &data)
{
    QHash<QString, QString> exactCache, intentCache;
    ReplayResult result;
    auto step = [&](const LabelledText &row, bool count) {
        QString intentKey;
        if (tier != ReplayTier::Exact && matcher) {
            const IntentMatch m = matcher->match(row.text);
            intentKey = m.key();
        }
        const bool useExact = tier != ReplayTier::L0;
        const bool useIntent = tier != ReplayTier::Exact;
        const QString *cached = nullptr;
        if (useExact) {
            auto it = exactCache.constFind(row.text);
            if (it != exactCache.constEnd())
                cached = &*it;
        }
        if (!cached && useIntent && !intentKey.isEmpty()) {
            auto it = intentCache.constFind(intentKey);
            if (it != intentCache.constEnd())
                cached = &*it;
        }
        if (count)
            ++result.queries;
        if (cached) {
            if (count) {
                ++result.hits;
                if (row.label.isEmpty() || *cached != row.label)
                    ++result.falseHits;
            }
            return;
        }
        if (useExact)
            exactCache.insert(row.text, row.label);
        if (useIntent && !intentKey.isEmpty())
            intentCache.insert(intentKey, row.label);
    };
    for (const LabelledText &row : warm)
        step(row, false);
    for (const LabelledText &row : data)
        step(row, true);
    return result;
}

} // namespace l0
