#include "conversationstore.h"

#include "core/clock.h"

namespace l0 {

ConversationStore::ConversationStore(const Clock *clock, qint64 retentionMs, int maxEntries)
    : m_clock(clock ? clock : Clock::system())
    , m_retentionMs(retentionMs)
    , m_maxEntries(maxEntries)
{
}

void ConversationStore::put(const QString &id, Stored stored, std::optional<qint64> retentionMs)
{
    const qint64 keep = retentionMs.value_or(m_retentionMs);
    if (keep <= 0)
        return;
    const qint64 now = m_clock->nowMs();
    stored.createdMs = now;
    stored.expiresMs = now + keep;
    std::lock_guard lock(m_mutex);
    if (!m_byId.contains(id))
        m_order.push_back(id);
    m_byId.insert(id, std::move(stored));
    evict(now);
}

void ConversationStore::evict(qint64 nowMs)
{
    // Ids go in insertion order: drop from the front what has expired, was deleted, or is over
    // the bound. (With tenants' own retentions an entry may outlive one behind it; that one is
    // never served after it expires, and goes when it reaches the front.)
    while (!m_order.empty()) {
        auto it = m_byId.constFind(m_order.front());
        const bool gone = it == m_byId.constEnd();
        if (!gone && it->expiresMs > nowMs && m_byId.size() <= m_maxEntries)
            break;
        if (!gone)
            m_byId.erase(it);
        m_order.pop_front();
    }
}

std::optional<ConversationStore::Stored> ConversationStore::get(
    qint64 tenantId, const QString &id, std::optional<qint64> retentionNow) const
{
    const qint64 now = m_clock->nowMs();
    std::lock_guard lock(m_mutex);
    auto it = m_byId.constFind(id);
    if (it == m_byId.constEnd() || it->tenantId != tenantId || it->expiresMs <= now)
        return std::nullopt;
    if (retentionNow && it->createdMs + *retentionNow <= now)
        return std::nullopt;
    return *it;
}

bool ConversationStore::remove(qint64 tenantId, const QString &id)
{
    std::lock_guard lock(m_mutex);
    auto it = m_byId.find(id);
    if (it == m_byId.end() || it->tenantId != tenantId)
        return false;
    m_byId.erase(it); // its place in m_order is skipped when eviction reaches it
    if (m_order.size() > 2 * m_byId.size() + 1024) {
        // Many deleted behind a long-lived front entry: drop their places now.
        std::deque<QString> live;
        for (const QString &o : m_order) {
            if (m_byId.contains(o))
                live.push_back(o);
        }
        m_order.swap(live);
    }
    return true;
}

int ConversationStore::size() const
{
    std::lock_guard lock(m_mutex);
    return int(m_byId.size());
}

} // namespace l0
