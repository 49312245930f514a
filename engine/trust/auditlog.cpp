#include "auditlog.h"

#include <QSet>

#include <algorithm>

#include "approvals.h"
#include "core/text.h"

namespace l0 {

namespace {

using Kind = StateDifference::Kind;

QString subjectOf(qint64 entryId, int version)
{
    return QStringLiteral("entry/%1@%2").arg(entryId).arg(version);
}

Status compareVersions(SqlSession &s, const ChainState &chain, std::vector<StateDifference> *out)
{
    auto rows
        = s.query(QStringLiteral("SELECT entry_id, version, state, content FROM versions ORDER BY entry_id, version"));
    if (!rows)
        return rows.error();
    for (const SqlSession::Row &r : *rows) {
        StateDifference d;
        d.table = QStringLiteral("versions");
        d.entryId = r.int64(0);
        d.version = int(r.int64(1));
        d.place = subjectOf(d.entryId, d.version);
        d.stored = r.text(2);
        const ChainVersion *cv = chain.version(d.entryId, d.version);
        if (!cv) {
            d.kind = Kind::VersionUnknown;
            d.why = QStringLiteral("the audit chain never filed this version");
        } else if (cv->contentSha256 != sha256Hex(r.bytes(3))) {
            d.kind = Kind::VersionContent;
            d.stored = QStringLiteral("content %1").arg(QString::fromLatin1(sha256Hex(r.bytes(3)).left(12)));
            d.expected = QStringLiteral("content %1").arg(QString::fromLatin1(cv->contentSha256.left(12)));
            d.why = QStringLiteral("its content is not what the audit chain recorded");
        } else if (d.stored != QLatin1String(versionStateName(cv->state))) {
            d.kind = Kind::VersionState;
            d.expected = QString::fromLatin1(versionStateName(cv->state));
            d.why = QStringLiteral("the decisions the chain recorded give %1 (%2 of %3 signed approvals in force)")
                        .arg(d.expected)
                        .arg(cv->approvals.size())
                        .arg(requiredApprovals(cv->risk));
        } else {
            continue;
        }
        out->push_back(std::move(d));
    }
    return {};
}

bool sameDecision(const ChainApproval &a, const SqlSession::Row &r)
{
    return a.decision == r.text(3) && a.contentSha256 == r.bytes(5) && a.signedMs == r.int64(6)
        && a.signature == r.bytes(7);
}

StateDifference extraApproval(const SqlSession::Row &r, const ChainVersion *cv)
{
    StateDifference d;
    d.kind = Kind::ExtraApproval;
    d.table = QStringLiteral("approvals");
    d.rowId = r.int64(0);
    d.entryId = r.int64(1);
    d.version = int(r.int64(2));
    d.reviewer = r.text(4);
    d.place = QStringLiteral("approval %1 (%2 by %3)").arg(d.rowId).arg(subjectOf(d.entryId, d.version), d.reviewer);
    d.stored = r.text(3);
    d.expected = QStringLiteral("no row");
    const bool withdrawn = cv && std::any_of(cv->withdrawn.begin(), cv->withdrawn.end(), [&](const ChainApproval &w) {
        return w.reviewer == d.reviewer && w.signature == r.bytes(7);
    });
    d.why = withdrawn ? QStringLiteral("its reviewer withdrew this decision")
                      : QStringLiteral("no decision the chain recorded: its signature does not verify or was never "
                                       "recorded");
    return d;
}

StateDifference missingApproval(qint64 entryId, int version, const ChainApproval &a)
{
    StateDifference d;
    d.kind = Kind::MissingApproval;
    d.table = QStringLiteral("approvals");
    d.entryId = entryId;
    d.version = version;
    d.reviewer = a.reviewer;
    d.rowId = a.auditRow;
    d.place = QStringLiteral("approval of %1 by %2").arg(subjectOf(entryId, version), a.reviewer);
    d.stored = QStringLiteral("no row");
    d.expected = a.decision;
    d.why = QStringLiteral("recorded at audit row %1 and in force, but its row is gone").arg(a.auditRow);
    return d;
}

Status compareApprovals(SqlSession &s, const ChainState &chain, std::vector<StateDifference> *out)
{
    auto rows = s.query(QStringLiteral("SELECT id, entry_id, version, decision, reviewer, content_sha256, signed_ms, "
                                       "signature FROM approvals ORDER BY id"));
    if (!rows)
        return rows.error();
    QSet<qint64> matched; // audit rows of the decisions found in the table
    for (const SqlSession::Row &r : *rows) {
        const ChainVersion *cv = chain.version(r.int64(1), int(r.int64(2)));
        qint64 hit = 0;
        for (const ChainApproval &a : cv ? cv->approvals : std::vector<ChainApproval>()) {
            if (a.reviewer == r.text(4) && sameDecision(a, r))
                hit = a.auditRow;
        }
        if (hit > 0)
            matched.insert(hit);
        else
            out->push_back(extraApproval(r, cv));
    }
    for (auto it = chain.versions().cbegin(); it != chain.versions().cend(); ++it) {
        for (const ChainApproval &a : it->approvals) {
            if (!matched.contains(a.auditRow))
                out->push_back(missingApproval(it.key().first, it.key().second, a));
        }
    }
    return {};
}

Status comparePacks(SqlSession &s, const ChainState &chain, std::vector<StateDifference> *out)
{
    auto rows = s.query(QStringLiteral("SELECT id, state FROM rule_packs ORDER BY id"));
    if (!rows)
        return rows.error();
    for (const SqlSession::Row &r : *rows) {
        const auto recorded = chain.packState(r.int64(0));
        // A pack the chain never recorded may wait for a decision, never serve.
        const QString expected
            = recorded.value_or(r.text(1) == QLatin1String("active") ? QStringLiteral("pending") : r.text(1));
        if (expected == r.text(1))
            continue;
        StateDifference d;
        d.kind = Kind::PackState;
        d.table = QStringLiteral("rule_packs");
        d.rowId = r.int64(0);
        d.place = QStringLiteral("rulepack/%1").arg(d.rowId);
        d.stored = r.text(1);
        d.expected = expected;
        d.why = recorded ? QStringLiteral("the decisions the chain recorded make it %1").arg(expected)
                         : QStringLiteral("the chain records no approval of it");
        out->push_back(std::move(d));
    }
    return {};
}

// Every decided alias proposal must be the signed decision the chain recorded, and every
// decision the chain recorded must be in the table: an alias nobody signed never serves.
Status compareAliases(SqlSession &s, const ChainState &chain, std::vector<StateDifference> *out)
{
    auto rows = s.query(QStringLiteral("SELECT id, tenant_id, entry_id, query_key, state, decided_by, signature FROM "
                                       "alias_proposals ORDER BY id"));
    if (!rows)
        return rows.error();
    QSet<qint64> seen;
    for (const SqlSession::Row &r : *rows) {
        const qint64 id = r.int64(0);
        seen.insert(id);
        const QString state = r.text(4);
        const ChainAlias *a = chain.alias(id);
        StateDifference d;
        d.kind = Kind::AliasDecision;
        d.table = QStringLiteral("alias_proposals");
        d.rowId = id;
        d.entryId = r.int64(2);
        d.reviewer = r.text(5);
        d.place = QStringLiteral("alias/%1 (entry %2)").arg(id).arg(d.entryId);
        d.stored = state;
        if (state == QLatin1String("pending")) {
            if (!a)
                continue;
            d.expected
                = a->decision == QLatin1String("confirm") ? QStringLiteral("confirmed") : QStringLiteral("rejected");
            d.why = QStringLiteral("the chain records %1's signed decision on it").arg(a->reviewer);
        } else if (!a) {
            d.expected = QStringLiteral("pending");
            d.why = QStringLiteral("the audit chain records no signed decision on it");
        } else {
            const QString decided
                = a->decision == QLatin1String("confirm") ? QStringLiteral("confirmed") : QStringLiteral("rejected");
            if (decided == state && a->tenantId == r.int64(1) && a->entryId == d.entryId && a->queryKey == r.bytes(3)
                && a->reviewer == d.reviewer && a->signature == r.bytes(6))
                continue;
            d.expected = QStringLiteral("%1 of entry %2 by %3").arg(decided).arg(a->entryId).arg(a->reviewer);
            d.why = QStringLiteral("it is not the decision %1 signed").arg(a->reviewer);
        }
        out->push_back(std::move(d));
    }
    for (auto it = chain.aliases().constBegin(); it != chain.aliases().constEnd(); ++it) {
        if (seen.contains(it.key()))
            continue;
        StateDifference d;
        d.kind = Kind::AliasDecision;
        d.table = QStringLiteral("alias_proposals");
        d.rowId = it.key();
        d.entryId = it->entryId;
        d.reviewer = it->reviewer;
        d.place = QStringLiteral("alias/%1 (entry %2)").arg(it.key()).arg(it->entryId);
        d.stored = QStringLiteral("no row");
        d.expected = it->decision;
        d.why = QStringLiteral("the chain records a signed decision on a proposal the table lacks");
        out->push_back(std::move(d));
    }
    return {};
}

} // namespace

bool StateDifference::restorable() const
{
    return kind == Kind::VersionState || kind == Kind::ExtraApproval || kind == Kind::MissingApproval
        || kind == Kind::PackState;
}

QString StateDifference::describe() const
{
    return QStringLiteral("%1 %2: stored %3, the chain says %4 (%5)")
        .arg(table, place, stored, expected.isEmpty() ? QStringLiteral("nothing") : expected, why);
}

Result<std::vector<StateDifference>> stateDifferences(SqlSession &s, const ChainState &chain)
{
    std::vector<StateDifference> out;
    for (const QString &bad : chain.badSignatures()) {
        StateDifference d;
        d.kind = Kind::BadChainSignature;
        d.table = QStringLiteral("audit_log");
        d.place = bad.section(QLatin1Char(':'), 0, 0);
        d.stored = QStringLiteral("a signed decision");
        d.expected = QStringLiteral("a valid signature");
        d.why = bad.section(QLatin1Char(':'), 1).trimmed();
        out.push_back(std::move(d));
    }
    for (auto compare : { compareVersions, compareApprovals, comparePacks, compareAliases }) {
        if (auto st = compare(s, chain, &out); !st)
            return st.error();
    }
    return out;
}

Result<AuditReport> verifyAudit(SqlSession &s)
{
    ChainState chain;
    if (auto st = chain.advance(s); !st)
        return st.error();
    AuditReport report;
    report.rows = chain.rows();
    if (chain.brokenRow() > 0) {
        report.ok = false;
        report.brokenRow = chain.brokenRow();
        report.rows += 1;
        report.reason = chain.brokenReason();
        return report;
    }
    auto differences = stateDifferences(s, chain);
    if (!differences)
        return differences.error();
    report.differences = std::move(*differences);
    report.ok = report.differences.empty();
    if (!report.ok)
        report.reason = report.differences.front().describe();
    return report;
}

} // namespace l0
