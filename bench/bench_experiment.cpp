// What an experiment adds to a request (the arm assignment: the unit from the request, two
// SHA-256 hashes and a walk over the weights), and how long `l0ctl experiment report` takes to
// compute its statistics for a large experiment.
#include <benchmark/benchmark.h>

#include <QJsonArray>
#include <QJsonObject>

#include <random>

#include "core/experiment.h"
#include "ledger/experimentreport.h"

namespace {

l0::Experiment experiment()
{
    l0::Experiment x;
    x.name = QStringLiteral("router-ab");
    x.arms = { { QStringLiteral("control"), l0::parseArmPolicy(QStringLiteral("route:fixed")).value(), 50 },
        { QStringLiteral("router"), l0::parseArmPolicy(QStringLiteral("route:learned@0.95")).value(), 50 } };
    return x;
}

l0::ChatRequest request(bool withUser)
{
    l0::ChatRequest r;
    r.model = QStringLiteral("gpt-4o");
    if (withUser)
        r.user = QStringLiteral("user-4711");
    r.messages = QJsonArray { QJsonObject { { QStringLiteral("role"), QStringLiteral("system") },
                                  { QStringLiteral("content"), QStringLiteral("You are a helpful support agent.") } },
        QJsonObject { { QStringLiteral("role"), QStringLiteral("user") },
            { QStringLiteral("content"),
                QStringLiteral(
                    "My order 12345 has not arrived yet; it was supposed to come on Monday. What can I do?") } } };
    return r;
}

void assignByUser(benchmark::State &state)
{
    const l0::Experiment x = experiment();
    const l0::ChatRequest r = request(true);
    for (auto _ : state)
        benchmark::DoNotOptimize(l0::assignArm(x, l0::assignmentUnit(r, QString())));
}
BENCHMARK(assignByUser);

void assignByConversation(benchmark::State &state)
{
    const l0::Experiment x = experiment();
    const l0::ChatRequest r = request(false);
    for (auto _ : state)
        benchmark::DoNotOptimize(l0::assignArm(x, l0::assignmentUnit(r, QString())));
}
BENCHMARK(assignByConversation);

// The statistics of a report over n requests per arm (the store read is not included).
void reportStatistics(benchmark::State &state)
{
    l0::ExperimentReport r;
    r.experiment = experiment();
    std::mt19937 rng(1);
    std::lognormal_distribution<double> cost(6.5, 0.5), latency(6.0, 0.4);
    for (const l0::ExperimentArm &a : r.experiment.arms) {
        l0::ArmSamples s;
        s.arm = a.name;
        s.policy = a.policy.text();
        s.weight = a.weight;
        s.requests = state.range(0);
        for (qint64 i = 0; i < s.requests; ++i) {
            s.costMicros.push_back(std::round(cost(rng)));
            s.latencyMs.push_back(std::round(latency(rng)));
        }
        std::sort(s.latencyMs.begin(), s.latencyMs.end());
        s.hits = s.requests / 4;
        s.feedbackUp = s.requests / 100;
        s.feedbackDown = s.requests / 400;
        r.arms.push_back(std::move(s));
    }
    for (auto _ : state)
        benchmark::DoNotOptimize(l0::experimentReportJson(r));
}
BENCHMARK(reportStatistics)->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
