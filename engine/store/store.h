#pragma once

#include <limits>
#include <memory>
#include <vector>

#include "core/result.h"
#include "sqlsession.h"
#include "storetypes.h"

namespace l0 {

// The persistent store. One Store object owns one database connection and must be used from
// one thread at a time (the thread that opened it). Every method returns an error value on
// failure and leaves the database unchanged (each write is one transaction).
class Store {
public:
    virtual ~Store() = default;

    virtual QString kind() const = 0; // "sqlite" or "postgresql"
    // Plain SQL on this store's connection, for features written once for both stores.
    virtual SqlSession &session() = 0;

    // Where the store's "now" comes from (lease checks, lifetimes, the times it stamps). Not
    // owned; it must outlive the store. Null: the system clock.
    void setClock(const Clock *clock) { session().setClock(clock); }
    const Clock &clock() { return session().clock(); }

    // Change notification. Every write announces what it changed when it commits (new
    // candidates, decisions, claims, rule packs, reviewers: SqlSession::announce).
    // listenForChanges() subscribes this store's connection; afterwards, while changeSocket()
    // is >= 0, watch that descriptor for reading and call takeNotifications() when it is
    // readable. changeSocket() < 0: nothing is pushed to this store, poll instead (the change
    // counter and queueFingerprint() are cheap). Listeners poll besides in any case: a
    // notification that arrives while a query runs is read with the query's answer and the
    // socket never signals it. After a reconnect the socket changes: listen again.
    virtual Status listenForChanges() = 0;
    virtual int changeSocket() const = 0;
    // Reads what arrived: the number of change notifications (0: none), or -1 when the
    // connection was lost (stop watching its socket; listen again once the store answers).
    virtual int takeNotifications() = 0;
    // Ok when this connection is a session of its own: a notification sent while it is idle
    // reaches it. A transaction-pooling connection pooler (PgBouncer's pool_mode=transaction)
    // fails this, and would also lose prepared statements; the node refuses to start on it.
    virtual Status checkSession() { return {}; }

    // Applies every migration not yet applied. Idempotent.
    Status migrate() { return migrateTo(std::numeric_limits<int>::max()); }
    // Applies those not yet applied up to the numbered one (an upgrade test's older schema).
    virtual Status migrateTo(int version) = 0;
    virtual Result<int> schemaVersion() = 0;
    static int latestSchemaVersion();
    // Ok when the schema is current; an error telling to run `l0ctl migrate` otherwise.
    Status checkSchema();

    virtual Result<Tenant> addTenant(const QString &name, Policy policy) = 0;
    virtual Result<Tenant> tenantByName(const QString &name) = 0;
    virtual Result<std::vector<Tenant>> tenants() = 0;
    virtual Status setTenantPolicy(const QString &name, Policy policy) = 0;

    // Makes a new random key for the tenant; only its hash is stored.
    virtual Result<IssuedKey> issueKey(const QString &tenantName, KeyScope scope = KeyScope::Tenant) = 0;
    virtual Result<std::vector<ApiKeyRecord>> activeKeys() = 0;

    // Files a candidate under the entry for (tenant, tier, key), creating the entry if needed.
    // An identical pending answer only bumps the entry's demand counter.
    virtual Result<CandidateReceipt> addCandidate(const Candidate &candidate) = 0;
    virtual Result<std::vector<QueueItem>> queue(const QueueFilter &filter) = 0;
    // version <= 0: the newest pending version of the entry.
    virtual Result<int> decide(
        qint64 entryId, int version, VersionState decision, const QString &reviewer, const QString &reason)
        = 0;
    // State changes with seq > afterSeq, oldest first, at most limit.
    virtual Result<std::vector<VersionChange>> changesSince(qint64 afterSeq, int limit) = 0;

    // Rule packs: stored as given (the caller validates them); a version serves once activated.
    virtual Result<RulePackRecord> addRulePack(
        const QString &tenant, const QString &name, int version, const QByteArray &content, const QString &author)
        = 0;
    virtual Result<std::vector<RulePackRecord>> rulePacks(const QString &tenant) = 0; // empty: all tenants
    // Activates a pending version (retiring the tenant's active one), or rejects it.
    virtual Status decideRulePack(qint64 id, bool activate, const QString &reviewer) = 0;
    // Packs whose state changed after seq, oldest first, with their content.
    virtual Result<std::vector<RulePackRecord>> rulePackChangesSince(qint64 afterSeq) = 0;

    virtual Status appendLedger(const std::vector<CostEvent> &events) = 0;
    // Feedback on served answers. NotFound when the entry is not the tenant's; one whose uid is
    // already stored is skipped.
    virtual Status addFeedback(const Feedback &feedback) = 0;
    // Per entry version, most thumbs-down first; tenant empty: all; entryId 0: all.
    virtual Result<std::vector<FeedbackSummary>> feedbackSummary(const QString &tenant, qint64 entryId) = 0;
    // A client's score for a response (POST /v1/feedback): one per tenant, response id and end
    // user, a later one (by createdMs) replacing the earlier. NotFound when no ledger event of the
    // tenant carries that response id.
    virtual Status addResponseFeedback(const ResponseFeedback &feedback) = 0;
    virtual Result<LedgerTotals> ledgerTotals(const LedgerFilter &filter) = 0;
};

// Opens a store from a URL: "sqlite:PATH" (also "sqlite://PATH") or "postgresql://…".
Result<std::unique_ptr<Store>> openStore(const QString &url);

} // namespace l0
