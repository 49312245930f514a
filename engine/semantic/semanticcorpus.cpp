#include "semanticcorpus.h"

#include <cmath>
#include <mutex>

namespace l0 {

void SemanticCorpus::add(qint64 tenantId, qint64 entryId, const QString &text, const QByteArray &context)
{
    auto p = std::make_shared<const SemanticProfile>(SemanticProfile::of(text, context));
    std::unique_lock lock(m_mutex);
    TenantCorpus &t = m_tenants[tenantId];
    const bool known = t.profiles.contains(entryId);
    t.profiles.insert(entryId, p);
    if (known)
        return; // a new version of a known entry: its words were counted
    ++t.documents;
    for (const QString &s : p->contentStems)
        t.df[s] += 1;
}

void SemanticCorpus::remove(qint64 tenantId, qint64 entryId)
{
    std::unique_lock lock(m_mutex);
    auto it = m_tenants.find(tenantId);
    if (it != m_tenants.end())
        it->profiles.remove(entryId); // the frequencies keep what the question taught
}

std::shared_ptr<const SemanticProfile> SemanticCorpus::profile(qint64 tenantId, qint64 entryId) const
{
    std::shared_lock lock(m_mutex);
    auto it = m_tenants.constFind(tenantId);
    return it == m_tenants.constEnd() ? nullptr : it->profiles.value(entryId);
}

double SemanticCorpus::rarity(qint64 tenantId, const QString &stem) const
{
    std::shared_lock lock(m_mutex);
    auto it = m_tenants.constFind(tenantId);
    const double n = it == m_tenants.constEnd() ? 0 : double(it->documents);
    const double df = it == m_tenants.constEnd() ? 0 : double(it->df.value(stem));
    if (n < 1)
        return 1.0;
    return std::log((n + 1) / (df + 1)) / std::log(n + 1);
}

qint64 SemanticCorpus::documents(qint64 tenantId) const
{
    std::shared_lock lock(m_mutex);
    auto it = m_tenants.constFind(tenantId);
    return it == m_tenants.constEnd() ? 0 : it->documents;
}

} // namespace l0
