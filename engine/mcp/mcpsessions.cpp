#include "mcpsessions.h"

#include "core/clock.h"
#include "core/text.h"

namespace l0::mcp {

McpSessions::McpSessions(const Clock *clock, qint64 idleMs, int maxSessions)
    : m_clock(clock ? clock : Clock::system())
    , m_idleMs(idleMs)
    , m_max(qMax(1, maxSessions))
{
}

qint64 McpSessions::nowMs() const
{
    return m_clock->nowMs();
}

QByteArray McpSessions::open(const QByteArray &credential, const QString &protocolVersion)
{
    const QByteArray id = randomBytes(24).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const qint64 now = nowMs();
    std::lock_guard lock(m_mutex);
    if (m_sessions.size() >= m_max) {
        // Expired ones first; if none, the least recently used.
        for (auto it = m_sessions.begin(); it != m_sessions.end();)
            it = now - it->lastUsedMs > m_idleMs ? m_sessions.erase(it) : std::next(it);
        if (m_sessions.size() >= m_max) {
            auto oldest = m_sessions.begin();
            for (auto it = m_sessions.begin(); it != m_sessions.end(); ++it) {
                if (it->lastUsedMs < oldest->lastUsedMs)
                    oldest = it;
            }
            m_sessions.erase(oldest);
        }
    }
    m_sessions.insert(id, Session { credential, protocolVersion, now });
    return id;
}

std::optional<McpSessions::Session> McpSessions::use(const QByteArray &id, const QByteArray &credential)
{
    const qint64 now = nowMs();
    std::lock_guard lock(m_mutex);
    auto it = m_sessions.find(id);
    if (it == m_sessions.end())
        return std::nullopt;
    if (now - it->lastUsedMs > m_idleMs) {
        m_sessions.erase(it);
        return std::nullopt;
    }
    if (!constantTimeEquals(it->credential, credential))
        return std::nullopt;
    it->lastUsedMs = now;
    return *it;
}

bool McpSessions::close(const QByteArray &id, const QByteArray &credential)
{
    std::lock_guard lock(m_mutex);
    auto it = m_sessions.find(id);
    if (it == m_sessions.end() || !constantTimeEquals(it->credential, credential))
        return false;
    m_sessions.erase(it);
    return true;
}

int McpSessions::size() const
{
    std::lock_guard lock(m_mutex);
    return int(m_sessions.size());
}

} // namespace l0::mcp
