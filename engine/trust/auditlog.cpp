#include "auditlog.h"

#include <QHash>
#include <QJsonDocument>

#include "core/text.h"

namespace l0 {

Result<AuditReport> verifyAudit(SqlSession &s)
{
    AuditReport report;
    auto rows = s.query(QStringLiteral(
        "SELECT id, ts_ms, actor, action, subject, details, prev_hash, hash FROM audit_log ORDER BY id"));
    if (!rows)
        return rows.error();
    QByteArray prev = auditGenesisHash();
    // What the chain says the content of each version and each signature should be.
    QHash<QString, QByteArray> contentBySubject, signatureByKey;
    for (const SqlSession::Row &r : *rows) {
        ++report.rows;
        const qint64 id = r.int64(0);
        const QByteArray expected = auditRowHash(prev, r.int64(1), r.text(2), r.text(3), r.text(4), r.bytes(5));
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
