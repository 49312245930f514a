#include "modelcatalogue.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include "core/modelfamily.h"
#include "core/resources.h"

namespace l0 {

QJsonObject ModelInfo::toJson() const
{
    auto opt = [](const auto &v) { return v ? QJsonValue(*v) : QJsonValue(); };
    return QJsonObject { { QLatin1String("context_window"), opt(contextWindow) },
        { QLatin1String("max_output_tokens"), opt(maxOutputTokens) },
        { QLatin1String("capabilities"),
            QJsonObject { { QLatin1String("tools"), opt(tools) }, { QLatin1String("images"), opt(images) },
                { QLatin1String("json_output"), opt(jsonOutput) } } } };
}

Result<ModelCatalogue> ModelCatalogue::builtin()
{
    ensureEngineResources();
    QFile f(QStringLiteral(":/l0/models/catalogue.json"));
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Internal, QStringLiteral("the built-in model catalogue is missing"));
    return fromJson(QJsonDocument::fromJson(f.readAll()).object());
}

Result<ModelCatalogue> ModelCatalogue::fromJson(const QJsonObject &json)
{
    static const QSet<QString> keys { QStringLiteral("context_window"), QStringLiteral("max_output_tokens"),
        QStringLiteral("tools"), QStringLiteral("images"), QStringLiteral("json_output") };
    ModelCatalogue c;
    const QJsonValue models = json.value(QLatin1String("models"));
    if (!models.isObject())
        return makeError(
            ErrorCode::InvalidArgument, QStringLiteral("a model catalogue needs \"models\": {NAME: {...}}"));
    const QJsonObject all = models.toObject();
    for (auto it = all.begin(); it != all.end(); ++it) {
        const QString bad = QStringLiteral("model %1: ").arg(it.key());
        if (!it.value().isObject())
            return makeError(ErrorCode::InvalidArgument, bad + QStringLiteral("must be an object"));
        const QJsonObject m = it.value().toObject();
        ModelInfo info;
        for (auto k = m.begin(); k != m.end(); ++k) {
            if (!keys.contains(k.key()))
                return makeError(ErrorCode::InvalidArgument, bad + QStringLiteral("unknown key '%1'").arg(k.key()));
        }
        for (const auto &[key, out] : { std::pair { "context_window", &info.contextWindow },
                 std::pair { "max_output_tokens", &info.maxOutputTokens } }) {
            const QJsonValue v = m.value(QLatin1String(key));
            if (v.isUndefined() || v.isNull())
                continue;
            if (!v.isDouble() || v.toDouble() <= 0 || v.toDouble() != double(v.toInteger()))
                return makeError(ErrorCode::InvalidArgument,
                    bad + QStringLiteral("'%1' must be a positive whole number of tokens").arg(QLatin1String(key)));
            *out = v.toInteger();
        }
        for (const auto &[key, out] : { std::pair { "tools", &info.tools }, std::pair { "images", &info.images },
                 std::pair { "json_output", &info.jsonOutput } }) {
            const QJsonValue v = m.value(QLatin1String(key));
            if (v.isUndefined() || v.isNull())
                continue;
            if (!v.isBool())
                return makeError(ErrorCode::InvalidArgument,
                    bad + QStringLiteral("'%1' must be true or false").arg(QLatin1String(key)));
            *out = v.toBool();
        }
        c.m_models.insert(it.key(), info);
    }
    return c;
}

void ModelCatalogue::merge(const ModelCatalogue &other)
{
    for (auto it = other.m_models.begin(); it != other.m_models.end(); ++it) {
        ModelInfo &mine = m_models[it.key()];
        const ModelInfo &o = it.value();
        if (o.contextWindow)
            mine.contextWindow = o.contextWindow;
        if (o.maxOutputTokens)
            mine.maxOutputTokens = o.maxOutputTokens;
        if (o.tools)
            mine.tools = o.tools;
        if (o.images)
            mine.images = o.images;
        if (o.jsonOutput)
            mine.jsonOutput = o.jsonOutput;
    }
}

std::optional<ModelInfo> ModelCatalogue::find(const QString &model) const
{
    if (const ModelInfo *info = findModelFamily(m_models, model))
        return *info;
    return std::nullopt;
}

std::optional<Error> ModelCatalogue::unsupported(
    const QString &model, const ModelInfo &info, const ChatRequest &request)
{
    auto refuse = [&](const QString &field, const QString &what) {
        Error e = makeError(ErrorCode::InvalidArgument, QStringLiteral("%1 does not take %2").arg(model, what));
        e.field = field;
        return e;
    };
    if (info.tools == false && !request.params.value(QLatin1String("tools")).toArray().isEmpty())
        return refuse(QStringLiteral("tools"), QStringLiteral("tools"));
    if (info.jsonOutput == false) {
        const QString format
            = request.params.value(QLatin1String("response_format")).toObject().value(QLatin1String("type")).toString();
        if (format == QLatin1String("json_object") || format == QLatin1String("json_schema"))
            return refuse(QStringLiteral("response_format"), QStringLiteral("response_format %1").arg(format));
    }
    if (info.images == false) {
        for (qsizetype i = 0; i < request.messages.size(); ++i) {
            const QJsonArray parts = request.messages.at(i).toObject().value(QLatin1String("content")).toArray();
            for (qsizetype j = 0; j < parts.size(); ++j) {
                if (parts.at(j).toObject().value(QLatin1String("type")).toString() == QLatin1String("image_url"))
                    return refuse(QStringLiteral("messages[%1].content[%2]").arg(i).arg(j), QStringLiteral("images"));
            }
        }
    }
    return std::nullopt;
}

} // namespace l0
