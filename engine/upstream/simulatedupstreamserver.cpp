#include "simulatedupstreamserver.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutexLocker>
#include <QRegularExpression>
#include <QTimer>
#include <QtEndian>

#include <cmath>

#include "api/anthropiccodec.h"
#include "api/openaicodec.h"
#include "core/clock.h"
#include "core/logging.h"
#include "http/httpserver.h"
#include "simulatedembedding.h"
#include "simulatedprovider.h"

namespace l0 {

using http::HeaderList;
using http::HttpRequest;
using http::ResponderPtr;

namespace {

// ---- fault configuration ----------------------------------------------------------------------

Status readRate(const QJsonObject &o, const char *key, double *out)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined())
        return {};
    if (!v.isDouble() || v.toDouble() < 0 || v.toDouble() > 1)
        return makeFieldError(
            QString::fromLatin1(key), QStringLiteral("%1: must be a number from 0 to 1").arg(QLatin1String(key)));
    *out = v.toDouble();
    return {};
}

template <typename T>
Status readCount(const QJsonObject &o, const char *key, T *out, qint64 lo = 0, qint64 hi = 86'400'000)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined())
        return {};
    if (!v.isDouble() || v.toDouble() != double(v.toInteger()) || v.toInteger() < lo || v.toInteger() > hi)
        return makeFieldError(QString::fromLatin1(key),
            QStringLiteral("%1: must be a whole number from %2 to %3").arg(QLatin1String(key)).arg(lo).arg(hi));
    *out = T(v.toInteger());
    return {};
}

bool validScriptEntry(const QString &s)
{
    static const QStringList words { QStringLiteral("ok"), QStringLiteral("hang"), QStringLiteral("cut"),
        QStringLiteral("stream_error"), QStringLiteral("refuse") };
    if (words.contains(s))
        return true;
    bool ok = false;
    const int status = s.toInt(&ok);
    return ok && s.size() == 3 && status >= 400 && status <= 599;
}

bool hit(double rate, qint64 k, quint64 seed, int kind)
{
    if (rate <= 0 || k < 1)
        return false;
    const double phase = std::fmod(double(seed + quint64(kind)) * 0.6180339887498949, 1.0);
    return std::floor(double(k) * rate + phase) > std::floor(double(k - 1) * rate + phase);
}

HeaderList jsonHeaders()
{
    return { { "Content-Type", "application/json" } };
}

HeaderList sseHeaders()
{
    return { { "Content-Type", "text/event-stream" }, { "Cache-Control", "no-cache" } };
}

