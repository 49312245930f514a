#include "nodeservice.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

#include "api/anthropiccodec.h"
#include "api/errormapping.h"
#include "api/openaicodec.h"
#include "cache/exactkey.h"
#include "cache/hotcache.h"
#include "cache/l0key.h"
#include "core/logging.h"
#include "core/text.h"
#include "metrics.h"
#include "normalize/intentmatcher.h"
#include "normalize/slottemplate.h"
#include "packdirectory.h"
#include "storeworker.h"
#include "tenantdirectory.h"
#include "upstream/simulatedprovider.h"

namespace l0 {

using http::HeaderList;
using http::HttpRequest;
using http::ResponderPtr;

namespace {

const QByteArray kJson = QByteArrayLiteral("application/json");
const QByteArray kSse = QByteArrayLiteral("text/event-stream");

QByteArray bearerToken(const HttpRequest &request)
{
    const QByteArray auth = request.header("authorization");
    if (auth.size() > 7 && auth.left(7).compare("Bearer ", Qt::CaseInsensitive) == 0)
        return auth.mid(7).trimmed();
    return request.header("x-api-key").trimmed();
}

struct CacheControl {
    bool noCache = false;
    bool noStore = false;
};

CacheControl parseCacheControl(const QByteArray &value)
{
    CacheControl cc;
    for (const QByteArray &part : value.split(',')) {
        const QByteArray p = part.trimmed().toLower();
        if (p == "no-cache")
            cc.noCache = true;
        else if (p == "no-store")
            cc.noStore = true;
    }
    return cc;
}

bool validNamespace(const QByteArray &ns)
{
    if (ns.size() > 128)
        return false;
    for (char c : ns) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '/' || c == ':'))
            return false;
    }
    return true;
}

QString newCompletionId()
{
    return QStringLiteral("chatcmpl-l0") + QString::fromLatin1(randomBytes(12).toHex());
}

HeaderList streamHeaders()
{
    return { { "Content-Type", kSse }, { "Cache-Control", "no-cache" } };
}

std::atomic<quint64> g_serviceGeneration { 0 };

// Whether the tenant's policy lets this answer be served now (for shadow tenants: whether it
// would be): approved, or a low-risk candidate for auto_low_risk, and not past its lifetime.
bool servable(const CachedAnswer &a, Policy policy)
{
    if (a.expiresMs > 0 && a.expiresMs <= QDateTime::currentMSecsSinceEpoch())
        return false;
    if (a.state == VersionState::Approved)
        return true;
    return policy == Policy::AutoLowRisk && a.state == VersionState::Pending && a.risk == QLatin1String("low");
}

} // namespace

// Per worker thread, so no locks: identical request bodies skip parsing and key hashing, and
// cached answers keep their rendered JSON. Both are bounded and simply start over when full.
struct NodeService::WorkerMemo {
    struct Parsed {
        ChatRequest request;
        QByteArray key;
        QString uncacheable;
        // The L0 result for this body under the pack that computed it.
        std::shared_ptr<const IntentMatcher> matcher;
        IntentMatch intent;
        QByteArray l0Key;
    };
    static constexpr int kMaxEntries = 4096;
    static constexpr qsizetype kMaxBody = 16 * 1024;
    QHash<QByteArray, Parsed> parsed;
    QHash<QByteArray, QByteArray> openAiTails;
};

NodeService::WorkerMemo &NodeService::memo()
{
    thread_local QHash<quint64, std::shared_ptr<WorkerMemo>> memos;
    auto &m = memos[m_generation];
    if (!m)
        m = std::make_shared<WorkerMemo>();
    return *m;
}

// Everything one chat request needs while it is in flight.
struct NodeService::Call {
    ResponderPtr responder;
    ChatRequest request;
    Tenant tenant;
    QString ns;
    QByteArray key;
    CacheControl cacheControl;
    QString uncacheable;
    QElapsedTimer timer;
    std::shared_ptr<const CachedAnswer> answer;
    bool shadowHit = false;
    std::unique_ptr<api::WireRenderer> renderer;
    bool streamStarted = false;
    std::shared_ptr<UpstreamCall> upstream;
    // The L0 tier: the tenant's pack, what it made of the query, and the key.
    std::shared_ptr<const IntentMatcher> matcher;
    IntentMatch intent;
    QByteArray l0Key;
    QByteArray memoKey;
};

