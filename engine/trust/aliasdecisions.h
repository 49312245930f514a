#pragma once

#include <QByteArray>
#include <QString>

#include <memory>
#include <vector>

#include "approvals.h"
#include "core/result.h"
#include "signing.h"
#include "store/aliasrules.h"
#include "store/sqlsession.h"

namespace l0 {

// What a reviewer signs to confirm ("confirm") or reject ("reject") one alias proposal: the
// query's exact key is (or is not) the same question as the entry.
QByteArray aliasMessage(qint64 proposalId, qint64 tenantId, qint64 entryId, const QByteArray &queryKey,
    const QString &decision, const QString &reviewer, qint64 signedAtMs);

// A reviewer's signed decision on a pending alias proposal, as one transaction: the decision is
// recorded (recordAliasDecision) and appended to the audit chain ("alias.confirm" or
// "alias.reject", subject "alias/ID", with the signature and what it covers). The reviewer is the
// registered owner of the key. A confirmation needs the entry to serve an approved version;
// a rejection records its reason ("not the same question" when none is given). Returns the
// proposal as decided. PermissionDenied for an
// unregistered key, Conflict when the proposal is decided already or the key is an alias of
// another entry, NotFound for an unknown proposal.
Result<AliasProposalRecord> decideAliasSigned(SqlSession &session, qint64 proposalId, bool confirm,
    const SigningKey &reviewerKey, const QString &reason, qint64 nowMs);

// Whether a decided proposal's stored signature verifies for its reviewer, registered by one of
// the pinned admin keys (nodes that pin admins serve only such aliases). why: the reason when not.
bool aliasDecisionVerifies(const AliasProposalRecord &decided, const std::vector<ReviewerRecord> &reviewers,
    const std::vector<std::shared_ptr<SigningKey>> &pinnedAdmins, QString *why);

} // namespace l0
