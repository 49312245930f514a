#pragma once

#include <QMap>
#include <QString>
#include <QtGlobal>

#include <optional>

#include <vector>

#include "core/result.h"
#include "ledger/pricetable.h"
#include "store/sqlsession.h"
#include "store/storetypes.h"

namespace l0 {

// What a console reads of the review queue besides Store::queue(): a lane ranked in an order
// the store does not give by itself, and how many versions a lane or the whole queue holds.
// Written once over SqlSession for both dialects; plain reads that join the caller's
// transaction, if one is open. Use on the session's thread. An error is the database's.

// Orders a lane is ranked in by rankQueue (Store::queue() gives the demand order itself).
enum class QueueRank {
    WouldSave, // demand × the cost of one upstream answer, most first; unpriced versions last
    Newest, // created most recently first
    Risk, // high, then medium, then the rest
};

struct VersionRef {
    qint64 entryId = 0;
    int version = 0;
};

// The first `limit` versions in `state`, in `order`; ties go to the most demanded entry, then the
// oldest version, then by entry and version. Ranked in the database over plain columns (no
// answer is read), so a lane of any size costs one page. WouldSave prices a version at its
// requested model's price, else the price of the model that answered, with the same integer
// rounding as PriceTable::cost; prices are resolved here for the models the lane holds.
Result<std::vector<VersionRef>> rankQueue(
    SqlSession &session, VersionState state, QueueRank order, int limit, const PriceTable &prices);

// How many versions are in `state`.
Result<qint64> countInState(SqlSession &session, VersionState state);

// How many versions wait for a review (pending or needing a second approval): the backlog.
// Readable by managers as well as reviewers.
Result<qint64> countAwaitingReview(SqlSession &session);

// With a QueueHealthQuery the totals also carry the health a manager staffs the queue by
// (QueueStats::health): the console's dashboard and `l0ctl queue stats` both read it here.

// Durations in milliseconds over a set of versions; all zero when count is 0. Percentiles are
// nearest-rank.
struct DurationStats {
    qint64 count = 0;
    qint64 p50Ms = 0;
    qint64 p95Ms = 0;
    qint64 maxMs = 0;
};
// One reviewer's day (UTC): signed decisions made that day (approve, reject; undone ones too),
// how many of their decisions they undid that day, and how many of their edits they withdrew.
struct ReviewerDay {
    QString day; // "2026-12-02"
    QString reviewer;
    qint64 approvals = 0;
    qint64 rejections = 0;
    qint64 undone = 0;
    qint64 editsWithdrawn = 0;
};
// Rejections on one day (UTC) with one reason code ("incorrect", ...; "other" for free text).
struct ReasonDay {
    QString day;
    QString code;
    qint64 count = 0;
};
struct QueueHealth {
    qint64 sinceMs = 0; // the window the decision figures cover: [sinceMs, nowMs]
    qint64 nowMs = 0;
    // How long the backlog has waited, by lane: "pending", "needs_second" (and "awaiting": both).
    // maxMs is the oldest waiting version's age.
    QMap<QString, DurationStats> backlogAge;
    // Filed → approved or rejected, for versions decided in the window.
    DurationStats toDecision;
    // Filed → the first answer served from it, for versions approved in the window that served.
    DurationStats toServing;
    std::vector<ReviewerDay> reviewerDays; // by day, then reviewer
    std::vector<ReasonDay> rejectionReasons; // by day, then code
    // Demand (requests so far) of entries with a version waiting and none approved, and of
    // every entry: the share of demand that waits on reviewers is their ratio.
    qint64 demandWaiting = 0;
    qint64 demandTotal = 0;
    // What approving the backlog would save at today's demand: per entry with waiting versions,
    // its demand × the cost of one answer of its most valuable waiting version (as wouldSave
    // prices it). Unpriced entries are counted apart, never as 0.
    qint64 wouldSaveMicros = 0;
    qint64 unpricedEntries = 0;
};
struct QueueHealthQuery {
    qint64 sinceMs = 0;
    const PriceTable *prices = nullptr; // null: savings are not computed (all unpriced)
};

// The queue's health for one tenant (or all), as the MCP server's queue_stats reports it: how
// many versions are in each state, how the backlog (pending and needs_second) splits by risk,
// how much of it reviewers hold under an unexpired lease at nowMs, and when the oldest waiting
// version was filed. Reads only the version columns managers are granted.
struct QueueStats {
    QString tenant; // empty: the totals over every tenant
    QMap<QString, qint64> byState; // "pending", "needs_second", "approved", ...: every state, 0 when none
    QMap<QString, qint64> awaitingByRisk; // "low", "medium", "high" among the backlog
    qint64 awaiting = 0; // pending + needs_second
    qint64 claimed = 0; // of the backlog, under a lease
    std::optional<qint64> oldestAwaitingMs; // created_ms of the oldest waiting version; unset: none waits
    std::optional<QueueHealth> health; // only when asked for (queueStats' health)
};
// tenant empty: every tenant. perTenant, when given, receives one QueueStats per tenant that has
// any version (by name); the result is the totals over what was asked for. ns, when not null,
// counts only that namespace's entries. health, when given, fills the totals' health.
Result<QueueStats> queueStats(SqlSession &session, const QString &tenant, qint64 nowMs,
    std::vector<QueueStats> *perTenant = nullptr, const QString *ns = nullptr,
    const QueueHealthQuery *health = nullptr);

} // namespace l0
