#pragma once

#include <QHash>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <vector>

#include "auth/jwtconfig.h"
#include "core/result.h"
#include "http/httplimits.h"
#include "http/tlscontext.h"

namespace l0 {

// One configured upstream LLM API ("upstreams" in the config file).
struct UpstreamConfig {
    QString name; // for logs, metrics and breakers
    QString kind; // openai (OpenAI or any compatible server) | anthropic | sim (in-process, for demos/tests)
    QString baseUrl; // as the official SDKs take it: ".../v1" for openai, the host for anthropic
    QString apiKeyEnv; // the environment variable holding the key; the key itself is never in a file
    QByteArray apiKey; // read from apiKeyEnv at load; never written anywhere
    QStringList models; // the models it serves
    int timeoutMs = 120'000; // without any byte from the upstream
};

// How the upstream pool retries and when it gives a provider a rest.
struct RetryConfig {
    int maxAttempts = 3; // per model in the chain, first try included
    int baseBackoffMs = 100; // doubled each retry, with jitter
    int maxBackoffMs = 5'000;
    int deadlineMs = 120'000; // for the whole client request, fallbacks included
};

struct BreakerConfig {
    int windowMs = 30'000; // outcomes older than this do not count
    int minCalls = 5; // fewer outcomes in the window never open the breaker
    int failurePercent = 50; // opens at this share of failures
    int openMs = 5'000; // first rest; doubles each time it opens again, up to maxOpenMs
    int maxOpenMs = 60'000;
};

// One remote embedder ("embedders" in the config file): any OpenAI-compatible
// POST /v1/embeddings (OpenAI, Ollama, TEI, vLLM, llama.cpp's server), named for "remote:NAME".
// Retries and the breaker follow "retry" and "breaker", as the upstream pool does.
struct EmbedderConfig {
    QString name;
    QString baseUrl; // ".../v1"
    QString model;
    QString apiKeyEnv; // the environment variable holding the key; empty: none is sent
    QByteArray apiKey; // read from apiKeyEnv at load; never written anywhere
    int dimensions = 0; // > 0: asked for and checked; 0: the model's own
    int batchSize = 64;
    int maxInFlight = 4;
    int timeoutMs = 10'000;
    int cacheEntries = 10'000; // embeddings kept by text hash
};

// The semantic tier ("semantic"): on or off, the embedder its entries and queries go through,
// and which tiers' approved entries are embedded into the index.
struct SemanticConfig {
    bool enabled = false;
    QString embedder = QStringLiteral("builtin"); // builtin | builtin:DIM | openai:URL#MODEL[@DIMS] | remote:NAME
    QStringList tiers { QStringLiteral("exact") };
    int indexThreads = 1; // threads building the index when many vectors load at once
};

// Everything l0-node can be told. Sources, later ones winning: built-in defaults, the JSON
// config file, environment variables, command-line flags (applied by the caller).
struct NodeConfig {
    QString db; // store URL; empty: sqlite in the user's data directory
    QString listenHost = QStringLiteral("127.0.0.1");
    quint16 port = 8080;
    int threads = 0; // 0: one per core
    http::HttpLimits limits;
    QString upstream = QStringLiteral("auto"); // sim | openai | auto (openai when a key is set)
    QString upstreamBaseUrl = QStringLiteral("https://api.openai.com/v1");
    QByteArray upstreamApiKey; // from the environment only; never written anywhere
    int upstreamTimeoutMs = 120'000;
    QStringList upstreamModels; // what GET /v1/models lists; empty: every model in the price table
    // Several upstreams: with any, a model none of them serves is a 404 model_not_found;
    // without, the single upstream above serves every model.
    std::vector<UpstreamConfig> upstreams;
    QHash<QString, QStringList> fallbacks; // model -> models tried after it, in order
    // The model catalogue's additions and overrides ({"NAME": {"context_window": ..., "tools": ...}},
    // see ModelCatalogue), over the built-in one.
    QJsonObject models;
    RetryConfig retry;
    BreakerConfig breaker;
    // Tenant limits (set per tenant in the store): how many nodes share them (each enforces
    // 1/limitNodes of every per-minute limit), and the time zone a monthly budget's month is in.
    int limitNodes = 1;
    QString budgetTimeZone = QStringLiteral("UTC");
    // Responses API: how long stored responses can be continued or read back, and how many the
    // node keeps (the oldest go first).
    int responsesRetentionS = 30 * 24 * 3600;
    int responsesMaxStored = 100'000;
    int simLatencyMs = 0;
    int simChunkDelayMs = 0;
    QString pricesFile; // extra prices merged over the built-in table
    int syncIntervalMs = 500;
    int drainTimeoutMs = 10'000;
    bool logContent = false;
    QStringList adminPubkeys; // pinned admin public keys (trust)
    bool trustDatabase = false; // serve approvals unverified when nothing is pinned (--trust-database)
    QString journal; // base path of the local journal; empty: derived from db and listen
    QString safetyProfiles; // directory of tenant safety profiles, TENANT.json; empty: built-in for all
    // Browser origins (scheme://host[:port]) the MCP server at /mcp accepts besides loopback ones;
    // a request with any other Origin header is refused (DNS rebinding).
    QStringList mcpAllowedOrigins;

    // HTTPS on the listener ("tls": cert_file, key_file, key_passphrase_env); off when both
    // files are empty. The files are re-read on SIGHUP.
    http::TlsFiles tls;
    QString tlsKeyPassphraseEnv;
    bool tlsEnabled() const { return !tls.certFile.isEmpty() || !tls.keyFile.isEmpty(); }

    JwtConfig jwt; // JWTs accepted instead of API keys ("jwt"); off unless a key source is set

    SemanticConfig semantic;
    std::vector<EmbedderConfig> embedders;

    // Resolves "auto" against the environment: openai when an API key is present.
    QString effectiveUpstream() const;
};

// Reads a JSON config file (unknown keys are errors, so typos do not pass silently) and
// applies environment overrides: L0_DB, L0_LISTEN, L0_THREADS, L0_UPSTREAM, OPENAI_API_KEY,
// OPENAI_BASE_URL, L0_MAX_BODY_BYTES, L0_LOG_CONTENT, L0_TLS_CERT_FILE, L0_TLS_KEY_FILE.
Result<NodeConfig> loadNodeConfig(const QString &file, const QProcessEnvironment &env);

// Both TLS files or neither; the passphrase read from the variable the config names.
Status finishTlsConfig(NodeConfig *c, const QProcessEnvironment &env);

// "host:port", "[v6]:port" or ":port".
Status parseListen(const QString &value, QString *host, quint16 *port);

} // namespace l0
