#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "review/safetyprofile.h"
#include "review/safetyscanner.h"
#include "review/textmodel.h"

using namespace l0;

// Precision and recall of the detector families on the labelled public sets in
// ../shared/data/safety, against floors measured when they were written (so a change that
// makes a detector worse fails here). Text level: a text counts as flagged when any detector
// of the family fires. Learned families are measured honestly: a model is trained here on
// four fifths of the set and the whole scanner, with that model, is measured on the last fifth.
namespace {
const QString kDir = QStringLiteral(L0_SHARED_DATA_DIR "/safety/");

using Rows = std::vector<std::pair<QString, bool>>;

Rows load(LabelledSource src, QStringList *groups = nullptr)
{
    src.path = kDir + src.path;
    if (!QFile::exists(src.path))
        return {};
    auto rows = readLabelled(src, groups);
    if (!rows)
        qFatal("%s", qPrintable(rows.error().message));
    return *rows;
}

DetectionCounts report(const char *what, const DetectionCounts &c, size_t n)
{
    qInfo("%-34s n=%5zu precision %.3f recall %.3f", what, n, c.precision(), c.recall());
    return c;
}

// Four fifths train a model of the given kind; the scanner with it is measured on the rest.
DetectionCounts heldOutFifth(const char *what, const Rows &rows, const QStringList &groups, FeatureKind kind,
    const char *modelKey, const QString &family, double precision)
{
    Rows train, test;
    for (size_t i = 0; i < rows.size(); ++i) {
        const QString unit = groups.isEmpty() ? rows[i].first : groups.at(qsizetype(i));
        const bool held = uchar(QCryptographicHash::hash(unit.toUtf8(), QCryptographicHash::Sha256).at(0)) % 5 == 0;
        (held ? test : train).push_back(rows[i]);
    }
    TrainOptions o;
    o.kind = kind;
    o.name = QString::fromLatin1(modelKey);
    o.targetPrecision = precision;
    const TextModel model = trainTextModel(train, o);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("model.json"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(model.toJson()) < 0)
        qFatal("cannot write %s", qPrintable(path));
    f.close();
    const QJsonObject over { { QStringLiteral("models"), QJsonObject { { QLatin1String(modelKey), path } } } };
    auto profile = SafetyProfile::withOverrides(QJsonDocument(over).toJson());
    if (!profile)
        qFatal("%s", qPrintable(profile.error().message));
    return report(what, SafetyScanner(*profile).measure(test, family), test.size());
}
} // namespace

