#include "semanticguard.h"

#include <algorithm>

namespace l0 {

const char *guardVetoName(GuardVeto veto)
{
    switch (veto) {
    case GuardVeto::None:
        return "none";
    case GuardVeto::Context:
        return "context";
    case GuardVeto::Negation:
        return "negation";
    case GuardVeto::QuestionForm:
        return "question_form";
    case GuardVeto::Slot:
        return "slot";
    case GuardVeto::RareWord:
        return "rare_word";
    }
    return "none";
}

namespace {

bool matches(const QString &stem, const QStringList &others, int prefix)
{
    for (const QString &o : others) {
        if (o == stem)
            return true;
        const int n = int(std::min(o.size(), stem.size()));
        if (n >= prefix && o.left(prefix) == stem.left(prefix))
            return true;
    }
    return false;
}

// The rarest word of `from` that `to` lacks (0 when there is none).
double rarestUnmatched(const SemanticProfile &from, const SemanticProfile &to,
    const std::function<double(const QString &)> &rarity, int prefix)
{
    double best = 0;
    for (const QString &s : from.contentStems) {
        if (matches(s, to.contentStems, prefix))
            continue;
        best = std::max(best, rarity(s));
    }
    return best;
}

} // namespace

GuardVeto checkGuards(const SemanticProfile &q, const SemanticProfile &e,
    const std::function<double(const QString &)> &rarity, const GuardOptions &o)
{
    if (!q.context.isEmpty() && !e.context.isEmpty() && q.context != e.context)
        return GuardVeto::Context;
    if ((q.negations > 0) != (e.negations > 0))
        return GuardVeto::Negation;
    if (q.negations > 0 && !q.negated.isEmpty() && !e.negated.isEmpty() && !q.negated.intersects(e.negated))
        return GuardVeto::Negation; // both negate, but not the same thing
    // A statement ("my card has not arrived") may ask anything; questions must ask alike.
    if (q.form != e.form && q.form != QLatin1String("statement") && e.form != QLatin1String("statement"))
        return GuardVeto::QuestionForm;
    if (q.slotValues != e.slotValues)
        return GuardVeto::Slot;
    const double rq = rarestUnmatched(q, e, rarity, o.prefixMatch);
    const double re = rarestUnmatched(e, q, rarity, o.prefixMatch);
    if (rq >= o.rareEither || re >= o.rareEither || (rq >= o.rareBoth && re >= o.rareBoth))
        return GuardVeto::RareWord;
    return GuardVeto::None;
}

} // namespace l0
