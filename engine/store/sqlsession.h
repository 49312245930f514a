#pragma once

#include <QByteArray>
#include <QString>

#include <optional>
#include <vector>

#include "core/result.h"

namespace l0 {

// The common ground of both stores for features written once over plain SQL (the audit chain,
// signed approvals): statements with '?' placeholders, text values, one connection's
// transactions. Belongs to its store and its thread.
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
    virtual Status begin() = 0;
    virtual Status commit() = 0;
    virtual void rollback() = 0;
    // Whether a transaction is open on this session (statements then join it).
    virtual bool inTransaction() const = 0;

    static Value num(qint64 v) { return QByteArray::number(v); }
    static Value str(const QString &s) { return s.isNull() ? QByteArray("") : s.toUtf8(); }
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

} // namespace l0
