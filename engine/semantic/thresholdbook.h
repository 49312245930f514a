#pragma once

#include <QHash>
#include <QString>

#include <array>
#include <mutex>
#include <vector>

namespace l0 {

struct ThresholdOptions {
    double defaultTarget = 0.01; // expected false-hit rate a tenant accepts, unless set
    double confidence = 0.90; // one-sided: how sure the error bound is
    // Neighbours below are neither served nor observed, and the tenant's fit uses only
    // observations at or above it: the fit is local to where it decides (QQP DEV: a fit over
    // 0.55-1 said 12% wrong at 0.975 where 7% were).
    double minSimilarity = 0.80;
    int minObservations = 30; // the tenant's observations (both outcomes) before anything is served
    int minEachOutcome = 5; // of which at least this many correct and this many wrong (for the entry fit)
    int minTail = 20; // observations within the window before a similarity may be served
    double window = 0.025; // half-width of the similarity window the error is estimated in
    double entrySpread = 1.0; // prior sd of an entry's own offset, in logit units
    int maxPerEntry = 64; // observations kept per entry (the latest)
    // Of the neighbours it would serve, the share the tier explores anyway (a miss, observed),
    // chosen by the query's key so that the node and the replay choose alike. Without it a
    // region served once is never observed again: on QQP DEV, 31 right answers out of 32 at
    // the start made 0.8 look safe and the tier served 19% wrong there for the rest of the run.
    double exploreShare = 0.10;
};

// Learns, per entry, when a neighbour at similarity s may be served the entry's answer, so that
// the expected false-hit rate stays under the tenant's target (after vCache, arXiv 2502.03771:
// a decision boundary per entry, exploit only when the error is bounded with confidence,
// otherwise explore: treat it as a miss and observe).
//
// Model. The tenant's chance of a wrong answer at similarity s is the share wrong among its
// observations within ±window of s; its upper confidence bound (Wilson, one-sided,
// `confidence`) must be at most the target, so every served hit, and hence their false-hit
// rate, is bounded. Each entry moves that bound by its own offset d_e in logit units: the
// chance that entry e's answer is right at similarity s is modelled as
//     P(correct | s, e) = sigmoid(a + b·z + d_e),  z = (s - 0.8) / 0.1
// where a, b are the tenant's logistic fit (maximum likelihood, Newton, a weak ridge, on
// observations at or above minSimilarity) and d_e the MAP estimate under a N(0, entrySpread²)
// prior from the entry's own observations. The entry's threshold is the lowest similarity whose
// shifted bound meets the target: learned per entry, lower for an entry whose neighbours proved
// right, higher for one whose neighbours proved wrong.
// Measured on QQP DEV and replaced: a single logistic for the tenant's bound (it said 10%
// wrong at 0.975 where 7% were, and served almost nothing), and the share wrong among all
// observations at or above s (observations pile up where nothing is served, so it understated
// the error where hits are served: 18% wrong at a 10% target).
//
// Observations: offline, the replay's labels (a neighbour that was not served, then answered,
// is right when the answer's label is the entry's); online, reviewers' verdicts on proposed
// aliases and their decisions. Thread-safe.
class ThresholdBook {
public:
    explicit ThresholdBook(ThresholdOptions options = {});

    const ThresholdOptions &options() const { return m_options; }

    // A verdict: a query at `similarity` to entry `entryId` was (correct) or was not the same
    // question. Feeds the entry's offset and the tenant's fit.
    void observe(qint64 tenantId, qint64 entryId, double similarity, bool correct);
    // A reviewer's verdict on an alias proposal (AliasVerdict): the same as observe(); ns and
    // version are accepted for the caller's convenience (an entry id names one question).
    void feedVerdict(qint64 tenantId, const QString &ns, qint64 entryId, int version, double similarity, bool same)
    {
        Q_UNUSED(ns);
        Q_UNUSED(version);
        observe(tenantId, entryId, similarity, same);
    }
    // The entry is gone (revoked, superseded): its own observations go; the tenant's fit keeps
    // what they taught.
    void forget(qint64 tenantId, qint64 entryId);

    void setTarget(qint64 tenantId, double falseHitRate);
    double target(qint64 tenantId) const;

    struct Decision {
        bool serve = false;
        double errorBound = 1.0; // upper confidence bound of P(wrong) at this similarity
        double estimate = 1.0; // point estimate of P(wrong)
    };
    // Whether a neighbour at `similarity` may be served entry `entryId`'s answer. target < 0:
    // the tenant's.
    Decision decide(qint64 tenantId, qint64 entryId, double similarity, double target = -1) const;

    // The tenant's fitted (a, b) and the number of observations; for reports and tests.
    struct Fit {
        bool usable = false;
        double a = 0, b = 0;
        double caa = 0, cab = 0, cbb = 0; // covariance of (a, b)
        int observations = 0;
    };
    Fit tenantFit(qint64 tenantId) const;

    // z for the model above.
    static double scaled(double similarity) { return (similarity - 0.8) / 0.1; }

private:
    static constexpr int kBins = 200; // similarity bins of 0.005 over [0, 1]
    struct EntryObs {
        std::vector<std::pair<float, bool>> obs;
    };
    struct TenantState {
        std::array<int, kBins> right {};
        std::array<int, kBins> wrong {};
        int total = 0, totalRight = 0, totalWrong = 0;
        bool dirty = true;
        Fit fit;
        QHash<qint64, EntryObs> entries;
    };
    void refit(TenantState &t) const;
    double entryOffset(const TenantState &t, qint64 entryId) const;

    ThresholdOptions m_options;
    mutable std::mutex m_mutex;
    mutable QHash<qint64, TenantState> m_tenants;
    QHash<qint64, double> m_targets;
};

} // namespace l0