void sendJson(const ResponderPtr &responder, int status, const QJsonObject &o)
{
    responder->send(status, jsonHeaders(), QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// Writes frames one by one, delayMs apart, on the connection's thread. After `count` frames
// (all when count < 0), either ends the stream, sends `tail` and ends it, or (cut) drops the
// connection.
struct StreamPlan {
    QList<QByteArray> frames;
    qsizetype count = -1;
    QByteArray tail;
    bool cut = false;
    int delayMs = 0;
};

void dropSoon(const ResponderPtr &responder)
{
    // A moment for the bytes already written to leave, then the connection goes.
    QTimer::singleShot(20, [responder] { responder->closeConnection(); });
}

void writeFrames(const ResponderPtr &responder, std::shared_ptr<StreamPlan> plan, qsizetype next)
{
    const qsizetype end = plan->count < 0 ? plan->frames.size() : qMin(plan->count, plan->frames.size());
    while (next < end) {
        if (!responder->isOpen())
            return;
        responder->write(plan->frames.at(next++));
        if (plan->delayMs > 0 && next < end) {
            QTimer::singleShot(plan->delayMs, [responder, plan, next] { writeFrames(responder, plan, next); });
            return;
        }
    }
    if (plan->cut) {
        dropSoon(responder);
        return;
    }
    if (!plan->tail.isEmpty())
        responder->write(plan->tail);
    responder->endStream();
}

QByteArray errorBody(bool anthropic, int status, const QString &message)
{
    return anthropic ? api::anthropicErrorBody(status, message) : api::openAiErrorBody(status, message);
}

void sendError(
    const ResponderPtr &responder, bool anthropic, int status, const QString &message, const SimulatedFaults &f)
{
    HeaderList headers = jsonHeaders();
    if (status == 429)
        headers.append({ "retry-after", QByteArray::number(f.retryAfterSeconds) });
    responder->send(status, headers, errorBody(anthropic, status, message));
}

} // namespace

Result<SimulatedFaults> SimulatedFaults::fromJson(const QJsonObject &o, const SimulatedFaults &base)
{
    static const QStringList keys { QStringLiteral("error_rate"), QStringLiteral("error_status"),
        QStringLiteral("rate_limit_rate"), QStringLiteral("retry_after_s"), QStringLiteral("hang_rate"),
        QStringLiteral("cut_rate"), QStringLiteral("cut_after_events"), QStringLiteral("stream_error_rate"),
        QStringLiteral("first_byte_delay_ms"), QStringLiteral("chunk_delay_ms"), QStringLiteral("refuse_after_calls"),
        QStringLiteral("refuse_ms"), QStringLiteral("seed"), QStringLiteral("script") };
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!keys.contains(it.key()))
            return makeFieldError(it.key(),
                QStringLiteral("%1: not a fault setting (known: %2)").arg(it.key(), keys.join(QStringLiteral(", "))));
    }
    SimulatedFaults f = base;
    for (auto s : { readRate(o, "error_rate", &f.errorRate), readCount(o, "error_status", &f.errorStatus, 400, 599),
             readRate(o, "rate_limit_rate", &f.rateLimitRate),
             readCount(o, "retry_after_s", &f.retryAfterSeconds, 0, 3600), readRate(o, "hang_rate", &f.hangRate),
             readRate(o, "cut_rate", &f.cutRate), readCount(o, "cut_after_events", &f.cutAfterEvents, 0, 1'000'000),
             readRate(o, "stream_error_rate", &f.streamErrorRate),
             readCount(o, "first_byte_delay_ms", &f.firstByteDelayMs), readCount(o, "chunk_delay_ms", &f.chunkDelayMs),
             readCount(o, "refuse_after_calls", &f.refuseAfterCalls, 0, 1'000'000'000),
             readCount(o, "refuse_ms", &f.refuseMs), readCount(o, "seed", &f.seed, 0, 1'000'000'000'000LL) }) {
        if (!s)
            return s.error();
    }
    const QJsonValue script = o.value(QLatin1String("script"));
    if (!script.isUndefined()) {
        if (!script.isArray())
            return makeFieldError(QStringLiteral("script"), QStringLiteral("script: must be an array of outcomes"));
        f.script.clear();
        for (const QJsonValue &v : script.toArray()) {
            const QString s = v.isDouble() ? QString::number(v.toInt()) : v.toString();
            if (!validScriptEntry(s))
                return makeFieldError(QStringLiteral("script"),
                    QStringLiteral(
                        "script: '%1' is not ok, hang, cut, stream_error, refuse or an HTTP status from 400 to 599")
                        .arg(s));
            f.script << s;
        }
    }
    return f;
}

QJsonObject SimulatedFaults::toJson() const
{
    return QJsonObject {
        { QLatin1String("error_rate"), errorRate },
        { QLatin1String("error_status"), errorStatus },
        { QLatin1String("rate_limit_rate"), rateLimitRate },
        { QLatin1String("retry_after_s"), retryAfterSeconds },
        { QLatin1String("hang_rate"), hangRate },
        { QLatin1String("cut_rate"), cutRate },
        { QLatin1String("cut_after_events"), cutAfterEvents },
        { QLatin1String("stream_error_rate"), streamErrorRate },
        { QLatin1String("first_byte_delay_ms"), firstByteDelayMs },
        { QLatin1String("chunk_delay_ms"), chunkDelayMs },
        { QLatin1String("refuse_after_calls"), refuseAfterCalls },
        { QLatin1String("refuse_ms"), refuseMs },
        { QLatin1String("seed"), qint64(seed) },
        { QLatin1String("script"), QJsonArray::fromStringList(script) },
    };
}

