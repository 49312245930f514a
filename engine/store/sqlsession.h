#pragma once

#include <QByteArray>
#include <QString>

#include <optional>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace l0 {

// The common ground of both stores, over which the queue's rules, the audit chain and signed
// approvals are written once: statements with '?' placeholders, text values, one connection's
// transactions, and the few things the two SQL dialects spell differently. Belongs to its
// store and its thread.
class SqlSession {
public:
    using Value = std::optional<QByteArray>; // nullopt: SQL NULL

    struct Row {
        std::vector<Value> cols;
        bool isNull(size_t i) const { return i >= cols.size() || !cols[i]; }
        QString text(size_t i) const { return isNull(i) ? QString() : QString::fromUtf8(*cols[i]); }
        QByteArray bytes(size_t i) const { return isNull(i) ? QByteArray() : *cols[i]; }
        qint64 int64(size_t i) const { return isNull(i) ? 0 : cols[i]->toLongLong(); }
    };

    virtual ~SqlSession() = default;
    virtual QString dialect() const = 0; // "sqlite" or "postgresql"
    virtual Result<std::vector<Row>> query(const QString &sql, const std::vector<Value> &params = {}) = 0;
    // A statement that returns no rows; how many rows it changed.
    virtual Result<int> execute(const QString &sql, const std::vector<Value> &params = {}) = 0;
    // An INSERT of one row; the id the database gave it.
    virtual Result<qint64> insert(const QString &sql, const std::vector<Value> &params = {}) = 0;
    virtual Status begin() = 0;
    virtual Status commit() = 0;
    virtual void rollback() = 0;
    // Whether a transaction is open on this session (statements then join it).
    virtual bool inTransaction() const = 0;

    // The next change sequence number: every state change a node or console must see gets one.
    virtual Result<qint64> nextSeq() = 0;
    // Tells every listening store that something changed ("queue", "claim", "version",
    // "rulepack", "reviewer"); delivered when the transaction commits (see Store::listenForChanges).
    virtual Status announce(const QString &what) = 0;
    // The last change sequence number given out (0: none yet).
    virtual Result<qint64> lastSeq() = 0;
    // Holds an exclusive lock named key until the transaction ends, for writers that must go
    // one at a time (extending the audit chain).
    virtual Status lockExclusive(qint64 key) = 0;
    // " FOR UPDATE" where rows read in a transaction must be locked against other writers; empty
    // where the write transaction holds the whole database already.
    virtual QString forUpdate() const = 0;
    // " FOR UPDATE [OF table] SKIP LOCKED" where concurrent claimers must neither wait for nor take
    // each other's rows; empty where the write transaction holds the whole database already.
    virtual QString forUpdateSkipLocked(const QString &ofTable = QString()) const = 0;

    // Where "now" comes from for what this session stamps (audit rows, registrations, leases
    // and lifetimes the store computes). Not owned; null: the system clock.
    const Clock &clock() const { return *m_clock; }
    void setClock(const Clock *clock) { m_clock = clock ? clock : Clock::system(); }

    static Value num(qint64 v) { return QByteArray::number(v); }
    static Value str(const QString &s) { return s.isNull() ? QByteArray("") : s.toUtf8(); }

private:
    const Clock *m_clock = Clock::system();
};

// Runs body (returning Status or Result<T>) in a transaction, unless one is already open.
template <typename Body> auto withTransaction(SqlSession &s, Body body) -> decltype(body())
{
    if (s.inTransaction())
        return body();
    if (auto st = s.begin(); !st)
        return st.error();
    auto result = body();
    if (!result) {
        s.rollback();
        return result;
    }
    if (auto c = s.commit(); !c) {
        s.rollback();
        return c.error();
    }
    return result;
}

// Older spellings of SqlSession::nextSeq() and SqlSession::announce().
inline Result<qint64> nextChangeSeq(SqlSession &s)
{
    return s.nextSeq();
}
inline Status notifyChange(SqlSession &s, const QString &what)
{
    return s.announce(what);
}

} // namespace l0
