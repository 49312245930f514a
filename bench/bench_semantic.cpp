// The semantic tier's lookup at scale: N questions (default 100,000) embedded with the built-in
// embedder into one space of the vector index (VectorIndexDirectory, as the node searches it),
// then single-threaded lookups of held-out queries, half of them near an indexed question (one
// word changed), half unrelated. Prints the built-in embedder's throughput, the build time,
// memory per entry (the index's own count and the process's RSS), lookup p50/p99/p99.9 for the
// index alone (query vector given) and with the embedder (text in, neighbours out), and
// recall@1 against an exact scan on a sample.
//   l0-bench-semantic [N] [--queries Q] [--embedder SPEC] [--threads T] [--m M] [--ef-construction E]
//                     [--ef-search E] [--k K] [--recall R] [--full-floats] [--data-dir DIR]
// Questions are sampled from the words of the evaluation sets (../shared/data/eval), so their
// vectors spread as real questions' do; nothing is read from the sets beyond their words.
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QStringList>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <thread>
#include <time.h>
#include <vector>

#include "normalize/replay.h"
#include "semantic/embedder.h"
#include "semantic/vectorindexdirectory.h"

using namespace l0;
using Clock = std::chrono::steady_clock;

namespace {

qint64 rssKiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return 0;
}

// CPU time of this thread: what a lookup costs, without the time another process held the core
// (the machine the figures come from may be busy).
double threadCpuUs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e6 + double(ts.tv_nsec) / 1e3;
}

double us(Clock::duration d)
{
    return std::chrono::duration<double, std::micro>(d).count();
}

struct Percentiles {
    double p50, p99, p999, max;
};

Percentiles percentiles(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    auto at = [&](double q) { return v[std::min(v.size() - 1, size_t(q * double(v.size())))]; };
    return { at(0.50), at(0.99), at(0.999), v.back() };
}

