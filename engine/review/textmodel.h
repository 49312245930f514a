#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "core/result.h"

namespace l0 {

// What a model reads, and so which features it sees.
//   Text: a message (words, word pairs, character n-grams of words, shapes of numbers, links
//         and e-mail addresses, length and shouting).
//   Url:  one link (host labels, top-level domain, path words, character n-grams of host and
//         path, how the link is built).
//   Line: one line of code or configuration (identifier words, character n-grams, the shape
//         of the most secret-looking value: length, entropy, character classes, placeholders).
enum class FeatureKind { Text, Url, Line };
const char *featureKindName(FeatureKind k);
std::optional<FeatureKind> featureKindFromName(const QString &name);

// Hashed features of one input: bucket indexes, sorted and unique.
void extractFeatures(FeatureKind kind, QStringView input, int bits, std::vector<uint32_t> &out);

// A small binary logistic model over hashed features, trained on labelled public data and
// shipped as a resource. score() is a probability; the model flags at threshold, which
// training chose on held-out folds for the precision asked for.
class TextModel {
public:
    QString name;
    FeatureKind kind = FeatureKind::Text;
    int bits = 18;
    float bias = 0;
    float threshold = 0.5f;
    int features = 1; // version of what extractFeatures() gives for this kind (line models: 2)
    std::vector<float> weights; // 2^bits

    double score(QStringView input) const;
    bool flags(QStringView input) const { return score(input) >= threshold; }

    // JSON: {"format": "l0-safety-model/1", name, kind, features, bits, bias, threshold, scale,
    // weights: base64 of (uint32 index, int16 weight) pairs, little-endian}. A model whose
    // features are not the current version for its kind is refused: retrain it.
    static int currentFeatures(FeatureKind kind);
    QByteArray toJson() const;
    static Result<TextModel> fromJson(const QByteArray &json);
};

struct TrainOptions {
    FeatureKind kind = FeatureKind::Text;
    QString name;
    int bits = 18;
    int epochs = 12;
    double learningRate = 0.3;
    double l2 = 1e-6;
    double targetPrecision = 0.93; // the threshold is the lowest whose held-out precision reaches this
    int folds = 5;
};

struct TrainReport {
    double foldPrecision = 0; // out-of-fold, at the chosen threshold
    double foldRecall = 0;
    int positives = 0;
    int negatives = 0;
};

// Deterministic: the same data and options give the same model, byte for byte.
// groups (optional, one per example): rows of one group stay in one fold, so near-duplicates
// (lines of one file) cannot leak between training and held-out rows.
// The fold group of each row: its group (or the row itself without groups), merged with every
// other row whose text, white space removed, is the same. The name of a merged group is the
// smallest group name in it. Used for the training folds and by evaluations that split like them.
QStringList groupsSharingText(const std::vector<std::pair<QString, bool>> &examples, const QStringList &groups);

TextModel trainTextModel(const std::vector<std::pair<QString, bool>> &examples, const TrainOptions &options,
    TrainReport *report = nullptr, const QStringList *groups = nullptr);

} // namespace l0

namespace l0 {

// Which rows of a labelled file count, and how.
struct LabelledSource {
    QString path; // .csv (with a header) or .jsonl
    QString textField = QStringLiteral("text");
    QString labelField = QStringLiteral("label");
    QStringList positive { QStringLiteral("1") };
    QStringList negative; // empty: every other label is negative
    QString groupField; // optional: a column whose equal values form one fold group
};

// Reads (text, positive) pairs; rows with a label in neither list are left out.
// groups, when asked for, receives each kept row's group value.
Result<std::vector<std::pair<QString, bool>>> readLabelled(const LabelledSource &source, QStringList *groups = nullptr);

} // namespace l0
