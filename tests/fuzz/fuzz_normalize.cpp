// Normalization and the intent decision on arbitrary text with the starter pack: never a
// crash, and the same result every time: the L0 key rests on it.
#include <QFile>

#include "fuzzsupport.h"
#include "normalize/intentmatcher.h"
#include "normalize/rulepack.h"

using namespace l0;

namespace {
const IntentMatcher &starterMatcher()
{
    static const IntentMatcher matcher = [] {
        QFile f(QStringLiteral(L0_STARTER_PACK));
        if (!f.open(QIODevice::ReadOnly))
            fuzz::broken("cannot read the starter pack");
        auto pack = RulePack::fromJson(f.readAll());
        if (!pack)
            fuzz::broken("the starter pack does not load");
        return IntentMatcher(*pack);
    }();
    return matcher;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = fuzz::text(data, size);
    const IntentMatcher &matcher = starterMatcher();
    const NormalizedText n = matcher.normalize(text);
    const IntentMatch a = matcher.match(text);
    const IntentMatch b = matcher.match(text);
    fuzz::check(a.key() == b.key() && a.abstained == b.abstained && a.margin == b.margin
            && a.slotValues.size() == b.slotValues.size(),
        "the intent decision is not deterministic");
    for (size_t i = 0; i < a.slotValues.size(); ++i)
        fuzz::check(a.slotValues[i].name == b.slotValues[i].name && a.slotValues[i].value == b.slotValues[i].value,
            "slot values are not deterministic");
    const NormalizedText again = matcher.normalize(text);
    fuzz::check(n.tokens == again.tokens && n.features == again.features, "normalization is not deterministic");
    fuzz::check(a.abstained == a.key().isEmpty(), "an answer without a key, or a key without an answer");
    return 0;
}
