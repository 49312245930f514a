#include "chainstate.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include "aliasdecisions.h"
#include "approvals.h"
#include "store/auditchain.h"
#include "store/queuerules.h"

namespace l0 {

namespace {

QString detail(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

} // namespace

ChainState::VersionKey versionOfSubject(const QString &subject)
{
    static const QRegularExpression re(QStringLiteral("^entry/(\\d+)@(\\d+)$"));
    const auto m = re.match(subject);
    if (!m.hasMatch())
        return { 0, 0 };
    return { m.captured(1).toLongLong(), m.captured(2).toInt() };
}

VersionState stateFromDecisions(const ChainVersion &v, QString *reason)
{
    int approvals = 0;
    for (const ChainApproval &a : v.approvals) {
        if (a.decision == QLatin1String("reject")) {
            if (reason)
                *reason = a.reason;
            return VersionState::Rejected;
        }
        ++approvals;
    }
    if (reason)
        reason->clear();
    if (approvals >= requiredApprovals(v.risk))
        return VersionState::Approved;
    return approvals > 0 ? VersionState::NeedsSecond : VersionState::Pending;
}

bool decisionVerifies(const SigningKey &key, qint64 entryId, int version, const ChainApproval &d)
{
    return key.verify(approvalMessage(entryId, version, d.contentSha256, d.decision, d.reviewer, d.signedMs),
        QByteArray::fromBase64(d.signature));
}

Status ChainState::advance(SqlSession &s)
{
    if (m_brokenRow > 0)
        return {};
    auto rows = s.query(QStringLiteral("SELECT id, ts_ms, actor, action, subject, details, prev_hash, hash FROM "
                                       "audit_log WHERE id > ? ORDER BY id"),
        { SqlSession::num(m_lastId) });
    if (!rows)
        return rows.error();
    if (m_lastHash.isEmpty())
        m_lastHash = auditGenesisHash();
    for (const SqlSession::Row &r : *rows) {
        const Row row { r.int64(0), r.int64(1), r.text(2), r.text(3), r.text(4), r.bytes(5) };
        const QByteArray expected = auditRowHash(m_lastHash, row.ts, row.actor, row.action, row.subject, row.details);
        if (r.bytes(6) != m_lastHash || r.bytes(7) != expected) {
            m_brokenRow = row.id;
            m_brokenReason = r.bytes(6) != m_lastHash ? QStringLiteral("its previous hash does not match row before it")
                                                      : QStringLiteral("its hash does not match its contents");
            return {};
        }
        m_lastHash = r.bytes(7);
        m_lastId = row.id;
        ++m_rows;
        apply(s, row);
    }
    return {};
}

void ChainState::apply(SqlSession &s, const Row &row)
{
    const QJsonObject details = QJsonDocument::fromJson(row.details).object();
    if (row.action == QLatin1String("reviewer.add")) {
        m_registered.insert(row.subject.mid(int(qstrlen("reviewer/"))), detail(details, "fingerprint").toLatin1());
        return;
    }
    if (row.action.startsWith(QLatin1String("rulepack."))) {
        const qint64 pack = row.subject.mid(int(qstrlen("rulepack/"))).toLongLong();
        m_packs.insert(
            pack, row.action == QLatin1String("rulepack.add") ? QStringLiteral("pending") : detail(details, "state"));
        return;
    }
    if (row.action.startsWith(QLatin1String("alias."))) {
        applyAlias(s, row);
        return;
    }
    const auto [entryId, version] = versionOfSubject(row.subject);
    if (entryId <= 0)
        return;
    if (row.action == QLatin1String("version.add")) {
        ChainVersion v;
        v.risk = details.contains(QLatin1String("risk")) ? detail(details, "risk") : QStringLiteral("low");
        v.contentSha256 = detail(details, "content_sha256").toLatin1();
        m_versions.insert({ entryId, version }, std::move(v));
        m_entryVersions[entryId].push_back(version);
        return;
    }
    auto it = m_versions.find({ entryId, version });
    if (it == m_versions.end())
        return; // a decision on a version the chain never filed decides nothing
    if (row.action == QLatin1String("approval"))
        applyApproval(s, row, *it, entryId, version);
    else if (row.action == QLatin1String("approval.withdraw")) {
        const QString reviewer = detail(details, "reviewer");
        auto &in = it->approvals;
        for (auto a = in.begin(); a != in.end(); ++a) {
            if (a->reviewer == reviewer) {
                it->withdrawn.push_back(*a);
                in.erase(a);
                break;
            }
        }
    } else if (row.action == QLatin1String("decision"))
        applyDecision(row, *it, entryId, version);
}

void ChainState::applyApproval(SqlSession &s, const Row &row, ChainVersion &v, qint64 entryId, int version)
{
    const QJsonObject details = QJsonDocument::fromJson(row.details).object();
    ChainApproval a { row.id, detail(details, "reviewer"), detail(details, "decision"),
        detail(details, "content_sha256").toLatin1(), row.ts, detail(details, "signature").toLatin1(),
        detail(details, "reason") };
    const auto key = reviewerKey(s, a.reviewer);
    if (!key || !decisionVerifies(*key, entryId, version, a)) {
        m_badSignatures << QStringLiteral("audit row %1: the decision on %2 by %3 does not verify against the key "
                                          "registered for %3")
                               .arg(row.id)
                               .arg(row.subject, a.reviewer);
        return;
    }
    std::erase_if(v.approvals, [&](const ChainApproval &x) { return x.reviewer == a.reviewer; });
    v.approvals.push_back(std::move(a));
}

void ChainState::applyDecision(const Row &row, ChainVersion &v, qint64 entryId, int version)
{
    const QJsonObject details = QJsonDocument::fromJson(row.details).object();
    const VersionState before = v.state;
    // A signed decision's row states its outcome; the outcome that counts is the one its
    // signatures give.
    if (details.contains(QLatin1String("approvals"))) {
        v.state = stateFromDecisions(v, &v.reason);
    } else {
        v.state = versionStateFromName(detail(details, "state")).value_or(v.state);
        v.reason = detail(details, "reason");
    }
    if (v.state == VersionState::Approved && before != VersionState::Approved)
        supersedeOthers(entryId, version);
}

void ChainState::supersedeOthers(qint64 entryId, int version)
{
    for (int other : m_entryVersions.value(entryId)) {
        auto it = m_versions.find({ entryId, other });
        if (other != version && it != m_versions.end() && it->state == VersionState::Approved) {
            it->state = VersionState::Revoked;
            it->reason = supersededReason(version);
        }
    }
}

void ChainState::applyAlias(SqlSession &s, const Row &row)
{
    const qint64 proposal
        = row.subject.startsWith(QLatin1String("alias/")) ? row.subject.mid(int(qstrlen("alias/"))).toLongLong() : 0;
    if (proposal <= 0 || m_aliases.contains(proposal))
        return; // a proposal is decided once
    const QJsonObject details = QJsonDocument::fromJson(row.details).object();
    ChainAlias a { row.id, details.value(QLatin1String("tenant")).toInteger(),
        details.value(QLatin1String("entry")).toInteger(), detail(details, "query_key").toLatin1(),
        detail(details, "decision"), detail(details, "reviewer"), row.ts, detail(details, "signature").toLatin1() };
    const QString expected
        = row.action == QLatin1String("alias.confirm") ? QStringLiteral("confirm") : QStringLiteral("reject");
    const auto key = reviewerKey(s, a.reviewer);
    if (a.decision != expected || !key
        || !key->verify(aliasMessage(proposal, a.tenantId, a.entryId, a.queryKey, a.decision, a.reviewer, a.signedMs),
            QByteArray::fromBase64(a.signature))) {
        m_badSignatures << QStringLiteral("audit row %1: the alias decision on %2 by %3 does not verify against the "
                                          "key registered for %3")
                               .arg(row.id)
                               .arg(row.subject, a.reviewer);
        return;
    }
    m_aliases.insert(proposal, std::move(a));
}

std::shared_ptr<SigningKey> ChainState::reviewerKey(SqlSession &s, const QString &reviewer)
{
    if (auto cached = m_keys.value(reviewer))
        return cached;
    const QByteArray fingerprint = m_registered.value(reviewer);
    if (fingerprint.isEmpty())
        return nullptr;
    auto row
        = s.query(QStringLiteral("SELECT public_key FROM reviewers WHERE name = ?"), { SqlSession::str(reviewer) });
    if (!row || row->empty())
        return nullptr;
    auto key = SigningKey::fromPublicPem(row->at(0).bytes(0));
    // The table's key counts only when it is the one the chain registered.
    if (!key || key->fingerprint() != fingerprint)
        return nullptr;
    auto shared = std::make_shared<SigningKey>(std::move(key.value()));
    m_keys.insert(reviewer, shared);
    return shared;
}

const ChainVersion *ChainState::version(qint64 entryId, int version) const
{
    auto it = m_versions.constFind({ entryId, version });
    return it == m_versions.constEnd() ? nullptr : &*it;
}

std::optional<QString> ChainState::packState(qint64 packId) const
{
    auto it = m_packs.constFind(packId);
    if (it == m_packs.constEnd())
        return std::nullopt;
    return *it;
}

bool ChainState::follows(qint64 entryId, int v, VersionState stored) const
{
    const ChainVersion *cv = version(entryId, v);
    return cv && cv->state == stored;
}

bool ChainState::packMayServe(qint64 packId) const
{
    return packState(packId) == QStringLiteral("active");
}

const ChainAlias *ChainState::alias(qint64 proposalId) const
{
    auto it = m_aliases.constFind(proposalId);
    return it == m_aliases.constEnd() ? nullptr : &*it;
}

} // namespace l0
