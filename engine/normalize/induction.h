#pragma once

#include <QString>

#include <memory>
#include <vector>

#include "core/result.h"
#include "replay.h"
#include "rulepack.h"

namespace l0 {

struct InductionOptions {
    QString name = QStringLiteral("induced");
    int version = 1;
    double targetFalseHitRate = 0.01;
    // Out-of-scope queries are usually rarer in training data than in traffic: when the data
    // has any, calibration assumes at least this share of traffic is out of scope.
    double assumedOutOfScopeShare = 0.2;
    int folds = 5;
    double safety = 1.0; // calibrate to this fraction of the target (below 1: headroom for new data)
    int epochs = 10;
    double learningRate = 0.2;
    double l2 = 2e-5;
    int maxFeaturesPerIntent = 100000;
    double intentMarginShrink = 0.65; // an intent's own margin may be this fraction of the pack's, at least
    qint32 minFeatureWeight = 15; // milli-units; smaller weights are dropped from the pack
    int charNgrams = 0;
    bool rawWords = true; // also the words as written (measured: more coverage at the same false-hit rate)
};

struct InductionReport {
    int rows = 0;
    int intents = 0;
    int outOfScopeRows = 0;
    int features = 0;
    qint32 margin = 0;
    double heldOutCoverage = 0; // share of in-scope held-out rows answered
    double heldOutFalseHitRate = 0; // projected, with the out-of-scope share above
};

// Learns a rule pack from labelled examples: a linear model over the pack's own features
// (words and word pairs after normalization), quantized to integer weights, with the abstain
// margin calibrated on held-out folds so that the expected false-hit rate stays under the
// target. Rows with an empty label teach an out-of-scope class. Deterministic.
Result<std::shared_ptr<const RulePack>> inducePack(
    const std::vector<LabelledText> &rows, const InductionOptions &options, InductionReport *report = nullptr);

} // namespace l0
