#pragma once

#include "embedder.h"

namespace l0 {

// The built-in embedder: no model to download. A text's words (semanticWords) become
// features, each hashed (FNV-1a, 64 bit) to one of dimensions() signed bins:
//   - each word's light stem, weighted by how much it says (function words 0.25, generic
//     question words such as "best" or "way" 0.5, other words 1);
//   - each pair of adjacent stems, at half the pair's weight (word order, "not working");
//   - the character 3- and 4-grams of each content word, sharing half its weight (spelling
//     variants and inflections that the stem misses).
// The vector is normalised. Deterministic: the same text gives the same vector on every
// machine and run; nothing is learned, so the space never changes under a model id.
class HashedNgramEmbedder final : public Embedder {
public:
    explicit HashedNgramEmbedder(int dimensions = 512);

    QString modelId() const override;
    int dimensions() const override { return m_dimensions; }
    bool computesInline() const override { return true; }
    Result<QList<Embedding>> embed(const QStringList &texts) const override;

    Embedding embedOne(const QString &text) const;

    // The weight a word carries (before normalisation), as described above.
    static float wordWeight(const QString &word);

private:
    int m_dimensions;
};

} // namespace l0
