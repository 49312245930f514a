#include "routedata.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>
#include <cmath>

#include "core/text.h"

namespace l0 {

namespace {

Error dataError(const QString &path, qint64 line, const QString &why)
{
    Error e = makeError(ErrorCode::InvalidArgument,
        line > 0 ? QStringLiteral("%1:%2: %3").arg(path).arg(line).arg(why) : QStringLiteral("%1: %2").arg(path, why));
    e.field = path;
    return e;
}

struct Outcome {
    double quality = 0;
    qint64 chars = -1;
    QString text;
    bool hasText = false;
};

// nullopt with *why set when the answer has no usable quality.
std::optional<Outcome> outcome(const QJsonObject &answer, QString *why)
{
    Outcome o;
    const QJsonValue correct = answer.value(QLatin1String("correct"));
    const QJsonValue score = answer.value(QLatin1String("score"));
    if (correct.isBool())
        o.quality = correct.toBool() ? 1 : 0;
    else if (correct.isDouble())
        o.quality = correct.toDouble();
    else if (score.isDouble())
        o.quality = score.toDouble();
    else {
        *why = QStringLiteral("no \"correct\" or \"score\"");
        return std::nullopt;
    }
    if (answer.value(QLatin1String("text")).isString()) {
        o.text = answer.value(QLatin1String("text")).toString();
        o.hasText = true;
        o.chars = codePointCount(o.text);
    } else if (answer.value(QLatin1String("chars")).isDouble()) {
        o.chars = answer.value(QLatin1String("chars")).toInteger(-1);
    }
    return o;
}

} // namespace

Result<RouteDataSet> readRouteData(const QString &path, const QString &strong, const QString &weak)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        Error e = makeError(ErrorCode::NotFound, QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
        e.field = path;
        return e;
    }
    if (strong == weak)
        return dataError(path, 0, QStringLiteral("the strong and the weak model are the same (%1)").arg(strong));
    RouteDataSet set;
    set.path = path;
    QSet<QString> modelsSeen;
    bool strongSeen = false;
    bool weakSeen = false;
    double maxQuality = 1;
    struct Missing {
        qint64 line;
        QString model;
    };
    std::optional<Missing> firstMissing;
    qint64 line = 0;
    while (!f.atEnd()) {
        const QByteArray raw = f.readLine();
        ++line;
        if (raw.trimmed().isEmpty())
            continue;
        QJsonParseError perr {};
        const QJsonDocument doc = QJsonDocument::fromJson(raw, &perr);
        if (perr.error != QJsonParseError::NoError || !doc.isObject())
            return dataError(path, line, QStringLiteral("not a JSON object (%1)").arg(perr.errorString()));
        const QJsonObject row = doc.object();
        if (!row.value(QLatin1String("prompt")).isString())
            return dataError(path, line, QStringLiteral("no \"prompt\" string"));
        const QJsonObject answers = row.value(QLatin1String("answers")).toObject();
        for (auto it = answers.begin(); it != answers.end(); ++it)
            modelsSeen.insert(it.key());
        const bool hasStrong = answers.contains(strong);
        const bool hasWeak = answers.contains(weak);
        strongSeen = strongSeen || hasStrong;
        weakSeen = weakSeen || hasWeak;
        if (!hasStrong || !hasWeak) {
            if (!firstMissing)
                firstMissing = Missing { line, hasStrong ? weak : strong };
            continue;
        }
        QString why;
        const auto s = outcome(answers.value(strong).toObject(), &why);
        if (!s)
            return dataError(path, line, QStringLiteral("answer of %1: %2").arg(strong, why));
        const auto w = outcome(answers.value(weak).toObject(), &why);
        if (!w)
            return dataError(path, line, QStringLiteral("answer of %1: %2").arg(weak, why));
        RouteExample ex;
        ex.prompt = row.value(QLatin1String("prompt")).toString();
        ex.strongQuality = s->quality;
        ex.weakQuality = w->quality;
        ex.strongAnswerChars = s->chars;
        ex.weakAnswerChars = w->chars;
        ex.weakText = w->text;
        ex.hasWeakText = w->hasText;
        set.allHaveWeakText = set.allHaveWeakText && w->hasText;
        maxQuality = std::max({ maxQuality, s->quality, w->quality });
        set.rows.push_back(std::move(ex));
    }
    if (!strongSeen || !weakSeen) {
        QStringList models(modelsSeen.begin(), modelsSeen.end());
        models.sort();
        return dataError(path, 0,
            QStringLiteral("no row has an answer of %1 (models in the file: %2)")
                .arg(!strongSeen ? strong : weak,
                    models.isEmpty() ? QStringLiteral("none") : models.join(QStringLiteral(", "))));
    }
    if (firstMissing)
        return dataError(path, firstMissing->line, QStringLiteral("no answer of %1").arg(firstMissing->model));
    if (set.rows.empty())
        return dataError(path, 0, QStringLiteral("no rows"));
    // Scores above 1 are on a 1-10 scale (MT-Bench): normalise by 10 so files of both kinds mix.
    const double scale = maxQuality > 1 ? 10.0 * std::ceil(maxQuality / 10.0) : 1.0;
    for (RouteExample &ex : set.rows)
        ex.qualityScale = scale;
    return set;
}

} // namespace l0
