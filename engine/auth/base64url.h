#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace l0 {

// base64url without padding (RFC 7515 section 2, RFC 4648 section 5), as JOSE uses it.
QByteArray base64UrlEncode(QByteArrayView bytes);

// Strict decoding: only A-Z a-z 0-9 - _, no padding, no whitespace, and the unused low bits
// of the last character must be zero, so every byte string has exactly one accepted spelling.
// nullopt when the text is not such an encoding.
std::optional<QByteArray> base64UrlDecode(QByteArrayView text);

} // namespace l0
