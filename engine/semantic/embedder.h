#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QVector>

#include <functional>
#include <memory>

#include "core/result.h"

namespace l0 {

using Embedding = QVector<float>;

// Turns texts into vectors of one space. Every vector an embedder returns has dimensions()
// floats and unit length (cosine similarity is the dot product), or is all zeros for a text
// with nothing to embed. Two embedders with the same modelId() put the same text at the same
// point; vectors of different model ids are never compared (the vector index keeps one space
// per model id).
//
// Thread-safe: any thread may call any function at once.
class Embedder {
public:
    virtual ~Embedder() = default;

    // Names the vector space, e.g. "builtin:hash-ngram-v1:512" or "remote:<base url>#<model>".
    virtual QString modelId() const = 0;
    virtual int dimensions() const = 0;
    // True when embed() only computes (microseconds per text, no I/O), so an event-loop
    // thread may call it inline. False (remote embedders): call embedAsync(), or embed() on a
    // worker thread only.
    virtual bool computesInline() const = 0;

    // One vector per text, in order. May block (network) when computesInline() is false.
    virtual Result<QList<Embedding>> embed(const QStringList &texts) const = 0;

    // The same, without blocking the caller: done is called exactly once, on an unspecified
    // thread. The default runs embed() on QThreadPool::globalInstance(); a remote embedder
    // overrides it with its asynchronous client.
    using Done = std::function<void(Result<QList<Embedding>>)>;
    virtual void embedAsync(const QStringList &texts, Done done) const;
};

// Builds an embedder from a spec: "builtin" (the default, see HashedNgramEmbedder) or
// "builtin:DIM". Other kinds (remote /v1/embeddings) are added here by their owners.
Result<std::shared_ptr<const Embedder>> embedderFromSpec(const QString &spec);

// The text of a request the semantic tier embeds and compares: the last user turn.
// (Declared in semantic/semantictext.h together with the context key.)

} // namespace l0
