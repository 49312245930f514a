#include "induction.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <thread>

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
    std::vector<double> sumW, sumB;
    int averaged = 0;
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
                if (std::abs(g) < 1e-4)
                    continue;
                double *wc = &m.w[size_t(c) * size_t(features)];
                for (int f : ex.features)
                    wc[f] = wc[f] * decay - lr * g;
                m.b[size_t(c)] -= lr * g * 0.1;
            }
        }
        if (o.averageEpochs > 0 && epoch >= o.epochs - o.averageEpochs) {
            if (sumW.empty()) {
                sumW.assign(m.w.size(), 0.0);
                sumB.assign(m.b.size(), 0.0);
            }
            for (size_t k = 0; k < m.w.size(); ++k)
                sumW[k] += m.w[k];
            for (size_t k = 0; k < m.b.size(); ++k)
                sumB[k] += m.b[k];
            ++averaged;
        }
    }
    if (averaged > 0) {
        for (size_t k = 0; k < m.w.size(); ++k)
            m.w[k] = sumW[k] / averaged;
        for (size_t k = 0; k < m.b.size(); ++k)
            m.b[k] = sumB[k] / averaged;
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
    qint64 confidence; // margin x coverage^p, as the pack computes it; -1: no known feature
    bool outOfScope; // an out-of-scope row, or a row of an intent the model never saw
    int fold;
};

// Per-word statistics of a set of training rows: document frequencies and which classes saw
// each word, so a held-out row's coverage is computed exactly as the pack will compute it.
struct WordStats {
    int rows = 0;
    std::vector<int> df; // per word
    std::vector<std::vector<char>> seen; // per class, per word
};

WordStats wordStats(const std::vector<std::vector<int>> &words, const std::vector<int> &labels,
    const std::vector<size_t> &rows, int classes, int vocabulary)
{
    WordStats w;
    w.rows = int(rows.size());
    w.df.assign(size_t(vocabulary), 0);
    w.seen.assign(size_t(classes), std::vector<char>(size_t(vocabulary), 0));
    for (size_t r : rows) {
        for (int id : words[r]) {
            ++w.df[size_t(id)];
            w.seen[size_t(labels[r])][size_t(id)] = 1;
        }
    }
    return w;
}

qint32 idfOf(int rows, int df)
{
    return qint32(std::lround(1000.0 * std::log((double(rows) + 1.0) / (double(df) + 1.0))));
}

// The pack's coverage (per mille) of a row's words for one class.
qint64 coverageOf(const std::vector<int> &rowWords, const WordStats &w, int cls)
{
    qint64 total = 0, seen = 0;
    for (int id : rowWords) {
        const qint64 idf = idfOf(w.rows, w.df[size_t(id)]);
        total += idf;
        if (w.seen[size_t(cls)][size_t(id)])
            seen += idf;
    }
    return total > 0 ? seen * 1000 / total : 1000;
}

qint64 guarded(qint64 margin, qint64 coverage, int power)
{
    for (int k = 0; k < power; ++k)
        margin = margin * coverage / 1000;
    return margin;
}

// Scores held-out rows with a model trained on other rows, as the pack will score them.
void predict(const Model &m, const InductionOptions &o, const std::vector<Example> &data,
    const std::vector<std::vector<int>> &words, const WordStats &stats, const std::vector<size_t> &testRows,
    const std::vector<char> &classUsed, int oosClass, bool pseudo, std::vector<Prediction> *out)
{
    const int classes = m.classes;
    std::vector<qint32> bias;
    const auto q = quantize(m, o, &bias);
    std::vector<std::vector<std::pair<int, qint32>>> byFeature(size_t(m.features));
    for (int c = 0; c < classes; ++c) {
        if (!classUsed[size_t(c)])
            continue;
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
        int best = -1;
        for (int c = 0; c < classes; ++c) {
            if (classUsed[size_t(c)] && (best < 0 || s[size_t(c)] > s[size_t(best)]))
                best = c;
        }
        if (best < 0)
            continue; // no class to answer with
        qint64 second = std::numeric_limits<qint64>::min();
        int used = 0;
        for (int c = 0; c < classes; ++c) {
            if (!classUsed[size_t(c)])
                continue;
            ++used;
            if (c != best)
                second = std::max(second, s[size_t(c)]);
        }
        qint64 margin = evidence == 0 ? -1 : (used > 1 ? s[size_t(best)] - second : s[size_t(best)]);
        if (margin >= 0 && o.coveragePower > 0 && best != oosClass)
            margin = guarded(margin, coverageOf(words[r], stats, best), o.coveragePower);
        out->push_back(Prediction { data[r].label, best, margin, pseudo || data[r].label == oosClass, data[r].fold });
    }
}

