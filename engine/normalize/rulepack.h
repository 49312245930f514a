#pragma once

#include <QByteArray>
#include <QHash>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

#include "core/result.h"

namespace l0 {

// A slot pattern: text matching `pattern` (case-insensitive) becomes the placeholder <name>
// and its value is kept. With a capture group, only the group is the value (the rest stays
// as words, e.g. "order" in "order 12345").
struct SlotPattern {
    QString name;
    QString pattern;
    QString trigger; // a cheap precondition: the text must contain one of these characters
    QRegularExpression regex;
};

struct Intent {
    QString name;
    qint32 bias = 0; // milli-units
    QHash<QString, qint32> features; // feature ("word" or "word word") -> weight, milli-units
    QStringList examples; // for people reading the pack
    bool abstain = false; // the out-of-scope class: predicting it means abstaining
    qint32 margin = -1; // this intent's own abstain margin; -1: the pack's
};

// A versioned, human-readable rule pack (JSON, schema "l0.rulepack/1"; see docs/rulepacks.md).
// Scores are integer sums, so the same pack gives the same answer on every machine.
// Immutable after loading; safe to share between threads.
struct RulePack {
    QString name;
    int version = 1;
    QString language = QStringLiteral("en");
    qint32 abstainMargin = 0; // milli-units between the best intent and the runner-up
    qint32 minEvidence = 1; // minimum number of known features in the query
    QStringList negationCues;
    int negationScope = 3;
    QStringList clauseBreakers; // end a negation's scope
    QStringList conjunctions; // split a query to look for two requests at once
    bool splitConflicts = true;
    bool rawWords = false; // also score each word as written (before stemming), as "=word"
    int charNgrams = 0; // also score character n-grams of words ("~card" pieces); 0: off
    QHash<QString, QString> contractions; // "can't" -> "can not"
    QHash<QString, QString> synonyms; // token -> canonical token (after stemming)
    std::vector<SlotPattern> slotPatterns;
    std::vector<Intent> intents;

    // Loads and validates; any problem fails the whole load, naming the line.
    static Result<std::shared_ptr<const RulePack>> fromJson(const QByteArray &json);
    static Result<std::shared_ptr<const RulePack>> fromFile(const QString &path);
    // All problems found (empty when valid), each "line N: message".
    static QStringList check(const QByteArray &json);

    QByteArray toJson() const;
    QString id() const { return name + QLatin1Char('@') + QString::number(version); }

    // Built-in defaults used when a pack leaves them out.
    static QHash<QString, QString> defaultContractions();
    static QStringList defaultNegationCues();
    static std::vector<SlotPattern> defaultSlots();
};

} // namespace l0
