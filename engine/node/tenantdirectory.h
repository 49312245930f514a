#pragma once

#include <QByteArray>
#include <QHash>
#include <QSet>

#include <memory>
#include <optional>
#include <shared_mutex>
#include <vector>

#include "core/experiment.h"
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

    // The tenants' running experiments (at most one each), refreshed with every sync.
    void setExperiments(const std::vector<Experiment> &experiments);
    // The experiment tenantId runs, if any; shared, immutable.
    std::shared_ptr<const Experiment> experimentFor(qint64 tenantId) const;

private:
    mutable std::shared_mutex m_mutex;
    QHash<qint64, Tenant> m_tenants;
    QHash<QString, qint64> m_idByName; // tokens name their tenant
    QHash<QByteArray, ApiKeyRecord> m_keysByHash;
    QSet<qint64> m_budgetSpent;
    QHash<qint64, std::shared_ptr<const Experiment>> m_experiments;
};

} // namespace l0