// Related intents in the same group: agglomerative clustering of the intents' word profiles
// (idf-weighted share of their rows holding each word; cosine between cluster sums), no
// cluster larger than its share of the groups, then clusters packed into `groups` bins.
// A model trained without a group has no sibling of its intents left: their rows are queries
// about something it never learnt, as out-of-scope queries are.
std::vector<int> intentGroups(
    const std::vector<std::vector<int>> &rowWords, const std::vector<int> &labels, int intents, int words, int groups)
{
    std::vector<int> df(size_t(words), 0), rowsOf(size_t(intents), 0);
    std::vector<std::vector<double>> v(size_t(intents), std::vector<double>(size_t(words), 0.0));
    int n = 0;
    for (size_t r = 0; r < rowWords.size(); ++r) {
        ++n;
        for (int w : rowWords[r])
            ++df[size_t(w)];
        if (labels[r] < 0 || labels[r] >= intents)
            continue;
        ++rowsOf[size_t(labels[r])];
        for (int w : rowWords[r])
            v[size_t(labels[r])][size_t(w)] += 1.0;
    }
    for (int c = 0; c < intents; ++c) {
        double norm = 0;
        for (int w = 0; w < words; ++w) {
            double &x = v[size_t(c)][size_t(w)];
            x = rowsOf[size_t(c)] ? x / rowsOf[size_t(c)] * std::log((n + 1.0) / (df[size_t(w)] + 1.0)) : 0.0;
            norm += x * x;
        }
        norm = std::sqrt(norm);
        for (double &x : v[size_t(c)])
            x = norm > 0 ? x / norm : 0.0;
    }
    const int cap = (intents + groups - 1) / groups;
    std::vector<std::vector<int>> members { size_t(intents) };
    std::vector<std::vector<double>> sum = v;
    for (int c = 0; c < intents; ++c)
        members[size_t(c)] = { c };
    auto cosine = [&](int a, int b) {
        double d = 0, na = 0, nb = 0;
        for (int w = 0; w < words; ++w) {
            d += sum[size_t(a)][size_t(w)] * sum[size_t(b)][size_t(w)];
            na += sum[size_t(a)][size_t(w)] * sum[size_t(a)][size_t(w)];
            nb += sum[size_t(b)][size_t(w)] * sum[size_t(b)][size_t(w)];
        }
        return na > 0 && nb > 0 ? d / std::sqrt(na * nb) : 0.0;
    };
    std::vector<std::vector<double>> sim(size_t(intents), std::vector<double>(size_t(intents), 0.0));
    for (int a = 0; a < intents; ++a)
        for (int b = a + 1; b < intents; ++b)
            sim[size_t(a)][size_t(b)] = sim[size_t(b)][size_t(a)] = cosine(a, b);
    std::vector<char> alive(size_t(intents), 1);
    for (;;) {
        int ba = -1, bb = -1;
        double best = -1;
        for (int a = 0; a < intents; ++a) {
            if (!alive[size_t(a)])
                continue;
            for (int b = a + 1; b < intents; ++b) {
                if (alive[size_t(b)] && int(members[size_t(a)].size() + members[size_t(b)].size()) <= cap
                    && sim[size_t(a)][size_t(b)] > best) {
                    best = sim[size_t(a)][size_t(b)];
                    ba = a;
                    bb = b;
                }
            }
        }
        if (ba < 0)
            break;
        members[size_t(ba)].insert(members[size_t(ba)].end(), members[size_t(bb)].begin(), members[size_t(bb)].end());
        members[size_t(bb)].clear();
        alive[size_t(bb)] = 0;
        for (int w = 0; w < words; ++w)
            sum[size_t(ba)][size_t(w)] += sum[size_t(bb)][size_t(w)];
        for (int c = 0; c < intents; ++c) {
            if (alive[size_t(c)] && c != ba)
                sim[size_t(ba)][size_t(c)] = sim[size_t(c)][size_t(ba)] = cosine(ba, c);
        }
    }
    std::vector<int> clusters;
    for (int c = 0; c < intents; ++c) {
        if (alive[size_t(c)])
            clusters.push_back(c);
    }
    std::stable_sort(clusters.begin(), clusters.end(),
        [&](int a, int b) { return members[size_t(a)].size() > members[size_t(b)].size(); });
    std::vector<int> groupOf(size_t(intents), 0), load(size_t(groups), 0);
    for (int c : clusters) {
        const int g = int(std::min_element(load.begin(), load.end()) - load.begin());
        load[size_t(g)] += int(members[size_t(c)].size());
        for (int m : members[size_t(c)])
            groupOf[size_t(m)] = g;
    }
    return groupOf;
}

