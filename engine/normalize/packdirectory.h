#pragma once

#include <QHash>

#include <memory>
#include <shared_mutex>

namespace l0 {

class IntentMatcher;

// Each tenant's active rule pack, compiled. Updated by the store worker; read by every
// request. Thread-safe.
class PackDirectory {
public:
    std::shared_ptr<const IntentMatcher> matcherFor(qint64 tenantId) const;
    void set(qint64 tenantId, qint64 packId, std::shared_ptr<const IntentMatcher> matcher);
    // Removes the tenant's pack if it is packId.
    void retire(qint64 tenantId, qint64 packId);
    int size() const;

private:
    struct Active {
        qint64 packId = 0;
        std::shared_ptr<const IntentMatcher> matcher;
    };
    mutable std::shared_mutex m_mutex;
    QHash<qint64, Active> m_active;
};

} // namespace l0
