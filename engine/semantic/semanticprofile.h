#pragma once

#include <QByteArray>
#include <QSet>
#include <QString>
#include <QStringList>

namespace l0 {

// What the semantic guards compare about one question: its content stems, its negation, its
// slot values and its conversation context. Made once per query and once per indexed entry.
struct SemanticProfile {
    QString text;
    QByteArray context; // semanticContext() of the request; empty: not known (not compared)
    QStringList contentStems; // light stems of the words that are not function words, in order, unique
    QSet<QString> negated; // content stems a negation cue covers (up to 3 content words after it)
    int negations = 0; // negation cues
    // What kind of answer the question asks for, from its first words: "why", "who", "when",
    // "where", "open" (what, which, how), "yes_no" (is, can, should, do ...), or "statement".
    QString form;
    QStringList
        slotValues; // sorted: numbers and codes (words with a digit), dates and times named by word, e-mail addresses

    static SemanticProfile of(const QString &text, const QByteArray &context = {});
};

} // namespace l0
