#include "routertraining.h"

#include <QCryptographicHash>
#include <QJsonArray>

#include <algorithm>
#include <cmath>

#include "route/routeevaluation.h"
#include "route/routefeatures.h"

namespace l0 {

namespace {

constexpr int kMinCascadeRows = 10;

// splitmix64: a tiny generator whose sequence is fixed by its seed on every platform (the
// standard distributions are not).
struct SplitMix {
    uint64_t state;
    uint64_t next()
    {
        uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
};

struct Sample {
    const RouteFeatures *features;
    double label;
};

double sigmoid(double z)
{
    if (z >= 0)
        return 1.0 / (1.0 + std::exp(-z));
    const double e = std::exp(z);
    return e / (1.0 + e);
}

// L2-regularised logistic regression by AdaGrad SGD over a fixed, seeded order. The L2 pull is
// applied to the coordinates an example touches (all dense ones, its hashed buckets).
RouteLogit trainLogit(
    const std::vector<Sample> &samples, int denseCount, int bits, double l2, const RouteTrainOptions &o, uint64_t seed)
{
    RouteLogit m;
    m.bits = bits;
    m.denseMean.assign(size_t(denseCount), 0);
    m.denseScale.assign(size_t(denseCount), 0);
    m.denseWeights.assign(size_t(denseCount), 0);
    m.hashedWeights.assign(size_t(1) << bits, 0.f);
    const size_t n = samples.size();
    if (n == 0)
        return m;
    // Standardise the dense features on these samples.
    for (const Sample &s : samples)
        for (int j = 0; j < denseCount; ++j)
            m.denseMean[size_t(j)] += s.features->dense[size_t(j)];
    for (double &v : m.denseMean)
        v /= double(n);
    std::vector<double> var(size_t(denseCount), 0);
    for (const Sample &s : samples)
        for (int j = 0; j < denseCount; ++j) {
            const double d = s.features->dense[size_t(j)] - m.denseMean[size_t(j)];
            var[size_t(j)] += d * d;
        }
    for (int j = 0; j < denseCount; ++j) {
        const double sd = std::sqrt(var[size_t(j)] / double(n));
        m.denseScale[size_t(j)] = sd > 1e-9 ? 1.0 / sd : 0.0;
    }
    // Start from the base rate.
    double positives = 0;
    for (const Sample &s : samples)
        positives += s.label;
    const double rate = std::clamp(positives / double(n), 1e-3, 1 - 1e-3);
    m.bias = std::log(rate / (1 - rate));

    std::vector<double> wd(size_t(denseCount), 0);
    std::vector<double> gd(size_t(denseCount), 0);
    std::vector<double> wh(m.hashedWeights.size(), 0);
    std::vector<float> gh(m.hashedWeights.size(), 0.f);
    double gb = 0;
    std::vector<double> x(size_t(denseCount), 0);
    std::vector<size_t> order(n);
    for (size_t i = 0; i < n; ++i)
        order[i] = i;
    SplitMix rng { seed };
    const double eps = 1e-8;
    const double denseL2 = o.denseL2 >= 0 ? o.denseL2 : l2;
    for (int epoch = 0; epoch < o.epochs; ++epoch) {
        for (size_t i = n - 1; i > 0; --i)
            std::swap(order[i], order[size_t(rng.next() % (i + 1))]);
        for (size_t k = 0; k < n; ++k) {
            const Sample &s = samples[order[k]];
            const RouteFeatures &f = *s.features;
            double z = m.bias;
            for (int j = 0; j < denseCount; ++j) {
                x[size_t(j)] = (double(f.dense[size_t(j)]) - m.denseMean[size_t(j)]) * m.denseScale[size_t(j)];
                z += wd[size_t(j)] * x[size_t(j)];
            }
            const double hv = f.hashed.empty() ? 0 : 1.0 / std::sqrt(double(f.hashed.size()));
            for (uint32_t idx : f.hashed)
                z += wh[idx] * hv;
            const double err = sigmoid(z) - s.label;
            gb += err * err;
            m.bias -= o.learningRate * err / std::sqrt(gb + eps);
            for (int j = 0; j < denseCount; ++j) {
                const double g = err * x[size_t(j)] + denseL2 * wd[size_t(j)];
                gd[size_t(j)] += g * g;
                wd[size_t(j)] -= o.learningRate * g / std::sqrt(gd[size_t(j)] + eps);
            }
            for (uint32_t idx : f.hashed) {
                const double g = err * hv + l2 * wh[idx];
                gh[idx] += float(g * g);
                wh[idx] -= o.learningRate * g / std::sqrt(double(gh[idx]) + eps);
            }
        }
    }
    m.denseWeights = wd;
    for (size_t i = 0; i < wh.size(); ++i)
        m.hashedWeights[i] = float(wh[i]);
    m.quantise();
    return m;
}

struct Part {
    std::vector<RouteFeatures> features;
    int denseCount = 0;
};

double logLoss(const std::vector<double> &p, const std::vector<double> &y)
{
    double s = 0;
    for (size_t i = 0; i < p.size(); ++i) {
        const double q = std::clamp(p[i], 1e-9, 1 - 1e-9);
        s -= y[i] * std::log(q) + (1 - y[i]) * std::log(1 - q);
    }
    return p.empty() ? 0 : s / double(p.size());
}

// Out-of-fold probabilities of one part at one L2.
std::vector<double> outOfFold(const Part &part, const std::vector<double> &labels, const std::vector<int> &folds, int k,
    int bits, double l2, const RouteTrainOptions &o)
{
    std::vector<double> p(labels.size(), 0.5);
    for (int f = 0; f < k; ++f) {
        std::vector<Sample> train;
        for (size_t i = 0; i < labels.size(); ++i)
            if (folds[i] != f)
                train.push_back({ &part.features[i], labels[i] });
        if (train.size() == labels.size())
            continue; // empty fold
        const RouteLogit m = trainLogit(train, part.denseCount, bits, l2, o, o.seed + uint64_t(f) + 1);
        for (size_t i = 0; i < labels.size(); ++i)
            if (folds[i] == f)
                p[i] = m.probability(part.features[i].dense, part.features[i].hashed);
    }
    return p;
}

struct Fitted {
    RouteLogit model;
    std::vector<RouteCurvePoint> curve;
    double l2 = 0;
    double logLoss = 0;
};

Fitted fitPart(const Part &part, const std::vector<RouteExample> &rows, const std::vector<double> &labels,
    RouteStrategy strategy, const QString &strong, const QString &weak, const RouteTrainOptions &o)
{
    Fitted best;
    std::vector<int> folds(rows.size());
    const int k = std::max(2, o.folds);
    for (size_t i = 0; i < rows.size(); ++i)
        folds[i] = routeFold(rows[i].prompt, k, QByteArrayLiteral("l0-route-inner:"));
    std::vector<double> bestOof;
    bool first = true;
    const std::vector<double> grid = o.l2Grid.empty() ? std::vector<double> { 1e-3 } : o.l2Grid;
    for (double l2 : grid) {
        std::vector<double> oof = outOfFold(part, labels, folds, k, o.bits, l2, o);
        const double loss = logLoss(oof, labels);
        if (first || loss < best.logLoss) {
            best.logLoss = loss;
            best.l2 = l2;
            bestOof = std::move(oof);
            first = false;
        }
    }
    const RouteEvaluation ev
        = evaluateRouting(rows, bestOof, strategy, strong, weak, nullptr, std::nullopt, 0.95, true);
    for (const RouteEvalPoint &p : ev.curve)
        best.curve.push_back({ p.threshold, p.strongShare, ev.strongQuality > 0 ? p.quality / ev.strongQuality : 1.0 });
    std::vector<Sample> all;
    for (size_t i = 0; i < rows.size(); ++i)
        all.push_back({ &part.features[i], labels[i] });
    best.model = trainLogit(all, part.denseCount, o.bits, best.l2, o, o.seed);
    return best;
}

Part learnedPart(const std::vector<RouteExample> &rows, int bits)
{
    Part p;
    p.denseCount = int(requestFeatureNames().size());
    p.features.resize(rows.size());
    for (size_t i = 0; i < rows.size(); ++i)
        requestFeatures(RouterModel::requestForPrompt(rows[i].prompt), bits, p.features[i]);
    return p;
}

Part cascadePart(const std::vector<RouteExample> &rows, int bits)
{
    Part p;
    p.denseCount = int(requestFeatureNames().size() + answerFeatureNames().size());
    p.features.resize(rows.size());
    for (size_t i = 0; i < rows.size(); ++i)
        cascadeFeatures(RouterModel::requestForPrompt(rows[i].prompt), rows[i].weakText, bits, p.features[i]);
    return p;
}

bool allHaveText(const std::vector<RouteExample> &rows)
{
    return std::all_of(rows.begin(), rows.end(), [](const RouteExample &r) { return r.hasWeakText; });
}

} // namespace

int routeFold(const QString &prompt, int folds, const QByteArray &salt)
{
    if (folds <= 1)
        return 0;
    const QByteArray h = QCryptographicHash::hash(QByteArray(salt + prompt.toUtf8()), QCryptographicHash::Sha256);
    const uint32_t v = (uint32_t(uchar(h[0])) << 24) | (uint32_t(uchar(h[1])) << 16) | (uint32_t(uchar(h[2])) << 8)
        | uint32_t(uchar(h[3]));
    return int(v % uint32_t(folds));
}

RouterModel trainRouterModel(const std::vector<RouteExample> &rows, const QString &strong, const QString &weak,
    const RouteTrainOptions &options, RouteTrainReport *report)
{
    std::vector<double> labels(rows.size());
    int good = 0;
    for (size_t i = 0; i < rows.size(); ++i) {
        labels[i] = rows[i].weakGood() ? 1.0 : 0.0;
        good += rows[i].weakGood() ? 1 : 0;
    }
    RouterModel::Parts parts;
    parts.name = options.name;
    parts.strong = strong;
    parts.weak = weak;
    const Fitted learned
        = fitPart(learnedPart(rows, options.bits), rows, labels, RouteStrategy::Learned, strong, weak, options);
    parts.learned = learned.model;
    parts.learnedCurve = learned.curve;
    // The cascade part learns from the rows that have the weak model's answer (MMLU's have none).
    std::vector<RouteExample> answered;
    std::vector<double> answeredLabels;
    for (size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].hasWeakText) {
            answered.push_back(rows[i]);
            answeredLabels.push_back(labels[i]);
        }
    }
    const bool cascade = options.cascade && answered.size() >= size_t(kMinCascadeRows);
    Fitted cascaded;
    if (cascade) {
        cascaded = fitPart(cascadePart(answered, options.bits), answered, answeredLabels, RouteStrategy::Cascade,
            strong, weak, options);
        parts.cascade = cascaded.model;
        parts.cascadeCurve = cascaded.curve;
    }
    QJsonArray grid;
    for (double l2 : options.l2Grid)
        grid.append(l2);
    parts.training = QJsonObject { { QLatin1String("rows"), qint64(rows.size()) }, { QLatin1String("weak_good"), good },
        { QLatin1String("label"), QLatin1String("weak quality >= strong quality") },
        { QLatin1String("epochs"), options.epochs }, { QLatin1String("learning_rate"), options.learningRate },
        { QLatin1String("l2_grid"), grid }, { QLatin1String("dense_l2"), options.denseL2 },
        { QLatin1String("folds"), options.folds }, { QLatin1String("seed"), QString::number(options.seed) },
        { QLatin1String("learned_l2"), learned.l2 }, { QLatin1String("learned_log_loss"), learned.logLoss } };
    if (cascade) {
        parts.training.insert(QLatin1String("cascade_rows"), qint64(answered.size()));
        parts.training.insert(QLatin1String("cascade_l2"), cascaded.l2);
        parts.training.insert(QLatin1String("cascade_log_loss"), cascaded.logLoss);
    }
    if (report) {
        report->rows = int(rows.size());
        report->weakGood = good;
        report->learnedL2 = learned.l2;
        report->learnedLogLoss = learned.logLoss;
        report->cascade = cascade;
        report->cascadeL2 = cascaded.l2;
        report->cascadeLogLoss = cascaded.logLoss;
    }
    return RouterModel::fromParts(std::move(parts));
}

