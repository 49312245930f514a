#include "node.h"

#include <QCoreApplication>
#include <QDir>
#include <QStandardPaths>
#include <QThread>
#include <QTimeZone>

#include "core/text.h"

#include "apiresponse.h"
#include "auth/jwtverifier.h"
#include "authenticator.h"
#include "cache/hotcache.h"
#include "cache/semantictier.h"
#include "cacheapicontroller.h"
#include "chatcompletionscontroller.h"
#include "chatexchange.h"
#include "core/logging.h"
#include "feedbackcontroller.h"
#include "healthcontroller.h"
#include "http/httpserver.h"
#include "ledger/pricetable.h"
#include "mcp/mcpcontroller.h"
#include "mcp/mcpsessions.h"
#include "mcp/mcptools.h"
#include "mcp/storereader.h"
#include "messagescontroller.h"
#include "metrics.h"
#include "modelscontroller.h"
#include "normalize/packdirectory.h"
#include "responsebook.h"
#include "responsescontroller.h"
#include "route/modelrouter.h"
#include "router.h"
#include "semantic/remoteembedder.h"
#include "semantic/semanticcorpus.h"
#include "semantic/semanticindexer.h"
#include "semantic/thresholdbook.h"
#include "semantic/vectorindexdirectory.h"
#include "service/cacheservice.h"
#include "service/conversationstore.h"
#include "service/ratelimiter.h"
#include "storeworker.h"
#include "tenantdirectory.h"
#include "trust/signing.h"
#include "upstream/anthropicprovider.h"
#include "upstream/coalescer.h"
#include "upstream/modelcatalogue.h"
#include "upstream/openaiprovider.h"
#include "upstream/simulatedprovider.h"
#include "upstream/upstreampool.h"

namespace l0 {

namespace {

// The semantic tier's embedder: "remote:NAME" from the config's embedders (with the pool's retry
// and breaker settings), anything else as embedderFromSpec() reads it.
Result<std::shared_ptr<const Embedder>> semanticEmbedder(const NodeConfig &config, const Clock *clock)
{
    const QString spec = config.semantic.embedder.trimmed();
    if (!spec.startsWith(QLatin1String("remote:")))
        return embedderFromSpec(spec);
    const QString name = spec.mid(7);
    for (const EmbedderConfig &e : config.embedders) {
        if (e.name != name)
            continue;
        RemoteEmbedderOptions o;
        o.name = e.name;
        o.baseUrl = e.baseUrl;
        o.model = e.model;
        o.apiKeyEnv = e.apiKeyEnv;
        o.apiKey = e.apiKey;
        o.dimensions = e.dimensions;
        o.batchSize = e.batchSize;
        o.maxInFlight = e.maxInFlight;
        o.timeoutMs = e.timeoutMs;
        o.cacheEntries = e.cacheEntries;
        o.retry = config.retry;
        o.breaker = config.breaker;
        return std::shared_ptr<const Embedder>(std::make_shared<RemoteEmbedder>(std::move(o), clock));
    }
    return makeError(ErrorCode::InvalidArgument,
        QStringLiteral("semantic.embedder %1: no embedder named '%2' in \"embedders\"").arg(spec, name));
}

} // namespace

Node::Node(NodeConfig config)
    : m_config(std::move(config))
{
}

Node::~Node()
{
    stop();
}

QString Node::upstreamDescription() const
{
    if (!m_config.upstreams.empty()) {
        QStringList parts;
        for (const UpstreamConfig &u : m_config.upstreams)
            parts << QStringLiteral("%1 (%2%3%4)")
                         .arg(u.name, u.kind, u.baseUrl.isEmpty() ? QString() : QStringLiteral(" at "), u.baseUrl);
        return QStringLiteral("upstreams ") + parts.join(QStringLiteral(", "));
    }
    if (m_config.effectiveUpstream() == QLatin1String("sim"))
        return QStringLiteral("simulated upstream");
    return QStringLiteral("OpenAI-compatible upstream at %1").arg(m_config.upstreamBaseUrl);
}

Result<std::vector<UpstreamEndpoint>> Node::upstreamEndpoints()
{
    auto openAi = [](const QString &name, const QString &baseUrl, const QByteArray &key,
                      int timeoutMs) -> Result<UpstreamEndpoint> {
        OpenAiOptions opts;
        opts.baseUrl = QUrl(baseUrl);
        if (!opts.baseUrl.isValid() || opts.baseUrl.scheme().isEmpty())
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("bad upstream base URL: %1").arg(baseUrl));
        opts.apiKey = key;
        opts.timeoutMs = timeoutMs;
        return UpstreamEndpoint { name, QStringLiteral("openai"), {},
            [opts]() -> ChatProvider * { return new OpenAiProvider(opts); } };
    };
    auto simulated = [this](const QString &name) {
        if (!m_simStats)
            m_simStats = std::make_shared<SimulatedStats>();
        const SimulatedOptions opts { m_config.simLatencyMs, m_config.simChunkDelayMs };
        auto stats = m_simStats;
        return UpstreamEndpoint { name, QStringLiteral("sim"), {},
            [opts, stats]() -> ChatProvider * { return new SimulatedProvider(opts, stats); } };
    };