class TestSafetyData : public QObject {
    Q_OBJECT
private slots:
    void piiRecognizerCases()
    {
        const Rows rows = load({ QStringLiteral("pii_presidio_cases/recognizer_cases.jsonl") });
        if (rows.empty())
            QSKIP("shared safety data not present");
        const auto c
            = report("pii recognizer cases", SafetyScanner().measure(rows, QStringLiteral("pii.")), rows.size());
        QVERIFY(c.precision() >= 0.97);
        QVERIFY(c.recall() >= 0.95);
    }
    void piiSentences()
    {
        // Positive: the sentence holds one of the types the PII check is for.
        static const QStringList ours { QStringLiteral("EMAIL_ADDRESS"), QStringLiteral("PHONE_NUMBER"),
            QStringLiteral("CREDIT_CARD"), QStringLiteral("IBAN_CODE"), QStringLiteral("US_SSN"),
            QStringLiteral("IP_ADDRESS") };
        QFile f(kDir + QStringLiteral("pii_presidio_synth/synth_dataset_v2.jsonl"));
        if (!f.open(QIODevice::ReadOnly))
            QSKIP("shared safety data not present");
        Rows rows;
        for (const QByteArray &line : f.readAll().split('\n')) {
            if (line.trimmed().isEmpty())
                continue;
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            bool positive = false;
            for (const QJsonValue &s : o.value(QStringLiteral("spans")).toArray())
                positive = positive || ours.contains(s.toObject().value(QStringLiteral("entity_type")).toString());
            rows.emplace_back(o.value(QStringLiteral("full_text")).toString(), positive);
        }
        const auto c = report("pii sentences", SafetyScanner().measure(rows, QStringLiteral("pii.")), rows.size());
        QVERIFY(c.precision() >= 0.97);
        QVERIFY(c.recall() >= 0.95);
    }
    void toxicTweets()
    {
        // class 0 hate speech, 1 offensive, 2 neither.
        const Rows rows = load({ QStringLiteral("toxicity_davidson/labeled_data.csv"), QStringLiteral("tweet"),
            QStringLiteral("class"), { QStringLiteral("0"), QStringLiteral("1") }, {}, {} });
        if (rows.empty())
            QSKIP("shared safety data not present");
        const auto c = report("toxic tweets", SafetyScanner().measure(rows, QStringLiteral("toxicity.")), rows.size());
        QVERIFY(c.precision() >= 0.97);
        QVERIFY(c.recall() >= 0.85);
    }
    void secretTestCases()
    {
        const Rows rows = load({ QStringLiteral("secrets_detectsecrets_cases/plugin_cases.jsonl") });
        if (rows.empty())
            QSKIP("shared safety data not present");
        const auto c
            = report("secret test cases", SafetyScanner().measure(rows, QStringLiteral("secret.")), rows.size());
        QVERIFY(c.precision() >= 0.85);
        QVERIFY(c.recall() >= 0.90);
    }
    void timeSensitiveHandLabelled()
    {
        // No public labelled set exists: 50 answer sentences written by this project, half of
        // which go stale (prices, versions, dates, "currently").
        auto rows = readLabelled({ QStringLiteral(L0_TEST_DATA_DIR "/time_sensitive.jsonl") });
        QVERIFY(rows.ok());
        const auto c = report(
            "time-sensitive (hand-labelled)", SafetyScanner().measure(*rows, QStringLiteral("time.")), rows->size());
        QVERIFY(c.precision() >= 0.9);
        QVERIFY(c.recall() >= 0.9);
    }
    void promptInjectionsHeldOut()
    {
        const Rows rows = load({ QStringLiteral("injection_deepset/prompt_injections.csv") });
        if (rows.empty())
            QSKIP("shared safety data not present");
        const auto c = heldOutFifth("prompt injections (held-out fifth)", rows, {}, FeatureKind::Text, "injection",
            QStringLiteral("injection."), 0.93);
        QVERIFY(c.precision() >= 0.90);
        QVERIFY(c.recall() >= 0.75);
    }
    void smishingHeldOut()
    {
        const Rows rows = load({ QStringLiteral("phishing_sms_mishra/sms.csv"), QStringLiteral("text"),
            QStringLiteral("label"), { QStringLiteral("smishing") }, { QStringLiteral("ham") }, {} });
        if (rows.empty())
            QSKIP("shared safety data not present");
        const auto c = heldOutFifth("smishing vs ham (held-out fifth)", rows, {}, FeatureKind::Text, "smishing",
            QStringLiteral("phishing."), 0.93);
        QVERIFY(c.precision() >= 0.90);
        QVERIFY(c.recall() >= 0.85);
    }
    void phishingUrlsHeldOut()
    {
        const Rows rows = load({ QStringLiteral("phishing_urls_hannousse/urls.csv"), QStringLiteral("url"),
            QStringLiteral("status"), { QStringLiteral("phishing") }, {}, {} });
        if (rows.empty())
            QSKIP("shared safety data not present");
        const auto c = heldOutFifth("phishing URLs (held-out fifth)", rows, {}, FeatureKind::Url, "phishing_url",
            QStringLiteral("phishing."), 0.97);
        QVERIFY(c.precision() >= 0.90);
        QVERIFY(c.recall() >= 0.75);
    }
    void credentialLinesHeldOut()
    {
        // Held out by file, as near-duplicate lines of one file would otherwise leak.
        QStringList groups;
        const Rows rows = load({ QStringLiteral("secrets_creddata/creddata_lines.jsonl"), QStringLiteral("text"),
                                   QStringLiteral("label"), { QStringLiteral("1") }, {}, QStringLiteral("file") },
            &groups);
        if (rows.empty())
            QSKIP("shared safety data not present");
        const auto c = heldOutFifth("credential lines (held-out fifth)", rows, groups, FeatureKind::Line,
            "credential_line", QStringLiteral("secret."), 0.9);
        QVERIFY(c.precision() >= 0.72);
        QVERIFY(c.recall() >= 0.75);
    }
};

QTEST_GUILESS_MAIN(TestSafetyData)
#include "tst_safety_data.moc"
