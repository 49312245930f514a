#pragma once

#include <QSqlDatabase>
#include <QSqlQuery>

#include "sqlsession.h"
#include "store.h"

namespace l0 {

// The embedded store: one SQLite file through Qt Sql, WAL mode, synchronous=FULL so a
// committed write survives a crash. See Store for the threading contract.
class SqliteStore final : public Store, public SqlSession {
public:
    ~SqliteStore() override;

    static Result<std::unique_ptr<SqliteStore>> open(const QString &path);

    QString kind() const override { return QStringLiteral("sqlite"); }
    Status migrate() override;
    Result<int> schemaVersion() override;

    Result<Tenant> addTenant(const QString &name, Policy policy) override;
    Result<Tenant> tenantByName(const QString &name) override;
    Result<std::vector<Tenant>> tenants() override;
    Status setTenantPolicy(const QString &name, Policy policy) override;

    Result<IssuedKey> issueKey(const QString &tenantName) override;
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
    Result<LedgerTotals> ledgerTotals(const LedgerFilter &filter) override;

    SqlSession &session() override { return *this; }
    // SqlSession
    QString dialect() const override { return QStringLiteral("sqlite"); }
    Result<std::vector<Row>> query(const QString &sql, const std::vector<Value> &params = {}) override;
    Status begin() override;
    Status commit() override;
    void rollback() override;
    bool inTransaction() const override { return m_inTransaction; }

private:
    friend class SqliteTransaction;
    SqliteStore() = default;
    bool m_inTransaction = false;
    Result<qint64> nextSeq();

    QString m_connectionName;
    QSqlDatabase m_db;
    std::unique_ptr<QSqlQuery> m_ledgerBatch; // prepared once, reused
    std::unique_ptr<QSqlQuery> m_ledgerSingle;
};

} // namespace l0