Result<SimulatedUpstreamConfig> SimulatedUpstreamConfig::fromJson(const QJsonObject &json)
{
    QJsonObject top = json;
    const QJsonValue models = top.take(QLatin1String("models"));
    SimulatedUpstreamConfig c;
    auto faults = SimulatedFaults::fromJson(top, SimulatedFaults {});
    if (!faults)
        return faults.error();
    c.faults = *faults;
    if (!models.isUndefined() && !models.isObject())
        return makeFieldError(
            QStringLiteral("models"), QStringLiteral("models: must be an object keyed by model name"));
    const QJsonObject m = models.toObject();
    for (auto it = m.begin(); it != m.end(); ++it) {
        if (!it.value().isObject())
            return makeFieldError(QStringLiteral("models.") + it.key(),
                QStringLiteral("models.%1: must be an object of fault settings").arg(it.key()));
        auto f = SimulatedFaults::fromJson(it.value().toObject(), c.faults);
        if (!f) {
            Error e = f.error();
            e.field = QStringLiteral("models.%1.%2").arg(it.key(), e.field);
            e.message = QStringLiteral("models.%1.%2").arg(it.key(), e.message);
            return e;
        }
        c.models.insert(it.key(), *f);
    }
    return c;
}

QJsonObject SimulatedUpstreamConfig::toJson() const
{
    QJsonObject o = faults.toJson();
    QJsonObject m;
    for (auto it = models.begin(); it != models.end(); ++it)
        m.insert(it.key(), it.value().toJson());
    o.insert(QLatin1String("models"), m);
    return o;
}

SimulatedUpstreamServer::SimulatedUpstreamServer(SimulatedUpstreamOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_config(m_options.config)
{
}

SimulatedUpstreamServer::~SimulatedUpstreamServer()
{
    stop();
}

Status SimulatedUpstreamServer::start(const QHostAddress &address, quint16 port)
{
    if (!address.isLoopback())
        return makeFieldError(
            QStringLiteral("listen"), QStringLiteral("the simulated upstream listens on loopback addresses only"));
    http::HttpLimits limits;
    m_http = std::make_unique<http::HttpServer>(this, limits, m_options.threads);
    QString error;
    if (!m_http->start(address, port, &error)) {
        m_http.reset();
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(error));
    }
    m_address = address;
    m_port = m_http->serverPort();
    m_refusing = false;
    return {};
}

void SimulatedUpstreamServer::stop()
{
    if (m_http) {
        m_http->drainAndStop(0);
        m_http.reset();
    }
}

void SimulatedUpstreamServer::setConfig(const SimulatedUpstreamConfig &config)
{
    QMutexLocker lock(&m_mutex);
    m_config = config;
    m_sequence.clear();
}

SimulatedUpstreamConfig SimulatedUpstreamServer::config() const
{
    QMutexLocker lock(&m_mutex);
    return m_config;
}

QJsonObject SimulatedUpstreamServer::stats() const
{
    QMutexLocker lock(&m_mutex);
    auto toJson = [](const QHash<QString, qint64> &h) {
        QJsonObject o;
        for (auto it = h.begin(); it != h.end(); ++it)
            o.insert(it.key(), it.value());
        return o;
    };
    return QJsonObject {
        { QLatin1String("calls"), m_calls },
        { QLatin1String("models"), toJson(m_modelCalls) },
        { QLatin1String("paths"), toJson(m_pathCalls) },
        { QLatin1String("outcomes"), toJson(m_outcomes) },
        { QLatin1String("listening"), !m_refusing.load() },
        { QLatin1String("last_request"), m_lastRequest },
    };
}

qint64 SimulatedUpstreamServer::calls(const QString &model) const
{
    QMutexLocker lock(&m_mutex);
    return model.isEmpty() ? m_calls : m_modelCalls.value(model);
}

