#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QTextStream>

#include <memory>
#include <optional>

#include "command.h"
#include "review/safetyscanner.h"
#include "store/store.h"
#include "trust/signing.h"

namespace l0 {

// What the commands share: opening the store, printing, the one-line error, reading times,
// durations and amounts, and opening reviewer keys.

// Prints "l0ctl: MESSAGE" as one line to err and returns code (1 failure, 2 usage).
int fail(QTextStream &err, const QString &message, int code = 1);

// The store URL from --db, else L0_DB; empty when neither is given.
QString dbUrl(const CommandLine &cmd);

// Opens the store named by --db / L0_DB and checks its schema unless told not to; null after
// printing the reason.
std::unique_ptr<Store> openOrFail(const CommandLine &cmd, QTextStream &err, bool checkSchema = true);

// --json output: one compact line.
void printJson(QTextStream &out, const QJsonObject &object);
void printJson(QTextStream &out, const QJsonArray &array);

// Milliseconds since the epoch as ISO 8601 UTC with milliseconds.
QString isoTime(qint64 ms);

// ISO 8601 (date or date-time, UTC unless an offset is given), or a relative "24h", "7d", "30m"
// meaning that long before nowMs; nullopt when unreadable.
std::optional<qint64> parseTime(const QString &text, qint64 nowMs);

// "30d", "12h", "90m", "45s" or plain milliseconds; nullopt when unreadable.
std::optional<qint64> parseDuration(const QString &text);

// Micro-dollars as dollars with all six decimals, from integers (no rounding on the way).
QString dollars(qint64 micros);

// The name recorded with an unsigned decision: --reviewer, else $USER, else "admin".
QString reviewerName(const CommandLine &cmd);

// A file's bytes; on failure prints "cannot read PATH: why" and sets *ok false.
QByteArray readFileOrFail(const QString &path, QTextStream &err, bool *ok);

// The safety scanner for --profile FILE (a tenant profile merged over the built-in one), or the
// built-in one; nullopt after printing the reason.
std::optional<SafetyScanner> scannerFor(const CommandLine &cmd, QTextStream &err);

// Opens an encrypted private key, asking for its passphrase (see passphrase.h); nullopt after
// printing the reason.
std::optional<SigningKey> openPrivateKey(const QString &path, const QString &prompt, QTextStream &err);

// A signed command's two parts: the reviewer key from --key (its passphrase asked for) and the
// store. When either cannot be opened the reason was printed and the session is false.
struct ReviewerSession {
    std::optional<SigningKey> key;
    std::unique_ptr<Store> store;
    explicit operator bool() const { return key && store; }
};
ReviewerSession openReviewerSession(const CommandLine &cmd, QTextStream &err);

} // namespace l0
