#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <functional>

#include "review/safetyscanner.h"

using namespace l0;

// Precision and recall of the detector families on the labelled public sets in
// ../shared/data/safety, against floors measured when they were written (so a change that
// makes a detector worse fails here). Text level: a text counts as flagged when any detector
// of the family fires.
namespace {
const QString kDir = QStringLiteral(L0_SHARED_DATA_DIR "/safety/");

struct Counts {
    int tp = 0, fp = 0, fn = 0;
    double precision() const { return tp + fp ? double(tp) / (tp + fp) : 0; }
    double recall() const { return tp + fn ? double(tp) / (tp + fn) : 0; }
};

Counts measure(const std::vector<std::pair<QString, bool>> &rows, const QString &family)
{
    const SafetyScanner scanner;
    Counts c;
    for (const auto &[text, positive] : rows) {
        bool flagged = false;
        for (const Finding &f : scanner.scan(text))
            flagged = flagged || f.detector.startsWith(family);
        c.tp += flagged && positive;
        c.fp += flagged && !positive;
        c.fn += !flagged && positive;
    }
    return c;
}

std::vector<std::pair<QString, bool>> jsonl(
    const QString &file, const std::function<std::pair<QString, bool>(const QJsonObject &)> &f)
{
    std::vector<std::pair<QString, bool>> rows;
    QFile in(kDir + file);
    if (!in.open(QIODevice::ReadOnly))
        return rows;
    for (const QByteArray &line : in.readAll().split('\n')) {
        if (!line.trimmed().isEmpty())
            rows.push_back(f(QJsonDocument::fromJson(line).object()));
    }
    return rows;
}
} // namespace

class TestSafetyData : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        if (!QFile::exists(kDir + QStringLiteral("README.md")))
            QSKIP("shared safety data not present");
    }
    void piiRecognizerCases()
    {
        const Counts c = measure(jsonl(QStringLiteral("pii_presidio_cases/recognizer_cases.jsonl"),
                                     [](const QJsonObject &o) {
                                         return std::make_pair(o.value(QStringLiteral("text")).toString(),
                                             o.value(QStringLiteral("label")).toInt() == 1);
                                     }),
            QStringLiteral("pii."));
        qInfo("pii recognizer cases: precision %.3f recall %.3f", c.precision(), c.recall());
        QVERIFY(c.precision() >= 0.93);
        QVERIFY(c.recall() >= 0.84);
    }
    void piiSentences()
    {
        static const QStringList ours { QStringLiteral("EMAIL_ADDRESS"), QStringLiteral("PHONE_NUMBER"),
            QStringLiteral("CREDIT_CARD"), QStringLiteral("IBAN_CODE"), QStringLiteral("US_SSN"),
            QStringLiteral("IP_ADDRESS") };
        const Counts c
            = measure(jsonl(QStringLiteral("pii_presidio_synth/synth_dataset_v2.jsonl"),
                          [](const QJsonObject &o) {
                              bool positive = false;
                              for (const QJsonValue &s : o.value(QStringLiteral("spans")).toArray())
                                  positive = positive
                                      || ours.contains(s.toObject().value(QStringLiteral("entity_type")).toString());
                              return std::make_pair(o.value(QStringLiteral("full_text")).toString(), positive);
                          }),
                QStringLiteral("pii."));
        qInfo("pii sentences (e-mail, phone, card, IBAN, SSN, IP): precision %.3f recall %.3f", c.precision(),
            c.recall());
        QVERIFY(c.precision() >= 0.97);
        QVERIFY(c.recall() >= 0.85);
    }
    void toxicTweets()
    {
        QFile f(kDir + QStringLiteral("toxicity_davidson/labeled_data.csv"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        // Columns: id,count,hate_speech,offensive_language,neither,class,tweet (class 0/1 toxic, 2 neither).
        std::vector<std::pair<QString, bool>> data;
        const QString all = QString::fromUtf8(f.readAll());
        QStringList fields;
        QString field;
        bool quoted = false;
        auto endRecord = [&] {
            fields << field;
            field.clear();
            if (fields.size() == 7 && fields[0] != QLatin1String("id"))
                data.emplace_back(fields[6], fields[5] != QLatin1String("2"));
            fields.clear();
        };
        for (qsizetype i = 0; i < all.size(); ++i) {
            const QChar c = all.at(i);
            if (quoted) {
                if (c == QLatin1Char('"') && i + 1 < all.size() && all.at(i + 1) == QLatin1Char('"')) {
                    field += c;
                    ++i;
                } else if (c == QLatin1Char('"'))
                    quoted = false;
                else
                    field += c;
            } else if (c == QLatin1Char('"')) {
                quoted = true;
            } else if (c == QLatin1Char(',')) {
                fields << field;
                field.clear();
            } else if (c == QLatin1Char('\n')) {
                endRecord();
            } else if (c != QLatin1Char('\r')) {
                field += c;
            }
        }
        const Counts c = measure(data, QStringLiteral("toxicity."));
        qInfo("toxic tweets: precision %.3f recall %.3f (%zu tweets)", c.precision(), c.recall(), data.size());
        QVERIFY(c.precision() >= 0.97);
        QVERIFY(c.recall() >= 0.85);
    }
    void phishingUrls()
    {
        QFile f(kDir + QStringLiteral("phishing_urls_hannousse/urls.csv"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        std::vector<std::pair<QString, bool>> rows;
        for (const QByteArray &raw : f.readAll().split('\n')) {
            QByteArray line = raw.trimmed();
            const qsizetype comma = line.lastIndexOf(',');
            if (comma <= 0 || line.startsWith("url,"))
                continue;
            QByteArray url = line.left(comma);
            if (url.startsWith('"') && url.endsWith('"'))
                url = url.mid(1, url.size() - 2).replace("\"\"", "\"");
            rows.emplace_back(QString::fromUtf8(url), line.mid(comma + 1) == "phishing");
        }
        const Counts c = measure(rows, QStringLiteral("phishing."));
        qInfo("phishing URLs: precision %.3f recall %.3f (%zu URLs)", c.precision(), c.recall(), rows.size());
        QVERIFY(c.precision() >= 0.92);
        QVERIFY(c.recall() >= 0.40);
    }
    void secretTestCases()
    {
        const Counts c = measure(jsonl(QStringLiteral("secrets_detectsecrets_cases/plugin_cases.jsonl"),
                                     [](const QJsonObject &o) {
                                         return std::make_pair(o.value(QStringLiteral("text")).toString(),
                                             o.value(QStringLiteral("label")).toInt() == 1);
                                     }),
            QStringLiteral("secret."));
        qInfo("secret test cases: precision %.3f recall %.3f", c.precision(), c.recall());
        QVERIFY(c.precision() >= 0.6);
        QVERIFY(c.recall() >= 0.5);
    }
};

QTEST_GUILESS_MAIN(TestSafetyData)
#include "tst_safety_data.moc"
