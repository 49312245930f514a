#pragma once

#include <QString>

#include <utility>
#include <vector>

namespace l0 {

// A word-level diff: line-level first (Myers), then words inside each changed block, so an
// edit in a paragraph shows the words that changed, not the whole line. Whitespace and
// punctuation are tokens of their own; "\r\n" counts as one line break.
struct DiffOp {
    enum Kind { Equal, Delete, Insert };
    Kind kind = Equal;
    QString text;
};

// The inline form: ops in order; Equal and Delete texts concatenated give the old text,
// Equal and Insert the new one.
std::vector<DiffOp> wordDiff(const QString &oldText, const QString &newText);

// The side-by-side form: one row per line, lines of a changed block paired in order (the
// shorter side padded with empty rows), the changed character ranges of each side marked.
struct DiffRow {
    QString left, right;
    bool leftPresent = true, rightPresent = true;
    std::vector<std::pair<qsizetype, qsizetype>> leftChanged, rightChanged; // [start, end) in the row
    bool changed() const { return !leftChanged.empty() || !rightChanged.empty() || leftPresent != rightPresent; }
};
std::vector<DiffRow> sideBySide(const std::vector<DiffOp> &ops);

// Indices of rows that start a run of changed rows: for "next / previous change".
std::vector<int> changeStarts(const std::vector<DiffRow> &rows);

} // namespace l0
