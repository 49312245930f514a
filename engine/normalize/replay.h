#pragma once

#include <QString>

#include <vector>

#include "core/result.h"

namespace l0 {

// One row of the replay format: CSV with the header "text,label". An empty label means no
// other query may share this one's answer.
struct LabelledText {
    QString text;
    QString label;
};

Result<std::vector<LabelledText>> readReplayCsv(const QString &path);
Result<std::vector<LabelledText>> parseReplayCsv(const QByteArray &csv);

} // namespace l0
