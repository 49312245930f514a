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
// of the family fires.
//
// Every set is split the way its public hold-out part was split off, by the same unit: a
// template for PII sentences, a group of files sharing a line for credential lines, the text
// or URL elsewhere. Learned families are cross-validated over five folds of that unit: a model
// trained on four folds, the whole scanner with it measured on the fifth, the five pooled.
// bench/safety_holdout.py runs the same protocol (same folds) and prints more.
namespace {
const QString kDir = QStringLiteral(L0_SHARED_DATA_DIR "/safety/");
constexpr int kFolds = 5;

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

std::vector<QJsonObject> loadJsonl(const QString &path)
{
    std::vector<QJsonObject> out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (!line.trimmed().isEmpty())
            out.push_back(QJsonDocument::fromJson(line).object());
    }
    return out;
}

// sha256("dev-fold:" + unit) as a number, modulo the folds (as bench/safety_holdout.py).
int foldOf(const QString &unit)
{
    const QByteArray h
        = QCryptographicHash::hash((QStringLiteral("dev-fold:") + unit).toUtf8(), QCryptographicHash::Sha256);
    int r = 0;
    for (char c : h)
        r = (r * 256 + uchar(c)) % kFolds;
    return r;
}

QString withoutSpace(const QString &t)
{
    QString out;
    for (QChar c : t)
        if (!c.isSpace())
            out += c;
    return out;
}

DetectionCounts report(const char *what, const DetectionCounts &c, size_t n)
{
    qInfo("%-44s n=%5zu precision %.3f recall %.3f", what, n, c.precision(), c.recall());
    return c;
}

void addTo(DetectionCounts &a, const DetectionCounts &b)
{
    a.tp += b.tp;
    a.fp += b.fp;
    a.fn += b.fn;
    a.tn += b.tn;
}

// Five folds by unit: for each, a model of the given kind trained on the other four (whose own
// threshold folds keep units together too); the scanner with it measured on the fold.
DetectionCounts crossValidated(const char *what, const Rows &rows, const QStringList &units, FeatureKind kind,
    const char *modelKey, const QString &family, double precision)
{
    DetectionCounts pooled;
    QTemporaryDir dir;
    for (int k = 0; k < kFolds; ++k) {
        Rows train, test;
        QStringList trainUnits;
        for (size_t i = 0; i < rows.size(); ++i) {
            if (foldOf(units.at(qsizetype(i))) == k) {
                test.push_back(rows[i]);
            } else {
                train.push_back(rows[i]);
                trainUnits << units.at(qsizetype(i));
            }
        }
        TrainOptions o;
        o.kind = kind;
        o.name = QString::fromLatin1(modelKey);
        o.targetPrecision = precision;
        const TextModel model = trainTextModel(train, o, nullptr, &trainUnits);
        const QString path = dir.filePath(QStringLiteral("model%1.json").arg(k));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(model.toJson()) < 0)
            qFatal("cannot write %s", qPrintable(path));
        f.close();
        const QJsonObject over { { QStringLiteral("models"), QJsonObject { { QLatin1String(modelKey), path } } } };
        auto profile = SafetyProfile::withOverrides(QJsonDocument(over).toJson());
        if (!profile)
            qFatal("%s", qPrintable(profile.error().message));
        const DetectionCounts c = SafetyScanner(*profile).measure(test, family);
        qInfo("  fold %d: n=%zu precision %.3f recall %.3f", k, test.size(), c.precision(), c.recall());
        addTo(pooled, c);
    }
    return report(what, pooled, rows.size());
}

