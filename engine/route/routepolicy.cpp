#include "routepolicy.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace l0 {

namespace {

Error fieldError(const QString &field, const QString &message)
{
    Error e = makeError(ErrorCode::InvalidArgument, message);
    e.field = field;
    return e;
}

} // namespace

Status checkRoutePolicy(const RoutePolicy &p)
{
    if (p.model.trimmed().isEmpty())
        return fieldError(QStringLiteral("model"), QStringLiteral("a route policy names the model it applies to"));
    for (const QString &c : p.candidates) {
        if (c.trimmed().isEmpty() || c == kAutoModel)
            return fieldError(QStringLiteral("candidates"), QStringLiteral("a candidate is a model name"));
    }
    if (p.model == kAutoModel && p.candidates.isEmpty())
        return fieldError(QStringLiteral("candidates"),
            QStringLiteral("%1 needs candidate models (cheap to dear)").arg(QString(kAutoModel)));
    if (p.strategy == RouteStrategy::Learned && p.candidates.size() > 2)
        return fieldError(QStringLiteral("candidates"),
            QStringLiteral("learned routing takes two candidates, the cheaper first (weak,strong): its router model "
                           "compares one pair; for %1 candidates use cascade, which tries them from the cheapest")
                .arg(p.candidates.size()));
    if (p.strategy != RouteStrategy::Fixed && p.candidates.size() < 2)
        return fieldError(QStringLiteral("candidates"),
            QStringLiteral("%1 routing takes two candidates, the cheaper first (weak,strong)%2")
                .arg(QLatin1String(routeStrategyName(p.strategy)),
                    p.strategy == RouteStrategy::Cascade ? QStringLiteral(", or more, cheap to dear") : QString()));
    if (p.strategy == RouteStrategy::Cascade && p.candidates.size() > kMaxCascadeCandidates)
        return fieldError(QStringLiteral("candidates"),
            QStringLiteral("cascade routing takes at most %1 candidates (each one asked is paid and waited for)")
                .arg(kMaxCascadeCandidates));
    if (p.strategy != RouteStrategy::Fixed) {
        for (qsizetype i = 1; i < p.candidates.size(); ++i) {
            if (p.candidates.indexOf(p.candidates[i]) < i)
                return fieldError(QStringLiteral("candidates"),
                    QStringLiteral("candidate %1 is listed twice; candidates are distinct models, cheap to dear")
                        .arg(p.candidates[i]));
        }
    }
    if (!(p.qualityTarget > 0 && p.qualityTarget <= 1))
        return fieldError(QStringLiteral("quality_target"),
            QStringLiteral("a quality target is a share of the strong model's quality in (0, 1], e.g. 0.95"));
    return {};
}

Result<QList<RoutePolicy>> routePoliciesFromJson(const QByteArray &json)
{
    QList<RoutePolicy> out;
    if (json.trimmed().isEmpty())
        return out;
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &err);
    if (err.error != QJsonParseError::NoError || !doc.isArray())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("route policies are a JSON array"));
    for (const QJsonValue &v : doc.array()) {
        const QJsonObject o = v.toObject();
        RoutePolicy p;
        p.model = o.value(QLatin1String("model")).toString();
        for (const QJsonValue &c : o.value(QLatin1String("candidates")).toArray())
            p.candidates << c.toString();
        const QString strategy = o.value(QLatin1String("strategy")).toString(QStringLiteral("fixed"));
        const auto s = routeStrategyFromName(strategy);
        if (!s)
            return fieldError(QStringLiteral("strategy"), QStringLiteral("unknown route strategy '%1'").arg(strategy));
        p.strategy = *s;
        p.qualityTarget = o.value(QLatin1String("quality_target")).toDouble(0.95);
        p.router = o.value(QLatin1String("router")).toString();
        if (auto st = checkRoutePolicy(p); !st)
            return st.error();
        out << p;
    }
    return out;
}

QByteArray routePoliciesToJson(const QList<RoutePolicy> &policies)
{
    if (policies.isEmpty())
        return {};
    QJsonArray a;
    for (const RoutePolicy &p : policies) {
        QJsonObject o { { QLatin1String("model"), p.model },
            { QLatin1String("candidates"), QJsonArray::fromStringList(p.candidates) },
            { QLatin1String("strategy"), QLatin1String(routeStrategyName(p.strategy)) },
            { QLatin1String("quality_target"), p.qualityTarget } };
        if (!p.router.isEmpty())
            o.insert(QLatin1String("router"), p.router);
        a.append(o);
    }
    return QJsonDocument(a).toJson(QJsonDocument::Compact);
}

const RoutePolicy *findRoutePolicy(const QList<RoutePolicy> &policies, const QString &model)
{
    for (const RoutePolicy &p : policies) {
        if (p.model == model)
            return &p;
    }
    return nullptr;
}

void upsertRoutePolicy(QList<RoutePolicy> *policies, const RoutePolicy &policy)
{
    for (RoutePolicy &p : *policies) {
        if (p.model == policy.model) {
            p = policy;
            return;
        }
    }
    policies->append(policy);
}

} // namespace l0
