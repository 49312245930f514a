#pragma once

#include <QTemporaryDir>

#include <memory>

#include "store/store.h"
#ifdef L0_STORE_PG
#include "pgserver.h"
#endif

// The store a test runs on, migrated: a PostgreSQL server the test starts in builds with
// L0_STORE_PG (the _pg variants of a test), otherwise a SQLite file in a temporary directory.
class TestStore {
public:
    // Empty, with *error saying why, when the store cannot be had.
    std::unique_ptr<l0::Store> open(const QString &name, QString *error)
    {
#ifdef L0_STORE_PG
        Q_UNUSED(name); // one server per test: the name is for SQLite's file
        if (!m_pg.start(error))
            return nullptr;
        m_url = m_pg.url();
#else
        m_url = QStringLiteral("sqlite:") + m_dir.filePath(name + QStringLiteral(".sqlite"));
#endif
        auto s = l0::openStore(m_url);
        if (!s) {
            *error = s.error().toString();
            return nullptr;
        }
        if (auto m = (*s)->migrate(); !m) {
            *error = m.error().toString();
            return nullptr;
        }
        return std::move(s.value());
    }
    // Where the store is, for a node or a second connection.
    QString url() const
    {
        return m_url;
    }
#ifdef L0_STORE_PG
    PgServer &pg()
    {
        return m_pg;
    }
#endif

private:
    QTemporaryDir m_dir;
#ifdef L0_STORE_PG
    PgServer m_pg;
#endif
    QString m_url;
};
