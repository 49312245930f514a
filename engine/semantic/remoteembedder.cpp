#include "semantic/remoteembedder.h"

#include <QCache>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <QRandomGenerator>
#include <QThread>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>
#include <QtEndian>

#include <cmath>
#include <cstring>
#include <deque>
#include <future>
#include <mutex>
#include <vector>

#include "core/clock.h"
#include "core/logging.h"
#include "core/text.h"
#include "upstream/upstreamerror.h"
#include "upstream/upstreamtransport.h"

namespace l0 {

namespace {

// One caller's texts on their way.
struct Job {
    QList<Embedding> vectors;
    int remaining = 0;
    Embedder::Done done;
    bool finished = false;
};

// Texts sent together in one HTTP call (and its retries).
struct Batch {
    QList<QByteArray> keys;
    QStringList texts;
    int attempt = 0;
    qint64 deadlineMs = 0;
};

// What came back for one HTTP call.
struct Reply {
    int status = 0;
    QByteArray retryAfterMs, retryAfter;
    QByteArray body;
};

bool normalise(Embedding &v)
{
    double sum = 0;
    for (float x : v) {
        if (!std::isfinite(x))
            return false;
        sum += double(x) * x;
    }
    if (sum > 0) {
        const float inv = float(1.0 / std::sqrt(sum));
        for (float &x : v)
            x *= inv;
    }
    return true;
}

Error badAnswer(const QString &name, const QString &why)
{
    Error e = makeError(ErrorCode::UpstreamError, QStringLiteral("embedder %1: %2").arg(name, why));
    e.upstreamStatus = 502;
    return e;
}

} // namespace

// The embedder's HTTP side, on its own thread: the queue of texts, the batches in flight, the
// transport. The cache, the breaker and the counters are read from any thread.
class RemoteEmbedderWorker final : public QObject {
public:
    RemoteEmbedderWorker(RemoteEmbedderOptions options, const Clock *clock, std::shared_ptr<std::atomic<int>> dims)
        : m_options(std::move(options))
        , m_clock(clock ? clock : Clock::system())
        , m_dims(std::move(dims))
        , m_breaker(m_options.breaker)
    {
        m_cache.setMaxCost(qMax(0, m_options.cacheEntries));
        m_url = QUrl(m_options.baseUrl + QStringLiteral("/embeddings"));
    }

    QByteArray keyOf(const QString &text, const QString &modelId) const
    {
        return sha256Hex(modelId.toUtf8() + '\0' + text.toUtf8());
    }

    bool cached(const QByteArray &key, Embedding *out)
    {
        std::lock_guard lock(m_cacheMutex);
        if (const Embedding *e = m_cache.object(key)) {
            *out = *e;
            return true;
        }
        return false;
    }

    // On the worker thread.
    void enqueue(const std::shared_ptr<Job> &job, const QList<QByteArray> &keys, const QStringList &texts,
        const QList<int> &indices)
    {
        if (m_stopped) {
            finish(job, makeError(ErrorCode::Unavailable, QStringLiteral("embedder %1 stopped").arg(m_options.name)));
            return;
        }
        for (int i = 0; i < keys.size(); ++i) {
            auto it = m_waiting.find(keys[i]);
            if (it == m_waiting.end()) {
                it = m_waiting.insert(keys[i], Waiting { texts[i], {} });
                m_queue.push_back(keys[i]);
            }
            it->callers.push_back({ job, indices[i] });
        }
        pump();
    }

    void shutdown()
    {
        m_stopped = true;
        const Error e = makeError(ErrorCode::Unavailable, QStringLiteral("embedder %1 stopped").arg(m_options.name));
        for (auto &w : m_waiting) {
            for (auto &c : w.callers)
                finish(c.job, e);
        }
        m_waiting.clear();
        m_queue.clear();
        delete m_transport;
        m_transport = nullptr;
    }

