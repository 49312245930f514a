#pragma once

#include <QByteArray>
#include <QString>
#include <QTextStream>

#include <optional>

namespace l0 {

// The passphrase of a private key: L0_PASSPHRASE when set, else the first line of the file
// L0_PASSPHRASE_FILE names, else asked on the controlling
// terminal (/dev/tty) without echo, with prompt; confirm asks twice and refuses a mismatch.
// nullopt after printing the reason to err (no terminal, or the two differ). Only the CLI asks
// people for things; the engine takes passphrases as bytes.
std::optional<QByteArray> passphrase(QTextStream &err, const QString &prompt, bool confirm = false);

} // namespace l0
