#include "routermodel.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <cstring>

#include "core/resources.h"
#include "route/routefeatures.h"

namespace l0 {

namespace {

const QLatin1String kFormat("l0-router-model/1");
constexpr int kMinBits = 8;
constexpr int kMaxBits = 24;

double sigmoid(double z)
{
    if (z >= 0)
        return 1.0 / (1.0 + std::exp(-z));
    const double e = std::exp(z);
    return e / (1.0 + e);
}

QJsonObject logitToJson(const RouteLogit &m, const QStringList &names)
{
    QJsonArray dense;
    for (size_t i = 0; i < m.denseWeights.size(); ++i)
        dense.append(QJsonObject { { QLatin1String("name"), names.value(qsizetype(i)) },
            { QLatin1String("mean"), m.denseMean[i] }, { QLatin1String("scale"), m.denseScale[i] },
            { QLatin1String("weight"), m.denseWeights[i] } });
    QByteArray packed;
    if (m.hashedScale > 0) {
        for (size_t i = 0; i < m.hashedWeights.size(); ++i) {
            const long q = std::lround(double(m.hashedWeights[i]) / m.hashedScale);
            if (q == 0)
                continue;
            const uint32_t idx = uint32_t(i);
            const int16_t w = int16_t(q);
            const char bytes[6] = { char(idx & 0xff), char((idx >> 8) & 0xff), char((idx >> 16) & 0xff),
                char((idx >> 24) & 0xff), char(uint16_t(w) & 0xff), char((uint16_t(w) >> 8) & 0xff) };
            packed.append(bytes, 6);
        }
    }
    return QJsonObject { { QLatin1String("bias"), m.bias }, { QLatin1String("bits"), m.bits },
        { QLatin1String("dense"), dense }, { QLatin1String("hashed_scale"), m.hashedScale },
        { QLatin1String("hashed"), QString::fromLatin1(packed.toBase64()) } };
}

Result<RouteLogit> logitFromJson(const QJsonObject &o, const QStringList &names, const QString &part)
{
    const auto bad = [&part](const QString &why) {
        Error e = makeError(ErrorCode::InvalidArgument, QStringLiteral("router model %1: %2").arg(part, why));
        e.field = part;
        return e;
    };
    RouteLogit m;
    m.bits = o.value(QLatin1String("bits")).toInt(0);
    if (m.bits < kMinBits || m.bits > kMaxBits)
        return bad(QStringLiteral("bits must be %1..%2").arg(kMinBits).arg(kMaxBits));
    if (!o.value(QLatin1String("bias")).isDouble())
        return bad(QStringLiteral("no bias"));
    m.bias = o.value(QLatin1String("bias")).toDouble();
    const QJsonArray dense = o.value(QLatin1String("dense")).toArray();
    if (dense.size() != names.size())
        return bad(
            QStringLiteral("%1 dense features, expected %2: retrain the model").arg(dense.size()).arg(names.size()));
    for (qsizetype i = 0; i < dense.size(); ++i) {
        const QJsonObject f = dense.at(i).toObject();
        if (f.value(QLatin1String("name")).toString() != names.at(i))
            return bad(QStringLiteral("dense feature %1 is \"%2\", expected \"%3\": retrain the model")
                           .arg(i)
                           .arg(f.value(QLatin1String("name")).toString(), names.at(i)));
        m.denseMean.push_back(f.value(QLatin1String("mean")).toDouble());
        m.denseScale.push_back(f.value(QLatin1String("scale")).toDouble());
        m.denseWeights.push_back(f.value(QLatin1String("weight")).toDouble());
        if (!std::isfinite(m.denseMean.back()) || !std::isfinite(m.denseScale.back())
            || !std::isfinite(m.denseWeights.back()))
            return bad(QStringLiteral("dense feature %1 is not finite").arg(names.at(i)));
    }
    m.hashedScale = o.value(QLatin1String("hashed_scale")).toDouble();
    if (!std::isfinite(m.hashedScale) || m.hashedScale < 0)
        return bad(QStringLiteral("bad hashed_scale"));
    m.hashedWeights.assign(size_t(1) << m.bits, 0.f);
    const QByteArray packed = QByteArray::fromBase64(
        o.value(QLatin1String("hashed")).toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (packed.size() % 6 != 0)
        return bad(QStringLiteral("hashed weights are not (index, weight) pairs"));
    for (qsizetype p = 0; p < packed.size(); p += 6) {
        const auto *b = reinterpret_cast<const unsigned char *>(packed.constData() + p);
        const uint32_t idx = uint32_t(b[0]) | (uint32_t(b[1]) << 8) | (uint32_t(b[2]) << 16) | (uint32_t(b[3]) << 24);
        const int16_t w = int16_t(uint16_t(b[4]) | (uint16_t(b[5]) << 8));
        if (idx >= m.hashedWeights.size())
            return bad(QStringLiteral("hashed index %1 out of range").arg(idx));
        m.hashedWeights[idx] = float(double(w) * m.hashedScale);
    }
    return m;
}

QJsonArray curveToJson(const std::vector<RouteCurvePoint> &curve)
{
    QJsonArray a;
    for (const RouteCurvePoint &p : curve)
        a.append(QJsonObject { { QLatin1String("threshold"), p.threshold },
            { QLatin1String("strong_share"), p.strongShare }, { QLatin1String("quality_ratio"), p.qualityRatio } });
    return a;
}

std::vector<RouteCurvePoint> curveFromJson(const QJsonArray &a)
{
    std::vector<RouteCurvePoint> curve;
    for (const QJsonValue &v : a) {
        const QJsonObject o = v.toObject();
        curve.push_back({ o.value(QLatin1String("threshold")).toDouble(),
            o.value(QLatin1String("strong_share")).toDouble(), o.value(QLatin1String("quality_ratio")).toDouble() });
    }
    return curve;
}

} // namespace

const char *routeStrategyName(RouteStrategy strategy)
{
    switch (strategy) {
    case RouteStrategy::Fixed:
        return "fixed";
    case RouteStrategy::Learned:
        return "learned";
    case RouteStrategy::Cascade:
        return "cascade";
    }
    return "fixed";
}

std::optional<RouteStrategy> routeStrategyFromName(const QString &name)
{
    for (RouteStrategy s : { RouteStrategy::Fixed, RouteStrategy::Learned, RouteStrategy::Cascade })
        if (name == QLatin1String(routeStrategyName(s)))
            return s;
    return std::nullopt;
}

double RouteLogit::probability(const std::vector<float> &dense, const std::vector<uint32_t> &hashed) const
{
    double z = bias;
    const size_t n = std::min(dense.size(), denseWeights.size());
    for (size_t i = 0; i < n; ++i)
        z += denseWeights[i] * ((double(dense[i]) - denseMean[i]) * denseScale[i]);
    if (!hashed.empty() && !hashedWeights.empty()) {
        double h = 0;
        const uint32_t mask = uint32_t(hashedWeights.size() - 1);
        for (uint32_t idx : hashed)
            h += hashedWeights[idx & mask];
        z += h / std::sqrt(double(hashed.size()));
    }
    return sigmoid(z);
}

void RouteLogit::quantise()
{
    double maxAbs = 0;
    for (float w : hashedWeights)
        maxAbs = std::max(maxAbs, std::fabs(double(w)));
    hashedScale = maxAbs > 0 ? maxAbs / 32767.0 : 0;
    for (float &w : hashedWeights) {
        if (hashedScale <= 0) {
            w = 0;
            continue;
        }
        const long q = std::lround(double(w) / hashedScale);
        w = float(double(int16_t(q)) * hashedScale);
    }
}

Result<RouterModel> RouterModel::fromJson(const QByteArray &json)
{
    QJsonParseError perr {};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &perr);
    if (perr.error != QJsonParseError::NoError || !doc.isObject())
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("router model is not a JSON object: %1").arg(perr.errorString()));
    const QJsonObject o = doc.object();
    if (o.value(QLatin1String("format")).toString() != kFormat)
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("router model format is \"%1\", expected \"%2\"")
                .arg(o.value(QLatin1String("format")).toString(), kFormat));
    if (o.value(QLatin1String("features")).toInt(-1) != kRouteFeaturesVersion)
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("router model features version %1, this build reads %2: retrain the model")
                .arg(o.value(QLatin1String("features")).toInt(-1))
                .arg(kRouteFeaturesVersion));
    Parts p;
    p.name = o.value(QLatin1String("name")).toString();
    p.strong = o.value(QLatin1String("strong")).toString();
    p.weak = o.value(QLatin1String("weak")).toString();
    if (p.strong.isEmpty() || p.weak.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("router model names no strong or weak model"));
    auto learned
        = logitFromJson(o.value(QLatin1String("learned")).toObject(), requestFeatureNames(), QStringLiteral("learned"));
    if (!learned)
        return learned.error();
    p.learned = std::move(*learned);
    if (o.contains(QLatin1String("cascade"))) {
        QStringList names = requestFeatureNames();
        names += answerFeatureNames();
        auto cascade = logitFromJson(o.value(QLatin1String("cascade")).toObject(), names, QStringLiteral("cascade"));
        if (!cascade)
            return cascade.error();
        p.cascade = std::move(*cascade);
        p.cascadeCurve
            = curveFromJson(o.value(QLatin1String("cascade")).toObject().value(QLatin1String("curve")).toArray());
    }
    p.learnedCurve
        = curveFromJson(o.value(QLatin1String("learned")).toObject().value(QLatin1String("curve")).toArray());
    p.training = o.value(QLatin1String("training")).toObject();
    return fromParts(std::move(p));
}

