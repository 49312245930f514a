#include "experimentreport.h"

#include <QHash>
#include <QJsonArray>
#include <QTextStream>

#include <algorithm>

#include "experimentstats.h"
#include "store/experimentrules.h"

namespace l0 {

namespace {

using S = SqlSession;

struct Served {
    qint64 tsMs = 0;
    QString user;
    size_t arm = 0;
};

QJsonValue opt(const std::optional<double> &v)
{
    return v ? QJsonValue(*v) : QJsonValue();
}

QJsonObject meanJson(const stats::MeanEstimate &m)
{
    return { { QLatin1String("n"), m.n }, { QLatin1String("mean"), m.n ? QJsonValue(m.mean) : QJsonValue() },
        { QLatin1String("sd"), m.sd }, { QLatin1String("ci95"), QJsonArray { opt(m.low), opt(m.high) } } };
}

QJsonObject proportionJson(const stats::ProportionEstimate &p)
{
    return { { QLatin1String("n"), p.n }, { QLatin1String("k"), p.k },
        { QLatin1String("rate"), p.n ? QJsonValue(p.p) : QJsonValue() },
        { QLatin1String("ci95"), QJsonArray { opt(p.low), opt(p.high) } } };
}

QJsonObject quantileJson(const stats::QuantileEstimate &q)
{
    return { { QLatin1String("value"), opt(q.value) },
        { QLatin1String("ci95"), QJsonArray { opt(q.low), opt(q.high) } } };
}

QJsonObject comparisonJson(const stats::Comparison &c)
{
    const bool tested = c.pValue || c.low; // else one arm has too little data: no difference either
    return { { QLatin1String("test"), c.test },
        { QLatin1String("difference"), tested ? QJsonValue(c.difference) : QJsonValue() },
        { QLatin1String("ci95"), QJsonArray { opt(c.low), opt(c.high) } },
        { QLatin1String("statistic"), opt(c.statistic) }, { QLatin1String("df"), c.df },
        { QLatin1String("p_value"), opt(c.pValue) }, { QLatin1String("significant"), c.significant() } };
}

// Everything one arm's numbers are made of.
struct ArmFigures {
    stats::MeanEstimate cost;
    stats::ProportionEstimate hitRate;
    stats::MeanEstimate latency;
    stats::QuantileEstimate p50, p95;
    stats::ProportionEstimate goodFeedback;
    stats::MeanEstimate score;
    stats::ProportionEstimate reviewGood;
};

ArmFigures figuresOf(const ArmSamples &a)
{
    ArmFigures f;
    f.cost = stats::estimateMean(a.costMicros);
    f.hitRate = stats::estimateProportion(a.hits, a.requests);
    f.latency = stats::estimateMean(a.latencyMs);
    f.p50 = stats::estimateQuantile(a.latencyMs, 0.50);
    f.p95 = stats::estimateQuantile(a.latencyMs, 0.95);
    f.goodFeedback = stats::estimateProportion(a.feedbackUp, a.feedbackUp + a.feedbackDown);
    f.score = stats::estimateMean(a.scores);
    f.reviewGood = stats::estimateProportion(a.reviewApproved, a.reviewApproved + a.reviewRejected);
    return f;
}

QString num(const std::optional<double> &v, int decimals)
{
    return v ? QString::number(*v, 'f', decimals) : QStringLiteral("-");
}

QString interval(const std::optional<double> &low, const std::optional<double> &high, int decimals)
{
    if (!low || !high)
        return QStringLiteral("-");
    return QStringLiteral("[%1, %2]").arg(QString::number(*low, 'f', decimals), QString::number(*high, 'f', decimals));
}

// The difference, scaled; "-" when one arm has too little data to compare.
QString difference(const stats::Comparison &c, double scale, int decimals)
{
    if (!c.pValue && !c.low)
        return QStringLiteral("-");
    return QString::number(c.difference * scale, 'f', decimals);
}

QString pText(const stats::Comparison &c)
{
    if (!c.pValue)
        return QStringLiteral("p -");
    return QStringLiteral("p %1%2").arg(
        QString::number(*c.pValue, 'g', 3), c.significant() ? QStringLiteral(" *") : QString());
}

} // namespace

Result<ExperimentReport> loadExperimentReport(SqlSession &s, const QString &name)
{
    auto x = experimentByName(s, name);
    if (!x)
        return x.error();
    ExperimentReport report;
    report.experiment = *x;
    QHash<QString, size_t> armIndex;
    for (const ExperimentArm &a : x->arms) {
        armIndex.insert(a.name, report.arms.size());
        ArmSamples samples;
        samples.arm = a.name;
        samples.policy = a.policy.text();
        samples.weight = a.weight;
        report.arms.push_back(std::move(samples));
    }

    auto events = s.query(QStringLiteral("SELECT arm, tier, status, actual_micros, latency_ms, entry_id, end_user, "
                                         "ts_ms, shadow_hit FROM ledger_events WHERE experiment_id = ? ORDER BY ts_ms"),
        { S::num(x->id) });
    if (!events)
        return events.error();
    QHash<qint64, std::vector<Served>> servedEntries; // entry -> who was served it, oldest first
    for (const S::Row &row : *events) {
        const auto at = armIndex.constFind(row.text(0));
        if (at == armIndex.constEnd())
            continue; // not one of this experiment's arms (never written so)
        ArmSamples &a = report.arms[*at];
        ++a.requests;
        const int status = int(row.int64(2));
        const bool hit = row.text(1) != QLatin1String("upstream");
        if (status >= 400) {
            ++a.errors;
        } else {
            a.latencyMs.push_back(double(row.int64(4)));
            if (hit)
                ++a.hits;
        }
        if (row.int64(8) != 0)
            ++a.shadowHits;
        if (row.isNull(3))
            ++a.unpriced;
        else
            a.costMicros.push_back(double(row.int64(3)));
        if (hit && !row.isNull(5))
            servedEntries[row.int64(5)].push_back(Served { row.int64(7), row.text(6), *at });
    }
    for (ArmSamples &a : report.arms)
        std::sort(a.latencyMs.begin(), a.latencyMs.end());

    auto armNamed = [&](const QString &name) -> ArmSamples * {
        const auto at = armIndex.constFind(name);
        return at == armIndex.constEnd() ? nullptr : &report.arms[*at];
    };

    // Scores name the response, whose ledger event names the arm (misses as well as hits).
    auto scores = s.query(QStringLiteral("SELECT DISTINCT f.response_id, f.end_user, f.score_micros, l.arm "
                                         "FROM response_feedback f JOIN ledger_events l ON l.tenant_id = f.tenant_id "
                                         "AND l.response_id = f.response_id WHERE l.experiment_id = ? "
                                         "AND f.tenant_id = ? ORDER BY f.response_id, f.end_user"),
        { S::num(x->id), S::num(x->tenantId) });
    if (!scores)
        return scores.error();
    for (const S::Row &row : *scores) {
        if (ArmSamples *a = armNamed(row.text(3)))
            a->scores.push_back(double(row.int64(2)) / 1e6);
    }

    // Verdicts on the versions the arm's answers were filed as (one per version).
    auto verdicts = s.query(QStringLiteral("SELECT DISTINCT v.entry_id, v.version, v.state, l.arm FROM ledger_events l "
                                           "JOIN versions v ON v.response_id = l.response_id "
                                           "JOIN entries e ON e.id = v.entry_id AND e.tenant_id = l.tenant_id "
                                           "WHERE l.experiment_id = ? AND l.tenant_id = ? AND l.response_id <> '' "
                                           "AND v.state IN ('approved', 'rejected', 'revoked') "
                                           "ORDER BY v.entry_id, v.version"),
        { S::num(x->id), S::num(x->tenantId) });
    if (!verdicts)
        return verdicts.error();
    for (const S::Row &row : *verdicts) {
        if (ArmSamples *a = armNamed(row.text(3)))
            ++(row.text(2) == QLatin1String("approved") ? a->reviewApproved : a->reviewRejected);
    }

    auto feedback = s.query(QStringLiteral("SELECT entry_id, end_user, created_ms, rating FROM cache_feedback WHERE "
                                           "tenant_id = ? AND created_ms >= ? ORDER BY created_ms"),
        { S::num(x->tenantId), S::num(x->createdMs) });
    if (!feedback)
        return feedback.error();
    for (const S::Row &row : *feedback) {
        const auto served = servedEntries.constFind(row.int64(0));
        const QString user = row.text(1);
        const qint64 created = row.int64(2);
        const Served *credited = nullptr;
        if (served != servedEntries.constEnd()) {
            for (const Served &sv : *served) {
                if (sv.tsMs > created)
                    break;
                if (user.isEmpty() || sv.user == user)
                    credited = &sv; // the latest so far
            }
        }
        if (!credited) {
            ++report.feedbackUnattributed;
            continue;
        }
        ArmSamples &a = report.arms[credited->arm];
        if (row.int64(3) > 0)
            ++a.feedbackUp;
        else
            ++a.feedbackDown;
    }
    return report;
}

QJsonObject experimentReportJson(const ExperimentReport &r)
{
    const Experiment &x = r.experiment;
    std::vector<ArmFigures> figures;
    for (const ArmSamples &a : r.arms)
        figures.push_back(figuresOf(a));
    QJsonArray arms;
    for (size_t i = 0; i < r.arms.size(); ++i) {
        const ArmSamples &a = r.arms[i];
        const ArmFigures &f = figures[i];
        QJsonObject o { { QLatin1String("arm"), a.arm }, { QLatin1String("policy"), a.policy },
            { QLatin1String("weight"), a.weight }, { QLatin1String("requests"), a.requests },
            { QLatin1String("errors"), a.errors }, { QLatin1String("hits"), a.hits },
            { QLatin1String("shadow_hits"), a.shadowHits }, { QLatin1String("unpriced"), a.unpriced },
            { QLatin1String("cost_per_request_micros"), meanJson(f.cost) },
            { QLatin1String("hit_rate"), proportionJson(f.hitRate) },
            { QLatin1String("latency_ms"),
                QJsonObject { { QLatin1String("mean"), meanJson(f.latency) },
                    { QLatin1String("p50"), quantileJson(f.p50) }, { QLatin1String("p95"), quantileJson(f.p95) } } },
            { QLatin1String("quality"),
                [&] {
                    QJsonObject q = meanJson(f.score);
                    q.insert(QLatin1String("signal"), QStringLiteral("response_score"));
                    return q;
                }() },
            { QLatin1String("cache_feedback"),
                QJsonObject { { QLatin1String("signal"), QStringLiteral("cache_feedback") },
                    { QLatin1String("up"), a.feedbackUp }, { QLatin1String("down"), a.feedbackDown },
                    { QLatin1String("good_rate"), proportionJson(f.goodFeedback) } } },
            { QLatin1String("reviewer_verdicts"),
                QJsonObject { { QLatin1String("signal"), QStringLiteral("reviewer_verdicts") },
                    { QLatin1String("approved"), a.reviewApproved }, { QLatin1String("rejected"), a.reviewRejected },
                    { QLatin1String("good_rate"), proportionJson(f.reviewGood) } } } };
        if (i > 0) {
            const ArmFigures &c = figures[0];
            o.insert(QLatin1String("versus"),
                QJsonObject { { QLatin1String("arm"), r.arms[0].arm },
                    { QLatin1String("cost_per_request_micros"), comparisonJson(stats::welchTest(c.cost, f.cost)) },
                    { QLatin1String("hit_rate"), comparisonJson(stats::twoProportionTest(c.hitRate, f.hitRate)) },
                    { QLatin1String("latency_ms"), comparisonJson(stats::welchTest(c.latency, f.latency)) },
                    { QLatin1String("quality"), comparisonJson(stats::welchTest(c.score, f.score)) },
                    { QLatin1String("cache_feedback"),
                        comparisonJson(stats::twoProportionTest(c.goodFeedback, f.goodFeedback)) },
                    { QLatin1String("reviewer_verdicts"),
                        comparisonJson(stats::twoProportionTest(c.reviewGood, f.reviewGood)) } });
        }
        arms.append(o);
    }
    return { { QLatin1String("experiment"), x.name }, { QLatin1String("tenant"), x.tenant },
        { QLatin1String("state"), QString::fromLatin1(experimentStateName(x.state)) },
        { QLatin1String("created_ms"), x.createdMs }, { QLatin1String("stopped_ms"), x.stoppedMs },
        { QLatin1String("confidence"), 1 - stats::kAlpha }, { QLatin1String("arms"), arms },
        { QLatin1String("feedback_unattributed"), r.feedbackUnattributed } };
}

QString experimentReportText(const ExperimentReport &r)
{
    QString out;
    QTextStream t(&out);
    const Experiment &x = r.experiment;
    t << "experiment " << x.name << "  tenant " << x.tenant << "  " << experimentStateName(x.state) << "\n";
    t << "95% intervals in brackets; each arm against " << (r.arms.empty() ? QString() : r.arms[0].arm)
      << " (Welch's t for means, two-proportion z for rates; * p < 0.05)\n\n";
    std::vector<ArmFigures> figures;
    for (const ArmSamples &a : r.arms)
        figures.push_back(figuresOf(a));
    for (size_t i = 0; i < r.arms.size(); ++i) {
        const ArmSamples &a = r.arms[i];
        const ArmFigures &f = figures[i];
        t << "arm " << a.arm << "  " << a.policy << "  " << a.weight << "%\n";
        t << "  requests        " << a.requests << " (" << a.errors << " errors)\n";
        t << "  cost/request    " << (f.cost.n ? num(f.cost.mean, 1) : QStringLiteral("-")) << " micro$ "
          << interval(f.cost.low, f.cost.high, 1);
        if (a.unpriced)
            t << "  (" << a.unpriced << " unpriced, left out)";
        t << "\n";
        t << "  hit rate        " << (f.hitRate.n ? num(f.hitRate.p * 100, 1) + QLatin1Char('%') : QStringLiteral("-"))
          << " "
          << interval(f.hitRate.low ? std::optional<double>(*f.hitRate.low * 100) : std::nullopt,
                 f.hitRate.high ? std::optional<double>(*f.hitRate.high * 100) : std::nullopt, 1);
        if (a.shadowHits)
            t << "  (" << a.shadowHits << " shadow hits)";
        t << "\n";
        t << "  latency ms      mean " << (f.latency.n ? num(f.latency.mean, 1) : QStringLiteral("-")) << " "
          << interval(f.latency.low, f.latency.high, 1) << "  p50 " << num(f.p50.value, 0) << " "
          << interval(f.p50.low, f.p50.high, 0) << "  p95 " << num(f.p95.value, 0) << " "
          << interval(f.p95.low, f.p95.high, 0) << "\n";
        t << "  score (0-1)     " << (f.score.n ? num(f.score.mean, 3) : QStringLiteral("-")) << " "
          << interval(f.score.low, f.score.high, 3) << "  (" << f.score.n << " scored responses)\n";
        t << "  cache feedback  " << a.feedbackUp << " up, " << a.feedbackDown << " down";
        if (f.goodFeedback.n)
            t << "  good " << num(f.goodFeedback.p * 100, 1) << "% "
              << interval(*f.goodFeedback.low * 100, *f.goodFeedback.high * 100, 1);
        t << "\n";
        t << "  reviewers       " << a.reviewApproved << " approved, " << a.reviewRejected << " rejected";
        if (f.reviewGood.n)
            t << "  good " << num(f.reviewGood.p * 100, 1) << "% "
              << interval(*f.reviewGood.low * 100, *f.reviewGood.high * 100, 1);
        t << "\n";
        if (i > 0) {
            const ArmFigures &c = figures[0];
            const auto cost = stats::welchTest(c.cost, f.cost);
            const auto hits = stats::twoProportionTest(c.hitRate, f.hitRate);
            const auto latency = stats::welchTest(c.latency, f.latency);
            const auto quality = stats::twoProportionTest(c.goodFeedback, f.goodFeedback);
            const auto score = stats::welchTest(c.score, f.score);
            const auto review = stats::twoProportionTest(c.reviewGood, f.reviewGood);
            t << "  vs " << r.arms[0].arm << "  cost " << difference(cost, 1, 1) << " "
              << interval(cost.low, cost.high, 1) << " " << pText(cost) << ";  hit rate " << difference(hits, 100, 1)
              << " pts " << pText(hits) << ";  latency " << difference(latency, 1, 1) << " ms " << pText(latency)
              << ";  score " << difference(score, 1, 3) << " " << interval(score.low, score.high, 3) << " "
              << pText(score) << ";  good cache feedback " << difference(quality, 100, 1) << " pts " << pText(quality)
              << ";  approved by reviewers " << difference(review, 100, 1) << " pts " << pText(review) << "\n";
        }
        t << "\n";
    }
    if (r.feedbackUnattributed)
        t << r.feedbackUnattributed << " feedback on answers no arm was served: not counted\n";
    t.flush();
    return out;
}

} // namespace l0
