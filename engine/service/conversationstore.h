#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <deque>
#include <mutex>
#include <optional>

namespace l0 {

class Clock;

// Responses the node stored for previous_response_id and GET /v1/responses/{id}: per tenant
// (another tenant's id is not found), kept for a retention (the node's, or the tenant's own)
// and at most maxEntries of them (the oldest go first). In memory: a node restarted, or another node, does not know
// them (see the README on Responses behind a load balancer). Thread-safe.
class ConversationStore {
public:
    struct Stored {
        qint64 tenantId = 0;
        QJsonArray conversation; // chat messages up to and including the answer, without instructions
        QJsonObject response; // the response object as the client received it
        qint64 createdMs = 0;
        qint64 expiresMs = 0;
    };

    ConversationStore(const Clock *clock, qint64 retentionMs, int maxEntries);

    // Keeps it for retentionMs (unset: the store's default; 0 or less: not at all).
    void put(const QString &id, Stored stored, std::optional<qint64> retentionMs = std::nullopt);
    // retentionNow: the tenant's retention as it is now (unset: as when it was stored), so a
    // shortened retention applies to what is stored already.
    std::optional<Stored> get(
        qint64 tenantId, const QString &id, std::optional<qint64> retentionNow = std::nullopt) const;
    bool remove(qint64 tenantId, const QString &id);
    int size() const;
    qint64 retentionMs() const { return m_retentionMs; }

private:
    void evict(qint64 nowMs); // under the lock

    const Clock *m_clock;
    qint64 m_retentionMs;
    int m_maxEntries;
    mutable std::mutex m_mutex;
    QHash<QString, Stored> m_byId;
    std::deque<QString> m_order; // insertion order, for eviction
};

} // namespace l0
