#pragma once

#include <atomic>

#include "chatprovider.h"

namespace l0 {

// Counters shared by every thread's simulated provider, so tests can prove that a hit made
// no upstream call.
struct SimulatedStats {
    std::atomic<qint64> calls { 0 };
};

struct SimulatedOptions {
    int latencyMs = 0; // time to the first token
    int chunkDelayMs = 0; // between streamed chunks
};

// The only fake in the system: a deterministic stand-in for an LLM API. The answer is derived
// from the model and the whole conversation, token usage is counted the way a real tokenizer
// roughly would (about 4 characters a token), max_tokens truncates with finish_reason
// "length". A user message containing "[sim-fail:CODE]" makes it fail with that HTTP status.
class SimulatedProvider final : public ChatProvider {
    Q_OBJECT
public:
    SimulatedProvider(SimulatedOptions options, std::shared_ptr<SimulatedStats> stats, QObject *parent = nullptr);
    QString name() const override { return QStringLiteral("sim"); }
    std::shared_ptr<UpstreamCall> chat(const ChatRequest &request, ChatSink sink) override;

    // The complete answer the simulator gives to a request (used by tests as the oracle).
    static Result<ChatResult> answer(const ChatRequest &request);
    static qint64 estimateTokens(const QString &text);

private:
    SimulatedOptions m_options;
    std::shared_ptr<SimulatedStats> m_stats;
};

} // namespace l0