void SimulatedUpstreamServer::resetStats()
{
    QMutexLocker lock(&m_mutex);
    m_calls = 0;
    m_modelCalls.clear();
    m_pathCalls.clear();
    m_outcomes.clear();
    m_sequence.clear();
    m_lastRequest = {};
}

void SimulatedUpstreamServer::refuseConnections(int ms)
{
    m_refusing = true; // at once: requests on open connections are dropped from now on
    QMetaObject::invokeMethod(
        this, [this, ms] { stopListening(ms); }, Qt::QueuedConnection);
}

void SimulatedUpstreamServer::stopListening(int ms)
{
    m_refusing = true;
    if (m_http)
        m_http->close();
    if (ms > 0)
        QTimer::singleShot(ms, this, &SimulatedUpstreamServer::resume);
}

void SimulatedUpstreamServer::resume()
{
    if (!m_http || m_http->isListening())
        return;
    QString error;
    if (!m_http->start(m_address, m_port, &error))
        qCWarning(lcUpstream) << "simulated upstream cannot listen again on port" << m_port << error;
    else
        m_refusing = false;
}

void SimulatedUpstreamServer::countOutcome(const char *name)
{
    m_outcomes[QString::fromLatin1(name)] += 1; // under m_mutex
}

SimulatedUpstreamServer::Decision SimulatedUpstreamServer::decide(
    const QString &model, const QByteArray &path, bool stream)
{
    QMutexLocker lock(&m_mutex);
    ++m_calls;
    m_modelCalls[model] += 1;
    m_pathCalls[QString::fromLatin1(path)] += 1;
    const qint64 k = ++m_sequence[model];
    Decision d;
    d.faults = m_config.models.value(model, m_config.faults);
    const SimulatedFaults &f = d.faults;
    if (k <= f.script.size()) {
        const QString s = f.script.at(int(k - 1));
        if (s == QLatin1String("hang"))
            d.outcome = Outcome::Hang;
        else if (s == QLatin1String("cut"))
            d.outcome = Outcome::Cut;
        else if (s == QLatin1String("stream_error"))
            d.outcome = stream ? Outcome::StreamError : Outcome::Status;
        else if (s == QLatin1String("refuse"))
            d.outcome = Outcome::Refuse;
        else if (s != QLatin1String("ok")) {
            d.outcome = Outcome::Status;
            d.status = s.toInt();
        }
        if (d.outcome == Outcome::Status && d.status == 0)
            d.status = f.errorStatus;
    } else if (hit(f.errorRate, k, f.seed, 0)) {
        d.outcome = Outcome::Status;
        d.status = f.errorStatus;
    } else if (hit(f.rateLimitRate, k, f.seed, 1)) {
        d.outcome = Outcome::Status;
        d.status = 429;
    } else if (hit(f.hangRate, k, f.seed, 2)) {
        d.outcome = Outcome::Hang;
    } else if (hit(f.cutRate, k, f.seed, 3)) {
        d.outcome = Outcome::Cut;
    } else if (stream && hit(f.streamErrorRate, k, f.seed, 4)) {
        d.outcome = Outcome::StreamError;
    }
    switch (d.outcome) {
    case Outcome::Ok:
        countOutcome("ok");
        break;
    case Outcome::Status:
        countOutcome(d.status == 429 ? "rate_limit" : "error");
        break;
    case Outcome::Hang:
        countOutcome("hang");
        break;
    case Outcome::Cut:
        countOutcome("cut");
        break;
    case Outcome::StreamError:
        countOutcome("stream_error");
        break;
    case Outcome::Refuse:
        countOutcome("refuse");
        break;
    }
    d.refuseAfter = f.refuseAfterCalls > 0 && m_calls == f.refuseAfterCalls;
    return d;
}