void crossValidatedScores(const std::vector<RouteExample> &rows, const std::vector<RouteExample> &extra,
    const QString &strong, const QString &weak, const RouteTrainOptions &options, int folds,
    std::vector<double> *learnedScores, std::vector<double> *cascadeScores)
{
    const int k = std::max(2, folds);
    std::vector<int> fold(rows.size());
    for (size_t i = 0; i < rows.size(); ++i)
        fold[i] = routeFold(rows[i].prompt, k);
    if (learnedScores)
        learnedScores->assign(rows.size(), 0.5);
    const bool cascade = cascadeScores && options.cascade && allHaveText(rows);
    if (cascadeScores)
        cascadeScores->assign(cascade ? rows.size() : 0, 0.5);
    for (int f = 0; f < k; ++f) {
        std::vector<RouteExample> train = extra;
        bool any = false;
        for (size_t i = 0; i < rows.size(); ++i) {
            if (fold[i] != f)
                train.push_back(rows[i]);
            else
                any = true;
        }
        if (!any)
            continue;
        RouteTrainOptions o = options;
        o.cascade = cascade;
        const RouterModel m = trainRouterModel(train, strong, weak, o);
        for (size_t i = 0; i < rows.size(); ++i) {
            if (fold[i] != f)
                continue;
            const ChatRequest req = RouterModel::requestForPrompt(rows[i].prompt);
            if (learnedScores)
                (*learnedScores)[i] = m.weakGoodProbability(req);
            if (cascade)
                (*cascadeScores)[i] = m.cascadeAcceptScore(req, rows[i].weakText);
        }
    }
}

} // namespace l0
