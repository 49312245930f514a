#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <vector>

#include "core/chat.h"
#include "core/result.h"
#include "route/routestrategy.h"

namespace l0 {

// One logistic model over the features of route/routefeatures.h: standardised dense features
// (their means and deviations are part of the model) and hashed word features.
struct RouteLogit {
    std::vector<double> denseMean;
    std::vector<double> denseScale; // 1 / standard deviation (0 for a constant feature)
    std::vector<double> denseWeights;
    double bias = 0;
    int bits = 18;
    std::vector<float> hashedWeights; // 2^bits: q * hashedScale, q the int16 the JSON holds
    double hashedScale = 0;

    // Rounds hashedWeights to int16 steps of max|w| / 32767 (what toJson() keeps), so a model
    // scores the same before and after a round trip through its JSON.
    void quantise();

    bool isEmpty() const { return denseWeights.empty(); }
    double probability(const std::vector<float> &dense, const std::vector<uint32_t> &hashed) const;
};

// A threshold above every score: the strong model always (all points of a curve that reach no
// target fall back to it).
constexpr double kNeverWeakThreshold = 2.0;

// A point of a routing curve measured out of fold on the training data: sending to the weak
// model every request whose score is >= threshold gave that share of strong calls and that
// quality relative to always-strong (1 = as good as the strong model).
struct RouteCurvePoint {
    double threshold = 0;
    double strongShare = 1;
    double qualityRatio = 1;
};

// The learned router of one (strong, weak) model pair: it says from a request alone how likely
// the weak model's answer is as good as the strong model's, and, for a cascade, how acceptable a
// weak answer is. Stored as JSON data ({"format": "l0-router-model/1", ...}); the default one is
// compiled in (resources/route/default.json, trained on the DEV part of RouteLLM's GSM8K, MMLU
// and MT-Bench outcomes of gpt-4-1106-preview vs Mixtral-8x7B); a tenant may load its own file.
//
// Immutable after construction: every const method is safe to call from many threads at once
// (no caches, no shared scratch). Scoring a request costs a few microseconds (bench:
// `build/ci/bench/l0-bench-route`).
class RouterModel {
public:
    // Errors: InvalidArgument for JSON that is not a router model (unknown format, features of
    // another version: retrain), with the reason in the message.
    static Result<RouterModel> fromJson(const QByteArray &json);
    // fromJson() of a file's bytes; NotFound when the file cannot be read.
    static Result<RouterModel> load(const QString &path);
    // The compiled-in default model.
    static Result<RouterModel> builtin();
    // Deterministic: the same model gives the same bytes.
    QByteArray toJson() const;

    QString name() const { return m_name; }
    QString strongModel() const { return m_strong; }
    QString weakModel() const { return m_weak; }
    bool hasCascade() const { return !m_cascade.isEmpty(); }

    // Probability in [0, 1] that the weak model's answer to this request is as good as the strong
    // model's. Reads only what the request carries (messages, tools); never the model asked for.
    double weakGoodProbability(const ChatRequest &request) const;
    // Score in [0, 1] of (request, weak answer): keep the weak answer when >= the cascade
    // threshold. 0 when the model has no cascade part.
    double cascadeAcceptScore(const ChatRequest &request, const QString &weakAnswer) const;

    // The threshold for a quality target (a share of the strong model's quality, in (0, 1], e.g.
    // 0.95): the one of the training curve with the fewest strong calls whose quality reached the
    // target. Route to the weak model (Learned) / keep the weak answer (Cascade) when the score is
    // >= it. nullopt for Fixed, for a target outside (0, 1], or for Cascade without a cascade part.
    std::optional<double> thresholdFor(double qualityTarget, RouteStrategy strategy) const;
    // The out-of-fold curve the thresholds come from (empty for Fixed).
    const std::vector<RouteCurvePoint> &curve(RouteStrategy strategy) const;

    // Convenience for tests and offline evaluation: a request of one user message.
    static ChatRequest requestForPrompt(const QString &prompt);

    // Training (route/routertraining.h) builds models; these are its setters.
    struct Parts {
        QString name;
        QString strong;
        QString weak;
        RouteLogit learned;
        RouteLogit cascade;
        std::vector<RouteCurvePoint> learnedCurve;
        std::vector<RouteCurvePoint> cascadeCurve;
        QJsonObject training; // what it was trained on and how (informational)
    };
    static RouterModel fromParts(Parts parts);

private:
    QString m_name;
    QString m_strong;
    QString m_weak;
    RouteLogit m_learned;
    RouteLogit m_cascade;
    std::vector<RouteCurvePoint> m_learnedCurve;
    std::vector<RouteCurvePoint> m_cascadeCurve;
    QJsonObject m_training;
};

} // namespace l0
