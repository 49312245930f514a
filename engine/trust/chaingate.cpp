#include "chaingate.h"

#include "core/logging.h"

namespace l0 {

namespace {

QString brokenNote(const ChainState &chain)
{
    return chain.brokenRow() > 0 ? QStringLiteral("; the audit chain is broken at row %1").arg(chain.brokenRow())
                                 : QString();
}

} // namespace

bool ChainGate::admitVersion(const VersionChange &c)
{
    const ChainState::VersionKey key { c.entryId, c.version };
    const bool admitted = c.state != VersionState::Approved || m_chain.follows(c.entryId, c.version, c.state);
    if (admitted)
        m_refusedVersions.remove(key);
    else {
        qCWarning(lcStore).noquote() << QStringLiteral("not serving entry %1 version %2: its approved state does not "
                                                       "follow from the audit chain (l0ctl audit verify)%3")
                                            .arg(c.entryId)
                                            .arg(c.version)
                                            .arg(brokenNote(m_chain));
        m_refusedVersions.insert(key);
    }
    m_refusedVersionCount = m_refusedVersions.size();
    return admitted;
}

bool ChainGate::admitPack(const RulePackRecord &p)
{
    const bool admitted = p.state != QLatin1String("active") || m_chain.packMayServe(p.id);
    if (admitted)
        m_refusedPacks.remove(p.id);
    else {
        qCWarning(lcNormalize).noquote() << QStringLiteral("not using rule pack %1 of tenant %2: the audit chain "
                                                           "records no approval that made it active (l0ctl audit "
                                                           "verify)%3")
                                                .arg(p.id)
                                                .arg(p.tenant, brokenNote(m_chain));
        m_refusedPacks.insert(p.id);
    }
    m_refusedPackCount = m_refusedPacks.size();
    return admitted;
}

bool ChainGate::admitAlias(const AliasProposalRecord &p)
{
    const ChainAlias *a = m_chain.alias(p.id);
    const QString decision = p.confirmed() ? QStringLiteral("confirm") : QStringLiteral("reject");
    const bool admitted = a && a->decision == decision && a->tenantId == p.tenantId && a->entryId == p.entryId
        && a->queryKey == p.queryKey && a->reviewer == p.decidedBy && a->signature == p.signature;
    if (!admitted)
        qCWarning(lcStore).noquote() << QStringLiteral("not using alias decision %1 (entry %2): it is not a signed "
                                                       "decision the audit chain recorded (l0ctl audit verify)%3")
                                            .arg(p.id)
                                            .arg(p.entryId)
                                            .arg(brokenNote(m_chain));
    return admitted;
}

QByteArray ChainGate::renderMetrics(bool unverified) const
{
    return "# HELP l0_trust_database_unverified 1 when approvals are taken from the database unverified "
           "(--trust-database).\n# TYPE l0_trust_database_unverified gauge\nl0_trust_database_unverified "
        + QByteArray(unverified ? "1" : "0")
        + "\n# HELP l0_trust_refused Stored approvals and active rule packs not served because they do not follow "
          "from the audit chain.\n# TYPE l0_trust_refused gauge\nl0_trust_refused{kind=\"version\"} "
        + QByteArray::number(m_refusedVersionCount.load()) + "\nl0_trust_refused{kind=\"rule_pack\"} "
        + QByteArray::number(m_refusedPackCount.load()) + '\n';
}

} // namespace l0
