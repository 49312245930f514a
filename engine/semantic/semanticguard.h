#pragma once

#include <functional>

#include "semanticprofile.h"

namespace l0 {

// Why a neighbour may not answer a query however similar it is.
enum class GuardVeto {
    None,
    Context, // another conversation (system prompt, earlier turns, model, parameters)
    Negation, // one negates, the other does not ("card working" / "card not working")
    QuestionForm, // asks for another kind of answer ("why is X" / "is X"; "who takes X" / "how do I use X")
    Slot, // other numbers, codes, dates or addresses ("order 123" / "order 456")
    RareWord, // a rare content word on one side the other lacks ("learn python" / "learn java")
};
const char *guardVetoName(GuardVeto veto);

struct GuardOptions {
    // A content word's rarity: idf / ln(N + 1), with idf = ln((N + 1) / (df + 1)) over the
    // tenant's N indexed questions (1: never seen). A word one side has and the other lacks
    // (no stem in common, no shared prefix of prefixMatch letters) vetoes when its rarity is at
    // least rareEither, or when both sides have such a word of at least rareBoth.
    double rareEither = 0.80;
    double rareBoth = 0.55;
    int prefixMatch = 5;
};

// The guards in order (context, negation, question form, slots, rare words); the first that vetoes.
// rarity(stem) gives the rarity described above.
GuardVeto checkGuards(const SemanticProfile &query, const SemanticProfile &entry,
    const std::function<double(const QString &)> &rarity, const GuardOptions &options = {});

} // namespace l0
