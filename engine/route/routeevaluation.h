#pragma once

#include <QJsonObject>
#include <QStringList>

#include <optional>
#include <vector>

#include "route/routedata.h"
#include "route/routestrategy.h"

namespace l0 {

class PriceTable;

// One policy of a routing curve: every prompt whose score is >= threshold goes to the weak
// model (Learned) or keeps the weak answer (Cascade); the others go to the strong model.
struct RouteEvalPoint {
    double threshold = 0;
    double strongShare = 1; // share of prompts the strong model answered
    double quality = 0; // mean correct/score of the model whose answer each prompt got
    std::optional<double> costRatio; // cost against always-strong; nullopt when a model is unpriced
    QJsonObject toJson(bool withThreshold = true) const;
};

// What `l0ctl route eval` prints.
struct RouteEvaluation {
    RouteStrategy strategy = RouteStrategy::Learned;
    int prompts = 0;
    double strongQuality = 0;
    double weakQuality = 0;
    double target = 0.95;
    RouteEvalPoint atTarget; // the fewest strong calls with quality >= target * strongQuality
    std::vector<RouteEvalPoint> curve; // thresholds descending, so strong share descending
    std::optional<RouteEvalPoint> atModelThreshold; // the threshold the model itself picks for the target
    QStringList unpriced; // models the price table does not know

    // {"prompts", "strong_quality", "weak_quality", "at_95": {...}, "curve": [...], ...}
    QJsonObject toJson() const;
};

// Token estimate for a text of this many code points (about 4 per token, at least 1).
qint64 estimatedTokens(qint64 chars);

// The thresholds a curve is drawn at: kNeverWeakThreshold (all strong), then every distinct
// score from the highest down when there are at most maxPoints - 1, else the scores at evenly
// spaced ranks (so strong share steps of about 1 / (maxPoints - 1)).
std::vector<double> curveThresholds(const std::vector<double> &scores, int maxPoints = 101);

// Evaluates a router's scores (scores[i] for rows[i]). Input tokens are estimated from the
// prompt's characters, output tokens from each answer's characters (1 token when the file has
// neither text nor chars, as MMLU's one-letter answers). A cascade pays the weak call on every
// prompt and the strong call on each escalated one. prices may be null (no costs).
// normalise: qualities divided by each row's qualityScale (used by training's own curve).
RouteEvaluation evaluateRouting(const std::vector<RouteExample> &rows, const std::vector<double> &scores,
    RouteStrategy strategy, const QString &strong, const QString &weak, const PriceTable *prices,
    std::optional<double> modelThreshold = std::nullopt, double target = 0.95, bool normalise = false);

} // namespace l0
