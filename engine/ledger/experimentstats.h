#pragma once

#include <QString>

#include <optional>
#include <vector>

namespace l0::stats {

// The statistics an experiment report needs, written out here (no library): 95% confidence
// intervals for means (Student's t), proportions (Wilson score) and quantiles (order
// statistics), Welch's unequal-variance t-test for a difference of means and the pooled
// two-proportion z-test for a difference of rates. Two-sided throughout; alpha 0.05.

inline constexpr double kAlpha = 0.05;

// Standard normal cumulative distribution.
double normalCdf(double z);
// Student's t cumulative distribution with df degrees of freedom (df > 0).
double studentTCdf(double t, double df);
// The t with studentTCdf(t, df) == p, for p in (0, 1).
double studentTQuantile(double p, double df);
// The regularized incomplete beta function I_x(a, b), x in [0, 1], a, b > 0.
double incompleteBeta(double x, double a, double b);

struct MeanEstimate {
    qint64 n = 0;
    double mean = 0;
    double sd = 0; // sample standard deviation (n - 1); 0 below two samples
    // The 95% interval; absent below two samples.
    std::optional<double> low, high;
};
MeanEstimate estimateMean(const std::vector<double> &samples);

struct ProportionEstimate {
    qint64 n = 0;
    qint64 k = 0;
    double p = 0; // k / n; 0 when n is 0
    std::optional<double> low, high; // Wilson 95%; absent when n is 0
};
ProportionEstimate estimateProportion(qint64 k, qint64 n);

struct QuantileEstimate {
    double q = 0;
    std::optional<double> value; // nearest rank; absent without samples
    std::optional<double> low, high; // distribution-free 95% interval by ranks (normal approximation)
};
// sorted ascending.
QuantileEstimate estimateQuantile(const std::vector<double> &sorted, double q);

// A comparison of an arm (b) with the control (a): the difference b - a with its 95% interval,
// the test statistic, its degrees of freedom (Welch; 0 for z) and the two-sided p-value.
struct Comparison {
    QString test; // "welch_t" or "two_proportion_z"
    double difference = 0;
    std::optional<double> low, high;
    std::optional<double> statistic;
    double df = 0;
    std::optional<double> pValue; // absent when there is too little data to test
    bool significant() const { return pValue && *pValue < kAlpha; }
};
Comparison welchTest(const MeanEstimate &a, const MeanEstimate &b);
Comparison twoProportionTest(const ProportionEstimate &a, const ProportionEstimate &b);

} // namespace l0::stats
