#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>

#include <optional>
#include <vector>

#include "core/chat.h"
#include "core/costevent.h"
#include "core/entry.h"
#include "core/feedback.h"
#include "core/responsefeedback.h"
#include "core/tenant.h"
#include "core/tier.h"

namespace l0 {

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
