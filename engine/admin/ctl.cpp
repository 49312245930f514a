#include "ctl.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTimeZone>

#include <functional>
#include <map>

#include "core/text.h"
#include "ledger/budget.h"
#include "ledger/rollup.h"
#include "normalize/induction.h"
#include "normalize/intentmatcher.h"
#include "normalize/replay.h"
#include "normalize/rulepack.h"
#include "review/safetyprofile.h"
#include "review/safetyscanner.h"
#include "review/textmodel.h"
#include "store/store.h"
#include "trust/approvals.h"
#include "trust/auditlog.h"
#include "trust/reviewqueue.h"
#include "trust/signing.h"

#include <termios.h>
#include <unistd.h>

namespace l0 {

namespace {

struct Command {
    QString synopsis;
    QString description;
    std::function<int(QCommandLineParser &, const QStringList &, QTextStream &, QTextStream &)> run;
};

QString dbUrl(const QCommandLineParser &p)
{
    if (p.isSet(QStringLiteral("db")))
        return p.value(QStringLiteral("db"));
    return QProcessEnvironment::systemEnvironment().value(QStringLiteral("L0_DB"));
}

int fail(QTextStream &err, const QString &message, int code = 1)
{
    err << "l0ctl: " << message << Qt::endl;
    return code;
}

// Opens the store named by --db / L0_DB and checks its schema unless told not to.
std::unique_ptr<Store> openOrFail(const QCommandLineParser &p, QTextStream &err, bool checkSchema = true)
{
    const QString url = dbUrl(p);
    if (url.isEmpty()) {
        fail(err, QStringLiteral("no database: pass --db URL or set L0_DB"));
        return nullptr;
    }
    auto store = openStore(url);
    if (!store) {
        fail(err, store.error().message);
        return nullptr;
    }
    if (checkSchema) {
        if (auto s = (*store)->checkSchema(); !s) {
            fail(err, s.error().message);
            return nullptr;
        }
    }
    return std::move(store.value());
}

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(Qt::ISODateWithMs);
}

// Accepts ISO 8601 (date or date-time, UTC unless an offset is given), or a relative "24h",
// "7d", "30m" meaning that long ago.
std::optional<qint64> parseTime(const QString &text)
{
    static const QHash<QChar, qint64> units { { QLatin1Char('m'), 60'000 }, { QLatin1Char('h'), 3'600'000 },
        { QLatin1Char('d'), 86'400'000 } };
    if (text.size() >= 2 && units.contains(text.back())) {
        bool ok = false;
        const qint64 n = text.left(text.size() - 1).toLongLong(&ok);
        if (ok && n >= 0)
            return QDateTime::currentMSecsSinceEpoch() - n * units.value(text.back());
    }
    QDateTime dt = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!dt.isValid())
        dt = QDateTime::fromString(text, Qt::ISODate);
    if (!dt.isValid()) {
        const QDate d = QDate::fromString(text, Qt::ISODate);
        if (d.isValid())
            dt = QDateTime(d, QTime(0, 0), QTimeZone::utc());
    }
    if (!dt.isValid())
        return std::nullopt;
    if (dt.timeSpec() == Qt::LocalTime)
        dt.setTimeZone(QTimeZone::utc());
    return dt.toMSecsSinceEpoch();
}

// The passphrase of a private key: L0_PASSPHRASE, or asked on the terminal without echo.
std::optional<QByteArray> passphrase(QTextStream &err, const QString &prompt, bool confirm = false)
{
    const QByteArray env = qgetenv("L0_PASSPHRASE");
    if (!env.isEmpty())
        return env;
    FILE *tty = std::fopen("/dev/tty", "r+");
    if (!tty) {
        fail(err, QStringLiteral("no passphrase: set L0_PASSPHRASE or run on a terminal"));
        return std::nullopt;
    }
    auto ask = [&](const QString &text) {
        std::fprintf(tty, "%s", qPrintable(text));
        std::fflush(tty);
        termios old {};
        tcgetattr(fileno(tty), &old);
        termios quiet = old;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(fileno(tty), TCSANOW, &quiet);
        char buf[1024] = {};
        const bool ok = std::fgets(buf, sizeof buf, tty) != nullptr;
        tcsetattr(fileno(tty), TCSANOW, &old);
        std::fprintf(tty, "\n");
        QByteArray line = ok ? QByteArray(buf) : QByteArray();
        while (line.endsWith('\n') || line.endsWith('\r'))
            line.chop(1);
        return line;
    };
    const QByteArray first = ask(prompt);
    if (confirm && ask(QStringLiteral("Repeat: ")) != first) {
        std::fclose(tty);
        fail(err, QStringLiteral("the passphrases differ"));
        return std::nullopt;
    }
    std::fclose(tty);
    return first;
}

// "30d", "12h", "90m", "45s" or plain milliseconds; nullopt when unreadable.
std::optional<qint64> parseDuration(const QString &text)
{
    static const QHash<QChar, qint64> units { { QLatin1Char('s'), 1000 }, { QLatin1Char('m'), 60'000 },
        { QLatin1Char('h'), 3'600'000 }, { QLatin1Char('d'), 86'400'000 } };
    bool ok = false;
    if (!text.isEmpty() && units.contains(text.back())) {
        const qint64 n = text.left(text.size() - 1).toLongLong(&ok);
        return ok && n >= 0 ? std::optional<qint64>(n * units.value(text.back())) : std::nullopt;
    }
    const qint64 n = text.toLongLong(&ok);
    return ok && n >= 0 ? std::optional<qint64>(n) : std::nullopt;
}

QString reviewerName(const QCommandLineParser &p)
{
    return p.isSet(QStringLiteral("reviewer"))
        ? p.value(QStringLiteral("reviewer"))
        : QProcessEnvironment::systemEnvironment().value(QStringLiteral("USER"), QStringLiteral("admin"));
}

// Opens an encrypted private key, asking for its passphrase; an error was printed when empty.
std::optional<SigningKey> openPrivateKey(const QString &path, const QString &prompt, QTextStream &err)
{
    auto pass = passphrase(err, prompt);
    if (!pass)
        return std::nullopt;
    auto key = SigningKey::fromPrivateFile(path, *pass);
    if (!key) {
        fail(err, key.error().message);
        return std::nullopt;
    }
    return std::move(key.value());
}

int cmdMigrate(QCommandLineParser &p, const QStringList &, QTextStream &out, QTextStream &err)
{
    auto store = openOrFail(p, err, false);
    if (!store)
        return 1;
    if (auto s = store->migrate(); !s)
        return fail(err, s.error().message);
    auto v = store->schemaVersion();
    if (!v)
        return fail(err, v.error().message);
    out << "schema at version " << *v << Qt::endl;
    return 0;
}

// Micro-dollars as dollars with all six decimals, from integers (no rounding on the way).
QString dollars(qint64 micros)
{
    const qint64 a = micros < 0 ? -micros : micros;
    return QStringLiteral("%1$%2.%3")
        .arg(micros < 0 ? QStringLiteral("-") : QString())
        .arg(a / 1'000'000)
        .arg(a % 1'000'000, 6, 10, QLatin1Char('0'));
}

int cmdTenant(QCommandLineParser &p, const QStringList &args, QTextStream &out, QTextStream &err)
{
    const QString sub = args.value(1);
    auto store = openOrFail(p, err);
    if (!store)
        return 1;
    if (sub == QLatin1String("add") || sub == QLatin1String("set-policy")) {
        if (args.size() != 3)
            return fail(err,
                QStringLiteral("usage: l0ctl tenant %1 NAME [--policy shadow|approved|auto_low_risk]").arg(sub), 2);
        const QString policyText
            = p.isSet(QStringLiteral("policy")) ? p.value(QStringLiteral("policy")) : QStringLiteral("approved");
        const auto policy = policyFromName(policyText);
        if (!policy)
            return fail(
                err, QStringLiteral("unknown policy '%1' (use shadow, approved or auto_low_risk)").arg(policyText), 2);
        if (sub == QLatin1String("add")) {
            auto t = store->addTenant(args.at(2), *policy);
            if (!t)
                return fail(err, t.error().message);
            if (p.isSet(QStringLiteral("json")))
                out << QJsonDocument(QJsonObject { { QLatin1String("id"), t->id }, { QLatin1String("name"), t->name },
                                         { QLatin1String("policy"), QLatin1String(policyName(t->policy)) } })
                           .toJson(QJsonDocument::Compact)
                    << Qt::endl;
            else
                out << "tenant " << t->name << " added (id " << t->id << ", policy " << policyName(t->policy) << ")"
                    << Qt::endl;
            return 0;
        }
        if (auto s = store->setTenantPolicy(args.at(2), *policy); !s)
            return fail(err, s.error().message);
        out << "tenant " << args.at(2) << " policy " << policyName(*policy) << Qt::endl;
        return 0;
    }
    if (sub == QLatin1String("set-budget")) {
        const QString amount = p.value(QStringLiteral("budget"));
        const bool none = amount == QLatin1String("none");
        const auto micros = parseDollars(amount);
        if (args.size() != 3 || !p.isSet(QStringLiteral("budget")) || (!none && (!micros || *micros <= 0)))
            return fail(err,
                QStringLiteral("usage: l0ctl tenant set-budget NAME --budget DOLLARS (a month; 250 or 1200.50; none "
                               "to clear)"),
                2);
        if (auto s = setTenantBudget(store->session(), args.at(2), none ? std::nullopt : micros); !s)
            return fail(err, s.error().message);
        out << "tenant " << args.at(2)
            << (none ? QStringLiteral(" has no monthly budget")
                     : QStringLiteral(" monthly budget %1").arg(dollars(*micros)))
            << Qt::endl;
        return 0;
    }
    if (sub == QLatin1String("set-ttl")) {
        const auto ttl = parseDuration(p.value(QStringLiteral("ttl")));
        if (args.size() != 3 || !p.isSet(QStringLiteral("ttl")) || !ttl)
            return fail(
                err, QStringLiteral("usage: l0ctl tenant set-ttl NAME --ttl DURATION (30d, 12h; 0 for none)"), 2);
        if (auto s = setTenantTtl(store->session(), args.at(2), *ttl); !s)
            return fail(err, s.error().message);
        out << "tenant " << args.at(2)
            << (*ttl > 0 ? QStringLiteral(" answers live %1 ms after approval").arg(*ttl)
                         : QStringLiteral(" answers do not expire"))
            << Qt::endl;
        return 0;
    }
    if (sub == QLatin1String("list")) {
        auto ts = store->tenants();
        if (!ts)
            return fail(err, ts.error().message);
        if (p.isSet(QStringLiteral("json"))) {
            QJsonArray a;
            for (const Tenant &t : *ts)
                a.append(QJsonObject { { QLatin1String("id"), t.id }, { QLatin1String("name"), t.name },
                    { QLatin1String("policy"), QLatin1String(policyName(t.policy)) } });
            out << QJsonDocument(a).toJson(QJsonDocument::Compact) << Qt::endl;
        } else {
            for (const Tenant &t : *ts)
                out << t.id << '\t' << t.name << '\t' << policyName(t.policy) << Qt::endl;
        }
        return 0;
    }
    return fail(err, QStringLiteral("usage: l0ctl tenant add|list|set-policy ..."), 2);
}

int cmdKey(QCommandLineParser &p, const QStringList &args, QTextStream &out, QTextStream &err)
{
    if (args.value(1) != QLatin1String("issue") || !p.isSet(QStringLiteral("tenant")))
        return fail(err, QStringLiteral("usage: l0ctl key issue --tenant NAME"), 2);
    auto store = openOrFail(p, err);
    if (!store)
        return 1;
    auto key = store->issueKey(p.value(QStringLiteral("tenant")));
    if (!key)
        return fail(err, key.error().message);
    // The key is shown once, as the last line, so scripts can take it with `tail -n1`.
    out << "# API key for tenant " << p.value(QStringLiteral("tenant")) << " (shown once; store it now):" << Qt::endl;
    out << key->key << Qt::endl;
    return 0;
}

int cmdQueue(QCommandLineParser &p, const QStringList &args, QTextStream &out, QTextStream &err)
{
    if (args.value(1) == QLatin1String("claim") || args.value(1) == QLatin1String("release")) {
        auto store = openOrFail(p, err);
        if (!store)
            return 1;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const auto lease
            = parseDuration(p.isSet(QStringLiteral("lease")) ? p.value(QStringLiteral("lease")) : QStringLiteral("5m"));
        if (!lease || *lease <= 0)
            return fail(err, QStringLiteral("--lease takes a duration such as 5m"), 2);
        if (args.value(1) == QLatin1String("release")) {
            const QStringList parts = args.value(2).split(QLatin1Char('@'));
            if (args.size() != 3 || parts.size() != 2)
                return fail(err, QStringLiteral("usage: l0ctl queue release ENTRY@VERSION [--reviewer NAME]"), 2);
            if (auto s = releaseItem(store->session(), parts[0].toLongLong(), parts[1].toInt(), reviewerName(p)); !s)
                return fail(err, s.error().message);
            out << args.at(2) << " released" << Qt::endl;
            return 0;
        }
        Result<std::optional<Claim>> claim = std::optional<Claim>();
        if (args.size() == 3) {
            const QStringList parts = args.at(2).split(QLatin1Char('@'));
            if (parts.size() != 2)
                return fail(err,
                    QStringLiteral(
                        "usage: l0ctl queue claim [ENTRY@VERSION] [--reviewer NAME] [--lease 5m] [--tenant NAME]"),
                    2);
            auto one
                = claimItem(store->session(), parts[0].toLongLong(), parts[1].toInt(), reviewerName(p), *lease, now);
            if (!one)
                return fail(err, one.error().message);
            claim = std::optional<Claim>(*one);
        } else {
            claim = claimNext(store->session(), reviewerName(p), *lease, now, p.value(QStringLiteral("tenant")));
        }
        if (!claim)
            return fail(err, claim.error().message);
        if (!claim->has_value()) {
            out << (p.isSet(QStringLiteral("json")) ? "null" : "nothing to review") << Qt::endl;
            return 0;
        }
        const Claim c = **claim;
        if (p.isSet(QStringLiteral("json")))
            out << QJsonDocument(
                QJsonObject { { QLatin1String("id"), c.entryId }, { QLatin1String("version"), c.version },
                    { QLatin1String("expires"), isoTime(c.expiresMs) } })
                       .toJson(QJsonDocument::Compact)
                << Qt::endl;
        else
            out << c.entryId << '@' << c.version << " claimed by " << reviewerName(p) << " until "
                << isoTime(c.expiresMs) << Qt::endl;
        return 0;
    }
    if (args.value(1) != QLatin1String("list"))
        return fail(err,
            QStringLiteral("usage: l0ctl queue list [--json] [--state STATE | --all] [--tenant NAME] | queue claim "
                           "[ENTRY@VERSION] | queue release ENTRY@VERSION"),
            2);
    auto store = openOrFail(p, err);
    if (!store)
        return 1;
    QueueFilter f;
    f.all = p.isSet(QStringLiteral("all"));
    if (p.isSet(QStringLiteral("state"))) {
        f.state = versionStateFromName(p.value(QStringLiteral("state")));
        if (!f.state)
            return fail(err, QStringLiteral("unknown state '%1'").arg(p.value(QStringLiteral("state"))), 2);
    }
    f.tenant = p.value(QStringLiteral("tenant"));
    auto items = store->queue(f);
    if (!items)
        return fail(err, items.error().message);
    if (p.isSet(QStringLiteral("json"))) {
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
        out << QJsonDocument(a).toJson(QJsonDocument::Compact) << Qt::endl;
        return 0;
    }
    if (items->empty()) {
        out << "queue is empty" << Qt::endl;
        return 0;
    }
    for (const QueueItem &i : *items) {
        out << i.entryId << '@' << i.version << '\t' << versionStateName(i.state) << '\t' << i.tenant << '\t' << i.model
            << '\t' << "demand " << i.hits << '\t' << i.query.left(60) << Qt::endl;
    }
    return 0;
}

// A signed command's two parts: the reviewer key from --key (its passphrase asked for) and the
// store. When either cannot be opened the reason was printed and the result is false.
struct ReviewerSession {
    std::optional<SigningKey> key;
    std::unique_ptr<Store> store;
    explicit operator bool() const { return key && store; }
};

ReviewerSession openReviewerSession(const QCommandLineParser &p, QTextStream &err)
{
    ReviewerSession r;
    r.key = openPrivateKey(p.value(QStringLiteral("key")), QStringLiteral("Passphrase of your reviewer key: "), err);
    if (r.key)
        r.store = openOrFail(p, err);
    return r;
}

int cmdDecide(QCommandLineParser &p, const QStringList &args, QTextStream &out, QTextStream &err)
{
    const bool revoke = args.value(0) == QLatin1String("revoke");
    if (args.size() != 2)
        return fail(err,
            QStringLiteral("usage: l0ctl %1 ENTRY[@VERSION]%2")
                .arg(args.value(0), revoke ? QString() : QStringLiteral(" [--reject --reason TEXT]")),
            2);
    const QStringList parts = args.at(1).split(QLatin1Char('@'));
    bool okE = false, okV = true;
    const qint64 entry = parts.at(0).toLongLong(&okE);
    const int version = parts.size() > 1 ? parts.at(1).toInt(&okV) : 0;
    if (!okE || !okV || parts.size() > 2 || entry <= 0)
        return fail(err, QStringLiteral("'%1' is not ENTRY or ENTRY@VERSION").arg(args.at(1)), 2);
    if (args.value(0) == QLatin1String("withdraw")) {
        // Undo: the key's owner takes back their own recent decision.
        if (!p.isSet(QStringLiteral("key")) || version <= 0)
            return fail(err, QStringLiteral("usage: l0ctl withdraw ENTRY@VERSION --key FILE"), 2);
        auto signer = openReviewerSession(p, err);
        if (!signer)
            return 1;
        auto d = withdrawDecision(
            signer.store->session(), entry, version, *signer.key, QDateTime::currentMSecsSinceEpoch());
        if (!d)
            return fail(err, d.error().message);
        out << entry << '@' << version << ' ' << versionStateName(d->state) << " (" << d->approvals << " of "
            << d->required << " approvals left)" << Qt::endl;
        return 0;
    }
    const bool reject = p.isSet(QStringLiteral("reject"));
    QString reason;
    if (reject) {
        // A code people can count, plus words for the author.
        const QString code = p.isSet(QStringLiteral("reason-code"))
            ? p.value(QStringLiteral("reason-code"))
            : (p.isSet(QStringLiteral("reason")) ? QStringLiteral("other") : QString());
        auto r = rejectionReason(code, p.value(QStringLiteral("reason")));
        if (!r)
            return fail(err, r.error().message + QStringLiteral(" (--reason-code CODE [--reason TEXT])"), 2);
        reason = *r;
    }
    std::optional<qint64> ttl;
    if (p.isSet(QStringLiteral("ttl"))) {
        ttl = parseDuration(p.value(QStringLiteral("ttl")));
        if (!ttl)
            return fail(err, QStringLiteral("--ttl takes a duration such as 7d"), 2);
    }
    if (p.isSet(QStringLiteral("key")) && !revoke) {
        // A signed decision: the reviewer is whoever the key is registered to.
        auto signer = openReviewerSession(p, err);
        if (!signer)
            return 1;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        auto d = decideSigned(signer.store->session(), entry, version, !reject, *signer.key, reason, now);
        if (!d)
            return fail(err, d.error().message);
        if (ttl && d->state == VersionState::Approved)
            (void)applyTtl(signer.store->session(), entry, d->version, now, *ttl);
        out << entry << '@' << d->version << ' ' << versionStateName(d->state);
        if (d->state == VersionState::NeedsSecond)
            out << " (" << d->approvals << " of " << d->required << " approvals)";
        out << Qt::endl;
        return 0;
    }
    auto store = openOrFail(p, err);
    if (!store)
        return 1;
    const QString reviewer = reviewerName(p);
    const VersionState decision = revoke ? VersionState::Revoked
        : reject                         ? VersionState::Rejected
                                         : VersionState::Approved;
    auto v = store->decide(entry, version, decision, reviewer, revoke ? p.value(QStringLiteral("reason")) : reason);
    if (!v)
        return fail(err, v.error().message);
    if (ttl && decision == VersionState::Approved)
        (void)applyTtl(store->session(), entry, *v, QDateTime::currentMSecsSinceEpoch(), *ttl);
    out << entry << '@' << *v << ' ' << versionStateName(decision) << Qt::endl;
    return 0;
}

int cmdBudget(QCommandLineParser &p, QTextStream &out, QTextStream &err)
{
    QTimeZone zone = QTimeZone::utc();
    if (p.isSet(QStringLiteral("tz"))) {
        zone = QTimeZone(p.value(QStringLiteral("tz")).toUtf8());
        if (!zone.isValid())
            return fail(err, QStringLiteral("unknown time zone '%1'").arg(p.value(QStringLiteral("tz"))), 2);
    }
    auto store = openOrFail(p, err);
    if (!store)
        return 1;
    auto st
        = budgetStatus(store->session(), zone, QDateTime::currentMSecsSinceEpoch(), p.value(QStringLiteral("tenant")));
    if (!st)
        return fail(err, st.error().message);
    if (p.isSet(QStringLiteral("json"))) {
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
        out << QJsonDocument(a).toJson(QJsonDocument::Compact) << Qt::endl;
        return 0;
    }
    if (st->empty())
        out << "no tenant has a monthly budget (l0ctl tenant set-budget NAME --budget DOLLARS)" << Qt::endl;
    for (const BudgetStatus &b : *st) {
        out << b.tenant << "  spent " << dollars(b.spentMicros) << " of " << dollars(b.budgetMicros);
        if (b.projectedMicros)
            out << ", on course for " << dollars(*b.projectedMicros);
        if (b.unpricedRequests)
            out << ", plus " << b.unpricedRequests << " unpriced requests";
        out << "  " << budgetLevelName(b.level) << Qt::endl;
    }
    return 0;
}

int cmdLedger(QCommandLineParser &p, const QStringList &args, QTextStream &out, QTextStream &err)
{
    if (args.value(1) == QLatin1String("budget"))
        return cmdBudget(p, out, err);
    if (args.value(1) != QLatin1String("report"))
        return fail(err,
            QStringLiteral("usage: l0ctl ledger report [--since T] [--until T] [--tz ZONE] [--bucket minute|hour|day] "
                           "[--group-by tenant|namespace|tier|model|intent] [--tenant N] [--namespace N] [--tier T] "
                           "[--model M] [--intent I] [--top N] [--json|--csv] | ledger budget [--tz ZONE] [--tenant N] "
                           "[--json]"),
            2);
    RollupQuery q;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    q.toMs = (now / 60'000 + 1) * 60'000; // through the current minute
    q.fromMs = 0;
    for (const char *name : { "since", "until" }) {
        if (!p.isSet(QLatin1String(name)))
            continue;
        const auto t = parseTime(p.value(QLatin1String(name)));
        if (!t)
            return fail(err,
                QStringLiteral("cannot read --%1 '%2' (ISO 8601 or 24h / 7d)")
                    .arg(QLatin1String(name), p.value(QLatin1String(name))),
                2);
        (QLatin1String(name) == QLatin1String("since") ? q.fromMs : q.toMs) = *t;
    }
    if (p.isSet(QStringLiteral("tz"))) {
        q.zone = QTimeZone(p.value(QStringLiteral("tz")).toUtf8());
        if (!q.zone.isValid())
            return fail(err,
                QStringLiteral("unknown time zone '%1' (IANA names: Europe/Berlin, UTC, ...)")
                    .arg(p.value(QStringLiteral("tz"))),
                2);
    }
    q.grain = Grain::Total;
    if (p.isSet(QStringLiteral("bucket"))) {
        const auto g = grainFromName(p.value(QStringLiteral("bucket")));
        if (!g)
            return fail(err, QStringLiteral("--bucket is minute, hour, day or total"), 2);
        q.grain = *g;
        if (!p.isSet(QStringLiteral("since")) && q.grain != Grain::Total)
            q.fromMs = q.toMs - 30LL * 86'400'000; // buckets need a start: the last 30 days
    }
    if (p.isSet(QStringLiteral("group-by"))) {
        const auto d = dimensionFromName(p.value(QStringLiteral("group-by")));
        if (!d)
            return fail(err, QStringLiteral("--group-by is tenant, namespace, tier, model or intent"), 2);
        q.groupBy = *d;
    }
    q.tenant = p.value(QStringLiteral("tenant"));
    q.ns = p.value(QStringLiteral("namespace"));
    q.tier = p.value(QStringLiteral("tier"));
    q.model = p.value(QStringLiteral("model"));
    q.intent = p.value(QStringLiteral("intent"));
    auto store = openOrFail(p, err);
    if (!store)
        return 1;
    auto r = queryRollups(store->session(), q);
    if (!r)
        return fail(err, r.error().message);
    const int top = p.isSet(QStringLiteral("top")) ? p.value(QStringLiteral("top")).toInt() : 0;
    std::vector<EntrySavings> entries;
    if (top > 0) {
        auto t = topEntries(store->session(), q, top);
        if (!t)
            return fail(err, t.error().message);
        entries = std::move(*t);
    }
    const RollupRow &t = r->totals;
    if (p.isSet(QStringLiteral("json"))) {
        QJsonObject o = rollupRowJson(t);
        o.insert(QLatin1String("since"), bucketLabel(q.fromMs / 60'000 * 60'000, q.zone));
        o.insert(QLatin1String("until"), bucketLabel(q.toMs / 60'000 * 60'000, q.zone));
        o.insert(QLatin1String("zone"), QString::fromUtf8(q.zone.id()));
        o.insert(QLatin1String("bucket"), QLatin1String(grainName(q.grain)));
        o.insert(QLatin1String("group_by"), QLatin1String(dimensionName(q.groupBy)));
        if (q.grain != Grain::Total || q.groupBy != Dimension::None) {
            QJsonArray rows;
            for (const RollupRow &row : r->rows) {
                QJsonObject ro = rollupRowJson(row);
                ro.insert(QLatin1String("bucket"), bucketLabel(row.bucketMs, q.zone));
                ro.insert(QLatin1String("group"), row.group);
                rows.append(ro);
            }
            o.insert(QLatin1String("rows"), rows);
        }
        if (top > 0) {
            QJsonArray list;
            for (const EntrySavings &e : entries)
                list.append(QJsonObject { { QLatin1String("entry"), e.entryId }, { QLatin1String("tenant"), e.tenant },
                    { QLatin1String("tier"), e.tier }, { QLatin1String("intent"), e.intent },
                    { QLatin1String("query"), e.query }, { QLatin1String("hits"), e.hits },
                    { QLatin1String("saved_micros"), e.savedMicros },
                    { QLatin1String("unpriced_hits"), e.unpricedHits } });
            o.insert(QLatin1String("top_entries"), list);
        }
        out << QJsonDocument(o).toJson(QJsonDocument::Compact) << Qt::endl;
        return 0;
    }
    if (p.isSet(QStringLiteral("csv"))) {
        out << QString::fromUtf8(rollupCsv(*r, q));
        out.flush();
        return 0;
    }
    out << "range           " << bucketLabel(q.fromMs / 60'000 * 60'000, q.zone) << " .. "
        << bucketLabel(q.toMs / 60'000 * 60'000, q.zone) << Qt::endl;
    out << "requests        " << t.requests << Qt::endl;
    out << "cache hits      " << t.hits << " (" << QString::number(t.hitRate() * 100, 'f', 1) << "%)" << Qt::endl;
    out << "upstream calls  " << t.upstream << Qt::endl;
    out << "actual cost     " << dollars(t.actualMicros) << Qt::endl;
    out << "baseline cost   " << dollars(t.baselineMicros) << Qt::endl;
    out << "saved           " << dollars(t.savedMicros()) << Qt::endl;
    out << "time saved      " << QString::number(double(t.timeSavedMs()) / 1000.0, 'f', 1) << " s" << Qt::endl;
    if (t.shadowHits > 0)
        out << "shadow hits     " << t.shadowHits << " (would have saved " << dollars(t.shadowWouldSaveMicros) << ")"
            << Qt::endl;
    if (t.unpricedRequests > 0)
        out << "UNPRICED        " << t.unpricedRequests << " requests used models without a price (not counted as $0)"
            << Qt::endl;
    if (q.grain != Grain::Total || q.groupBy != Dimension::None) {
        out << Qt::endl;
        for (const RollupRow &row : r->rows)
            out << bucketLabel(row.bucketMs, q.zone) << "  " << (row.group.isEmpty() ? QStringLiteral("-") : row.group)
                << "  requests " << row.requests << "  hits " << row.hits << "  saved " << dollars(row.savedMicros())
                << Qt::endl;
    }
    for (const EntrySavings &e : entries)
        out << "entry " << e.entryId << "  " << e.tenant << "  " << e.tier << "  hits " << e.hits << "  saved "
            << dollars(e.savedMicros) << "  " << e.query.left(60) << Qt::endl;
    return 0;
}

QByteArray readFileOrFail(const QString &path, QTextStream &err, bool *ok)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        fail(err, QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
        *ok = false;
        return {};
    }
    *ok = true;
    return f.readAll();
}

int cmdRules(QCommandLineParser &p, const QStringList &args, QTextStream &out, QTextStream &err)
{
    const QString sub = args.value(1);
    if (sub == QLatin1String("check")) {
        if (args.size() != 3)
            return fail(err, QStringLiteral("usage: l0ctl rules check PACK"), 2);
        bool ok = false;
        const QByteArray json = readFileOrFail(args.at(2), err, &ok);
        if (!ok)
            return 1;
        const QStringList problems = RulePack::check(json);
        if (problems.isEmpty()) {
            auto pack = RulePack::fromJson(json);
            out << "OK " << (*pack)->id() << ": " << (*pack)->intents.size() << " intents, "
                << (*pack)->slotPatterns.size() << " slot patterns" << Qt::endl;
            return 0;
        }
        for (const QString &problem : problems)
            err << args.at(2) << ':' << problem.mid(5) << Qt::endl; // "PACK:N: message", like a compiler
        return 1;
    }
    if (sub == QLatin1String("explain")) {
        if (args.size() != 4)
            return fail(err, QStringLiteral("usage: l0ctl rules explain PACK \"query\""), 2);
        auto pack = RulePack::fromFile(args.at(2));
        if (!pack)
            return fail(err, pack.error().message);
        const IntentMatcher matcher(*pack);
        QStringList trace;
        const IntentMatch m = matcher.match(args.at(3), &trace);
        if (p.isSet(QStringLiteral("json"))) {
            QJsonArray top, slotList;
            for (const IntentScore &s : m.top)
                top.append(QJsonObject { { QLatin1String("intent"), s.intent }, { QLatin1String("score"), s.score } });
            for (const SlotValue &v : m.slotValues)
                slotList.append(QJsonObject { { QLatin1String("name"), v.name }, { QLatin1String("value"), v.value } });
            out << QJsonDocument(
                QJsonObject { { QLatin1String("abstained"), m.abstained }, { QLatin1String("intent"), m.intent },
                    { QLatin1String("key"), m.key() }, { QLatin1String("margin"), m.margin },
                    { QLatin1String("reason"), m.reason }, { QLatin1String("slots"), slotList },
                    { QLatin1String("top"), top }, { QLatin1String("steps"), QJsonArray::fromStringList(trace) } })
                       .toJson(QJsonDocument::Compact)
                << Qt::endl;
            return 0;
        }
        out << "pack:         " << (*pack)->id() << " (abstain below margin " << (*pack)->abstainMargin << ")"
            << Qt::endl;
        for (const QString &line : trace)
            out << line << Qt::endl;
        return 0;
    }
    if (sub == QLatin1String("induce")) {
        if (!p.isSet(QStringLiteral("data")) || !p.isSet(QStringLiteral("out")))
            return fail(err,
                QStringLiteral(
                    "usage: l0ctl rules induce --data TRAIN.csv --out PACK [--target-false-hit-rate X] [--name NAME]"),
                2);
        auto rows = readReplayCsv(p.value(QStringLiteral("data")));
        if (!rows)
            return fail(err, rows.error().message);
        InductionOptions o;
        if (p.isSet(QStringLiteral("name")))
            o.name = p.value(QStringLiteral("name"));
        if (p.isSet(QStringLiteral("target-false-hit-rate"))) {
            bool ok = false;
            o.targetFalseHitRate = p.value(QStringLiteral("target-false-hit-rate")).toDouble(&ok);
            if (!ok || o.targetFalseHitRate <= 0 || o.targetFalseHitRate >= 1)
                return fail(err, QStringLiteral("--target-false-hit-rate takes a number between 0 and 1"), 2);
        }
        InductionReport report;
        auto pack = inducePack(*rows, o, &report);
        if (!pack)
            return fail(err, pack.error().message);
        QFile f(p.value(QStringLiteral("out")));
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write((*pack)->toJson()) < 0 || !f.flush())
            return fail(err, QStringLiteral("cannot write %1: %2").arg(f.fileName(), f.errorString()));
        out << "wrote " << f.fileName() << ": " << report.intents << " intents from " << report.rows << " rows ("
            << report.outOfScopeRows << " out of scope), " << report.features
            << " weighted phrases; abstain below margin " << report.margin << "; held-out: answers "
            << QString::number(report.heldOutCoverage * 100, 'f', 1)
            << "% of in-scope queries at a projected false-hit rate of "
            << QString::number(report.heldOutFalseHitRate * 100, 'f', 2) << "%" << Qt::endl;
        return 0;
    }
    if (sub == QLatin1String("publish")) {
        if (args.size() != 3 || !p.isSet(QStringLiteral("tenant")))
            return fail(err, QStringLiteral("usage: l0ctl rules publish PACK --tenant NAME"), 2);
        bool ok = false;
        const QByteArray json = readFileOrFail(args.at(2), err, &ok);
        if (!ok)
            return 1;
        auto pack = RulePack::fromJson(json);
        if (!pack)
            return fail(err, QStringLiteral("%1: %2").arg(args.at(2), pack.error().message));
        auto store = openOrFail(p, err);
        if (!store)
            return 1;
        const QString author = reviewerName(p);
        auto rec = store->addRulePack(p.value(QStringLiteral("tenant")), (*pack)->name, (*pack)->version, json, author);
        if (!rec)
            return fail(err, rec.error().message);
        out << "rule pack " << (*pack)->id() << " published for tenant " << rec->tenant << " as id " << rec->id
            << " (pending: `l0ctl rules approve " << rec->id << "` makes it active)" << Qt::endl;
        return 0;
    }
    if (sub == QLatin1String("list")) {
        auto store = openOrFail(p, err);
        if (!store)
            return 1;
        auto packs = store->rulePacks(p.value(QStringLiteral("tenant")));
        if (!packs)
            return fail(err, packs.error().message);
        if (p.isSet(QStringLiteral("json"))) {
            QJsonArray a;
            for (const RulePackRecord &r : *packs)
                a.append(QJsonObject { { QLatin1String("id"), r.id }, { QLatin1String("tenant"), r.tenant },
                    { QLatin1String("name"), r.name }, { QLatin1String("version"), r.version },
                    { QLatin1String("state"), r.state }, { QLatin1String("author"), r.author } });
            out << QJsonDocument(a).toJson(QJsonDocument::Compact) << Qt::endl;
        } else {
            for (const RulePackRecord &r : *packs)
                out << r.id << '\t' << r.tenant << '\t' << r.name << '@' << r.version << '\t' << r.state << '\t'
                    << r.author << Qt::endl;
        }
        return 0;
    }
    if (sub == QLatin1String("approve") || sub == QLatin1String("reject")) {
        bool ok = false;
        const qint64 id = args.value(2).toLongLong(&ok);
        if (args.size() != 3 || !ok)
            return fail(err, QStringLiteral("usage: l0ctl rules %1 ID").arg(sub), 2);
        auto store = openOrFail(p, err);
        if (!store)
            return 1;
        const QString reviewer = reviewerName(p);
        if (auto s = store->decideRulePack(id, sub == QLatin1String("approve"), reviewer); !s)
            return fail(err, s.error().message);
        out << "rule pack " << id << (sub == QLatin1String("approve") ? " active" : " rejected") << Qt::endl;
        return 0;
    }
    return fail(err, QStringLiteral("usage: l0ctl rules check|explain|induce|publish|list|approve|reject ..."), 2);
}

int cmdEval(QCommandLineParser &p, const QStringList &, QTextStream &out, QTextStream &err)
{
    const QString tierName = p.value(QStringLiteral("tier"));
    ReplayTier tier;
    if (tierName == QLatin1String("l0"))
        tier = ReplayTier::L0;
    else if (tierName == QLatin1String("exact"))
        tier = ReplayTier::Exact;
    else if (tierName == QLatin1String("chain"))
        tier = ReplayTier::Chain;
    else if (tierName == QLatin1String("semantic"))
        return fail(err, QStringLiteral("the semantic tier is not built yet; use l0, exact or chain"), 2);
    else
        return fail(err,
            QStringLiteral(
                "usage: l0ctl eval --tier l0|exact|chain [--rules PACK] [--warm WARM.csv] --data DATA.csv [--json]"),
            2);
    if (!p.isSet(QStringLiteral("data")))
        return fail(err, QStringLiteral("eval needs --data DATA.csv"), 2);
    std::unique_ptr<IntentMatcher> matcher;
    if (tier != ReplayTier::Exact) {
        if (!p.isSet(QStringLiteral("rules")))
            return fail(err, QStringLiteral("the %1 tier needs --rules PACK").arg(tierName), 2);
        auto pack = RulePack::fromFile(p.value(QStringLiteral("rules")));
        if (!pack)
            return fail(err, pack.error().message);
        matcher = std::make_unique<IntentMatcher>(*pack);
    }
    std::vector<LabelledText> warm;
    if (p.isSet(QStringLiteral("warm"))) {
        auto w = readReplayCsv(p.value(QStringLiteral("warm")));
        if (!w)
            return fail(err, w.error().message);
        warm = std::move(w.value());
    }
    auto data = readReplayCsv(p.value(QStringLiteral("data")));
    if (!data)
        return fail(err, data.error().message);
    const ReplayResult r = replayEvaluate(tier, matcher.get(), warm, *data);
    if (p.isSet(QStringLiteral("json"))) {
        out << QJsonDocument(
            QJsonObject { { QLatin1String("queries"), r.queries }, { QLatin1String("hits"), r.hits },
                { QLatin1String("false_hits"), r.falseHits }, { QLatin1String("hit_rate"), r.hitRate() },
                { QLatin1String("false_hit_rate"), r.falseHitRate() } })
                   .toJson(QJsonDocument::Compact)
            << Qt::endl;
    } else {
        out << "queries " << r.queries << ", hits " << r.hits << " (" << QString::number(r.hitRate() * 100, 'f', 2)
            << "%), false hits " << r.falseHits << " (" << QString::number(r.falseHitRate() * 100, 'f', 2)
            << "% of hits)" << Qt::endl;
    }
    return 0;
}

int cmdReviewer(QCommandLineParser &p, const QStringList &args, QTextStream &out, QTextStream &err)
{
    const QString sub = args.value(1);
    if (sub == QLatin1String("keygen")) {
        if (!p.isSet(QStringLiteral("out")))
            return fail(err, QStringLiteral("usage: l0ctl reviewer keygen --out FILE"), 2);
        const QString path = p.value(QStringLiteral("out"));
        if (QFile::exists(path))
            return fail(err, QStringLiteral("%1 exists; not overwriting a key").arg(path));
        auto pass = passphrase(err, QStringLiteral("Passphrase for the new key: "), true);
        if (!pass)
            return 1;
        auto key = SigningKey::generate();
        if (!key)
            return fail(err, key.error().message);
        auto pem = key->privatePem(*pass);
        if (!pem)
            return fail(err, pem.error().message);
        QFile priv(path);
        if (!priv.open(QIODevice::WriteOnly | QIODevice::NewOnly))
            return fail(err, QStringLiteral("cannot write %1: %2").arg(path, priv.errorString()));
        priv.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        priv.write(*pem);
        priv.close();
        QFile pub(path + QStringLiteral(".pub"));
        if (!pub.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return fail(err, QStringLiteral("cannot write %1: %2").arg(pub.fileName(), pub.errorString()));
        pub.write(key->publicPem());
        out << "wrote " << path << " (encrypted private key) and " << pub.fileName() << "; fingerprint "
            << key->fingerprint() << Qt::endl;
        return 0;
    }
    if (sub == QLatin1String("add")) {
        if (args.size() != 3 || !p.isSet(QStringLiteral("pubkey")) || !p.isSet(QStringLiteral("admin-key")))
            return fail(
                err, QStringLiteral("usage: l0ctl reviewer add NAME --pubkey FILE.pub --admin-key ADMIN_FILE"), 2);
        auto pub = SigningKey::fromPublicFile(p.value(QStringLiteral("pubkey")));
        if (!pub)
            return fail(err, pub.error().message);
        auto admin = openPrivateKey(
            p.value(QStringLiteral("admin-key")), QStringLiteral("Passphrase of the admin key: "), err);
        if (!admin)
            return 1;
        auto store = openOrFail(p, err);
        if (!store)
            return 1;
        if (auto s = registerReviewer(store->session(), args.at(2), *pub, *admin); !s)
            return fail(err, s.error().message);
        out << "reviewer " << args.at(2) << " registered (key " << pub->fingerprint().left(16) << ", signed by admin "
            << admin->fingerprint().left(16) << ")" << Qt::endl;
        return 0;
    }
    if (sub == QLatin1String("list")) {
        auto store = openOrFail(p, err);
        if (!store)
            return 1;
        auto list = listReviewers(store->session());
        if (!list)
            return fail(err, list.error().message);
        for (const ReviewerRecord &r : *list)
            out << r.name << '\t' << r.fingerprint << '\t' << "admin " << r.adminFingerprint.left(16) << Qt::endl;
        return 0;
    }
    return fail(err, QStringLiteral("usage: l0ctl reviewer keygen|add|list ..."), 2);
}

// The scanner for --profile FILE (a tenant profile merged over the built-in one), or the built-in.
std::optional<SafetyScanner> scannerFor(const QCommandLineParser &p, QTextStream &err)
{
    if (!p.isSet(QStringLiteral("profile")))
        return SafetyScanner();
    QFile f(p.value(QStringLiteral("profile")));
    if (!f.open(QIODevice::ReadOnly)) {
        fail(err, QStringLiteral("cannot read %1: %2").arg(f.fileName(), f.errorString()));
        return std::nullopt;
    }
    auto profile = SafetyProfile::withOverrides(f.readAll());
    if (!profile) {
        fail(err, f.fileName() + QStringLiteral(": ") + profile.error().message);
        return std::nullopt;
    }
    return SafetyScanner(*profile);
}

int cmdEdit(QCommandLineParser &p, const QStringList &args, QTextStream &out, QTextStream &err)
{
    const QStringList parts = args.value(1).split(QLatin1Char('@'));
    if (args.size() != 2 || parts.size() != 2 || !p.isSet(QStringLiteral("content-file")))
        return fail(err,
            QStringLiteral("usage: l0ctl edit ENTRY@VERSION --content-file FILE [--key FILE | --reviewer NAME]"), 2);
    QFile f(p.value(QStringLiteral("content-file")));
    if (!f.open(QIODevice::ReadOnly))
        return fail(err, QStringLiteral("cannot read %1: %2").arg(f.fileName(), f.errorString()));
    const QByteArray text = f.readAll();
    if (!isValidUtf8(text))
        return fail(err, QStringLiteral("%1 is not UTF-8 text").arg(f.fileName()));
    auto store = openOrFail(p, err);
    if (!store)
        return 1;
    QString editor = reviewerName(p);
    if (p.isSet(QStringLiteral("key"))) {
        auto key
            = openPrivateKey(p.value(QStringLiteral("key")), QStringLiteral("Passphrase of your reviewer key: "), err);
        if (!key)
            return 1;
        auto who = reviewerForKey(store->session(), *key);
        if (!who)
            return fail(err, who.error().message);
        editor = *who;
    }
    const auto scanner = scannerFor(p, err);
    if (!scanner)
        return 1;
    auto v = editVersion(store->session(), parts[0].toLongLong(), parts[1].toInt(), QString::fromUtf8(text), editor,
        QDateTime::currentMSecsSinceEpoch(), scanner->report(QString::fromUtf8(text)));
    if (!v)
        return fail(err, v.error().message);
    out << parts[0] << '@' << *v << " pending (edited by " << editor << "; someone else must approve it)" << Qt::endl;
    return 0;
}

LabelledSource labelledSource(const QCommandLineParser &p)
{
    LabelledSource src;
    src.path = p.value(QStringLiteral("data"));
    if (p.isSet(QStringLiteral("text-field")))
        src.textField = p.value(QStringLiteral("text-field"));
    if (p.isSet(QStringLiteral("label-field")))
        src.labelField = p.value(QStringLiteral("label-field"));
    if (p.isSet(QStringLiteral("positive")))
        src.positive = p.value(QStringLiteral("positive")).split(QLatin1Char(','));
    if (p.isSet(QStringLiteral("negative")))
        src.negative = p.value(QStringLiteral("negative")).split(QLatin1Char(','));
    src.groupField = p.value(QStringLiteral("group-field"));
    return src;
}

int cmdSafetyTrain(QCommandLineParser &p, QTextStream &out, QTextStream &err)
{
    const auto kind = featureKindFromName(p.value(QStringLiteral("kind")));
    if (!kind || !p.isSet(QStringLiteral("data")) || !p.isSet(QStringLiteral("out"))
        || !p.isSet(QStringLiteral("name")))
        return fail(err,
            QStringLiteral("usage: l0ctl safety train --kind text|url|line --name NAME --data FILE --out MODEL "
                           "[--text-field F] [--label-field F] [--positive V,..] [--negative V,..] [--group-field F] "
                           "[--precision P]"),
            2);
    QStringList groups;
    auto rows = readLabelled(labelledSource(p), &groups);
    if (!rows)
        return fail(err, rows.error().message);
    TrainOptions o;
    o.kind = *kind;
    o.name = p.value(QStringLiteral("name"));
    if (p.isSet(QStringLiteral("precision"))) {
        bool ok = false;
        o.targetPrecision = p.value(QStringLiteral("precision")).toDouble(&ok);
        if (!ok || o.targetPrecision <= 0 || o.targetPrecision > 1)
            return fail(err, QStringLiteral("--precision must be a number in (0, 1]"), 2);
    }
    TrainReport report;
    const TextModel model
        = trainTextModel(*rows, o, &report, p.isSet(QStringLiteral("group-field")) ? &groups : nullptr);
    QSaveFile f(p.value(QStringLiteral("out")));
    if (!f.open(QIODevice::WriteOnly) || f.write(model.toJson()) < 0 || !f.commit())
        return fail(err, QStringLiteral("cannot write %1: %2").arg(f.fileName(), f.errorString()));
    out << QStringLiteral("%1: %2 positives, %3 negatives; held-out folds at threshold %4: precision %5 recall %6")
               .arg(o.name)
               .arg(report.positives)
               .arg(report.negatives)
               .arg(double(model.threshold), 0, 'f', 4)
               .arg(report.foldPrecision, 0, 'f', 3)
               .arg(report.foldRecall, 0, 'f', 3)
        << Qt::endl;
    return 0;
}

int cmdSafetyEval(QCommandLineParser &p, QTextStream &out, QTextStream &err)
{
    const QString family = p.value(QStringLiteral("family"));
    if (!p.isSet(QStringLiteral("data")) || family.isEmpty())
        return fail(err,
            QStringLiteral("usage: l0ctl safety eval --family PREFIX --data FILE [--text-field F] [--label-field F] "
                           "[--positive V,..] [--negative V,..] [--json]"),
            2);
    auto rows = readLabelled(labelledSource(p));
    if (!rows)
        return fail(err, rows.error().message);
    const auto scanner = scannerFor(p, err);
    if (!scanner)
        return 1;
    const DetectionCounts c = scanner->measure(*rows, family);
    if (p.isSet(QStringLiteral("json"))) {
        out << QJsonDocument(
            QJsonObject { { QLatin1String("family"), family }, { QLatin1String("rows"), qint64(rows->size()) },
                { QLatin1String("tp"), c.tp }, { QLatin1String("fp"), c.fp }, { QLatin1String("fn"), c.fn },
                { QLatin1String("precision"), c.precision() }, { QLatin1String("recall"), c.recall() } })
                   .toJson(QJsonDocument::Compact)
            << Qt::endl;
    } else {
        out << QStringLiteral("%1 on %2 rows: precision %3 recall %4 (tp %5, fp %6, fn %7)")
                   .arg(family)
                   .arg(rows->size())
                   .arg(c.precision(), 0, 'f', 3)
                   .arg(c.recall(), 0, 'f', 3)
                   .arg(c.tp)
                   .arg(c.fp)
                   .arg(c.fn)
            << Qt::endl;
    }
    return 0;
}

int cmdSafety(QCommandLineParser &p, const QStringList &args, QTextStream &out, QTextStream &err)
{
    if (args.value(1) == QLatin1String("train"))
        return cmdSafetyTrain(p, out, err);
    if (args.value(1) == QLatin1String("eval"))
        return cmdSafetyEval(p, out, err);
    if (args.value(1) != QLatin1String("scan"))
        return fail(err, QStringLiteral("usage: l0ctl safety scan|eval|train ...; see l0ctl safety --help"), 2);
    const auto loaded = scannerFor(p, err);
    if (!loaded)
        return 1;
    const SafetyScanner &scanner = *loaded;
    QTextStream in(stdin);
    qint64 line = 0;
    while (!in.atEnd()) {
        const QString raw = in.readLine();
        ++line;
        if (raw.trimmed().isEmpty())
            continue;
        QJsonParseError perr {};
        const QJsonObject o = QJsonDocument::fromJson(raw.toUtf8(), &perr).object();
        if (perr.error != QJsonParseError::NoError || !o.value(QLatin1String("text")).isString())
            return fail(err, QStringLiteral("line %1: expected {\"text\": \"...\"}").arg(line));
        const auto findings = scanner.scan(o.value(QLatin1String("text")).toString());
        QJsonArray list;
        for (const Finding &f : findings)
            list.append(f.toJson());
        out << QJsonDocument(
            QJsonObject { { QLatin1String("risk"), QLatin1String(riskName(scanner.risk(findings, 0))) },
                { QLatin1String("findings"), list } })
                   .toJson(QJsonDocument::Compact)
            << '\n';
    }
    out.flush();
    return 0;
}

int cmdRole(QCommandLineParser &p, const QStringList &args, QTextStream &out, QTextStream &err)
{
    static const QStringList roles { QStringLiteral("node"), QStringLiteral("reviewer"), QStringLiteral("manager"),
        QStringLiteral("admin") };
    const QString as = p.value(QStringLiteral("as"));
    if (args.value(1) != QLatin1String("grant") || args.size() != 3 || !roles.contains(as))
        return fail(
            err, QStringLiteral("usage: l0ctl role grant LOGIN --as node|reviewer|manager|admin [--tenant NAME]"), 2);
    static const QRegularExpression ident(QStringLiteral("^[a-z_][a-z0-9_]{0,62}$"));
    const QString login = args.at(2);
    if (!ident.match(login).hasMatch())
        return fail(err,
            QStringLiteral("'%1' is not a plain PostgreSQL role name (lower case letters, digits, _)").arg(login), 2);
    auto store = openOrFail(p, err);
    if (!store)
        return 1;
    if (store->kind() != QLatin1String("postgresql"))
        return fail(err,
            QStringLiteral("roles are a PostgreSQL feature; an SQLite store is guarded by its file's permissions"));
    SqlSession &s = store->session();
    if (auto r = s.query(QStringLiteral("GRANT l0_%1 TO %2").arg(as, login)); !r)
        return fail(err, r.error().message);
    if (p.isSet(QStringLiteral("tenant"))) {
        auto t = store->tenantByName(p.value(QStringLiteral("tenant")));
        if (!t)
            return fail(err, t.error().message);
        if (auto r = s.query(
                QStringLiteral("INSERT INTO role_tenants (role_name, tenant_id) VALUES (?, ?) ON CONFLICT DO NOTHING"),
                { SqlSession::str(login), SqlSession::num(t->id) });
            !r)
            return fail(err, r.error().message);
    }
    out << login << " is now l0_" << as
        << (p.isSet(QStringLiteral("tenant")) ? QStringLiteral(" for tenant ") + p.value(QStringLiteral("tenant"))
                                              : QString())
        << Qt::endl;
    return 0;
}

int cmdExpire(QCommandLineParser &p, const QStringList &, QTextStream &out, QTextStream &err)
{
    auto store = openOrFail(p, err);
    if (!store)
        return 1;
    auto n = expireDue(store->session(), QDateTime::currentMSecsSinceEpoch());
    if (!n)
        return fail(err, n.error().message);
    out << *n << " approved answers expired" << Qt::endl;
    return 0;
}

int cmdAudit(QCommandLineParser &p, const QStringList &args, QTextStream &out, QTextStream &err)
{
    if (args.value(1) != QLatin1String("verify"))
        return fail(err, QStringLiteral("usage: l0ctl audit verify"), 2);
    auto store = openOrFail(p, err);
    if (!store)
        return 1;
    auto report = verifyAudit(store->session());
    if (!report)
        return fail(err, report.error().message);
    if (report->ok) {
        out << "OK " << report->rows << Qt::endl;
        return 0;
    }
    if (report->brokenRow > 0)
        out << "BROKEN at row " << report->brokenRow << ": " << report->reason << Qt::endl;
    else
        out << "BROKEN: " << report->reason << Qt::endl;
    return 1;
}

const std::map<QString, Command> &commands()
{
    static const std::map<QString, Command> table {
        { QStringLiteral("migrate"),
            { QStringLiteral("migrate"), QStringLiteral("Apply pending schema migrations."), cmdMigrate } },
        { QStringLiteral("tenant"),
            { QStringLiteral("tenant add NAME [--policy P] | tenant list | tenant set-policy NAME --policy P | tenant "
                             "set-ttl NAME --ttl 30d | tenant set-budget NAME --budget DOLLARS|none"),
                QStringLiteral("Manage tenants; P is shadow, approved or auto_low_risk."), cmdTenant } },
        { QStringLiteral("key"),
            { QStringLiteral("key issue --tenant NAME"),
                QStringLiteral("Issue an API key; it is printed once, as the last line."), cmdKey } },
        { QStringLiteral("queue"),
            { QStringLiteral("queue list [--json] [--state S | --all] [--tenant NAME] | queue claim [ENTRY@VERSION] "
                             "[--reviewer NAME] [--lease 5m] | queue release ENTRY@VERSION"),
                QStringLiteral("List candidates waiting for review; claim the most valuable free one (or one item) for "
                               "a while; release it."),
                cmdQueue } },
        { QStringLiteral("approve"),
            { QStringLiteral(
                  "approve ENTRY[@VERSION] [--key FILE] [--ttl 7d] [--reject --reason-code CODE [--reason TEXT]]"),
                QStringLiteral("Approve (or reject) a version, signed with your reviewer key (passphrase from "
                               "L0_PASSPHRASE or a prompt); "
                               "without @VERSION the newest waiting one. Without --key the decision is unsigned, and "
                               "nodes that pin an admin key do not serve it."),
                cmdDecide } },
        { QStringLiteral("reviewer"),
            { QStringLiteral("reviewer keygen --out FILE | reviewer add NAME --pubkey FILE.pub --admin-key ADMIN_FILE "
                             "| reviewer list"),
                QStringLiteral("Make an encrypted Ed25519 key pair (FILE, FILE.pub); register a reviewer's key, signed "
                               "by an admin key."),
                cmdReviewer } },
        { QStringLiteral("safety"),
            { QStringLiteral("safety scan [--json] | safety eval --family PREFIX --data FILE | safety train --kind K "
                             "--name N --data FILE --out MODEL"),
                QStringLiteral("Read JSON lines {\"text\": ...} on stdin; write one line each: risk and findings with "
                               "code-point spans."),
                cmdSafety } },
        { QStringLiteral("edit"),
            { QStringLiteral("edit ENTRY@VERSION --content-file FILE [--key FILE | --reviewer NAME]"),
                QStringLiteral(
                    "Fix a candidate's text: a new pending version authored by you, for someone else to approve."),
                cmdEdit } },
        { QStringLiteral("role"),
            { QStringLiteral("role grant LOGIN --as node|reviewer|manager|admin [--tenant NAME]"),
                QStringLiteral("PostgreSQL: make a login a node, reviewer (scoped to tenants), manager or admin."),
                cmdRole } },
        { QStringLiteral("expire"),
            { QStringLiteral("expire"),
                QStringLiteral("Mark approved answers whose lifetime ended as expired (nodes stop serving them at that "
                               "time regardless)."),
                cmdExpire } },
        { QStringLiteral("audit"),
            { QStringLiteral("audit verify"),
                QStringLiteral("Check the audit chain and the state it records; prints OK ROWS, or the first broken "
                               "row and exits 1."),
                cmdAudit } },
        { QStringLiteral("withdraw"),
            { QStringLiteral("withdraw ENTRY@VERSION --key FILE"),
                QStringLiteral("Undo: take back your own decision on a version within 10 minutes of making it; the "
                               "version's state follows from the decisions left."),
                cmdDecide } },
        { QStringLiteral("revoke"),
            { QStringLiteral("revoke ENTRY[@VERSION]"), QStringLiteral("Withdraw an approved version from serving."),
                cmdDecide } },
        { QStringLiteral("rules"),
            { QStringLiteral("rules check PACK | rules explain PACK \"query\" [--json] | rules induce --data TRAIN.csv "
                             "--out PACK [--target-false-hit-rate X] [--name NAME] | rules publish PACK --tenant NAME "
                             "| rules list [--tenant NAME] [--json] | rules approve|reject ID"),
                QStringLiteral("Validate a rule pack, show every normalization step for a query, learn a pack from "
                               "labelled examples; publish a pack for a tenant, which serves once approved."),
                cmdRules } },
        { QStringLiteral("eval"),
            { QStringLiteral("eval --tier l0|exact|chain [--rules PACK] [--warm WARM.csv] --data DATA.csv [--json]"),
                QStringLiteral("Replay labelled queries through a cache tier and report hit and false-hit rates."),
                cmdEval } },
        { QStringLiteral("ledger"),
            { QStringLiteral(
                  "ledger report [--since T] [--until T] [--tz ZONE] [--bucket minute|hour|day] [--group-by "
                  "D] [--tenant N] [--namespace N] [--tier T] [--model M] [--intent I] [--top N] [--json|--csv]"),
                QStringLiteral("Totals of requests, hits, costs and savings."), cmdLedger } },
    };
    return table;
}

QString usage()
{
    QString u = QStringLiteral("Usage: l0ctl [--db URL] COMMAND ...\n\nThe store is named by --db (sqlite:PATH or "
                               "postgresql://...) or L0_DB.\n\nCommands:\n");
    for (const auto &[name, c] : commands())
        u += QStringLiteral("  %1\n      %2\n").arg(c.synopsis, c.description);
    u += QStringLiteral("\nRun `l0ctl COMMAND --help` for one command.\n");
    return u;
}

} // namespace

int runCtl(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("L0 Cache administration"));
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    p.addOptions({
        { QStringLiteral("db"), QStringLiteral("Store URL (sqlite:PATH or postgresql://...)."), QStringLiteral("URL") },
        { QStringLiteral("json"), QStringLiteral("Print JSON.") },
        { QStringLiteral("csv"), QStringLiteral("Print CSV.") },
        { QStringLiteral("policy"), QStringLiteral("Tenant policy."), QStringLiteral("POLICY") },
        { QStringLiteral("tenant"), QStringLiteral("Tenant name."), QStringLiteral("NAME") },
        { QStringLiteral("state"), QStringLiteral("Queue state filter."), QStringLiteral("STATE") },
        { QStringLiteral("all"), QStringLiteral("Every state.") },
        { QStringLiteral("reviewer"), QStringLiteral("Reviewer name recorded with a decision."),
            QStringLiteral("NAME") },
        { QStringLiteral("reject"), QStringLiteral("Reject instead of approving.") },
        { QStringLiteral("reason"), QStringLiteral("Reason for a rejection."), QStringLiteral("TEXT") },
        { QStringLiteral("since"), QStringLiteral("Start of the range (ISO 8601, or 24h/7d ago)."),
            QStringLiteral("T") },
        { QStringLiteral("until"), QStringLiteral("End of the range, exclusive."), QStringLiteral("T") },
        { QStringLiteral("data"), QStringLiteral("Labelled CSV (text,label)."), QStringLiteral("FILE") },
        { QStringLiteral("warm"), QStringLiteral("Labelled CSV that fills the cache before counting."),
            QStringLiteral("FILE") },
        { QStringLiteral("rules"), QStringLiteral("Rule pack file."), QStringLiteral("PACK") },
        { QStringLiteral("tier"), QStringLiteral("Cache tier (eval; a ledger filter)."), QStringLiteral("TIER") },
        { QStringLiteral("out"), QStringLiteral("Output file."), QStringLiteral("FILE") },
        { QStringLiteral("name"), QStringLiteral("Name of an induced pack."), QStringLiteral("NAME") },
        { QStringLiteral("target-false-hit-rate"),
            QStringLiteral("False-hit rate an induced pack aims under (default 0.01)."), QStringLiteral("X") },
        { QStringLiteral("key"), QStringLiteral("Your reviewer key (encrypted PEM)."), QStringLiteral("FILE") },
        { QStringLiteral("content-file"), QStringLiteral("The edited answer text."), QStringLiteral("FILE") },
        { QStringLiteral("as"), QStringLiteral("Role to grant: node, reviewer, manager or admin."),
            QStringLiteral("ROLE") },
        { QStringLiteral("reason-code"),
            QStringLiteral(
                "Why a rejection: incorrect, unsafe, outdated, off_topic, incomplete, tone, private_data, other."),
            QStringLiteral("CODE") },
        { QStringLiteral("budget"), QStringLiteral("A tenant's monthly budget in dollars (250, 1200.50), or none."),
            QStringLiteral("DOLLARS") },
        { QStringLiteral("ttl"), QStringLiteral("How long an approved answer lives (7d, 12h)."),
            QStringLiteral("DURATION") },
        { QStringLiteral("lease"), QStringLiteral("How long a claim lasts unless renewed (default 5m)."),
            QStringLiteral("DURATION") },
        { QStringLiteral("pubkey"), QStringLiteral("A public key (PEM)."), QStringLiteral("FILE") },
        { QStringLiteral("admin-key"), QStringLiteral("The admin's private key (encrypted PEM)."),
            QStringLiteral("FILE") },
        { QStringLiteral("tz"), QStringLiteral("Time zone buckets are cut in (IANA name; default UTC)."),
            QStringLiteral("ZONE") },
        { QStringLiteral("bucket"), QStringLiteral("Ledger buckets: minute, hour, day or total."),
            QStringLiteral("B") },
        { QStringLiteral("group-by"), QStringLiteral("Ledger grouping: tenant, namespace, tier, model or intent."),
            QStringLiteral("D") },
        { QStringLiteral("namespace"), QStringLiteral("Namespace filter."), QStringLiteral("NS") },
        { QStringLiteral("model"), QStringLiteral("Model filter (model used)."), QStringLiteral("M") },
        { QStringLiteral("intent"), QStringLiteral("Intent filter."), QStringLiteral("I") },
        { QStringLiteral("top"), QStringLiteral("Also list the N entries that saved most."), QStringLiteral("N") },
        { QStringLiteral("kind"), QStringLiteral("What a safety model reads: text, url or line."),
            QStringLiteral("KIND") },
        { QStringLiteral("family"), QStringLiteral("Detector family to measure (pii., secret., ...)."),
            QStringLiteral("PREFIX") },
        { QStringLiteral("text-field"), QStringLiteral("Column or JSON field holding the text (default text)."),
            QStringLiteral("F") },
        { QStringLiteral("label-field"), QStringLiteral("Column or JSON field holding the label (default label)."),
            QStringLiteral("F") },
        { QStringLiteral("positive"), QStringLiteral("Labels that count as positive (default 1)."),
            QStringLiteral("V,..") },
        { QStringLiteral("negative"), QStringLiteral("Labels that count as negative (default: all others)."),
            QStringLiteral("V,..") },
        { QStringLiteral("profile"), QStringLiteral("A tenant safety profile (JSON merged over the built-in one)."),
            QStringLiteral("FILE") },
        { QStringLiteral("group-field"),
            QStringLiteral("Column or JSON field whose equal values stay in one held-out fold."), QStringLiteral("F") },
        { QStringLiteral("precision"), QStringLiteral("Precision a trained model's threshold aims at (default 0.93)."),
            QStringLiteral("P") },
        { QStringLiteral("help"), QStringLiteral("Show help.") },
        { QStringLiteral("version"), QStringLiteral("Show the version.") },
    });
    QStringList argv { QStringLiteral("l0ctl") };
    argv += args;
    if (!p.parse(argv))
        return fail(err, p.errorText(), 2);
    const QStringList pos = p.positionalArguments();
    if (p.isSet(QStringLiteral("version"))) {
        out << "l0ctl " << L0_VERSION_STRING << Qt::endl;
        return 0;
    }
    if (pos.isEmpty()) {
        if (p.isSet(QStringLiteral("help"))) {
            out << usage();
            return 0;
        }
        err << usage();
        return 2;
    }
    auto it = commands().find(pos.first());
    if (it == commands().end())
        return fail(err, QStringLiteral("unknown command '%1'; run `l0ctl --help`").arg(pos.first()), 2);
    if (p.isSet(QStringLiteral("help"))) {
        out << "Usage: l0ctl [--db URL] " << it->second.synopsis << "\n\n" << it->second.description << Qt::endl;
        return 0;
    }
    return it->second.run(p, pos, out, err);
}

} // namespace l0
