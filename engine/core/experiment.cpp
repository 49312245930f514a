#include "experiment.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

#include "text.h"

namespace l0 {

namespace {

const QString kPolicyHelp
    = QStringLiteral("an arm policy is route:fixed, route:learned[@TARGET], route:cascade[@TARGET] or "
                     "cache:shadow|approved|auto_low_risk, or one route and one cache part joined by '+'");

Result<RouteArm> parseRoute(const QString &spec)
{
    RouteArm r;
    const qsizetype at = spec.indexOf(QLatin1Char('@'));
    r.strategy = at < 0 ? spec : spec.left(at);
    const QString target = at < 0 ? QString() : spec.mid(at + 1);
    if (at >= 0 && target.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("'route:%1': nothing after '@'").arg(spec));
    if (r.strategy == QLatin1String("fixed")) {
        if (!target.isEmpty())
            return makeError(ErrorCode::InvalidArgument,
                QStringLiteral("'route:%1': fixed takes no target (it asks the requested model)").arg(spec));
        return r;
    }
    if (r.strategy != QLatin1String("learned") && r.strategy != QLatin1String("cascade"))
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("unknown route strategy '%1' (fixed, learned or cascade)").arg(r.strategy));
    if (!target.isEmpty()) {
        bool ok = false;
        const double q = target.toDouble(&ok);
        if (!ok || !(q > 0.0 && q <= 1.0))
            return makeError(ErrorCode::InvalidArgument,
                QStringLiteral("'route:%1': the quality target is a number in (0, 1], e.g. 0.95").arg(spec));
        r.qualityTarget = q;
    }
    return r;
}

} // namespace

QString ArmPolicy::text() const
{
    QStringList parts;
    if (route) {
        QString r = QStringLiteral("route:") + route->strategy;
        if (route->qualityTarget)
            r += QLatin1Char('@') + QString::number(*route->qualityTarget, 'g', 6);
        parts << r;
    }
    if (cache)
        parts << QStringLiteral("cache:") + QString::fromLatin1(policyName(*cache));
    return parts.join(QLatin1Char('+'));
}

Result<ArmPolicy> parseArmPolicy(const QString &text)
{
    ArmPolicy p;
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("empty policy: ") + kPolicyHelp);
    for (const QString &rawPart : trimmed.split(QLatin1Char('+'))) {
        const QString part = rawPart.trimmed();
        if (part.startsWith(QLatin1String("route:"))) {
            if (p.route)
                return makeError(ErrorCode::InvalidArgument, QStringLiteral("'%1': two route parts").arg(text));
            auto r = parseRoute(part.mid(6));
            if (!r)
                return r.error();
            p.route = *r;
        } else if (part.startsWith(QLatin1String("cache:"))) {
            if (p.cache)
                return makeError(ErrorCode::InvalidArgument, QStringLiteral("'%1': two cache parts").arg(text));
            const auto c = policyFromName(part.mid(6));
            if (!c)
                return makeError(ErrorCode::InvalidArgument,
                    QStringLiteral("unknown cache policy '%1' (shadow, approved or auto_low_risk)").arg(part.mid(6)));
            p.cache = *c;
        } else {
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("'%1': ").arg(part) + kPolicyHelp);
        }
    }
    return p;
}

const char *experimentStateName(ExperimentState s)
{
    return s == ExperimentState::Stopped ? "stopped" : "running";
}

std::optional<ExperimentState> experimentStateFromName(const QString &name)
{
    if (name == QLatin1String("running"))
        return ExperimentState::Running;
    if (name == QLatin1String("stopped"))
        return ExperimentState::Stopped;
    return std::nullopt;
}

const ExperimentArm *Experiment::arm(const QString &armName) const
{
    for (const ExperimentArm &a : arms) {
        if (a.name == armName)
            return &a;
    }
    return nullptr;
}

Result<std::vector<int>> parseSplit(const QString &text, int arms)
{
    if (arms < 2)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("an experiment has at least two arms"));
    std::vector<int> out;
    if (text.trimmed().isEmpty()) {
        for (int i = 0; i < arms; ++i)
            out.push_back(100 / arms + (i < 100 % arms ? 1 : 0));
        return out;
    }
    const QStringList parts = text.split(QLatin1Char('/'));
    if (parts.size() != arms)
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("--split '%1' names %2 shares for %3 arms").arg(text).arg(parts.size()).arg(arms));
    int sum = 0;
    for (const QString &p : parts) {
        bool ok = false;
        const int v = p.trimmed().toInt(&ok);
        if (!ok || v < 1 || v > 99)
            return makeError(ErrorCode::InvalidArgument,
                QStringLiteral("--split '%1': each share is a whole percentage from 1 to 99").arg(text));
        sum += v;
        out.push_back(v);
    }
    if (sum != 100)
        return makeError(
            ErrorCode::InvalidArgument, QStringLiteral("--split '%1' sums to %2, not 100").arg(text).arg(sum));
    return out;
}

Status checkExperimentName(const QString &name, const QString &what, int maxLength)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_.-]+$"));
    if (name.isEmpty() || name.size() > maxLength || !re.match(name).hasMatch())
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("%1 '%2': 1 to %3 letters, digits, '_', '.' or '-'").arg(what, name).arg(maxLength));
    return {};
}

QString assignmentUnit(const ChatRequest &request, const QString &tokenUser)
{
    if (!request.user.isEmpty())
        return QStringLiteral("user:") + request.user;
    if (!tokenUser.isEmpty())
        return QStringLiteral("user:") + tokenUser;
    // The conversation: its first user message stays the same as the conversation grows, so
    // every turn of it lands in the same arm.
    for (const QJsonValue &m : request.messages) {
        const QJsonObject o = m.toObject();
        if (o.value(QLatin1String("role")).toString() != QLatin1String("user"))
            continue;
        const QJsonValue content = o.value(QLatin1String("content"));
        QString text;
        if (content.isString()) {
            text = content.toString();
        } else {
            for (const QJsonValue &part : content.toArray())
                text += part.toObject().value(QLatin1String("text")).toString();
        }
        return QStringLiteral("conversation:") + QString::fromLatin1(sha256Hex(text.toUtf8()));
    }
    return {};
}

int assignmentBucket(const QString &experimentName, const QString &unit)
{
    const QByteArray h = sha256(experimentName.toUtf8() + '\n' + unit.toUtf8());
    quint64 v = 0;
    for (int i = 0; i < 8; ++i)
        v = (v << 8) | quint8(h.at(i));
    return int(v % 100);
}

const ExperimentArm *assignArm(const Experiment &experiment, const QString &unit)
{
    if (experiment.arms.empty() || unit.isEmpty())
        return nullptr;
    int bucket = assignmentBucket(experiment.name, unit);
    for (const ExperimentArm &a : experiment.arms) {
        if (bucket < a.weight)
            return &a;
        bucket -= a.weight;
    }
    return &experiment.arms.back(); // weights that do not reach 100 (never stored) end in the last arm
}

} // namespace l0
