#include "simulatedembedding.h"

#include <QByteArray>

#include <cmath>

namespace l0 {

namespace {

quint64 fnv1a(const QByteArray &bytes, quint64 salt)
{
    quint64 h = 1469598103934665603ULL ^ salt;
    for (char c : bytes) {
        h ^= quint64(quint8(c));
        h *= 1099511628211ULL;
    }
    return h;
}

void addFeature(QVector<float> &v, const QByteArray &feature, float weight)
{
    const quint64 h = fnv1a(feature, 0);
    const int bucket = int(h % quint64(v.size()));
    v[bucket] += (h >> 63) ? -weight : weight;
}

} // namespace

QVector<float> simulatedEmbedding(const QString &text, int dims)
{
    QVector<float> v(qMax(1, dims), 0.0f);
    QString word;
    auto flush = [&] {
        if (word.isEmpty())
            return;
        const QByteArray w = word.toUtf8();
        addFeature(v, QByteArrayLiteral("w:") + w, 1.0f);
        const QByteArray padded = '#' + w + '#';
        for (qsizetype i = 0; i + 3 <= padded.size(); ++i)
            addFeature(v, QByteArrayLiteral("c:") + padded.mid(i, 3), 0.4f);
        word.clear();
    };
    for (const QChar c : text) {
        if (c.isLetterOrNumber())
            word += c.toLower();
        else
            flush();
    }
    flush();
    double sum = 0;
    for (float x : v)
        sum += double(x) * x;
    if (sum > 0) {
        const float inv = float(1.0 / std::sqrt(sum));
        for (float &x : v)
            x *= inv;
    }
    return v;
}

} // namespace l0
