#include "thresholdbook.h"

#include <algorithm>
#include <cmath>

namespace l0 {

namespace {

double sigmoid(double x)
{
    return x >= 0 ? 1.0 / (1.0 + std::exp(-x)) : std::exp(x) / (1.0 + std::exp(x));
}

// One-sided normal quantile for the usual confidence levels (Acklam's rational approximation
// is more than we need; a bisection on erfc is exact enough and short).
double normalQuantile(double p)
{
    double lo = 0, hi = 8;
    for (int i = 0; i < 60; ++i) {
        const double mid = 0.5 * (lo + hi);
        const double tail = 0.5 * std::erfc(mid / std::sqrt(2.0));
        if (tail > 1 - p)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

} // namespace

ThresholdBook::ThresholdBook(ThresholdOptions options)
    : m_options(options)
{
}

void ThresholdBook::observe(qint64 tenantId, qint64 entryId, double similarity, bool correct)
{
    if (!std::isfinite(similarity))
        return;
    const double s = std::clamp(similarity, 0.0, 1.0);
    std::lock_guard lock(m_mutex);
    TenantState &t = m_tenants[tenantId];
    const int bin = std::min(kBins - 1, int(s * kBins));
    (correct ? t.right : t.wrong)[size_t(bin)] += 1;
    if (s >= m_options.minSimilarity) { // what the tenant's fit uses
        ++t.total;
        (correct ? t.totalRight : t.totalWrong) += 1;
    }
    t.dirty = true;
    EntryObs &e = t.entries[entryId];
    e.obs.emplace_back(float(s), correct);
    if (int(e.obs.size()) > m_options.maxPerEntry)
        e.obs.erase(e.obs.begin());
}

void ThresholdBook::forget(qint64 tenantId, qint64 entryId)
{
    std::lock_guard lock(m_mutex);
    auto it = m_tenants.find(tenantId);
    if (it != m_tenants.end())
        it->entries.remove(entryId);
}

void ThresholdBook::setTarget(qint64 tenantId, double falseHitRate)
{
    std::lock_guard lock(m_mutex);
    m_targets.insert(tenantId, std::clamp(falseHitRate, 0.0, 1.0));
}

double ThresholdBook::target(qint64 tenantId) const
{
    std::lock_guard lock(m_mutex);
    return m_targets.value(tenantId, m_options.defaultTarget);
}

void ThresholdBook::refit(TenantState &t) const
{
    t.dirty = false;
    Fit f;
    f.observations = t.total;
    if (t.total < m_options.minObservations || t.totalRight < m_options.minEachOutcome
        || t.totalWrong < m_options.minEachOutcome) {
        t.fit = f;
        return;
    }
    // Newton's method on the binned log-likelihood with a weak ridge (precision 1e-3).
    const double ridge = 1e-3;
    double a = 0, b = 1;
    double haa = 0, hab = 0, hbb = 0;
    for (int iter = 0; iter < 50; ++iter) {
        double ga = -ridge * a, gb = -ridge * b;
        haa = ridge;
        hab = 0;
        hbb = ridge;
        for (int i = 0; i < kBins; ++i) {
            const int r = t.right[size_t(i)], w = t.wrong[size_t(i)];
            if (r + w == 0 || (i + 1.0) / kBins <= m_options.minSimilarity)
                continue;
            const double z = scaled((i + 0.5) / kBins);
            const double p = sigmoid(a + b * z);
            const double n = r + w;
            const double resid = r - n * p;
            ga += resid;
            gb += resid * z;
            const double v = n * p * (1 - p);
            haa += v;
            hab += v * z;
            hbb += v * z * z;
        }
        const double det = haa * hbb - hab * hab;
        if (det <= 0)
            break;
        const double da = (hbb * ga - hab * gb) / det;
        const double db = (haa * gb - hab * ga) / det;
        a += da;
        b += db;
        if (std::abs(da) + std::abs(db) < 1e-9)
            break;
    }
    const double det = haa * hbb - hab * hab;
    if (det <= 0 || !std::isfinite(a) || !std::isfinite(b)) {
        t.fit = f;
        return;
    }
    f.a = a;
    f.b = b;
    f.caa = hbb / det;
    f.cab = -hab / det;
    f.cbb = haa / det;
    f.usable = b > 0; // right answers must grow likelier with similarity
    t.fit = f;
}

double ThresholdBook::entryOffset(const TenantState &t, qint64 entryId) const
{
    const auto it = t.entries.constFind(entryId);
    if (it == t.entries.constEnd() || it->obs.empty())
        return 0;
    const double prec = 1.0 / (m_options.entrySpread * m_options.entrySpread);
    double d = 0;
    for (int iter = 0; iter < 30; ++iter) {
        double g = -prec * d, h = prec;
        for (const auto &[s, correct] : it->obs) {
            const double p = sigmoid(t.fit.a + t.fit.b * scaled(s) + d);
            g += (correct ? 1.0 : 0.0) - p;
            h += p * (1 - p);
        }
        const double step = g / h;
        d += step;
        if (std::abs(step) < 1e-9)
            break;
    }
    return d;
}

ThresholdBook::Decision ThresholdBook::decide(qint64 tenantId, qint64 entryId, double similarity, double target) const
{
    Decision out;
    if (!std::isfinite(similarity) || similarity < m_options.minSimilarity)
        return out;
    std::lock_guard lock(m_mutex);
    if (target < 0)
        target = m_targets.value(tenantId, m_options.defaultTarget);
    auto it = m_tenants.find(tenantId);
    if (it == m_tenants.end())
        return out;
    TenantState &t = *it;
    if (t.dirty)
        refit(t);
    if (t.total < m_options.minObservations)
        return out;
    // The error at this similarity: among the tenant's observations within ±window of it,
    // the upper confidence bound (Wilson) of the share wrong; then the entry's own offset in
    // logit units. Bounding each served hit's error bounds their false-hit rate.
    const int at = std::clamp(int(similarity * kBins), 0, kBins - 1);
    const int floorBin = std::clamp(int(m_options.minSimilarity * kBins), 0, kBins - 1);
    const int half = std::max(0, int(m_options.window * kBins));
    double right = 0, wrong = 0;
    for (int i = std::max(floorBin, at - half); i <= std::min(kBins - 1, at + half); ++i) {
        right += t.right[size_t(i)];
        wrong += t.wrong[size_t(i)];
    }
    const double n = right + wrong;
    if (n < m_options.minTail)
        return out;
    static const double zc = normalQuantile(0.90);
    const double zconf = m_options.confidence == 0.90 ? zc : normalQuantile(m_options.confidence);
    const double p = wrong / n;
    const double z2 = zconf * zconf;
    const double upper = (p + z2 / (2 * n) + zconf * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n))) / (1 + z2 / n);
    const double d = t.fit.usable ? entryOffset(t, entryId) : 0.0;
    auto shift = [d](double err) {
        const double e = std::clamp(err, 1e-9, 1 - 1e-9);
        return 1 - sigmoid(std::log((1 - e) / e) + d);
    };
    out.estimate = shift(p);
    out.errorBound = shift(upper);
    out.serve = out.errorBound <= target;
    return out;
}

ThresholdBook::Fit ThresholdBook::tenantFit(qint64 tenantId) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_tenants.find(tenantId);
    if (it == m_tenants.end())
        return {};
    if (it->dirty)
        refit(*it);
    return it->fit;
}

} // namespace l0