    std::vector<UpstreamEndpoint> endpoints;
    if (m_config.upstreams.empty()) {
        if (m_config.effectiveUpstream() == QLatin1String("sim")) {
            endpoints.push_back(simulated(QStringLiteral("sim")));
        } else {
            if (m_config.upstreamApiKey.isEmpty())
                return makeError(
                    ErrorCode::InvalidArgument, QStringLiteral("the openai upstream needs OPENAI_API_KEY"));
            auto e = openAi(QStringLiteral("openai"), m_config.upstreamBaseUrl, m_config.upstreamApiKey,
                m_config.upstreamTimeoutMs);
            if (!e)
                return e.error();
            endpoints.push_back(std::move(*e));
        }
        return endpoints;
    }
    for (const UpstreamConfig &u : m_config.upstreams) {
        UpstreamEndpoint e;
        if (u.kind == QLatin1String("sim")) {
            e = simulated(u.name);
        } else {
            if (u.apiKey.isEmpty())
                return makeError(ErrorCode::InvalidArgument,
                    QStringLiteral("upstream %1 needs its key in the environment variable %2")
                        .arg(u.name, u.apiKeyEnv));
            if (u.kind == QLatin1String("openai")) {
                auto made = openAi(u.name, u.baseUrl, u.apiKey, u.timeoutMs);
                if (!made)
                    return made.error();
                e = std::move(*made);
            } else {
                AnthropicOptions opts;
                opts.baseUrl = QUrl(u.baseUrl);
                opts.apiKey = u.apiKey;
                opts.timeoutMs = u.timeoutMs;
                e = UpstreamEndpoint { u.name, u.kind, {},
                    [opts]() -> ChatProvider * { return new AnthropicProvider(opts); } };
            }
        }
        e.models = u.models;
        endpoints.push_back(std::move(e));
    }
    return endpoints;
}

