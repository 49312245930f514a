#include "tenantdirectory.h"

#include <algorithm>
#include <mutex>

#include "core/text.h"

namespace l0 {

std::optional<Tenant> TenantDirectory::authenticate(const QByteArray &presentedKey) const
{
    auto h = holder(presentedKey);
    if (!h)
        return std::nullopt;
    return h->tenant;
}

std::optional<TenantDirectory::KeyHolder> TenantDirectory::holder(const QByteArray &presentedKey) const
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
    return KeyHolder { *t, it->scope };
}

std::optional<Tenant> TenantDirectory::tenantByName(const QString &name) const
{
    std::shared_lock lock(m_mutex);
    const auto id = m_idByName.constFind(name);
    if (id == m_idByName.constEnd())
        return std::nullopt;
    const auto t = m_tenants.constFind(*id);
    if (t == m_tenants.constEnd())
        return std::nullopt;
    return *t;
}

std::vector<Tenant> TenantDirectory::tenants() const
{
    std::vector<Tenant> out;
    {
        std::shared_lock lock(m_mutex);
        out.assign(m_tenants.cbegin(), m_tenants.cend());
    }
    std::sort(out.begin(), out.end(), [](const Tenant &a, const Tenant &b) { return a.id < b.id; });
    return out;
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
    QHash<QString, qint64> byName;
    for (const Tenant &x : tenants) {
        t.insert(x.id, x);
        byName.insert(x.name, x.id);
    }
    QHash<QByteArray, ApiKeyRecord> k;
    for (const ApiKeyRecord &x : keys)
        k.insert(x.keyHash, x);
    std::unique_lock lock(m_mutex);
    m_tenants.swap(t);
    m_idByName.swap(byName);
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

void TenantDirectory::setExperiments(const std::vector<Experiment> &experiments)
{
    QHash<qint64, std::shared_ptr<const Experiment>> byTenant;
    for (const Experiment &x : experiments) {
        if (x.state == ExperimentState::Running)
            byTenant.insert(x.tenantId, std::make_shared<const Experiment>(x));
    }
    std::unique_lock lock(m_mutex);
    m_experiments.swap(byTenant);
}

std::shared_ptr<const Experiment> TenantDirectory::experimentFor(qint64 tenantId) const
{
    std::shared_lock lock(m_mutex);
    return m_experiments.value(tenantId);
}

int TenantDirectory::keyCount() const
{
    std::shared_lock lock(m_mutex);
    return int(m_keysByHash.size());
}

} // namespace l0
