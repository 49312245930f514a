#pragma once

#include <QString>
#include <QStringList>

#include <vector>

namespace l0 {

struct Migration {
    int number = 0;
    QString name;
    QStringList statements;
};

// The numbered migrations for a dialect ("sqlite" or "postgresql"), in order, from the
// resources compiled into the engine.
std::vector<Migration> loadMigrations(const QString &dialect);

// Splits an SQL script into statements at semicolons that end a line, keeping
// CREATE TRIGGER … END; and $$-quoted bodies whole. Comment-only parts are dropped.
QStringList splitSqlStatements(const QString &script);

} // namespace l0
