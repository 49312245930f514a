// Replay files (`l0ctl eval`, `rules induce`) and CSV in general: a clear error or rows, never
// a crash; every replay row has its text.
#include "core/csv.h"
#include "fuzzsupport.h"
#include "normalize/replay.h"

using namespace l0;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray csv = fuzz::bytes(data, size);
    if (auto rows = parseCsv(csv)) {
        for (const QStringList &row : *rows)
            fuzz::check(!row.isEmpty(), "a CSV row without a field");
    } else {
        fuzz::check(!rows.error().message.isEmpty(), "CSV refused without a message");
    }
    if (auto replay = parseReplayCsv(csv); !replay)
        fuzz::check(!replay.error().message.isEmpty(), "a replay file refused without a message");
    return 0;
}