QString sentence(std::mt19937 &rng, const QStringList &words)
{
    std::uniform_int_distribution<int> len(5, 15);
    std::uniform_int_distribution<qsizetype> pick(0, words.size() - 1);
    QStringList out;
    const int n = len(rng);
    for (int i = 0; i < n; ++i)
        out << words.at(pick(rng));
    return out.join(QLatin1Char(' ')) + QLatin1Char('?');
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // figures appear as they are measured
    qint64 n = 100'000;
    int queries = 5'000, threads = 2, k = 8, recallSample = 50;
    QString spec = QStringLiteral("builtin");
    QString dataDir = QStringLiteral(L0_SHARED_DATA_DIR "/eval");
    VectorIndexOptions options;
    for (int i = 1; i < argc; ++i) {
        const QByteArray a = argv[i];
        const bool hasValue = i + 1 < argc;
        if (a == "--queries" && hasValue)
            queries = std::atoi(argv[++i]);
        else if (a == "--embedder" && hasValue)
            spec = QString::fromLocal8Bit(argv[++i]);
        else if (a == "--threads" && hasValue)
            threads = std::atoi(argv[++i]);
        else if (a == "--m" && hasValue)
            options.m = std::atoi(argv[++i]);
        else if (a == "--ef-construction" && hasValue)
            options.efConstruction = std::atoi(argv[++i]);
        else if (a == "--ef-search" && hasValue)
            options.efSearch = std::atoi(argv[++i]);
        else if (a == "--full-floats")
            options.halfPrecision = false;
        else if (a == "--k" && hasValue)
            k = std::atoi(argv[++i]);
        else if (a == "--recall" && hasValue)
            recallSample = std::atoi(argv[++i]);
        else if (a == "--data-dir" && hasValue)
            dataDir = QString::fromLocal8Bit(argv[++i]);
        else if (!a.startsWith("--"))
            n = a.toLongLong();
        else {
            std::fprintf(stderr, "unknown option %s\n", argv[i]);
            return 2;
        }
    }
    auto embedder = embedderFromSpec(spec);
    if (!embedder) {
        std::fprintf(stderr, "%s\n", qPrintable(embedder.error().message));
        return 2;
    }
    const Embedder &e = **embedder;

    // Words to write questions with.
    QStringList words;
    for (const QString &file : QDir(dataDir).entryList({ QStringLiteral("*.csv") }, QDir::Files)) {
        auto rows = readReplayCsv(dataDir + QLatin1Char('/') + file);
        if (!rows)
            continue;
        for (const LabelledText &r : *rows)
            words << r.text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    }
    if (words.size() < 1000) {
        std::fprintf(stderr, "too few words in %s\n", qPrintable(dataDir));
        return 1;
    }
    std::mt19937 rng(20261202);
    std::vector<QString> texts(static_cast<size_t>(n));
    for (auto &t : texts)
        t = sentence(rng, words);
    std::printf("semantic lookup bench: %lld questions, embedder %s, %lld words of vocabulary stream, "
                "M=%d ef_construction=%d ef_search=%d k=%d, %d build threads\n",
        qlonglong(n), qPrintable(e.modelId()), qlonglong(words.size()), options.m, options.efConstruction,
        options.efSearch, k, threads);

    // The built-in embedder's throughput, one thread, one text at a time (as the tier calls it).
    const int dims = e.dimensions();
    std::vector<float> flat(size_t(n) * size_t(dims));
    {
        const size_t sample = std::min<size_t>(texts.size(), 20'000);
        std::vector<double> each;
        each.reserve(sample);
        const auto start = Clock::now();
        for (size_t i = 0; i < sample; ++i) {
            const auto t0 = Clock::now();
            auto v = e.embed({ texts[i] });
            each.push_back(us(Clock::now() - t0));
            std::copy(v->at(0).cbegin(), v->at(0).cend(), flat.begin() + qsizetype(i) * dims);
        }
        const double secs = std::chrono::duration<double>(Clock::now() - start).count();
        const Percentiles p = percentiles(each);
        std::printf("embedder: %.0f texts/s on one thread (%zu texts, 5-15 words); per text p50 %.1f us, p99 %.1f us\n",
            double(sample) / secs, sample, p.p50, p.p99);
        // The rest, on every build thread.
        std::vector<std::thread> pool;
        const auto t0 = Clock::now();
        for (int t = 0; t < threads; ++t) {
            pool.emplace_back([&, t] {
                for (size_t i = sample + size_t(t); i < texts.size(); i += size_t(threads)) {
                    auto v = e.embed({ texts[i] });
                    std::copy(v->at(0).cbegin(), v->at(0).cend(), flat.begin() + qsizetype(i) * dims);
                }
            });
        }
        for (auto &t : pool)
            t.join();
        const size_t rest = texts.size() - sample;
        if (rest > 0)
            std::printf("embedder: %.0f texts/s on %d threads (%zu texts)\n",
                double(rest) / std::chrono::duration<double>(Clock::now() - t0).count(), threads, rest);
    }

    // Build.
    const qint64 rssBefore = rssKiB();
    VectorIndexDirectory dir(options);
    const VectorSpaceKey space { 1, QString(), e.modelId() };
    {
        std::vector<VectorEntryRef> refs(static_cast<size_t>(n));
        for (qint64 i = 0; i < n; ++i)
            refs[size_t(i)] = VectorEntryRef { i + 1, 1, QStringLiteral("exact"), QByteArray(64, 'a'), texts[size_t(i)],
                QByteArray(64, 'c') };
        const auto t0 = Clock::now();
        const size_t chunk = 50'000;
        for (size_t s = 0; s < refs.size(); s += chunk) {
            const size_t m = std::min(chunk, refs.size() - s);
            auto st = dir.addBatch(space, std::span<const VectorEntryRef>(refs.data() + s, m),
                std::span<const float>(flat.data() + s * size_t(dims), m * size_t(dims)), dims, threads);
            if (!st) {
                std::fprintf(stderr, "%s\n", qPrintable(st.error().message));
                return 1;
            }
        }
        std::printf("build: %.1f s for %lld vectors of %d floats (%.0f inserts/s on %d threads)\n",
            std::chrono::duration<double>(Clock::now() - t0).count(), qlonglong(n), dims,
            double(n) / std::chrono::duration<double>(Clock::now() - t0).count(), threads);
    }
    const qint64 rssAfter = rssKiB();
    const auto index = dir.index(space);
    std::printf("memory: index %.0f bytes/entry (graph + vectors + ids; %.1f MiB), directory with refs %.0f "
                "bytes/entry; process RSS grew %.0f bytes/entry\n",
        double(index->memoryBytes()) / double(n), double(index->memoryBytes()) / 1048576.0,
        double(dir.memoryBytes()) / double(n), double(rssAfter - rssBefore) * 1024.0 / double(n));

    // Queries: half an indexed question with one word changed, half new questions.
    std::vector<QString> qtexts;
    std::vector<qint64> origin; // the indexed question a query was made from, 0: none
    std::uniform_int_distribution<qint64> anyEntry(0, n - 1);
    std::uniform_int_distribution<qsizetype> anyWord(0, words.size() - 1);
    for (int i = 0; i < queries; ++i) {
        if (i % 2 == 0) {
            const qint64 src = anyEntry(rng);
            QStringList w = texts[size_t(src)].split(QLatin1Char(' '));
            w[qsizetype(rng() % quint32(w.size()))] = words.at(anyWord(rng));
            qtexts.push_back(w.join(QLatin1Char(' ')));
            origin.push_back(src + 1);
        } else {
            qtexts.push_back(sentence(rng, words));
            origin.push_back(0);
        }
    }
    std::vector<Embedding> qvecs;
    for (const QString &q : qtexts)
        qvecs.push_back(e.embed({ q })->at(0));

    // Warm up, then the index alone.
    for (int i = 0; i < std::min(queries, 500); ++i)
        (void)dir.search(space, qvecs[size_t(i)], k);
    std::vector<double> indexOnly, withEmbedder, indexCpu, withEmbedderCpu;
    int foundOrigin = 0, nearQueries = 0;
    for (int i = 0; i < queries; ++i) {
        const double c0 = threadCpuUs();
        const auto t0 = Clock::now();
        const auto hits = dir.search(space, qvecs[size_t(i)], k);
        indexOnly.push_back(us(Clock::now() - t0));
        indexCpu.push_back(threadCpuUs() - c0);
        if (origin[size_t(i)]) {
            ++nearQueries;
            foundOrigin += !hits.empty() && hits[0].entry.entryId == origin[size_t(i)] ? 1 : 0;
        }
    }
    for (int i = 0; i < queries; ++i) {
        const double c0 = threadCpuUs();
        const auto t0 = Clock::now();
        auto v = e.embed({ qtexts[size_t(i)] });
        const auto hits = dir.search(space, v->at(0), k);
        withEmbedder.push_back(us(Clock::now() - t0));
        withEmbedderCpu.push_back(threadCpuUs() - c0);
        (void)hits;
    }
    const Percentiles a = percentiles(indexOnly), b = percentiles(withEmbedder);
    const Percentiles ac = percentiles(indexCpu), bc = percentiles(withEmbedderCpu);
    std::printf("lookup, index only (k=%d), wall: p50 %.0f us, p99 %.0f us, p99.9 %.0f us, max %.0f us (%d queries)\n",
        k, a.p50, a.p99, a.p999, a.max, queries);
    std::printf("lookup, index only, thread CPU: p50 %.0f us, p99 %.0f us, p99.9 %.0f us\n", ac.p50, ac.p99, ac.p999);
    std::printf("lookup, text in (embed + search), wall: p50 %.0f us, p99 %.0f us, p99.9 %.0f us, max %.0f us\n", b.p50,
        b.p99, b.p999, b.max);
    std::printf("lookup, text in, thread CPU: p50 %.0f us, p99 %.0f us, p99.9 %.0f us\n", bc.p50, bc.p99, bc.p999);
    double load[3] = { 0, 0, 0 };
    if (getloadavg(load, 3) > 0)
        std::printf(
            "machine load average while measuring: %.2f (%u cores)\n", load[0], std::thread::hardware_concurrency());
    std::printf("near queries whose nearest is the question they were made from: %.1f%%\n",
        100.0 * foundOrigin / std::max(1, nearQueries));

    // Recall against an exact scan: of the exact k nearest, how many the index returned, and
    // whether its first is the exact first.
    int agree = 0, foundOfK = 0;
    const int sample = std::min(recallSample, queries);
    for (int i = 0; i < sample; ++i) {
        const float *qv = qvecs[size_t(i)].constData();
        std::vector<std::pair<float, qint64>> exact;
        exact.reserve(size_t(n));
        for (qint64 j = 0; j < n; ++j) {
            const float *v = flat.data() + size_t(j) * size_t(dims);
            float dot = 0;
            for (int d = 0; d < dims; ++d)
                dot += qv[d] * v[d];
            exact.emplace_back(dot, j + 1);
        }
        std::partial_sort(
            exact.begin(), exact.begin() + k, exact.end(), [](auto &x, auto &y) { return x.first > y.first; });
        const auto hits = dir.search(space, qvecs[size_t(i)], k);
        agree += !hits.empty() && hits[0].entry.entryId == exact[0].second ? 1 : 0;
        for (int j = 0; j < k; ++j)
            foundOfK += std::any_of(hits.begin(), hits.end(),
                            [&](const VectorNeighbour &h) { return h.entry.entryId == exact[size_t(j)].second; })
                ? 1
                : 0;
    }
    if (sample > 0)
        std::printf("recall against an exact scan (%d queries): recall@%d %.1f%%, top-1 the exact top-1 %.1f%% "
                    "(index stores half floats: %s)\n",
            sample, k, 100.0 * foundOfK / (sample * k), 100.0 * agree / sample, index->halfPrecision() ? "yes" : "no");
    return 0;
}
