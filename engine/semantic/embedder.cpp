#include "embedder.h"

#include <QThreadPool>

#include "hashedngramembedder.h"
#include "remoteembedder.h"

namespace l0 {

void Embedder::embedAsync(const QStringList &texts, Done done) const
{
    QThreadPool::globalInstance()->start([this, texts, done = std::move(done)]() { done(embed(texts)); });
}

Result<std::shared_ptr<const Embedder>> embedderFromSpec(const QString &spec)
{
    const QString s = spec.trimmed();
    if (s.isEmpty() || s == QLatin1String("builtin"))
        return std::shared_ptr<const Embedder>(std::make_shared<HashedNgramEmbedder>());
    if (s.startsWith(QLatin1String("builtin:"))) {
        bool ok = false;
        const int dim = s.mid(8).toInt(&ok);
        if (!ok || dim < 16 || dim > 8192)
            return makeError(ErrorCode::InvalidArgument,
                QStringLiteral("embedder spec %1: builtin:DIM needs a dimension from 16 to 8192").arg(s));
        return std::shared_ptr<const Embedder>(std::make_shared<HashedNgramEmbedder>(dim));
    }
    if (s.startsWith(QLatin1String("openai:"))) {
        // Any OpenAI-compatible POST /v1/embeddings; the key from the environment (remoteembedder.h).
        auto options = RemoteEmbedderOptions::fromSpec(s, QProcessEnvironment::systemEnvironment());
        if (!options)
            return options.error();
        return std::shared_ptr<const Embedder>(std::make_shared<RemoteEmbedder>(std::move(*options)));
    }
    return makeError(ErrorCode::InvalidArgument,
        QStringLiteral("unknown embedder spec %1 (expected builtin, builtin:DIM or openai:BASE_URL#MODEL)").arg(s));
}

} // namespace l0
