#pragma once

#include <QByteArray>
#include <QString>

#include <vector>

#include "core/aliasproposal.h"
#include "core/result.h"
#include "sqlsession.h"

namespace l0 {

// Alias proposals and aliases, written once over SqlSession for both stores (migration 0020),
// with the signed decisions in trust/aliasdecisions.h on top.
//
// Filing: a near miss of the semantic tier is filed as a proposal for (tenant, query key, entry);
// the same near miss again only counts (seen) and refreshes the similarity and the version it
// was measured against. Deciding: a pending proposal is confirmed (the query's exact key becomes
// an alias of the entry: at most one alias per tenant and key) or rejected; a rejected proposal
// stays rejected, so the same proposal does not come back however often the query does.
struct AliasProposalRecord {
    qint64 id = 0;
    qint64 tenantId = 0;
    QString tenant;
    QString ns;
    qint64 entryId = 0;
    int version = 0;
    QByteArray queryKey; // hex
    QString query;
    QByteArray requestJson;
    double similarity = 0;
    qint64 seen = 0;
    qint64 firstMs = 0;
    qint64 lastMs = 0;
    QString state; // pending | confirmed | rejected
    QString decidedBy;
    qint64 decidedMs = 0;
    QString reason;
    QByteArray signature; // base64, as stored
    qint64 seq = 0; // the change number of its decision (0: undecided)
    // The entry, for reviewers: its first query and its live approved answer (empty when none).
    QString entryQuery;
    QString entryTier;
    QString entryAnswer;
    int entryApprovedVersion = 0;

    bool confirmed() const { return state == QLatin1String("confirmed"); }
};

struct AliasFilter {
    QString state = QStringLiteral("pending"); // empty: every state
    QString tenant; // empty: every tenant
    qint64 entryId = 0; // 0: every entry
    int limit = 500;
};

struct AliasReceipt {
    qint64 proposalId = 0; // 0: nothing filed (the query is the entry's own key, or a replayed uid)
    bool newProposal = false;
    QString state; // the proposal's state after filing
};

// Files a near miss. InvalidArgument for a proposal without tenant, entry or a hex query key;
// NotFound when the entry is not the tenant's. One transaction.
Result<AliasReceipt> addAliasProposal(SqlSession &session, const AliasProposal &proposal);

// Proposals by filter, most seen first (then the closest, then the oldest), with their
// entries' query and live answer.
Result<std::vector<AliasProposalRecord>> aliasProposals(SqlSession &session, const AliasFilter &filter);
Result<AliasProposalRecord> aliasProposal(SqlSession &session, qint64 id); // NotFound
Result<qint64> countAliasProposals(SqlSession &session, const QString &state, const QString &tenant = QString());

// Changes whenever a proposal is filed or decided (not when a known one is seen again): what
// the console polls to know its alias lane is stale.
Result<QByteArray> aliasQueueFingerprint(SqlSession &session);

// Records a reviewer's decision on a pending proposal under a new change number (the caller
// signs it and appends it to the audit chain: decideAliasSigned). Conflict when it is no longer
// pending, or (confirm) when the key is already an alias of another entry.
Status recordAliasDecision(SqlSession &session, qint64 id, bool confirm, const QString &reviewer, qint64 nowMs,
    const QString &reason, const QByteArray &signatureBase64);

// Decided proposals whose change number is > afterSeq, oldest first, at most limit: what nodes
// follow (confirmed ones serve; both kinds teach the entry's threshold).
Result<std::vector<AliasProposalRecord>> aliasDecisionsSince(SqlSession &session, qint64 afterSeq, int limit);

// The journal record of a proposal, and back (false when the record is something else).
QByteArray aliasProposalToJournal(const AliasProposal &proposal);
bool journalAliasProposal(const QByteArray &record, AliasProposal *proposal);

} // namespace l0
