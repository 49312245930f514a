#include "experimentpanel.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

#include "money.h"

namespace l0::ui {

namespace {

QString percent(const QJsonValue &v)
{
    return v.isDouble() ? QStringLiteral("%1 %").arg(QLocale().toString(v.toDouble() * 100, 'f', 1))
                        : QStringLiteral("–");
}

QString ci(const QJsonValue &interval, bool asPercent, int decimals = 1)
{
    const QJsonArray a = interval.toArray();
    if (a.size() != 2 || !a.at(0).isDouble() || !a.at(1).isDouble())
        return QString();
    auto one = [&](double x) {
        return asPercent ? QLocale().toString(x * 100, 'f', 1) : QLocale().toString(x, 'f', decimals);
    };
    return QStringLiteral(" <span style=\"color:#666\">[%1–%2]</span>")
        .arg(one(a.at(0).toDouble()), one(a.at(1).toDouble()));
}

// "p 0.03 ★" for a significant difference, "p 0.41" otherwise, "–" when there is too little data.
QString pValue(const QJsonObject &comparison)
{
    const QJsonValue p = comparison.value(QLatin1String("p_value"));
    if (!p.isDouble())
        return QStringLiteral("–");
    const QString text = QStringLiteral("p %1").arg(QLocale().toString(p.toDouble(), 'g', 2));
    return comparison.value(QLatin1String("significant")).toBool() ? QStringLiteral("<b>%1 ★</b>").arg(text) : text;
}

} // namespace

ExperimentPanel::ExperimentPanel(QWidget *parent)
    : QLabel(parent)
{
    setTextFormat(Qt::RichText);
    setWordWrap(true);
    setAccessibleName(tr("Running experiments"));
    setToolTip(tr("Started with: l0ctl experiment create NAME --tenant T --arm A=POLICY --arm B=POLICY; "
                  "full figures with: l0ctl experiment report NAME"));
    setVisible(false);
}

void ExperimentPanel::showReports(const std::vector<ExperimentReport> &reports, const QString &error)
{
    if (!error.isEmpty()) {
        setText(QStringLiteral("<i>%1</i>").arg(tr("Experiments cannot be read: %1").arg(error).toHtmlEscaped()));
        setVisible(true);
        return;
    }
    if (reports.empty()) {
        setText(QString());
        setVisible(false);
        return;
    }
    QString html = QStringLiteral("<b>%1</b> <span style=\"color:#666\">(%2)</span>")
                       .arg(tr("Running experiments"),
                           tr("95% intervals in brackets; each arm against the first, ★ p < 0.05").toHtmlEscaped());
    for (const ExperimentReport &r : reports) {
        const QJsonObject j = experimentReportJson(r);
        html += QStringLiteral("<p style=\"margin-top:6px\"><b>%1</b> · %2</p>")
                    .arg(j.value(QLatin1String("experiment")).toString().toHtmlEscaped(),
                        tr("tenant %1, since %2")
                            .arg(j.value(QLatin1String("tenant")).toString(),
                                QLocale().toString(
                                    QDateTime::fromMSecsSinceEpoch(r.experiment.createdMs), QLocale::ShortFormat))
                            .toHtmlEscaped());
        html += QStringLiteral("<table cellspacing=\"0\" cellpadding=\"3\" border=\"0\"><tr>");
        for (const QString &h : { tr("Arm"), tr("Policy"), tr("Share"), tr("Requests"), tr("Cost / request"),
                 tr("Hit rate"), tr("p95 latency"), tr("Good feedback"), tr("Cost vs first"), tr("Hit rate vs first") })
            html += QStringLiteral("<th align=\"left\">%1</th>").arg(h);
        html += QStringLiteral("</tr>");
        for (const QJsonValue &armValue : j.value(QLatin1String("arms")).toArray()) {
            const QJsonObject a = armValue.toObject();
            const QJsonObject cost = a.value(QLatin1String("cost_per_request_micros")).toObject();
            const QJsonObject hits = a.value(QLatin1String("hit_rate")).toObject();
            const QJsonObject p95
                = a.value(QLatin1String("latency_ms")).toObject().value(QLatin1String("p95")).toObject();
            const QJsonObject good
                = a.value(QLatin1String("cache_feedback")).toObject().value(QLatin1String("good_rate")).toObject();
            const QJsonObject versus = a.value(QLatin1String("versus")).toObject();
            QString costText = cost.value(QLatin1String("mean")).isDouble()
                ? preciseMoney(qint64(cost.value(QLatin1String("mean")).toDouble()))
                : QStringLiteral("–");
            const QJsonArray costCi = cost.value(QLatin1String("ci95")).toArray();
            if (costCi.size() == 2 && costCi.at(0).isDouble() && costCi.at(1).isDouble())
                costText += QStringLiteral(" <span style=\"color:#666\">[%1–%2]</span>")
                                .arg(preciseMoney(qint64(costCi.at(0).toDouble())),
                                    preciseMoney(qint64(costCi.at(1).toDouble())));
            const qint64 unpriced = a.value(QLatin1String("unpriced")).toInteger();
            if (unpriced > 0)
                costText += QStringLiteral(" <span style=\"color:#8a5a00\">⚠ %1</span>")
                                .arg(tr("%1 unpriced").arg(QLocale().toString(unpriced)));
            const QString p95Text = p95.value(QLatin1String("value")).isDouble()
                ? tr("%1 ms").arg(QLocale().toString(p95.value(QLatin1String("value")).toDouble(), 'f', 0))
                    + ci(p95.value(QLatin1String("ci95")), false, 0)
                : QStringLiteral("–");
            const qint64 votes = good.value(QLatin1String("n")).toInteger();
            const QString goodText = votes > 0
                ? percent(good.value(QLatin1String("rate"))) + ci(good.value(QLatin1String("ci95")), true)
                    + QLatin1Char(' ') + tr("of %1").arg(QLocale().toString(votes))
                : tr("no feedback");
            html
                += QStringLiteral(
                    "<tr><td><b>%1</b></td><td><code>%2</code></td><td>%3 %</td><td align=\"right\">%4</td>"
                    "<td>%5</td><td>%6</td><td>%7</td><td>%8</td><td>%9</td><td>%10</td></tr>")
                       .arg(a.value(QLatin1String("arm")).toString().toHtmlEscaped(),
                           a.value(QLatin1String("policy")).toString().toHtmlEscaped(),
                           QString::number(a.value(QLatin1String("weight")).toInt()),
                           QLocale().toString(a.value(QLatin1String("requests")).toInteger()), costText,
                           percent(hits.value(QLatin1String("rate"))) + ci(hits.value(QLatin1String("ci95")), true),
                           p95Text, goodText,
                           versus.isEmpty() ? QStringLiteral("–")
                                            : pValue(versus.value(QLatin1String("cost_per_request_micros")).toObject()),
                           versus.isEmpty() ? QStringLiteral("–")
                                            : pValue(versus.value(QLatin1String("hit_rate")).toObject()));
        }
        html += QStringLiteral("</table>");
    }
    setText(html);
    setVisible(true);
}

} // namespace l0::ui