    RemoteEmbedder::Stats stats() const
    {
        RemoteEmbedder::Stats s;
        s.httpCalls = m_httpCalls.load();
        s.retries = m_retries.load();
        s.failedCalls = m_failedCalls.load();
        s.breakerRejections = m_breakerRejections.load();
        s.cacheHits = m_cacheHits.load();
        s.cacheMisses = m_cacheMisses.load();
        s.promptTokens = m_promptTokens.load();
        return s;
    }

    CircuitBreaker::State breakerState() const
    {
        std::lock_guard lock(m_breakerMutex);
        return m_breaker.state(m_clock->nowMs());
    }

    std::atomic<qint64> m_cacheHits { 0 };
    std::atomic<qint64> m_cacheMisses { 0 };

private:
    struct Caller {
        std::shared_ptr<Job> job;
        int index = 0;
    };
    struct Waiting {
        QString text;
        std::vector<Caller> callers;
    };

    static void finish(const std::shared_ptr<Job> &job, Result<QList<Embedding>> result)
    {
        if (job->finished)
            return;
        job->finished = true;
        auto done = std::move(job->done);
        done(std::move(result));
    }

    void pump()
    {
        while (!m_stopped && m_inFlight < qMax(1, m_options.maxInFlight) && !m_queue.empty()) {
            auto batch = std::make_shared<Batch>();
            while (!m_queue.empty() && batch->keys.size() < qMax(1, m_options.batchSize)) {
                const QByteArray key = m_queue.front();
                m_queue.pop_front();
                const auto it = m_waiting.constFind(key);
                if (it == m_waiting.cend())
                    continue;
                batch->keys.append(key);
                batch->texts.append(it->text);
            }
            if (batch->keys.isEmpty())
                break;
            batch->deadlineMs = m_clock->nowMs() + qMax(1, m_options.retry.deadlineMs);
            send(batch);
        }
    }

