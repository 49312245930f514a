#include "pricetable.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/modelfamily.h"
#include "core/resources.h"

namespace l0 {

qint64 microsForTokens(qint64 tokens, qint64 microsPerMillion)
{
    // Both factors are far below 2^31 in practice (tokens < 1e9, price < 1e9), so the
    // product fits comfortably in 64 bits.
    return (tokens * microsPerMillion + 500'000) / 1'000'000;
}

Result<PriceTable> PriceTable::fromJson(const QByteArray &json)
{
    QJsonParseError err {};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return makeError(
            ErrorCode::InvalidArgument, QStringLiteral("price table is not a JSON object: %1").arg(err.errorString()));
    const QJsonObject root = doc.object();
    PriceTable t;
    t.m_effectiveDate = root.value(QLatin1String("effective_date")).toString();
    const QJsonObject models = root.value(QLatin1String("models")).toObject();
    for (auto it = models.begin(); it != models.end(); ++it) {
        const QJsonObject p = it.value().toObject();
        const QJsonValue in = p.value(QLatin1String("input"));
        const QJsonValue out = p.value(QLatin1String("output"));
        if (!in.isDouble() || !out.isDouble() || in.toDouble() < 0 || out.toDouble() < 0
            || in.toDouble() != double(in.toInteger()) || out.toDouble() != double(out.toInteger())) {
            return makeError(ErrorCode::InvalidArgument,
                QStringLiteral("price for %1 needs whole, non-negative \"input\" and \"output\" "
                               "micro-dollars per million tokens")
                    .arg(it.key()));
        }
        t.m_prices.insert(it.key(), Price { in.toInteger(), out.toInteger() });
    }
    return t;
}

Result<PriceTable> PriceTable::fromFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(
            ErrorCode::NotFound, QStringLiteral("cannot read price table %1: %2").arg(path, f.errorString()));
    return fromJson(f.readAll());
}

Result<PriceTable> PriceTable::builtin()
{
    ensureEngineResources();
    return fromFile(QStringLiteral(":/l0/prices/prices.json"));
}

std::optional<PriceTable::Price> PriceTable::priceFor(const QString &model) const
{
    if (const Price *p = findModelFamily(m_prices, model))
        return *p;
    return std::nullopt;
}

std::optional<qint64> PriceTable::cost(const QString &model, const TokenUsage &usage) const
{
    const auto p = priceFor(model);
    if (!p)
        return std::nullopt;
    return microsForTokens(usage.promptTokens, p->inputPerMillion)
        + microsForTokens(usage.completionTokens, p->outputPerMillion);
}

void PriceTable::merge(const PriceTable &other)
{
    for (auto it = other.m_prices.constBegin(); it != other.m_prices.constEnd(); ++it)
        m_prices.insert(it.key(), it.value());
    if (!other.m_effectiveDate.isEmpty())
        m_effectiveDate = other.m_effectiveDate;
}

QStringList PriceTable::models() const
{
    QStringList names = m_prices.keys();
    names.sort();
    return names;
}

} // namespace l0
