#include "auditrestore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include "store/auditchain.h"
#include "store/queuerules.h"

namespace l0 {

namespace {

using Kind = StateDifference::Kind;
using S = SqlSession;

Status checkAdmin(SqlSession &s, const SigningKey &admin)
{
    auto rows = s.query(QStringLiteral("SELECT COUNT(*), COALESCE(SUM(CASE WHEN admin_fingerprint = ? THEN 1 ELSE 0 "
                                       "END), 0) FROM reviewers"),
        { S::Value(admin.fingerprint()) });
    if (!rows)
        return rows.error();
    // In a store without reviewers nothing is signed yet, and any admin key may put it right.
    if (rows->empty() || rows->at(0).int64(0) == 0 || rows->at(0).int64(1) > 0)
        return {};
    return makeError(ErrorCode::PermissionDenied,
        QStringLiteral("key %1 registered none of this store's reviewers: a restore needs their admin's key")
            .arg(QString::fromLatin1(admin.fingerprint().left(16))));
}

QJsonObject change(const StateDifference &d)
{
    return QJsonObject { { QLatin1String("table"), d.table }, { QLatin1String("place"), d.place },
        { QLatin1String("from"), d.stored }, { QLatin1String("to"), d.expected } };
}

Result<QJsonObject> removeApproval(SqlSession &s, const StateDifference &d)
{
    auto row = s.query(QStringLiteral("SELECT decision, reviewer, content_sha256, signed_ms, signature, reason FROM "
                                      "approvals WHERE id = ?"),
        { S::num(d.rowId) });
    if (!row)
        return row.error();
    QJsonObject c = change(d);
    if (row->empty())
        return c;
    const S::Row &r = row->at(0);
    // The removed row goes into the chain's record of the restore.
    c.insert(QLatin1String("removed"),
        QJsonObject { { QLatin1String("entry_id"), d.entryId }, { QLatin1String("version"), d.version },
            { QLatin1String("decision"), r.text(0) }, { QLatin1String("reviewer"), r.text(1) },
            { QLatin1String("content_sha256"), r.text(2) }, { QLatin1String("signed_ms"), r.int64(3) },
            { QLatin1String("signature"), r.text(4) }, { QLatin1String("reason"), r.text(5) } });
    if (auto del = s.execute(QStringLiteral("DELETE FROM approvals WHERE id = ?"), { S::num(d.rowId) }); !del)
        return del.error();
    return c;
}

Result<QJsonObject> writeApproval(SqlSession &s, const ChainState &chain, const StateDifference &d)
{
    const ChainVersion *cv = chain.version(d.entryId, d.version);
    for (const ChainApproval &a : cv ? cv->approvals : std::vector<ChainApproval>()) {
        if (a.reviewer != d.reviewer)
            continue;
        auto ins = s.execute(QStringLiteral("INSERT INTO approvals (entry_id, version, decision, reviewer, "
                                            "content_sha256, signed_ms, signature, reason) VALUES (?, ?, ?, ?, ?, ?, "
                                            "?, ?)"),
            { S::num(d.entryId), S::num(d.version), S::str(a.decision), S::str(a.reviewer), S::Value(a.contentSha256),
                S::num(a.signedMs), S::Value(a.signature), a.reason.isEmpty() ? S::Value() : S::str(a.reason) });
        if (!ins)
            return ins.error();
        QJsonObject c = change(d);
        c.insert(QLatin1String("from_audit_row"), a.auditRow);
        return c;
    }
    return makeError(ErrorCode::Internal, QStringLiteral("%1 is no longer in force").arg(d.place));
}

Status setPackState(SqlSession &s, qint64 packId, const QString &state)
{
    auto seq = s.nextSeq();
    if (!seq)
        return seq.error();
    auto u = s.execute(QStringLiteral("UPDATE rule_packs SET state = ?, seq = ? WHERE id = ?"),
        { S::str(state), S::num(*seq), S::num(packId) });
    return u ? Status() : Status(u.error());
}

// The version's state and reason as the chain has them, under a new change number.
Status putVersionBack(SqlSession &s, const ChainState &chain, qint64 entryId, int version)
{
    const ChainVersion *cv = chain.version(entryId, version);
    if (!cv)
        return makeError(
            ErrorCode::Internal, QStringLiteral("entry/%1@%2 is not in the chain").arg(entryId).arg(version));
    return setVersionState(s, entryId, version, QString::fromLatin1(versionStateName(cv->state)), cv->reason);
}

Result<QJsonObject> repair(SqlSession &s, const ChainState &chain, const StateDifference &d)
{
    switch (d.kind) {
    case Kind::ExtraApproval:
        return removeApproval(s, d);
    case Kind::MissingApproval:
        return writeApproval(s, chain, d);
    case Kind::VersionState:
        if (auto st = putVersionBack(s, chain, d.entryId, d.version); !st)
            return st.error();
        return change(d);
    case Kind::PackState:
        if (auto st = setPackState(s, d.rowId, d.expected); !st)
            return st.error();
        return change(d);
    default:
        return makeError(ErrorCode::Internal, QStringLiteral("%1 cannot be restored").arg(d.place));
    }
}

Status recordRestore(SqlSession &s, const SigningKey &admin, const QJsonArray &changes, qint64 nowMs)
{
    const QByteArray json = QJsonDocument(changes).toJson(QJsonDocument::Compact);
    auto sig = admin.sign(restoreMessage(nowMs, json));
    if (!sig)
        return sig.error();
    return appendAudit(s, QStringLiteral("admin:%1").arg(QString::fromLatin1(admin.fingerprint().left(16))),
        QStringLiteral("audit.restore"), QStringLiteral("audit"),
        QJsonObject { { QLatin1String("admin_fingerprint"), QString::fromLatin1(admin.fingerprint()) },
            { QLatin1String("changes"), changes },
            { QLatin1String("signature"), QString::fromLatin1(sig->toBase64()) } },
        nowMs);
}

Status applyRestore(
    SqlSession &s, const ChainState &chain, const SigningKey &admin, const RestoreReport &report, qint64 nowMs)
{
    QJsonArray changes;
    QSet<ChainState::VersionKey> approvalsChanged, statesSet;
    bool packs = false;
    for (const StateDifference &d : report.restored) {
        auto c = repair(s, chain, d);
        if (!c)
            return c.error();
        changes.append(*c);
        if (d.kind == Kind::ExtraApproval || d.kind == Kind::MissingApproval)
            approvalsChanged.insert({ d.entryId, d.version });
        else if (d.kind == Kind::VersionState)
            statesSet.insert({ d.entryId, d.version });
        packs = packs || d.kind == Kind::PackState;
    }
    // Nodes check a version again when its change number moves.
    for (const auto &key : approvalsChanged - statesSet) {
        if (chain.version(key.first, key.second)) {
            if (auto st = putVersionBack(s, chain, key.first, key.second); !st)
                return st;
        }
    }
    if (!approvalsChanged.isEmpty() || !statesSet.isEmpty()) {
        if (auto n = s.announce(QStringLiteral("version")); !n)
            return n;
    }
    if (packs) {
        if (auto n = s.announce(QStringLiteral("rulepack")); !n)
            return n;
    }
    return recordRestore(s, admin, changes, nowMs);
}

} // namespace

QByteArray restoreMessage(qint64 tsMs, const QByteArray &changesJson)
{
    return QByteArrayLiteral("l0-audit-restore\n") + QByteArray::number(tsMs) + '\n' + changesJson;
}

Result<RestoreReport> restoreFromChain(SqlSession &s, const SigningKey *admin, qint64 nowMs, bool dryRun)
{
    if (!dryRun && (!admin || !admin->hasPrivate()))
        return makeError(
            ErrorCode::InvalidArgument, QStringLiteral("a restore is signed with the admin's private key"));
    return withTransaction(s, [&]() -> Result<RestoreReport> {
        if (!dryRun) {
            if (auto a = checkAdmin(s, *admin); !a)
                return a.error();
            if (auto l = lockAuditChain(s); !l)
                return l.error();
        }
        ChainState chain;
        if (auto st = chain.advance(s); !st)
            return st.error();
        RestoreReport report;
        if (chain.brokenRow() > 0) {
            report.brokenRow = chain.brokenRow();
            report.brokenReason = chain.brokenReason();
            return report;
        }
        auto differences = stateDifferences(s, chain);
        if (!differences)
            return differences.error();
        for (StateDifference &d : *differences)
            (d.restorable() ? report.restored : report.left).push_back(std::move(d));
        if (dryRun || report.restored.empty())
            return report;
        if (auto st = applyRestore(s, chain, *admin, report, nowMs); !st)
            return st.error();
        return report;
    });
}

} // namespace l0
