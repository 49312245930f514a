#pragma once

#include <QByteArray>
#include <QHash>
#include <QSet>

#include <optional>
#include <shared_mutex>
#include <vector>

#include "core/tenant.h"

namespace l0 {

// API keys (by hash) to tenants, refreshed from the store. Thread-safe.
class TenantDirectory {
public:
    // Resolves a presented key. The key is hashed first, and the stored hash is compared in
    // constant time, so neither the key nor its hash leaks through timing.
    std::optional<Tenant> authenticate(const QByteArray &presentedKey) const;
    // The same, with what the key may read besides its tenant.
    struct KeyHolder {
        Tenant tenant;
        KeyScope scope = KeyScope::Tenant;
    };
    std::optional<KeyHolder> holder(const QByteArray &presentedKey) const;
    std::optional<Tenant> tenant(qint64 id) const;
    std::optional<Tenant> tenantByName(const QString &name) const;
    // Every tenant, by id.
    std::vector<Tenant> tenants() const;

    void replace(const std::vector<Tenant> &tenants, const std::vector<ApiKeyRecord> &keys);

    // Tenants with a hard monthly budget that is spent (from the store's ledger, refreshed
    // with every sync): their misses are refused until the month turns or the budget grows.
    void setBudgetSpent(QSet<qint64> tenantIds);
    bool budgetSpent(qint64 tenantId) const;
    int keyCount() const;

private:
    mutable std::shared_mutex m_mutex;
    QHash<qint64, Tenant> m_tenants;
    QHash<QString, qint64> m_idByName; // tokens name their tenant
    QHash<QByteArray, ApiKeyRecord> m_keysByHash;
    QSet<qint64> m_budgetSpent;
};

} // namespace l0
