#include "hotcache.h"

#include <mutex>

namespace l0 {

size_t qHash(const HotKey &k, size_t seed)
{
    return ::qHash(k.key, seed) ^ ::qHash(k.tenantId, seed) ^ size_t(k.tier);
}

std::shared_ptr<const CachedAnswer> HotCache::find(const HotKey &key) const
{
    std::shared_lock lock(m_mutex);
    auto it = m_answers.constFind(key);
    return it == m_answers.constEnd() ? nullptr : it.value();
}

void HotCache::apply(const VersionChange &change)
{
    const HotKey key { change.tenantId, tierFromName(change.tier).value_or(Tier::Exact), change.cacheKey };
    std::unique_lock lock(m_mutex);
    auto it = m_answers.find(key);
    const bool servable = change.state == VersionState::Approved
        || (change.state == VersionState::Pending && change.risk == QLatin1String("low"));
    if (servable) {
        // An approved answer is never displaced by a pending one (but the same version whose
        // approval was withdrawn is no longer approved).
        if (it != m_answers.end() && it.value()->state == VersionState::Approved
            && change.state != VersionState::Approved
            && (it.value()->entryId != change.entryId || it.value()->version != change.version))
            return;
        auto answer = std::make_shared<CachedAnswer>();
        answer->entryId = change.entryId;
        answer->version = change.version;
        answer->state = change.state;
        answer->risk = change.risk;
        answer->result = change.result;
        answer->expiresMs = change.expiresMs;
        m_answers.insert(key, std::move(answer));
        m_keyOfEntry.insert(change.entryId, key);
        return;
    }
    if (it != m_answers.end() && it.value()->entryId == change.entryId && it.value()->version == change.version) {
        m_answers.erase(it);
        m_keyOfEntry.remove(change.entryId);
    }
}

std::optional<int> HotCache::servedVersion(qint64 tenantId, qint64 entryId) const
{
    std::shared_lock lock(m_mutex);
    const auto k = m_keyOfEntry.constFind(entryId);
    if (k == m_keyOfEntry.constEnd() || k->tenantId != tenantId)
        return std::nullopt;
    const auto a = m_answers.constFind(*k);
    if (a == m_answers.constEnd() || a.value()->entryId != entryId)
        return std::nullopt;
    return a.value()->version;
}

void HotCache::setAlias(qint64 tenantId, const QByteArray &queryKey, qint64 entryId, bool serve)
{
    const HotKey key { tenantId, Tier::Exact, queryKey };
    std::unique_lock lock(m_mutex);
    if (serve)
        m_aliases.insert(key, entryId);
    else if (m_aliases.value(key) == entryId)
        m_aliases.remove(key);
}

std::shared_ptr<const CachedAnswer> HotCache::findAlias(
    qint64 tenantId, const QByteArray &queryKey, Tier *entryTier) const
{
    std::shared_lock lock(m_mutex);
    const auto alias = m_aliases.constFind(HotKey { tenantId, Tier::Exact, queryKey });
    if (alias == m_aliases.constEnd())
        return nullptr;
    const auto k = m_keyOfEntry.constFind(*alias);
    if (k == m_keyOfEntry.constEnd() || k->tenantId != tenantId)
        return nullptr;
    const auto a = m_answers.constFind(*k);
    if (a == m_answers.constEnd() || a.value()->entryId != *alias || a.value()->state != VersionState::Approved)
        return nullptr;
    if (entryTier)
        *entryTier = k->tier;
    return a.value();
}

size_t HotCache::aliasCount() const
{
    std::shared_lock lock(m_mutex);
    return size_t(m_aliases.size());
}

size_t HotCache::size() const
{
    std::shared_lock lock(m_mutex);
    return size_t(m_answers.size());
}

size_t HotCache::approvedCount() const
{
    std::shared_lock lock(m_mutex);
    size_t n = 0;
    for (const auto &a : m_answers)
        n += a->state == VersionState::Approved ? 1 : 0;
    return n;
}

} // namespace l0
