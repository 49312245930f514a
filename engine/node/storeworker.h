#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <QTimeZone>
#include <QTimer>

#include <atomic>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include "core/clock.h"
#include "review/safetyscanner.h"
#include "service/recordsink.h"
#include "store/store.h"

class QSocketNotifier;

namespace l0 {

class HotCache;
class Journal;
class ChainGate;
class SigningKey;
class PackDirectory;
class TenantDirectory;
struct Tenant;
struct ReviewerRecord;

// Owns the node's store connection on a thread of its own. Request handlers hand it
// candidates and ledger events without waiting (thread-safe queues); it writes them in
// batches, and keeps the hot cache and the tenant directory in step with the store.
// Writes that fail stay queued and are retried, so a brief database outage loses nothing
// while the process lives.
class StoreWorker final : public QObject, public RecordSink {
    Q_OBJECT
public:
    StoreWorker(QString url, HotCache *cache, TenantDirectory *tenants, PackDirectory *packs, int syncIntervalMs);
    ~StoreWorker() override;

    // Opens the store and runs the first full sync, blocking the caller. Call once, before
    // the node serves. Returns the error that makes the node unable to start.
    Status start();
    // Writes what is queued and stops the thread. Blocks until done.
    void stop();

    void submitCandidate(Candidate candidate) override;
    void submitLedger(CostEvent event) override;
    void submitAnswer(CostEvent event, Candidate candidate) override;
    // Feedback on a served answer, journalled and written like ledger events (never blocks).
    void submitFeedback(Feedback feedback);
    // A client's score for a response (POST /v1/feedback), journalled and written after the
    // ledger events queued before it (never blocks).
    void submitResponseFeedback(ResponseFeedback feedback);
    // A near miss of the semantic tier, journalled and filed as an alias proposal (never blocks).
    void submitNearMiss(AliasProposal proposal) override;
    // Called on the store thread for every alias decision (confirm or reject) this node reads
    // from the store, those made before it started included: what the semantic tier learns
    // its thresholds from. Call before start().
    void setAliasVerdictHandler(std::function<void(const AliasVerdict &)> handler) { m_verdicts = std::move(handler); }

    bool isReady() const { return m_ready.load(); }
    qint64 pendingWrites() const;
    // Test hook: run a sync and a flush now (blocking).
    void syncNow();

    // With pinned admin keys, approved versions are served only when their signed approvals
    // verify up to one of them. Call before start().
    // Journal every candidate and ledger event under base (segments base.N) before it is
    // acknowledged, and replay what an earlier run left there at start. Call before start().
    void setJournal(const QString &base) { m_journalBase = base; }

    // The time outages and sync intervals are measured in. Call before start().
    void setClock(const Clock *clock) { m_clock = clock; }

    // The time zone a hard monthly budget's month is counted in. Call before start().
    void setBudgetTimeZone(const QTimeZone &zone) { m_budgetZone = zone; }

    void setPinnedAdminKeys(std::vector<std::shared_ptr<SigningKey>> keys) { m_pins = std::move(keys); }
    // Told of every version change right after the hot cache, on the store thread, with the state
    // the node serves it in (refused by the gate or the signatures: Revoked). The semantic index
    // follows the store this way. Call before start().
    void setChangeListener(std::function<void(const VersionChange &)> listener)
    {
        m_changeListener = std::move(listener);
    }
    // Whether approvals go unverified, and what the audit chain check refuses (any thread).
    QByteArray renderTrustMetrics() const;

    // Tenant safety profiles: dir/TENANT.json merged over the built-in profile, loaded by
    // start() (a profile that does not load stops the start). Call before start().
    void setSafetyProfiles(const QString &dir) { m_safetyDir = dir; }

private:
    void open();
    void tick();
    void flush();
    // Files candidates in one transaction; one by one where the store refuses some. How many
    // are done with (written or refused): fewer than all when the store became unavailable.
    size_t writeCandidates(std::vector<Candidate> &candidates);
    void sync();
    void markUnavailable(const Error &error);
    void listen();
    QSocketNotifier *m_notifier = nullptr;
    int m_listenSocket = -1;

    QString m_url;
    HotCache *m_cache;
    TenantDirectory *m_tenants;
    PackDirectory *m_packs;
    int m_syncIntervalMs;
    const Clock *m_clock = Clock::system();
    qint64 m_lastPackSeq = 0;
    QTimeZone m_budgetZone = QTimeZone::utc();
    void refreshSpentBudgets(const std::vector<Tenant> &tenants);
    std::vector<std::shared_ptr<SigningKey>> m_pins;
    std::unique_ptr<ChainGate> m_gate; // versions and packs served only as the audit chain says
    SafetyScanner m_scanner; // the built-in profile
    QString m_safetyDir;
    QHash<QString, SafetyScanner> m_tenantScanners; // by tenant name
    const SafetyScanner &scannerFor(qint64 tenantId) const;
    Status loadSafetyProfiles();
    void scoreCandidate(Candidate &c) const;
    std::function<void(const VersionChange &)> m_changeListener;
    QString m_journalBase;
    std::unique_ptr<Journal> m_journal;
    QStringList m_unconfirmedSegments;
    QByteArray m_nodeId;
    std::atomic<qint64> m_nextUid { 0 };
    QString nextUid();
    template <typename Enqueue> void journalThenQueue(std::initializer_list<QByteArray> records, Enqueue enqueue);
    Status replayJournal();
    std::unique_ptr<QThread> m_thread;
    std::unique_ptr<Store> m_store;
    QTimer *m_timer = nullptr;
    qint64 m_lastSeq = 0;
    qint64 m_lastSyncMs = 0;
    // Ledger partitions ahead and raw retention: at the first sync, then hourly.
    void maintainLedgerHourly();
    qint64 m_lastLedgerMaintenanceMs = 0;
    std::atomic<bool> m_ready { false };
    qint64 m_outageStartMs = 0;
    Status m_startStatus;

    mutable std::mutex m_queueMutex;
    // Submitters hold it shared while journalling and queueing; flush holds it exclusively to
    // rotate the journal and take the queues, so a closed segment holds exactly that batch.
    std::shared_mutex m_rotateLock;
    std::vector<Candidate> m_candidates;
    std::vector<CostEvent> m_ledger;
    std::vector<Feedback> m_feedback;
    std::vector<ResponseFeedback> m_scores;
    std::vector<AliasProposal> m_nearMisses;
    qint64 m_lastAliasSeq = 0;
    std::function<void(const AliasVerdict &)> m_verdicts;
    // Reads alias decisions after m_lastAliasSeq: confirmed ones the chain admits serve.
    bool syncAliases(const std::vector<ReviewerRecord> &reviewers);
    // Files queued near misses; false when the store became unavailable (what is left stays queued).
    bool writeNearMisses(std::vector<AliasProposal> &nearMisses);
};

} // namespace l0
