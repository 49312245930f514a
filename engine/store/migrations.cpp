#include "migrations.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <algorithm>

#include "core/resources.h"

namespace l0 {

QStringList splitSqlStatements(const QString &script)
{
    QStringList out;
    QString current;
    bool inTrigger = false;
    bool inDollar = false;
    const QStringList lines = script.split(QLatin1Char('\n'));
    for (const QString &rawLine : lines) {
        const QString line = rawLine.trimmed();
        if (current.trimmed().isEmpty() && line.startsWith(QLatin1String("--")))
            continue;
        current += rawLine + QLatin1Char('\n');
        const QString upper = line.toUpper();
        // A SQLite trigger body (BEGIN ... END;) holds semicolons; a PostgreSQL trigger is one
        // statement naming a function.
        if (upper == QLatin1String("BEGIN") || upper.endsWith(QLatin1String(" BEGIN")))
            inTrigger = inTrigger || current.trimmed().toUpper().startsWith(QLatin1String("CREATE TRIGGER"));
        if (line.count(QLatin1String("$$")) % 2 == 1)
            inDollar = !inDollar;
        if (inDollar || !line.endsWith(QLatin1Char(';')))
            continue;
        if (inTrigger && !upper.startsWith(QLatin1String("END")))
            continue;
        inTrigger = false;
        QString stmt = current.trimmed();
        stmt.chop(1);
        if (!stmt.trimmed().isEmpty())
            out << stmt;
        current.clear();
    }
    if (!current.trimmed().isEmpty())
        out << current.trimmed();
    return out;
}

std::vector<Migration> loadMigrations(const QString &dialect)
{
    ensureEngineResources();
    std::vector<Migration> result;
    QDir dir(QStringLiteral(":/l0/migrations/") + dialect);
    static const QRegularExpression re(QStringLiteral("^(\\d{4})_(\\w+)\\.sql$"));
    for (const QString &file : dir.entryList(QDir::Files, QDir::Name)) {
        const auto m = re.match(file);
        if (!m.hasMatch())
            continue;
        QFile f(dir.filePath(file));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        Migration mig;
        mig.number = m.captured(1).toInt();
        mig.name = m.captured(2);
        mig.statements = splitSqlStatements(QString::fromUtf8(f.readAll()));
        result.push_back(std::move(mig));
    }
    std::sort(result.begin(), result.end(), [](const Migration &a, const Migration &b) { return a.number < b.number; });
    return result;
}

} // namespace l0
