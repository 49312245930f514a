#include "induction.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <limits>

#include "intentmatcher.h"

namespace l0 {

namespace {

const QString kOutOfScope = QStringLiteral("out_of_scope");

quint32 fnv1a(const QString &s)
{
    quint32 h = 2166136261u;
    for (QChar c : s) {
        h ^= c.unicode();
        h *= 16777619u;
    }
    return h;
}

struct Example {
    std::vector<int> features; // indices into the vocabulary
    int label = 0;
    int fold = 0;
};

struct Model {
    int classes = 0;
    int features = 0;
    std::vector<double> w; // classes x features
    std::vector<double> b;
};

class Rng {
public:
    explicit Rng(quint64 seed)
        : m_s(seed)
    {
    }
    quint64 next()
    {
        m_s ^= m_s << 13;
        m_s ^= m_s >> 7;
        m_s ^= m_s << 17;
        return m_s;
    }

private:
    quint64 m_s;
};

Model train(const std::vector<Example> &data, const std::vector<size_t> &rows, int classes, int features,
    const InductionOptions &o)
{
    Model m;
    m.classes = classes;
    m.features = features;
    m.w.assign(size_t(classes) * size_t(features), 0.0);
    m.b.assign(size_t(classes), 0.0);
    std::vector<size_t> order = rows;
    Rng rng(0x9E3779B97F4A7C15ULL);
    std::vector<double> scores(static_cast<size_t>(classes), 0.0);
    long step = 0;
    for (int epoch = 0; epoch < o.epochs; ++epoch) {
        for (size_t i = order.size(); i > 1; --i)
            std::swap(order[i - 1], order[size_t(rng.next() % i)]);
        for (size_t r : order) {
            const Example &ex = data[r];
            const double lr = o.learningRate / (1.0 + 1e-5 * double(step++));
            double maxScore = -1e300;
            for (int c = 0; c < classes; ++c) {
                double s = m.b[size_t(c)];
                const double *wc = &m.w[size_t(c) * size_t(features)];
                for (int f : ex.features)
                    s += wc[f];
                scores[size_t(c)] = s;
                maxScore = std::max(maxScore, s);
            }
            double sum = 0;
            for (int c = 0; c < classes; ++c) {
                scores[size_t(c)] = std::exp(scores[size_t(c)] - maxScore);
                sum += scores[size_t(c)];
            }
            const double decay = 1.0 - lr * o.l2;
            for (int c = 0; c < classes; ++c) {
                const double g = scores[size_t(c)] / sum - (c == ex.label ? 1.0 : 0.0);
                if (std::abs(g) < 1e-7)
                    continue;
                double *wc = &m.w[size_t(c) * size_t(features)];
                for (int f : ex.features)
                    wc[f] = wc[f] * decay - lr * g;
                m.b[size_t(c)] -= lr * g * 0.1;
            }
        }
    }
    return m;
}

// The integer weights that go into a pack: quantized to milli-units, small ones dropped,
// at most maxFeaturesPerIntent per intent (largest magnitudes kept).
std::vector<std::vector<std::pair<int, qint32>>> quantize(
    const Model &m, const InductionOptions &o, std::vector<qint32> *bias)
{
    std::vector<std::vector<std::pair<int, qint32>>> out(size_t(m.classes));
    bias->assign(size_t(m.classes), 0);
    for (int c = 0; c < m.classes; ++c) {
        (*bias)[size_t(c)] = qint32(std::lround(m.b[size_t(c)] * 1000.0));
        auto &list = out[size_t(c)];
        for (int f = 0; f < m.features; ++f) {
            const qint32 q = qint32(std::lround(m.w[size_t(c) * size_t(m.features) + size_t(f)] * 1000.0));
            if (std::abs(q) >= o.minFeatureWeight)
                list.emplace_back(f, q);
        }
        std::sort(list.begin(), list.end(), [](const auto &a, const auto &b) {
            return std::abs(a.second) != std::abs(b.second) ? std::abs(a.second) > std::abs(b.second)
                                                            : a.first < b.first;
        });
        if (int(list.size()) > o.maxFeaturesPerIntent)
            list.resize(size_t(o.maxFeaturesPerIntent));
    }
    return out;
}

struct Prediction {
    int label;
    int predicted;
    qint64 margin;
};

} // namespace

Result<std::shared_ptr<const RulePack>> inducePack(
    const std::vector<LabelledText> &rows, const InductionOptions &oIn, InductionReport *report)
{
    const InductionOptions &o = oIn;
    if (rows.size() < 2)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("induction needs labelled rows"));
    if (o.targetFalseHitRate <= 0 || o.targetFalseHitRate >= 1)
        return makeError(
            ErrorCode::InvalidArgument, QStringLiteral("the target false-hit rate must be between 0 and 1"));

