#pragma once

#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

#include <atomic>
#include <memory>
#include <mutex>

#include "auth/jwtconfig.h"
#include "auth/jwtkey.h"
#include "core/result.h"

namespace l0 {

class Clock;

// Verifies compact JWS tokens (RFC 7515, 7519) against the configured keys: signature first,
// then exp (required), nbf and iat with the clock skew, iss and aud. Key files are re-read at
// most every JwtConfig::reloadCheckMs by the thread verifying a token (by content, so a rewrite
// within the file system's timestamp granularity is seen too) and the key set swapped in whole;
// a file that fails to read or parse keeps the keys it had. Thread-safe: verify() takes no lock
// on its hot path.
class JwtVerifier {
public:
    static constexpr qsizetype kMaxTokenBytes = 8 * 1024;

    // Reads the key sources; an error names the one that failed. clock: null for the system's.
    static Result<std::unique_ptr<JwtVerifier>> create(const JwtConfig &config, const Clock *clock = nullptr);
    ~JwtVerifier();

    // Cheap shape test, no decoding: two dots and a header that starts like a JSON object
    // ("eyJ" is base64url of '{"'). API keys never look like this.
    static bool looksLikeJwt(QByteArrayView credential);

    // The token's claims when it checks out; otherwise Unauthenticated, the message naming
    // what was wrong (never echoing the token).
    Result<QJsonObject> verify(QByteArrayView token);

    const JwtConfig &config() const { return m_config; }
    int keyCount() const;
    // Checks the key files now, whatever the interval (tests, SIGHUP-style triggers).
    void reloadNow();

private:
    // SHA-256 of what a key file held when last read, or of the error reading it.
    using FileStamp = QByteArray;
    struct KeySet {
        JwtKeyList fromPem;
        JwtKeyList fromJwks;
        std::shared_ptr<const JwtKey> secret;
        FileStamp pemStamp;
        FileStamp jwksStamp;
    };

    JwtVerifier(const JwtConfig &config, const Clock *clock);
    void maybeReload();
    // Re-reads the files whose stamp changed; keeps the old keys of a file that fails.
    void reload(bool initial, Status *failure);
    std::shared_ptr<const KeySet> keys() const { return m_keys.load(std::memory_order_acquire); }

    JwtConfig m_config;
    const Clock *m_clock;
    bool m_accept[3] = { false, false, false }; // by JwtAlgorithm
    std::atomic<std::shared_ptr<const KeySet>> m_keys;
    std::atomic<qint64> m_nextCheckMs { 0 }; // steady clock
    std::mutex m_reloadMutex; // one reloader at a time; readers never take it
};

} // namespace l0
