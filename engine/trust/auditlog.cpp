#include "auditlog.h"

#include <QDateTime>
#include <QHash>
#include <QJsonDocument>

#include "core/text.h"

namespace l0 {

namespace {

QByteArray canonical(
    qint64 ts, const QString &actor, const QString &action, const QString &subject, const QByteArray &details)
{
    const QJsonObject row { { QLatin1String("ts"), ts }, { QLatin1String("actor"), actor },
        { QLatin1String("action"), action }, { QLatin1String("subject"), subject },
        { QLatin1String("details"), QJsonDocument::fromJson(details).object() } };
    return QJsonDocument(row).toJson(QJsonDocument::Compact);
}

const QByteArray kGenesis = QByteArray(64, '0');

} // namespace

Status notifyChange(SqlSession &s, const QString &what)
{
    if (s.dialect() != QLatin1String("postgresql"))
        return {};
    auto r = s.query(QStringLiteral("SELECT pg_notify('l0_changes', ?)"), { SqlSession::str(what) });
    return r ? Status() : Status(r.error());
}

Result<qint64> nextChangeSeq(SqlSession &s)
{
    if (s.dialect() == QLatin1String("postgresql")) {
        auto r = s.query(QStringLiteral("SELECT nextval('sync_seq')"));
        if (!r)
            return r.error();
        return r->at(0).int64(0);
    }
    if (auto u = s.query(QStringLiteral("UPDATE sync_counter SET seq = seq + 1 WHERE id = 1")); !u)
        return u.error();
    auto r = s.query(QStringLiteral("SELECT seq FROM sync_counter WHERE id = 1"));
    if (!r)
        return r.error();
    return r->at(0).int64(0);
}

Status appendAudit(SqlSession &s, const QString &actor, const QString &action, const QString &subject,
    const QJsonObject &details, qint64 tsMs)
{
    return withTransaction(s, [&]() -> Status {
        // One writer at a time extends the chain.
        if (s.dialect() == QLatin1String("postgresql")) {
            if (auto l = s.query(QStringLiteral("SELECT pg_advisory_xact_lock(7243702)")); !l)
                return l.error();
        }
        auto last = s.query(QStringLiteral("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1"));
        if (!last)
            return last.error();
        const QByteArray prev = last->empty() ? kGenesis : last->at(0).bytes(0);
        const qint64 ts = tsMs > 0 ? tsMs : QDateTime::currentMSecsSinceEpoch();
        const QByteArray detailsJson = QJsonDocument(details).toJson(QJsonDocument::Compact);
        const QByteArray hash = sha256Hex(prev + '\n' + canonical(ts, actor, action, subject, detailsJson));
        auto ins = s.query(QStringLiteral("INSERT INTO audit_log (ts_ms, actor, action, subject, details, prev_hash, "
                                          "hash) VALUES (?, ?, ?, ?, ?, ?, ?)"),
            { SqlSession::num(ts), SqlSession::str(actor), SqlSession::str(action), SqlSession::str(subject),
                SqlSession::Value(detailsJson), SqlSession::Value(prev), SqlSession::Value(hash) });
        if (!ins)
            return ins.error();
        return {};
    });
}

Result<AuditReport> verifyAudit(SqlSession &s)
{
    AuditReport report;
    auto rows = s.query(QStringLiteral(
        "SELECT id, ts_ms, actor, action, subject, details, prev_hash, hash FROM audit_log ORDER BY id"));
    if (!rows)
        return rows.error();
    QByteArray prev = kGenesis;
    // What the chain says the content of each version and each signature should be.
    QHash<QString, QByteArray> contentBySubject, signatureByKey;
    for (const SqlSession::Row &r : *rows) {
        ++report.rows;
        const qint64 id = r.int64(0);
        const QByteArray expected
            = sha256Hex(prev + '\n' + canonical(r.int64(1), r.text(2), r.text(3), r.text(4), r.bytes(5)));
        if (r.bytes(6) != prev || r.bytes(7) != expected) {
            report.ok = false;
            report.brokenRow = id;
            report.reason = r.bytes(6) != prev ? QStringLiteral("its previous hash does not match row before it")
                                               : QStringLiteral("its hash does not match its contents");
            return report;
        }
        prev = r.bytes(7);
        const QJsonObject details = QJsonDocument::fromJson(r.bytes(5)).object();
        if (r.text(3) == QLatin1String("version.add"))
            contentBySubject.insert(r.text(4), details.value(QLatin1String("content_sha256")).toString().toLatin1());
        else if (r.text(3) == QLatin1String("approval"))
            signatureByKey.insert(r.text(4) + QLatin1Char('|') + details.value(QLatin1String("reviewer")).toString(),
                details.value(QLatin1String("signature")).toString().toLatin1());
        else if (r.text(3) == QLatin1String("approval.withdraw")) // no longer in force
            signatureByKey.remove(r.text(4) + QLatin1Char('|') + details.value(QLatin1String("reviewer")).toString());
    }
    auto versions
        = s.query(QStringLiteral("SELECT entry_id, version, content FROM versions ORDER BY entry_id, version"));
    if (!versions)
        return versions.error();
    for (const SqlSession::Row &v : *versions) {
        const QString subject = QStringLiteral("entry/%1@%2").arg(v.int64(0)).arg(v.int64(1));
        auto it = contentBySubject.constFind(subject);
        if (it == contentBySubject.constEnd() || *it != sha256Hex(v.bytes(2))) {
            report.ok = false;
            report.reason = QStringLiteral("%1: its content is not what the audit chain recorded").arg(subject);
            return report;
        }
    }
    auto approvals
        = s.query(QStringLiteral("SELECT entry_id, version, reviewer, signature FROM approvals ORDER BY id"));
    if (!approvals)
        return approvals.error();
    for (const SqlSession::Row &a : *approvals) {
        const QString key = QStringLiteral("entry/%1@%2|%3").arg(a.int64(0)).arg(a.int64(1)).arg(a.text(2));
        if (signatureByKey.value(key) != a.bytes(3)) {
            report.ok = false;
            report.reason = QStringLiteral("the approval of entry/%1@%2 by %3 is not what the audit chain recorded")
                                .arg(a.int64(0))
                                .arg(a.int64(1))
                                .arg(a.text(2));
            return report;
        }
    }
    return report;
}

} // namespace l0
