#pragma once

#include <QHash>
#include <QString>

#include <deque>
#include <mutex>
#include <optional>

namespace l0 {

// The ids of the responses this node sent lately and the tenant each was sent to: what
// POST /v1/feedback may name. Bounded (the oldest are forgotten first); thread-safe.
class ResponseBook {
public:
    explicit ResponseBook(qsizetype capacity = 200000);

    void remember(const QString &responseId, qint64 tenantId);
    // The tenant the response was sent to; nullopt when this node never sent it (or forgot it).
    std::optional<qint64> tenantOf(const QString &responseId) const;

private:
    qsizetype m_capacity;
    mutable std::mutex m_mutex;
    QHash<QString, qint64> m_tenants;
    std::deque<QString> m_order; // oldest first
};

} // namespace l0
