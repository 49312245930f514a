#pragma once

#include <QByteArray>
#include <QString>

namespace l0 {

// True when bytes are well-formed UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF).
bool isValidUtf8(const QByteArray &bytes);

// Unicode code points in s (a surrogate pair counts once).
qint64 codePointCount(const QString &s);

// Lower-case hex SHA-256 of bytes.
QByteArray sha256Hex(const QByteArray &bytes);
QByteArray sha256(const QByteArray &bytes);

// Constant-time equality for secrets of equal length; false for different lengths.
bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

// Cryptographically random bytes (OpenSSL RAND_bytes).
QByteArray randomBytes(int count);

} // namespace l0
