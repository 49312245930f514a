#include "hashedngramembedder.h"

#include <QSet>

#include <cmath>

#include "semantictext.h"

namespace l0 {

namespace {

// Words that many questions hold whatever they ask about: half weight.
const QSet<QString> &genericWords()
{
    static const QSet<QString> s = [] {
        QSet<QString> out;
        for (const QString &w : QStringLiteral(
                 "best good better way ways thing things people person get getting got make makes making know "
                 "like use used using think feel want need time times good difference between mean means meaning "
                 "important possible really actually ever one someone something anything everything new old "
                 "first find take give go going come tell say said help work way much lot lots life day year "
                 "years world")
                                    .split(QLatin1Char(' '), Qt::SkipEmptyParts))
            out.insert(lightStem(w));
        return out;
    }();
    return s;
}

quint64 fnv1a(const QByteArray &bytes)
{
    quint64 h = 1469598103934665603ULL;
    for (char c : bytes) {
        h ^= quint64(uchar(c));
        h *= 1099511628211ULL;
    }
    return h;
}

} // namespace

HashedNgramEmbedder::HashedNgramEmbedder(int dimensions)
    : m_dimensions(dimensions > 0 ? dimensions : 512)
{
}

QString HashedNgramEmbedder::modelId() const
{
    return QStringLiteral("builtin:hash-ngram-v1:%1").arg(m_dimensions);
}

float HashedNgramEmbedder::wordWeight(const QString &word)
{
    if (isStopWord(word))
        return 0.25f;
    if (genericWords().contains(lightStem(word)))
        return 0.5f;
    return 1.0f;
}

Embedding HashedNgramEmbedder::embedOne(const QString &text) const
{
    Embedding v(m_dimensions, 0.0f);
    auto add = [&](const QByteArray &feature, float weight) {
        const quint64 h = fnv1a(feature);
        const int bin = int(h % quint64(m_dimensions));
        v[bin] += (h >> 63) ? -weight : weight;
    };
    const QStringList words = semanticWords(text);
    QStringList stems;
    std::vector<float> weights;
    stems.reserve(words.size());
    for (const QString &w : words) {
        stems << lightStem(w);
        weights.push_back(wordWeight(w));
    }
    for (qsizetype i = 0; i < stems.size(); ++i) {
        add("w:" + stems[i].toUtf8(), weights[size_t(i)]);
        if (i + 1 < stems.size())
            add("b:" + stems[i].toUtf8() + ' ' + stems[i + 1].toUtf8(),
                0.5f * std::sqrt(weights[size_t(i)] * weights[size_t(i + 1)]));
        if (weights[size_t(i)] < 1.0f)
            continue;
        const QString marked = QLatin1Char('#') + words[i] + QLatin1Char('#');
        std::vector<QByteArray> grams;
        for (int n = 3; n <= 4; ++n)
            for (qsizetype p = 0; p + n <= marked.size(); ++p)
                grams.push_back("c:" + marked.mid(p, n).toUtf8());
        if (grams.empty())
            continue;
        const float each = 0.5f * weights[size_t(i)] / std::sqrt(float(grams.size()));
        for (const QByteArray &g : grams)
            add(g, each);
    }
    double norm = 0;
    for (float x : v)
        norm += double(x) * double(x);
    if (norm > 0) {
        const float inv = float(1.0 / std::sqrt(norm));
        for (float &x : v)
            x *= inv;
    }
    return v;
}

Result<QList<Embedding>> HashedNgramEmbedder::embed(const QStringList &texts) const
{
    QList<Embedding> out;
    out.reserve(texts.size());
    for (const QString &t : texts)
        out.append(embedOne(t));
    return out;
}

} // namespace l0
