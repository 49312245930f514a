// Micro benchmarks of the hit path's pieces: request parsing, exact-key hashing, hot-cache
// lookup, response rendering.
#include <benchmark/benchmark.h>

#include <QJsonObject>

#include "api/openaicodec.h"
#include "cache/exactkey.h"
#include "cache/hotcache.h"
#include "core/text.h"
#include "review/safetyscanner.h"
#include "review/worddiff.h"

using namespace l0;

namespace {

const QByteArray kBody = R"({"model":"gpt-4o-mini","temperature":0.2,"messages":[
 {"role":"system","content":"You are the support assistant of an online shop. Answer briefly and politely."},
 {"role":"user","content":"Hi, I ordered a pair of shoes last week and they have not arrived yet. How can I track my order?"}]})";

void BM_ParseRequest(benchmark::State &state)
{
    for (auto _ : state)
        benchmark::DoNotOptimize(api::parseOpenAiChat(kBody));
}
BENCHMARK(BM_ParseRequest);

void BM_ExactKey(benchmark::State &state)
{
    const ChatRequest r = api::parseOpenAiChat(kBody).value();
    for (auto _ : state)
        benchmark::DoNotOptimize(exactKey(7, QString(), r));
}
BENCHMARK(BM_ExactKey);

void BM_Sha256Only(benchmark::State &state)
{
    const QByteArray canonical = canonicalExactRequest(7, QString(), api::parseOpenAiChat(kBody).value());
    for (auto _ : state)
        benchmark::DoNotOptimize(sha256Hex(canonical));
    state.SetBytesProcessed(state.iterations() * canonical.size());
}
BENCHMARK(BM_Sha256Only);

void BM_HotCacheLookup(benchmark::State &state)
{
    HotCache cache;
    const int n = int(state.range(0));
    std::vector<QByteArray> keys;
    keys.reserve(size_t(n));
    for (int i = 0; i < n; ++i) {
        VersionChange c;
        c.entryId = i + 1;
        c.version = 1;
        c.state = VersionState::Approved;
        c.tenantId = 1;
        c.tier = QStringLiteral("exact");
        c.cacheKey = sha256Hex(QByteArray::number(i));
        c.result.message = QJsonObject { { QStringLiteral("content"), QStringLiteral("answer") } };
        keys.push_back(c.cacheKey);
        cache.apply(c);
    }
    size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(cache.find(HotKey { 1, Tier::Exact, keys[i] }));
        i = (i + 7919) % keys.size();
    }
}
BENCHMARK(BM_HotCacheLookup)->Arg(1000)->Arg(100000)->Arg(1000000);

void BM_RenderCompletion(benchmark::State &state)
{
    ChatResult r;
    r.message = QJsonObject { { QStringLiteral("role"), QStringLiteral("assistant") },
        { QStringLiteral("content"), QString(600, QLatin1Char('x')) } };
    r.usage = { 40, 150 };
    for (auto _ : state) {
        api::OpenAiRenderer renderer(
            QStringLiteral("chatcmpl-l0abc"), 1700000000, QStringLiteral("gpt-4o-mini"), false);
        benchmark::DoNotOptimize(renderer.completion(r));
    }
}
BENCHMARK(BM_RenderCompletion);

// A 100 KB answer and an edit of it with about one word in twenty changed.
std::pair<QString, QString> bigTexts()
{
    QString a, b;
    quint32 seed = 7;
    const char *const words[]
        = { "order", "delivery", "refund", "account", "the", "within", "days", "please", "support", "card", "update" };
    int w = 0;
    while (a.size() < 100'000) {
        seed = seed * 1103515245u + 12345u;
        const QString word = QString::fromLatin1(words[(seed >> 16) % 11]);
        a += word;
        b += ((seed >> 8) % 20 == 0) ? word.toUpper() : word;
        const QString sep = (++w % 12 == 0) ? QStringLiteral(".\n") : QStringLiteral(" ");
        a += sep;
        b += sep;
    }
    return { a, b };
}

void BM_WordDiff100KB(benchmark::State &state)
{
    const auto [a, b] = bigTexts();
    for (auto _ : state)
        benchmark::DoNotOptimize(sideBySide(wordDiff(a, b)));
}
BENCHMARK(BM_WordDiff100KB)->Unit(benchmark::kMillisecond);

void BM_SafetyPass2KB(benchmark::State &state)
{
    QString text;
    const QString para = QStringLiteral(
        "To change the delivery address of order 12345, open Orders, choose the order and select Edit address. "
        "If the parcel has shipped, contact support at help@example.com or call +1 (212) 555-0199. ");
    while (text.size() < 2048)
        text += para;
    text.truncate(2048);
    const SafetyScanner scanner;
    for (auto _ : state)
        benchmark::DoNotOptimize(scanner.scan(text));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SafetyPass2KB);

} // namespace

BENCHMARK_MAIN();
