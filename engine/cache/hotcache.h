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

private:
    mutable std::shared_mutex m_mutex;
    QHash<HotKey, std::shared_ptr<const CachedAnswer>> m_answers;
    QHash<qint64, HotKey> m_keyOfEntry; // an entry has one key; checked against m_answers on use
};

} // namespace l0