namespace {
} // namespace

NodeService::NodeService(Deps deps, NodeServiceOptions options)
    : m_deps(std::move(deps))
    , m_options(std::move(options))
    , m_generation(++g_serviceGeneration)
{
}

NodeService::~NodeService() = default;

ChatProvider *NodeService::provider()
{
    QThread *thread = QThread::currentThread();
    std::lock_guard lock(m_providersMutex);
    auto it = m_providers.constFind(thread);
    if (it != m_providers.constEnd())
        return *it;
    ChatProvider *p = m_deps.providerFactory();
    m_providers.insert(thread, p);
    QObject::connect(thread, &QThread::finished, p, &QObject::deleteLater);
    QObject::connect(
        p, &QObject::destroyed, p,
        [this, thread] {
            std::lock_guard lock(m_providersMutex);
            m_providers.remove(thread);
        },
        Qt::DirectConnection);
    return p;
}

void NodeService::sendJson(const ResponderPtr &responder, int status, const QByteArray &body, const HeaderList &extra)
{
    HeaderList headers { { "Content-Type", kJson } };
    headers += extra;
    m_deps.metrics->countRequest(status);
    responder->send(status, headers, body);
}

void NodeService::sendError(const ResponderPtr &responder, int status, const QString &message, const QString &param,
    const QString &code, const HeaderList &extra)
{
    sendJson(responder, status, api::openAiErrorBody(status, message, param, code), extra);
}

void NodeService::sendWireError(const ResponderPtr &responder, WireFormat wire, int status, const QString &message,
    const QString &param, const QString &code, const HeaderList &extra)
{
    if (wire == WireFormat::Anthropic)
        return sendJson(responder, status, api::anthropicErrorBody(status, message), extra);
    sendError(responder, status, message, param, code, extra);
}

void NodeService::handleRequest(const HttpRequest &request, const ResponderPtr &responder)
{
    const QByteArray &path = request.path;
    const bool get = request.method == "GET" || request.method == "HEAD";
    const bool post = request.method == "POST";

    if (path == "/v1/chat/completions" || path == "/chat/completions") {
        if (!post)
            return sendError(responder, 405, QStringLiteral("use POST for %1").arg(QString::fromLatin1(path)), {}, {},
                { { "Allow", "POST" } });
        return handleChat(request, responder, WireFormat::OpenAi);
    }
    if (path == "/v1/messages") {
        if (!post)
            return sendWireError(responder, WireFormat::Anthropic, 405, QStringLiteral("use POST for /v1/messages"), {},
                {}, { { "Allow", "POST" } });
        return handleChat(request, responder, WireFormat::Anthropic);
    }
    if (path == "/v1/models" || path == "/models") {
        if (!get)
            return sendError(responder, 405, QStringLiteral("use GET for /v1/models"), {}, {}, { { "Allow", "GET" } });
        return handleModels(request, responder);
    }
    if (path == "/healthz")
        return sendJson(responder, 200, R"({"status":"ok"})");
    if (path == "/readyz") {
        const bool ready = m_deps.store->isReady();
        return sendJson(responder, ready ? 200 : 503,
            ready ? QByteArray(R"({"status":"ready"})")
                  : QByteArray(R"({"status":"not_ready","reason":"store unavailable"})"));
    }
    if (path == "/metrics") {
        m_deps.metrics->countRequest(200);
        const qint64 sim = m_deps.simStats ? m_deps.simStats->calls.load() : -1;
        return responder->send(200, { { "Content-Type", "text/plain; version=0.0.4" } },
            m_deps.metrics->render(qint64(m_deps.cache->size()), m_deps.store->isReady(), sim));
    }
    sendError(responder, 404,
        QStringLiteral("unknown route: %1 %2")
            .arg(QString::fromLatin1(request.method), QString::fromLatin1(path.left(200))),
        {}, QStringLiteral("unknown_url"));
}

