#pragma once

#include <QString>

#include <optional>
#include <vector>

#include "intentmatcher.h"

namespace l0 {

// Templates for L0 answers: "{order_id}" in an approved answer is filled from the query's
// slots when it is served.
struct ProposedTemplate {
    QString text;
    QStringList slotsUsed; // slot names that became placeholders
    bool changed() const { return !slotsUsed.isEmpty(); }
};

// Replaces each literal slot value of the query found in the answer with {slot_name}, so one
// approved answer serves every value. Values shorter than 3 characters are left alone (they
// would match too much by accident).
ProposedTemplate proposeTemplate(const QString &answer, const std::vector<SlotValue> &values);

// Names of the {placeholders} in a template, in order, without repeats. "{{" and "}}" are
// literal braces.
QStringList templateSlots(const QString &text);

// Fills every {name} from the slots (the first value of that name). nullopt when a
// placeholder has no value: such an answer must not be served for this query.
std::optional<QString> fillTemplate(const QString &text, const std::vector<SlotValue> &values);

} // namespace l0
