#include "store.h"

#include "migrations.h"
#include "pgstore.h"
#include "sqlitestore.h"

namespace l0 {

int Store::latestSchemaVersion()
{
    const auto migrations = loadMigrations(QStringLiteral("sqlite"));
    return migrations.empty() ? 0 : migrations.back().number;
}

Status Store::checkSchema()
{
    auto v = schemaVersion();
    if (!v)
        return v.error();
    const int latest = latestSchemaVersion();
    if (*v < latest) {
        return makeError(ErrorCode::Conflict,
            QStringLiteral("database schema is at version %1, this program needs %2: "
                           "run `l0ctl migrate`")
                .arg(*v)
                .arg(latest));
    }
    if (*v > latest) {
        return makeError(ErrorCode::Conflict,
            QStringLiteral("database schema version %1 is newer than this program "
                           "knows (%2): upgrade l0")
                .arg(*v)
                .arg(latest));
    }
    return {};
}

Result<std::unique_ptr<Store>> openStore(const QString &url)
{
    if (url.startsWith(QLatin1String("sqlite:"))) {
        QString path = url.mid(7);
        if (path.startsWith(QLatin1String("//")))
            path = path.mid(2);
        if (path.isEmpty())
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("sqlite: URL needs a file path"));
        auto s = SqliteStore::open(path);
        if (!s)
            return s.error();
        return std::unique_ptr<Store>(std::move(s.value()));
    }
    if (url.startsWith(QLatin1String("postgresql://")) || url.startsWith(QLatin1String("postgres://"))) {
        auto s = PgStore::open(url);
        if (!s)
            return s.error();
        return std::unique_ptr<Store>(std::move(s.value()));
    }
    return makeError(ErrorCode::InvalidArgument,
        QStringLiteral("unknown database URL (use sqlite:PATH or postgresql://…): %1").arg(url));
}

} // namespace l0
