#include "responsebook.h"

namespace l0 {

ResponseBook::ResponseBook(qsizetype capacity)
    : m_capacity(qMax<qsizetype>(1, capacity))
{
}

void ResponseBook::remember(const QString &responseId, qint64 tenantId)
{
    if (responseId.isEmpty())
        return;
    std::lock_guard lock(m_mutex);
    if (m_tenants.contains(responseId))
        return;
    m_tenants.insert(responseId, tenantId);
    m_order.push_back(responseId);
    while (qsizetype(m_order.size()) > m_capacity) {
        m_tenants.remove(m_order.front());
        m_order.pop_front();
    }
}

std::optional<qint64> ResponseBook::tenantOf(const QString &responseId) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_tenants.constFind(responseId);
    if (it == m_tenants.constEnd())
        return std::nullopt;
    return *it;
}

} // namespace l0
