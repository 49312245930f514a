#include "mcptools.h"

#include <QDate>
#include <QDateTime>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTimeZone>

#include "api/openaicodec.h"
#include "core/clock.h"
#include "jsonrpc.h"
#include "ledger/ledgerreport.h"
#include "ledger/rollup.h"
#include "ledger/routingreport.h"
#include "node/apiresponse.h"
#include "node/tenantdirectory.h"
#include "normalize/intentmatcher.h"
#include "normalize/packdirectory.h"
#include "review/queuereads.h"
#include "service/cacheservice.h"
#include "store/store.h"
#include "storereader.h"

namespace l0::mcp {

namespace {

const QLatin1String kPricesUri("l0://prices");
const QLatin1String kPoliciesUri("l0://tenants/policies");

QString dollarsText(qint64 micros)
{
    const qint64 a = micros < 0 ? -micros : micros;
    return QStringLiteral("%1$%2.%3")
        .arg(micros < 0 ? QStringLiteral("-") : QString())
        .arg(a / 1'000'000)
        .arg(a % 1'000'000, 6, 10, QLatin1Char('0'));
}

QString compact(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// A CallToolResult: the text for the model (and people), the same data structured.
QJsonObject toolResult(const QString &text, const QJsonObject &structured)
{
    return QJsonObject { { QLatin1String("content"),
                             QJsonArray { QJsonObject { { QLatin1String("type"), QLatin1String("text") },
                                 { QLatin1String("text"), text } } } },
        { QLatin1String("structuredContent"), structured }, { QLatin1String("isError"), false } };
}

// A tool that ran and failed: the model reads why and may try again differently.
McpTools::Outcome toolError(const QString &message)
{
    McpTools::Outcome o;
    o.result = QJsonObject { { QLatin1String("content"),
                                 QJsonArray { QJsonObject { { QLatin1String("type"), QLatin1String("text") },
                                     { QLatin1String("text"), message } } } },
        { QLatin1String("isError"), true } };
    return o;
}

McpTools::Outcome ok(const QString &text, const QJsonObject &structured)
{
    McpTools::Outcome o;
    o.result = toolResult(text, structured);
    return o;
}

QJsonObject prop(const char *type, const QString &description, QJsonObject extra = {})
{
    extra.insert(QLatin1String("type"), QLatin1String(type));
    extra.insert(QLatin1String("description"), description);
    return extra;
}

QJsonObject tenantProperty()
{
    return prop("string",
        QStringLiteral("Tenant name; \"all\" for every tenant. Default: the key's own tenant. Other tenants and "
                       "\"all\" need a manager key."),
        { { QLatin1String("minLength"), 1 } });
}

QJsonObject savingsSchema()
{
    const QJsonObject date { { QLatin1String("pattern"), QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$") } };
    return QJsonObject { { QLatin1String("type"), QLatin1String("object") },
        { QLatin1String("properties"),
            QJsonObject {
                { QLatin1String("from"), prop("string", QStringLiteral("First day, YYYY-MM-DD (inclusive)."), date) },
                { QLatin1String("to"), prop("string", QStringLiteral("Last day, YYYY-MM-DD (inclusive)."), date) },
                { QLatin1String("tenant"), tenantProperty() },
                { QLatin1String("group_by"),
                    prop("string", QStringLiteral("Split the totals by this dimension."),
                        { { QLatin1String("enum"),
                            QJsonArray { QLatin1String("tenant"), QLatin1String("namespace"), QLatin1String("tier"),
                                QLatin1String("model"), QLatin1String("intent") } } }) },
                { QLatin1String("bucket"),
                    prop("string", QStringLiteral("Time buckets (default total: one row per group)."),
                        { { QLatin1String("enum"),
                            QJsonArray { QLatin1String("minute"), QLatin1String("hour"), QLatin1String("day"),
                                QLatin1String("total") } } }) },
                { QLatin1String("time_zone"),
                    prop("string", QStringLiteral("IANA time zone days are cut in (default UTC)."),
                        { { QLatin1String("minLength"), 1 } }) },
                { QLatin1String("namespace"), prop("string", QStringLiteral("Only this namespace.")) },
                { QLatin1String("tier"),
                    prop("string", QStringLiteral("Only this tier: l0, exact, semantic or upstream.")) },
                { QLatin1String("model"), prop("string", QStringLiteral("Only this model (the model used).")) },
                { QLatin1String("intent"), prop("string", QStringLiteral("Only this intent.")) },
                { QLatin1String("top"),
                    prop("integer", QStringLiteral("Also list the N entries that saved most."),
                        { { QLatin1String("minimum"), 0 }, { QLatin1String("maximum"), 100 } }) } } },
        { QLatin1String("required"), QJsonArray { QLatin1String("from"), QLatin1String("to") } },
        { QLatin1String("additionalProperties"), false } };
}

QJsonObject queueSchema()
{
    return QJsonObject { { QLatin1String("type"), QLatin1String("object") },
        { QLatin1String("properties"), QJsonObject { { QLatin1String("tenant"), tenantProperty() } } },
        { QLatin1String("additionalProperties"), false } };
}

QJsonObject lookupSchema()
{
    return QJsonObject { { QLatin1String("type"), QLatin1String("object") },
        { QLatin1String("properties"),
            QJsonObject { { QLatin1String("question"),
                              prop("string", QStringLiteral("The user's question (one user turn)."),
                                  { { QLatin1String("minLength"), 1 } }) },
                { QLatin1String("messages"),
                    prop("array",
                        QStringLiteral("A whole conversation instead of question: OpenAI chat messages "
                                       "[{\"role\", \"content\"}]."),
                        { { QLatin1String("items"),
                              QJsonObject { { QLatin1String("type"), QLatin1String("object") } } },
                            { QLatin1String("minItems"), 1 } }) },
                { QLatin1String("system"),
                    prop("string", QStringLiteral("A system prompt before the question (keys include it).")) },
                { QLatin1String("model"),
                    prop("string", QStringLiteral("The model the question would be asked of."),
                        { { QLatin1String("minLength"), 1 } }) },
                { QLatin1String("namespace"),
                    prop("string", QStringLiteral("The namespace (x-l0-namespace) it would be asked in.")) } } },
        { QLatin1String("required"), QJsonArray { QLatin1String("model") } },
        { QLatin1String("additionalProperties"), false } };
}

QJsonObject explainSchema()
{
    return QJsonObject { { QLatin1String("type"), QLatin1String("object") },
        { QLatin1String("properties"),
            QJsonObject {
                { QLatin1String("text"),
                    prop("string", QStringLiteral("The query to normalize."), { { QLatin1String("minLength"), 1 } }) },
                { QLatin1String("tenant"),
                    prop("string",
                        QStringLiteral("Whose active rule pack (default: the key's tenant; others need a manager "
                                       "key)."),
                        { { QLatin1String("minLength"), 1 } }) } } },
        { QLatin1String("required"), QJsonArray { QLatin1String("text") } },
        { QLatin1String("additionalProperties"), false } };
}

QJsonObject tool(const char *name, const QString &title, const QString &description, const QJsonObject &schema)
{
    return QJsonObject { { QLatin1String("name"), QLatin1String(name) }, { QLatin1String("title"), title },
        { QLatin1String("description"), description }, { QLatin1String("inputSchema"), schema },
        { QLatin1String("annotations"),
            QJsonObject { { QLatin1String("readOnlyHint"), true }, { QLatin1String("openWorldHint"), false } } } };
}

const QJsonObject &schemaFor(const QString &name)
{
    static const QJsonObject savings = savingsSchema(), queue = queueSchema(), lookup = lookupSchema(),
                             explain = explainSchema(), none;
    if (name == QLatin1String("savings_report"))
        return savings;
    if (name == QLatin1String("queue_stats"))
        return queue;
    if (name == QLatin1String("lookup_answer"))
        return lookup;
    if (name == QLatin1String("explain_normalization"))
        return explain;
    return none;
}

// Which tenant a call reads: one name, or empty for all. Fails with the reason a model can act on.
struct TenantScope {
    QString tenant; // empty: every tenant
    QString label; // the tenant, or "all"
    QString refusal;
};

TenantScope scopeFor(const Principal &p, const QJsonObject &args, const TenantDirectory *tenants, bool allowAll)
{
    const QString asked = args.value(QLatin1String("tenant")).toString();
    if (asked.isEmpty() || asked == p.tenant.name)
        return { p.tenant.name, p.tenant.name, {} };
    if (!p.manager)
        return { {}, {},
            QStringLiteral("this key belongs to tenant '%1' and reads only that tenant's numbers; '%2' needs a "
                           "manager key (l0ctl key issue --tenant NAME --scope manager)")
                .arg(p.tenant.name, asked) };
    if (asked == QLatin1String("all")) {
        if (!allowAll)
            return { {}, {}, QStringLiteral("name one tenant: \"all\" does not apply here") };
        return { QString(), QStringLiteral("all"), {} };
    }
    if (!tenants->tenantByName(asked))
        return { {}, {}, QStringLiteral("no tenant named '%1'").arg(asked) };
    return { asked, asked, {} };
}

QJsonObject queueStatsJson(const QueueStats &q, qint64 nowMs)
{
    QJsonObject byState, byRisk;
    for (auto it = q.byState.cbegin(); it != q.byState.cend(); ++it)
        byState.insert(it.key(), it.value());
    for (auto it = q.awaitingByRisk.cbegin(); it != q.awaitingByRisk.cend(); ++it)
        byRisk.insert(it.key(), it.value());
    QJsonObject o { { QLatin1String("by_state"), byState }, { QLatin1String("awaiting_review"), q.awaiting },
        { QLatin1String("awaiting_by_risk"), byRisk },
        { QLatin1String("high_risk_awaiting"), q.awaitingByRisk.value(QStringLiteral("high")) },
        { QLatin1String("claimed"), q.claimed } };
    o.insert(QLatin1String("oldest_awaiting_ms"), q.oldestAwaitingMs ? QJsonValue(*q.oldestAwaitingMs) : QJsonValue());
    o.insert(QLatin1String("oldest_awaiting_age_s"),
        q.oldestAwaitingMs ? QJsonValue(qMax<qint64>(0, (nowMs - *q.oldestAwaitingMs) / 1000)) : QJsonValue());
    return o;
}

QJsonValue optionalNumber(const std::optional<qint64> &v)
{
    return v ? QJsonValue(*v) : QJsonValue();
}

QJsonObject policyJson(const Tenant &t)
{
    return QJsonObject { { QLatin1String("name"), t.name },
        { QLatin1String("policy"), QLatin1String(policyName(t.policy)) },
        { QLatin1String("limits"),
            QJsonObject { { QLatin1String("requests_per_minute"), optionalNumber(t.limits.requestsPerMinute) },
                { QLatin1String("tokens_per_minute"), optionalNumber(t.limits.tokensPerMinute) },
                { QLatin1String("hard_budget"), t.limits.hardBudget },
                { QLatin1String("stale_grace_ms"), t.limits.staleGraceMs } } },
        { QLatin1String("response_retention_ms"), optionalNumber(t.responseRetentionMs) },
        { QLatin1String("hit_fee_micros"), t.hitFeeMicros } };
}

} // namespace

QString schemaViolation(const QJsonObject &schema, const QJsonValue &value, const QString &path)
{
    const QString at = path.isEmpty() ? QStringLiteral("arguments") : path;
    const QString type = schema.value(QLatin1String("type")).toString();
    if (type == QLatin1String("object")) {
        if (!value.isObject())
            return QStringLiteral("%1 must be an object").arg(at);
        const QJsonObject o = value.toObject();
        const QJsonObject props = schema.value(QLatin1String("properties")).toObject();
        for (const QJsonValue &r : schema.value(QLatin1String("required")).toArray()) {
            if (!o.contains(r.toString()))
                return QStringLiteral("%1 is required")
                    .arg(path.isEmpty() ? r.toString() : path + QLatin1Char('.') + r.toString());
        }
        for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
            const QString name = path.isEmpty() ? it.key() : path + QLatin1Char('.') + it.key();
            if (!props.contains(it.key())) {
                if (schema.value(QLatin1String("additionalProperties")) == QJsonValue(false))
                    return QStringLiteral("unknown argument '%1' (known: %2)")
                        .arg(name, props.keys().join(QStringLiteral(", ")));
                continue;
            }
            const QString v = schemaViolation(props.value(it.key()).toObject(), it.value(), name);
            if (!v.isEmpty())
                return v;
        }
        return {};
    }
    if (type == QLatin1String("string")) {
        if (!value.isString())
            return QStringLiteral("%1 must be a string").arg(at);
        const QString s = value.toString();
        if (s.size() < schema.value(QLatin1String("minLength")).toInt(0))
            return QStringLiteral("%1 must not be empty").arg(at);
        const QJsonArray allowed = schema.value(QLatin1String("enum")).toArray();
        if (!allowed.isEmpty() && !allowed.contains(value)) {
            QStringList names;
            for (const QJsonValue &a : allowed)
                names << a.toString();
            return QStringLiteral("%1 must be one of %2, not '%3'").arg(at, names.join(QStringLiteral(", ")), s);
        }
        const QString pattern = schema.value(QLatin1String("pattern")).toString();
        if (!pattern.isEmpty() && !QRegularExpression(pattern).match(s).hasMatch())
            return QStringLiteral("%1 '%2' does not match %3").arg(at, s, pattern);
        return {};
    }
    if (type == QLatin1String("integer")) {
        const double d = value.toDouble();
        if (!value.isDouble() || d != double(qint64(d)))
            return QStringLiteral("%1 must be an integer").arg(at);
        if (schema.contains(QLatin1String("minimum")) && d < schema.value(QLatin1String("minimum")).toDouble())
            return QStringLiteral("%1 must be at least %2")
                .arg(at)
                .arg(schema.value(QLatin1String("minimum")).toInteger());
        if (schema.contains(QLatin1String("maximum")) && d > schema.value(QLatin1String("maximum")).toDouble())
            return QStringLiteral("%1 must be at most %2")
                .arg(at)
                .arg(schema.value(QLatin1String("maximum")).toInteger());
        return {};
    }
    if (type == QLatin1String("array")) {
        if (!value.isArray())
            return QStringLiteral("%1 must be an array").arg(at);
        const QJsonArray a = value.toArray();
        if (a.size() < schema.value(QLatin1String("minItems")).toInt(0))
            return QStringLiteral("%1 must not be empty").arg(at);
        const QJsonObject items = schema.value(QLatin1String("items")).toObject();
        for (qsizetype i = 0; i < a.size(); ++i) {
            const QString v = schemaViolation(items, a.at(i), QStringLiteral("%1[%2]").arg(at).arg(i));
            if (!v.isEmpty())
                return v;
        }
        return {};
    }
    if (type == QLatin1String("boolean") && !value.isBool())
        return QStringLiteral("%1 must be true or false").arg(at);
    return {};
}

McpTools::McpTools(Deps deps)
    : m_deps(std::move(deps))
{
}

qint64 McpTools::nowMs() const
{
    return (m_deps.clock ? m_deps.clock : Clock::system())->nowMs();
}

QJsonArray McpTools::toolList() const
{
    return QJsonArray {
        tool("savings_report", QStringLiteral("Savings report"),
            QStringLiteral("What the cache saved over a range of days: requests, cache hits, upstream calls, actual "
                           "and baseline cost, savings (integer micro-dollars), tokens and time saved; optionally "
                           "split by tenant, namespace, tier, model or intent and cut into time buckets. The same "
                           "numbers as `l0ctl ledger report --json`."),
            schemaFor(QStringLiteral("savings_report"))),
        tool("queue_stats", QStringLiteral("Review queue statistics"),
            QStringLiteral("The human review queue: versions per state, the backlog (pending and needs_second) by "
                           "risk, how many reviewers hold under a lease, and how old the oldest waiting one is."),
            schemaFor(QStringLiteral("queue_stats"))),
        tool("lookup_answer", QStringLiteral("Look up an approved answer"),
            QStringLiteral(
                "Whether the cache would answer a question for this key's tenant: the tier and entry@version "
                "that would serve it and the approved answer's text, or what each tier keyed it as when "
                "nothing matches. Read-only: nothing is recorded in the ledger."),
            schemaFor(QStringLiteral("lookup_answer"))),
        tool("explain_normalization", QStringLiteral("Explain normalization"),
            QStringLiteral("Runs the tenant's active rule pack on a text and shows every normalization step, the "
                           "intent and slots it matched (or why it abstained) and the intent key, as `l0ctl rules "
                           "explain --json` does."),
            schemaFor(QStringLiteral("explain_normalization"))),
    };
}

QJsonArray McpTools::resourceList(const Principal &principal) const
{
    return QJsonArray {
        QJsonObject { { QLatin1String("uri"), kPricesUri }, { QLatin1String("name"), QLatin1String("prices") },
            { QLatin1String("title"), QStringLiteral("Price table") },
            { QLatin1String("description"),
                QStringLiteral("The prices this node computes costs and savings with, in integer micro-dollars per "
                               "million tokens (effective %1).")
                    .arg(m_deps.prices.effectiveDate()) },
            { QLatin1String("mimeType"), QLatin1String("application/json") } },
        QJsonObject { { QLatin1String("uri"), kPoliciesUri },
            { QLatin1String("name"), QLatin1String("tenant-policies") },
            { QLatin1String("title"), QStringLiteral("Tenant policies") },
            { QLatin1String("description"),
                principal.manager ? QStringLiteral("Every tenant's cache policy and limits.")
                                  : QStringLiteral("Tenant %1's cache policy and limits.").arg(principal.tenant.name) },
            { QLatin1String("mimeType"), QLatin1String("application/json") } },
    };
}

void McpTools::callTool(const Principal &principal, const QString &name, const QJsonObject &arguments, Done done) const
{
    const QJsonObject &schema = schemaFor(name);
    if (schema.isEmpty()) {
        Outcome o;
        o.rpcCode = rpc::kInvalidParams;
        o.rpcMessage = QStringLiteral("Unknown tool: %1").arg(name);
        return done(o);
    }
    if (const QString v = schemaViolation(schema, arguments); !v.isEmpty())
        return done(toolError(QStringLiteral("invalid arguments for %1: %2").arg(name, v)));
    if (name == QLatin1String("savings_report"))
        return savingsReport(principal, arguments, std::move(done));
    if (name == QLatin1String("queue_stats"))
        return queueStats(principal, arguments, std::move(done));
    if (name == QLatin1String("lookup_answer"))
        return lookupAnswer(principal, arguments, std::move(done));
    explainNormalization(principal, arguments, std::move(done));
}

void McpTools::savingsReport(const Principal &principal, const QJsonObject &args, Done done) const
{
    const TenantScope scope = scopeFor(principal, args, m_deps.tenants, true);
    if (!scope.refusal.isEmpty())
        return done(toolError(scope.refusal));
    RollupQuery q;
    if (args.contains(QLatin1String("time_zone"))) {
        q.zone = QTimeZone(args.value(QLatin1String("time_zone")).toString().toUtf8());
        if (!q.zone.isValid())
            return done(toolError(QStringLiteral("unknown time zone '%1' (IANA names: Europe/Berlin, UTC, ...)")
                                      .arg(args.value(QLatin1String("time_zone")).toString())));
    }
    const QDate from = QDate::fromString(args.value(QLatin1String("from")).toString(), Qt::ISODate);
    const QDate to = QDate::fromString(args.value(QLatin1String("to")).toString(), Qt::ISODate);
    if (!from.isValid() || !to.isValid())
        return done(toolError(QStringLiteral("from and to are calendar dates, YYYY-MM-DD")));
    if (to < from)
        return done(toolError(
            QStringLiteral("to (%1) is before from (%2)").arg(to.toString(Qt::ISODate), from.toString(Qt::ISODate))));
    if (from.daysTo(to) > 3660)
        return done(toolError(QStringLiteral("a report covers at most ten years")));
    q.fromMs = QDateTime(from, QTime(0, 0), q.zone).toMSecsSinceEpoch();
    q.toMs = QDateTime(to.addDays(1), QTime(0, 0), q.zone).toMSecsSinceEpoch();
    q.grain = Grain::Total;
    if (args.contains(QLatin1String("bucket")))
        q.grain = *grainFromName(args.value(QLatin1String("bucket")).toString());
    if (q.grain == Grain::Minute && q.toMs - q.fromMs > 2LL * 86'400'000)
        return done(toolError(QStringLiteral("minute buckets cover at most two days; use hour or day")));
    if (args.contains(QLatin1String("group_by")))
        q.groupBy = *dimensionFromName(args.value(QLatin1String("group_by")).toString());
    q.tenant = scope.tenant;
    q.ns = args.value(QLatin1String("namespace")).toString();
    if (!principal.ns.isEmpty()) {
        // A credential pinned to a namespace reads that namespace's numbers only.
        if (!q.ns.isEmpty() && q.ns != QString::fromUtf8(principal.ns))
            return done(toolError(
                QStringLiteral("this credential is pinned to namespace '%1'").arg(QString::fromUtf8(principal.ns))));
        q.ns = QString::fromUtf8(principal.ns);
    }
    q.tier = args.value(QLatin1String("tier")).toString();
    q.model = args.value(QLatin1String("model")).toString();
    q.intent = args.value(QLatin1String("intent")).toString();
    const int top = args.value(QLatin1String("top")).toInt(0);
    const QString label = scope.label;
    m_deps.reader->read(
        [q, top, label](Store &store) -> Result<QJsonObject> {
            auto r = queryRollups(store.session(), q);
            if (!r)
                return r.error();
            // Exactly what `l0ctl ledger report --json` prints, from the same functions.
            std::vector<EntrySavings> entries;
            if (top > 0) {
                auto t = topEntries(store.session(), q, top);
                if (!t)
                    return t.error();
                entries = std::move(*t);
            }
            auto routing = routingSavings(store.session(), q);
            if (!routing)
                return routing.error();
            QJsonObject o = ledgerReportJson(q, *r, top > 0 ? &entries : nullptr);
            o.insert(QLatin1String("routing"), routingSavingsJson(*routing));
            o.insert(QLatin1String("tenant"), label);
            return o;
        },
        [done, q, label](Result<QJsonObject> r) {
            if (!r)
                return done(toolError(QStringLiteral("the ledger could not be read: %1").arg(r.error().message)));
            const QJsonObject &o = *r;
            QString text
                = QStringLiteral("Savings for %1, %2 .. %3 (%4)\n")
                      .arg(label, o.value(QLatin1String("since")).toString(),
                          o.value(QLatin1String("until")).toString(), o.value(QLatin1String("zone")).toString());
            const qint64 requests = o.value(QLatin1String("requests")).toInteger();
            const qint64 hits = o.value(QLatin1String("hits")).toInteger();
            text += QStringLiteral("requests %1, cache hits %2 (%3%), upstream calls %4\n")
                        .arg(requests)
                        .arg(hits)
                        .arg(QString::number(o.value(QLatin1String("hit_rate")).toDouble() * 100, 'f', 1))
                        .arg(o.value(QLatin1String("upstream")).toInteger());
            text += QStringLiteral("actual cost %1, baseline cost %2, saved %3\n")
                        .arg(dollarsText(o.value(QLatin1String("actual_micros")).toInteger()),
                            dollarsText(o.value(QLatin1String("baseline_micros")).toInteger()),
                            dollarsText(o.value(QLatin1String("saved_micros")).toInteger()));
            if (const qint64 unpriced = o.value(QLatin1String("unpriced_requests")).toInteger())
                text += QStringLiteral("UNPRICED: %1 requests used models without a price (not counted as $0)\n")
                            .arg(unpriced);
            for (const QJsonValue &v : o.value(QLatin1String("rows")).toArray()) {
                const QJsonObject row = v.toObject();
                const QString group = row.value(QLatin1String("group")).toString();
                text += QStringLiteral("%1  %2  requests %3  hits %4  saved %5\n")
                            .arg(row.value(QLatin1String("bucket")).toString(),
                                group.isEmpty() ? QStringLiteral("-") : group)
                            .arg(row.value(QLatin1String("requests")).toInteger())
                            .arg(row.value(QLatin1String("hits")).toInteger())
                            .arg(dollarsText(row.value(QLatin1String("saved_micros")).toInteger()));
            }
            text += QStringLiteral("(money in the structured result is integer micro-dollars)");
            done(ok(text, o));
        });
}

void McpTools::queueStats(const Principal &principal, const QJsonObject &args, Done done) const
{
    const TenantScope scope = scopeFor(principal, args, m_deps.tenants, true);
    if (!scope.refusal.isEmpty())
        return done(toolError(scope.refusal));
    const qint64 now = nowMs();
    const QString tenant = scope.tenant, label = scope.label;
    // A credential pinned to a namespace sees that namespace's queue only.
    const std::optional<QString> ns
        = principal.ns.isEmpty() ? std::nullopt : std::optional<QString>(QString::fromUtf8(principal.ns));
    m_deps.reader->read(
        [tenant, label, now, ns](Store &store) -> Result<QJsonObject> {
            std::vector<QueueStats> perTenant;
            auto total = l0::queueStats(
                store.session(), tenant, now, tenant.isEmpty() ? &perTenant : nullptr, ns ? &*ns : nullptr);
            if (!total)
                return total.error();
            QJsonObject o = queueStatsJson(*total, now);
            o.insert(QLatin1String("tenant"), label);
            if (tenant.isEmpty()) {
                QJsonArray list;
                for (const QueueStats &t : perTenant) {
                    QJsonObject to = queueStatsJson(t, now);
                    to.insert(QLatin1String("tenant"), t.tenant);
                    list.append(to);
                }
                o.insert(QLatin1String("tenants"), list);
            }
            return o;
        },
        [done, label](Result<QJsonObject> r) {
            if (!r)
                return done(toolError(QStringLiteral("the queue could not be read: %1").arg(r.error().message)));
            const QJsonObject &o = *r;
            const QJsonObject byState = o.value(QLatin1String("by_state")).toObject();
            const QJsonObject risk = o.value(QLatin1String("awaiting_by_risk")).toObject();
            QString text = QStringLiteral("Review queue for %1: %2 awaiting review (%3 pending, %4 needing a second "
                                          "approval); by risk: %5 high, %6 medium, %7 low; %8 claimed by reviewers.\n")
                               .arg(label)
                               .arg(o.value(QLatin1String("awaiting_review")).toInteger())
                               .arg(byState.value(QLatin1String("pending")).toInteger())
                               .arg(byState.value(QLatin1String("needs_second")).toInteger())
                               .arg(risk.value(QLatin1String("high")).toInteger())
                               .arg(risk.value(QLatin1String("medium")).toInteger())
                               .arg(risk.value(QLatin1String("low")).toInteger())
                               .arg(o.value(QLatin1String("claimed")).toInteger());
            const QJsonValue age = o.value(QLatin1String("oldest_awaiting_age_s"));
            text += age.isNull()
                ? QStringLiteral("Nothing is waiting.\n")
                : QStringLiteral("The oldest waiting version was filed %1 s ago.\n").arg(age.toInteger());
            text += QStringLiteral("Decided: %1 approved, %2 rejected, %3 revoked, %4 expired.")
                        .arg(byState.value(QLatin1String("approved")).toInteger())
                        .arg(byState.value(QLatin1String("rejected")).toInteger())
                        .arg(byState.value(QLatin1String("revoked")).toInteger())
                        .arg(byState.value(QLatin1String("expired")).toInteger());
            done(ok(text, o));
        });
}

void McpTools::lookupAnswer(const Principal &principal, const QJsonObject &args, Done done) const
{
    const bool hasQuestion = args.contains(QLatin1String("question"));
    const bool hasMessages = args.contains(QLatin1String("messages"));
    if (hasQuestion == hasMessages)
        return done(toolError(QStringLiteral("give either question or messages (one of them)")));
    QByteArray ns = args.value(QLatin1String("namespace")).toString().toUtf8();
    if (!principal.ns.isEmpty()) {
        if (!ns.isEmpty() && ns != principal.ns)
            return done(toolError(
                QStringLiteral("this credential is pinned to namespace '%1'").arg(QString::fromUtf8(principal.ns))));
        ns = principal.ns;
    }
    if (!validNamespace(ns))
        return done(toolError(QStringLiteral("namespace must be at most 128 characters of A-Z a-z 0-9 - _ . / :")));
    QJsonArray messages;
    if (args.contains(QLatin1String("system")))
        messages.append(QJsonObject { { QLatin1String("role"), QLatin1String("system") },
            { QLatin1String("content"), args.value(QLatin1String("system")) } });
    if (hasQuestion)
        messages.append(QJsonObject { { QLatin1String("role"), QLatin1String("user") },
            { QLatin1String("content"), args.value(QLatin1String("question")) } });
    else
        for (const QJsonValue &m : args.value(QLatin1String("messages")).toArray())
            messages.append(m);
    const QString model = args.value(QLatin1String("model")).toString();
    auto request = api::parseOpenAiChat(
        QJsonDocument(QJsonObject { { QLatin1String("model"), model }, { QLatin1String("messages"), messages } })
            .toJson(QJsonDocument::Compact));
    if (!request)
        return done(toolError(QStringLiteral("not a chat request: %1").arg(request.error().message)));
    // The cache service's own lookup, as a chat request would run it; no hit is recorded.
    auto prepared = m_deps.cache->prepare(principal.tenant.id, QString::fromUtf8(ns), std::move(*request));
    const CacheLookup found = m_deps.cache->lookup(principal.tenant, std::move(prepared), CacheControl {});
    QJsonObject o { { QLatin1String("tenant"), principal.tenant.name },
        { QLatin1String("namespace"), QString::fromUtf8(ns) }, { QLatin1String("model"), model },
        { QLatin1String("outcome"), QLatin1String(found.cacheHeader()) },
        { QLatin1String("found"), found.outcome == CacheLookup::Outcome::Hit } };
    if (!found.intent.isEmpty())
        o.insert(QLatin1String("intent"), found.intent);
    if (found.outcome == CacheLookup::Outcome::Hit) {
        const TierHit &hit = *found.hit;
        const ChatResult &result = hit.result();
        const QString entry = QStringLiteral("%1@%2").arg(hit.answer->entryId).arg(hit.answer->version);
        o.insert(QLatin1String("tier"), QLatin1String(tierName(found.tier)));
        o.insert(QLatin1String("entry"), entry);
        o.insert(QLatin1String("entry_id"), hit.answer->entryId);
        o.insert(QLatin1String("version"), hit.answer->version);
        o.insert(QLatin1String("state"), QLatin1String(versionStateName(hit.answer->state)));
        o.insert(QLatin1String("risk"), hit.answer->risk);
        o.insert(QLatin1String("answer"), result.text());
        o.insert(QLatin1String("answered_by"), result.modelUsed);
        return done(ok(QStringLiteral("Yes: the %1 tier serves entry %2 (%3).\n\n%4")
                           .arg(QLatin1String(tierName(found.tier)), entry,
                               QLatin1String(versionStateName(hit.answer->state)), result.text()),
            o));
    }
    QJsonObject keys;
    const TierChain &chain = m_deps.cache->chain();
    for (size_t i = 0; i < chain.size() && i < found.keys.size(); ++i)
        keys.insert(QLatin1String(tierName(chain[i]->tier())),
            found.keys[i].abstained() ? QJsonValue() : QJsonValue(QString::fromLatin1(found.keys[i].key)));
    o.insert(QLatin1String("keys"), keys);
    QString why;
    switch (found.outcome) {
    case CacheLookup::Outcome::ShadowHit:
        why = QStringLiteral("the tenant is in shadow mode: a cached answer would match, but nothing is served from "
                             "the cache");
        break;
    case CacheLookup::Outcome::Bypass:
        why = QStringLiteral("this request cannot be cached: %1").arg(found.prepared->uncacheable);
        break;
    default:
        why = QStringLiteral("no approved answer matches this request");
    }
    o.insert(QLatin1String("reason"), why);
    done(ok(QStringLiteral("No: %1. Keys: %2").arg(why, compact(keys)), o));
}

void McpTools::explainNormalization(const Principal &principal, const QJsonObject &args, Done done) const
{
    const TenantScope scope = scopeFor(principal, args, m_deps.tenants, false);
    if (!scope.refusal.isEmpty())
        return done(toolError(scope.refusal));
    const auto tenant = scope.tenant == principal.tenant.name ? std::optional<Tenant>(principal.tenant)
                                                              : m_deps.tenants->tenantByName(scope.tenant);
    if (!tenant)
        return done(toolError(QStringLiteral("no tenant named '%1'").arg(scope.tenant)));
    const auto matcher = m_deps.packs ? m_deps.packs->matcherFor(tenant->id) : nullptr;
    if (!matcher)
        return done(toolError(QStringLiteral("tenant '%1' has no active rule pack, so the intent tier abstains on "
                                             "every query (l0ctl rules publish PACK --tenant %1, then approve it)")
                                  .arg(tenant->name)));
    QStringList steps;
    const IntentMatch m = matcher->match(args.value(QLatin1String("text")).toString(), &steps);
    QJsonObject o = matchExplanationJson(m, steps);
    o.insert(QLatin1String("tenant"), tenant->name);
    o.insert(QLatin1String("pack"), matcher->pack().id());
    QString text = QStringLiteral("pack %1 for tenant %2: ").arg(matcher->pack().id(), tenant->name);
    text += m.abstained ? QStringLiteral("abstained (%1)\n").arg(m.reason)
                        : QStringLiteral("intent %1, key %2\n").arg(m.intent, m.key());
    text += steps.join(QLatin1Char('\n'));
    done(ok(text, o));
}

void McpTools::readResource(const Principal &principal, const QString &uri, Done done) const
{
    QJsonObject body;
    if (uri == kPricesUri) {
        QJsonArray models;
        for (const QString &m : m_deps.prices.models()) {
            const auto p = m_deps.prices.priceFor(m);
            models.append(QJsonObject { { QLatin1String("model"), m },
                { QLatin1String("input_micros_per_million_tokens"), p->inputPerMillion },
                { QLatin1String("output_micros_per_million_tokens"), p->outputPerMillion } });
        }
        body = QJsonObject { { QLatin1String("effective_date"), m_deps.prices.effectiveDate() },
            { QLatin1String("currency"), QLatin1String("USD") },
            { QLatin1String("unit"), QStringLiteral("integer micro-dollars per million tokens") },
            { QLatin1String("models"), models } };
    } else if (uri == kPoliciesUri) {
        QJsonArray list;
        if (principal.manager) {
            for (const Tenant &t : m_deps.tenants->tenants())
                list.append(policyJson(t));
        } else {
            list.append(policyJson(m_deps.tenants->tenant(principal.tenant.id).value_or(principal.tenant)));
        }
        body = QJsonObject { { QLatin1String("tenants"), list },
            { QLatin1String("scope"), principal.manager ? QLatin1String("manager") : QLatin1String("tenant") } };
    } else {
        Outcome o;
        o.rpcCode = rpc::kResourceNotFound;
        o.rpcMessage
            = QStringLiteral("Resource not found: %1 (this server has %2 and %3)").arg(uri, kPricesUri, kPoliciesUri);
        return done(o);
    }
    Outcome o;
    o.result = QJsonObject { { QLatin1String("contents"),
        QJsonArray { QJsonObject { { QLatin1String("uri"), uri },
            { QLatin1String("mimeType"), QLatin1String("application/json") },
            { QLatin1String("text"), QString::fromUtf8(QJsonDocument(body).toJson(QJsonDocument::Indented)) } } } } };
    done(o);
}

} // namespace l0::mcp
