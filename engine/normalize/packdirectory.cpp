#include "packdirectory.h"

#include <mutex>

#include "normalize/intentmatcher.h"

namespace l0 {

std::shared_ptr<const IntentMatcher> PackDirectory::matcherFor(qint64 tenantId) const
{
    std::shared_lock lock(m_mutex);
    auto it = m_active.constFind(tenantId);
    return it == m_active.constEnd() ? nullptr : it->matcher;
}

void PackDirectory::set(qint64 tenantId, qint64 packId, std::shared_ptr<const IntentMatcher> matcher)
{
    std::unique_lock lock(m_mutex);
    m_active.insert(tenantId, Active { packId, std::move(matcher) });
}

void PackDirectory::retire(qint64 tenantId, qint64 packId)
{
    std::unique_lock lock(m_mutex);
    auto it = m_active.find(tenantId);
    if (it != m_active.end() && it->packId == packId)
        m_active.erase(it);
}

int PackDirectory::size() const
{
    std::shared_lock lock(m_mutex);
    return int(m_active.size());
}

} // namespace l0
