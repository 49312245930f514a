// Rule packs as `rules load` and the pack directory read them: a clear error or a pack a
// matcher can run, never a crash.
#include "fuzzsupport.h"
#include "normalize/intentmatcher.h"
#include "normalize/rulepack.h"

using namespace l0;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    auto pack = RulePack::fromJson(fuzz::bytes(data, size));
    if (!pack) {
        fuzz::check(!pack.error().message.isEmpty(), "a pack refused without a message");
        return 0;
    }
    const IntentMatcher matcher(*pack);
    for (const QString &q : { QStringLiteral("I want to cancel my order 12345"),
             QStringLiteral("please do not cancel order 12345"), QStringLiteral("how do I reset my password?"),
             QStringLiteral("Ich möchte meine Bestellung stornieren"), QString() }) {
        QStringList trace;
        const IntentMatch m = matcher.match(q, &trace);
        (void)matchExplanationJson(m, trace);
        (void)m.key();
    }
    return 0;
}