void NodeService::handleModels(const HttpRequest &request, const ResponderPtr &responder)
{
    if (!m_deps.tenants->authenticate(bearerToken(request)))
        return sendError(
            responder, 401, QStringLiteral("missing or unknown API key"), {}, QStringLiteral("invalid_api_key"));
    QJsonArray data;
    const QStringList models { QStringLiteral("gpt-4o"), QStringLiteral("gpt-4o-mini"), QStringLiteral("gpt-4.1"),
        QStringLiteral("gpt-4.1-mini"), QStringLiteral("gpt-4.1-nano") };
    for (const QString &m : models) {
        data.append(QJsonObject { { QLatin1String("id"), m }, { QLatin1String("object"), QStringLiteral("model") },
            { QLatin1String("created"), 0 }, { QLatin1String("owned_by"), QStringLiteral("l0") } });
    }
    sendJson(responder, 200,
        QJsonDocument(
            QJsonObject { { QLatin1String("object"), QStringLiteral("list") }, { QLatin1String("data"), data } })
            .toJson(QJsonDocument::Compact));
}

void NodeService::handleChat(const HttpRequest &request, const ResponderPtr &responder, WireFormat wire)
{
    auto call = std::make_shared<Call>();
    call->timer.start();
    call->responder = responder;

    const auto tenant = m_deps.tenants->authenticate(bearerToken(request));
    if (!tenant) {
        m_deps.metrics->countOutcome(Metrics::Outcome::Error, "");
        return sendWireError(responder, wire, 401,
            request.hasHeader("authorization") || request.hasHeader("x-api-key")
                ? QStringLiteral("unknown API key")
                : QStringLiteral("missing API key: send 'Authorization: Bearer KEY'"),
            {}, QStringLiteral("invalid_api_key"));
    }
    call->tenant = *tenant;

    const QByteArray ns = request.header("x-l0-namespace");
    if (!validNamespace(ns)) {
        m_deps.metrics->countOutcome(Metrics::Outcome::Error, "");
        return sendWireError(responder, wire, 400,
            QStringLiteral("x-l0-namespace must be at most 128 characters of A-Z a-z 0-9 - _ . / :"));
    }
    call->ns = ns.isEmpty() ? QStringLiteral("") : QString::fromLatin1(ns);
    call->cacheControl = parseCacheControl(request.header("cache-control"));

    WorkerMemo &memo = this->memo();
    QByteArray memoKey;
    if (request.body.size() <= WorkerMemo::kMaxBody) {
        memoKey.reserve(request.body.size() + ns.size() + 12);
        memoKey.append(char(wire))
            .append(reinterpret_cast<const char *>(&call->tenant.id), sizeof(qint64))
            .append(ns)
            .append('\n');
        memoKey.append(request.body);
    }
    call->memoKey = memoKey;
    auto known = memoKey.isEmpty() ? memo.parsed.constEnd() : memo.parsed.constFind(memoKey);
    if (known != memo.parsed.constEnd()) {
        call->request = known->request;
        call->key = known->key;
        call->uncacheable = known->uncacheable;
    } else {
        if (!isValidUtf8(request.body)) {
            m_deps.metrics->countOutcome(Metrics::Outcome::Error, "");
            return sendWireError(responder, wire, 400, QStringLiteral("the request body is not valid UTF-8"));
        }
        // Like the upstream APIs, the body is read as JSON whatever Content-Type says (curl -d
        // sends form encoding by default).
        auto parsed = wire == WireFormat::Anthropic ? api::parseAnthropicMessages(request.body)
                                                    : api::parseOpenAiChat(request.body);
        if (!parsed) {
            m_deps.metrics->countOutcome(Metrics::Outcome::Error, "");
            return sendWireError(responder, wire, 400, parsed.error().message, parsed.error().field);
        }
        call->request = std::move(parsed.value());
        call->uncacheable = uncacheableReason(call->request);
        if (call->uncacheable.isEmpty())
            call->key = exactKey(call->tenant.id, call->ns, call->request);
        if (!memoKey.isEmpty()) {
            if (memo.parsed.size() >= WorkerMemo::kMaxEntries)
                memo.parsed.clear();
            memo.parsed.insert(memoKey,
                WorkerMemo::Parsed {
                    call->request, call->key, call->uncacheable, nullptr, IntentMatch {}, QByteArray() });
        }
    }

    if (wire == WireFormat::Anthropic)
        call->renderer = std::make_unique<api::AnthropicRenderer>(
            QStringLiteral("msg_l0") + QString::fromLatin1(randomBytes(12).toHex()), call->request.model);
    else
        call->renderer = std::make_unique<api::OpenAiRenderer>(
            newCompletionId(), QDateTime::currentSecsSinceEpoch(), call->request.model, call->request.includeUsage);

    if (m_options.logContent)
        qCDebug(lcNode) << "chat" << call->tenant.name << call->request.lastUserText().left(200);

    if (!call->key.isEmpty() && !call->cacheControl.noCache) {
        auto answer = m_deps.cache->find(HotKey { call->tenant.id, Tier::Exact, call->key });
        if (answer && servable(*answer, call->tenant.policy)) {
            if (call->tenant.policy == Policy::Shadow) {
                call->shadowHit = true;
            } else {
                call->answer = std::move(answer);
                return serveHit(call, Tier::Exact, call->answer->result, true);
            }
        }
    }
    if (!call->key.isEmpty() && tryIntentTier(call))
        return;
    forward(call);
}

