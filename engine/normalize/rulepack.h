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
    // Words (stems) the intent's training examples contain: what it has seen, each with how
    // surely (1 to the pack's vocabularyFolds; see RulePack). Empty: not known (the
    // out-of-scope guard then treats every word as seen).
    QHash<QString, qint32> vocabulary;
    // The negation guard. defining: the words that make a query this intent, strongest first;
    // when a negation covers words of the query and nothing outside the negation defines the
    // intent more strongly than what it covers, the intent is vetoed. expected: words this intent's own examples negate
    // ("has not arrived"), which do not veto it. negatedIntent: answer this intent instead of abstaining on a veto.
    // Left out of a pack, the guard is derived from the weights when the pack loads.
    bool hasNegationGuard = false;
    QStringList defining;
    QStringList negationExpected;
    QString negatedIntent;
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
    // The negation veto's own scope: a cue covers up to vetoScope content words after it, up to
    // a clause breaker, punctuation or a scope end ("unless"); transparent words ("want", "to",
    // "my", ...) neither count nor are covered; next to an inability word ("can", "could",
    // "know") a cue does not veto ("I can't cancel", "I don't know how to cancel" still ask
    // about cancelling).
    int vetoScope = 12;
    // Also the words before the cue, back to the start of its clause: where the verb comes
    // last ("ich möchte mein Passwort nicht zurücksetzen"). Default: on for German and Dutch.
    bool vetoBackward = false;
    QStringList transparentWords;
    QStringList scopeEnds;
    QStringList inabilityWords;
    QStringList conjunctions; // split a query to look for two requests at once
    bool splitConflicts = true;
    bool rawWords = false; // also score each word as written (before stemming), as "=word"
    int charNgrams = 0; // also score character n-grams of words ("~card" pieces); 0: off
    QHash<QString, QString> contractions; // "can't" -> "can not"
    QHash<QString, QString> synonyms; // token -> canonical token (after stemming)
    std::vector<SlotPattern> slotPatterns;
    std::vector<Intent> intents;
    // The out-of-scope guard (0: off). The confidence compared with the abstain margins is
    // margin x coverage^coveragePower, where coverage is the idf-weighted share of the query's
    // words (stems, slots left out) that the best intent's vocabulary holds.
    int coveragePower = 0;
    QHash<QString, qint32> wordIdf; // milli-units; words the pack learnt from
    qint32 unknownIdf = 0; // a word the pack never saw
    // An intent's word of weight k counts as seen k/vocabularyFolds: induction writes in how many
    // of its held-out folds' training rows the intent had the word, so a new query is measured
    // as the held-out rows were.
    int vocabularyFolds = 1;

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
    static QStringList defaultTransparentWords();
    static QStringList defaultScopeEnds();
    static QStringList defaultInabilityWords();
    static QStringList defaultClauseBreakers();
    static bool verbLast(const QString &language); // languages whose negation precedes a final verb
    static std::vector<SlotPattern> defaultSlots();
};

} // namespace l0
