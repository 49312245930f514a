#pragma once

#include <QByteArray>
#include <QSet>

#include <atomic>

#include "chainstate.h"
#include "core/entry.h"
#include "core/result.h"
#include "store/aliasrules.h"
#include "store/sqlsession.h"
#include "store/storetypes.h"

namespace l0 {

// A node's check of what it loads against the audit chain: a version stored as approved, or a
// rule pack stored as active, serves only when the chain's recorded decisions give it that state
// (ChainState). Keeps count of what it refuses, for /metrics.
//
// advance() and the admit calls belong to the store's thread; renderMetrics() may be called from
// any thread.
class ChainGate {
public:
    // Replays what the chain gained. Call after reading the changes to admit, so that the chain
    // read is at least as new as they are (each change and its audit row commit together).
    Status advance(SqlSession &session) { return m_chain.advance(session); }

    // false: do not serve this version (logged, and counted until a later change admits it).
    bool admitVersion(const VersionChange &change);
    bool admitPack(const RulePackRecord &pack);
    // A decided alias proposal counts only when it is the signed decision the chain recorded
    // (same decision, tenant, entry, query key, reviewer and signature).
    bool admitAlias(const AliasProposalRecord &decided);

    // Prometheus text: the versions and packs refused, and whether approvals go unverified.
    QByteArray renderMetrics(bool unverified) const;

private:
    ChainState m_chain;
    QSet<ChainState::VersionKey> m_refusedVersions;
    QSet<qint64> m_refusedPacks;
    std::atomic<qint64> m_refusedVersionCount { 0 };
    std::atomic<qint64> m_refusedPackCount { 0 };
};

} // namespace l0
