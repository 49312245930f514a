#pragma once

#include <QString>
#include <QVector>

namespace l0 {

// The simulated upstream's embeddings (POST /v1/embeddings): deterministic, so tests know what a
// text maps to, and near for similar texts, so a semantic tier can be tested against them.
// Words (lower-cased letters and digits) and the character trigrams of each word are hashed
// (FNV-1a) with a sign into `dims` buckets and the sum normalised to unit length; a text with
// no word gives the zero vector. Same text, same model, same vector, on every machine.
QVector<float> simulatedEmbedding(const QString &text, int dims);

// The default dimension when the request does not ask for one.
inline constexpr int kSimulatedEmbeddingDims = 256;

} // namespace l0
