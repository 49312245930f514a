#include "experimentstats.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace l0::stats {

namespace {

constexpr double kZ975 = 1.959963984540054; // the standard normal's 97.5% point

// The continued fraction of the incomplete beta function (modified Lentz evaluation), which
// converges quickly for x < (a + 1) / (a + b + 2).
double betaFraction(double x, double a, double b)
{
    constexpr double tiny = 1e-300;
    constexpr double eps = 1e-15;
    const double qab = a + b, qap = a + 1, qam = a - 1;
    double c = 1;
    double d = 1 - qab * x / qap;
    if (std::fabs(d) < tiny)
        d = tiny;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= 500; ++m) {
        const int m2 = 2 * m;
        // The even step of the fraction.
        double num = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1 + num * d;
        if (std::fabs(d) < tiny)
            d = tiny;
        c = 1 + num / c;
        if (std::fabs(c) < tiny)
            c = tiny;
        d = 1 / d;
        h *= d * c;
        // The odd step.
        num = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1 + num * d;
        if (std::fabs(d) < tiny)
            d = tiny;
        c = 1 + num / c;
        if (std::fabs(c) < tiny)
            c = tiny;
        d = 1 / d;
        const double step = d * c;
        h *= step;
        if (std::fabs(step - 1) < eps)
            break;
    }
    return h;
}

} // namespace

double normalCdf(double z)
{
    return 0.5 * std::erfc(-z / std::sqrt(2.0));
}

double incompleteBeta(double x, double a, double b)
{
    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    const double logFront = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
    const double front = std::exp(logFront);
    // The fraction converges on one side of the mean; the symmetry I_x(a,b) = 1 - I_{1-x}(b,a)
    // covers the other.
    if (x < (a + 1) / (a + b + 2))
        return front * betaFraction(x, a, b) / a;
    return 1 - front * betaFraction(1 - x, b, a) / b;
}

double studentTCdf(double t, double df)
{
    // P(|T| > |t|) = I_{df / (df + t^2)}(df / 2, 1 / 2).
    const double tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
    return t >= 0 ? 1 - tail : tail;
}

double studentTQuantile(double p, double df)
{
    if (p <= 0)
        return -std::numeric_limits<double>::infinity();
    if (p >= 1)
        return std::numeric_limits<double>::infinity();
    if (p < 0.5)
        return -studentTQuantile(1 - p, df);
    double lo = 0, hi = 1;
    while (studentTCdf(hi, df) < p && hi < 1e12)
        hi *= 2;
    for (int i = 0; i < 200 && hi - lo > 1e-12 * std::max(1.0, hi); ++i) {
        const double mid = (lo + hi) / 2;
        if (studentTCdf(mid, df) < p)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

MeanEstimate estimateMean(const std::vector<double> &samples)
{
    MeanEstimate e;
    e.n = qint64(samples.size());
    if (samples.empty())
        return e;
    double sum = 0;
    for (double x : samples)
        sum += x;
    e.mean = sum / double(e.n);
    if (e.n < 2)
        return e;
    double ss = 0; // two passes: no cancellation on large means
    for (double x : samples)
        ss += (x - e.mean) * (x - e.mean);
    e.sd = std::sqrt(ss / double(e.n - 1));
    const double half = studentTQuantile(1 - kAlpha / 2, double(e.n - 1)) * e.sd / std::sqrt(double(e.n));
    e.low = e.mean - half;
    e.high = e.mean + half;
    return e;
}

ProportionEstimate estimateProportion(qint64 k, qint64 n)
{
    ProportionEstimate e;
    e.n = n;
    e.k = k;
    if (n <= 0)
        return e;
    const double nn = double(n);
    e.p = double(k) / nn;
    const double z2 = kZ975 * kZ975;
    const double denominator = 1 + z2 / nn;
    const double centre = (e.p + z2 / (2 * nn)) / denominator;
    const double half = kZ975 * std::sqrt(e.p * (1 - e.p) / nn + z2 / (4 * nn * nn)) / denominator;
    e.low = std::max(0.0, centre - half);
    e.high = std::min(1.0, centre + half);
    return e;
}

QuantileEstimate estimateQuantile(const std::vector<double> &sorted, double q)
{
    QuantileEstimate e;
    e.q = q;
    const qint64 n = qint64(sorted.size());
    if (n == 0)
        return e;
    auto at = [&](qint64 rank) { return sorted[size_t(std::clamp<qint64>(rank, 1, n) - 1)]; }; // 1-based
    e.value = at(qint64(std::ceil(q * double(n))));
    // The rank of the q-quantile among n samples is Binomial(n, q): its 95% range gives the
    // order statistics that bracket the quantile.
    const double centre = double(n) * q;
    const double spread = kZ975 * std::sqrt(double(n) * q * (1 - q));
    e.low = at(qint64(std::floor(centre - spread)));
    e.high = at(qint64(std::ceil(centre + spread)) + 1);
    return e;
}

Comparison welchTest(const MeanEstimate &a, const MeanEstimate &b)
{
    Comparison c;
    c.test = QStringLiteral("welch_t");
    c.difference = b.mean - a.mean;
    if (a.n < 2 || b.n < 2)
        return c;
    const double va = a.sd * a.sd / double(a.n);
    const double vb = b.sd * b.sd / double(b.n);
    const double se2 = va + vb;
    if (se2 <= 0) {
        // No spread in either arm: the difference is exact.
        c.low = c.high = c.difference;
        c.pValue = c.difference == 0 ? 1.0 : 0.0;
        return c;
    }
    const double se = std::sqrt(se2);
    // Welch-Satterthwaite degrees of freedom.
    c.df = se2 * se2 / (va * va / double(a.n - 1) + vb * vb / double(b.n - 1));
    c.statistic = c.difference / se;
    // Two-sided: P(|T| > |t|) = I_{df / (df + t^2)}(df / 2, 1 / 2), straight from the tail (no
    // 1 - F cancellation, so tiny p-values stay tiny rather than 0).
    c.pValue = incompleteBeta(c.df / (c.df + *c.statistic * *c.statistic), c.df / 2, 0.5);
    const double half = studentTQuantile(1 - kAlpha / 2, c.df) * se;
    c.low = c.difference - half;
    c.high = c.difference + half;
    return c;
}

Comparison twoProportionTest(const ProportionEstimate &a, const ProportionEstimate &b)
{
    Comparison c;
    c.test = QStringLiteral("two_proportion_z");
    c.difference = b.p - a.p;
    if (a.n <= 0 || b.n <= 0)
        return c;
    const double na = double(a.n), nb = double(b.n);
    // The interval of the difference: unpooled (Wald).
    const double half = kZ975 * std::sqrt(a.p * (1 - a.p) / na + b.p * (1 - b.p) / nb);
    c.low = c.difference - half;
    c.high = c.difference + half;
    // The test: pooled under the hypothesis that both rates are equal.
    const double pooled = double(a.k + b.k) / (na + nb);
    const double se = std::sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb));
    if (se <= 0) {
        c.pValue = c.difference == 0 ? 1.0 : 0.0;
        return c;
    }
    c.statistic = c.difference / se;
    c.pValue = std::erfc(std::fabs(*c.statistic) / std::sqrt(2.0));
    return c;
}

} // namespace l0::stats