bool NodeService::tryIntentTier(const std::shared_ptr<Call> &call)
{
    call->matcher = m_deps.packs ? m_deps.packs->matcherFor(call->tenant.id) : nullptr;
    if (!call->matcher)
        return false;
    WorkerMemo &memo = this->memo();
    auto known = call->memoKey.isEmpty() ? memo.parsed.end() : memo.parsed.find(call->memoKey);
    if (known != memo.parsed.end() && known->matcher == call->matcher) {
        call->intent = known->intent;
        call->l0Key = known->l0Key;
    } else {
        call->intent = call->matcher->match(call->request.lastUserText());
        if (!call->intent.abstained)
            call->l0Key = l0KeyFor(call->tenant, call->ns, call->matcher->pack().id(), call->request, call->intent);
        if (known != memo.parsed.end()) {
            known->matcher = call->matcher;
            known->intent = call->intent;
            known->l0Key = call->l0Key;
        }
    }
    if (call->intent.abstained)
        return false;
    if (call->cacheControl.noCache)
        return false;
    auto answer = m_deps.cache->find(HotKey { call->tenant.id, Tier::L0, call->l0Key });
    if (!answer || !servable(*answer, call->tenant.policy))
        return false;
    // A template whose slot this query lacks is not served: the lookup falls through.
    const QString text = answer->result.text();
    const auto filled = fillTemplate(text, call->intent.slotValues);
    if (!filled)
        return false;
    if (call->tenant.policy == Policy::Shadow) {
        call->shadowHit = true;
        return false;
    }
    call->answer = std::move(answer);
    if (*filled == text)
        serveHit(call, Tier::L0, call->answer->result, true);
    else {
        ChatResult result = call->answer->result;
        result.message.insert(QLatin1String("content"), *filled);
        serveHit(call, Tier::L0, result, false);
    }
    return true;
}

