#pragma once

#include <QByteArray>

namespace l0 {

// The request's cache controls (the Cache-Control header on HTTP).
struct CacheControl {
    bool noCache = false; // skip the lookup; the answer may still be filed
    bool noStore = false; // file no candidate

    // Reads a Cache-Control value: comma-separated directives, case-insensitive; others ignored.
    static CacheControl parse(const QByteArray &header);
};

} // namespace l0
