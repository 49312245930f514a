#include "aliasdecisions.h"

#include <QJsonObject>

#include "store/auditchain.h"

namespace l0 {

QByteArray aliasMessage(qint64 proposalId, qint64 tenantId, qint64 entryId, const QByteArray &queryKey,
    const QString &decision, const QString &reviewer, qint64 signedAtMs)
{
    return "l0-alias/1\n" + QByteArray::number(proposalId) + '\n' + QByteArray::number(tenantId) + '\n'
        + QByteArray::number(entryId) + '\n' + queryKey + '\n' + decision.toUtf8() + '\n' + reviewer.toUtf8() + '\n'
        + QByteArray::number(signedAtMs);
}

Result<AliasProposalRecord> decideAliasSigned(
    SqlSession &s, qint64 proposalId, bool confirm, const SigningKey &key, const QString &reason, qint64 nowMs)
{
    if (!key.hasPrivate())
        return makeError(
            ErrorCode::InvalidArgument, QStringLiteral("a signed decision needs the reviewer's private key"));
    const QString why = !confirm && reason.trimmed().isEmpty() ? QStringLiteral("not the same question") : reason;
    auto decided = withTransaction(s, [&]() -> Status {
        auto who = reviewerForKey(s, key);
        if (!who)
            return who.error();
        const QString &reviewer = *who;
        auto p = aliasProposal(s, proposalId);
        if (!p)
            return p.error();
        if (p->state != QLatin1String("pending"))
            return makeError(
                ErrorCode::Conflict, QStringLiteral("alias proposal %1 is already %2").arg(proposalId).arg(p->state));
        if (confirm && p->entryApprovedVersion <= 0)
            return makeError(ErrorCode::Conflict,
                QStringLiteral("entry %1 serves no approved version: there is nothing to alias").arg(p->entryId));
        const QString decision = confirm ? QStringLiteral("confirm") : QStringLiteral("reject");
        auto sig = key.sign(aliasMessage(proposalId, p->tenantId, p->entryId, p->queryKey, decision, reviewer, nowMs));
        if (!sig)
            return sig.error();
        const QByteArray signature = sig->toBase64();
        if (auto r = recordAliasDecision(s, proposalId, confirm, reviewer, nowMs, why, signature); !r)
            return r;
        return appendAudit(s, reviewer, confirm ? QStringLiteral("alias.confirm") : QStringLiteral("alias.reject"),
            QStringLiteral("alias/%1").arg(proposalId),
            QJsonObject { { QLatin1String("reviewer"), reviewer }, { QLatin1String("decision"), decision },
                { QLatin1String("tenant"), p->tenantId }, { QLatin1String("entry"), p->entryId },
                { QLatin1String("version"), p->version },
                { QLatin1String("query_key"), QString::fromLatin1(p->queryKey) },
                { QLatin1String("similarity"), p->similarity },
                { QLatin1String("signature"), QString::fromLatin1(signature) }, { QLatin1String("reason"), why } },
            nowMs);
    });
    if (!decided)
        return decided.error();
    return aliasProposal(s, proposalId);
}

bool aliasDecisionVerifies(const AliasProposalRecord &a, const std::vector<ReviewerRecord> &reviewers,
    const std::vector<std::shared_ptr<SigningKey>> &pinnedAdmins, QString *why)
{
    const auto fail = [why](const QString &reason) {
        if (why)
            *why = reason;
        return false;
    };
    if (a.state == QLatin1String("pending"))
        return fail(QStringLiteral("undecided"));
    const ReviewerRecord *r = nullptr;
    for (const ReviewerRecord &x : reviewers) {
        if (x.name == a.decidedBy)
            r = &x;
    }
    if (!r)
        return fail(QStringLiteral("%1 is no registered reviewer").arg(a.decidedBy));
    auto pub = SigningKey::fromPublicPem(r->publicKeyPem);
    if (!pub || pub->fingerprint() != r->fingerprint)
        return fail(QStringLiteral("the key registered for %1 does not load").arg(a.decidedBy));
    bool pinned = false;
    for (const auto &admin : pinnedAdmins)
        pinned = pinned
            || (admin->fingerprint() == r->adminFingerprint
                && admin->verify(reviewerMessage(r->name, r->fingerprint), r->adminSignature));
    if (!pinned)
        return fail(QStringLiteral("%1 was not registered by a pinned admin key").arg(a.decidedBy));
    const QString decision = a.confirmed() ? QStringLiteral("confirm") : QStringLiteral("reject");
    if (!pub->verify(aliasMessage(a.id, a.tenantId, a.entryId, a.queryKey, decision, a.decidedBy, a.decidedMs),
            QByteArray::fromBase64(a.signature)))
        return fail(QStringLiteral("the signature of %1 does not verify").arg(a.decidedBy));
    return true;
}

} // namespace l0