void NodeService::serveHit(const std::shared_ptr<Call> &call, Tier tier, const ChatResult &result, bool renderedOnce)
{
    const CachedAnswer &a = *call->answer;
    if (!result.modelUsed.isEmpty())
        call->renderer->setModel(result.modelUsed);
    const HeaderList cacheHeaders { { "x-l0-cache", "hit" }, { "x-l0-tier", tierName(tier) },
        { "x-l0-entry", QByteArray::number(a.entryId) + '@' + QByteArray::number(a.version) } };
    CostEvent e;
    e.tsMs = QDateTime::currentMSecsSinceEpoch();
    e.tenantId = call->tenant.id;
    e.ns = call->ns;
    e.intent = call->intent.abstained ? QString() : call->intent.intent;
    e.tier = tier;
    e.modelRequested = call->request.model;
    e.modelUsed = result.modelUsed.isEmpty() ? call->request.model : result.modelUsed;
    e.promptTokens = result.usage.promptTokens;
    e.completionTokens = result.usage.completionTokens;
    e.actualMicros = 0;
    e.baselineMicros = m_deps.prices.cost(call->request.model, result.usage);
    e.entryId = a.entryId;
    e.latencyMs = call->timer.elapsed();
    if (e.baselineMicros)
        m_deps.metrics->addSaved(*e.baselineMicros);
    m_deps.metrics->countOutcome(Metrics::Outcome::Hit, tierName(tier));
    m_deps.store->submitLedger(std::move(e));
    if (call->request.stream) {
        HeaderList headers = streamHeaders();
        headers += cacheHeaders;
        m_deps.metrics->countRequest(200);
        call->responder->beginStream(200, headers);
        QByteArray all;
        for (const QByteArray &frame : call->renderer->replayStream(result))
            all += frame;
        call->responder->write(all);
        call->responder->endStream();
    } else if (call->request.wire == WireFormat::OpenAi && renderedOnce) {
        auto *renderer = static_cast<api::OpenAiRenderer *>(call->renderer.get());
        WorkerMemo &memo = this->memo();
        const QByteArray tailKey
            = QByteArray::number(a.entryId) + '@' + QByteArray::number(a.version) + '|' + call->request.model.toUtf8();
        auto tail = memo.openAiTails.constFind(tailKey);
        if (tail == memo.openAiTails.constEnd()) {
            if (memo.openAiTails.size() >= WorkerMemo::kMaxEntries)
                memo.openAiTails.clear();
            tail = memo.openAiTails.insert(tailKey, renderer->completionTail(result));
        }
        sendJson(call->responder, 200, renderer->completionHead() + *tail, cacheHeaders);
    } else {
        sendJson(call->responder, 200, call->renderer->completion(result), cacheHeaders);
    }
}

void NodeService::startStream(const std::shared_ptr<Call> &call, const HeaderList &cacheHeaders)
{
    if (call->streamStarted)
        return;
    call->streamStarted = true;
    HeaderList headers = streamHeaders();
    headers += cacheHeaders;
    m_deps.metrics->countRequest(200);
    call->responder->beginStream(200, headers);
    call->responder->write(call->renderer->streamStart());
}

