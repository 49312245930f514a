#pragma once

#include <QByteArray>
#include <QStringList>

#include <vector>

#include "core/result.h"

namespace l0 {

// RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks; CRLF or LF
// line ends. Returns every record, the header included; blank lines are skipped.
Result<std::vector<QStringList>> parseCsv(const QByteArray &csv);

} // namespace l0
