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
    // Not copied: its word table points into its own tables.
    IntentMatcher(const IntentMatcher &) = delete;
    IntentMatcher &operator=(const IntentMatcher &) = delete;

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
    // What featuresOf makes of one raw token, with every lookup of the pack done, per negation
    // state (0: as it stands or a cue, 1: within a negation's scope). The features are indices
    // into m_featurePostings, looked up by their exact strings, so scoring by them is scoring by
    // the strings (-1: the pack does not know it).
    struct WordInfo {
        bool cue = false, breaker = false;
        int unigram[2] = { -1, -1 }; // the token, "not_" + the token
        int side[2] = { -1, -1 }; // the same as one side of a bigram (m_bigrams)
        int raw[2] = { -1, -1 }; // "=" + the word, "=not_" + the word
        QString stem[2]; // what the decision sees (empty for a slot)
        const Word *word[2] = { nullptr, nullptr }; // m_words' entry for stem
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
        const std::vector<const Word *> *words = nullptr; // per token, m_words' entry (when known)
    };
    void scoreFeatures(const QStringList &features, std::vector<qint64> &scores, int *evidence) const;
    // scoreFeatures(featuresOf(raw tokens from..to)) on the tokens' WordInfo, with no strings
    // made; state, when given, receives each token's negation state.
    void scoreWords(const std::vector<const WordInfo *> &words, qsizetype from, qsizetype to,
        std::vector<qint64> &scores, int *evidence, std::vector<char> *state) const;
    WordInfo wordInfo(const QString &raw) const;
    void buildWordTable();
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

    // The same postings by feature index, for scoreWords: every feature string the pack weighs,
    // every string that is one side of a bigram feature, and the bigrams by their sides' ids.
    // m_wordTable holds the WordInfo of every word the pack knows; others are made per query.
    // Not used with character n-grams (the strings path serves those).
    bool m_wordPath = false;
    QHash<QString, int> m_featureIndex;
    std::vector<std::vector<Posting>> m_featurePostings; // empty for a dense feature
    // Features most intents weigh (the common words): their weights as rows of m_dense, one
    // per feature (m_denseRow[f], -1 for a sparse one), m_denseStride apart, added whole.
    std::vector<int> m_denseRow;
    std::vector<qint32> m_dense;
    size_t m_denseStride = 0;
    qint64 m_denseMaxAbs = 0; // the largest |weight| in m_dense
    QHash<QString, int> m_sideIds;
    QHash<quint64, int> m_bigrams;
    QHash<QString, WordInfo> m_wordTable;
};

} // namespace l0
