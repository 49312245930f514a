#pragma once

#include <QByteArray>
#include <QString>

#include <optional>
#include <vector>

#include "core/result.h"
#include "store/sqlsession.h"
#include "store/storetypes.h"

namespace l0 {

// What consoles read of one cache entry and its versions: the version a reviewer opens, the
// answer live beside it, the queries that mapped to the entry, its history. Written once over
// SqlSession for both dialects; plain reads that join the caller's transaction, if one is open.
// Use on the session's thread. An error is the database's; a missing row is not an error.

// One version as a reviewer opens it.
struct VersionForReview {
    QString state;
    QString risk;
    QString content; // as stored: the answer's JSON
    QByteArray findings; // the safety report (JSON)
    QString tenant;
    QString claimedBy; // the lease holder as stored, expired or not; empty: none
    qint64 claimExpiresMs = 0;
    QString author;
    QString modelUsed;
};

// nullopt: no such version.
Result<std::optional<VersionForReview>> versionForReview(SqlSession &session, qint64 entryId, int version);

struct VersionContent {
    int version = 0;
    QString content; // as stored: the answer's JSON
};

// The entry's newest approved version other than `except`; nullopt when there is none.
Result<std::optional<VersionContent>> approvedVersionBesides(SqlSession &session, qint64 entryId, int except);

struct EntryQuery {
    QString query;
    qint64 times = 0; // how often it came
    qint64 firstSeenMs = 0;
};

// Each distinct query that mapped to the entry once, the most asked first, then the first seen;
// at most `limit`.
Result<std::vector<EntryQuery>> entryQueries(SqlSession &session, qint64 entryId, int limit = 20);

// A version in the entry's history as reviewers see it (with its content, for A/B comparison).
struct ReviewedVersion {
    int version = 0;
    QString state;
    QString author;
    QString decidedBy;
    QString reason;
    QString modelUsed;
    QString content; // as stored: the answer's JSON
};

// Every version of the entry, oldest first. Needs the reviewer's read rights on versions.
Result<std::vector<ReviewedVersion>> reviewHistory(SqlSession &session, qint64 entryId);

// A version in the entry's history as managers see it: no content, no reasons.
struct VersionSummary {
    int version = 0;
    QString state;
    QString risk;
    QString author;
    QString decidedBy;
    qint64 createdMs = 0;
    qint64 decidedMs = 0;
};

// Every version of the entry, oldest first. Reads only the columns managers are granted on
// PostgreSQL, so the dashboard's drill-in works for them too.
Result<std::vector<VersionSummary>> versionHistory(SqlSession &session, qint64 entryId);

struct KeyedVersion {
    qint64 entryId = 0;
    int version = 0;
    QString state;
};

// The version that stands for the tenant's entry under (ns, tier, cacheKey): its newest approved
// version, else its newest of any state; nullopt when there is no such entry.
Result<std::optional<KeyedVersion>> versionForKey(
    SqlSession &session, qint64 tenantId, const QString &ns, Tier tier, const QString &cacheKey);

} // namespace l0
