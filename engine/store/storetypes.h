#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>

#include <optional>
#include <vector>

#include "core/chat.h"

namespace l0 {

enum class Policy { Shadow, Approved, AutoLowRisk };
const char *policyName(Policy p);
std::optional<Policy> policyFromName(const QString &name);

enum class VersionState { Pending, NeedsSecond, Approved, Rejected, Revoked, Expired };
const char *versionStateName(VersionState s);
std::optional<VersionState> versionStateFromName(const QString &name);

struct Tenant {
    qint64 id = 0;
    QString name;
    Policy policy = Policy::Approved;
};

struct ApiKeyRecord {
    qint64 id = 0;
    qint64 tenantId = 0;
    QByteArray keyHash; // raw SHA-256 of the key
    QString prefix; // first characters, for people to recognise a key; never enough to use it
};

struct IssuedKey {
    QString key; // shown once; never stored
    ApiKeyRecord record;
};

// A complete, successful upstream answer offered for review.
struct Candidate {
    qint64 tenantId = 0;
    QString ns;
    QString tier = QStringLiteral("exact");
    QByteArray cacheKey; // hex
    QString model; // model requested
    QString query; // the last user text, shown to reviewers
    QByteArray requestJson; // the canonical request
    ChatResult result;
    QString risk = QStringLiteral("low");
    QString author; // who produced it, e.g. "node:host" or "upstream:model"
    qint64 createdMs = 0;
    QString uid; // journal id: a candidate with a uid already applied is skipped
    bool riskScanned = false; // risk set by the safety pass
    QByteArray findings = "{}"; // the safety pass's report (JSON), kept with the version
};

struct CandidateReceipt {
    qint64 entryId = 0;
    int version = 0;
    bool newVersion = false;
};

struct QueueItem {
    qint64 entryId = 0;
    int version = 0;
    VersionState state = VersionState::Pending;
    qint64 tenantId = 0;
    QString tenant;
    QString ns;
    QString tier;
    QString model;
    QString risk;
    QString query;
    QString preview;
    qint64 hits = 0;
    qint64 createdMs = 0;
    QString claimedBy; // whoever holds an unexpired review lease; empty when free
    qint64 claimExpiresMs = 0;
    QByteArray findings; // the safety report (JSON) of this version
    TokenUsage usage; // what answering it upstream took
    QString modelUsed;
};

struct QueueFilter {
    std::optional<VersionState> state; // unset: pending and needs_second
    bool all = false; // every state
    QString tenant;
    int limit = 1000;
    std::vector<qint64> entryIds; // only these entries' versions; empty: every entry
};

// A version whose state changed: what nodes need to update their hot cache.
struct VersionChange {
    qint64 seq = 0;
    qint64 entryId = 0;
    int version = 0;
    VersionState state = VersionState::Pending;
    qint64 tenantId = 0;
    QString ns;
    QString tier;
    QByteArray cacheKey;
    QString risk;
    ChatResult result;
    QByteArray content; // the stored content, exactly (approvals sign its hash)
    QString author;
    qint64 expiresMs = 0; // 0: no end of life
};

// A stored rule pack version. state: pending, active, retired, rejected.
struct RulePackRecord {
    qint64 id = 0;
    qint64 tenantId = 0;
    QString tenant;
    QString name;
    int version = 0;
    QString state;
    QByteArray content;
    QString author;
    qint64 createdMs = 0;
    qint64 seq = 0;
};

// "1,2,3": entry ids for an IN list or a PostgreSQL array literal.
QString idList(const std::vector<qint64> &ids);

// The first 160 characters of an answer's text, on one line, for lists.
QString answerPreview(const ChatResult &result);

enum class Tier { L0, Exact, Semantic, Upstream };
const char *tierName(Tier t);
std::optional<Tier> tierFromName(const QString &name);

// One served request in the ledger. Money is integer micro-dollars; an unpriced amount is
// std::nullopt (flagged), never zero.
struct CostEvent {
    qint64 tsMs = 0;
    qint64 tenantId = 0;
    QString ns;
    Tier tier = Tier::Upstream;
    bool shadowHit = false;
    QString modelRequested;
    QString modelUsed;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    std::optional<qint64> actualMicros;
    std::optional<qint64> baselineMicros;
    qint64 entryId = 0;
    int status = 200;
    qint64 latencyMs = 0;
    QString uid; // journal id: an event with a uid already stored is skipped
    QString intent; // the L0 intent the request matched, if any
};

struct LedgerFilter {
    std::optional<qint64> sinceMs;
    std::optional<qint64> untilMs;
    QString tenant;
};

struct LedgerTotals {
    qint64 requests = 0;
    qint64 hits = 0;
    qint64 upstream = 0;
    qint64 shadowHits = 0;
    qint64 actualMicros = 0;
    qint64 baselineMicros = 0;
    qint64 savedMicros = 0;
    qint64 shadowWouldSaveMicros = 0;
    qint64 unpricedRequests = 0;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    QMap<QString, qint64> requestsByTier;
};

} // namespace l0
