#include "commands.h"

#include <QJsonArray>
#include <QJsonObject>

#include "commandsupport.h"
#include "ledger/pricetable.h"
#include "review/queuereads.h"
#include "trust/reviewqueue.h"

namespace l0 {

namespace {

QJsonObject durationJson(const DurationStats &d)
{
    return QJsonObject { { QLatin1String("count"), d.count }, { QLatin1String("p50_ms"), d.p50Ms },
        { QLatin1String("p95_ms"), d.p95Ms }, { QLatin1String("max_ms"), d.maxMs } };
}

QString hours(qint64 ms)
{
    return ms < 3'600'000 ? QStringLiteral("%1m").arg(ms / 60'000)
                          : QStringLiteral("%1h").arg(double(ms) / 3'600'000.0, 0, 'f', 1);
}

QString durationLine(const DurationStats &d)
{
    return d.count == 0 ? QStringLiteral("none")
                        : QStringLiteral("%1 (p50 %2, p95 %3, max %4)")
                              .arg(d.count)
                              .arg(hours(d.p50Ms), hours(d.p95Ms), hours(d.maxMs));
}

// `queue stats`: the queue's health as the console's dashboard shows it (queueStats).
int printStats(const CommandLine &cmd, CommandIo &io)
{
    auto store = openOrFail(cmd, io.err);
    if (!store)
        return 1;
    const qint64 now = io.clock->nowMs();
    const auto since = parseTime(
        cmd.isSet(QStringLiteral("since")) ? cmd.value(QStringLiteral("since")) : QStringLiteral("7d"), now);
    if (!since || *since > now)
        return fail(io.err, QStringLiteral("--since takes a duration such as 7d or a time such as 2026-11-01"), 2);
    auto prices = PriceTable::builtin();
    const PriceTable table = prices ? std::move(prices.value()) : PriceTable();
    QueueHealthQuery q;
    q.sinceMs = *since;
    q.prices = &table;
    auto stats = queueStats(store->session(), cmd.value(QStringLiteral("tenant")), now, nullptr, nullptr, &q);
    if (!stats)
        return fail(io.err, stats.error().message);
    const QueueHealth &h = *stats->health;
    if (cmd.isSet(QStringLiteral("json"))) {
        QJsonObject states, lanes;
        for (auto it = stats->byState.cbegin(); it != stats->byState.cend(); ++it)
            states.insert(it.key(), it.value());
        for (auto it = h.backlogAge.cbegin(); it != h.backlogAge.cend(); ++it)
            lanes.insert(it.key(), durationJson(it.value()));
        QJsonArray reviewers, reasons;
        for (const ReviewerDay &d : h.reviewerDays)
            reviewers.append(QJsonObject { { QLatin1String("day"), d.day }, { QLatin1String("reviewer"), d.reviewer },
                { QLatin1String("approvals"), d.approvals }, { QLatin1String("rejections"), d.rejections },
                { QLatin1String("undone"), d.undone }, { QLatin1String("edits_withdrawn"), d.editsWithdrawn } });
        for (const ReasonDay &r : h.rejectionReasons)
            reasons.append(QJsonObject { { QLatin1String("day"), r.day }, { QLatin1String("code"), r.code },
                { QLatin1String("count"), r.count } });
        printJson(io.out,
            QJsonObject { { QLatin1String("tenant"), stats->tenant }, { QLatin1String("since"), isoTime(h.sinceMs) },
                { QLatin1String("now"), isoTime(h.nowMs) }, { QLatin1String("by_state"), states },
                { QLatin1String("awaiting"), stats->awaiting }, { QLatin1String("claimed"), stats->claimed },
                { QLatin1String("backlog_age"), lanes }, { QLatin1String("to_decision"), durationJson(h.toDecision) },
                { QLatin1String("to_serving"), durationJson(h.toServing) },
                { QLatin1String("reviewer_days"), reviewers }, { QLatin1String("rejection_reasons"), reasons },
                { QLatin1String("demand_waiting"), h.demandWaiting }, { QLatin1String("demand_total"), h.demandTotal },
                { QLatin1String("would_save_micros"), h.wouldSaveMicros },
                { QLatin1String("unpriced_entries"), h.unpricedEntries } });
        return 0;
    }
    io.out << "backlog: " << stats->awaiting << " waiting (" << stats->byState.value(QStringLiteral("pending"))
           << " need review, " << stats->byState.value(QStringLiteral("needs_second")) << " need a second approval), "
           << stats->claimed << " being reviewed" << Qt::endl;
    for (const char *lane : { "pending", "needs_second" })
        io.out << "  age " << lane << ": " << durationLine(h.backlogAge.value(QLatin1String(lane))) << Qt::endl;
    io.out << "since " << isoTime(h.sinceMs) << ":" << Qt::endl;
    io.out << "  filed to decided: " << durationLine(h.toDecision) << Qt::endl;
    io.out << "  filed to serving: " << durationLine(h.toServing) << Qt::endl;
    for (const ReviewerDay &d : h.reviewerDays)
        io.out << "  " << d.day << ' ' << d.reviewer << ": " << d.approvals << " approved, " << d.rejections
               << " rejected, " << d.undone << " undone, " << d.editsWithdrawn << " edits withdrawn" << Qt::endl;
    for (const ReasonDay &r : h.rejectionReasons)
        io.out << "  " << r.day << " rejected " << r.code << ": " << r.count << Qt::endl;
    const double share = h.demandTotal > 0 ? 100.0 * double(h.demandWaiting) / double(h.demandTotal) : 0.0;
    io.out << "demand waiting on review: " << h.demandWaiting << " of " << h.demandTotal << " ("
           << QString::number(share, 'f', 1) << " %)" << Qt::endl;
    io.out << "would-be savings in the queue: $" << QString::number(double(h.wouldSaveMicros) / 1e6, 'f', 6);
    if (h.unpricedEntries > 0)
        io.out << " (" << h.unpricedEntries << " entries unpriced)";
    io.out << Qt::endl;
    return 0;
}

class QueueCommand final : public Command {
public:
    QueueCommand()
        : Command(QStringLiteral("queue"),
            QStringLiteral("queue list [--json] [--state S | --all] [--tenant NAME] | queue claim [ENTRY@VERSION] "
                           "[--reviewer NAME] [--lease 5m] | queue release ENTRY@VERSION | queue stats [--json] "
                           "[--tenant NAME] [--since 7d]"),
            QStringLiteral("List candidates waiting for review; claim the most valuable free one (or one item) for "
                           "a while; release it; the queue's health (backlog ages, time to decision and to "
                           "serving, decisions per reviewer and day, rejection reasons, demand waiting)."),
            { { QStringLiteral("json"), QStringLiteral("Print JSON.") },
                { QStringLiteral("tenant"), QStringLiteral("Tenant name."), QStringLiteral("NAME") },
                { QStringLiteral("state"), QStringLiteral("Queue state filter."), QStringLiteral("STATE") },
                { QStringLiteral("all"), QStringLiteral("Every state.") },
                { QStringLiteral("reviewer"), QStringLiteral("Reviewer name recorded with a decision."),
                    QStringLiteral("NAME") },
                { QStringLiteral("lease"), QStringLiteral("How long a claim lasts unless renewed (default 5m)."),
                    QStringLiteral("DURATION") },
                { QStringLiteral("since"),
                    QStringLiteral("queue stats: since when decisions count (7d, 2026-11-01; default 7d)."),
                    QStringLiteral("DURATION") } })
    {
    }

    int run(const CommandLine &cmd, CommandIo &io) const override
    {
        if (cmd.args.value(1) == QLatin1String("stats"))
            return printStats(cmd, io);
        if (cmd.args.value(1) == QLatin1String("claim") || cmd.args.value(1) == QLatin1String("release")) {
            auto store = openOrFail(cmd, io.err);
            if (!store)
                return 1;
            const qint64 now = io.clock->nowMs();
            const auto lease = parseDuration(
                cmd.isSet(QStringLiteral("lease")) ? cmd.value(QStringLiteral("lease")) : QStringLiteral("5m"));
            if (!lease || *lease <= 0)
                return fail(io.err, QStringLiteral("--lease takes a duration such as 5m"), 2);
            if (cmd.args.value(1) == QLatin1String("release")) {
                const QStringList parts = cmd.args.value(2).split(QLatin1Char('@'));
                if (cmd.args.size() != 3 || parts.size() != 2)
                    return fail(
                        io.err, QStringLiteral("usage: l0ctl queue release ENTRY@VERSION [--reviewer NAME]"), 2);
                if (auto s = releaseItem(store->session(), parts[0].toLongLong(), parts[1].toInt(), reviewerName(cmd));
                    !s)
                    return fail(io.err, s.error().message);
                io.out << cmd.args.at(2) << " released" << Qt::endl;
                return 0;
            }
            Result<std::optional<Claim>> claim = std::optional<Claim>();
            if (cmd.args.size() == 3) {
                const QStringList parts = cmd.args.at(2).split(QLatin1Char('@'));
                if (parts.size() != 2)
                    return fail(io.err,
                        QStringLiteral(
                            "usage: l0ctl queue claim [ENTRY@VERSION] [--reviewer NAME] [--lease 5m] [--tenant NAME]"),
                        2);
                auto one = claimItem(
                    store->session(), parts[0].toLongLong(), parts[1].toInt(), reviewerName(cmd), *lease, now);
                if (!one)
                    return fail(io.err, one.error().message);
                claim = std::optional<Claim>(*one);
            } else {
                claim
                    = claimNext(store->session(), reviewerName(cmd), *lease, now, cmd.value(QStringLiteral("tenant")));
            }
            if (!claim)
                return fail(io.err, claim.error().message);
            if (!claim->has_value()) {
                io.out << (cmd.isSet(QStringLiteral("json")) ? "null" : "nothing to review") << Qt::endl;
                return 0;
            }
            const Claim c = **claim;
            if (cmd.isSet(QStringLiteral("json")))
                printJson(io.out,
                    QJsonObject { { QLatin1String("id"), c.entryId }, { QLatin1String("version"), c.version },
                        { QLatin1String("expires"), isoTime(c.expiresMs) } });
            else
                io.out << c.entryId << '@' << c.version << " claimed by " << reviewerName(cmd) << " until "
                       << isoTime(c.expiresMs) << Qt::endl;
            return 0;
        }
        if (cmd.args.value(1) != QLatin1String("list"))
            return fail(io.err,
                QStringLiteral("usage: l0ctl queue list [--json] [--state STATE | --all] [--tenant NAME] | queue claim "
                               "[ENTRY@VERSION] | queue release ENTRY@VERSION | queue stats [--json]"),
                2);
        auto store = openOrFail(cmd, io.err);
        if (!store)
            return 1;
        QueueFilter f;
        f.all = cmd.isSet(QStringLiteral("all"));
        if (cmd.isSet(QStringLiteral("state"))) {
            f.state = versionStateFromName(cmd.value(QStringLiteral("state")));
            if (!f.state)
                return fail(io.err, QStringLiteral("unknown state '%1'").arg(cmd.value(QStringLiteral("state"))), 2);
        }
        f.tenant = cmd.value(QStringLiteral("tenant"));
        auto items = store->queue(f);
        if (!items)
            return fail(io.err, items.error().message);
        if (cmd.isSet(QStringLiteral("json"))) {
            QJsonArray a;
            for (const QueueItem &i : *items) {
                a.append(QJsonObject { { QLatin1String("id"), i.entryId }, { QLatin1String("version"), i.version },
                    { QLatin1String("state"), QLatin1String(versionStateName(i.state)) },
                    { QLatin1String("tenant"), i.tenant }, { QLatin1String("namespace"), i.ns },
                    { QLatin1String("tier"), i.tier }, { QLatin1String("model"), i.model },
                    { QLatin1String("risk"), i.risk }, { QLatin1String("demand"), i.hits },
                    { QLatin1String("query"), i.query }, { QLatin1String("preview"), i.preview },
                    { QLatin1String("created"), isoTime(i.createdMs) },
                    { QLatin1String("claimed_by"), i.claimedBy.isEmpty() ? QJsonValue() : QJsonValue(i.claimedBy) } });
            }
            printJson(io.out, a);
            return 0;
        }
        if (items->empty()) {
            io.out << "queue is empty" << Qt::endl;
            return 0;
        }
        for (const QueueItem &i : *items) {
            io.out << i.entryId << '@' << i.version << '\t' << versionStateName(i.state) << '\t' << i.tenant << '\t'
                   << i.model << '\t' << "demand " << i.hits << '\t' << i.query.left(60) << Qt::endl;
        }
        return 0;
    }
};

} // namespace

std::unique_ptr<Command> makeQueueCommand()
{
    return std::make_unique<QueueCommand>();
}

} // namespace l0
