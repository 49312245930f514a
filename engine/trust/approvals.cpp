#include "approvals.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include "auditlog.h"
#include "core/text.h"
#include "reviewqueue.h"
#include "store/queuerules.h"

namespace l0 {

int requiredApprovals(const QString &risk)
{
    return risk == QLatin1String("high") ? 2 : 1;
}

Result<QString> reviewerForKey(SqlSession &s, const SigningKey &key)
{
    auto who = s.query(
        QStringLiteral("SELECT name FROM reviewers WHERE fingerprint = ?"), { SqlSession::Value(key.fingerprint()) });
    if (!who)
        return who.error();
    if (who->empty())
        return makeError(ErrorCode::PermissionDenied,
            QStringLiteral("this key belongs to no registered reviewer (l0ctl reviewer add)"));
    return who->at(0).text(0);
}

Status registerReviewer(
    SqlSession &s, const QString &name, const SigningKey &reviewerPublic, const SigningKey &adminPrivate)
{
    if (name.trimmed().isEmpty() || name.size() > 100 || name.startsWith(QLatin1String("upstream:")))
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("a reviewer name must be 1 to 100 characters and not start with 'upstream:'"));
    if (!adminPrivate.hasPrivate())
        return makeError(
            ErrorCode::InvalidArgument, QStringLiteral("registering a reviewer needs the admin's private key"));
    const QByteArray fp = reviewerPublic.fingerprint();
    auto sig = adminPrivate.sign(reviewerMessage(name, fp));
    if (!sig)
        return sig.error();
    return withTransaction(s, [&]() -> Status {
        auto ins = s.query(
            QStringLiteral(
                "INSERT INTO reviewers (name, public_key, fingerprint, admin_fingerprint, admin_signature, created_ms) "
                "VALUES (?, ?, ?, ?, ?, ?)"),
            { SqlSession::str(name), SqlSession::Value(reviewerPublic.publicPem()), SqlSession::Value(fp),
                SqlSession::Value(adminPrivate.fingerprint()), SqlSession::Value(sig->toBase64()),
                SqlSession::num(s.clock().nowMs()) });
        if (!ins) {
            if (ins.error().code == ErrorCode::AlreadyExists)
                return makeError(ErrorCode::AlreadyExists,
                    QStringLiteral("reviewer %1 or that key is registered already").arg(name));
            return ins.error();
        }
        if (auto n = s.announce(QStringLiteral("reviewer")); !n)
            return n;
        return appendAudit(s, QStringLiteral("admin:%1").arg(QString::fromLatin1(adminPrivate.fingerprint().left(16))),
            QStringLiteral("reviewer.add"), QStringLiteral("reviewer/%1").arg(name),
            QJsonObject { { QLatin1String("fingerprint"), QString::fromLatin1(fp) },
                { QLatin1String("admin_signature"), QString::fromLatin1(sig->toBase64()) } });
    });
}

Result<std::vector<ReviewerRecord>> listReviewers(SqlSession &s)
{
    auto rows = s.query(QStringLiteral(
        "SELECT name, public_key, fingerprint, admin_fingerprint, admin_signature FROM reviewers ORDER BY id"));
    if (!rows)
        return rows.error();
    std::vector<ReviewerRecord> out;
    for (const auto &r : *rows)
        out.push_back({ r.text(0), r.bytes(1), r.bytes(2), r.bytes(3), QByteArray::fromBase64(r.bytes(4)) });
    return out;
}

