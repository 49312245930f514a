#include "routeevaluation.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

#include "core/text.h"
#include "ledger/pricetable.h"
#include "route/routermodel.h"

namespace l0 {

namespace {

struct RowCost {
    qint64 strong = 0;
    qint64 weak = 0;
};

} // namespace

QJsonObject RouteEvalPoint::toJson(bool withThreshold) const
{
    QJsonObject o { { QLatin1String("strong_share"), strongShare }, { QLatin1String("quality"), quality },
        { QLatin1String("cost_ratio"), costRatio ? QJsonValue(*costRatio) : QJsonValue(QJsonValue::Null) } };
    if (withThreshold)
        o.insert(QLatin1String("threshold"), threshold);
    return o;
}

QJsonObject RouteEvaluation::toJson() const
{
    QJsonArray points;
    for (const RouteEvalPoint &p : curve)
        points.append(p.toJson());
    QJsonObject o { { QLatin1String("strategy"), QLatin1String(routeStrategyName(strategy)) },
        { QLatin1String("prompts"), prompts }, { QLatin1String("strong_quality"), strongQuality },
        { QLatin1String("weak_quality"), weakQuality }, { QLatin1String("target"), target },
        { QLatin1String("at_95"), atTarget.toJson() }, { QLatin1String("curve"), points } };
    if (atModelThreshold)
        o.insert(QLatin1String("at_model_threshold"), atModelThreshold->toJson());
    if (!unpriced.isEmpty())
        o.insert(QLatin1String("unpriced"), QJsonArray::fromStringList(unpriced));
    return o;
}

qint64 estimatedTokens(qint64 chars)
{
    return std::max<qint64>(1, (chars + 3) / 4);
}

std::vector<double> curveThresholds(const std::vector<double> &scores, int maxPoints)
{
    std::vector<double> sorted = scores;
    std::sort(sorted.begin(), sorted.end(), std::greater<double>());
    std::vector<double> distinct = sorted;
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    std::vector<double> out { kNeverWeakThreshold };
    if (int(distinct.size()) <= maxPoints - 1) {
        out.insert(out.end(), distinct.begin(), distinct.end());
        return out;
    }
    const size_t n = sorted.size();
    const int steps = maxPoints - 1;
    for (int i = 1; i <= steps; ++i) {
        const size_t rank = size_t(std::ceil(double(i) * double(n) / double(steps)));
        const double t = sorted[std::min(n, std::max<size_t>(rank, 1)) - 1];
        if (t != out.back())
            out.push_back(t);
    }
    return out;
}

RouteEvaluation evaluateRouting(const std::vector<RouteExample> &rows, const std::vector<double> &scores,
    RouteStrategy strategy, const QString &strong, const QString &weak, const PriceTable *prices,
    std::optional<double> modelThreshold, double target, bool normalise)
{
    RouteEvaluation ev;
    ev.strategy = strategy;
    ev.prompts = int(rows.size());
    ev.target = target;
    const size_t n = rows.size();
    if (n == 0 || scores.size() != n)
        return ev;

    // Per-row qualities and costs.
    std::vector<double> qs(n), qw(n);
    std::vector<RowCost> costs(n);
    bool priced = prices != nullptr;
    if (prices) {
        if (!prices->priceFor(strong))
            ev.unpriced << strong;
        if (!prices->priceFor(weak))
            ev.unpriced << weak;
        priced = ev.unpriced.isEmpty();
    }
    double sumStrong = 0;
    double sumWeak = 0;
    qint64 alwaysStrong = 0;
    for (size_t i = 0; i < n; ++i) {
        const RouteExample &r = rows[i];
        const double scale = normalise && r.qualityScale > 0 ? r.qualityScale : 1;
        qs[i] = r.strongQuality / scale;
        qw[i] = r.weakQuality / scale;
        sumStrong += qs[i];
        sumWeak += qw[i];
        if (priced) {
            const qint64 in = estimatedTokens(codePointCount(r.prompt));
            const TokenUsage su { in, r.strongAnswerChars >= 0 ? estimatedTokens(r.strongAnswerChars) : 1 };
            const TokenUsage wu { in, r.weakAnswerChars >= 0 ? estimatedTokens(r.weakAnswerChars) : 1 };
            costs[i].strong = prices->cost(strong, su).value_or(0);
            costs[i].weak = prices->cost(weak, wu).value_or(0);
            alwaysStrong += costs[i].strong;
        }
    }
    ev.strongQuality = sumStrong / double(n);
    ev.weakQuality = sumWeak / double(n);

    const auto pointAt = [&](double threshold) {
        RouteEvalPoint p;
        p.threshold = threshold;
        qint64 strongCalls = 0;
        double quality = 0;
        qint64 cost = 0;
        for (size_t i = 0; i < n; ++i) {
            const bool weakOne = scores[i] >= threshold;
            if (weakOne) {
                quality += qw[i];
                cost += costs[i].weak;
            } else {
                ++strongCalls;
                quality += qs[i];
                cost += costs[i].strong + (strategy == RouteStrategy::Cascade ? costs[i].weak : 0);
            }
        }
        p.strongShare = double(strongCalls) / double(n);
        p.quality = quality / double(n);
        if (priced && alwaysStrong > 0)
            p.costRatio = double(cost) / double(alwaysStrong);
        return p;
    };

    for (double t : curveThresholds(scores))
        ev.curve.push_back(pointAt(t));
    const double needed = target * ev.strongQuality;
    bool found = false;
    for (const RouteEvalPoint &p : ev.curve) {
        if (p.quality + 1e-12 < needed)
            continue;
        if (!found || p.strongShare < ev.atTarget.strongShare
            || (p.strongShare == ev.atTarget.strongShare && p.quality > ev.atTarget.quality)) {
            ev.atTarget = p;
            found = true;
        }
    }
    if (modelThreshold)
        ev.atModelThreshold = pointAt(*modelThreshold);
    return ev;
}

} // namespace l0