    // The pack's pipeline (defaults) turns each text into features.
    auto base = std::make_shared<RulePack>();
    base->name = o.name;
    base->version = o.version;
    base->negationCues = RulePack::defaultNegationCues();
    base->clauseBreakers = { QStringLiteral("but"), QStringLiteral("however"), QStringLiteral("although"),
        QStringLiteral("though"), QStringLiteral("because"), QStringLiteral("and"), QStringLiteral("or") };
    base->conjunctions
        = { QStringLiteral("and"), QStringLiteral("also"), QStringLiteral("plus"), QStringLiteral("then") };
    base->contractions = RulePack::defaultContractions();
    base->slotPatterns = RulePack::defaultSlots();
    base->charNgrams = o.charNgrams;
    base->rawWords = o.rawWords;
    const IntentMatcher pipeline(base);

    QStringList labels;
    QHash<QString, int> labelIndex;
    bool hasOutOfScope = false;
    for (const LabelledText &r : rows) {
        if (r.label.isEmpty()) {
            hasOutOfScope = true;
            continue;
        }
        if (!labelIndex.contains(r.label)) {
            labelIndex.insert(r.label, int(labels.size()));
            labels << r.label;
        }
    }
    if (labels.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("no row has a label"));
    if (labels.contains(kOutOfScope))
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("'%1' is reserved for rows with an empty label").arg(kOutOfScope));
    const int oosClass = hasOutOfScope ? int(labels.size()) : -1;
    const int classes = int(labels.size()) + (hasOutOfScope ? 1 : 0);

    // Vocabulary: words seen once, word pairs seen twice.
    std::vector<QStringList> featureLists;
    featureLists.reserve(rows.size());
    QHash<QString, int> counts;
    for (const LabelledText &r : rows) {
        const NormalizedText n = pipeline.normalize(r.text);
        featureLists.push_back(n.features);
        for (const QString &f : n.features)
            ++counts[f];
    }
    QStringList vocab;
    for (auto it = counts.begin(); it != counts.end(); ++it) {
        if (it.value() >= (it.key().contains(QLatin1Char(' ')) ? 2 : 1))
            vocab << it.key();
    }
    std::sort(vocab.begin(), vocab.end());
    QHash<QString, int> vocabIndex;
    for (int i = 0; i < vocab.size(); ++i)
        vocabIndex.insert(vocab[i], i);

    std::vector<Example> data(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
        for (const QString &f : featureLists[i]) {
            auto it = vocabIndex.constFind(f);
            if (it != vocabIndex.constEnd())
                data[i].features.push_back(*it);
        }
        data[i].label = rows[i].label.isEmpty() ? oosClass : labelIndex.value(rows[i].label);
        data[i].fold = int(fnv1a(rows[i].text) % quint32(qMax(2, o.folds)));
    }

    // Held-out margins by cross-fitting, scored exactly as the pack will score them.
    std::vector<Prediction> held;
    held.reserve(rows.size());
    for (int fold = 0; fold < qMax(2, o.folds); ++fold) {
        std::vector<size_t> trainRows, testRows;
        for (size_t i = 0; i < data.size(); ++i)
            (data[i].fold == fold ? testRows : trainRows).push_back(i);
        if (testRows.empty() || trainRows.empty())
            continue;
        const Model m = train(data, trainRows, classes, int(vocab.size()), o);
        std::vector<qint32> bias;
        const auto q = quantize(m, o, &bias);
        std::vector<std::vector<std::pair<int, qint32>>> byFeature(vocab.size());
        for (int c = 0; c < classes; ++c) {
            for (const auto &[f, w] : q[size_t(c)])
                byFeature[size_t(f)].emplace_back(c, w);
        }
        for (size_t r : testRows) {
            std::vector<qint64> s(bias.begin(), bias.end());
            int evidence = 0;
            for (int f : data[r].features) {
                if (!byFeature[size_t(f)].empty())
                    ++evidence;
                for (const auto &[c, w] : byFeature[size_t(f)])
                    s[size_t(c)] += w;
            }
            int best = 0;
            for (int c = 1; c < classes; ++c) {
                if (s[size_t(c)] > s[size_t(best)])
                    best = c;
            }
            qint64 second = std::numeric_limits<qint64>::min();
            for (int c = 0; c < classes; ++c) {
                if (c != best)
                    second = std::max(second, s[size_t(c)]);
            }
            qint64 margin = evidence == 0 ? -1 : (classes > 1 ? s[size_t(best)] - second : s[size_t(best)]);
            held.push_back(Prediction { data[r].label, best, margin });
        }
    }

    // Abstain margins, one per intent: for a price λ on each false hit, every intent answers
    // down to the margin that maximizes (right answers − λ·false hits) on the held-out
    // predictions; λ is the smallest price at which the projected false-hit rate of everything
    // answered meets the target. Out-of-scope rows count as false hits, weighted up to the
    // assumed out-of-scope share of traffic.
    const double target = o.targetFalseHitRate * o.safety;
    qint64 inScope = 0, outScope = 0;
    for (const Prediction &p : held)
        (p.label == oosClass ? outScope : inScope) += 1;
    const double pi = outScope > 0 ? std::max(double(outScope) / double(held.size()), o.assumedOutOfScopeShare) : 0.0;
    const double oosWeight = outScope > 0 ? (pi / (1.0 - pi)) * double(inScope) / double(outScope) : 0.0;
    std::vector<std::vector<Prediction>> byIntent(static_cast<size_t>(classes));
    for (const Prediction &p : held) {
        if (p.margin >= 0 && p.predicted != oosClass)
            byIntent[size_t(p.predicted)].push_back(p);
    }
    for (auto &list : byIntent)
        std::sort(
            list.begin(), list.end(), [](const Prediction &a, const Prediction &b) { return a.margin > b.margin; });
    const qint64 never = std::numeric_limits<qint32>::max();
    // One margin for all intents: the lowest at which everything answered meets the target.
    qint64 globalMargin = never;
    {
        std::vector<Prediction> sorted;
        for (const auto &list : byIntent)
            sorted.insert(sorted.end(), list.begin(), list.end());
        std::sort(
            sorted.begin(), sorted.end(), [](const Prediction &a, const Prediction &b) { return a.margin > b.margin; });
        double right = 0, wrong = 0;
        for (size_t i = 0; i < sorted.size();) {
            const qint64 margin = sorted[i].margin;
            for (; i < sorted.size() && sorted[i].margin == margin; ++i) {
                if (sorted[i].label == sorted[i].predicted)
                    right += 1;
                else
                    wrong += sorted[i].label == oosClass ? oosWeight : 1.0;
            }
            if (right + wrong >= 20 && wrong / (right + wrong) <= target)
                globalMargin = margin;
        }
    }
    const qint64 floorMargin = globalMargin == never ? never : qint64(double(globalMargin) * o.intentMarginShrink);
    struct Choice {
        std::vector<qint64> margins;
        double right = 0, wrong = 0;
    };
    auto choose = [&](double lambda) {
        Choice ch;
        ch.margins.assign(size_t(classes), never);
        for (int c = 0; c < classes; ++c) {
            const auto &list = byIntent[size_t(c)];
            double right = 0, wrong = 0, best = 0;
            for (size_t k = 0; k < list.size(); ++k) {
                const Prediction &p = list[k];
                if (p.label == p.predicted)
                    right += 1;
                else
                    wrong += p.label == oosClass ? oosWeight : 1.0;
                // Only cut between different margins, so equal margins are all in or all out.
                if (k + 1 < list.size() && list[k + 1].margin == p.margin)
                    continue;
                if (right - lambda * wrong > best) {
                    best = right - lambda * wrong;
                    ch.margins[size_t(c)] = p.margin;
                }
            }
            // Per-intent margins are noisy (a hundred or so held-out answers each): an intent
            // may go below the pack's margin only so far (intentMarginShrink), never above it.
            qint64 &m = ch.margins[size_t(c)];
            m = std::clamp(m, floorMargin, globalMargin);
            for (const Prediction &p : list) {
                if (p.margin < m)
                    break;
                if (p.label == p.predicted)
                    ch.right += 1;
                else
                    ch.wrong += p.label == oosClass ? oosWeight : 1.0;
            }
        }
        return ch;
    };
    auto fhrOf = [](const Choice &ch) { return ch.right + ch.wrong > 0 ? ch.wrong / (ch.right + ch.wrong) : 0.0; };
    double lo = 0, hi = 1e9;
    Choice chosen = choose(hi);
    for (int it = 0; it < 60; ++it) {
        const double mid = (lo + hi) / 2;
        const Choice ch = choose(mid);
        if (fhrOf(ch) <= target) {
            hi = mid;
            chosen = ch;
        } else {
            lo = mid;
        }
    }
    const qint64 fallback = globalMargin;
    const double coverage = inScope ? chosen.right / double(inScope) : 0.0;
    const double projected = fhrOf(chosen);

    // The final model learns from every row.
    std::vector<size_t> all(data.size());
    for (size_t i = 0; i < all.size(); ++i)
        all[i] = i;
    const Model final = train(data, all, classes, int(vocab.size()), o);
    std::vector<qint32> bias;
    const auto q = quantize(final, o, &bias);

    auto pack = std::make_shared<RulePack>(*base);
    pack->abstainMargin = qint32(std::min<qint64>(fallback > 0 ? fallback : never, never));
    pack->minEvidence = 1;
    QHash<int, QStringList> examples;
    for (size_t i = 0; i < rows.size(); ++i) {
        QStringList &e = examples[data[i].label];
        if (e.size() < 5)
            e << rows[i].text;
    }
    int featureCount = 0;
    for (int c = 0; c < classes; ++c) {
        Intent in;
        in.name = c == oosClass ? kOutOfScope : labels[c];
        in.abstain = c == oosClass;
        in.bias = bias[size_t(c)];
        if (c != oosClass && chosen.margins[size_t(c)] != never && byIntent[size_t(c)].size() >= 5)
            in.margin = qint32(chosen.margins[size_t(c)]);
        for (const auto &[f, w] : q[size_t(c)])
            in.features.insert(vocab[f], w);
        featureCount += int(in.features.size());
        in.examples = examples.value(c);
        pack->intents.push_back(std::move(in));
    }
    if (report) {
        report->rows = int(rows.size());
        report->intents = int(labels.size());
        report->outOfScopeRows = int(outScope);
        report->features = featureCount;
        report->margin = pack->abstainMargin;
        report->heldOutCoverage = coverage;
        report->heldOutFalseHitRate = projected;
    }
    // Round-trip through JSON so the pack is exactly what a file would load.
    return RulePack::fromJson(pack->toJson());
}

} // namespace l0
