#pragma once

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>

#include <memory>

#include "sqlstore.h"

namespace l0 {

// The embedded store: one SQLite file through Qt Sql, WAL mode, synchronous=FULL so a
// committed write survives a crash. Transactions are BEGIN IMMEDIATE (the write lock up front).
// Nothing is pushed on changes: the writers of one file (nodes, consoles, l0ctl) are other
// processes, which SQLite has no way to signal, so listeners poll. See Store for the threading
// contract.
class SqliteStore final : public SqlStore {
public:
    ~SqliteStore() override;

    static Result<std::unique_ptr<SqliteStore>> open(const QString &path);

    QString kind() const override { return QStringLiteral("sqlite"); }

    Status listenForChanges() override { return {}; }
    int changeSocket() const override { return -1; }
    int takeNotifications() override { return 0; }

    // SqlSession
    QString dialect() const override { return QStringLiteral("sqlite"); }
    Result<std::vector<Row>> query(const QString &sql, const std::vector<Value> &params = {}) override;
    Result<int> execute(const QString &sql, const std::vector<Value> &params = {}) override;
    Result<qint64> insert(const QString &sql, const std::vector<Value> &params = {}) override;
    Status begin() override;
    Status commit() override;
    void rollback() override;
    bool inTransaction() const override { return m_inTransaction; }
    Result<qint64> nextSeq() override;
    Status announce(const QString &) override { return {}; }
    Status lockExclusive(qint64) override { return {}; } // the write transaction is exclusive
    QString forUpdate() const override { return QString(); }
    QString forUpdateSkipLocked(const QString & = QString()) const override { return QString(); }
    Result<qint64> lastSeq() override;

protected:
    Result<bool> hasTable(const QString &name) override;
    Status execScript(const QString &statement) override;
    Result<qint64> upsertEntry(const Candidate &candidate, qint64 createdMs) override;
    QString insertIgnoringDuplicates(const QString &intoValues) const override;
    QString blobLiteral(const QByteArray &raw) const override;
    QString blobAsHex(const QString &column) const override;
    QString entryIdsRelation(const std::vector<qint64> &ids, std::vector<Value> *params) const override;
    QString queryOrderColumn() const override { return QStringLiteral("rowid"); }
    int ledgerBatchRows() const override { return 64; }

private:
    SqliteStore() = default;
    // Runs a statement prepared once per text (a few dozen texts are in use).
    Result<QSqlQuery *> run(const QString &sql, const std::vector<Value> &params);

    bool m_inTransaction = false;
    QString m_connectionName;
    QSqlDatabase m_db;
    QHash<QString, std::shared_ptr<QSqlQuery>> m_statements;
};

} // namespace l0
