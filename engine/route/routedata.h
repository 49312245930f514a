#pragma once

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

#include "core/result.h"

namespace l0 {

// One prompt of a routing data file (JSON Lines: {"id", "prompt", "category", "answers":
// {model: {"text" | "chars", "score" | "correct"}}}) seen through one (strong, weak) pair.
// Only prompt and the weak model's text may reach a router; the qualities are its labels.
struct RouteExample {
    QString prompt;
    QString weakText;
    bool hasWeakText = false;
    double strongQuality = 0; // `correct` as 0/1, or `score`
    double weakQuality = 0;
    qint64 strongAnswerChars = -1; // code points of the answer (`text` or `chars`); -1 unknown
    qint64 weakAnswerChars = -1;
    double qualityScale = 1; // the file's largest quality (1 for correct/0..1 scores, 10 for MT-Bench)

    // The label a router learns: the weak answer is at least as good as the strong one.
    bool weakGood() const { return weakQuality >= strongQuality; }
};

struct RouteDataSet {
    QString path;
    std::vector<RouteExample> rows;
    bool allHaveWeakText = true;
};

// Reads a routing file for this pair. Errors (InvalidArgument, message "PATH:LINE: why"): a line
// that is not a JSON object, a row without a prompt or without the pair's answers or
// correct/score, a model that no row has (the message lists the models present); NotFound for
// a file that cannot be read. Blank lines are skipped.
Result<RouteDataSet> readRouteData(const QString &path, const QString &strong, const QString &weak);

} // namespace l0
