#pragma once

#include <QJsonObject>
#include <QString>

#include <vector>

#include "core/experiment.h"
#include "core/result.h"
#include "store/sqlsession.h"

namespace l0 {

// What one arm of an experiment measured, from the ledger events recorded under it.
struct ArmSamples {
    QString arm;
    QString policy; // the arm's policy text
    int weight = 0;
    qint64 requests = 0; // every ledger event of the arm (errors included)
    qint64 errors = 0; // status >= 400
    qint64 hits = 0; // answered from the cache (any tier but upstream)
    qint64 shadowHits = 0; // a shadow arm's would-be hits (answered upstream)
    qint64 unpriced = 0; // events whose cost is unknown: left out of the cost figures, flagged
    std::vector<double> costMicros; // per priced request: what the request cost (hits 0)
    std::vector<double> latencyMs; // per successful request, ascending once loaded
    // Client scores (POST /v1/feedback, 0..1) of the responses sent under this arm, hits and
    // misses alike: one per response and end user, the latest. The main quality signal.
    std::vector<double> scores;
    // Client feedback (POST /v1/cache/feedback) on answers served under this arm (hits only).
    qint64 feedbackUp = 0;
    qint64 feedbackDown = 0;
    // Reviewers' verdicts on the upstream answers this arm's misses filed as candidates (the
    // version names the response it was sent as): approved is good; rejected or revoked is bad;
    // the ones still waiting, or expired unreviewed, are not counted. The sample is the part of
    // the arm's answers that reached a reviewer.
    qint64 reviewApproved = 0;
    qint64 reviewRejected = 0;
};

struct ExperimentReport {
    Experiment experiment;
    std::vector<ArmSamples> arms; // the experiment's arms, in its order (the first is the control)
    qint64 feedbackUnattributed = 0; // feedback in the window on answers no arm served
};

// Reads an experiment's ledger events, the scores given to the responses they name (each
// credited to the arm on the response's own ledger event) and the cache feedback its tenant gave
// since it started.
// Feedback on an entry is credited to the arm of the latest event of the experiment that was
// served that entry at or before the feedback (the same end user's, when the feedback names one).
// NotFound when there is no experiment by that name.
Result<ExperimentReport> loadExperimentReport(SqlSession &session, const QString &name);

// Per arm: requests, cost per request, hit rate, latency (mean, p50, p95), the mean response
// score ("quality") and the share of good cache feedback ("cache_feedback"), each with a 95%
// interval; and each later arm against the first with Welch's t-test (cost, latency, score) or
// the two-proportion z-test (hit rate, cache feedback). `l0ctl experiment report
// --json` prints it; the console shows it.
QJsonObject experimentReportJson(const ExperimentReport &report);
// The same as a table for people.
QString experimentReportText(const ExperimentReport &report);

} // namespace l0
