#include "commands.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QTimeZone>

#include "commandsupport.h"
#include "ledger/budget.h"
#include "ledger/ledgerreport.h"
#include "ledger/retention.h"
#include "ledger/rollup.h"
#include "ledger/routingreport.h"

namespace l0 {

namespace {

int ledgerBudget(const CommandLine &cmd, CommandIo &io)
{
    QTimeZone zone = QTimeZone::utc();
    if (cmd.isSet(QStringLiteral("tz"))) {
        zone = QTimeZone(cmd.value(QStringLiteral("tz")).toUtf8());
        if (!zone.isValid())
            return fail(io.err, QStringLiteral("unknown time zone '%1'").arg(cmd.value(QStringLiteral("tz"))), 2);
    }
    auto store = openOrFail(cmd, io.err);
    if (!store)
        return 1;
    auto st = budgetStatus(store->session(), zone, io.clock->nowMs(), cmd.value(QStringLiteral("tenant")));
    if (!st)
        return fail(io.err, st.error().message);
    if (cmd.isSet(QStringLiteral("json"))) {
        QJsonArray a;
        for (const BudgetStatus &b : *st) {
            QJsonObject o { { QLatin1String("tenant"), b.tenant }, { QLatin1String("budget_micros"), b.budgetMicros },
                { QLatin1String("spent_micros"), b.spentMicros },
                { QLatin1String("unpriced_requests"), b.unpricedRequests },
                { QLatin1String("month_start"),
                    QDateTime::fromMSecsSinceEpoch(b.monthStartMs, zone).toString(Qt::ISODate) },
                { QLatin1String("level"), QLatin1String(budgetLevelName(b.level)) } };
            o.insert(
                QLatin1String("projected_micros"), b.projectedMicros ? QJsonValue(*b.projectedMicros) : QJsonValue());
            a.append(o);
        }
        printJson(io.out, a);
        return 0;
    }
    if (st->empty())
        io.out << "no tenant has a monthly budget (l0ctl tenant set-budget NAME --budget DOLLARS)" << Qt::endl;
    for (const BudgetStatus &b : *st) {
        io.out << b.tenant << "  spent " << dollars(b.spentMicros) << " of " << dollars(b.budgetMicros);
        if (b.projectedMicros)
            io.out << ", on course for " << dollars(*b.projectedMicros);
        if (b.unpricedRequests)
            io.out << ", plus " << b.unpricedRequests << " unpriced requests";
        io.out << "  " << budgetLevelName(b.level) << Qt::endl;
    }
    return 0;
}

QJsonObject maintenanceJson(const LedgerMaintenance &m)
{
    return { { QLatin1String("created"), QJsonArray::fromStringList(m.created) },
        { QLatin1String("dropped"), QJsonArray::fromStringList(m.dropped) },
        { QLatin1String("busy"), QJsonArray::fromStringList(m.busy) },
        { QLatin1String("deleted_events"), m.deletedEvents } };
}

// l0ctl has no writes of its own to let through: it deletes until the embedded store is done.
Result<LedgerMaintenance> maintainFully(SqlSession &session, qint64 nowMs)
{
    LedgerMaintenance all;
    for (;;) {
        auto m = maintainLedger(session, nowMs);
        if (!m)
            return m.error();
        all.created += m->created;
        all.dropped += m->dropped;
        all.busy += m->busy;
        all.deletedEvents += m->deletedEvents;
        if (!m->moreToDelete)
            return all;
    }
}

void printMaintenance(QTextStream &out, const LedgerMaintenance &m)
{
    for (const QString &p : std::as_const(m.dropped))
        out << "dropped " << p << Qt::endl;
    for (const QString &p : std::as_const(m.busy))
        out << "kept " << p << " for now: the ledger was busy (tried again next run)" << Qt::endl;
    for (const QString &p : std::as_const(m.created))
        out << "made " << p << Qt::endl;
    if (m.deletedEvents > 0)
        out << "deleted " << m.deletedEvents << " raw events" << Qt::endl;
}

// ledger retention [--raw-days N] [--months-ahead M]: shows the settings, or changes them and
// applies them at once (partitions past a shorter retention go now, not at the next hour).
int ledgerRetention(const CommandLine &cmd, CommandIo &io)
{
    auto store = openOrFail(cmd, io.err);
    if (!store)
        return 1;
    auto settings = ledgerSettings(store->session());
    if (!settings)
        return fail(io.err, settings.error().message);
    const bool change = cmd.isSet(QStringLiteral("raw-days")) || cmd.isSet(QStringLiteral("months-ahead"));
    LedgerMaintenance applied;
    if (change) {
        for (const char *name : { "raw-days", "months-ahead" }) {
            if (!cmd.isSet(QLatin1String(name)))
                continue;
            bool ok = false;
            const int v = cmd.value(QLatin1String(name)).toInt(&ok);
            if (!ok)
                return fail(io.err, QStringLiteral("--%1 takes a whole number").arg(QLatin1String(name)), 2);
            (QLatin1String(name) == QLatin1String("raw-days") ? settings->rawRetentionDays : settings->monthsAhead) = v;
        }
        if (auto s = setLedgerSettings(store->session(), *settings, io.clock->nowMs()); !s)
            return fail(io.err, s.error().message, s.error().code == ErrorCode::InvalidArgument ? 2 : 1);
        auto m = maintainFully(store->session(), io.clock->nowMs());
        if (!m)
            return fail(io.err, QStringLiteral("settings saved, but applying them failed: %1").arg(m.error().message));
        applied = *m;
    }
    if (cmd.isSet(QStringLiteral("json"))) {
        QJsonObject o { { QLatin1String("raw_retention_days"), settings->rawRetentionDays },
            { QLatin1String("months_ahead"), settings->monthsAhead } };
        if (change)
            o.insert(QLatin1String("applied"), maintenanceJson(applied));
        printJson(io.out, o);
        return 0;
    }
    io.out << "raw events kept  "
           << (settings->rawRetentionDays == 0 ? QStringLiteral("for ever")
                                               : QStringLiteral("%1 days").arg(settings->rawRetentionDays))
           << " (rollups for ever)" << Qt::endl;
    if (store->session().dialect() == QLatin1String("postgresql"))
        io.out << "months ahead     " << settings->monthsAhead << Qt::endl;
    printMaintenance(io.out, applied);
    return 0;
}

int ledgerMaintain(const CommandLine &cmd, CommandIo &io)
{
    auto store = openOrFail(cmd, io.err);
    if (!store)
        return 1;
    auto m = maintainFully(store->session(), io.clock->nowMs());
    if (!m)
        return fail(io.err, m.error().message);
    if (cmd.isSet(QStringLiteral("json"))) {
        printJson(io.out, maintenanceJson(*m));
        return 0;
    }
    printMaintenance(io.out, *m);
    if (m->created.isEmpty() && m->dropped.isEmpty() && m->busy.isEmpty() && m->deletedEvents == 0)
        io.out << "nothing to do" << Qt::endl;
    return 0;
}

int ledgerPartitionList(const CommandLine &cmd, CommandIo &io)
{
    auto store = openOrFail(cmd, io.err);
    if (!store)
        return 1;
    auto parts = ledgerPartitions(store->session());
    if (!parts)
        return fail(io.err, parts.error().message);
    if (cmd.isSet(QStringLiteral("json"))) {
        QJsonArray a;
        for (const LedgerPartition &p : *parts)
            a.append(QJsonObject { { QLatin1String("name"), p.name }, { QLatin1String("from"), isoTime(p.fromMs) },
                { QLatin1String("to"), isoTime(p.toMs) }, { QLatin1String("estimated_rows"), p.estimatedRows },
                { QLatin1String("bytes"), p.bytes } });
        printJson(io.out, a);
        return 0;
    }
    if (parts->empty())
        io.out << (store->session().dialect() == QLatin1String("postgresql")
                ? "no ledger partitions yet (l0ctl ledger maintain makes them)"
                : "the embedded store keeps the ledger in one table (no partitions)")
               << Qt::endl;
    for (const LedgerPartition &p : *parts)
        io.out << p.name << "  " << isoTime(p.fromMs) << " .. " << isoTime(p.toMs) << "  "
               << (p.estimatedRows < 0 ? QStringLiteral("rows not counted yet")
                                       : QStringLiteral("~%1 rows").arg(p.estimatedRows))
               << "  " << QString::number(double(p.bytes) / (1024.0 * 1024.0), 'f', 1) << " MiB" << Qt::endl;
    return 0;
}

class LedgerCommand final : public Command {
public:
    LedgerCommand()
        : Command(QStringLiteral("ledger"),
            QStringLiteral(
                "ledger report [--since T] [--until T] [--tz ZONE] [--bucket minute|hour|day] [--group-by "
                "D] [--tenant N] [--namespace N] [--tier T] [--model M] [--intent I] [--top N] [--json|--csv] | "
                "ledger budget | ledger retention [--raw-days N] [--months-ahead M] | ledger maintain | ledger "
                "partitions"),
            QStringLiteral("Totals of requests, hits, costs and savings; budgets; how long raw events are kept."),
            { { QStringLiteral("json"), QStringLiteral("Print JSON.") },
                { QStringLiteral("csv"), QStringLiteral("Print CSV.") },
                { QStringLiteral("tenant"), QStringLiteral("Tenant name."), QStringLiteral("NAME") },
                { QStringLiteral("since"), QStringLiteral("Start of the range (ISO 8601, or 24h/7d ago)."),
                    QStringLiteral("T") },
                { QStringLiteral("until"), QStringLiteral("End of the range, exclusive."), QStringLiteral("T") },
                { QStringLiteral("tier"), QStringLiteral("Cache tier (eval; a ledger filter)."),
                    QStringLiteral("TIER") },
                { QStringLiteral("tz"), QStringLiteral("Time zone buckets are cut in (IANA name; default UTC)."),
                    QStringLiteral("ZONE") },
                { QStringLiteral("bucket"), QStringLiteral("Ledger buckets: minute, hour, day or total."),
                    QStringLiteral("B") },
                { QStringLiteral("group-by"),
                    QStringLiteral("Ledger grouping: tenant, namespace, tier, model or intent."), QStringLiteral("D") },
                { QStringLiteral("namespace"), QStringLiteral("Namespace filter."), QStringLiteral("NS") },
                { QStringLiteral("model"), QStringLiteral("Model filter (model used)."), QStringLiteral("M") },
                { QStringLiteral("intent"), QStringLiteral("Intent filter."), QStringLiteral("I") },
                { QStringLiteral("top"), QStringLiteral("Also list the N entries that saved most."),
                    QStringLiteral("N") },
                { QStringLiteral("raw-days"),
                    QStringLiteral("Keep raw ledger events this many days (0: for ever); rollups stay."),
                    QStringLiteral("N") },
                { QStringLiteral("months-ahead"),
                    QStringLiteral("PostgreSQL: make monthly ledger partitions this many months ahead."),
                    QStringLiteral("M") } })
    {
    }

