#pragma once

#include <QtGlobal>

namespace l0::http {

struct HttpLimits {
    qint64 maxBodyBytes = 32LL * 1024 * 1024;
    qint64 maxHeaderBytes = 64 * 1024;
    int readTimeoutMs = 30'000; // a started request must arrive completely within this
    int idleTimeoutMs = 75'000; // keep-alive connection with no request
    int maxPipelined = 32; // parsed requests waiting behind the one being answered
};

} // namespace l0::http
