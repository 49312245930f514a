#pragma once

#include <QString>
#include <QStringList>

#include <vector>

#include "core/result.h"
#include "store/sqlsession.h"

namespace l0 {

// The raw ledger's life cycle. The rollups the dashboard reads are kept for ever; the raw events
// under them can be let go after a while. In PostgreSQL the raw events live in one partition per
// UTC month, made ahead of time and dropped whole once all of the month is past the retention;
// the embedded store deletes the raw events past it.
struct LedgerSettings {
    int rawRetentionDays = 0; // 0: raw events are kept for ever
    int monthsAhead = 3; // PostgreSQL: partitions made ahead of this month
    qint64 updatedMs = 0;
};

struct LedgerPartition {
    QString name;
    qint64 fromMs = 0, toMs = 0; // [fromMs, toMs)
    qint64 estimatedRows = -1; // the planner's estimate; -1 before the partition is analysed
    qint64 bytes = 0; // with its indexes
};

struct LedgerMaintenance {
    QStringList created; // partitions
    QStringList dropped; // partitions
    QStringList busy; // partitions due to go that a busy ledger kept (tried again next run)
    qint64 deletedEvents = 0; // the embedded store's raw events past the retention
    bool moreToDelete = false; // the embedded store stopped at its limit for one run
};

Result<LedgerSettings> ledgerSettings(SqlSession &session);
// InvalidArgument for a retention below 0 or above 100 years, or months ahead outside 1..24.
Status setLedgerSettings(SqlSession &session, const LedgerSettings &settings, qint64 nowMs);
// Makes the partitions ahead and lets go of the raw events past the retention. Safe to run from
// many nodes at once; a node runs it at start and every hour. The embedded store deletes at most
// 200,000 raw events a run (moreToDelete then), so a first run over a large file does not hold
// the node's writes for long.
Result<LedgerMaintenance> maintainLedger(SqlSession &session, qint64 nowMs);
// The raw ledger's partitions, oldest first (none for the embedded store).
Result<std::vector<LedgerPartition>> ledgerPartitions(SqlSession &session);

} // namespace l0
