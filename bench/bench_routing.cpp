// What routing adds to a miss on the node's path: resolving the tenant's route policy
// (ModelRouter::policyFor, parsed once per thread, then a lookup) and deciding (decide(): for
// learned one scoring of the request, for cascade the setup of the first call), against a
// tenant without policies (one emptiness test). Uses the built-in router model, or the file
// given with --router, or, when neither loads, a synthetic model of the same size (2^18 hashed
// weights) so that the cost is measured all the same.
//   l0-bench-routing [--router FILE] [google benchmark flags]
#include <benchmark/benchmark.h>

#include <QFile>
#include <QTemporaryDir>

#include <cstdio>
#include <cstring>

#include "core/tenant.h"
#include "route/modelrouter.h"
#include "route/routefeatures.h"
#include "route/routermodel.h"

using namespace l0;

namespace {

std::unique_ptr<ModelRouter> g_router;
Tenant g_plain;
Tenant g_routed;
std::vector<ChatRequest> g_requests;

QByteArray syntheticRouter()
{
    auto logit = [](size_t dense) {
        RouteLogit l;
        l.denseMean.assign(dense, 1.0);
        l.denseScale.assign(dense, 0.5);
        l.denseWeights.assign(dense, 0.1);
        l.bits = 18;
        l.hashedWeights.assign(size_t(1) << l.bits, 0.01f);
        return l;
    };
    RouterModel::Parts parts;
    parts.name = QStringLiteral("bench");
    parts.strong = QStringLiteral("gpt-4o");
    parts.weak = QStringLiteral("gpt-4o-mini");
    parts.learned = logit(size_t(requestFeatureNames().size()));
    parts.cascade = logit(size_t(requestFeatureNames().size() + answerFeatureNames().size()));
    parts.learnedCurve = { { 0.5, 0.5, 0.96 } };
    parts.cascadeCurve = parts.learnedCurve;
    return RouterModel::fromParts(std::move(parts)).toJson();
}

RoutePolicy policy(const QString &model, RouteStrategy strategy, const QString &router)
{
    RoutePolicy p;
    p.model = model;
    p.candidates = { QStringLiteral("gpt-4o-mini"), QStringLiteral("gpt-4o") };
    p.strategy = strategy;
    p.router = router;
    return p;
}

void BM_PolicyUnrouted(benchmark::State &state)
{
    for (auto _ : state)
        benchmark::DoNotOptimize(g_router->policyFor(g_plain, QStringLiteral("gpt-4o")));
}
BENCHMARK(BM_PolicyUnrouted);

void BM_PolicyRouted(benchmark::State &state)
{
    for (auto _ : state)
        benchmark::DoNotOptimize(g_router->policyFor(g_routed, QStringLiteral("gpt-4o")));
}
BENCHMARK(BM_PolicyRouted);

void BM_ResolveAndDecideLearned(benchmark::State &state)
{
    size_t i = 0;
    for (auto _ : state) {
        const auto p = g_router->policyFor(g_routed, QStringLiteral("gpt-4o"));
        benchmark::DoNotOptimize(g_router->decide(*p, g_requests[i]));
        i = (i + 1) % g_requests.size();
    }
}
BENCHMARK(BM_ResolveAndDecideLearned);

void BM_ResolveAndDecideCascade(benchmark::State &state)
{
    size_t i = 0;
    for (auto _ : state) {
        const auto p = g_router->policyFor(g_routed, QStringLiteral("l0/auto"));
        benchmark::DoNotOptimize(g_router->decide(*p, g_requests[i]));
        i = (i + 1) % g_requests.size();
    }
}
BENCHMARK(BM_ResolveAndDecideCascade);

} // namespace

int main(int argc, char **argv)
{
    QString router;
    std::vector<char *> rest { argv[0] };
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--router") == 0 && i + 1 < argc)
            router = QString::fromLocal8Bit(argv[++i]);
        else
            rest.push_back(argv[i]);
    }
    QTemporaryDir dir;
    if (router.isEmpty() && !RouterModel::builtin()) {
        router = dir.filePath(QStringLiteral("router.json"));
        QFile f(router);
        if (!f.open(QIODevice::WriteOnly) || f.write(syntheticRouter()) < 0)
            return 1;
        std::printf("no built-in router model: a synthetic one of the same size\n");
    }
    g_router = std::make_unique<ModelRouter>();
    if (!g_router->routerFor(router)) {
        std::fprintf(stderr, "cannot load the router model\n");
        return 1;
    }
    g_plain.id = 1;
    g_routed.id = 2;
    g_routed.routePolicies = routePoliciesToJson({ policy(QStringLiteral("gpt-4o"), RouteStrategy::Learned, router),
        policy(QStringLiteral("l0/auto"), RouteStrategy::Cascade, router) });
    const char *prompts[] = { "What is the capital of France?",
        "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many "
        "clips did Natalia sell altogether in April and May?",
        "Write a Python function that merges two sorted lists in linear time, with tests.",
        "Compose a short poem about the sea at night, in the style of a sonnet, with vivid imagery and a turn in "
        "the last couplet that surprises the reader." };
    for (const char *p : prompts)
        g_requests.push_back(RouterModel::requestForPrompt(QString::fromUtf8(p)));
    int n = int(rest.size());
    benchmark::Initialize(&n, rest.data());
    benchmark::RunSpecifiedBenchmarks();
    return 0;
}
