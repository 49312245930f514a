#pragma once

#include <QByteArray>
#include <QHash>
#include <QSet>

#include <memory>

#include <chrono>
#include <optional>
#include <vector>

#include "sqlstore.h"

typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

namespace l0 {

// The shared store: PostgreSQL over libpq. Statements are prepared once per connection, one
// transaction per write, reconnect with backoff after the server goes away (calls fail with
// Unavailable meanwhile). Changes are pushed with LISTEN/NOTIFY. One PgStore is one
// connection; use it from one thread at a time.
class PgStore final : public SqlStore {
public:
    ~PgStore() override;

    // url: a libpq connection URI (postgresql://user@host:port/db?...).
    static Result<std::unique_ptr<PgStore>> open(const QString &url);

    QString kind() const override { return QStringLiteral("postgresql"); }
    // One migrator at a time, whichever node or admin runs it.
    Status migrateTo(int version) override;

    // LISTEN on the change channel; notifications then arrive on the connection's socket.
    Status listenForChanges() override;
    int changeSocket() const override;
    int takeNotifications() override;
    // Sends a notification from a second connection and waits up to 3 s for it here.
    Status checkSession() override;

    // SqlSession ('?' placeholders become $1, $2, ...)
    QString dialect() const override { return QStringLiteral("postgresql"); }
    Result<std::vector<Row>> query(const QString &sql, const std::vector<Value> &params = {}) override;
    Result<int> execute(const QString &sql, const std::vector<Value> &params = {}) override;
    Result<qint64> insert(const QString &sql, const std::vector<Value> &params = {}) override;
    Status begin() override;
    Status commit() override;
    void rollback() override;
    bool inTransaction() const override { return m_inTransaction; }
    Result<qint64> nextSeq() override;
    Status announce(const QString &what) override;
    Status lockExclusive(qint64 key) override;
    QString forUpdate() const override { return QStringLiteral(" FOR UPDATE"); }
    QString forUpdateSkipLocked(const QString &ofTable = QString()) const override;
    Result<qint64> lastSeq() override;

    // The ledger's month partitions are made on demand for months this connection has not seen
    // yet; an insert into a month dropped since (retention ran) makes it again and retries, as
    // does a batch rolled back by a deadlock.
    Status appendLedger(const std::vector<CostEvent> &events) override;

protected:
    Result<bool> hasTable(const QString &name) override;
    Status execScript(const QString &statement) override;
    Result<qint64> upsertEntry(const Candidate &candidate, qint64 createdMs) override;
    QString insertIgnoringDuplicates(const QString &intoValues) const override;
    QString blobLiteral(const QByteArray &raw) const override;
    QString blobAsHex(const QString &column) const override;
    QString entryIdsRelation(const std::vector<qint64> &ids, std::vector<Value> *params) const override;
    QString queryOrderColumn() const override { return QStringLiteral("id"); }
    int ledgerBatchRows() const override { return 0; } // arrays: one statement a batch

private:
    PgStore() = default;
    Status ensureConnected();
    Status ensureLedgerMonths(const std::vector<CostEvent> &events);
    Error failure(const QString &what, PGresult *res);
    // Runs a statement with $n placeholders; prepare: once per text on this connection (not
    // for transaction control, LISTEN and migration scripts).
    Result<std::shared_ptr<PGresult>> run(const QByteArray &sql, const std::vector<Value> &params, bool prepare);

    bool m_inTransaction = false;
    QByteArray m_url;
    PGconn *m_conn = nullptr;
    QHash<QByteArray, QByteArray> m_statementNames; // statement text -> prepared name
    QSet<QByteArray> m_prepared; // names prepared on this connection
    std::chrono::steady_clock::time_point m_nextRetry;
    int m_backoffMs = 0;
    QByteArray m_lastSqlState; // of the last failed statement
    bool m_lastNoPartition = false; // it failed for want of a ledger partition
    int m_heldNotifications = 0; // of the change channel, read while checking the session
    QSet<int> m_ledgerMonths; // UTC year * 12 + month - 1 of the partitions known to exist
};

} // namespace l0