Result<RouterModel> RouterModel::load(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        Error e = makeError(ErrorCode::NotFound, QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
        e.field = path;
        return e;
    }
    auto m = fromJson(f.readAll());
    if (!m) {
        Error e = m.error();
        e.message = QStringLiteral("%1: %2").arg(path, e.message);
        return e;
    }
    return m;
}

Result<RouterModel> RouterModel::builtin()
{
    ensureEngineResources();
    return load(QStringLiteral(":/l0/route/default.json"));
}

QByteArray RouterModel::toJson() const
{
    QJsonObject learned = logitToJson(m_learned, requestFeatureNames());
    learned.insert(QLatin1String("curve"), curveToJson(m_learnedCurve));
    QJsonObject o { { QLatin1String("format"), kFormat }, { QLatin1String("name"), m_name },
        { QLatin1String("strong"), m_strong }, { QLatin1String("weak"), m_weak },
        { QLatin1String("features"), kRouteFeaturesVersion }, { QLatin1String("learned"), learned },
        { QLatin1String("training"), m_training } };
    if (!m_cascade.isEmpty()) {
        QStringList names = requestFeatureNames();
        names += answerFeatureNames();
        QJsonObject cascade = logitToJson(m_cascade, names);
        cascade.insert(QLatin1String("curve"), curveToJson(m_cascadeCurve));
        o.insert(QLatin1String("cascade"), cascade);
    }
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

double RouterModel::weakGoodProbability(const ChatRequest &request) const
{
    if (m_learned.isEmpty())
        return 0;
    RouteFeatures f;
    requestFeatures(request, m_learned.bits, f);
    return m_learned.probability(f.dense, f.hashed);
}

double RouterModel::cascadeAcceptScore(const ChatRequest &request, const QString &weakAnswer) const
{
    if (m_cascade.isEmpty())
        return 0;
    RouteFeatures f;
    cascadeFeatures(request, weakAnswer, m_cascade.bits, f);
    return m_cascade.probability(f.dense, f.hashed);
}

std::optional<double> RouterModel::thresholdFor(double qualityTarget, RouteStrategy strategy) const
{
    if (strategy == RouteStrategy::Fixed || !(qualityTarget > 0 && qualityTarget <= 1))
        return std::nullopt;
    if (strategy == RouteStrategy::Cascade && m_cascade.isEmpty())
        return std::nullopt;
    const std::vector<RouteCurvePoint> &c = curve(strategy);
    std::optional<RouteCurvePoint> best;
    for (const RouteCurvePoint &p : c) {
        if (p.qualityRatio + 1e-12 < qualityTarget)
            continue;
        if (!best || p.strongShare < best->strongShare
            || (p.strongShare == best->strongShare && p.qualityRatio > best->qualityRatio))
            best = p;
    }
    if (!best)
        return kNeverWeakThreshold;
    return best->threshold;
}

const std::vector<RouteCurvePoint> &RouterModel::curve(RouteStrategy strategy) const
{
    static const std::vector<RouteCurvePoint> none;
    switch (strategy) {
    case RouteStrategy::Learned:
        return m_learnedCurve;
    case RouteStrategy::Cascade:
        return m_cascadeCurve;
    case RouteStrategy::Fixed:
        break;
    }
    return none;
}

ChatRequest RouterModel::requestForPrompt(const QString &prompt)
{
    ChatRequest r;
    r.messages.append(
        QJsonObject { { QLatin1String("role"), QLatin1String("user") }, { QLatin1String("content"), prompt } });
    return r;
}

RouterModel RouterModel::fromParts(Parts parts)
{
    RouterModel m;
    m.m_name = std::move(parts.name);
    m.m_strong = std::move(parts.strong);
    m.m_weak = std::move(parts.weak);
    m.m_learned = std::move(parts.learned);
    m.m_cascade = std::move(parts.cascade);
    m.m_learnedCurve = std::move(parts.learnedCurve);
    m.m_cascadeCurve = std::move(parts.cascadeCurve);
    m.m_training = std::move(parts.training);
    return m;
}

} // namespace l0
