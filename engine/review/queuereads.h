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
};
// tenant empty: every tenant. perTenant, when given, receives one QueueStats per tenant that has
// any version (by name); the result is the totals over what was asked for. ns, when not null,
// counts only that namespace's entries.
Result<QueueStats> queueStats(SqlSession &session, const QString &tenant, qint64 nowMs,
    std::vector<QueueStats> *perTenant = nullptr, const QString *ns = nullptr);

} // namespace l0
