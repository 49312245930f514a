#pragma once

#include <QString>

#include <vector>

#include "sqlsession.h"
#include "store.h"

namespace l0 {

// The Store written once over its own SqlSession: the queue's rules (queuerules.h), tenants,
// keys, rule packs and the ledger. A concrete store adds its connection (the SqlSession
// methods), change notification, and the few statements its dialect spells differently
// (below). Same threading contract as Store.
class SqlStore : public Store, public SqlSession {
public:
    SqlSession &session() override { return *this; }
    using SqlSession::clock;
    using SqlSession::setClock;
    Status migrateTo(int version) override;
    Result<int> schemaVersion() override;

    Result<Tenant> addTenant(const QString &name, Policy policy) override;
    Result<Tenant> tenantByName(const QString &name) override;
    Result<std::vector<Tenant>> tenants() override;
    Status setTenantPolicy(const QString &name, Policy policy) override;

    Result<IssuedKey> issueKey(const QString &tenantName, KeyScope scope = KeyScope::Tenant) override;
    Result<std::vector<ApiKeyRecord>> activeKeys() override;

    Result<CandidateReceipt> addCandidate(const Candidate &candidate) override;
    Result<std::vector<QueueItem>> queue(const QueueFilter &filter) override;
    Result<int> decide(
        qint64 entryId, int version, VersionState decision, const QString &reviewer, const QString &reason) override;
    Result<std::vector<VersionChange>> changesSince(qint64 afterSeq, int limit) override;

    Result<RulePackRecord> addRulePack(const QString &tenant, const QString &name, int version,
        const QByteArray &content, const QString &author) override;
    Result<std::vector<RulePackRecord>> rulePacks(const QString &tenant) override;
    Status decideRulePack(qint64 id, bool activate, const QString &reviewer) override;
    Result<std::vector<RulePackRecord>> rulePackChangesSince(qint64 afterSeq) override;

    Status appendLedger(const std::vector<CostEvent> &events) override;
    Status addFeedback(const Feedback &feedback) override;
    Result<std::vector<FeedbackSummary>> feedbackSummary(const QString &tenant, qint64 entryId) override;
    Status addResponseFeedback(const ResponseFeedback &feedback) override;
    Result<LedgerTotals> ledgerTotals(const LedgerFilter &filter) override;

protected:
    // The dialect.
    virtual Result<bool> hasTable(const QString &name) = 0;
    // One statement of a migration script, as written (no parameters).
    virtual Status execScript(const QString &statement) = 0;
    // The entry for (tenant, tier, key): created with demand 1, or its demand bumped. Writers of
    // one key at once go one after the other from here to the end of the transaction.
    virtual Result<qint64> upsertEntry(const Candidate &candidate, qint64 createdMs) = 0;
    // "INSERT INTO " + intoValues, skipping rows a unique key already holds.
    virtual QString insertIgnoringDuplicates(const QString &intoValues) const = 0;
    // A blob as an SQL literal, and a blob column read as hex.
    virtual QString blobLiteral(const QByteArray &raw) const = 0;
    virtual QString blobAsHex(const QString &column) const = 0;
    // A FROM item "… AS ids" with one column id: the given entry ids, in a form that joins
    // them one index probe each.
    virtual QString entryIdsRelation(const std::vector<qint64> &ids, std::vector<Value> *params) const = 0;
    // The column that orders entry_queries as inserted.
    virtual QString queryOrderColumn() const = 0;
    // Ledger rows per INSERT statement; 0: a whole batch as one array per column (PostgreSQL's
    // unnest) instead of rows of parameters.
    virtual int ledgerBatchRows() const = 0;

private:
    QString m_ledgerBatchSql; // built once
    QString m_ledgerSingleSql;
    QString m_ledgerArraySql;
};

} // namespace l0
