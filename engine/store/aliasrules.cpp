#include "aliasrules.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

#include "core/chat.h"

namespace l0 {

namespace {

using S = SqlSession;

constexpr qint64 kAliasLock = 7243703; // proposals of one key are filed one at a time

qint64 toMicros(double similarity)
{
    if (!std::isfinite(similarity))
        return 0;
    return qint64(std::llround(std::clamp(similarity, -1.0, 1.0) * 1e6));
}

bool isHexKey(const QByteArray &key)
{
    if (key.isEmpty() || key.size() > 128)
        return false;
    for (char c : key) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

// The columns every read selects, in this order (see fromRow).
const char *const kColumns
    = "p.id, p.tenant_id, t.name, p.namespace, p.entry_id, p.version, p.query_key, p.query, p.request, "
      "p.similarity_micros, p.seen, p.first_ms, p.last_ms, p.state, p.decided_by, p.decided_ms, p.reason, "
      "p.signature, p.seq, e.tier, "
      "(SELECT q.query FROM entry_queries q WHERE q.entry_id = p.entry_id ORDER BY q.seen_ms LIMIT 1), "
      "(SELECT v.content FROM versions v WHERE v.entry_id = p.entry_id AND v.state = 'approved' "
      "ORDER BY v.version DESC LIMIT 1), "
      "(SELECT MAX(v.version) FROM versions v WHERE v.entry_id = p.entry_id AND v.state = 'approved') "
      "FROM alias_proposals p JOIN tenants t ON t.id = p.tenant_id JOIN entries e ON e.id = p.entry_id";

AliasProposalRecord fromRow(const S::Row &r)
{
    AliasProposalRecord a;
    a.id = r.int64(0);
    a.tenantId = r.int64(1);
    a.tenant = r.text(2);
    a.ns = r.text(3);
    a.entryId = r.int64(4);
    a.version = int(r.int64(5));
    a.queryKey = r.bytes(6);
    a.query = r.text(7);
    a.requestJson = r.bytes(8);
    a.similarity = double(r.int64(9)) / 1e6;
    a.seen = r.int64(10);
    a.firstMs = r.int64(11);
    a.lastMs = r.int64(12);
    a.state = r.text(13);
    a.decidedBy = r.text(14);
    a.decidedMs = r.int64(15);
    a.reason = r.text(16);
    a.signature = r.bytes(17);
    a.seq = r.int64(18);
    a.entryTier = r.text(19);
    a.entryQuery = r.text(20);
    if (!r.isNull(21)) {
        auto result = ChatResult::fromJson(QJsonDocument::fromJson(r.bytes(21)).object());
        if (result)
            a.entryAnswer = result->text();
    }
    a.entryApprovedVersion = int(r.int64(22));
    return a;
}

} // namespace

Result<AliasReceipt> addAliasProposal(SqlSession &s, const AliasProposal &p)
{
    if (p.tenantId <= 0 || p.entryId <= 0 || !isHexKey(p.queryKey))
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("an alias proposal needs a tenant, an entry and the query's exact key (hex)"));
    const qint64 now = s.clock().nowMs();
    const qint64 at = p.createdMs > 0 ? p.createdMs : now;
    return withTransaction(s, [&]() -> Result<AliasReceipt> {
        if (auto l = s.lockExclusive(kAliasLock); !l)
            return l.error();
        if (!p.uid.isEmpty()) {
            // Replayed from a journal: applied once only.
            auto seen = s.query(QStringLiteral("SELECT 1 FROM journal_applied WHERE uid = ?"), { S::str(p.uid) });
            if (!seen)
                return seen.error();
            if (!seen->empty())
                return AliasReceipt {};
            auto once = s.execute(QStringLiteral("INSERT INTO journal_applied (uid, applied_ms) VALUES (?, ?)"),
                { S::str(p.uid), S::num(now) });
            if (!once)
                return once.error();
        }
        auto entry = s.query(
            QStringLiteral("SELECT tenant_id, tier, cache_key FROM entries WHERE id = ?"), { S::num(p.entryId) });
        if (!entry)
            return entry.error();
        if (entry->empty() || entry->at(0).int64(0) != p.tenantId)
            return makeError(
                ErrorCode::NotFound, QStringLiteral("tenant %1 has no entry %2").arg(p.tenantId).arg(p.entryId));
        if (entry->at(0).text(1) == QLatin1String("exact") && entry->at(0).bytes(2) == p.queryKey)
            return AliasReceipt {}; // the entry's own request: an exact hit already
        auto existing = s.query(QStringLiteral("SELECT id, state FROM alias_proposals WHERE tenant_id = ? AND "
                                               "query_key = ? AND entry_id = ?%1")
                                    .arg(s.forUpdate()),
            { S::num(p.tenantId), S::Value(p.queryKey), S::num(p.entryId) });
        if (!existing)
            return existing.error();
        AliasReceipt receipt;
        if (!existing->empty()) {
            receipt.proposalId = existing->at(0).int64(0);
            receipt.state = existing->at(0).text(1);
            // Counted whatever its state; only a waiting proposal takes the latest measurement.
            auto up = s.execute(
                QStringLiteral("UPDATE alias_proposals SET seen = seen + 1, last_ms = CASE WHEN last_ms > ? THEN "
                               "last_ms ELSE ? END, similarity_micros = CASE WHEN state = 'pending' THEN ? ELSE "
                               "similarity_micros END, version = CASE WHEN state = 'pending' THEN ? ELSE version END "
                               "WHERE id = ?"),
                { S::num(at), S::num(at), S::num(toMicros(p.similarity)), S::num(p.version),
                    S::num(receipt.proposalId) });
            if (!up)
                return up.error();
            return receipt;
        }
        auto id = s.insert(QStringLiteral("INSERT INTO alias_proposals (tenant_id, namespace, entry_id, version, "
                                          "query_key, query, request, similarity_micros, seen, first_ms, last_ms, "
                                          "state, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, 'pending', 0)"),
            { S::num(p.tenantId), S::str(p.ns), S::num(p.entryId), S::num(p.version), S::Value(p.queryKey),
                S::str(p.query.left(4000)), S::Value(p.requestJson.isNull() ? QByteArray("") : p.requestJson),
                S::num(toMicros(p.similarity)), S::num(at), S::num(at) });
        if (!id)
            return id.error();
        if (auto n = s.announce(QStringLiteral("queue")); !n)
            return n.error();
        receipt.proposalId = *id;
        receipt.newProposal = true;
        receipt.state = QStringLiteral("pending");
        return receipt;
    });
}

Result<std::vector<AliasProposalRecord>> aliasProposals(SqlSession &s, const AliasFilter &f)
{
    auto rows = s.query(QStringLiteral("SELECT %1 WHERE (? = '' OR p.state = ?) AND (? = '' OR t.name = ?) AND "
                                       "(CAST(? AS BIGINT) = 0 OR p.entry_id = ?) "
                                       "ORDER BY p.seen DESC, p.similarity_micros DESC, p.first_ms, p.id LIMIT %2")
                            .arg(QLatin1String(kColumns))
                            .arg(qMax(1, f.limit)),
        { S::str(f.state), S::str(f.state), S::str(f.tenant), S::str(f.tenant), S::num(f.entryId), S::num(f.entryId) });
    if (!rows)
        return rows.error();
    std::vector<AliasProposalRecord> out;
    out.reserve(rows->size());
    for (const S::Row &r : *rows)
        out.push_back(fromRow(r));
    return out;
}

Result<AliasProposalRecord> aliasProposal(SqlSession &s, qint64 id)
{
    auto rows = s.query(QStringLiteral("SELECT %1 WHERE p.id = ?").arg(QLatin1String(kColumns)), { S::num(id) });
    if (!rows)
        return rows.error();
    if (rows->empty())
        return makeError(ErrorCode::NotFound, QStringLiteral("no alias proposal %1").arg(id));
    return fromRow(rows->front());
}

Result<qint64> countAliasProposals(SqlSession &s, const QString &state, const QString &tenant)
{
    auto rows = s.query(QStringLiteral("SELECT COUNT(*) FROM alias_proposals p JOIN tenants t ON t.id = p.tenant_id "
                                       "WHERE (? = '' OR p.state = ?) AND (? = '' OR t.name = ?)"),
        { S::str(state), S::str(state), S::str(tenant), S::str(tenant) });
    if (!rows)
        return rows.error();
    return rows->empty() ? 0 : rows->front().int64(0);
}

Result<QByteArray> aliasQueueFingerprint(SqlSession &s)
{
    auto rows = s.query(QStringLiteral("SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(MAX(seq), 0) FROM "
                                       "alias_proposals WHERE state = 'pending' OR seq > 0"));
    if (!rows)
        return rows.error();
    if (rows->empty())
        return QByteArray("0");
    const S::Row &r = rows->front();
    return QByteArray(r.bytes(0) + '/' + r.bytes(1) + '/' + r.bytes(2));
}

Status recordAliasDecision(SqlSession &s, qint64 id, bool confirm, const QString &reviewer, qint64 nowMs,
    const QString &reason, const QByteArray &signatureBase64)
{
    return withTransaction(s, [&]() -> Status {
        auto cur = s.query(
            QStringLiteral("SELECT state, tenant_id, query_key FROM alias_proposals WHERE id = ?%1").arg(s.forUpdate()),
            { S::num(id) });
        if (!cur)
            return cur.error();
        if (cur->empty())
            return makeError(ErrorCode::NotFound, QStringLiteral("no alias proposal %1").arg(id));
        if (cur->at(0).text(0) != QLatin1String("pending"))
            return makeError(
                ErrorCode::Conflict, QStringLiteral("alias proposal %1 is already %2").arg(id).arg(cur->at(0).text(0)));
        if (confirm) {
            auto taken = s.query(QStringLiteral("SELECT entry_id FROM alias_proposals WHERE tenant_id = ? AND "
                                                "query_key = ? AND state = 'confirmed'"),
                { S::num(cur->at(0).int64(1)), S::Value(cur->at(0).bytes(2)) });
            if (!taken)
                return taken.error();
            if (!taken->empty())
                return makeError(ErrorCode::Conflict,
                    QStringLiteral("this query is already an alias of entry %1").arg(taken->at(0).int64(0)));
        }
        auto seq = s.nextSeq();
        if (!seq)
            return seq.error();
        auto up = s.execute(QStringLiteral("UPDATE alias_proposals SET state = ?, decided_by = ?, decided_ms = ?, "
                                           "reason = ?, signature = ?, seq = ? WHERE id = ? AND state = 'pending'"),
            { S::str(confirm ? QStringLiteral("confirmed") : QStringLiteral("rejected")), S::str(reviewer),
                S::num(nowMs), S::str(reason), S::Value(signatureBase64), S::num(*seq), S::num(id) });
        if (!up)
            return up.error();
        if (*up != 1)
            return makeError(ErrorCode::Conflict, QStringLiteral("alias proposal %1 is no longer pending").arg(id));
        if (auto n = s.announce(QStringLiteral("alias")); !n)
            return n.error();
        return s.announce(QStringLiteral("queue"));
    });
}

Result<std::vector<AliasProposalRecord>> aliasDecisionsSince(SqlSession &s, qint64 afterSeq, int limit)
{
    auto rows = s.query(QStringLiteral("SELECT %1 WHERE p.seq > ? AND p.state <> 'pending' ORDER BY p.seq LIMIT %2")
                            .arg(QLatin1String(kColumns))
                            .arg(qMax(1, limit)),
        { S::num(afterSeq) });
    if (!rows)
        return rows.error();
    std::vector<AliasProposalRecord> out;
    out.reserve(rows->size());
    for (const S::Row &r : *rows)
        out.push_back(fromRow(r));
    return out;
}

QByteArray aliasProposalToJournal(const AliasProposal &p)
{
    const QJsonObject o { { QLatin1String("type"), QStringLiteral("alias_proposal") }, { QLatin1String("uid"), p.uid },
        { QLatin1String("tenant"), p.tenantId }, { QLatin1String("ns"), p.ns }, { QLatin1String("entry"), p.entryId },
        { QLatin1String("version"), p.version }, { QLatin1String("key"), QString::fromLatin1(p.queryKey) },
        { QLatin1String("query"), p.query }, { QLatin1String("request"), QString::fromUtf8(p.requestJson) },
        { QLatin1String("similarity"), p.similarity }, { QLatin1String("created"), p.createdMs } };
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

bool journalAliasProposal(const QByteArray &record, AliasProposal *p)
{
    if (!record.startsWith('{') || !record.contains("\"alias_proposal\""))
        return false;
    const QJsonObject o = QJsonDocument::fromJson(record).object();
    if (o.value(QLatin1String("type")).toString() != QLatin1String("alias_proposal"))
        return false;
    p->uid = o.value(QLatin1String("uid")).toString();
    p->tenantId = o.value(QLatin1String("tenant")).toInteger();
    p->ns = o.value(QLatin1String("ns")).toString();
    p->entryId = o.value(QLatin1String("entry")).toInteger();
    p->version = o.value(QLatin1String("version")).toInt();
    p->queryKey = o.value(QLatin1String("key")).toString().toLatin1();
    p->query = o.value(QLatin1String("query")).toString();
    p->requestJson = o.value(QLatin1String("request")).toString().toUtf8();
    p->similarity = o.value(QLatin1String("similarity")).toDouble();
    p->createdMs = o.value(QLatin1String("created")).toInteger();
    return p->entryId > 0;
}

} // namespace l0
