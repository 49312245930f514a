#include "auditchain.h"

#include <QJsonDocument>

#include "core/text.h"

namespace l0 {

namespace {
constexpr qint64 kAuditLock = 7243702; // one writer at a time extends the chain
} // namespace

QByteArray auditGenesisHash()
{
    return QByteArray(64, '0');
}

QByteArray auditRowHash(const QByteArray &prevHash, qint64 tsMs, const QString &actor, const QString &action,
    const QString &subject, const QByteArray &detailsJson)
{
    const QJsonObject row { { QLatin1String("ts"), tsMs }, { QLatin1String("actor"), actor },
        { QLatin1String("action"), action }, { QLatin1String("subject"), subject },
        { QLatin1String("details"), QJsonDocument::fromJson(detailsJson).object() } };
    return sha256Hex(prevHash + '\n' + QJsonDocument(row).toJson(QJsonDocument::Compact));
}

Status lockAuditChain(SqlSession &s)
{
    return s.lockExclusive(kAuditLock);
}

Status appendAudit(SqlSession &s, const QString &actor, const QString &action, const QString &subject,
    const QJsonObject &details, qint64 tsMs)
{
    return withTransaction(s, [&]() -> Status {
        if (auto l = s.lockExclusive(kAuditLock); !l)
            return l;
        auto last = s.query(QStringLiteral("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1"));
        if (!last)
            return last.error();
        const QByteArray prev = last->empty() ? auditGenesisHash() : last->at(0).bytes(0);
        const qint64 ts = tsMs > 0 ? tsMs : s.clock().nowMs();
        const QByteArray detailsJson = QJsonDocument(details).toJson(QJsonDocument::Compact);
        const QByteArray hash = auditRowHash(prev, ts, actor, action, subject, detailsJson);
        auto ins = s.execute(QStringLiteral("INSERT INTO audit_log (ts_ms, actor, action, subject, details, "
                                            "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)"),
            { SqlSession::num(ts), SqlSession::str(actor), SqlSession::str(action), SqlSession::str(subject),
                SqlSession::Value(detailsJson), SqlSession::Value(prev), SqlSession::Value(hash) });
        return ins ? Status() : Status(ins.error());
    });
}

} // namespace l0