void NodeService::forward(const std::shared_ptr<Call> &call)
{
    Metrics::Outcome outcome = Metrics::Outcome::Miss;
    QByteArray cacheHeader = "miss";
    if (call->shadowHit) {
        outcome = Metrics::Outcome::ShadowHit;
        cacheHeader = "shadow-hit";
    } else if (call->key.isEmpty() || call->cacheControl.noCache) {
        outcome = Metrics::Outcome::Bypass;
        cacheHeader = "bypass";
    }
    m_deps.metrics->countOutcome(outcome, "upstream");
    const HeaderList cacheHeaders { { "x-l0-cache", cacheHeader }, { "x-l0-tier", "upstream" } };

    std::weak_ptr<Call> weak = call;
    call->responder->setOnAbort([weak] {
        if (auto c = weak.lock(); c && c->upstream)
            c->upstream->cancel();
    });

    ChatSink sink;
    sink.onDelta = [this, call, cacheHeaders](const QJsonObject &delta) {
        if (!call->request.stream)
            return;
        startStream(call, cacheHeaders);
        call->responder->write(call->renderer->streamDelta(delta));
    };
    sink.onComplete = [this, call, cacheHeaders](const ChatResult &upstreamResult) {
        ChatResult result = upstreamResult;
        if (result.modelUsed.isEmpty())
            result.modelUsed = call->request.model;
        m_deps.metrics->observeUpstreamLatency(call->timer.elapsed());
        call->renderer->setModel(result.modelUsed);
        CostEvent e;
        e.tsMs = QDateTime::currentMSecsSinceEpoch();
        e.tenantId = call->tenant.id;
        e.ns = call->ns;
        e.intent = call->intent.abstained ? QString() : call->intent.intent;
        e.intent = call->intent.abstained ? QString() : call->intent.intent;
        e.tier = Tier::Upstream;
        e.shadowHit = call->shadowHit;
        e.modelRequested = call->request.model;
        e.modelUsed = result.modelUsed;
        e.promptTokens = result.usage.promptTokens;
        e.completionTokens = result.usage.completionTokens;
        e.actualMicros = m_deps.prices.cost(result.modelUsed, result.usage);
        e.baselineMicros = m_deps.prices.cost(call->request.model, result.usage);
        e.latencyMs = call->timer.elapsed();
        m_deps.store->submitLedger(std::move(e));

        const QString fr = result.finishReason;
        const bool complete
            = fr == QLatin1String("stop") || fr == QLatin1String("length") || fr == QLatin1String("tool_calls");
        if (!call->key.isEmpty() && !call->cacheControl.noStore && complete) {
            Candidate c;
            c.tenantId = call->tenant.id;
            c.ns = call->ns;
            c.model = call->request.model;
            c.query = call->request.lastUserText();
            c.result = result;
            if (!call->l0Key.isEmpty()) {
                // The query maps to an intent: the answer is offered for the whole intent, with
                // this query's slot values turned into placeholders.
                c.tier = QStringLiteral("l0");
                c.cacheKey = call->l0Key;
                const ProposedTemplate t = proposeTemplate(result.text(), call->intent.slotValues);
                if (t.changed())
                    c.result.message.insert(QLatin1String("content"), t.text);
                QJsonObject req
                    = QJsonDocument::fromJson(canonicalExactRequest(call->tenant.id, call->ns, call->request)).object();
                QJsonArray slotList;
                for (const SlotValue &v : call->intent.slotValues)
                    slotList.append(
                        QJsonObject { { QLatin1String("name"), v.name }, { QLatin1String("value"), v.value } });
                req.insert(QLatin1String("l0"),
                    QJsonObject { { QLatin1String("pack"), call->matcher->pack().id() },
                        { QLatin1String("intent"), call->intent.intent }, { QLatin1String("key"), call->intent.key() },
                        { QLatin1String("slots"), slotList },
                        { QLatin1String("template_slots"), QJsonArray::fromStringList(t.slotsUsed) } });
                c.requestJson = QJsonDocument(req).toJson(QJsonDocument::Compact);
            } else {
                c.tier = QStringLiteral("exact");
                c.cacheKey = call->key;
                c.requestJson = canonicalExactRequest(call->tenant.id, call->ns, call->request);
            }
            c.risk = QStringLiteral("low"); // the store worker's safety pass sets the real risk
            c.author = QStringLiteral("upstream:%1").arg(result.modelUsed);
            c.createdMs = QDateTime::currentMSecsSinceEpoch();
            m_deps.store->submitCandidate(std::move(c));
        }
        // Recorded before the answer goes out: what the client has seen is never lost.
        if (call->request.stream) {
            startStream(call, cacheHeaders);
            call->responder->write(call->renderer->streamFinish(result));
            call->responder->endStream();
        } else {
            sendJson(call->responder, 200, call->renderer->completion(result), cacheHeaders);
        }
    };
    sink.onError = [this, call](const Error &error) {
        m_deps.metrics->addUpstreamError();
        const int status = api::httpStatusFor(error);
        qCWarning(lcUpstream) << "upstream call failed:" << status << error.message;
        CostEvent e;
        e.tsMs = QDateTime::currentMSecsSinceEpoch();
        e.tenantId = call->tenant.id;
        e.ns = call->ns;
        e.intent = call->intent.abstained ? QString() : call->intent.intent;
        e.intent = call->intent.abstained ? QString() : call->intent.intent;
        e.tier = Tier::Upstream;
        e.modelRequested = call->request.model;
        e.modelUsed = call->request.model;
        e.actualMicros = 0; // failed calls are not billed
        e.baselineMicros = 0;
        e.status = status;
        e.latencyMs = call->timer.elapsed();
        m_deps.store->submitLedger(std::move(e));
        if (call->streamStarted) {
            // Headers are gone already: report the failure inside the stream and end it.
            call->responder->write(call->renderer->streamError(status, error.message));
            call->responder->endStream();
        } else {
            sendWireError(call->responder, call->request.wire, status, error.message, {},
                QStringLiteral("upstream_error"), { { "x-l0-cache", "miss" }, { "x-l0-tier", "upstream" } });
        }
    };
    call->upstream = provider()->chat(call->request, std::move(sink));
}

} // namespace l0
