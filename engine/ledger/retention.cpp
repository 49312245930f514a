#include "retention.h"

namespace l0 {

namespace {

using S = SqlSession;
constexpr qint64 kDayMs = 86'400'000;
constexpr int kMaxRetentionDays = 100 * 366;
constexpr int kDeleteChunk = 20'000; // raw events per DELETE, so writers get turns between them
constexpr int kChunksPerRun = 10;

bool isPostgres(SqlSession &s)
{
    return s.dialect() == QLatin1String("postgresql");
}

} // namespace

Result<LedgerSettings> ledgerSettings(SqlSession &s)
{
    auto r = s.query(QStringLiteral("SELECT raw_retention_days, months_ahead, updated_ms FROM ledger_settings "
                                    "WHERE id = 1"));
    if (!r)
        return r.error();
    if (r->empty())
        return makeError(ErrorCode::Internal, QStringLiteral("the ledger settings row is missing"));
    LedgerSettings out;
    out.rawRetentionDays = int(r->at(0).int64(0));
    out.monthsAhead = int(r->at(0).int64(1));
    out.updatedMs = r->at(0).int64(2);
    return out;
}

Status setLedgerSettings(SqlSession &s, const LedgerSettings &settings, qint64 nowMs)
{
    if (settings.rawRetentionDays < 0 || settings.rawRetentionDays > kMaxRetentionDays)
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("the raw retention is 0 (keep for ever) to %1 days").arg(kMaxRetentionDays));
    if (settings.monthsAhead < 1 || settings.monthsAhead > 24)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("partitions are made 1 to 24 months ahead"));
    auto r = s.execute(QStringLiteral("UPDATE ledger_settings SET raw_retention_days = ?, months_ahead = ?, "
                                      "updated_ms = ? WHERE id = 1"),
        { S::num(settings.rawRetentionDays), S::num(settings.monthsAhead), S::num(nowMs) });
    if (!r)
        return r.error();
    return {};
}

Result<LedgerMaintenance> maintainLedger(SqlSession &s, qint64 nowMs)
{
    LedgerMaintenance out;
    if (isPostgres(s)) {
        auto r = s.query(QStringLiteral("SELECT action, partition_name FROM ledger_maintain(?)"), { S::num(nowMs) });
        if (!r)
            return r.error();
        for (const S::Row &row : *r)
            (row.text(0) == QLatin1String("dropped")       ? out.dropped
                    : row.text(0) == QLatin1String("busy") ? out.busy
                                                           : out.created)
                << row.text(1);
        return out;
    }
    auto settings = ledgerSettings(s);
    if (!settings)
        return settings.error();
    if (settings->rawRetentionDays == 0)
        return out;
    const qint64 cutoff = nowMs - qint64(settings->rawRetentionDays) * kDayMs;
    for (int chunk = 0; chunk < kChunksPerRun; ++chunk) {
        auto n = s.execute(QStringLiteral("DELETE FROM ledger_events WHERE id IN (SELECT id FROM ledger_events "
                                          "WHERE ts_ms < ? LIMIT %1)")
                               .arg(kDeleteChunk),
            { S::num(cutoff) });
        if (!n)
            return n.error();
        out.deletedEvents += *n;
        if (*n < kDeleteChunk)
            return out;
    }
    out.moreToDelete = true;
    return out;
}

Result<std::vector<LedgerPartition>> ledgerPartitions(SqlSession &s)
{
    std::vector<LedgerPartition> out;
    if (!isPostgres(s))
        return out;
    auto r = s.query(QStringLiteral("SELECT p.name, p.from_ms, p.to_ms, COALESCE(c.reltuples, -1)::BIGINT, "
                                    "COALESCE(pg_total_relation_size(c.oid), 0) FROM ledger_partitions p "
                                    "LEFT JOIN pg_class c ON c.oid = to_regclass(p.name) ORDER BY p.from_ms"));
    if (!r)
        return r.error();
    for (const S::Row &row : *r) {
        LedgerPartition p;
        p.name = row.text(0);
        p.fromMs = row.int64(1);
        p.toMs = row.int64(2);
        p.estimatedRows = row.int64(3);
        p.bytes = row.int64(4);
        out.push_back(p);
    }
    return out;
}

} // namespace l0
