#pragma once

#include <QHash>
#include <QString>

#include <memory>
#include <shared_mutex>

#include "semanticprofile.h"

namespace l0 {

// The questions a tenant's semantic index holds, as the guards see them (one profile per
// entry), and how often each content stem occurs among them (the rare-word guard's document
// frequencies: learned from the tenant's own entries, nothing shipped). Whoever indexes an
// entry's vector adds it here too (the node's semantic indexer, the replay). Thread-safe.
class SemanticCorpus {
public:
    void add(qint64 tenantId, qint64 entryId, const QString &text, const QByteArray &context);
    void remove(qint64 tenantId, qint64 entryId);

    std::shared_ptr<const SemanticProfile> profile(qint64 tenantId, qint64 entryId) const;
    // idf / ln(N + 1) of a stem among the tenant's questions (see GuardOptions).
    double rarity(qint64 tenantId, const QString &stem) const;
    qint64 documents(qint64 tenantId) const;

private:
    struct TenantCorpus {
        QHash<qint64, std::shared_ptr<const SemanticProfile>> profiles;
        QHash<QString, qint32> df;
        qint64 documents = 0;
    };
    mutable std::shared_mutex m_mutex;
    QHash<qint64, TenantCorpus> m_tenants;
};

} // namespace l0