namespace {
// A version to add to an entry, pending review.
struct PendingVersion {
    QByteArray content;
    QByteArray contentSha256; // the dedupe hash of versions.content_sha256
    QString risk;
    QString author;
    QString modelUsed;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    QByteArray findings;
};

// Adds it after the entry's last version; returns the version number it got.
Result<int> addPendingVersion(SqlSession &s, qint64 entryId, const PendingVersion &v, qint64 nowMs)
{
    auto max
        = s.query(QStringLiteral("SELECT MAX(version) FROM versions WHERE entry_id = ?"), { SqlSession::num(entryId) });
    if (!max)
        return max.error();
    const int next = int(max->at(0).int64(0)) + 1;
    auto seq = s.nextSeq();
    if (!seq)
        return seq.error();
    auto ins = s.query(
        QStringLiteral("INSERT INTO versions (entry_id, version, state, content, content_sha256, risk, author, "
                       "model_used, prompt_tokens, completion_tokens, created_ms, seq, findings) VALUES (?, ?, "
                       "'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        { SqlSession::num(entryId), SqlSession::num(next), SqlSession::Value(v.content),
            SqlSession::Value(v.contentSha256), SqlSession::str(v.risk), SqlSession::str(v.author),
            SqlSession::str(v.modelUsed), SqlSession::num(v.promptTokens), SqlSession::num(v.completionTokens),
            SqlSession::num(nowMs), SqlSession::num(*seq), SqlSession::Value(v.findings) });
    if (!ins)
        return ins.error();
    return next;
}
} // namespace

Result<int> editVersion(SqlSession &s, qint64 entryId, int version, const QString &newText, const QString &editor,
    qint64 nowMs, const QJsonObject &safetyReport)
{
    if (newText.trimmed().isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("an edit needs the new text"));
    return withTransaction(s, [&]() -> Result<int> {
        auto cur = s.query(QStringLiteral("SELECT content, risk, model_used, prompt_tokens, completion_tokens, state "
                                          "FROM versions WHERE entry_id = ? AND version = ?"),
            { SqlSession::num(entryId), SqlSession::num(version) });
        if (!cur)
            return cur.error();
        if (cur->empty())
            return makeError(ErrorCode::NotFound, QStringLiteral("no version %1@%2").arg(entryId).arg(version));
        const SqlSession::Row &old = cur->at(0);
        auto result = ChatResult::fromJson(QJsonDocument::fromJson(old.bytes(0)).object());
        if (!result)
            return result.error();
        result->message.insert(QLatin1String("content"), newText);
        const QByteArray content = QJsonDocument(result->toJson()).toJson(QJsonDocument::Compact);
        // The edited text gets its own safety pass; the risk never drops below the original's.
        QJsonObject report = safetyReport;
        QString editedRisk = report.value(QLatin1String("risk")).toString(QStringLiteral("low"));
        if (old.text(1) == QLatin1String("high")
            || (old.text(1) == QLatin1String("medium") && editedRisk == QLatin1String("low")))
            editedRisk = old.text(1);
        report.insert(QLatin1String("risk"), editedRisk);
        const QByteArray findings = QJsonDocument(report).toJson(QJsonDocument::Compact);
        const QByteArray dedupeHash
            = sha256Hex(newText.toUtf8() + QJsonDocument(result->message).toJson(QJsonDocument::Compact));
        auto next = addPendingVersion(s, entryId,
            PendingVersion {
                content, dedupeHash, editedRisk, editor, old.text(2), old.int64(3), old.int64(4), findings },
            nowMs);
        if (!next)
            return next.error();
        if (auto a = appendAudit(s, editor, QStringLiteral("version.add"),
                QStringLiteral("entry/%1@%2").arg(entryId).arg(*next),
                QJsonObject { { QLatin1String("content_sha256"), QString::fromLatin1(sha256Hex(content)) },
                    { QLatin1String("edit_of"), version }, { QLatin1String("risk"), editedRisk } },
                nowMs);
            !a)
            return a.error();
        if (auto n = s.announce(QStringLiteral("queue")); !n)
            return n.error();
        return *next;
    });
}

Result<std::vector<ApprovalRecord>> approvalsFor(SqlSession &s, qint64 entryId, int version)
{
    auto rows = s.query(
        QStringLiteral("SELECT decision, reviewer, content_sha256, signed_ms, signature, reason FROM approvals "
                       "WHERE entry_id = ? AND version = ? ORDER BY id"),
        { SqlSession::num(entryId), SqlSession::num(version) });
    if (!rows)
        return rows.error();
    std::vector<ApprovalRecord> out;
    for (const auto &r : *rows)
        out.push_back({ entryId, version, r.text(0), r.text(1), r.bytes(2), r.int64(3),
            QByteArray::fromBase64(r.bytes(4)), r.text(5) });
    return out;
}

