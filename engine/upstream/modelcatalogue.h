#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QString>

#include <optional>

#include "core/chat.h"
#include "core/result.h"

namespace l0 {

// What a model can take: its context window, its longest answer, and whether it accepts tools,
// images and OpenAI's JSON output modes. Unset: not known (nothing is refused for it).
struct ModelInfo {
    std::optional<qint64> contextWindow;
    std::optional<qint64> maxOutputTokens;
    std::optional<bool> tools;
    std::optional<bool> images;
    std::optional<bool> jsonOutput;

    QJsonObject toJson() const; // {"context_window", "max_output_tokens", "capabilities": {...}}
};

// The models the node knows about (resources/models/catalogue.json, then the config's
// "models"), looked up like prices: an exact name, else the longest known name that a dated or
// suffixed one extends at a '-' ("gpt-4o-2024-08-06" reads as "gpt-4o").
class ModelCatalogue {
public:
    static Result<ModelCatalogue> builtin();
    // {"models": {"NAME": {"context_window": N, "max_output_tokens": N, "tools": b, "images": b,
    // "json_output": b}}}; unknown keys and wrong types are errors naming the model.
    static Result<ModelCatalogue> fromJson(const QJsonObject &json);

    // Entries of other replace this one's, key by key (an override may set only what it knows).
    void merge(const ModelCatalogue &other);
    std::optional<ModelInfo> find(const QString &model) const;

    // What the request asks that the model cannot do, as a 400 naming the field (tools,
    // messages[i].content[j] for an image, response_format); nothing when it can, or when the
    // catalogue does not say.
    static std::optional<Error> unsupported(const QString &model, const ModelInfo &info, const ChatRequest &request);

private:
    QHash<QString, ModelInfo> m_models;
};

} // namespace l0
