#include "tenantdirectory.h"

#include <mutex>

#include "core/text.h"

namespace l0 {

std::optional<Tenant> TenantDirectory::authenticate(const QByteArray &presentedKey) const
{
    if (presentedKey.isEmpty() || presentedKey.size() > 512)
        return std::nullopt;
    const QByteArray hash = sha256(presentedKey);
    std::shared_lock lock(m_mutex);
    auto it = m_keysByHash.constFind(hash);
    if (it == m_keysByHash.constEnd() || !constantTimeEquals(it->keyHash, hash))
        return std::nullopt;
    auto t = m_tenants.constFind(it->tenantId);
    if (t == m_tenants.constEnd())
        return std::nullopt;
    return *t;
}

std::optional<Tenant> TenantDirectory::tenant(qint64 id) const
{
    std::shared_lock lock(m_mutex);
    auto t = m_tenants.constFind(id);
    if (t == m_tenants.constEnd())
        return std::nullopt;
    return *t;
}

void TenantDirectory::replace(const std::vector<Tenant> &tenants, const std::vector<ApiKeyRecord> &keys)
{
    QHash<qint64, Tenant> t;
    for (const Tenant &x : tenants)
        t.insert(x.id, x);
    QHash<QByteArray, ApiKeyRecord> k;
    for (const ApiKeyRecord &x : keys)
        k.insert(x.keyHash, x);
    std::unique_lock lock(m_mutex);
    m_tenants.swap(t);
    m_keysByHash.swap(k);
}

void TenantDirectory::setBudgetSpent(QSet<qint64> tenantIds)
{
    std::unique_lock lock(m_mutex);
    m_budgetSpent.swap(tenantIds);
}

bool TenantDirectory::budgetSpent(qint64 tenantId) const
{
    std::shared_lock lock(m_mutex);
    return m_budgetSpent.contains(tenantId);
}

int TenantDirectory::keyCount() const
{
    std::shared_lock lock(m_mutex);
    return int(m_keysByHash.size());
}

} // namespace l0