Status Node::start()
{
    auto prices = PriceTable::builtin();
    if (!prices)
        return prices.error();
    if (!m_config.pricesFile.isEmpty()) {
        auto extra = PriceTable::fromFile(m_config.pricesFile);
        if (!extra)
            return extra.error();
        prices->merge(*extra);
    }

    m_cache = std::make_unique<HotCache>();
    m_tenants = std::make_unique<TenantDirectory>();
    std::unique_ptr<JwtVerifier> jwt;
    if (m_config.jwt.enabled()) {
        auto made = JwtVerifier::create(m_config.jwt, m_clock);
        if (!made)
            return made.error();
        jwt = std::move(*made);
        qCInfo(lcNode) << "accepting JWTs besides API keys," << jwt->keyCount() << "key(s)";
    }
    m_auth = std::make_unique<Authenticator>(m_tenants.get(), std::move(jwt));
    m_packs = std::make_unique<PackDirectory>();
    m_metrics = std::make_unique<Metrics>();
    m_store = std::make_unique<StoreWorker>(
        m_config.db, m_cache.get(), m_tenants.get(), m_packs.get(), m_config.syncIntervalMs);
    std::vector<std::shared_ptr<SigningKey>> pins;
    for (const QString &file : m_config.adminPubkeys) {
        auto key = SigningKey::fromPublicFile(file);
        if (!key)
            return makeError(
                key.error().code, QStringLiteral("admin public key %1: %2").arg(file, key.error().message));
        pins.push_back(std::make_shared<SigningKey>(std::move(key.value())));
    }
    if (pins.empty() && !m_config.trustDatabase)
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("no admin public key is pinned: pass --admin-pubkey FILE (l0ctl admin init --dir DIR makes "
                           "one), or --trust-database to serve approvals from the database unverified"));
    if (pins.empty())
        qCCritical(lcNode) << "--trust-database: approvals are taken from the database UNVERIFIED; anyone who can "
                              "write to it decides what is served (pin an admin key with --admin-pubkey FILE)";
    m_store->setPinnedAdminKeys(std::move(pins));
    m_store->setSafetyProfiles(m_config.safetyProfiles);
    m_store->setBudgetTimeZone(QTimeZone(m_config.budgetTimeZone.toUtf8()));
    if (m_clock)
        m_store->setClock(m_clock);
    QString journal = m_config.journal;
    if (journal.isEmpty()) {
        // One journal per node: by store and listen address (and process, for port 0).
        QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        if (dir.isEmpty())
            dir = QDir::tempPath();
        QString id
            = m_config.db + QLatin1Char('|') + m_config.listenHost + QLatin1Char(':') + QString::number(m_config.port);
        if (m_config.port == 0)
            id += QLatin1Char('|') + QString::number(QCoreApplication::applicationPid())
                + QString::number(quintptr(this));
        journal = dir + QStringLiteral("/journal-") + QString::fromLatin1(sha256Hex(id.toUtf8()).left(16))
            + QStringLiteral(".l0j");
    }
    m_store->setJournal(journal);
    if (m_config.semantic.enabled) {
        auto embedder = semanticEmbedder(m_config, m_clock);
        if (!embedder)
            return embedder.error();
        m_vectors = std::make_shared<VectorIndexDirectory>();
        m_corpus = std::make_shared<SemanticCorpus>();
        m_thresholds = std::make_shared<ThresholdBook>();
        SemanticIndexer::Options io;
        io.storeUrl = m_config.db;
        io.tiers = m_config.semantic.tiers;
        io.buildThreads = m_config.semantic.indexThreads;
        std::shared_ptr<const Embedder> e = *embedder;
        m_indexer = std::make_unique<SemanticIndexer>(
            io, m_vectors, m_corpus, [e](qint64) { return e; }, m_clock);
        m_indexer->start();
        SemanticIndexer *indexer = m_indexer.get();
        m_store->setChangeListener([indexer](const VersionChange &c) { indexer->apply(c); });
        m_semantic = std::make_unique<SemanticSources>();
        m_semantic->embedder = e;
        m_semantic->index = m_vectors;
        m_semantic->corpus = m_corpus;
        m_semantic->thresholds = m_thresholds;
        // Reviewers' alias decisions (console, l0ctl, other nodes) teach the entries' thresholds.
        m_store->setAliasVerdictHandler([thresholds = m_thresholds](const AliasVerdict &v) {
            thresholds->feedVerdict(v.tenantId, v.ns, v.entryId, v.version, v.similarity, v.same);
        });
        qCInfo(lcNode).noquote() << "semantic tier on, embedder" << e->modelId();
    }
    if (auto s = m_store->start(); !s)
        return s;

    CacheService::Deps cacheDeps;
    TierSources tierSources { m_cache.get(), m_packs.get() };
    tierSources.nearMisses = m_store.get(); // near misses become alias proposals for reviewers
    tierSources.semantic = m_semantic.get();
    cacheDeps.chain = buildTierChain(tierSources);
    cacheDeps.records = m_store.get();
    cacheDeps.prices = prices.value();
    cacheDeps.clock = m_clock;
    m_service = std::make_unique<CacheService>(std::move(cacheDeps));

    auto endpoints = upstreamEndpoints();
    if (!endpoints)
        return endpoints.error();
    PoolOptions pool { m_config.retry, m_config.breaker, m_config.fallbacks };
    m_upstream = std::make_unique<UpstreamPool>(std::move(*endpoints), pool, m_clock, upstreamDescription());

    auto catalogue = ModelCatalogue::builtin();
    if (!catalogue)
        return catalogue.error();
    if (!m_config.models.isEmpty())
        catalogue->merge(
            ModelCatalogue::fromJson(QJsonObject { { QLatin1String("models"), m_config.models } }).value());
    m_catalogue = std::make_unique<ModelCatalogue>(std::move(*catalogue));

    m_coalescer = std::make_unique<Coalescer>();
    m_limiter = std::make_unique<RateLimiter>(m_clock, m_config.limitNodes);
    const ApiResponse response(m_metrics.get());
    m_modelRouter = std::make_unique<ModelRouter>();
    m_responses = std::make_unique<ResponseBook>();
    m_exchange = std::make_unique<ChatExchange>(
        ChatExchange::Deps { m_service.get(), m_upstream.get(), m_auth.get(), m_config.logContent, m_clock,
            m_coalescer.get(), m_limiter.get(), m_catalogue.get(), m_modelRouter.get(), m_responses.get() },
        response);
    m_router = std::make_unique<Router>(response);
    auto add = [this](std::unique_ptr<ApiController> c) {
        m_controllers.push_back(std::move(c));
        return m_controllers.back().get();
    };
    m_router->add({ "/v1/chat/completions", "/chat/completions" }, { "POST" },
        add(std::make_unique<ChatCompletionsController>(m_exchange.get())));
    m_router->add({ "/v1/messages" }, { "POST" }, add(std::make_unique<MessagesController>(m_exchange.get())),
        WireFormat::Anthropic);
    m_conversations = std::make_unique<ConversationStore>(
        m_clock, qint64(m_config.responsesRetentionS) * 1000, m_config.responsesMaxStored);
    auto *responses
        = add(std::make_unique<ResponsesController>(m_exchange.get(), m_conversations.get(), m_auth.get(), response));
    m_router->add({ "/v1/responses", "/responses" }, { "POST" }, responses);
    m_router->add({ "/v1/responses/*" }, { "GET", "DELETE" }, responses);
    StoreWorker *worker = m_store.get();
    const CacheApiController::Deps cacheApi { m_service.get(), m_auth.get(), m_limiter.get(), m_clock, m_cache.get(),
        [worker](Feedback f) { worker->submitFeedback(std::move(f)); } };
    m_router->add({ "/v1/cache/lookup" }, { "POST" },
        add(std::make_unique<CacheApiController>(CacheApiController::Action::Lookup, cacheApi, response)));
    m_router->add({ "/v1/cache/store" }, { "POST" },
        add(std::make_unique<CacheApiController>(CacheApiController::Action::Store, cacheApi, response)));
    m_router->add({ "/v1/cache/feedback" }, { "POST" },
        add(std::make_unique<CacheApiController>(CacheApiController::Action::Feedback, cacheApi, response)));
    // Ids the node's book does not hold (sent by other nodes, or before a restart) are looked up
    // in the store on a reader of their own, so that a slow MCP report never holds one up.
    m_responseReader = std::make_unique<mcp::StoreReader>(m_config.db, m_clock, 256, QStringLiteral("response-ids"));
    m_router->add({ "/v1/feedback" }, { "POST" },
        add(std::make_unique<FeedbackController>(
            FeedbackController::Deps { m_auth.get(), m_limiter.get(), m_clock, m_responses.get(),
                m_responseReader.get(),
                [worker](ResponseFeedback f) { worker->submitResponseFeedback(std::move(f)); } },
            response)));
    // The MCP server: reports, queue statistics, lookups and rule explanations for MCP clients.
    m_mcpReader = std::make_unique<mcp::StoreReader>(m_config.db, m_clock);
    m_mcpSessions = std::make_unique<mcp::McpSessions>(m_clock);
    m_mcpTools = std::make_unique<mcp::McpTools>(mcp::McpTools::Deps {
        m_service.get(), m_packs.get(), m_tenants.get(), m_mcpReader.get(), prices.value(), m_clock });
    m_router->add({ "/mcp" }, { "POST", "GET", "DELETE" },
        add(std::make_unique<mcp::McpController>(mcp::McpController::Deps { m_auth.get(), m_mcpTools.get(),
                                                     m_mcpSessions.get(), m_config.mcpAllowedOrigins },
            response)));
    ModelsController::Offer offer;
    offer.models = m_config.upstreamModels;
    if (offer.models.isEmpty())
        offer.models = m_upstream->configuredModels();
    if (offer.models.isEmpty())
        offer.models = prices->models();
    for (const UpstreamConfig &u : m_config.upstreams) {
        for (const QString &m : u.models)
            offer.providers[m].append(u.name);
    }
    for (auto it = m_config.fallbacks.constBegin(); it != m_config.fallbacks.constEnd(); ++it) {
        if (!offer.models.contains(it.key()) && m_upstream->serves(it.key()))
            offer.models.append(it.key());
    }
    if (m_config.upstreams.empty()) {
        for (const QString &m : std::as_const(offer.models))
            offer.providers[m] = QStringList { m_config.effectiveUpstream() };
    }
    m_router->add({ "/v1/models", "/models" }, { "GET" },
        add(std::make_unique<ModelsController>(offer, *m_catalogue, *prices, m_auth.get(), response)));
    const HealthController::Deps health { m_store.get(), m_cache.get(), m_simStats, m_upstream.get(), m_indexer.get() };
    using Probe = HealthController::Probe;
    m_router->add({ "/healthz" }, {}, add(std::make_unique<HealthController>(Probe::Health, health, response)));
    m_router->add({ "/readyz" }, {}, add(std::make_unique<HealthController>(Probe::Readiness, health, response)));
    m_router->add({ "/metrics" }, {}, add(std::make_unique<HealthController>(Probe::Metrics, health, response)));

    const int threads = m_config.threads > 0 ? m_config.threads : qMax(1, QThread::idealThreadCount());
    m_server = std::make_unique<http::HttpServer>(m_router.get(), m_config.limits, threads);
    if (m_config.tlsEnabled()) {
        auto tls = http::TlsContext::create(m_config.tls);
        if (!tls)
            return tls.error();
        m_tls = std::move(*tls);
        m_server->setTls(m_tls);
        m_metrics->setTlsCertificateExpiry(m_tls->notAfter().toSecsSinceEpoch());
        qCInfo(lcNode) << "TLS with" << m_tls->subject() << "valid until" << m_tls->notAfter().toString(Qt::ISODate);
    }
    QHostAddress address;
    if (m_config.listenHost == QLatin1String("localhost"))
        address = QHostAddress::LocalHost;
    else if (!address.setAddress(m_config.listenHost))
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("cannot listen on '%1': not an IP address").arg(m_config.listenHost));
    QString error;
    if (!m_server->start(address, m_config.port, &error))
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("cannot listen on %1:%2: %3").arg(m_config.listenHost).arg(m_config.port).arg(error));
    qCInfo(lcNode) << "serving on" << m_config.listenHost << m_server->serverPort() << "with" << threads << "threads,"
                   << upstreamDescription();
    return {};
}

Status Node::reloadTls()
{
    if (!m_tls)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("TLS is not configured: nothing to reload"));
    const Status s = m_tls->reload();
    m_metrics->countTlsReload(bool(s));
    if (!s) {
        qCWarning(lcNode) << "TLS reload refused, still serving the previous certificate:" << s.error().message;
        return s;
    }
    m_metrics->setTlsCertificateExpiry(m_tls->notAfter().toSecsSinceEpoch());
    qCInfo(lcNode) << "TLS reloaded:" << m_tls->subject() << "valid until" << m_tls->notAfter().toString(Qt::ISODate);
    return {};
}

void Node::stop()
{
    if (m_server) {
        m_server->drainAndStop(m_config.drainTimeoutMs);
        m_server.reset();
    }
    if (m_store)
        m_store->stop();
    if (m_indexer)
        m_indexer->stop();
    m_router.reset();
    m_controllers.clear();
    m_mcpTools.reset();
    m_mcpSessions.reset();
    m_mcpReader.reset();
    m_responseReader.reset();
    m_exchange.reset();
    m_coalescer.reset();
    m_upstream.reset();
    m_service.reset();
}

quint16 Node::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

} // namespace l0