std::pair<double, double> wilson(double k, double n)
{
    return wilsonInterval(k, n);
}

const qint64 kNever = std::numeric_limits<qint32>::max();

// Counts of held-out predictions answered under some thresholds.
struct Tally {
    qint64 inScope = 0, outOfScope = 0; // held-out rows of each kind
    qint64 right = 0, wrongInScope = 0, outOfScopeAnswered = 0;
    Tally &operator+=(const Tally &t)
    {
        inScope += t.inScope;
        outOfScope += t.outOfScope;
        right += t.right;
        wrongInScope += t.wrongInScope;
        outOfScopeAnswered += t.outOfScopeAnswered;
        return *this;
    }
    double rate(qint64 k, qint64 n) const { return n > 0 ? double(k) / double(n) : 0.0; }
    double falseHitRate(double share) const
    {
        return InductionReport::falseHitRateAt(outOfScope > 0 ? share : 0.0, rate(wrongInScope, inScope),
            rate(outOfScopeAnswered, outOfScope), rate(right + wrongInScope, inScope));
    }
    // Wilson bounds on the rates of wrong in-scope answers and of out-of-scope queries
    // answered, put together at the share.
    std::pair<double, double> interval(double share) const
    {
        const double answered = rate(right + wrongInScope, inScope);
        const auto e = wilson(double(wrongInScope), double(inScope));
        const auto a = wilson(double(outOfScopeAnswered), double(outOfScope));
        const double s = outOfScope > 0 ? share : 0.0;
        return { InductionReport::falseHitRateAt(s, e.first, a.first, answered),
            InductionReport::falseHitRateAt(s, e.second, a.second, answered) };
    }
};

struct Calibration {
    std::vector<qint64> margins; // per class: the confidence it answers at
    std::vector<char> own; // whether the class has a margin of its own (else the pack's)
    qint64 global = kNever;
};

