#pragma once

#include <QString>

#include <vector>

#include "core/result.h"

namespace l0 {

class IntentMatcher;

// One row of the replay format: CSV with the header "text,label". An empty label means no
// other query may share this one's answer.
struct LabelledText {
    QString text;
    QString label;
};

Result<std::vector<LabelledText>> readReplayCsv(const QString &path);
Result<std::vector<LabelledText>> parseReplayCsv(const QByteArray &csv);

enum class ReplayTier { L0, Exact, Chain };

struct ReplayResult {
    qint64 queries = 0;
    qint64 hits = 0;
    qint64 falseHits = 0;
    double hitRate() const { return queries ? double(hits) / double(queries) : 0.0; }
    double falseHitRate() const { return hits ? double(falseHits) / double(hits) : 0.0; }
};

// The cache-replay protocol: warm rows fill the cache uncounted, then each data row is looked
// up (a hit when its key is cached; false when the cached label differs or the row's label is
// empty) and, on a miss that is not an abstention, cached with its label.
ReplayResult replayEvaluate(ReplayTier tier, const IntentMatcher *matcher, const std::vector<LabelledText> &warm,
    const std::vector<LabelledText> &data);

} // namespace l0