    int run(const CommandLine &cmd, CommandIo &io) const override
    {
        if (cmd.args.value(1) == QLatin1String("budget"))
            return ledgerBudget(cmd, io);
        if (cmd.args.value(1) == QLatin1String("retention"))
            return ledgerRetention(cmd, io);
        if (cmd.args.value(1) == QLatin1String("maintain"))
            return ledgerMaintain(cmd, io);
        if (cmd.args.value(1) == QLatin1String("partitions"))
            return ledgerPartitionList(cmd, io);
        if (cmd.args.value(1) != QLatin1String("report"))
            return fail(io.err,
                QStringLiteral(
                    "usage: l0ctl ledger report [--since T] [--until T] [--tz ZONE] [--bucket minute|hour|day] "
                    "[--group-by tenant|namespace|tier|model|intent] [--tenant N] [--namespace N] [--tier T] "
                    "[--model M] [--intent I] [--top N] [--json|--csv] | ledger budget [--tz ZONE] [--tenant N] "
                    "[--json] | ledger retention [--raw-days N] [--months-ahead M] [--json] | ledger maintain "
                    "[--json] | ledger partitions [--json]"),
                2);
        RollupQuery q;
        const qint64 now = io.clock->nowMs();
        q.toMs = (now / 60'000 + 1) * 60'000; // through the current minute
        q.fromMs = 0;
        for (const char *name : { "since", "until" }) {
            if (!cmd.isSet(QLatin1String(name)))
                continue;
            const auto t = parseTime(cmd.value(QLatin1String(name)), now);
            if (!t)
                return fail(io.err,
                    QStringLiteral("cannot read --%1 '%2' (ISO 8601 or 24h / 7d)")
                        .arg(QLatin1String(name), cmd.value(QLatin1String(name))),
                    2);
            (QLatin1String(name) == QLatin1String("since") ? q.fromMs : q.toMs) = *t;
        }
        if (cmd.isSet(QStringLiteral("tz"))) {
            q.zone = QTimeZone(cmd.value(QStringLiteral("tz")).toUtf8());
            if (!q.zone.isValid())
                return fail(io.err,
                    QStringLiteral("unknown time zone '%1' (IANA names: Europe/Berlin, UTC, ...)")
                        .arg(cmd.value(QStringLiteral("tz"))),
                    2);
        }
        q.grain = Grain::Total;
        if (cmd.isSet(QStringLiteral("bucket"))) {
            const auto g = grainFromName(cmd.value(QStringLiteral("bucket")));
            if (!g)
                return fail(io.err, QStringLiteral("--bucket is minute, hour, day or total"), 2);
            q.grain = *g;
            if (!cmd.isSet(QStringLiteral("since")) && q.grain != Grain::Total)
                q.fromMs = q.toMs - 30LL * 86'400'000; // buckets need a start: the last 30 days
        }
        if (cmd.isSet(QStringLiteral("group-by"))) {
            const auto d = dimensionFromName(cmd.value(QStringLiteral("group-by")));
            if (!d)
                return fail(io.err, QStringLiteral("--group-by is tenant, namespace, tier, model or intent"), 2);
            q.groupBy = *d;
        }
        q.tenant = cmd.value(QStringLiteral("tenant"));
        q.ns = cmd.value(QStringLiteral("namespace"));
        q.tier = cmd.value(QStringLiteral("tier"));
        q.model = cmd.value(QStringLiteral("model"));
        q.intent = cmd.value(QStringLiteral("intent"));
        auto store = openOrFail(cmd, io.err);
        if (!store)
            return 1;
        auto r = queryRollups(store->session(), q);
        if (!r)
            return fail(io.err, r.error().message);
        const int top = cmd.isSet(QStringLiteral("top")) ? cmd.value(QStringLiteral("top")).toInt() : 0;
        std::vector<EntrySavings> entries;
        if (top > 0) {
            auto t = topEntries(store->session(), q, top);
            if (!t)
                return fail(io.err, t.error().message);
            entries = std::move(*t);
        }
        const RollupRow &t = r->totals;
        // Routing savings, apart from the cache's (the events' route says which misses were routed).
        auto routing = routingSavings(store->session(), q);
        if (!routing)
            return fail(io.err, routing.error().message);
        if (cmd.isSet(QStringLiteral("json"))) {
            QJsonObject o = ledgerReportJson(q, *r, top > 0 ? &entries : nullptr);
            o.insert(QLatin1String("routing"), routingSavingsJson(*routing));
            printJson(io.out, o);
            return 0;
        }
        if (cmd.isSet(QStringLiteral("csv"))) {
            io.out << QString::fromUtf8(rollupCsv(*r, q));
            io.out.flush();
            return 0;
        }
        io.out << "range           " << bucketLabel(q.fromMs / 60'000 * 60'000, q.zone) << " .. "
               << bucketLabel(q.toMs / 60'000 * 60'000, q.zone) << Qt::endl;
        io.out << "requests        " << t.requests << Qt::endl;
        io.out << "cache hits      " << t.hits << " (" << QString::number(t.hitRate() * 100, 'f', 1) << "%)"
               << Qt::endl;
        io.out << "upstream calls  " << t.upstream << Qt::endl;
        io.out << "actual cost     " << dollars(t.actualMicros) << Qt::endl;
        io.out << "baseline cost   " << dollars(t.baselineMicros) << Qt::endl;
        io.out << "saved           " << dollars(t.savedMicros()) << Qt::endl;
        if (t.feeMicros != 0) {
            io.out << "hit fees        " << dollars(t.feeMicros) << " (the operator's fee revenue)" << Qt::endl;
            io.out << "net saved       " << dollars(t.netSavedMicros()) << " (after hit fees)" << Qt::endl;
        }
        io.out << "time saved      " << QString::number(double(t.timeSavedMs()) / 1000.0, 'f', 1) << " s" << Qt::endl;
        if (routing->routedRequests > 0) {
            io.out << "  by the cache  " << dollars(routing->cacheSavedMicros) << " (" << routing->cacheHits << " hits)"
                   << Qt::endl;
            io.out << "  by routing    " << dollars(routing->routingSavedMicros()) << " (" << routing->routedRequests
                   << " routed misses";
            for (auto it = routing->requestsByStrategy.begin(); it != routing->requestsByStrategy.end(); ++it)
                io.out << ", " << it.key() << " " << it.value();
            io.out << ")" << Qt::endl;
            auto mix = [](const QMap<QString, qint64> &m) {
                QStringList parts;
                for (auto it = m.begin(); it != m.end(); ++it)
                    parts << QStringLiteral("%1 %2").arg(it.key()).arg(it.value());
                return parts.join(QStringLiteral(", "));
            };
            io.out << "  models asked  " << mix(routing->requestedModels) << Qt::endl;
            io.out << "  models used   " << mix(routing->usedModels) << Qt::endl;
        }
        if (t.shadowHits > 0)
            io.out << "shadow hits     " << t.shadowHits << " (would have saved " << dollars(t.shadowWouldSaveMicros)
                   << ")" << Qt::endl;
        if (t.unpricedRequests > 0)
            io.out << "UNPRICED        " << t.unpricedRequests
                   << " requests used models without a price (not counted as $0)" << Qt::endl;
        if (q.grain != Grain::Total || q.groupBy != Dimension::None) {
            io.out << Qt::endl;
            for (const RollupRow &row : r->rows)
                io.out << bucketLabel(row.bucketMs, q.zone) << "  "
                       << (row.group.isEmpty() ? QStringLiteral("-") : row.group) << "  requests " << row.requests
                       << "  hits " << row.hits << "  saved " << dollars(row.savedMicros())
                       << (row.feeMicros != 0 ? QStringLiteral("  fees %1  net %2")
                                                    .arg(dollars(row.feeMicros), dollars(row.netSavedMicros()))
                                              : QString())
                       << Qt::endl;
        }
        for (const EntrySavings &e : entries)
            io.out << "entry " << e.entryId << "  " << e.tenant << "  " << e.tier << "  hits " << e.hits << "  saved "
                   << dollars(e.savedMicros) << "  " << e.query.left(60) << Qt::endl;
        return 0;
    }
};

} // namespace

std::unique_ptr<Command> makeLedgerCommand()
{
    return std::make_unique<LedgerCommand>();
}

} // namespace l0
