#pragma once

#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

#include "rulepack.h"

namespace l0 {

struct SlotValue {
    QString name;
    QString value;
};

// What the L0 pipeline made of one text.
struct NormalizedText {
    QStringList tokens; // after slots, case folding, contractions, synonyms, stemming, negation
    QStringList features; // distinct unigrams and bigrams, in order of appearance
    std::vector<SlotValue> slotValues;
};

struct IntentScore {
    QString intent;
    qint64 score = 0; // milli-units
};

struct IntentMatch {
    bool abstained = true;
    QString intent;
    std::vector<SlotValue> slotValues;
    qint64 margin = 0; // best minus runner-up, milli-units
    qint64 confidence = 0; // what the abstain margins are compared with: margin x coverage^power
    int coverage = 1000; // per mille of the query's word weight the best intent has seen
    QString reason; // why it abstained
    std::vector<IntentScore> top; // best first, at most 5

    // The intent plus the slot types present, e.g. "cancel_order|order_id". Empty when abstained.
    QString key() const;
};

// What `l0ctl rules explain --json` prints and the MCP server's explain_normalization returns:
// the match (abstained, intent, key, margin, confidence, coverage, reason, slots, top) and
// steps, the trace IntentMatcher::match wrote.
QJsonObject matchExplanationJson(const IntentMatch &match, const QStringList &steps);

// Normalizes text and scores intents with one rule pack. Deterministic: the same text and
// pack give the same result bit for bit (integer arithmetic only). Immutable; thread-safe.
class IntentMatcher {
public:
    explicit IntentMatcher(std::shared_ptr<const RulePack> pack);

    // Every normalizer step. trace, when given, receives one line per step.
    NormalizedText normalize(const QString &text, QStringList *trace = nullptr) const;
    IntentMatch match(const QString &text, QStringList *trace = nullptr) const;

    // The negation guard in force for an intent (the pack's own, or derived from its weights
    // when the pack has none): the words that define it and the words it expects negated.
    QStringList definingWords(int intent) const;
    QStringList expectedNegated(int intent) const;
    // Which words of rawTokens a negation cue covers for the veto (one flag per token).
    std::vector<char> negationCover(const QStringList &rawTokens, const std::vector<char> &breaks) const;
    // Raw tokens with, per token, whether punctuation separates it from the one before.
    QStringList tokenize(const QString &text, std::vector<char> *breaks) const;

    const RulePack &pack() const { return *m_pack; }
    std::shared_ptr<const RulePack> packPtr() const { return m_pack; }

    // The feature pipeline from tokens on (used by induction too, so training and serving
    // see exactly the same features).
    QStringList featuresOf(const QStringList &rawTokens, QStringList *finalTokens = nullptr) const;
    static QString stem(const QString &word);

private:
    struct Posting {
        int intent;
        qint32 weight;
    };
    struct Guard {
        QHash<QString, int> defining; // word -> strength (the first listed is the strongest)
        QSet<QString> expected;
        int mapsTo = -1;
    };
    struct Word {
        qint32 idf = 0;
        std::vector<std::pair<int, qint32>> intents; // sorted: the intents that saw the word, how surely
    };
    // One query (or part of one) as the decision sees it: per token, the word as tokenized,
    // its stem without the negation mark (empty for slots), whether it is a cue, and whether a
    // negation covers it for the veto.
    struct View {
        const QStringList *raw;
        const QStringList *stems;
        const std::vector<char> *covered;
        const std::vector<char> *cue;
        qsizetype from, to;
    };
    void scoreFeatures(const QStringList &features, std::vector<qint64> &scores, int *evidence) const;
    IntentMatch decide(const std::vector<qint64> &scores, int evidence, const View &view, QStringList *trace) const;
    QStringList rawTokens(const QString &text, std::vector<SlotValue> *slotOut, QStringList *trace,
        std::vector<char> *breaks = nullptr) const;
    qint64 coverage(int intent, const View &view, QStringList *unseen) const; // per mille
    bool vetoed(int intent, const View &view, QStringList *why) const;
    qint64 weightOf(int intent, const QString &feature) const;
    void deriveGuards();

    std::vector<Guard> m_guards;
    QHash<QString, Word> m_words;
    std::vector<char> m_hasVocabulary;
    QSet<QString> m_transparent, m_scopeEnds, m_inability;
    // English: questions with the subject after the cue (negationCover) and negated states (vetoed).
    QSet<QString> m_auxiliaries, m_determiners, m_subjectPronouns, m_stateAuxiliaries;

    std::shared_ptr<const RulePack> m_pack;
    QHash<QString, std::vector<Posting>> m_postings;
    QHash<QString, QString> m_contractionWords; // whole-word contractions
    QSet<QString> m_negationCues, m_clauseBreakers, m_conjunctions;
    QList<QPair<QString, QString>> m_contractionSuffixes; // "n't" -> " not", longest first
};

} // namespace l0
