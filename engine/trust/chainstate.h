#pragma once

#include <QByteArray>
#include <QHash>
#include <QPair>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

#include "core/entry.h"
#include "core/result.h"
#include "signing.h"
#include "store/sqlsession.h"

namespace l0 {

// A signed decision as the audit chain recorded it ("approval" rows).
struct ChainApproval {
    qint64 auditRow = 0; // the audit_log row that recorded it
    QString reviewer;
    QString decision; // approve | reject
    QByteArray contentSha256;
    qint64 signedMs = 0; // the row's time, which is the time the reviewer signed
    QByteArray signature; // base64, as stored
    QString reason;
};

// A signed alias decision as the audit chain recorded it ("alias.confirm", "alias.reject" rows).
struct ChainAlias {
    qint64 auditRow = 0;
    qint64 tenantId = 0;
    qint64 entryId = 0;
    QByteArray queryKey;
    QString decision; // confirm | reject
    QString reviewer;
    qint64 signedMs = 0; // the row's time
    QByteArray signature; // base64, as stored
};

// What the chain says one version is.
struct ChainVersion {
    VersionState state = VersionState::Pending;
    QString reason; // why it is in that state (a veto's reason, "superseded by version N", ...)
    QString risk; // as filed: how many approvals it needs
    QByteArray contentSha256; // of the content as filed
    std::vector<ChainApproval> approvals; // signed decisions in force, one per reviewer
    std::vector<ChainApproval> withdrawn; // taken back by their reviewers
};

// The audit chain replayed: what every version and rule pack should be, derived only from the
// rows the chain recorded, never from the tables it describes.
//
// A version is pending when filed ("version.add"). Its state then follows from the signed
// decisions in force ("approval" minus "approval.withdraw"): a veto rejects it, enough distinct
// approvals for the risk it was filed with approve it, fewer leave it waiting. A signed decision
// counts only when its signature verifies against the key the chain registered for its reviewer
// ("reviewer.add"). Decisions without signatures the chain recorded as such (revocations,
// expiries, unsigned approvals, withdrawn edits) set the state they name. A version that becomes
// approved supersedes the entry's other approved versions. A rule pack is pending when published
// and takes the states its recorded decisions give it.
//
// The chain is a hash chain, not a signature: anyone who can write to the database can also
// append well-formed rows. That is why only signed decisions approve here, and why nodes that pin
// an admin key also check that the reviewers' keys were registered by it.
//
// Replays incrementally: advance() reads only the rows appended since the last call. Not
// thread-safe; use on the session's thread.
class ChainState {
public:
    using VersionKey = QPair<qint64, int>; // entry, version

    // Reads and replays the rows appended since the last call. A row whose hash does not follow
    // from the row before stops the replay there for good (brokenRow()): nothing after it counts.
    // An error is the database's.
    Status advance(SqlSession &session);

    qint64 rows() const { return m_rows; }
    qint64 brokenRow() const { return m_brokenRow; }
    const QString &brokenReason() const { return m_brokenReason; }
    // Recorded signed decisions whose signatures do not verify: "audit row N: ..." each.
    const QStringList &badSignatures() const { return m_badSignatures; }

    const ChainVersion *version(qint64 entryId, int version) const;
    const QHash<VersionKey, ChainVersion> &versions() const { return m_versions; }
    // A rule pack's state as the chain records it; nullopt when the chain never recorded the pack.
    std::optional<QString> packState(qint64 packId) const;

    // Whether the chain has this version in exactly this state.
    bool follows(qint64 entryId, int version, VersionState stored) const;
    // Whether a pack stored as active was activated through a recorded approval.
    bool packMayServe(qint64 packId) const;
    // An alias proposal's decision as the chain recorded it, counted only when its signature
    // verifies against the key the chain registered for its reviewer; null when none (the
    // first verified decision of a proposal is the one that counts).
    const ChainAlias *alias(qint64 proposalId) const;
    const QHash<qint64, ChainAlias> &aliases() const { return m_aliases; }

private:
    struct Row {
        qint64 id;
        qint64 ts;
        QString actor, action, subject;
        QByteArray details;
    };
    void apply(SqlSession &session, const Row &row);
    void applyApproval(SqlSession &session, const Row &row, ChainVersion &v, qint64 entryId, int version);
    void applyDecision(const Row &row, ChainVersion &v, qint64 entryId, int version);
    void supersedeOthers(qint64 entryId, int version);
    void applyAlias(SqlSession &session, const Row &row);
    std::shared_ptr<SigningKey> reviewerKey(SqlSession &session, const QString &reviewer);

    qint64 m_lastId = 0;
    QByteArray m_lastHash;
    qint64 m_rows = 0;
    qint64 m_brokenRow = 0;
    QString m_brokenReason;
    QStringList m_badSignatures;
    QHash<VersionKey, ChainVersion> m_versions;
    QHash<qint64, std::vector<int>> m_entryVersions; // entry -> its versions, to supersede
    QHash<qint64, QString> m_packs;
    QHash<qint64, ChainAlias> m_aliases; // by proposal id
    QHash<QString, QByteArray> m_registered; // reviewer -> key fingerprint, as the chain registered
    QHash<QString, std::shared_ptr<SigningKey>> m_keys; // reviewer -> verified public key, cached
};

// "entry/12@3" -> (12, 3); (0, 0) when the subject names no version.
ChainState::VersionKey versionOfSubject(const QString &subject);

// The state the signed decisions in force give a version of this risk.
VersionState stateFromDecisions(const ChainVersion &version, QString *reason);

// Whether a signed decision verifies against this public key.
bool decisionVerifies(const SigningKey &reviewerKey, qint64 entryId, int version, const ChainApproval &decision);

} // namespace l0