void SimulatedUpstreamServer::handleRequest(const HttpRequest &request, const ResponderPtr &responder)
{
    if (m_refusing.load()) {
        responder->closeConnection(); // as if the connection had been refused
        return;
    }
    const QByteArray &path = request.path;
    const QByteArray &method = request.method;
    if (path == "/healthz") {
        sendJson(responder, 200, QJsonObject { { QLatin1String("status"), QStringLiteral("ok") } });
    } else if (path == "/stats" && method == "GET") {
        sendJson(responder, 200, stats());
    } else if (path == "/stats/reset" && method == "POST") {
        resetStats();
        sendJson(responder, 200, stats());
    } else if (path == "/control/faults" && method == "GET") {
        sendJson(responder, 200, config().toJson());
    } else if (path == "/control/faults" && method == "POST") {
        auto parsed = SimulatedUpstreamConfig::fromJson(QJsonDocument::fromJson(request.body).object());
        if (!parsed) {
            responder->send(
                400, jsonHeaders(), api::openAiErrorBody(400, parsed.error().message, parsed.error().field));
            return;
        }
        setConfig(*parsed);
        sendJson(responder, 200, parsed->toJson());
    } else if (path == "/control/refuse" && method == "POST") {
        const int ms = QJsonDocument::fromJson(request.body).object().value(QLatin1String("ms")).toInt();
        sendJson(responder, 200, QJsonObject { { QLatin1String("refusing_ms"), ms } });
        // After this answer has gone out.
        QMetaObject::invokeMethod(
            this, [this, ms] { stopListening(ms); }, Qt::QueuedConnection);
    } else if (path == "/v1/chat/completions" && method == "POST") {
        handleChat(request, responder, false);
    } else if (path == "/v1/messages" && method == "POST") {
        handleChat(request, responder, true);
    } else if (path == "/v1/embeddings" && method == "POST") {
        handleEmbeddings(request, responder);
    } else {
        responder->send(404, jsonHeaders(),
            api::openAiErrorBody(404,
                QStringLiteral("no such endpoint on the simulated upstream: %1 %2")
                    .arg(QString::fromLatin1(method), QString::fromLatin1(path))));
    }
}

