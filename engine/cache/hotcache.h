#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

#include <memory>
#include <optional>
#include <shared_mutex>

#include "core/chat.h"
#include "core/entry.h"
#include "core/tier.h"

namespace l0 {

// An answer the node may serve (subject to the tenant's policy).
struct CachedAnswer {
    qint64 entryId = 0;
    int version = 0;
    VersionState state = VersionState::Pending; // Approved, or Pending for auto_low_risk
    QString risk;
    ChatResult result;
    qint64 expiresMs = 0; // not served from then on; 0: no end of life
};

struct HotKey {
    qint64 tenantId = 0;
    Tier tier = Tier::Exact;
    QByteArray key; // hex
    bool operator==(const HotKey &o) const { return tenantId == o.tenantId && tier == o.tier && key == o.key; }
};
size_t qHash(const HotKey &k, size_t seed = 0);

// In-memory answers by (tenant, tier, key). Many readers, few writers: lookups take a shared
// lock and return a shared pointer, so an answer stays valid while it is being written out
// even if a revocation removes it at the same moment. Thread-safe.
class HotCache {
public:
    std::shared_ptr<const CachedAnswer> find(const HotKey &key) const;

    // Applies a state change from the store: approved versions (and pending low-risk ones,
    // kept for auto_low_risk tenants) are inserted; anything else removes that version.
    void apply(const VersionChange &change);

    size_t size() const;
    size_t approvedCount() const;

    // The version of an entry of the tenant's that this cache serves, if it serves one.
    std::optional<int> servedVersion(qint64 tenantId, qint64 entryId) const;

    // Aliases: a query's exact key that a reviewer confirmed is the same question as an entry
    // of the tenant's. The alias names the entry, not a version: it serves whatever approved
    // version the entry serves, and nothing once the entry serves nothing (revoked, expired).
    // serve false removes the alias if it names that entry.
    void setAlias(qint64 tenantId, const QByteArray &queryKey, qint64 entryId, bool serve);
    // The approved answer the alias's entry serves (never a pending one), and the tier the entry
    // is filed under; null when the key is no alias or its entry serves nothing approved.
    std::shared_ptr<const CachedAnswer> findAlias(qint64 tenantId, const QByteArray &queryKey, Tier *entryTier) const;
    size_t aliasCount() const;

private:
    mutable std::shared_mutex m_mutex;
    QHash<HotKey, std::shared_ptr<const CachedAnswer>> m_answers;
    QHash<qint64, HotKey> m_keyOfEntry; // an entry has one key; checked against m_answers on use
    QHash<HotKey, qint64> m_aliases; // (tenant, exact, query key) -> entry
};

} // namespace l0