// Rule families: the scanner fold by fold (for the spread) and pooled.
DetectionCounts byFolds(
    const char *what, const Rows &rows, const QStringList &units, const QString &family, double *worstRecall = nullptr)
{
    std::vector<Rows> folds(kFolds);
    for (size_t i = 0; i < rows.size(); ++i)
        folds[size_t(foldOf(units.at(qsizetype(i))))].push_back(rows[i]);
    DetectionCounts pooled;
    double worst = 1;
    const SafetyScanner scanner;
    for (int k = 0; k < kFolds; ++k) {
        const DetectionCounts c = scanner.measure(folds[size_t(k)], family);
        qInfo("  fold %d: n=%zu precision %.3f recall %.3f", k, folds[size_t(k)].size(), c.precision(), c.recall());
        if (c.tp + c.fn)
            worst = std::min(worst, c.recall());
        addTo(pooled, c);
    }
    if (worstRecall)
        *worstRecall = worst;
    return report(what, pooled, rows.size());
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
        QVERIFY(c.recall() >= 0.97);
    }
    void piiSentencesByTemplate()
    {
        // Positive: the sentence holds one of the types the PII check is for. Units: templates
        // (the hold-out part holds templates this part never shows). Besides the pooled figure,
        // recall per template (every template weighs the same) and the worst fold of templates.
        static const QStringList ours { QStringLiteral("EMAIL_ADDRESS"), QStringLiteral("PHONE_NUMBER"),
            QStringLiteral("CREDIT_CARD"), QStringLiteral("IBAN_CODE"), QStringLiteral("US_SSN"),
            QStringLiteral("IP_ADDRESS") };
        const auto objects = loadJsonl(kDir + QStringLiteral("pii_presidio_synth/synth_dataset_v2.jsonl"));
        if (objects.empty())
            QSKIP("shared safety data not present");
        Rows rows;
        QStringList units;
        for (const QJsonObject &o : objects) {
            bool positive = false;
            for (const QJsonValue &s : o.value(QStringLiteral("spans")).toArray())
                positive = positive || ours.contains(s.toObject().value(QStringLiteral("entity_type")).toString());
            rows.emplace_back(o.value(QStringLiteral("full_text")).toString(), positive);
            units << QStringLiteral("template:%1").arg(o.value(QStringLiteral("template_id")).toInteger());
        }
        double worst = 0;
        const auto c = byFolds("pii sentences (folds of templates)", rows, units, QStringLiteral("pii."), &worst);
        QHash<QString, std::pair<int, int>> perTemplate; // found, positives
        const SafetyScanner scanner;
        for (size_t i = 0; i < rows.size(); ++i) {
            if (!rows[i].second)
                continue;
            bool found = false;
            for (const Finding &f : scanner.scan(rows[i].first))
                found = found || f.detector.startsWith(QLatin1String("pii."));
            auto &[hit, all] = perTemplate[units.at(qsizetype(i))];
            hit += found;
            ++all;
        }
        double macro = 0;
        for (const auto &[hit, all] : perTemplate)
            macro += double(hit) / all;
        macro /= std::max<qsizetype>(1, perTemplate.size());
        qInfo("pii sentences: recall per template %.3f over %lld templates, worst fold %.3f", macro,
            qlonglong(perTemplate.size()), worst);
        QVERIFY(c.precision() >= 0.97);
        QVERIFY(c.recall() >= 0.97);
        QVERIFY(macro >= 0.95);
        QVERIFY(worst >= 0.9);
    }
    void piiFreeTextHandWritten()
    {
        // Sentences written by this project in phrasings, locales and number layouts the public
        // templates do not use, with hard negatives (order numbers, dates, prices, versions).
        // The second file was written after the detectors changed and first run unseen.
        auto rows = readLabelled({ QStringLiteral(L0_TEST_DATA_DIR "/pii_free_text.jsonl") });
        auto check = readLabelled({ QStringLiteral(L0_TEST_DATA_DIR "/pii_free_text_check.jsonl") });
        QVERIFY(rows.ok() && check.ok());
        rows->insert(rows->end(), check->begin(), check->end());
        const auto c = report(
            "pii free text (hand-written)", SafetyScanner().measure(*rows, QStringLiteral("pii.")), rows->size());
        QVERIFY(c.precision() >= 0.97);
        QVERIFY(c.recall() >= 0.97);
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
        QVERIFY(c.precision() >= 0.93);
        QVERIFY(c.recall() >= 0.92);
    }
    void credentialLinesHandWritten()
    {
        // Lines written by this project: real-looking literals against placeholders, references,
        // hashes, prose and test values, in several languages.
        auto rows = readLabelled({ QStringLiteral(L0_TEST_DATA_DIR "/credential_lines.jsonl") });
        auto check = readLabelled({ QStringLiteral(L0_TEST_DATA_DIR "/credential_lines_check.jsonl") });
        QVERIFY(rows.ok() && check.ok());
        rows->insert(rows->end(), check->begin(), check->end());
        const auto c = report(
            "credential lines (hand-written)", SafetyScanner().measure(*rows, QStringLiteral("secret.")), rows->size());
        QVERIFY(c.precision() >= 0.95);
        QVERIFY(c.recall() >= 0.95);
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
    void promptInjectionsCrossValidated()
    {
        const Rows rows = load({ QStringLiteral("injection_deepset/prompt_injections.csv") });
        if (rows.empty())
            QSKIP("shared safety data not present");
        QStringList units;
        for (const auto &[text, positive] : rows)
            units << withoutSpace(text);
        const auto c = crossValidated("prompt injections (5 folds by text)", rows, units, FeatureKind::Text,
            "injection", QStringLiteral("injection."), 0.93);
        QVERIFY(c.precision() >= 0.95);
        QVERIFY(c.recall() >= 0.68);
    }
    void smishingCrossValidated()
    {
        const Rows rows = load({ QStringLiteral("phishing_sms_mishra/sms.csv"), QStringLiteral("text"),
            QStringLiteral("label"), { QStringLiteral("smishing") }, { QStringLiteral("ham") }, {} });
        if (rows.empty())
            QSKIP("shared safety data not present");
        QStringList units;
        for (const auto &[text, positive] : rows)
            units << withoutSpace(text);
        const auto c = crossValidated("smishing vs ham (5 folds by text)", rows, units, FeatureKind::Text, "smishing",
            QStringLiteral("phishing."), 0.93);
        QVERIFY(c.precision() >= 0.97);
        QVERIFY(c.recall() >= 0.87);
    }
    void phishingUrlsCrossValidated()
    {
        const Rows rows = load({ QStringLiteral("phishing_urls_hannousse/urls.csv"), QStringLiteral("url"),
            QStringLiteral("status"), { QStringLiteral("phishing") }, {}, {} });
        if (rows.empty())
            QSKIP("shared safety data not present");
        QStringList units;
        for (const auto &[url, positive] : rows)
            units << url;
        const auto c = crossValidated("phishing URLs (5 folds by URL)", rows, units, FeatureKind::Url, "phishing_url",
            QStringLiteral("phishing."), 0.97);
        QVERIFY(c.precision() >= 0.93);
        QVERIFY(c.recall() >= 0.84);
    }
    void credentialLinesCrossValidated()
    {
        // Units as the hold-out split: files that share an identical line form one group, so
        // near-duplicate lines cannot sit on both sides.
        const auto objects = loadJsonl(kDir + QStringLiteral("secrets_creddata/creddata_lines.jsonl"));
        if (objects.empty())
            QSKIP("shared safety data not present");
        Rows rows;
        QStringList files;
        for (const QJsonObject &o : objects) {
            rows.emplace_back(
                o.value(QStringLiteral("text")).toString(), o.value(QStringLiteral("label")).toInt() == 1);
            files << o.value(QStringLiteral("repo")).toString() + QLatin1Char('/')
                    + o.value(QStringLiteral("file")).toString();
        }
        const QStringList units = groupsSharingText(rows, files);
        const auto c = crossValidated("credential lines (5 folds by file group)", rows, units, FeatureKind::Line,
            "credential_line", QStringLiteral("secret."), 0.85);
        QVERIFY(c.precision() >= 0.85);
        QVERIFY(c.recall() >= 0.78);
    }
};

QTEST_GUILESS_MAIN(TestSafetyData)
#include "tst_safety_data.moc"
