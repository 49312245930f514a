#include "commandsupport.h"

#include <QDateTime>
#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QProcessEnvironment>
#include <QTimeZone>

#include "passphrase.h"
#include "review/safetyprofile.h"

namespace l0 {

int fail(QTextStream &err, const QString &message, int code)
{
    err << "l0ctl: " << message << Qt::endl;
    return code;
}

QString dbUrl(const CommandLine &cmd)
{
    if (cmd.isSet(QStringLiteral("db")))
        return cmd.value(QStringLiteral("db"));
    return QProcessEnvironment::systemEnvironment().value(QStringLiteral("L0_DB"));
}

std::unique_ptr<Store> openOrFail(const CommandLine &cmd, QTextStream &err, bool checkSchema)
{
    const QString url = dbUrl(cmd);
    if (url.isEmpty()) {
        fail(err, QStringLiteral("no database: pass --db URL or set L0_DB"));
        return nullptr;
    }
    auto store = openStore(url);
    if (!store) {
        fail(err, store.error().message);
        return nullptr;
    }
    if (checkSchema) {
        if (auto s = (*store)->checkSchema(); !s) {
            fail(err, s.error().message);
            return nullptr;
        }
    }
    return std::move(store.value());
}

void printJson(QTextStream &out, const QJsonObject &object)
{
    out << QJsonDocument(object).toJson(QJsonDocument::Compact) << Qt::endl;
}

void printJson(QTextStream &out, const QJsonArray &array)
{
    out << QJsonDocument(array).toJson(QJsonDocument::Compact) << Qt::endl;
}

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(Qt::ISODateWithMs);
}

std::optional<qint64> parseTime(const QString &text, qint64 nowMs)
{
    static const QHash<QChar, qint64> units { { QLatin1Char('m'), 60'000 }, { QLatin1Char('h'), 3'600'000 },
        { QLatin1Char('d'), 86'400'000 } };
    if (text.size() >= 2 && units.contains(text.back())) {
        bool ok = false;
        const qint64 n = text.left(text.size() - 1).toLongLong(&ok);
        if (ok && n >= 0)
            return nowMs - n * units.value(text.back());
    }
    QDateTime dt = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!dt.isValid())
        dt = QDateTime::fromString(text, Qt::ISODate);
    if (!dt.isValid()) {
        const QDate d = QDate::fromString(text, Qt::ISODate);
        if (d.isValid())
            dt = QDateTime(d, QTime(0, 0), QTimeZone::utc());
    }
    if (!dt.isValid())
        return std::nullopt;
    if (dt.timeSpec() == Qt::LocalTime)
        dt.setTimeZone(QTimeZone::utc());
    return dt.toMSecsSinceEpoch();
}

std::optional<qint64> parseDuration(const QString &text)
{
    static const QHash<QChar, qint64> units { { QLatin1Char('s'), 1000 }, { QLatin1Char('m'), 60'000 },
        { QLatin1Char('h'), 3'600'000 }, { QLatin1Char('d'), 86'400'000 } };
    bool ok = false;
    if (!text.isEmpty() && units.contains(text.back())) {
        const qint64 n = text.left(text.size() - 1).toLongLong(&ok);
        return ok && n >= 0 ? std::optional<qint64>(n * units.value(text.back())) : std::nullopt;
    }
    const qint64 n = text.toLongLong(&ok);
    return ok && n >= 0 ? std::optional<qint64>(n) : std::nullopt;
}

QString dollars(qint64 micros)
{
    const qint64 a = micros < 0 ? -micros : micros;
    return QStringLiteral("%1$%2.%3")
        .arg(micros < 0 ? QStringLiteral("-") : QString())
        .arg(a / 1'000'000)
        .arg(a % 1'000'000, 6, 10, QLatin1Char('0'));
}

QString reviewerName(const CommandLine &cmd)
{
    return cmd.isSet(QStringLiteral("reviewer"))
        ? cmd.value(QStringLiteral("reviewer"))
        : QProcessEnvironment::systemEnvironment().value(QStringLiteral("USER"), QStringLiteral("admin"));
}

QByteArray readFileOrFail(const QString &path, QTextStream &err, bool *ok)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        fail(err, QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
        *ok = false;
        return {};
    }
    *ok = true;
    return f.readAll();
}

std::optional<SafetyScanner> scannerFor(const CommandLine &cmd, QTextStream &err)
{
    if (!cmd.isSet(QStringLiteral("profile")))
        return SafetyScanner();
    QFile f(cmd.value(QStringLiteral("profile")));
    if (!f.open(QIODevice::ReadOnly)) {
        fail(err, QStringLiteral("cannot read %1: %2").arg(f.fileName(), f.errorString()));
        return std::nullopt;
    }
    auto profile = SafetyProfile::withOverrides(f.readAll());
    if (!profile) {
        fail(err, f.fileName() + QStringLiteral(": ") + profile.error().message);
        return std::nullopt;
    }
    return SafetyScanner(*profile);
}

std::optional<SigningKey> openPrivateKey(const QString &path, const QString &prompt, QTextStream &err)
{
    auto pass = passphrase(err, prompt);
    if (!pass)
        return std::nullopt;
    auto key = SigningKey::fromPrivateFile(path, *pass);
    if (!key) {
        fail(err, key.error().message);
        return std::nullopt;
    }
    return std::move(key.value());
}

ReviewerSession openReviewerSession(const CommandLine &cmd, QTextStream &err)
{
    ReviewerSession r;
    r.key = openPrivateKey(cmd.value(QStringLiteral("key")), QStringLiteral("Passphrase of your reviewer key: "), err);
    if (r.key)
        r.store = openOrFail(cmd, err);
    return r;
}

} // namespace l0
