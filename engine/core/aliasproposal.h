#pragma once

#include <QByteArray>
#include <QString>

namespace l0 {

// A near miss of the semantic tier: a query that came close to an approved entry without
// passing that entry's threshold. Reviewers are asked "same question as entry N?"; a yes makes
// the query's exact key an alias of the entry (served by the exact tier from then on).
struct AliasProposal {
    qint64 tenantId = 0;
    QString ns;
    qint64 entryId = 0; // the approved entry the query came close to
    int version = 0; // its version the similarity was measured against
    QByteArray queryKey; // hex: the query's exact key, ExactTier::key(scope, request).key
    QString query; // the query's last user text, shown to reviewers
    QByteArray requestJson; // the query's canonical exact request (what queryKey hashes)
    double similarity = 0; // cosine similarity to the entry, in [-1, 1]
    qint64 createdMs = 0; // 0: the store's clock
    QString uid; // journal id (set by the node): a proposal with a uid already applied is skipped
};

// A reviewer's verdict on a proposal, as nodes learn it from the store's change notifications
// (StoreWorker::setAliasVerdictHandler): the semantic tier feeds it into the entry's threshold.
struct AliasVerdict {
    qint64 tenantId = 0;
    QString ns;
    qint64 entryId = 0;
    int version = 0; // the version the similarity was measured against
    QByteArray queryKey; // hex exact key of the query
    double similarity = 0;
    bool same = false; // confirmed: the same question (the query is now an alias); rejected: not
    qint64 decidedMs = 0;
};

} // namespace l0