Result<SignedDecision> decideSigned(SqlSession &s, qint64 entryId, int version, bool approve, const SigningKey &key,
    const QString &reason, qint64 nowMs)
{
    if (!key.hasPrivate())
        return makeError(
            ErrorCode::InvalidArgument, QStringLiteral("a signed decision needs the reviewer's private key"));
    if (!approve && reason.trimmed().isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a rejection needs a reason"));
    return withTransaction(s, [&]() -> Result<SignedDecision> {
        auto who = reviewerForKey(s, key);
        if (!who)
            return who.error();
        const QString &reviewer = *who;
        const VersionState wanted = approve ? VersionState::Approved : VersionState::Rejected;
        auto newest = versionToDecide(s, entryId, version, wanted);
        if (!newest)
            return newest.error();
        const int v = *newest;
        auto cur = s.query(
            QStringLiteral("SELECT state, content, risk, author FROM versions WHERE entry_id = ? AND version = ?"),
            { SqlSession::num(entryId), SqlSession::num(v) });
        if (!cur)
            return cur.error();
        if (cur->empty())
            return makeError(ErrorCode::NotFound, QStringLiteral("no version %1@%2").arg(entryId).arg(v));
        if (auto open = checkDecision(entryId, v, cur->at(0).text(0), wanted); !open)
            return open.error();
        if (cur->at(0).text(3) == reviewer)
            return makeError(ErrorCode::PermissionDenied,
                QStringLiteral("%1 wrote version %2@%3 and cannot approve it").arg(reviewer).arg(entryId).arg(v));
        const QByteArray contentSha = sha256Hex(cur->at(0).bytes(1));
        const QString risk = cur->at(0).text(2);
        const QString decision = approve ? QStringLiteral("approve") : QStringLiteral("reject");
        auto sig = key.sign(approvalMessage(entryId, v, contentSha, decision, reviewer, nowMs));
        if (!sig)
            return sig.error();
        auto ins = s.query(QStringLiteral("INSERT INTO approvals (entry_id, version, decision, reviewer, "
                                          "content_sha256, signed_ms, signature, reason) "
                                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
            { SqlSession::num(entryId), SqlSession::num(v), SqlSession::str(decision), SqlSession::str(reviewer),
                SqlSession::Value(contentSha), SqlSession::num(nowMs), SqlSession::Value(sig->toBase64()),
                reason.isEmpty() ? SqlSession::Value() : SqlSession::str(reason) });
        if (!ins) {
            if (ins.error().code == ErrorCode::AlreadyExists)
                return makeError(ErrorCode::Conflict,
                    QStringLiteral("%1 has already decided on version %2@%3").arg(reviewer).arg(entryId).arg(v));
            return ins.error();
        }
        const QString subject = QStringLiteral("entry/%1@%2").arg(entryId).arg(v);
        if (auto a = appendAudit(s, reviewer, QStringLiteral("approval"), subject,
                QJsonObject { { QLatin1String("reviewer"), reviewer }, { QLatin1String("decision"), decision },
                    { QLatin1String("content_sha256"), QString::fromLatin1(contentSha) },
                    { QLatin1String("signature"), QString::fromLatin1(sig->toBase64()) },
                    { QLatin1String("reason"), reason } },
                nowMs);
            !a)
            return a.error();

        SignedDecision out;
        out.entryId = entryId;
        out.version = v;
        out.required = requiredApprovals(risk);
        auto count = s.query(QStringLiteral("SELECT COUNT(DISTINCT reviewer) FROM approvals WHERE entry_id = ? AND "
                                            "version = ? AND decision = 'approve'"),
            { SqlSession::num(entryId), SqlSession::num(v) });
        if (!count)
            return count.error();
        out.approvals = int(count->at(0).int64(0));
        out.state = !approve                ? VersionState::Rejected
            : out.approvals >= out.required ? VersionState::Approved
                                            : VersionState::NeedsSecond;
        if (auto d = recordDecision(s, entryId, v, out.state, reviewer, reason, nowMs); !d)
            return d.error();
        if (auto a = appendAudit(s, reviewer, QStringLiteral("decision"), subject,
                QJsonObject { { QLatin1String("state"), QLatin1String(versionStateName(out.state)) },
                    { QLatin1String("approvals"), out.approvals }, { QLatin1String("required"), out.required } },
                nowMs);
            !a)
            return a.error();
        if (auto n = s.announce(QStringLiteral("version")); !n)
            return n.error();
        if (out.state == VersionState::Approved) {
            if (auto e = approvalTakesEffect(s, entryId, v, nowMs); !e)
                return e.error();
        }
        return out;
    });
}

const char *requeueForName(RequeueFor f)
{
    return f == RequeueFor::Edit ? "edit" : "model";
}

std::optional<RequeueFor> requeueForFromName(const QString &name)
{
    if (name == QLatin1String("edit"))
        return RequeueFor::Edit;
    if (name == QLatin1String("model"))
        return RequeueFor::OtherModel;
    return std::nullopt;
}

Result<Requeued> requeueSigned(SqlSession &s, qint64 entryId, int version, RequeueFor requeueFor, const SigningKey &key,
    const QString &reason, qint64 nowMs)
{
    if (reason.trimmed().isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a requeue needs a reason"));
    return withTransaction(s, [&]() -> Result<Requeued> {
        auto open = s.query(
            QStringLiteral("SELECT COUNT(*) FROM versions WHERE entry_id = ? AND state IN ('pending', 'needs_second')"),
            { SqlSession::num(entryId) });
        if (!open)
            return open.error();
        // The veto frees one place; the copy takes it.
        if (open->at(0).int64(0) > kMaxOpenAlternatives)
            return makeError(ErrorCode::Conflict,
                QStringLiteral("entry %1 has %2 open candidates already").arg(entryId).arg(open->at(0).int64(0)));
        auto veto = decideSigned(s, entryId, version, false, key, reason, nowMs);
        if (!veto)
            return veto.error();
        const int v = veto->version;
        auto who = reviewerForKey(s, key);
        if (!who)
            return who.error();
        const QString &reviewer = *who;
        auto cur
            = s.query(QStringLiteral("SELECT content, content_sha256, risk, model_used, prompt_tokens, "
                                     "completion_tokens, findings FROM versions WHERE entry_id = ? AND version = ?"),
                { SqlSession::num(entryId), SqlSession::num(v) });
        if (!cur)
            return cur.error();
        if (cur->empty())
            return makeError(ErrorCode::NotFound, QStringLiteral("no version %1@%2").arg(entryId).arg(v));
        const SqlSession::Row &old = cur->at(0);
        const QByteArray content = old.bytes(0);
        const QByteArray contentSha = sha256Hex(content);
        const QString forName = QLatin1String(requeueForName(requeueFor));
        auto sig
            = key.sign(approvalMessage(entryId, v, contentSha, QStringLiteral("requeue-") + forName, reviewer, nowMs));
        if (!sig)
            return sig.error();
        QJsonObject report = QJsonDocument::fromJson(old.bytes(6)).object();
        report.insert(QLatin1String("requeue"),
            QJsonObject { { QLatin1String("of"), v }, { QLatin1String("for"), forName },
                { QLatin1String("by"), reviewer }, { QLatin1String("reason"), reason } });
        auto added = addPendingVersion(s, entryId,
            PendingVersion { content, old.bytes(1), old.text(2), reviewer, old.text(3), old.int64(4), old.int64(5),
                QJsonDocument(report).toJson(QJsonDocument::Compact) },
            nowMs);
        if (!added)
            return added.error();
        const int next = *added;
        if (auto a = appendAudit(s, reviewer, QStringLiteral("version.add"),
                QStringLiteral("entry/%1@%2").arg(entryId).arg(next),
                QJsonObject { { QLatin1String("content_sha256"), QString::fromLatin1(contentSha) },
                    { QLatin1String("risk"), old.text(2) }, { QLatin1String("requeue_of"), v },
                    { QLatin1String("requeue_for"), forName } },
                nowMs);
            !a)
            return a.error();
        if (auto a = appendAudit(s, reviewer, QStringLiteral("version.requeue"),
                QStringLiteral("entry/%1@%2").arg(entryId).arg(v),
                QJsonObject { { QLatin1String("reviewer"), reviewer }, { QLatin1String("for"), forName },
                    { QLatin1String("new_version"), next },
                    { QLatin1String("content_sha256"), QString::fromLatin1(contentSha) },
                    { QLatin1String("signature"), QString::fromLatin1(sig->toBase64()) },
                    { QLatin1String("reason"), reason } },
                nowMs);
            !a)
            return a.error();
        if (auto n = s.announce(QStringLiteral("queue")); !n)
            return n.error();
        return Requeued { *veto, next };
    });
}

Result<SignedDecision> withdrawDecision(
    SqlSession &s, qint64 entryId, int version, const SigningKey &key, qint64 nowMs, qint64 windowMs)
{
    if (!key.hasPrivate())
        return makeError(
            ErrorCode::InvalidArgument, QStringLiteral("withdrawing a decision needs the reviewer's private key"));
    return withTransaction(s, [&]() -> Result<SignedDecision> {
        auto who = reviewerForKey(s, key);
        if (!who)
            return who.error();
        const QString &reviewer = *who;
        const QString subject = QStringLiteral("entry/%1@%2").arg(entryId).arg(version);
        auto mine = s.query(QStringLiteral("SELECT id, decision, content_sha256, signed_ms, signature, reason FROM "
                                           "approvals WHERE entry_id = ? AND version = ? AND reviewer = ?"),
            { SqlSession::num(entryId), SqlSession::num(version), SqlSession::str(reviewer) });
        if (!mine)
            return mine.error();
        if (mine->empty())
            return makeError(
                ErrorCode::NotFound, QStringLiteral("%1 has no decision on %2 to withdraw").arg(reviewer, subject));
        const SqlSession::Row &d = mine->at(0);
        if (nowMs - d.int64(3) > windowMs)
            return makeError(ErrorCode::Conflict,
                QStringLiteral("the decision on %1 was made %2 minutes ago; decisions can be withdrawn for %3 minutes "
                               "(revoke or edit it instead)")
                    .arg(subject)
                    .arg((nowMs - d.int64(3)) / 60'000)
                    .arg(windowMs / 60'000));
        auto cur = s.query(QStringLiteral("SELECT state, risk FROM versions WHERE entry_id = ? AND version = ?"),
            { SqlSession::num(entryId), SqlSession::num(version) });
        if (!cur)
            return cur.error();
        if (cur->empty())
            return makeError(ErrorCode::NotFound, QStringLiteral("no version %1").arg(subject));
        const QString oldState = cur->at(0).text(0);
        if (oldState == QLatin1String("revoked") || oldState == QLatin1String("expired"))
            return makeError(ErrorCode::Conflict,
                QStringLiteral("%1 is %2 now; withdrawing a decision cannot bring it back").arg(subject, oldState));
        const QString decision = d.text(1);
        const QString withdrawal = decision == QLatin1String("approve") ? QStringLiteral("withdraw-approve")
                                                                        : QStringLiteral("withdraw-reject");
        auto sig = key.sign(approvalMessage(entryId, version, d.bytes(2), withdrawal, reviewer, nowMs));
        if (!sig)
            return sig.error();
        auto moved = s.query(
            QStringLiteral("INSERT INTO withdrawn_approvals (entry_id, version, decision, reviewer, content_sha256, "
                           "signed_ms, signature, reason, withdrawn_ms, withdraw_signature) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            { SqlSession::num(entryId), SqlSession::num(version), SqlSession::str(decision), SqlSession::str(reviewer),
                SqlSession::Value(d.bytes(2)), SqlSession::num(d.int64(3)), SqlSession::Value(d.bytes(4)),
                d.isNull(5) ? SqlSession::Value() : SqlSession::str(d.text(5)), SqlSession::num(nowMs),
                SqlSession::Value(sig->toBase64()) });
        if (!moved)
            return moved.error();
        if (auto del = s.query(QStringLiteral("DELETE FROM approvals WHERE id = ?"), { SqlSession::num(d.int64(0)) });
            !del)
            return del.error();
        if (auto a = appendAudit(s, reviewer, QStringLiteral("approval.withdraw"), subject,
                QJsonObject { { QLatin1String("reviewer"), reviewer }, { QLatin1String("decision"), decision },
                    { QLatin1String("content_sha256"), QString::fromLatin1(d.bytes(2)) },
                    { QLatin1String("signature"), QString::fromLatin1(sig->toBase64()) } },
                nowMs);
            !a)
            return a.error();

        // The state the remaining decisions give: one veto rejects, enough approvals approve.
        auto left = s.query(QStringLiteral("SELECT decision, reviewer, signed_ms, reason FROM approvals WHERE "
                                           "entry_id = ? AND version = ? ORDER BY signed_ms, id"),
            { SqlSession::num(entryId), SqlSession::num(version) });
        if (!left)
            return left.error();
        SignedDecision out;
        out.entryId = entryId;
        out.version = version;
        out.required = requiredApprovals(cur->at(0).text(1));
        const SqlSession::Row *veto = nullptr;
        QSet<QString> approvers;
        for (const auto &r : *left) {
            if (r.text(0) == QLatin1String("reject"))
                veto = veto ? veto : &r;
            else
                approvers.insert(r.text(1));
        }
        out.approvals = int(approvers.size());
        out.state = veto                    ? VersionState::Rejected
            : out.approvals >= out.required ? VersionState::Approved
            : out.approvals > 0             ? VersionState::NeedsSecond
                                            : VersionState::Pending;
        const SqlSession::Row *last = veto ? veto : (left->empty() ? nullptr : &left->back());
        auto seq = s.nextSeq();
        if (!seq)
            return seq.error();
        auto upd = s.query(QStringLiteral("UPDATE versions SET state = ?, decided_ms = ?, decided_by = ?, reason = ?, "
                                          "seq = ? WHERE entry_id = ? AND version = ?"),
            { SqlSession::str(QString::fromLatin1(versionStateName(out.state))),
                last ? SqlSession::num(last->int64(2)) : SqlSession::Value(),
                last ? SqlSession::str(last->text(1)) : SqlSession::Value(),
                veto && !veto->isNull(3) ? SqlSession::str(veto->text(3)) : SqlSession::Value(), SqlSession::num(*seq),
                SqlSession::num(entryId), SqlSession::num(version) });
        if (!upd)
            return upd.error();
        if (auto a = appendAudit(s, reviewer, QStringLiteral("decision"), subject,
                QJsonObject { { QLatin1String("state"), QLatin1String(versionStateName(out.state)) },
                    { QLatin1String("approvals"), out.approvals }, { QLatin1String("required"), out.required },
                    { QLatin1String("withdrawn"), decision } },
                nowMs);
            !a)
            return a.error();
        // The approved version this one had replaced serves again.
        if (oldState == QLatin1String("approved") && out.state != VersionState::Approved) {
            auto older = s.query(QStringLiteral("SELECT version FROM versions WHERE entry_id = ? AND state = 'revoked' "
                                                "AND reason = ? AND (expires_ms IS NULL OR expires_ms = 0 OR "
                                                "expires_ms > ?) ORDER BY version DESC LIMIT 1"),
                { SqlSession::num(entryId), SqlSession::str(supersededReason(version)), SqlSession::num(nowMs) });
            if (!older)
                return older.error();
            if (!older->empty()) {
                const int back = int(older->at(0).int64(0));
                if (auto st = setVersionState(s, entryId, back, QStringLiteral("approved"), QString()); !st)
                    return st.error();
                if (auto a = appendAudit(s, reviewer, QStringLiteral("decision"),
                        QStringLiteral("entry/%1@%2").arg(entryId).arg(back),
                        QJsonObject { { QLatin1String("state"), QLatin1String("approved") },
                            { QLatin1String("restored"),
                                QStringLiteral("approval of version %1 withdrawn").arg(version) } },
                        nowMs);
                    !a)
                    return a.error();
            }
        }
        if (auto n = s.announce(QStringLiteral("version")); !n)
            return n.error();
        return out;
    });
}

Status withdrawEdit(SqlSession &s, qint64 entryId, int version, const QString &editor, qint64 nowMs)
{
    return withTransaction(s, [&]() -> Status {
        const QString subject = QStringLiteral("entry/%1@%2").arg(entryId).arg(version);
        auto cur = s.query(QStringLiteral("SELECT state, author, (SELECT COUNT(*) FROM approvals a WHERE a.entry_id = "
                                          "v.entry_id AND a.version = v.version) FROM versions v WHERE v.entry_id = ? "
                                          "AND v.version = ?"),
            { SqlSession::num(entryId), SqlSession::num(version) });
        if (!cur)
            return cur.error();
        if (cur->empty())
            return makeError(ErrorCode::NotFound, QStringLiteral("no version %1").arg(subject));
        if (cur->at(0).text(1) != editor)
            return makeError(ErrorCode::PermissionDenied,
                QStringLiteral("%1 was written by %2, not %3").arg(subject, cur->at(0).text(1), editor));
        if (cur->at(0).text(0) != QLatin1String("pending") || cur->at(0).int64(2) > 0)
            return makeError(ErrorCode::Conflict,
                QStringLiteral("%1 has been decided on already (%2)").arg(subject, cur->at(0).text(0)));
        if (auto st = setVersionState(
                s, entryId, version, QStringLiteral("revoked"), QStringLiteral("withdrawn by its author"));
            !st)
            return st;
        if (auto a = appendAudit(s, editor, QStringLiteral("decision"), subject,
                QJsonObject { { QLatin1String("state"), QLatin1String("revoked") },
                    { QLatin1String("reason"), QLatin1String("withdrawn by its author") } },
                nowMs);
            !a)
            return a;
        return s.announce(QStringLiteral("queue"));
    });
}

bool approvalsVerify(const QByteArray &content, const QString &risk, const QString &author,
    const std::vector<ApprovalRecord> &approvals, const std::vector<ReviewerRecord> &reviewers,
    const std::vector<std::shared_ptr<SigningKey>> &pinnedAdmins, QString *why)
{
    const QByteArray contentSha = sha256Hex(content);
    QSet<QString> valid;
    for (const ApprovalRecord &a : approvals) {
        if (a.decision == QLatin1String("reject")) {
            if (why)
                *why = QStringLiteral("rejected by %1").arg(a.reviewer);
            return false;
        }
        if (a.contentSha256 != contentSha || a.reviewer == author)
            continue;
        const ReviewerRecord *r = nullptr;
        for (const ReviewerRecord &x : reviewers) {
            if (x.name == a.reviewer)
                r = &x;
        }
        if (!r)
            continue;
        auto pub = SigningKey::fromPublicPem(r->publicKeyPem);
        if (!pub || pub->fingerprint() != r->fingerprint)
            continue;
        bool pinned = false;
        for (const auto &admin : pinnedAdmins)
            pinned = pinned
                || (admin->fingerprint() == r->adminFingerprint
                    && admin->verify(reviewerMessage(r->name, r->fingerprint), r->adminSignature));
        if (!pinned)
            continue;
        if (!pub->verify(approvalMessage(a.entryId, a.version, a.contentSha256, a.decision, a.reviewer, a.signedMs),
                a.signature))
            continue;
        valid.insert(a.reviewer);
    }
    const int required = requiredApprovals(risk);
    if (int(valid.size()) >= required)
        return true;
    if (why)
        *why = QStringLiteral("%1 of %2 required approvals verify against the pinned admin keys")
                   .arg(valid.size())
                   .arg(required);
    return false;
}

} // namespace l0
