#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>
#include <vector>

#include "core/result.h"
#include "signing.h"
#include "store/sqlsession.h"
#include "store/storetypes.h"

namespace l0 {

// How long after a decision its reviewer may still take it back.
inline constexpr qint64 kUndoWindowMs = 10 * 60'000;

struct ReviewerRecord {
    QString name;
    QByteArray publicKeyPem;
    QByteArray fingerprint;
    QByteArray adminFingerprint;
    QByteArray adminSignature; // raw
};

struct ApprovalRecord {
    qint64 entryId = 0;
    int version = 0;
    QString decision; // approve | reject
    QString reviewer;
    QByteArray contentSha256;
    qint64 signedMs = 0;
    QByteArray signature; // raw
    QString reason;
};

// Registers a reviewer's public key, signed by an admin key (whose public half nodes pin).
Status registerReviewer(
    SqlSession &session, const QString &name, const SigningKey &reviewerPublic, const SigningKey &adminPrivate);
Result<std::vector<ReviewerRecord>> listReviewers(SqlSession &session);
// Distinct approvers a version of this risk needs: two for high risk, else one.
int requiredApprovals(const QString &risk);
// The registered reviewer who owns this key; PermissionDenied for a key nobody registered.
Result<QString> reviewerForKey(SqlSession &session, const SigningKey &key);

struct SignedDecision {
    qint64 entryId = 0;
    int version = 0;
    VersionState state = VersionState::Pending;
    int approvals = 0; // distinct reviewers who approved this version
    int required = 1;
};

// A reviewer's signed decision on one version (version <= 0: the newest waiting one). The
// reviewer is the registered owner of the key. High-risk versions need two distinct
// reviewers, neither of them the version's author; one rejection vetoes. Approving the
// version that completes the requirement supersedes older approved versions of the entry.
Result<SignedDecision> decideSigned(SqlSession &session, qint64 entryId, int version, bool approve,
    const SigningKey &reviewerKey, const QString &reason, qint64 nowMs);

// Requeue: a rejection that sends the text back to the queue instead of removing it. The
// version gets the reviewer's signed veto (as decideSigned with approve = false; the reason is
// required), and a copy of it is filed as a new pending version authored by the reviewer, so
// that someone else decides on it: for an edit (anyone fixes it: editVersion), or for another
// model's answer (the copy waits next to the entry's other candidates for an A/B comparison).
// The copy's safety report carries {"requeue": {"of", "for", "by", "reason"}}. The chain records
// the veto ("approval", "decision"), the copy ("version.add" with requeue_of and requeue_for)
// and the requeue itself ("version.requeue", signed over the version's content with the
// decision "requeue-edit" or "requeue-model"). One transaction. Conflict when the version does
// not wait for a review, or the entry already has as many open candidates as it may.
enum class RequeueFor { Edit, OtherModel };
const char *requeueForName(RequeueFor f); // "edit" | "model"
std::optional<RequeueFor> requeueForFromName(const QString &name);
struct Requeued {
    SignedDecision rejected; // the veto on the version
    int newVersion = 0; // the copy that waits again
};
Result<Requeued> requeueSigned(SqlSession &session, qint64 entryId, int version, RequeueFor requeueFor,
    const SigningKey &reviewerKey, const QString &reason, qint64 nowMs);

// Undo: the key's owner withdraws their own decision on a version within windowMs of making
// it. The signed decision moves to withdrawn_approvals with a signed withdrawal (nothing is
// lost), and the version's state follows from the decisions left: pending, needs_second,
// approved or rejected. When an approval that had superseded an older approved version is
// withdrawn, that version serves again (unless its lifetime ended). Conflict when the window
// has passed or the version is no longer decided by these decisions (revoked, expired).
Result<SignedDecision> withdrawDecision(SqlSession &session, qint64 entryId, int version, const SigningKey &reviewerKey,
    qint64 nowMs, qint64 windowMs = kUndoWindowMs);

// Undo of an edit: its author withdraws a version they wrote while nobody has decided on it.
// The version becomes revoked ("withdrawn by its author").
Status withdrawEdit(SqlSession &session, qint64 entryId, int version, const QString &editor, qint64 nowMs);

// "Fix and approve": a reviewer's edit of a version becomes a new pending version authored by
// them (so someone else must approve it); approvals of the old version do not carry over.
// The caller's safety pass of the new text comes as a report {"risk", "reasons", "findings"};
// the stored risk never drops below the original version's. Returns the new version number.
Result<int> editVersion(SqlSession &session, qint64 entryId, int version, const QString &newText, const QString &editor,
    qint64 nowMs, const QJsonObject &safetyReport = {});

Result<std::vector<ApprovalRecord>> approvalsFor(SqlSession &session, qint64 entryId, int version);

// Whether a version may be served under the pinned admin keys: enough valid approvals by
// distinct reviewers registered by a pinned admin, over exactly this content, none by its
// author. why receives the reason when not.
bool approvalsVerify(const QByteArray &content, const QString &risk, const QString &author,
    const std::vector<ApprovalRecord> &approvals, const std::vector<ReviewerRecord> &reviewers,
    const std::vector<std::shared_ptr<SigningKey>> &pinnedAdmins, QString *why);

} // namespace l0
