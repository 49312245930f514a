#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

#include "core/chat.h"
#include "core/result.h"

namespace l0 {

// Prices in integer micro-dollars per million tokens, from a dated JSON table.
// Immutable after loading; safe to share between threads.
class PriceTable {
public:
    struct Price {
        qint64 inputPerMillion = 0;
        qint64 outputPerMillion = 0;
    };

    // The table compiled into the engine (resources/prices/prices.json).
    static Result<PriceTable> builtin();
    static Result<PriceTable> fromJson(const QByteArray &json);
    static Result<PriceTable> fromFile(const QString &path);

    // Exact name first, then the longest listed name that the model starts with followed by
    // '-' (so "gpt-4o-2024-08-06" is priced as "gpt-4o", "gpt-4o-mini-x" as "gpt-4o-mini").
    std::optional<Price> priceFor(const QString &model) const;
    // Micro-dollars for these tokens, rounded half up; nullopt when the model is unpriced.
    std::optional<qint64> cost(const QString &model, const TokenUsage &usage) const;

    // Entries of other override or extend this table's.
    void merge(const PriceTable &other);

    QString effectiveDate() const { return m_effectiveDate; }
    int size() const { return int(m_prices.size()); }
    // The priced model names, sorted.
    QStringList models() const;

private:
    QString m_effectiveDate;
    QHash<QString, Price> m_prices;
};

// tokens × micro-dollars per million tokens, rounded half up, in integers only.
qint64 microsForTokens(qint64 tokens, qint64 microsPerMillion);

} // namespace l0