void SimulatedUpstreamServer::handleChat(const HttpRequest &request, const ResponderPtr &responder, bool anthropic)
{
    auto parsed = anthropic ? api::parseAnthropicMessages(request.body) : api::parseOpenAiChat(request.body);
    const QString model = parsed ? parsed->model : QStringLiteral("(invalid)");
    const bool stream = parsed && parsed->stream;
    const Decision d = decide(model, request.path, stream);
    {
        QMutexLocker lock(&m_mutex);
        m_lastRequest = QJsonObject {
            { QLatin1String("path"), QString::fromLatin1(request.path) },
            { QLatin1String("model"), model },
            { QLatin1String("body"), QJsonDocument::fromJson(request.body).object() },
            { QLatin1String("anthropic_version"), QString::fromLatin1(request.header("anthropic-version")) },
        };
    }
    if (d.refuseAfter)
        QMetaObject::invokeMethod(
            this, [this, ms = d.faults.refuseMs] { stopListening(ms); }, Qt::QueuedConnection);

    const SimulatedFaults &f = d.faults;
    if (!m_options.apiKey.isEmpty()) {
        // The Messages API takes x-api-key, and (newer SDKs) a bearer token too.
        const bool ok = request.header("authorization") == "Bearer " + m_options.apiKey
            || (anthropic && request.header("x-api-key") == m_options.apiKey);
        if (!ok) {
            sendError(responder, anthropic, 401,
                anthropic ? QStringLiteral("invalid x-api-key") : QStringLiteral("Incorrect API key provided"), f);
            return;
        }
    }
    if (anthropic && !request.hasHeader("anthropic-version")) {
        sendError(responder, true, 400, QStringLiteral("anthropic-version: header is required"), f);
        return;
    }
    if (!parsed) {
        responder->send(400, jsonHeaders(),
            anthropic ? api::anthropicErrorBody(400, parsed.error().message)
                      : api::openAiErrorBody(400, parsed.error().message, parsed.error().field));
        return;
    }
    const ChatRequest req = std::move(parsed.value());
    const auto answer = SimulatedProvider::answer(req);
    const quint64 id = ++m_ids;
    QByteArray body;
    QList<QByteArray> frames;
    if (answer) {
        ChatResult result = *answer;
        result.modelUsed = req.model;
        if (anthropic) {
            api::AnthropicRenderer r(QStringLiteral("msg_sim_%1").arg(id), req.model);
            if (stream)
                frames = r.replayStream(result);
            else
                body = r.completion(result);
        } else {
            api::OpenAiRenderer r(QStringLiteral("chatcmpl-sim-%1").arg(id), Clock::system()->nowMs() / 1000, req.model,
                req.includeUsage);
            if (stream)
                frames = r.replayStream(result);
            else
                body = r.completion(result);
        }
    }
    const Outcome outcome = d.outcome;
    const int status = d.status;
    const Error simError = answer ? Error {} : answer.error();

    auto respond = [responder, anthropic, outcome, status, f, stream, body, frames, answer, simError]() {
        if (!responder->isOpen())
            return;
        switch (outcome) {
        case Outcome::Hang:
            return; // the connection keeps the request; nothing is ever sent
        case Outcome::Refuse:
            responder->closeConnection();
            return;
        case Outcome::Status:
            sendError(responder, anthropic, status,
                status == 429       ? QStringLiteral("simulated rate limit")
                    : status == 529 ? QStringLiteral("Overloaded")
                                    : QStringLiteral("simulated upstream error"),
                f);
            return;
        default:
            break;
        }
        if (!answer) {
            sendError(responder, anthropic, simError.upstreamStatus, simError.message, f);
            return;
        }
        if (!stream) {
            if (outcome == Outcome::Cut) {
                responder->beginStream(200, jsonHeaders());
                responder->write(body.left(body.size() / 2));
                dropSoon(responder);
                return;
            }
            responder->send(200, jsonHeaders(), body);
            return;
        }
        auto plan = std::make_shared<StreamPlan>();
        plan->frames = frames;
        plan->delayMs = f.chunkDelayMs;
        if (outcome == Outcome::Cut) {
            plan->cut = true;
            plan->count = qMin<qsizetype>(f.cutAfterEvents, frames.size() - 1);
        } else if (outcome == Outcome::StreamError) {
            plan->count = qMax<qsizetype>(1, frames.size() / 2);
            const QString message
                = f.errorStatus == 529 ? QStringLiteral("Overloaded") : QStringLiteral("simulated stream error");
            plan->tail = anthropic
                ? QByteArray("event: error\ndata: " + api::anthropicErrorBody(f.errorStatus, message) + "\n\n")
                : QByteArray("data: " + api::openAiErrorBody(f.errorStatus, message) + "\n\n");
        }
        responder->beginStream(200, sseHeaders());
        writeFrames(responder, plan, 0);
    };
    if (f.firstByteDelayMs > 0)
        QTimer::singleShot(f.firstByteDelayMs, respond);
    else
        respond();
}

