#pragma once

#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QMutex>
#include <QObject>
#include <QStringList>

#include <atomic>
#include <memory>

#include "core/result.h"
#include "http/irequesthandler.h"

namespace l0 {

namespace http {
class HttpServer;
}

// Faults the simulated upstream injects. Shares are deterministic, never random: with a share r,
// the k-th call (counted per model) has the fault when floor(k*r + phase) > floor((k-1)*r + phase),
// so exactly r of every run of calls has it, evenly spread. The phase is 0 for errors with seed
// 0 (r = 0.25 fails calls 4, 8, 12, ...); the seed shifts every kind's phase. When several kinds
// fall on one call, the first in this order wins: error, rate limit, hang, cut, stream error.
struct SimulatedFaults {
    double errorRate = 0; // answered with errorStatus (JSON: error_rate)
    int errorStatus = 503; // error_status; 529 is Anthropic's overloaded_error
    double rateLimitRate = 0; // answered 429 with a Retry-After header (rate_limit_rate)
    int retryAfterSeconds = 1; // retry_after_s
    double hangRate = 0; // never answered: the client times out (hang_rate)
    double cutRate = 0; // the connection drops mid-answer (cut_rate)
    int cutAfterEvents = 2; // stream events sent before a cut (cut_after_events)
    double streamErrorRate = 0; // streams end with an error event of errorStatus (stream_error_rate)
    int firstByteDelayMs = 0; // before anything is sent, every call (first_byte_delay_ms)
    int chunkDelayMs = 0; // between stream events (chunk_delay_ms)
    int refuseAfterCalls = 0; // after this many calls, stop listening... (refuse_after_calls; 0: never)
    int refuseMs = 0; // ...for this long, then listen again on the same port (refuse_ms; 0: for good)
    quint64 seed = 0; // seed
    // Outcomes of the first calls, in order, before the shares apply (script): "ok", an HTTP
    // status ("500", "429" with Retry-After, "529"), "hang", "cut", "stream_error", or "refuse"
    // (drop this connection and stop listening for refuseMs).
    QStringList script;

    // Reads the keys above (snake_case) over `base`; unknown keys and bad values are errors.
    static Result<SimulatedFaults> fromJson(const QJsonObject &json, const SimulatedFaults &base);
    QJsonObject toJson() const;
};

struct SimulatedUpstreamConfig {
    SimulatedFaults faults; // for every model
    QHash<QString, SimulatedFaults> models; // per model, each read over `faults` (JSON: "models")

    // {"error_rate": 0.2, ..., "models": {"gpt-4o": {"script": ["503"]}}}
    static Result<SimulatedUpstreamConfig> fromJson(const QJsonObject &json);
    QJsonObject toJson() const;
};

struct SimulatedUpstreamOptions {
    QByteArray apiKey; // when set, required: "Authorization: Bearer KEY" (or, Anthropic, "x-api-key: KEY")
    int threads = 2;
    SimulatedUpstreamConfig config;
};

// The simulated upstream LLM as an HTTP server (the one fake of the test suite), on the project's
// own HTTP server. It speaks both wire formats, plain and streamed, with usage:
//   POST /v1/chat/completions   OpenAI (base URL http://127.0.0.1:PORT/v1)
//   POST /v1/messages           Anthropic (base URL http://127.0.0.1:PORT); needs anthropic-version
// Requests are validated by the node's own parsers, answered by SimulatedProvider::answer()
// (deterministic text, tool calls, "[sim-fail:NNN]", stop sequences, max_tokens) and rendered by
// the node's own renderers. Faults as configured (SimulatedFaults).
//   POST /v1/embeddings         OpenAI embeddings: deterministic vectors (simulatedEmbedding(),
//                               "dimensions" honoured, default 256; float or base64), usage
//                               reported; faults as for chat (counted per model); an input holding
//                               "[sim-fail:NNN]" is answered with that status
//   GET  /stats                 {"calls", "models": {model: n}, "paths", "outcomes", "listening",
//                                "last_request": {"path", "model", "body", "anthropic_version"}}
//   POST /stats/reset           zeroes the counts and restarts every fault sequence
//   GET  /control/faults        the fault configuration; POST replaces it (and restarts sequences)
//   POST /control/refuse        {"ms": N}: stop listening for N ms (0: for good)
//   GET  /healthz
// Only loopback addresses. Keys are compared, never logged or reported.
class SimulatedUpstreamServer final : public QObject, public http::IRequestHandler {
    Q_OBJECT
public:
    explicit SimulatedUpstreamServer(SimulatedUpstreamOptions options, QObject *parent = nullptr);
    ~SimulatedUpstreamServer() override;

    Status start(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    void stop();
    quint16 port() const { return m_port; }
    bool isListening() const { return !m_refusing.load(); }

    void setConfig(const SimulatedUpstreamConfig &config);
    SimulatedUpstreamConfig config() const;
    QJsonObject stats() const;
    qint64 calls(const QString &model = QString()) const;
    void resetStats();
    // Stops listening (and drops requests on open connections) for ms milliseconds (0: for good).
    // Thread-safe; takes effect on the server's thread.
    void refuseConnections(int ms);

    void handleRequest(const http::HttpRequest &request, const http::ResponderPtr &responder) override;

private:
    enum class Outcome { Ok, Status, Hang, Cut, StreamError, Refuse };
    struct Decision {
        Outcome outcome = Outcome::Ok;
        int status = 0;
        SimulatedFaults faults;
        bool refuseAfter = false;
    };
    Decision decide(const QString &model, const QByteArray &path, bool stream);
    void countOutcome(const char *name);
    void handleChat(const http::HttpRequest &request, const http::ResponderPtr &responder, bool anthropic);
    void handleEmbeddings(const http::HttpRequest &request, const http::ResponderPtr &responder);
    void stopListening(int ms);
    void resume();

    SimulatedUpstreamOptions m_options;
    std::unique_ptr<http::HttpServer> m_http;
    QHostAddress m_address;
    quint16 m_port = 0;
    std::atomic<bool> m_refusing { false };
    std::atomic<quint64> m_ids { 0 };

    mutable QMutex m_mutex;
    SimulatedUpstreamConfig m_config;
    QHash<QString, qint64> m_sequence; // per model: calls since the fault configuration was set
    qint64 m_calls = 0;
    QHash<QString, qint64> m_modelCalls;
    QHash<QString, qint64> m_pathCalls;
    QHash<QString, qint64> m_outcomes;
    QJsonObject m_lastRequest;
};

} // namespace l0
