#pragma once

#include <QHash>
#include <QString>

namespace l0 {

// A table's entry for a model name: the name itself, else the longest known name that it
// extends at a '-' (a dated or suffixed name reads as its family: "gpt-4o-2024-08-06" as
// "gpt-4o", "gpt-4o-mini-x" as "gpt-4o-mini"). Null when neither is known.
template <class T> const T *findModelFamily(const QHash<QString, T> &table, const QString &model)
{
    if (auto it = table.constFind(model); it != table.constEnd())
        return &it.value();
    const T *best = nullptr;
    qsizetype bestLen = 0;
    for (auto it = table.constBegin(); it != table.constEnd(); ++it) {
        const QString &name = it.key();
        if (name.size() > bestLen && model.size() > name.size() && model.startsWith(name)
            && model.at(name.size()) == QLatin1Char('-')) {
            best = &it.value();
            bestLen = name.size();
        }
    }
    return best;
}

} // namespace l0
