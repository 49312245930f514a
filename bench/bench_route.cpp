// Cost of routing a miss: RouterModel::weakGoodProbability() (learned) and cascadeAcceptScore()
// (cascade, with the weak model's answer) of the built-in router, per request, over the prompts
// of the routing DEV data (GSM8K, MMLU, MT-Bench). Prints p50/p90/p99 ns per call, then runs
// the Google Benchmark throughput measurement.
//   l0-bench-route [--data-dir ../shared/data/routing/routellm] [google benchmark flags]
#include <benchmark/benchmark.h>

#include <QString>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>

#include "core/chat.h"
#include "route/routedata.h"
#include "route/routermodel.h"

using namespace l0;

namespace {
std::optional<RouterModel> g_router;
std::vector<ChatRequest> g_requests;
std::vector<QString> g_answers; // weak answers (GSM8K and MT-Bench rows)
std::vector<ChatRequest> g_answered; // their requests

void BM_LearnedScore(benchmark::State &state)
{
    size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(g_router->weakGoodProbability(g_requests[i]));
        i = (i + 1) % g_requests.size();
    }
}
BENCHMARK(BM_LearnedScore);

void BM_CascadeScore(benchmark::State &state)
{
    size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(g_router->cascadeAcceptScore(g_answered[i], g_answers[i]));
        i = (i + 1) % g_answers.size();
    }
}
BENCHMARK(BM_CascadeScore);

void report(const char *what, size_t count, const std::function<void(size_t)> &call)
{
    std::vector<qint64> ns;
    ns.reserve(count * 3);
    for (int round = 0; round < 3; ++round) {
        for (size_t i = 0; i < count; ++i) {
            const auto a = std::chrono::steady_clock::now();
            call(i);
            ns.push_back(
                std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - a).count());
        }
    }
    std::sort(ns.begin(), ns.end());
    std::printf("%s over %zu requests x3: p50 %lld ns, p90 %lld ns, p99 %lld ns, max %lld ns\n", what, count,
        ns[ns.size() / 2], ns[ns.size() * 9 / 10], ns[ns.size() * 99 / 100], ns.back());
}
} // namespace

int main(int argc, char **argv)
{
    QString dir = QStringLiteral(L0_SHARED_DATA_DIR "/routing/routellm");
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], "--data-dir") == 0)
            dir = QString::fromLocal8Bit(argv[i + 1]);
    }
    auto router = RouterModel::builtin();
    if (!router) {
        std::fprintf(stderr, "%s\n", qPrintable(router.error().message));
        return 1;
    }
    g_router = std::move(*router);
    for (const char *file : { "gsm8k.jsonl", "mmlu_1.jsonl", "mmlu_2.jsonl", "mt_bench.jsonl" }) {
        auto set = readRouteData(
            dir + QLatin1Char('/') + QLatin1String(file), g_router->strongModel(), g_router->weakModel());
        if (!set) {
            std::fprintf(stderr, "%s\n", qPrintable(set.error().message));
            return 1;
        }
        for (const RouteExample &r : set->rows) {
            g_requests.push_back(RouterModel::requestForPrompt(r.prompt));
            if (r.hasWeakText) {
                g_answered.push_back(g_requests.back());
                g_answers.push_back(r.weakText);
            }
        }
    }
    report("weakGoodProbability()", g_requests.size(),
        [](size_t i) { benchmark::DoNotOptimize(g_router->weakGoodProbability(g_requests[i])); });
    report("cascadeAcceptScore()", g_answers.size(),
        [](size_t i) { benchmark::DoNotOptimize(g_router->cascadeAcceptScore(g_answered[i], g_answers[i])); });
    // A long request: 20 000 characters of prose.
    QString longText;
    while (longText.size() < 20000)
        longText += QStringLiteral("Please review the following paragraph and tell me what could be improved. ");
    const ChatRequest longRequest = RouterModel::requestForPrompt(longText);
    report("weakGoodProbability() on a 20 000-character request", 200,
        [&](size_t) { benchmark::DoNotOptimize(g_router->weakGoodProbability(longRequest)); });

    std::vector<char *> args;
    for (int i = 0; i < argc; ++i) {
        if (std::strcmp(argv[i], "--data-dir") == 0) {
            ++i;
            continue;
        }
        args.push_back(argv[i]);
    }
    int n = int(args.size());
    benchmark::Initialize(&n, args.data());
    benchmark::RunSpecifiedBenchmarks();
    return 0;
}