    void send(const std::shared_ptr<Batch> &batch)
    {
        if (m_stopped)
            return;
        ++batch->attempt;
        {
            std::lock_guard lock(m_breakerMutex);
            if (!m_breaker.allow(m_clock->nowMs())) {
                ++m_breakerRejections;
                complete(batch,
                    makeError(ErrorCode::Unavailable,
                        QStringLiteral("embedder %1: circuit open after repeated failures").arg(m_options.name)));
                return;
            }
        }
        if (!m_transport)
            m_transport = new UpstreamTransport(this);
        QJsonObject body { { QLatin1String("model"), m_options.model },
            { QLatin1String("input"), QJsonArray::fromStringList(batch->texts) },
            { QLatin1String("encoding_format"), QStringLiteral("float") } };
        if (m_options.dimensions > 0)
            body.insert(QLatin1String("dimensions"), m_options.dimensions);
        http::ClientRequest request;
        request.url = m_url;
        request.headers.emplaceBack(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json"));
        if (!m_options.apiKey.isEmpty())
            request.headers.emplaceBack(QByteArrayLiteral("Authorization"), QByteArray("Bearer " + m_options.apiKey));
        request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
        request.firstByteTimeoutMs = m_options.timeoutMs;
        request.totalTimeoutMs = m_options.timeoutMs;
        ++m_inFlight;
        ++m_httpCalls;
        auto reply = std::make_shared<Reply>();
        http::ClientHandler handler;
        handler.onHead = [reply](const http::ClientResponseHead &head) {
            reply->status = head.status;
            reply->retryAfterMs = head.header("retry-after-ms");
            reply->retryAfter = head.header("retry-after");
        };
        handler.onData = [reply](const QByteArray &bytes) { reply->body += bytes; };
        handler.onFinished = [this, batch, reply] { outcome(batch, parse(*batch, *reply)); };
        handler.onError = [this, batch](const http::ClientError &e) { outcome(batch, transportError(e)); };
        (void)m_transport->send(std::move(request), std::move(handler));
    }

    Result<QList<Embedding>> parse(const Batch &batch, const Reply &reply)
    {
        if (reply.status != 200) {
            QString message = QJsonDocument::fromJson(reply.body)
                                  .object()
                                  .value(QLatin1String("error"))
                                  .toObject()
                                  .value(QLatin1String("message"))
                                  .toString();
            if (message.isEmpty())
                message = QStringLiteral("HTTP %1").arg(reply.status);
            Error e
                = makeError(ErrorCode::UpstreamError, QStringLiteral("embedder %1: %2").arg(m_options.name, message));
            e.upstreamStatus = reply.status;
            e.retryAfterMs = retryAfterMsFromHeaders(reply.retryAfterMs, reply.retryAfter, m_clock->nowMs());
            return e;
        }
        const QJsonObject o = QJsonDocument::fromJson(reply.body).object();
        const QJsonArray data = o.value(QLatin1String("data")).toArray();
        if (data.size() != batch.texts.size())
            return badAnswer(
                m_options.name, QStringLiteral("%1 embeddings for %2 texts").arg(data.size()).arg(batch.texts.size()));
        QList<Embedding> out(batch.texts.size());
        QList<bool> seen(batch.texts.size(), false);
        for (qsizetype i = 0; i < data.size(); ++i) {
            const QJsonObject item = data.at(i).toObject();
            const qsizetype index = item.contains(QLatin1String("index"))
                ? qsizetype(item.value(QLatin1String("index")).toInteger(-1))
                : i;
            if (index < 0 || index >= out.size() || seen[index])
                return badAnswer(m_options.name, QStringLiteral("embedding index %1 out of place").arg(index));
            seen[index] = true;
            const QJsonValue ev = item.value(QLatin1String("embedding"));
            Embedding v;
            if (ev.isArray()) {
                const QJsonArray a = ev.toArray();
                v.resize(a.size());
                for (qsizetype j = 0; j < a.size(); ++j)
                    v[j] = float(a.at(j).toDouble());
            } else if (ev.isString()) {
                const QByteArray raw = QByteArray::fromBase64(ev.toString().toLatin1());
                v.resize(raw.size() / qsizetype(sizeof(float)));
                for (qsizetype j = 0; j < v.size(); ++j)
                    v[j] = qFromLittleEndian<float>(raw.constData() + j * qsizetype(sizeof(float)));
            }
            if (v.isEmpty() || !normalise(v))
                return badAnswer(m_options.name, QStringLiteral("embedding %1 is empty or not finite").arg(index));
            const int want = m_options.dimensions > 0 ? m_options.dimensions : m_dims->load();
            if (want > 0 && v.size() != want) {
                Error e = makeError(ErrorCode::UpstreamError,
                    QStringLiteral("embedder %1: an embedding of %2 dimensions, %3 expected")
                        .arg(m_options.name)
                        .arg(v.size())
                        .arg(want));
                return e; // no status: not retried, the server is not what it was said to be
            }
            if (want == 0) {
                int expected = 0;
                m_dims->compare_exchange_strong(expected, int(v.size()));
            }
            out[index] = std::move(v);
        }
        m_promptTokens += o.value(QLatin1String("usage")).toObject().value(QLatin1String("prompt_tokens")).toInteger();
        return out;
    }

    void outcome(const std::shared_ptr<Batch> &batch, Result<QList<Embedding>> result)
    {
        --m_inFlight;
        if (m_stopped)
            return;
        const bool retryable = !result && isRetryableUpstreamError(result.error());
        {
            std::lock_guard lock(m_breakerMutex);
            m_breaker.record(result.ok() || !retryable, m_clock->nowMs());
        }
        if (retryable && batch->attempt < qMax(1, m_options.retry.maxAttempts)) {
            const qint64 delay = backoffMs(batch->attempt, result.error().retryAfterMs);
            if (m_clock->nowMs() + delay < batch->deadlineMs) {
                ++m_retries;
                qCDebug(lcUpstream) << "embedder" << m_options.name << "retrying in" << delay << "ms after"
                                    << result.error().message;
                QTimer::singleShot(int(delay), this, [this, batch] { send(batch); });
                pump();
                return;
            }
        }
        if (!result) {
            ++m_failedCalls;
            qCWarning(lcUpstream) << "embedder" << m_options.name << "failed:" << result.error().message;
        }
        complete(batch, std::move(result));
        pump();
    }

    qint64 backoffMs(int attempt, qint64 retryAfterMs) const
    {
        // As the upstream pool: full jitter over an exponentially growing cap.
        const qint64 cap = qMin<qint64>(
            qint64(m_options.retry.maxBackoffMs), qint64(m_options.retry.baseBackoffMs) << qMin(attempt - 1, 20));
        const qint64 jittered = cap > 0 ? qint64(QRandomGenerator::global()->bounded(quint32(cap) + 1)) : 0;
        return qMax(jittered, retryAfterMs);
    }

    void complete(const std::shared_ptr<Batch> &batch, Result<QList<Embedding>> result)
    {
        for (qsizetype i = 0; i < batch->keys.size(); ++i) {
            const Waiting w = m_waiting.take(batch->keys[i]);
            if (result && m_options.cacheEntries > 0) {
                std::lock_guard lock(m_cacheMutex);
                m_cache.insert(batch->keys[i], new Embedding(result->at(i)));
            }
            for (const Caller &c : w.callers) {
                if (c.job->finished)
                    continue;
                if (!result) {
                    finish(c.job, result.error());
                    continue;
                }
                c.job->vectors[c.index] = result->at(i);
                if (--c.job->remaining == 0)
                    finish(c.job, c.job->vectors);
            }
        }
    }

    const RemoteEmbedderOptions m_options;
    const Clock *m_clock;
    std::shared_ptr<std::atomic<int>> m_dims;
    QUrl m_url;
    UpstreamTransport *m_transport = nullptr; // made on this thread
    bool m_stopped = false;
    int m_inFlight = 0;
    std::deque<QByteArray> m_queue; // keys waiting to be sent, oldest first
    QHash<QByteArray, Waiting> m_waiting; // by key: queued or in flight

    std::mutex m_cacheMutex;
    QCache<QByteArray, Embedding> m_cache;
    mutable std::mutex m_breakerMutex;
    CircuitBreaker m_breaker;
    std::atomic<qint64> m_httpCalls { 0 };
    std::atomic<qint64> m_retries { 0 };
    std::atomic<qint64> m_failedCalls { 0 };
    std::atomic<qint64> m_breakerRejections { 0 };
    std::atomic<qint64> m_promptTokens { 0 };
};

namespace {

QString modelIdOf(const RemoteEmbedderOptions &o)
{
    QString id = QStringLiteral("remote:") + o.baseUrl + QLatin1Char('#') + o.model;
    if (o.dimensions > 0)
        id += QLatin1Char('@') + QString::number(o.dimensions);
    return id;
}

} // namespace

RemoteEmbedder::RemoteEmbedder(RemoteEmbedderOptions options, const Clock *clock)
    : m_modelId(modelIdOf(options))
    , m_dimensions(std::make_shared<std::atomic<int>>(qMax(0, options.dimensions)))
    , m_thread(std::make_unique<QThread>())
{
    m_thread->setObjectName(QStringLiteral("l0-embedder"));
    m_worker = new RemoteEmbedderWorker(std::move(options), clock, m_dimensions);
    m_worker->moveToThread(m_thread.get());
    m_thread->start();
}

RemoteEmbedder::~RemoteEmbedder()
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { w->shutdown(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_worker; // its thread has ended: nothing else touches it
}

void RemoteEmbedder::embedAsync(const QStringList &texts, Done done) const
{
    auto job = std::make_shared<Job>();
    job->vectors.resize(texts.size());
    job->done = std::move(done);
    QList<QByteArray> keys;
    QStringList missing;
    QList<int> indices;
    for (int i = 0; i < texts.size(); ++i) {
        const QByteArray key = m_worker->keyOf(texts[i], m_modelId);
        if (m_worker->cached(key, &job->vectors[i])) {
            ++m_worker->m_cacheHits;
            continue;
        }
        ++m_worker->m_cacheMisses;
        keys.append(key);
        missing.append(texts[i]);
        indices.append(i);
    }
    job->remaining = int(keys.size());
    if (keys.isEmpty()) {
        job->finished = true;
        job->done(job->vectors);
        return;
    }
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, job, keys, missing, indices] { w->enqueue(job, keys, missing, indices); },
        Qt::QueuedConnection);
}

Result<QList<Embedding>> RemoteEmbedder::embed(const QStringList &texts) const
{
    if (QThread::currentThread() == m_thread.get())
        return makeError(ErrorCode::Internal, QStringLiteral("RemoteEmbedder::embed() called on its own thread"));
    auto promise = std::make_shared<std::promise<Result<QList<Embedding>>>>();
    auto future = promise->get_future();
    embedAsync(texts, [promise](Result<QList<Embedding>> r) { promise->set_value(std::move(r)); });
    return future.get();
}

RemoteEmbedder::Stats RemoteEmbedder::stats() const
{
    return m_worker->stats();
}

CircuitBreaker::State RemoteEmbedder::breakerState() const
{
    return m_worker->breakerState();
}

Result<RemoteEmbedderOptions> RemoteEmbedderOptions::fromSpec(const QString &spec, const QProcessEnvironment &env)
{
    auto bad = [&](const QString &why) {
        Error e = makeError(ErrorCode::InvalidArgument, QStringLiteral("embedder spec '%1': %2").arg(spec, why));
        e.field = QStringLiteral("embedder");
        return e;
    };
    if (!spec.startsWith(QLatin1String("openai:")))
        return bad(QStringLiteral("a remote embedder spec starts with openai:"));
    QString rest = spec.mid(7);
    QUrlQuery query;
    if (const qsizetype q = rest.indexOf(QLatin1Char('?')); q >= 0) {
        query = QUrlQuery(rest.mid(q + 1));
        rest = rest.left(q);
    }
    const qsizetype hash = rest.lastIndexOf(QLatin1Char('#'));
    if (hash <= 0 || hash == rest.size() - 1)
        return bad(QStringLiteral("write openai:BASE_URL#MODEL"));
    RemoteEmbedderOptions o;
    o.baseUrl = rest.left(hash);
    while (o.baseUrl.endsWith(QLatin1Char('/')))
        o.baseUrl.chop(1);
    o.model = rest.mid(hash + 1);
    if (const qsizetype at = o.model.lastIndexOf(QLatin1Char('@')); at > 0) {
        bool ok = false;
        o.dimensions = o.model.mid(at + 1).toInt(&ok);
        if (!ok || o.dimensions < 1)
            return bad(QStringLiteral("@DIMS must be a positive number"));
        o.model = o.model.left(at);
    }
    const QUrl url(o.baseUrl);
    if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))
        || url.host().isEmpty())
        return bad(QStringLiteral("the base URL must be http:// or https://"));
    o.name = url.host() + QLatin1Char('/') + o.model;
    o.apiKeyEnv = QStringLiteral("L0_EMBEDDER_API_KEY");
    const auto items = query.queryItems(QUrl::FullyDecoded);
    for (const auto &[key, value] : items) {
        bool ok = true;
        if (key == QLatin1String("key_env"))
            o.apiKeyEnv = value;
        else if (key == QLatin1String("batch"))
            o.batchSize = value.toInt(&ok);
        else if (key == QLatin1String("timeout_ms"))
            o.timeoutMs = value.toInt(&ok);
        else if (key == QLatin1String("in_flight"))
            o.maxInFlight = value.toInt(&ok);
        else if (key == QLatin1String("cache"))
            o.cacheEntries = value.toInt(&ok);
        else if (key == QLatin1String("attempts"))
            o.retry.maxAttempts = value.toInt(&ok);
        else
            return bad(
                QStringLiteral("unknown option %1 (known: key_env, batch, timeout_ms, in_flight, cache, attempts)")
                    .arg(key));
        if (!ok)
            return bad(QStringLiteral("%1 must be a number").arg(key));
    }
    if (o.batchSize < 1 || o.timeoutMs < 1 || o.maxInFlight < 1 || o.cacheEntries < 0 || o.retry.maxAttempts < 1)
        return bad(QStringLiteral("batch, timeout_ms, in_flight and attempts must be positive, cache not negative"));
    o.apiKey = env.value(o.apiKeyEnv).toUtf8();
    return o;
}

} // namespace l0
