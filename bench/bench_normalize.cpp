// Cost of the L0 tier per query: normalization + intent scoring with a 150-intent pack
// (induced from CLINC150 train) over banking77 queries. Prints p50/p99 ns per query, then
// runs the Google Benchmark throughput measurement.
//   l0-bench-normalize [--data-dir ../shared/data/eval] [google benchmark flags]
#include <benchmark/benchmark.h>

#include <QElapsedTimer>
#include <QString>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "normalize/induction.h"
#include "normalize/intentmatcher.h"
#include "normalize/replay.h"

using namespace l0;

namespace {
std::unique_ptr<IntentMatcher> g_matcher;
std::vector<LabelledText> g_queries;

void BM_MatchQuery(benchmark::State &state)
{
    size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(g_matcher->match(g_queries[i].text));
        i = (i + 1) % g_queries.size();
    }
}
BENCHMARK(BM_MatchQuery);

void BM_NormalizeOnly(benchmark::State &state)
{
    size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(g_matcher->normalize(g_queries[i].text));
        i = (i + 1) % g_queries.size();
    }
}
BENCHMARK(BM_NormalizeOnly);

void BM_TokenizeOnly(benchmark::State &state)
{
    size_t i = 0;
    std::vector<char> breaks;
    for (auto _ : state) {
        breaks.clear();
        benchmark::DoNotOptimize(g_matcher->tokenize(g_queries[i].text, &breaks));
        i = (i + 1) % g_queries.size();
    }
}
BENCHMARK(BM_TokenizeOnly);
} // namespace

int main(int argc, char **argv)
{
    QString dir = QStringLiteral(L0_SHARED_DATA_DIR "/eval");
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], "--data-dir") == 0)
            dir = QString::fromLocal8Bit(argv[i + 1]);
    }
    auto train = readReplayCsv(dir + QStringLiteral("/clinc150_train.csv"));
    auto queries = readReplayCsv(dir + QStringLiteral("/banking77_train.csv"));
    if (!train || !queries) {
        std::fprintf(stderr, "cannot read the evaluation data in %s\n", qPrintable(dir));
        return 1;
    }
    QElapsedTimer t;
    t.start();
    auto pack = inducePack(*train, InductionOptions {}, nullptr);
    if (!pack) {
        std::fprintf(stderr, "induction failed: %s\n", qPrintable(pack.error().message));
        return 1;
    }
    std::printf(
        "pack: %zu intents induced from %zu rows in %lld ms\n", (*pack)->intents.size(), train->size(), t.elapsed());
    g_matcher = std::make_unique<IntentMatcher>(*pack);
    g_queries = std::move(queries.value());

    std::vector<qint64> ns;
    ns.reserve(g_queries.size() * 3);
    for (int round = 0; round < 3; ++round) {
        for (const LabelledText &q : g_queries) {
            const auto a = std::chrono::steady_clock::now();
            benchmark::DoNotOptimize(g_matcher->match(q.text));
            ns.push_back(
                std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - a).count());
        }
    }
    std::sort(ns.begin(), ns.end());
    std::printf("match() over %zu banking77 queries x3: p50 %lld ns, p90 %lld ns, p99 %lld ns\n", g_queries.size(),
        ns[ns.size() / 2], ns[ns.size() * 9 / 10], ns[ns.size() * 99 / 100]);

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
