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
// Stop sequences end the answer before the first one it contains (finish "stop", the sequence in
// ChatResult::stopSequence).
//
// Tool calls, when the request offers tools, tool_choice is not "none" and the conversation ends
// with a user message: the answer calls every offered tool whose name appears in that message
// (only the first when parallel_tool_calls is false); tool_choice naming a function calls that
// one; tool_choice "required" or the marker "[sim-tool]" calls the first tool when none is named.
// Arguments follow the tool's JSON schema: each required property (all of them when none is
// required) gets its enum's first value, or "sim", 1, true, [], or an object built the same way.
// Content is null and finish_reason "tool_calls". After tool results, the answer is text again.
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
