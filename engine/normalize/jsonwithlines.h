#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonValue>
#include <QString>

#include "core/result.h"

namespace l0 {

// Parses JSON like QJsonDocument, and also remembers the line of every value by its path
// ("intents[3].features.cancel"), so that a rule pack's problems can be reported with the
// line they are on. Errors in the JSON itself carry "line L, column C".
struct JsonWithLines {
    QJsonValue root;
    QHash<QString, int> lines; // path -> 1-based line

    // The line of a path, or of its nearest parent that has one.
    int lineOf(const QString &path) const;
    static Result<JsonWithLines> parse(const QByteArray &text);
};

} // namespace l0