void SimulatedUpstreamServer::handleEmbeddings(const HttpRequest &request, const ResponderPtr &responder)
{
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QString model = body.value(QLatin1String("model")).toString();
    const Decision d = decide(model.isEmpty() ? QStringLiteral("(invalid)") : model, request.path, false);
    {
        QMutexLocker lock(&m_mutex);
        m_lastRequest = QJsonObject {
            { QLatin1String("path"), QString::fromLatin1(request.path) },
            { QLatin1String("model"), model },
            { QLatin1String("body"), body },
        };
    }
    if (d.refuseAfter)
        QMetaObject::invokeMethod(
            this, [this, ms = d.faults.refuseMs] { stopListening(ms); }, Qt::QueuedConnection);
    const SimulatedFaults &f = d.faults;
    if (!m_options.apiKey.isEmpty() && request.header("authorization") != "Bearer " + m_options.apiKey) {
        sendError(responder, false, 401, QStringLiteral("Incorrect API key provided"), f);
        return;
    }
    auto invalid = [&](const QString &message, const QString &field) {
        responder->send(400, jsonHeaders(), api::openAiErrorBody(400, message, field));
    };
    if (model.isEmpty())
        return invalid(QStringLiteral("model: required"), QStringLiteral("model"));
    QStringList inputs;
    const QJsonValue input = body.value(QLatin1String("input"));
    if (input.isString()) {
        inputs << input.toString();
    } else if (input.isArray()) {
        for (const QJsonValue &v : input.toArray()) {
            if (!v.isString())
                return invalid(QStringLiteral("input: only strings are simulated"), QStringLiteral("input"));
            inputs << v.toString();
        }
    }
    if (inputs.isEmpty())
        return invalid(QStringLiteral("input: a string or a non-empty array of strings"), QStringLiteral("input"));
    const QJsonValue dimsValue = body.value(QLatin1String("dimensions"));
    const int dims = dimsValue.isUndefined() ? kSimulatedEmbeddingDims : dimsValue.toInt(0);
    if (dims < 1 || dims > 4096)
        return invalid(QStringLiteral("dimensions: from 1 to 4096"), QStringLiteral("dimensions"));
    const QString format = body.value(QLatin1String("encoding_format")).toString(QStringLiteral("float"));
    if (format != QLatin1String("float") && format != QLatin1String("base64"))
        return invalid(QStringLiteral("encoding_format: float or base64"), QStringLiteral("encoding_format"));

    int simStatus = 0;
    static const QRegularExpression failMarker(QStringLiteral("\\[sim-fail:(\\d{3})\\]"));
    QJsonArray data;
    qint64 tokens = 0;
    for (int i = 0; i < inputs.size(); ++i) {
        const auto m = failMarker.match(inputs.at(i));
        if (m.hasMatch())
            simStatus = m.captured(1).toInt();
        const QVector<float> v = simulatedEmbedding(inputs.at(i), dims);
        QJsonValue embedding;
        if (format == QLatin1String("base64")) {
            QByteArray raw(v.size() * qsizetype(sizeof(float)), Qt::Uninitialized);
            for (qsizetype j = 0; j < v.size(); ++j)
                qToLittleEndian(v[j], raw.data() + j * qsizetype(sizeof(float)));
            embedding = QString::fromLatin1(raw.toBase64());
        } else {
            QJsonArray a;
            for (float x : v)
                a.append(double(x));
            embedding = a;
        }
        data.append(QJsonObject { { QLatin1String("object"), QStringLiteral("embedding") },
            { QLatin1String("index"), i }, { QLatin1String("embedding"), embedding } });
        tokens += SimulatedProvider::estimateTokens(inputs.at(i));
    }
    const QByteArray answer = QJsonDocument(
        QJsonObject {
            { QLatin1String("object"), QStringLiteral("list") },
            { QLatin1String("data"), data },
            { QLatin1String("model"), model },
            { QLatin1String("usage"),
                QJsonObject { { QLatin1String("prompt_tokens"), tokens }, { QLatin1String("total_tokens"), tokens } } },
        })
                                  .toJson(QJsonDocument::Compact);
    const Outcome outcome = d.outcome;
    const int status = d.status;
    auto respond = [responder, outcome, status, f, answer, simStatus]() {
        if (!responder->isOpen())
            return;
        switch (outcome) {
        case Outcome::Hang:
            return; // nothing is ever sent
        case Outcome::Refuse:
            responder->closeConnection();
            return;
        case Outcome::Status:
            sendError(responder, false, status,
                status == 429 ? QStringLiteral("simulated rate limit") : QStringLiteral("simulated upstream error"), f);
            return;
        case Outcome::Cut:
            responder->beginStream(200, jsonHeaders());
            responder->write(answer.left(answer.size() / 2));
            dropSoon(responder);
            return;
        default:
            break;
        }
        if (simStatus > 0) {
            sendError(responder, false, simStatus, QStringLiteral("simulated failure"), f);
            return;
        }
        responder->send(200, jsonHeaders(), answer);
    };
    if (f.firstByteDelayMs > 0)
        QTimer::singleShot(f.firstByteDelayMs, respond);
    else
        respond();
}

} // namespace l0
