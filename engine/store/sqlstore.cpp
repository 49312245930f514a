#include "sqlstore.h"

#include <algorithm>

#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

#include "auditchain.h"
#include "core/logging.h"
#include "core/text.h"
#include "migrations.h"
#include "queuerules.h"

namespace l0 {

namespace {

using Value = SqlSession::Value;

Value optNum(const std::optional<qint64> &v)
{
    return v ? SqlSession::num(*v) : Value();
}

Tenant readTenant(const SqlSession::Row &r)
{
    Tenant t { r.int64(0), r.text(1), policyFromName(r.text(2)).value_or(Policy::Approved), {} };
    // A limit written by hand that is not positive means none; one too big is the largest.
    if (!r.isNull(3) && r.int64(3) > 0)
        t.limits.requestsPerMinute = std::min(r.int64(3), kMaxPerMinuteLimit);
    if (!r.isNull(4) && r.int64(4) > 0)
        t.limits.tokensPerMinute = std::min(r.int64(4), kMaxPerMinuteLimit);
    t.limits.hardBudget = r.int64(5) != 0;
    t.limits.staleGraceMs = r.int64(6);
    if (!r.isNull(7))
        t.responseRetentionMs = r.int64(7);
    t.hitFeeMicros = std::max<qint64>(0, r.int64(8));
    t.routePolicies = r.text(9).toUtf8();
    return t;
}

const QLatin1String kTenantSelect(
    "SELECT id, name, policy, rpm_limit, tpm_limit, budget_hard, stale_grace_ms, response_retention_ms, "
    "hit_fee_micros, route_policies ");

const char *const kPackSelect
    = "SELECT p.id, p.tenant_id, t.name, p.name, p.version, p.state, p.content, p.author, p.created_ms, p.seq "
      "FROM rule_packs p JOIN tenants t ON t.id = p.tenant_id ";

std::vector<RulePackRecord> readPacks(const std::vector<SqlSession::Row> &rows)
{
    std::vector<RulePackRecord> out;
    for (const SqlSession::Row &r : rows) {
        RulePackRecord p;
        p.id = r.int64(0);
        p.tenantId = r.int64(1);
        p.tenant = r.text(2);
        p.name = r.text(3);
        p.version = int(r.int64(4));
        p.state = r.text(5);
        p.content = r.bytes(6);
        p.author = r.text(7);
        p.createdMs = r.int64(8);
        p.seq = r.int64(9);
        out.push_back(std::move(p));
    }
    return out;
}

constexpr int kLedgerColumns = 23;

void ledgerParams(const CostEvent &e, std::vector<Value> *out)
{
    using S = SqlSession;
    out->insert(out->end(),
        { S::num(e.tsMs), S::num(e.tenantId), S::str(e.ns), S::str(QString::fromLatin1(tierName(e.tier))),
            S::num(e.shadowHit ? 1 : 0), S::str(e.modelRequested), S::str(e.modelUsed), S::num(e.promptTokens),
            S::num(e.completionTokens), optNum(e.actualMicros), optNum(e.baselineMicros),
            e.entryId > 0 ? S::num(e.entryId) : Value(), S::num(e.status), S::num(e.latencyMs),
            e.uid.isEmpty() ? Value() : S::str(e.uid), S::str(e.intent), S::num(e.attempts), S::num(e.feeMicros),
            S::str(e.user), S::num(e.experimentId), S::str(e.arm), S::str(e.route), S::str(e.responseId) });
}

// The ledger's columns as PostgreSQL array types, in ledgerParams' order.
constexpr const char *kLedgerArrayTypes[kLedgerColumns]
    = { "bigint", "bigint", "text", "text", "integer", "text", "text", "bigint", "bigint", "bigint", "bigint", "bigint",
          "integer", "bigint", "text", "text", "integer", "bigint", "text", "bigint", "text", "text", "text" };

// One column of many rows as an array literal: {1,NULL,3} or {"a","b \"c\""}.
QByteArray arrayLiteral(const std::vector<Value> &params, size_t column, size_t rows, bool text)
{
    QByteArray out("{");
    for (size_t r = 0; r < rows; ++r) {
        if (r)
            out += ',';
        const Value &v = params[r * kLedgerColumns + column];
        if (!v) {
            out += "NULL";
        } else if (!text) {
            out += *v;
        } else {
            out += '"';
            for (char c : *v) {
                if (c == '"' || c == '\\')
                    out += '\\';
                out += c;
            }
            out += '"';
        }
    }
    out += '}';
    return out;
}

} // namespace

Result<int> SqlStore::schemaVersion()
{
    auto exists = hasTable(QStringLiteral("schema_migrations"));
    if (!exists)
        return exists.error();
    if (!*exists)
        return 0;
    auto r = query(QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    if (!r)
        return r.error();
    return int(r->at(0).int64(0));
}

Status SqlStore::migrateTo(int version)
{
    if (auto s = execScript(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                                           "name TEXT NOT NULL, applied_ms BIGINT NOT NULL)"));
        !s)
        return s;
    auto current = schemaVersion();
    if (!current)
        return current.error();
    for (const Migration &m : loadMigrations(dialect())) {
        if (m.number <= *current)
            continue;
        if (m.number > version)
            break;
        auto applied = withTransaction(*this, [&]() -> Status {
            for (const QString &stmt : m.statements) {
                if (auto s = execScript(stmt); !s)
                    return makeError(s.error().code,
                        QStringLiteral("migration %1 (%2): %3").arg(m.number).arg(m.name, s.error().message));
            }
            auto r
                = execute(QStringLiteral("INSERT INTO schema_migrations (version, name, applied_ms) VALUES (?, ?, ?)"),
                    { num(m.number), str(m.name), num(clock().nowMs()) });
            return r ? Status() : Status(r.error());
        });
        if (!applied)
            return applied;
        qCInfo(lcStore) << "applied migration" << m.number << m.name;
    }
    return {};
}

Result<Tenant> SqlStore::addTenant(const QString &name, Policy policy)
{
    if (name.trimmed().isEmpty() || name.size() > 128)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a tenant name must be 1 to 128 characters"));
    auto id = insert(QStringLiteral("INSERT INTO tenants (name, policy, created_ms) VALUES (?, ?, ?)"),
        { str(name), str(QString::fromLatin1(policyName(policy))), num(clock().nowMs()) });
    if (!id) {
        if (id.error().code == ErrorCode::AlreadyExists)
            return makeError(ErrorCode::AlreadyExists, QStringLiteral("tenant %1 already exists").arg(name));
        return id.error();
    }
    return Tenant { *id, name, policy };
}

Result<Tenant> SqlStore::tenantByName(const QString &name)
{
    auto r = query(QString(kTenantSelect + QLatin1String("FROM tenants WHERE name = ?")), { str(name) });
    if (!r)
        return r.error();
    if (r->empty())
        return makeError(ErrorCode::NotFound, QStringLiteral("no tenant named %1").arg(name));
    return readTenant(r->at(0));
}

Result<std::vector<Tenant>> SqlStore::tenants()
{
    auto r = query(QString(kTenantSelect + QLatin1String("FROM tenants ORDER BY id")));
    if (!r)
        return r.error();
    std::vector<Tenant> out;
    for (const Row &row : *r)
        out.push_back(readTenant(row));
    return out;
}

Status SqlStore::setTenantPolicy(const QString &name, Policy policy)
{
    auto r = execute(QStringLiteral("UPDATE tenants SET policy = ? WHERE name = ?"),
        { str(QString::fromLatin1(policyName(policy))), str(name) });
    if (!r)
        return r.error();
    if (*r == 0)
        return makeError(ErrorCode::NotFound, QStringLiteral("no tenant named %1").arg(name));
    return {};
}

Result<IssuedKey> SqlStore::issueKey(const QString &tenantName, KeyScope scope)
{
    auto tenant = tenantByName(tenantName);
    if (!tenant)
        return tenant.error();
    IssuedKey issued;
    issued.key = QStringLiteral("l0-")
        + QString::fromLatin1(randomBytes(24).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    issued.record.tenantId = tenant->id;
    issued.record.keyHash = sha256(issued.key.toUtf8());
    issued.record.prefix = issued.key.left(7);
    issued.record.scope = scope;
    auto id = insert(
        QStringLiteral("INSERT INTO api_keys (tenant_id, key_hash, prefix, created_ms, scope) VALUES (?, %1, ?, ?, ?)")
            .arg(blobLiteral(issued.record.keyHash)),
        { num(tenant->id), str(issued.record.prefix), num(clock().nowMs()),
            str(QString::fromLatin1(keyScopeName(scope))) });
    if (!id)
        return id.error();
    issued.record.id = *id;
    return issued;
}

Result<std::vector<ApiKeyRecord>> SqlStore::activeKeys()
{
    auto r = query(QStringLiteral("SELECT id, tenant_id, %1, prefix, scope FROM api_keys WHERE revoked_ms IS NULL")
                       .arg(blobAsHex(QStringLiteral("key_hash"))));
    if (!r)
        return r.error();
    std::vector<ApiKeyRecord> out;
    for (const Row &row : *r)
        out.push_back({ row.int64(0), row.int64(1), QByteArray::fromHex(row.bytes(2)), row.text(3),
            keyScopeFromName(row.text(4)).value_or(KeyScope::Tenant) });
    return out;
}

Result<CandidateReceipt> SqlStore::addCandidate(const Candidate &c)
{
    const QByteArray content = QJsonDocument(c.result.toJson()).toJson(QJsonDocument::Compact);
    const QByteArray contentHash = sha256Hex(c.result.message.value(QLatin1String("content")).toString().toUtf8()
        + QJsonDocument(c.result.message).toJson(QJsonDocument::Compact));
    const qint64 now = clock().nowMs();
    // A candidate keeps the time it was answered, also when a journal replays it later; what is
    // stamped now is only when the replay was applied.
    const qint64 created = c.createdMs > 0 ? c.createdMs : now;
    return withTransaction(*this, [&]() -> Result<CandidateReceipt> {
        if (!c.uid.isEmpty()) {
            // Replayed from a journal: applied once only.
            auto once
                = execute(insertIgnoringDuplicates(QStringLiteral("journal_applied (uid, applied_ms) VALUES (?, ?)")),
                    { str(c.uid), num(now) });
            if (!once)
                return once.error();
            if (*once == 0)
                return CandidateReceipt {};
        }
        auto entry = upsertEntry(c, created);
        if (!entry)
            return entry.error();
        CandidateReceipt receipt;
        receipt.entryId = *entry;
        if (!c.query.isEmpty()) {
            // A bounded sample of the real queries that mapped to this entry.
            auto q = execute(
                QStringLiteral("INSERT INTO entry_queries (entry_id, query, seen_ms) SELECT CAST(? AS BIGINT), "
                               "?, CAST(? AS BIGINT) WHERE (SELECT COUNT(*) FROM entry_queries WHERE "
                               "entry_id = ?) < 20"),
                { num(receipt.entryId), str(c.query.left(4000)), num(created), num(receipt.entryId) });
            if (!q)
                return q.error();
        }
        auto versions = query(
            QStringLiteral("SELECT version, content_sha256, state FROM versions WHERE entry_id = ? ORDER BY version"),
            { num(receipt.entryId) });
        if (!versions)
            return versions.error();
        int maxVersion = 0, open = 0;
        for (const Row &v : *versions) {
            maxVersion = qMax(maxVersion, int(v.int64(0)));
            const QString state = v.text(2);
            const bool known
                = isWaiting(state) || state == QLatin1String("approved") || state == QLatin1String("rejected");
            if (known && v.bytes(1) == contentHash) {
                receipt.version = int(v.int64(0));
                return receipt;
            }
            if (isWaiting(state))
                ++open;
        }
        if (open >= kMaxOpenAlternatives) {
            receipt.version = maxVersion;
            return receipt;
        }
        auto seq = nextSeq();
        if (!seq)
            return seq.error();
        receipt.version = maxVersion + 1;
        receipt.newVersion = true;
        auto ins = execute(
            QStringLiteral("INSERT INTO versions (entry_id, version, state, content, content_sha256, risk, author, "
                           "model_used, prompt_tokens, completion_tokens, created_ms, seq, findings, response_id) "
                           "VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            { num(receipt.entryId), num(receipt.version), Value(content), Value(contentHash), str(c.risk),
                str(c.author), str(c.result.modelUsed), num(c.result.usage.promptTokens),
                num(c.result.usage.completionTokens), num(created), num(*seq), Value(c.findings), str(c.responseId) });
        if (!ins)
            return ins.error();
        if (auto a = appendAudit(*this, c.author, QStringLiteral("version.add"),
                QStringLiteral("entry/%1@%2").arg(receipt.entryId).arg(receipt.version),
                QJsonObject { { QLatin1String("content_sha256"), QString::fromLatin1(sha256Hex(content)) },
                    { QLatin1String("tier"), c.tier }, { QLatin1String("key"), QString::fromLatin1(c.cacheKey) },
                    { QLatin1String("risk"), c.risk } },
                created);
            !a)
            return a.error();
        if (auto n = announce(QStringLiteral("queue")); !n)
            return n.error();
        return receipt;
    });
}

Result<std::vector<QueueItem>> SqlStore::queue(const QueueFilter &filter)
{
    std::vector<Value> params;
    // Given entries are joined from a list (one index probe each), not tested against every row.
    const QString from = filter.entryIds.empty() ? QStringLiteral("FROM versions v")
                                                 : QStringLiteral("FROM %1 JOIN versions v ON v.entry_id = ids.id")
                                                       .arg(entryIdsRelation(filter.entryIds, &params));
    QString sql = QStringLiteral("SELECT v.entry_id, v.version, v.state, e.tenant_id, t.name, e.namespace, e.tier, "
                                 "e.model, v.risk, (SELECT query FROM entry_queries WHERE entry_id = e.id ORDER BY %1 "
                                 "LIMIT 1), v.content, e.demand, v.created_ms, v.claimed_by, v.claim_expires_ms, "
                                 "v.findings %2 JOIN entries e ON e.id = v.entry_id JOIN tenants t ON t.id = "
                                 "e.tenant_id WHERE 1 = 1")
                      .arg(queryOrderColumn(), from);
    if (filter.state) {
        sql += QStringLiteral(" AND v.state = ?");
        params.push_back(str(QString::fromLatin1(versionStateName(*filter.state))));
    } else if (!filter.all) {
        sql += QStringLiteral(" AND v.state IN ('pending', 'needs_second')");
    }
    if (!filter.tenant.isEmpty()) {
        sql += QStringLiteral(" AND t.name = ?");
        params.push_back(str(filter.tenant));
    }
    sql += QStringLiteral(" ORDER BY e.demand DESC, v.created_ms, v.entry_id, v.version LIMIT ?");
    params.push_back(num(filter.limit));
    auto r = query(sql, params);
    if (!r)
        return r.error();
    const qint64 now = clock().nowMs();
    std::vector<QueueItem> out;
    for (const Row &row : *r) {
        QueueItem it;
        it.entryId = row.int64(0);
        it.version = int(row.int64(1));
        it.state = versionStateFromName(row.text(2)).value_or(VersionState::Pending);
        it.tenantId = row.int64(3);
        it.tenant = row.text(4);
        it.ns = row.text(5);
        it.tier = row.text(6);
        it.model = row.text(7);
        it.risk = row.text(8);
        it.query = row.text(9);
        if (auto res = ChatResult::fromJson(QJsonDocument::fromJson(row.bytes(10)).object())) {
            it.preview = answerPreview(*res);
            it.usage = res->usage;
            it.modelUsed = res->modelUsed;
        }
        it.hits = row.int64(11);
        it.createdMs = row.int64(12);
        if (!row.isNull(14) && row.int64(14) >= now) { // a lease that ran out is no claim
            it.claimedBy = row.text(13);
            it.claimExpiresMs = row.int64(14);
        }
        it.findings = row.bytes(15);
        out.push_back(std::move(it));
    }
    return out;
}

Result<int> SqlStore::decide(
    qint64 entryId, int version, VersionState decision, const QString &reviewer, const QString &reason)
{
    if (decision != VersionState::Approved && decision != VersionState::Rejected && decision != VersionState::Revoked)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a decision is approve, reject or revoke"));
    if (decision == VersionState::Rejected && reason.trimmed().isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a rejection needs a reason"));
    const qint64 now = clock().nowMs();
    return withTransaction(*this, [&]() -> Result<int> {
        // Lock the entry's versions (what a reviewer may update), not the entry row.
        if (const QString lock = forUpdate(); !lock.isEmpty()) {
            if (auto l
                = query(QStringLiteral("SELECT version FROM versions WHERE entry_id = ?") + lock, { num(entryId) });
                !l)
                return l.error();
        }
        auto v = versionToDecide(*this, entryId, version, decision);
        if (!v)
            return v.error();
        auto cur = query(
            QStringLiteral("SELECT state FROM versions WHERE entry_id = ? AND version = ?"), { num(entryId), num(*v) });
        if (!cur)
            return cur.error();
        if (cur->empty())
            return makeError(ErrorCode::NotFound, QStringLiteral("no version %1@%2").arg(entryId).arg(*v));
        if (auto ok = checkDecision(entryId, *v, cur->at(0).text(0), decision); !ok)
            return ok.error();
        if (auto d = recordDecision(*this, entryId, *v, decision, reviewer, reason, now); !d)
            return d.error();
        if (decision == VersionState::Approved) {
            if (auto e = approvalTakesEffect(*this, entryId, *v, now, reviewer); !e)
                return e.error();
        }
        if (auto a = appendAudit(*this, reviewer, QStringLiteral("decision"),
                QStringLiteral("entry/%1@%2").arg(entryId).arg(*v),
                QJsonObject { { QLatin1String("state"), QLatin1String(versionStateName(decision)) },
                    { QLatin1String("reason"), reason }, { QLatin1String("signed"), false } },
                now);
            !a)
            return a.error();
        if (auto n = announce(QStringLiteral("version")); !n)
            return n.error();
        return *v;
    });
}

Result<std::vector<VersionChange>> SqlStore::changesSince(qint64 afterSeq, int limit)
{
    auto r = query(QStringLiteral("SELECT v.seq, v.entry_id, v.version, v.state, e.tenant_id, e.namespace, e.tier, "
                                  "e.cache_key, v.risk, v.content, v.author, v.expires_ms FROM versions v JOIN entries "
                                  "e ON e.id = v.entry_id WHERE v.seq > ? ORDER BY v.seq LIMIT ?"),
        { num(afterSeq), num(limit) });
    if (!r)
        return r.error();
    std::vector<VersionChange> out;
    for (const Row &row : *r) {
        VersionChange c;
        c.seq = row.int64(0);
        c.entryId = row.int64(1);
        c.version = int(row.int64(2));
        c.state = versionStateFromName(row.text(3)).value_or(VersionState::Pending);
        c.tenantId = row.int64(4);
        c.ns = row.text(5);
        c.tier = row.text(6);
        c.cacheKey = row.bytes(7);
        c.risk = row.text(8);
        c.content = row.bytes(9);
        c.author = row.text(10);
        c.expiresMs = row.int64(11); // NULL: no end of life
        auto res = ChatResult::fromJson(QJsonDocument::fromJson(c.content).object());
        if (!res) {
            qCWarning(lcStore) << "skipping unreadable version" << c.entryId << c.version << res.error().message;
            continue;
        }
        c.result = std::move(res.value());
        out.push_back(std::move(c));
    }
    return out;
}

Result<RulePackRecord> SqlStore::addRulePack(
    const QString &tenantName, const QString &name, int version, const QByteArray &content, const QString &author)
{
    auto tenant = tenantByName(tenantName);
    if (!tenant)
        return tenant.error();
    const qint64 now = clock().nowMs();
    return withTransaction(*this, [&]() -> Result<RulePackRecord> {
        auto seq = nextSeq();
        if (!seq)
            return seq.error();
        auto id = insert(QStringLiteral("INSERT INTO rule_packs (tenant_id, name, version, content, content_sha256, "
                                        "state, author, created_ms, seq) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)"),
            { num(tenant->id), str(name), num(version), Value(content), Value(sha256Hex(content)), str(author),
                num(now), num(*seq) });
        if (!id) {
            if (id.error().code == ErrorCode::AlreadyExists)
                return makeError(ErrorCode::AlreadyExists,
                    QStringLiteral("tenant %1 already has %2 version %3: raise the pack's version")
                        .arg(tenantName, name)
                        .arg(version));
            return id.error();
        }
        if (auto a = appendAudit(*this, author, QStringLiteral("rulepack.add"), QStringLiteral("rulepack/%1").arg(*id),
                QJsonObject { { QLatin1String("tenant"), tenantName }, { QLatin1String("name"), name },
                    { QLatin1String("version"), version },
                    { QLatin1String("content_sha256"), QString::fromLatin1(sha256Hex(content)) } },
                now);
            !a)
            return a.error();
        RulePackRecord rec;
        rec.id = *id;
        rec.tenantId = tenant->id;
        rec.tenant = tenantName;
        rec.name = name;
        rec.version = version;
        rec.state = QStringLiteral("pending");
        rec.author = author;
        rec.seq = *seq;
        return rec;
    });
}

Result<std::vector<RulePackRecord>> SqlStore::rulePacks(const QString &tenant)
{
    auto r = tenant.isEmpty()
        ? query(QString::fromLatin1(kPackSelect) + QStringLiteral("ORDER BY p.id"))
        : query(QString::fromLatin1(kPackSelect) + QStringLiteral("WHERE t.name = ? ORDER BY p.id"), { str(tenant) });
    if (!r)
        return r.error();
    return readPacks(*r);
}

Status SqlStore::decideRulePack(qint64 id, bool activate, const QString &reviewer)
{
    const qint64 now = clock().nowMs();
    auto setState = [&](qint64 pack, const QString &state) -> Status {
        auto seq = nextSeq();
        if (!seq)
            return seq.error();
        auto u = execute(
            QStringLiteral("UPDATE rule_packs SET state = ?, decided_ms = ?, decided_by = ?, seq = ? WHERE id = ?"),
            { str(state), num(now), str(reviewer), num(*seq), num(pack) });
        if (!u)
            return u.error();
        // A pack serves only through a decision the audit chain recorded (trust/chainstate.h).
        return appendAudit(*this, reviewer, QStringLiteral("rulepack.decision"),
            QStringLiteral("rulepack/%1").arg(pack), QJsonObject { { QLatin1String("state"), state } }, now);
    };
    return withTransaction(*this, [&]() -> Status {
        auto cur
            = query(QStringLiteral("SELECT tenant_id, state FROM rule_packs WHERE id = ?") + forUpdate(), { num(id) });
        if (!cur)
            return cur.error();
        if (cur->empty())
            return makeError(ErrorCode::NotFound, QStringLiteral("no rule pack with id %1").arg(id));
        const QString state = cur->at(0).text(1);
        if (state != QLatin1String("pending"))
            return makeError(ErrorCode::Conflict, QStringLiteral("rule pack %1 is %2, not pending").arg(id).arg(state));
        // One active pack per tenant: activating retires the one before.
        if (activate) {
            auto active = query(
                QStringLiteral("SELECT id FROM rule_packs WHERE tenant_id = ? AND state = 'active'") + forUpdate(),
                { num(cur->at(0).int64(0)) });
            if (!active)
                return active.error();
            for (const Row &old : *active) {
                if (auto s = setState(old.int64(0), QStringLiteral("retired")); !s)
                    return s;
            }
        }
        if (auto s = setState(id, activate ? QStringLiteral("active") : QStringLiteral("rejected")); !s)
            return s;
        return announce(QStringLiteral("rulepack"));
    });
}

Result<std::vector<RulePackRecord>> SqlStore::rulePackChangesSince(qint64 afterSeq)
{
    auto r
        = query(QString::fromLatin1(kPackSelect) + QStringLiteral("WHERE p.seq > ? ORDER BY p.seq"), { num(afterSeq) });
    if (!r)
        return r.error();
    return readPacks(*r);
}

Status SqlStore::appendLedger(const std::vector<CostEvent> &events)
{
    if (events.empty())
        return {};
    // Many rows per statement: the node writes tens of thousands of events a second, and the
    // rollup trigger runs per statement. A journal replay's events already stored are skipped.
    static const QString kInto = QStringLiteral(
        "ledger_events (ts_ms, tenant_id, namespace, tier, shadow_hit, model_requested, model_used, prompt_tokens, "
        "completion_tokens, actual_micros, baseline_micros, entry_id, status, latency_ms, event_uid, intent, "
        "attempts, fee_micros, end_user, experiment_id, arm, route, response_id) ");
    const size_t batch = size_t(ledgerBatchRows());
    if (batch == 0) {
        // One statement for up to kArrayRows events, one array per column: the rollup trigger
        // fires once and folds them in key order, so writers of the same rollup rows never hold
        // some while waiting for others (no deadlocks), and the statement text never changes.
        if (m_ledgerArraySql.isEmpty()) {
            QStringList columns;
            for (const char *type : kLedgerArrayTypes)
                columns << QStringLiteral("?::%1[]").arg(QLatin1String(type));
            m_ledgerArraySql = insertIgnoringDuplicates(
                kInto + QStringLiteral("SELECT * FROM unnest(%1)").arg(columns.join(QStringLiteral(", "))));
        }
        constexpr size_t kArrayRows = 10'000;
        return withTransaction(*this, [&]() -> Status {
            std::vector<Value> rows, arrays;
            for (size_t i = 0; i < events.size(); i += kArrayRows) {
                const size_t n = std::min(kArrayRows, events.size() - i);
                rows.clear();
                rows.reserve(n * kLedgerColumns);
                for (size_t r = 0; r < n; ++r)
                    ledgerParams(events[i + r], &rows);
                arrays.clear();
                for (int c = 0; c < kLedgerColumns; ++c)
                    arrays.push_back(arrayLiteral(rows, size_t(c), n, qstrcmp(kLedgerArrayTypes[c], "text") == 0));
                if (auto r = execute(m_ledgerArraySql, arrays); !r)
                    return r.error();
            }
            return {};
        });
    }
    auto insertSql = [this](size_t rows) {
        QString sql = kInto + QStringLiteral("VALUES ");
        for (size_t r = 0; r < rows; ++r)
            sql += r ? QStringLiteral(",(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
                     : QStringLiteral("(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        return insertIgnoringDuplicates(sql);
    };
    if (m_ledgerBatchSql.isEmpty()) {
        m_ledgerBatchSql = insertSql(batch);
        m_ledgerSingleSql = insertSql(1);
    }
    return withTransaction(*this, [&]() -> Status {
        std::vector<Value> p;
        p.reserve(batch * kLedgerColumns);
        size_t i = 0;
        for (; i + batch <= events.size(); i += batch) {
            p.clear();
            for (size_t r = 0; r < batch; ++r)
                ledgerParams(events[i + r], &p);
            if (auto r = execute(m_ledgerBatchSql, p); !r)
                return r.error();
        }
        for (; i < events.size(); ++i) {
            p.clear();
            ledgerParams(events[i], &p);
            if (auto r = execute(m_ledgerSingleSql, p); !r)
                return r.error();
        }
        return {};
    });
}

Status SqlStore::addFeedback(const Feedback &f)
{
    if (f.rating != 1 && f.rating != -1)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a rating is +1 or -1"));
    // Only an entry of the tenant's own: the insert selects it, so one that is not theirs (or
    // gone) inserts nothing.
    auto owned = query(
        QStringLiteral("SELECT 1 FROM entries WHERE id = ? AND tenant_id = ?"), { num(f.entryId), num(f.tenantId) });
    if (!owned)
        return owned.error();
    if (owned->empty())
        return makeError(
            ErrorCode::NotFound, QStringLiteral("tenant %1 has no entry %2").arg(f.tenantId).arg(f.entryId));
    auto r = execute(insertIgnoringDuplicates(
                         QStringLiteral("cache_feedback (feedback_uid, tenant_id, entry_id, version, rating, reason, "
                                        "end_user, created_ms) VALUES (?,?,?,?,?,?,?,?)")),
        { f.uid.isEmpty() ? str(QUuid::createUuid().toString(QUuid::WithoutBraces)) : str(f.uid), num(f.tenantId),
            num(f.entryId), num(f.version), num(f.rating), str(f.reason.left(Feedback::kMaxReason)), str(f.user),
            num(f.createdMs) });
    if (!r)
        return r.error();
    return {};
}

Status SqlStore::addResponseFeedback(const ResponseFeedback &f)
{
    if (f.responseId.isEmpty() || f.scoreMicros < 0 || f.scoreMicros > 1000000)
        return makeError(
            ErrorCode::InvalidArgument, QStringLiteral("a response score names a response and is in [0, 1]"));
    auto sent = query(QStringLiteral("SELECT 1 FROM ledger_events WHERE tenant_id = ? AND response_id = ? LIMIT 1"),
        { num(f.tenantId), str(f.responseId) });
    if (!sent)
        return sent.error();
    if (sent->empty())
        return makeError(ErrorCode::NotFound,
            QStringLiteral("tenant %1 was sent no response %2").arg(f.tenantId).arg(f.responseId.left(100)));
    auto r = execute(QStringLiteral("INSERT INTO response_feedback (tenant_id, response_id, end_user, score_micros, "
                                    "created_ms, feedback_uid) VALUES (?,?,?,?,?,?) "
                                    "ON CONFLICT (tenant_id, response_id, end_user) DO UPDATE SET "
                                    "score_micros = excluded.score_micros, created_ms = excluded.created_ms, "
                                    "feedback_uid = excluded.feedback_uid "
                                    "WHERE excluded.created_ms >= response_feedback.created_ms"),
        { num(f.tenantId), str(f.responseId), str(f.user), num(f.scoreMicros), num(f.createdMs), str(f.uid) });
    if (!r)
        return r.error();
    return {};
}

Result<std::vector<FeedbackSummary>> SqlStore::feedbackSummary(const QString &tenant, qint64 entryId)
{
    auto rows = query(
        QStringLiteral("SELECT f.entry_id, f.version, t.name, "
                       "SUM(CASE WHEN f.rating > 0 THEN 1 ELSE 0 END), SUM(CASE WHEN f.rating < 0 THEN 1 ELSE 0 END), "
                       "MAX(f.created_ms), "
                       "(SELECT g.reason FROM cache_feedback g WHERE g.entry_id = f.entry_id AND g.version = f.version "
                       "AND g.rating < 0 AND g.reason <> '' ORDER BY g.created_ms DESC, g.id DESC LIMIT 1), "
                       "(SELECT q.query FROM entry_queries q WHERE q.entry_id = f.entry_id ORDER BY %1 LIMIT 1) "
                       "FROM cache_feedback f JOIN tenants t ON t.id = f.tenant_id "
                       "WHERE (? = '' OR t.name = ?) AND (CAST(? AS BIGINT) = 0 OR f.entry_id = ?) "
                       "GROUP BY f.entry_id, f.version, t.name "
                       "ORDER BY 5 DESC, 4 ASC, f.entry_id, f.version")
            .arg(queryOrderColumn()),
        { str(tenant), str(tenant), num(entryId), num(entryId) });
    if (!rows)
        return rows.error();
    std::vector<FeedbackSummary> out;
    out.reserve(rows->size());
    for (const Row &r : *rows)
        out.push_back(FeedbackSummary { r.int64(0), int(r.int64(1)), r.text(2), r.text(7), r.int64(3), r.int64(4),
            r.int64(5), r.isNull(6) ? QString() : r.text(6) });
    return out;
}

Result<LedgerTotals> SqlStore::ledgerTotals(const LedgerFilter &f)
{
    QString where = QStringLiteral(" WHERE 1 = 1");
    std::vector<Value> params;
    if (f.sinceMs) {
        where += QStringLiteral(" AND l.ts_ms >= ?");
        params.push_back(num(*f.sinceMs));
    }
    if (f.untilMs) {
        where += QStringLiteral(" AND l.ts_ms < ?");
        params.push_back(num(*f.untilMs));
    }
    if (!f.tenant.isEmpty()) {
        where += QStringLiteral(" AND l.tenant_id = (SELECT id FROM tenants WHERE name = ?)");
        params.push_back(str(f.tenant));
    }
    // Savings only count where both amounts are priced; unpriced events are counted apart.
    auto r = query(
        QStringLiteral(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN l.tier <> 'upstream' THEN 1 ELSE 0 END), 0), "
            "COALESCE(SUM(CASE WHEN l.tier = 'upstream' THEN 1 ELSE 0 END), 0), COALESCE(SUM(l.shadow_hit), 0), "
            "COALESCE(SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN "
            "l.actual_micros END), 0), "
            "COALESCE(SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN "
            "l.baseline_micros END), 0), "
            "COALESCE(SUM(CASE WHEN l.shadow_hit = 1 AND l.actual_micros IS NOT NULL THEN l.actual_micros END), 0), "
            "COALESCE(SUM(CASE WHEN l.actual_micros IS NULL OR l.baseline_micros IS NULL THEN 1 ELSE 0 END), 0), "
            "COALESCE(SUM(l.prompt_tokens), 0), COALESCE(SUM(l.completion_tokens), 0) FROM ledger_events l")
            + where,
        params);
    if (!r)
        return r.error();
    if (r->empty())
        return makeError(ErrorCode::Internal, QStringLiteral("the ledger totals could not be read"));
    const Row &row = r->at(0);
    LedgerTotals t;
    t.requests = row.int64(0);
    t.hits = row.int64(1);
    t.upstream = row.int64(2);
    t.shadowHits = row.int64(3);
    t.actualMicros = row.int64(4);
    t.baselineMicros = row.int64(5);
    t.savedMicros = t.baselineMicros - t.actualMicros;
    t.shadowWouldSaveMicros = row.int64(6);
    t.unpricedRequests = row.int64(7);
    t.promptTokens = row.int64(8);
    t.completionTokens = row.int64(9);
    auto tiers = query(
        QStringLiteral("SELECT l.tier, COUNT(*) FROM ledger_events l") + where + QStringLiteral(" GROUP BY l.tier"),
        params);
    if (!tiers)
        return tiers.error();
    for (const Row &tier : *tiers)
        t.requestsByTier.insert(tier.text(0), tier.int64(1));
    return t;
}

} // namespace l0