// For a price λ on each false hit, every intent answers down to the confidence that maximizes
// (right answers − λ·false hits) on the held-out predictions; λ is the smallest price at which
// the projected false-hit rate of everything answered meets the target. Out-of-scope rows
// (real ones and rows of unseen intents) count as false hits, weighted up to the share `pi`
// of traffic: the false-hit rate grows with that share, so it holds at every smaller share.
Calibration calibrate(
    const std::vector<const Prediction *> &preds, int classes, int oosClass, double target, double pi, double shrink)
{
    qint64 inScope = 0, outScope = 0;
    for (const Prediction *p : preds)
        (p->outOfScope ? outScope : inScope) += 1;
    const double oosWeight = outScope > 0 && pi > 0 ? (pi / (1.0 - pi)) * double(inScope) / double(outScope) : 0.0;
    auto isRight = [](const Prediction &p) { return !p.outOfScope && p.label == p.predicted; };
    auto wrongWeight = [&](const Prediction &p) { return p.outOfScope ? oosWeight : 1.0; };
    std::vector<std::vector<const Prediction *>> byIntent(static_cast<size_t>(classes));
    for (const Prediction *p : preds) {
        if (p->confidence >= 0 && p->predicted != oosClass)
            byIntent[size_t(p->predicted)].push_back(p);
    }
    auto byConfidence = [](const Prediction *a, const Prediction *b) { return a->confidence > b->confidence; };
    for (auto &list : byIntent)
        std::stable_sort(list.begin(), list.end(), byConfidence);
    Calibration cal;
    // One margin for all intents: the lowest at which everything answered meets the target.
    {
        std::vector<const Prediction *> sorted;
        for (const auto &list : byIntent)
            sorted.insert(sorted.end(), list.begin(), list.end());
        std::stable_sort(sorted.begin(), sorted.end(), byConfidence);
        double right = 0, wrong = 0;
        for (size_t i = 0; i < sorted.size();) {
            const qint64 margin = sorted[i]->confidence;
            for (; i < sorted.size() && sorted[i]->confidence == margin; ++i) {
                if (isRight(*sorted[i]))
                    right += 1;
                else
                    wrong += wrongWeight(*sorted[i]);
            }
            if (right + wrong >= 20 && wrong / (right + wrong) <= target)
                cal.global = margin;
        }
    }
    const qint64 floorMargin = cal.global == kNever ? kNever : qint64(double(cal.global) * shrink);
    struct Choice {
        std::vector<qint64> margins;
        double right = 0, wrong = 0;
    };
    auto choose = [&](double lambda) {
        Choice ch;
        ch.margins.assign(size_t(classes), cal.global);
        for (int c = 0; c < classes; ++c) {
            const auto &list = byIntent[size_t(c)];
            qint64 &m = ch.margins[size_t(c)];
            if (list.size() >= 5) {
                m = kNever;
                double right = 0, wrong = 0, best = 0;
                for (size_t k = 0; k < list.size(); ++k) {
                    const Prediction &p = *list[k];
                    if (isRight(p))
                        right += 1;
                    else
                        wrong += wrongWeight(p);
                    // Only cut between different margins, so equal margins are all in or all out.
                    if (k + 1 < list.size() && list[k + 1]->confidence == p.confidence)
                        continue;
                    if (right - lambda * wrong > best) {
                        best = right - lambda * wrong;
                        m = p.confidence;
                    }
                }
                // Per-intent margins are noisy (a hundred or so held-out answers each): an intent
                // may go below the pack's margin only so far (shrink), never above it.
                m = std::clamp(m, floorMargin, cal.global);
            }
            for (const Prediction *p : list) {
                if (p->confidence < m)
                    break;
                if (isRight(*p))
                    ch.right += 1;
                else
                    ch.wrong += wrongWeight(*p);
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
    cal.margins = chosen.margins;
    cal.own.assign(size_t(classes), 0);
    for (int c = 0; c < classes; ++c)
        cal.own[size_t(c)] = byIntent[size_t(c)].size() >= 5 && cal.margins[size_t(c)] != cal.global ? 1 : 0;
    return cal;
}

// What thresholds answer among predictions.
Tally tally(const Calibration &cal, const std::vector<const Prediction *> &preds)
{
    Tally t;
    for (const Prediction *p : preds) {
        (p->outOfScope ? t.outOfScope : t.inScope) += 1;
        if (p->confidence < 0 || p->predicted < 0 || p->predicted >= int(cal.margins.size()))
            continue;
        const qint64 m = cal.margins[size_t(p->predicted)];
        if (m == kNever || p->confidence < m)
            continue;
        if (p->outOfScope)
            ++t.outOfScopeAnswered;
        else if (p->label == p->predicted)
            ++t.right;
        else
            ++t.wrongInScope;
    }
    return t;
}

} // namespace

std::pair<double, double> wilsonInterval(double k, double n)
{
    if (n <= 0)
        return { 0.0, 1.0 };
    const double z = 1.959963984540054, p = std::clamp(k / n, 0.0, 1.0), z2 = z * z;
    const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    const double half = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
    return { std::max(0.0, centre - half), std::min(1.0, centre + half) };
}

InductionReport::Projection InductionReport::projectedAt(double share) const
{
    auto rate = [](qint64 k, qint64 n) { return n > 0 ? double(k) / double(n) : 0.0; };
    const double answered = rate(rightAnswers + wrongAnswers, inScopeRows);
    const double s = outOfScopeHeldOut > 0 ? share : 0.0;
    const auto e = wilsonInterval(double(wrongAnswers), double(inScopeRows));
    const auto a = wilsonInterval(double(outOfScopeAnswers), double(outOfScopeHeldOut));
    return { falseHitRateAt(s, rate(wrongAnswers, inScopeRows), rate(outOfScopeAnswers, outOfScopeHeldOut), answered),
        falseHitRateAt(s, e.first, outOfScopeHeldOut > 0 ? a.first : 0.0, answered),
        falseHitRateAt(s, e.second, outOfScopeHeldOut > 0 ? a.second : 0.0, answered) };
}

double InductionReport::falseHitRateAt(
    double share, double inScopeWrongRate, double outOfScopeRate, double inScopeAnswerRate)
{
    const double wrong = share * outOfScopeRate + (1 - share) * inScopeWrongRate;
    const double answered = share * outOfScopeRate + (1 - share) * inScopeAnswerRate;
    return answered > 0 ? wrong / answered : 0.0;
}

Result<std::shared_ptr<const RulePack>> inducePack(
    const std::vector<LabelledText> &rows, const InductionOptions &oIn, InductionReport *report)
{
    const InductionOptions &o = oIn;
    if (rows.size() < 2)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("induction needs labelled rows"));
    if (o.targetFalseHitRate <= 0 || o.targetFalseHitRate >= 1)
        return makeError(
            ErrorCode::InvalidArgument, QStringLiteral("the target false-hit rate must be between 0 and 1"));
    if (o.assumedOutOfScopeShare < 0 || o.assumedOutOfScopeShare >= 1)
        return makeError(
            ErrorCode::InvalidArgument, QStringLiteral("the out-of-scope share must be from 0 to below 1"));

    // The pack's pipeline (defaults) turns each text into features.
    auto base = std::make_shared<RulePack>();
    base->name = o.name;
    base->version = o.version;
    base->language = o.language;
    base->vetoBackward = RulePack::verbLast(o.language);
    base->negationCues = RulePack::defaultNegationCues();
    base->clauseBreakers = RulePack::defaultClauseBreakers();
    base->transparentWords = RulePack::defaultTransparentWords();
    base->scopeEnds = RulePack::defaultScopeEnds();
    base->inabilityWords = RulePack::defaultInabilityWords();
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

    // Vocabulary: words seen once, word pairs seen twice. Besides the features, each row's
    // words (stems, slots left out) for the coverage of the out-of-scope guard, and which of
    // them a negation covers for the negation guard.
    std::vector<QStringList> featureLists;
    featureLists.reserve(rows.size());
    QHash<QString, int> counts;
    QStringList wordList;
    QHash<QString, int> wordIndex;
    std::vector<std::vector<int>> rowWords(rows.size()), rowNegated(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
        const NormalizedText n = pipeline.normalize(rows[i].text);
        featureLists.push_back(n.features);
        for (const QString &f : n.features)
            ++counts[f];
        std::vector<char> breaks;
        const QStringList raw = pipeline.tokenize(rows[i].text, &breaks);
        const std::vector<char> covered = pipeline.negationCover(raw, breaks);
        for (qsizetype t = 0; t < n.tokens.size(); ++t) {
            QString w = n.tokens[t];
            if (w.startsWith(QLatin1String("not_")))
                w = w.mid(4);
            if (w.startsWith(QLatin1Char('<')))
                continue; // a slot
            auto it = wordIndex.constFind(w);
            int id;
            if (it == wordIndex.constEnd()) {
                id = int(wordList.size());
                wordIndex.insert(w, id);
                wordList << w;
            } else {
                id = *it;
            }
            if (std::find(rowWords[i].begin(), rowWords[i].end(), id) == rowWords[i].end())
                rowWords[i].push_back(id);
            if (t < qsizetype(covered.size()) && covered[size_t(t)]
                && std::find(rowNegated[i].begin(), rowNegated[i].end(), id) == rowNegated[i].end())
                rowNegated[i].push_back(id);
        }
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
    std::vector<int> rowLabels(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
        for (const QString &f : featureLists[i]) {
            auto it = vocabIndex.constFind(f);
            if (it != vocabIndex.constEnd())
                data[i].features.push_back(*it);
        }
        data[i].label = rows[i].label.isEmpty() ? oosClass : labelIndex.value(rows[i].label);
        data[i].fold = int(fnv1a(rows[i].text) % quint32(qMax(2, o.folds)));
        rowLabels[i] = data[i].label;
    }
    const int words = int(wordList.size());

    // Held-out confidences by cross-fitting, scored exactly as the pack will score them: one
    // model per fold, scoring the fold's rows. Besides, queries unlike anything the intents
    // were learnt from, without out-of-scope rows: related intents fall into groups, and each
    // group's rows are scored by a model that never saw the group (whatever it answers is a
    // false hit). And the pack's own model, from every row. The models are independent, so
    // they are trained side by side; results are put together in a fixed order.
    struct Job {
        std::vector<size_t> trainRows, testRows;
        std::vector<char> used; // the classes the model may answer
        bool pseudo = false, final = false;
        std::vector<Prediction> out;
        std::vector<std::vector<char>> seen; // fold jobs: which words each class had
        Model model; // the final job
    };
    std::vector<Job> jobs;
    const std::vector<char> allClasses(size_t(classes), 1);
    for (int fold = 0; fold < qMax(2, o.folds); ++fold) {
        Job j;
        for (size_t i = 0; i < data.size(); ++i)
            (data[i].fold == fold ? j.testRows : j.trainRows).push_back(i);
        j.used = allClasses;
        if (!j.testRows.empty() && !j.trainRows.empty())
            jobs.push_back(std::move(j));
    }
    const int groups = labels.size() >= 4 ? qMin(o.unseenIntentGroups, int(labels.size()) / 2) : 0;
    const std::vector<int> groupOf
        = groups > 0 ? intentGroups(rowWords, rowLabels, int(labels.size()), words, groups) : std::vector<int>();
    for (int g = 0; g < groups; ++g) {
        Job j;
        j.pseudo = true;
        j.used.assign(size_t(classes), 1);
        for (int c = 0; c < int(labels.size()); ++c)
            j.used[size_t(c)] = groupOf[size_t(c)] == g ? 0 : 1;
        for (size_t i = 0; i < data.size(); ++i) {
            if (j.used[size_t(data[i].label)])
                j.trainRows.push_back(i);
            else if (data[i].fold % 2 == g % 2) // half of them is plenty, and halves the scoring
                j.testRows.push_back(i);
        }
        if (!j.testRows.empty() && !j.trainRows.empty())
            jobs.push_back(std::move(j));
    }
    {
        Job j;
        j.final = true;
        j.trainRows.resize(data.size());
        for (size_t i = 0; i < data.size(); ++i)
            j.trainRows[i] = i;
        jobs.push_back(std::move(j));
    }
    auto run = [&](Job &j) {
        Model m = train(data, j.trainRows, classes, int(vocab.size()), o);
        if (j.final) {
            j.model = std::move(m);
            return;
        }
        WordStats stats = wordStats(rowWords, rowLabels, j.trainRows, classes, words);
        predict(m, o, data, rowWords, stats, j.testRows, j.used, oosClass, j.pseudo, &j.out);
        if (!j.pseudo)
            j.seen = std::move(stats.seen);
    };
    {
        const int threads = int(std::clamp<unsigned>(std::thread::hardware_concurrency(), 1u, 8u));
        std::atomic<size_t> next { 0 };
        auto worker = [&] {
            for (size_t k; (k = next.fetch_add(1)) < jobs.size();)
                run(jobs[k]);
        };
        std::vector<std::thread> pool;
        for (int t = 1; t < threads && t < int(jobs.size()); ++t)
            pool.emplace_back(worker);
        worker();
        for (std::thread &t : pool)
            t.join();
    }
    std::vector<Prediction> held;
    held.reserve(rows.size() * 2);
    // Per class and word: in how many folds' training rows the class had the word.
    std::vector<std::vector<int>> foldSeen(size_t(classes), std::vector<int>(size_t(words), 0));
    int vocabularyFolds = 0;
    qint64 pseudoRows = 0;
    Model final;
    for (Job &j : jobs) {
        if (j.final) {
            final = std::move(j.model);
            continue;
        }
        held.insert(held.end(), j.out.begin(), j.out.end());
        if (j.pseudo) {
            pseudoRows += qint64(j.out.size());
            continue;
        }
        ++vocabularyFolds;
        for (int c = 0; c < classes; ++c) {
            for (int w = 0; w < words; ++w)
                foldSeen[size_t(c)][size_t(w)] += j.seen[size_t(c)][size_t(w)];
        }
    }

    // Abstain margins (on the confidence), one per intent, chosen on the held-out predictions
    // (see calibrate). Choosing them on the very predictions that then measure them flatters
    // the result, so the estimate is honest: thresholds chosen on half of the folds are
    // measured on the other half, both ways round, and the target the calibration aims at is
    // lowered until that honest estimate meets the real target.
    qint64 inScope = 0, outScope = 0;
    for (const Prediction &p : held)
        (p.outOfScope ? outScope : inScope) += 1;
    double pi = 0.0;
    if (outScope > 0) {
        const qint64 realOos = outScope - pseudoRows;
        const double observed = double(realOos) / double(std::max<qint64>(1, inScope + realOos));
        pi = std::max(observed, o.assumedOutOfScopeShare);
    }
    const int parts = qMax(2, o.calibrationFolds);
    std::vector<const Prediction *> allHeld;
    std::vector<std::vector<const Prediction *>> part { size_t(parts) }, rest { size_t(parts) };
    for (const Prediction &p : held) {
        allHeld.push_back(&p);
        for (int k = 0; k < parts; ++k)
            (p.fold % parts == k ? part : rest)[size_t(k)].push_back(&p);
    }
    const double target = o.targetFalseHitRate * o.safety;
    auto honest = [&](double aim) {
        Tally t;
        for (int k = 0; k < parts; ++k)
            t += tally(calibrate(rest[size_t(k)], classes, oosClass, aim, pi, o.intentMarginShrink), part[size_t(k)]);
        return t;
    };
    double aim = target;
    Tally check = honest(aim);
    if (check.falseHitRate(pi) > target) {
        double lo = 0, hi = target;
        for (int it = 0; it < 16; ++it) {
            const double mid = (lo + hi) / 2;
            const Tally t = honest(mid);
            if (t.falseHitRate(pi) <= target) {
                lo = mid;
                check = t;
            } else {
                hi = mid;
            }
        }
        aim = lo;
        if (aim == 0)
            check = honest(0);
    }
    const Calibration chosen = calibrate(allHeld, classes, oosClass, aim, pi, o.intentMarginShrink);
    const qint64 fallback = chosen.global;
    const double coverage = check.inScope ? double(check.right) / double(check.inScope) : 0.0;

    std::vector<size_t> all(data.size());
    for (size_t i = 0; i < all.size(); ++i)
        all[i] = i;
    std::vector<qint32> bias;
    const auto q = quantize(final, o, &bias);
    const WordStats stats = wordStats(rowWords, rowLabels, all, classes, words);

    auto pack = std::make_shared<RulePack>(*base);
    pack->abstainMargin = qint32(std::min<qint64>(fallback > 0 ? fallback : kNever, kNever));
    pack->minEvidence = 1;
    pack->coveragePower = o.coveragePower;
    if (o.coveragePower > 0) {
        pack->vocabularyFolds = std::max(1, vocabularyFolds);
        pack->unknownIdf = idfOf(stats.rows, 0);
        for (int w = 0; w < words; ++w)
            pack->wordIdf.insert(wordList[w], idfOf(stats.rows, stats.df[size_t(w)]));
    }
    QHash<int, QStringList> examples;
    std::vector<int> classRows(size_t(classes), 0);
    for (size_t i = 0; i < rows.size(); ++i) {
        ++classRows[size_t(data[i].label)];
        QStringList &e = examples[data[i].label];
        if (e.size() < 5)
            e << rows[i].text;
    }
    // The negation guard. Words that define an intent: at least half of the rows holding the
    // word are the intent's, in two rows or more. Words it expects negated: negated in two of
    // its rows or more, and in at least negationExpectedShare of its rows that hold the word.
    std::vector<std::vector<int>> inRows(size_t(classes), std::vector<int>(size_t(words), 0));
    std::vector<std::vector<int>> negRows(size_t(classes), std::vector<int>(size_t(words), 0));
    for (size_t i = 0; i < rows.size(); ++i) {
        for (int w : rowWords[i])
            ++inRows[size_t(data[i].label)][size_t(w)];
        for (int w : rowNegated[i])
            ++negRows[size_t(data[i].label)][size_t(w)];
    }
    const QSet<QString> notDefining = [&] {
        QSet<QString> s(base->transparentWords.begin(), base->transparentWords.end());
        for (const QString &c : base->negationCues)
            s.insert(c);
        return s;
    }();
    int featureCount = 0;
    for (int c = 0; c < classes; ++c) {
        Intent in;
        in.name = c == oosClass ? kOutOfScope : labels[c];
        in.abstain = c == oosClass;
        in.bias = bias[size_t(c)];
        if (c != oosClass && chosen.own[size_t(c)])
            in.margin = qint32(chosen.margins[size_t(c)]);
        for (const auto &[f, w] : q[size_t(c)])
            in.features.insert(vocab[f], w);
        featureCount += int(in.features.size());
        in.examples = examples.value(c);
        if (c != oosClass) {
            if (o.coveragePower > 0) {
                for (int w = 0; w < words; ++w) {
                    if (foldSeen[size_t(c)][size_t(w)] > 0)
                        in.vocabulary.insert(wordList[w], foldSeen[size_t(c)][size_t(w)]);
                }
            }
            in.hasNegationGuard = true;
            std::vector<std::pair<double, int>> defining;
            for (int w = 0; w < words; ++w) {
                const int here = inRows[size_t(c)][size_t(w)];
                if (here >= 2 && 2 * here >= stats.df[size_t(w)] && !notDefining.contains(wordList[w]))
                    defining.emplace_back(-double(here) * double(here) / double(stats.df[size_t(w)]), w);
                const int neg = negRows[size_t(c)][size_t(w)];
                if (neg >= 2 && double(neg) >= o.negationExpectedShare * double(here))
                    in.negationExpected << wordList[w];
            }
            std::sort(defining.begin(), defining.end()); // strongest first, as the pack lists them
            for (size_t k = 0; k < defining.size() && k < 24; ++k)
                in.defining << wordList[defining[k].second];
            std::sort(in.negationExpected.begin(), in.negationExpected.end());
        }
        pack->intents.push_back(std::move(in));
    }
    if (report) {
        report->rows = int(rows.size());
        report->intents = int(labels.size());
        report->outOfScopeRows = int(outScope - pseudoRows);
        report->unseenIntentRows = int(pseudoRows);
        report->features = featureCount;
        report->margin = pack->abstainMargin;
        report->heldOutCoverage = coverage;
        report->heldOutFalseHitRate = check.falseHitRate(pi);
        report->assumedOutOfScopeShare = pi;
        report->calibratedTarget = aim;
        report->inScopeRows = check.inScope;
        report->outOfScopeHeldOut = check.outOfScope;
        report->rightAnswers = check.right;
        report->wrongAnswers = check.wrongInScope;
        report->outOfScopeAnswers = check.outOfScopeAnswered;
        const auto [lo, hi] = check.interval(pi);
        report->heldOutFalseHitLow = lo;
        report->heldOutFalseHitHigh = hi;
    }
    // Round-trip through JSON so the pack is exactly what a file would load.
    return RulePack::fromJson(pack->toJson());
}

} // namespace l0
