#pragma once

#include <QHash>
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
    qint64 margin = 0; // best minus runner-up, milli-units: the confidence
    QString reason; // why it abstained
    std::vector<IntentScore> top; // best first, at most 5

    // The intent plus the slot types present, e.g. "cancel_order|order_id". Empty when abstained.
    QString key() const;
};

// Normalizes text and scores intents with one rule pack. Deterministic: the same text and
// pack give the same result bit for bit (integer arithmetic only). Immutable; thread-safe.
class IntentMatcher {
public:
    explicit IntentMatcher(std::shared_ptr<const RulePack> pack);

    // Every normalizer step. trace, when given, receives one line per step.
    NormalizedText normalize(const QString &text, QStringList *trace = nullptr) const;
    IntentMatch match(const QString &text, QStringList *trace = nullptr) const;

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
    void scoreFeatures(const QStringList &features, std::vector<qint64> &scores, int *evidence) const;
    IntentMatch decide(const std::vector<qint64> &scores, int evidence) const;
    QStringList rawTokens(const QString &text, std::vector<SlotValue> *slotOut, QStringList *trace) const;

    std::shared_ptr<const RulePack> m_pack;
    QHash<QString, std::vector<Posting>> m_postings;
    QHash<QString, QString> m_contractionWords; // whole-word contractions
    QSet<QString> m_negationCues, m_clauseBreakers, m_conjunctions;
    QSet<QString> m_definingWords; // unigrams that define some intent (see the constructor)
    QList<QPair<QString, QString>> m_contractionSuffixes; // "n't" -> " not", longest first
};

} // namespace l0
