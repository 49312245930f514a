#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

#include <mutex>
#include <optional>

namespace l0 {

class Clock;

namespace mcp {

// MCP sessions (Mcp-Session-Id), each bound to the credential that opened it: a session id
// alone is never enough, the same key must come with it. Sessions idle for longer than
// idleMs end; past maxSessions the least recently used goes. Thread-safe.
class McpSessions {
public:
    struct Session {
        QByteArray credential; // SHA-256 of the key that opened it
        QString protocolVersion; // as negotiated by initialize
        qint64 lastUsedMs = 0;
    };

    // clock must outlive the sessions; null: the system clock.
    explicit McpSessions(const Clock *clock, qint64 idleMs = 24LL * 3600 * 1000, int maxSessions = 10'000);

    // A new session; returns its id (random, URL-safe ASCII).
    QByteArray open(const QByteArray &credential, const QString &protocolVersion);
    // The session, touched, when it exists, has not expired and belongs to credential.
    std::optional<Session> use(const QByteArray &id, const QByteArray &credential);
    // Ends it; false when there was no such session for this credential.
    bool close(const QByteArray &id, const QByteArray &credential);
    int size() const;

private:
    qint64 nowMs() const;

    const Clock *m_clock;
    qint64 m_idleMs;
    int m_max;
    mutable std::mutex m_mutex;
    QHash<QByteArray, Session> m_sessions;
};

} // namespace mcp
} // namespace l0
