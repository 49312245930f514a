#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

#include <cstdint>
#include <vector>

#include "core/chat.h"

namespace l0 {

// What a router model sees of a request (and, for a cascade, of the weak model's answer).
// Only what the request carries: its messages (lengths, code, math, reasoning and multi-step
// markers, script, conversation depth, system prompt), whether tools are offered, and hashed
// word unigrams and bigrams of the last user message. Never the model name, ids or labels.
//
// dense: one value per name of requestFeatureNames() (then answerFeatureNames() for a cascade),
// unscaled (the model standardises them). hashed: bucket indexes in [0, 2^bits), sorted, unique.
struct RouteFeatures {
    std::vector<float> dense;
    std::vector<uint32_t> hashed;
};

// Bumped whenever an extractor changes what it gives; models of another version are refused.
constexpr int kRouteFeaturesVersion = 1;

const QStringList &requestFeatureNames();
const QStringList &answerFeatureNames();

// Pure functions of their arguments; safe from any thread.
void requestFeatures(const ChatRequest &request, int bits, RouteFeatures &out);
// requestFeatures() followed by the answer's own features (dense appended, hashed in a separate
// salted space).
void cascadeFeatures(const ChatRequest &request, QStringView answer, int bits, RouteFeatures &out);

// The arithmetic a text shows and whether it holds: GSM8K-style calculator annotations
// <<48/2=24>> and plain "16 - 7 = 9" chains. Exposed for tests.
struct ArithmeticCheck {
    int annotations = 0;
    int wrongAnnotations = 0;
    int equations = 0;
    int wrongEquations = 0;
    bool hasLastResult = false;
    double lastResult = 0; // the result of the last annotation (or equation when none)
};
ArithmeticCheck checkArithmetic(QStringView text);

// Evaluates + - * / and parentheses over decimal numbers ("1,000" and "$" allowed); false when
// the text is not such an expression.
bool evaluateArithmetic(QStringView expression, double *value);

} // namespace l0
