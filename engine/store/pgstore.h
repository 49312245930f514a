#pragma once

#include <QByteArray>
#include <QSet>

#include <optional>
#include <vector>

#include "sqlsession.h"
#include "store.h"

typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

namespace l0 {

// The shared store: PostgreSQL over libpq. Prepared statements, one transaction per write,
// reconnect with backoff after the server goes away (calls fail with Unavailable meanwhile).
// One PgStore is one connection; use it from one thread at a time.
class PgStore final : public Store, public SqlSession {
public:
    ~PgStore() override;

    // url: a libpq connection URI (postgresql://user@host:port/db?...).
    static Result<std::unique_ptr<PgStore>> open(const QString &url);

    QString kind() const override { return QStringLiteral("postgresql"); }
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

    // A query result; rows and columns by index, text format.
    class Rows {
    public:
        explicit Rows(PGresult *r = nullptr)
            : m_r(r)
        {
        }
        Rows(Rows &&o) noexcept
            : m_r(o.m_r)
        {
            o.m_r = nullptr;
        }
        Rows &operator=(Rows &&o) noexcept;
        Rows(const Rows &) = delete;
        ~Rows();
        int count() const;
        bool isNull(int row, int col) const;
        QString text(int row, int col) const;
        QByteArray bytes(int row, int col) const;
        qint64 int64(int row, int col) const;
        int affected() const;
        int columns() const;

    private:
        PGresult *m_r;
    };
    SqlSession &session() override { return *this; }
    // SqlSession ('?' placeholders become $1, $2, ...)
    QString dialect() const override { return QStringLiteral("postgresql"); }
    Result<std::vector<Row>> query(const QString &sql, const std::vector<Value> &params = {}) override;
    bool inTransaction() const override { return m_inTransaction; }

    // LISTEN on the change channel. Notifications then arrive on socket(); call
    // takeNotifications() when it is readable.
    Status listenForChanges();
    int socket() const;
    // Reads what arrived; returns how many change notifications there were (-1: connection lost).
    int takeNotifications();

    using Param = std::optional<QByteArray>;
    // Runs a statement, prepared once under name (empty: unnamed, not prepared).
    Result<Rows> exec(const char *name, const char *sql, const std::vector<Param> &params = {});

private:
    PgStore() = default;
    Status ensureConnected();
    Error failure(const QString &what, PGresult *res);
    Result<qint64> nextSeq();
    Status begin() override;
    Status commit() override;
    void rollback() override;
    bool m_inTransaction = false;
    // Runs body inside a transaction; rolls back when it fails.
    template <typename Body> auto inTransaction(Body body) -> decltype(body())
    {
        if (auto s = begin(); !s)
            return s.error();
        auto result = body();
        if (!result) {
            rollback();
            return result;
        }
        if (auto c = commit(); !c) {
            rollback();
            return c.error();
        }
        return result;
    }

    QByteArray m_url;
    PGconn *m_conn = nullptr;
    QSet<QByteArray> m_prepared;
    qint64 m_nextRetryMs = 0;
    int m_backoffMs = 0;
};

} // namespace l0
