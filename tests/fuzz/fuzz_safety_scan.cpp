// The safety pass over an answer of arbitrary text: never a crash, every span inside the
// text (in code points), every score in 0..1, and the report the node stores buildable.
#include "fuzzsupport.h"
#include "review/safetyscanner.h"

using namespace l0;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = fuzz::text(data, size);
    const qint64 codePoints = codePointOffset(text, text.size());
    static const SafetyScanner scanner; // the built-in profile, compiled in
    const std::vector<Finding> findings = scanner.scan(text);
    for (const Finding &f : findings) {
        fuzz::check(!f.detector.isEmpty(), "a finding without a detector");
        fuzz::check(f.score >= 0 && f.score <= 1, "a score outside 0..1");
        for (const auto &[begin, end] : f.spans)
            fuzz::check(0 <= begin && begin <= end && end <= codePoints, "a span outside the text");
    }
    QStringList reasons;
    (void)scanner.risk(findings, qint64(size), &reasons);
    (void)scanner.report(text, 3);
    return 0;
}
