#include <QFile>
#include <QTest>

#include "normalize/jsonwithlines.h"
#include "normalize/rulepack.h"

using namespace l0;

namespace {
QByteArray validPack()
{
    QFile f(QStringLiteral(L0_TEST_DATA_DIR "/support-pack.json"));
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}
} // namespace

class TestRulePack : public QObject {
    Q_OBJECT
private slots:
    void validPackLoads()
    {
        auto p = RulePack::fromJson(validPack());
        QVERIFY2(p.ok(), qPrintable(p.ok() ? QString() : p.error().message));
        QCOMPARE((*p)->id(), QStringLiteral("support@1"));
        QCOMPARE(int((*p)->intents.size()), 5);
        QVERIFY(!(*p)->slotPatterns.empty()); // defaults when the pack lists none
        QVERIFY(RulePack::check(validPack()).isEmpty());
    }
    void roundTrip()
    {
        auto p = RulePack::fromJson(validPack());
        auto again = RulePack::fromJson((*p)->toJson());
        QVERIFY(again.ok());
        QCOMPARE((*again)->intents.size(), (*p)->intents.size());
        QCOMPARE((*again)->intents[0].features, (*p)->intents[0].features);
        QCOMPARE((*again)->abstainMargin, (*p)->abstainMargin);
    }
    // The guards' keys: optional (an old pack loads as before), round-tripped, checked.
    void guardKeysRoundTrip()
    {
        QByteArray json = validPack();
        json.replace("\"abstain\": {\"margin\": 1500, \"min_evidence\": 1},",
            "\"abstain\": {\"margin\": 1500, \"min_evidence\": 1, \"coverage_power\": 2},\n"
            "  \"vocabulary\": {\"folds\": 5, \"unknown_idf\": 9000, \"idf\": {\"cancel\": 2000}},");
        json.replace("\"negation\": {\"cues\": [\"not\", \"no\", \"never\", \"without\"], \"scope\": 3}",
            "\"negation\": {\"cues\": [\"not\", \"no\", \"never\", \"without\"], \"scope\": 3, \"veto_scope\": 6, "
            "\"transparent\": [\"to\", \"my\"], \"inability\": [\"can\"], \"scope_ends\": [\"unless\"]}");
        json.replace("\"features\": {\"cancel\": 3000,",
            "\"vocabulary\": {\"cancel\": 5, \"order\": 3}, \"negation_guard\": {\"defining\": [\"cancel\", \"stop\"], "
            "\"expected\": [\"ship\"], \"maps_to\": \"refund\"},\n      \"features\": {\"cancel\": 3000,");
        json.replace("\"examples\": [\"Where is my order 12345?\"",
            "\"vocabulary\": [\"track\", \"order\"], \"examples\": [\"Where is my order 12345?\"");
        auto p = RulePack::fromJson(json);
        QVERIFY2(p.ok(), qPrintable(p.ok() ? QString() : p.error().message));
        for (const auto &pack : { *p, *RulePack::fromJson((*p)->toJson()) }) {
            QCOMPARE(pack->coveragePower, 2);
            QCOMPARE(pack->vocabularyFolds, 5);
            QCOMPARE(pack->unknownIdf, 9000);
            QCOMPARE(pack->wordIdf.value(QStringLiteral("cancel")), 2000);
            QCOMPARE(pack->vetoScope, 6);
            QCOMPARE(pack->transparentWords, QStringList({ QStringLiteral("to"), QStringLiteral("my") }));
            const Intent &cancel = pack->intents[0];
            QCOMPARE(cancel.vocabulary.value(QStringLiteral("order")), 3);
            QVERIFY(cancel.hasNegationGuard);
            QCOMPARE(cancel.defining, QStringList({ QStringLiteral("cancel"), QStringLiteral("stop") }));
            QCOMPARE(cancel.negationExpected, QStringList { QStringLiteral("ship") });
            QCOMPARE(cancel.negatedIntent, QStringLiteral("refund"));
            QCOMPARE(pack->intents[1].vocabulary.value(QStringLiteral("track")), 5); // a list: fully seen
        }
        // An old pack: no guard written, nothing new required.
        auto old = RulePack::fromJson(validPack());
        QVERIFY(old.ok());
        QCOMPARE((*old)->coveragePower, 0);
        QVERIFY(!(*old)->intents[0].hasNegationGuard);
        QVERIFY((*old)->intents[0].vocabulary.isEmpty());
    }
    void guardProblems_data()
    {
        QTest::addColumn<QByteArray>("from");
        QTest::addColumn<QByteArray>("to");
        QTest::addColumn<QString>("expected");
        QTest::newRow("maps to nothing")
            << QByteArray("\"features\": {\"cancel\": 3000,")
            << QByteArray("\"negation_guard\": {\"maps_to\": \"nowhere\"}, \"features\": {\"cancel\": 3000,")
            << QStringLiteral("names no other intent");
        QTest::newRow("coverage without vocabulary")
            << QByteArray("\"min_evidence\": 1}") << QByteArray("\"min_evidence\": 1, \"coverage_power\": 2}")
            << QStringLiteral("needs the pack's \"vocabulary\"");
        QTest::newRow("seen more often than folds")
            << QByteArray("\"features\": {\"cancel\": 3000,")
            << QByteArray("\"vocabulary\": {\"cancel\": 7}, \"features\": {\"cancel\": 3000,")
            << QStringLiteral("vocabulary.cancel: must be a whole number from 1 to 1");
        QTest::newRow("unknown guard key")
            << QByteArray("\"features\": {\"cancel\": 3000,")
            << QByteArray("\"negation_guard\": {\"defines\": []}, \"features\": {\"cancel\": 3000,")
            << QStringLiteral("defines: unknown key");
    }
    void guardProblems()
    {
        QFETCH(QByteArray, from);
        QFETCH(QByteArray, to);
        QFETCH(QString, expected);
        QByteArray json = validPack();
        QVERIFY(json.contains(from));
        json.replace(from, to);
        const QStringList problems = RulePack::check(json);
        QVERIFY2(problems.join(u'\n').contains(expected), qPrintable(problems.join(u'\n')));
        QVERIFY(!RulePack::fromJson(json).ok());
    }
    void jsonSyntaxErrorsHaveLineAndColumn()
    {
        const QStringList problems
            = RulePack::check("{\n  \"schema\": \"l0.rulepack/1\",\n  \"name\": \"x\"\n  \"version\": 1\n}");
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems.first().startsWith(QStringLiteral("line 4, column 3")), qPrintable(problems.first()));
    }
    void problemsNameTheirLine_data()
    {
        QTest::addColumn<QByteArray>("from");
        QTest::addColumn<QByteArray>("to");
        QTest::addColumn<QString>("expected");
        QTest::newRow("bad weight") << QByteArray("\"cancel\": 3000") << QByteArray("\"cancel\": \"lots\"")
                                    << QStringLiteral("features.cancel: must be a whole number");
        QTest::newRow("bad margin") << QByteArray("\"margin\": 1500") << QByteArray("\"margin\": -1")
                                    << QStringLiteral("abstain.margin");
        QTest::newRow("unknown key") << QByteArray("\"bias\": 0,\n      \"features\": {\"money_back\"")
                                     << QByteArray("\"bias\": 0, \"colour\": 1,\n      \"features\": {\"money_back\"")
                                     << QStringLiteral("colour: unknown key");
        QTest::newRow("duplicate intent") << QByteArray("\"name\": \"refund\"")
                                          << QByteArray("\"name\": \"track_order\"") << QStringLiteral("defined twice");
        QTest::newRow("bad schema") << QByteArray("l0.rulepack/1") << QByteArray("l0.rulepack/9")
                                    << QStringLiteral("schema");
        QTest::newRow("three-word feature")
            << QByteArray("\"cancel order\": 1500") << QByteArray("\"cancel my order\": 1500")
            << QStringLiteral("one word, two words");
        QTest::newRow("duplicate member")
            << QByteArray("\"cancel\": 3000,") << QByteArray("\"cancel\": 3000, \"cancel\": 1,")
            << QStringLiteral("duplicate member");
    }
    void problemsNameTheirLine()
    {
        QFETCH(QByteArray, from);
        QFETCH(QByteArray, to);
        QFETCH(QString, expected);
        QByteArray json = validPack();
        const qsizetype at = json.indexOf(from);
        QVERIFY(at >= 0);
        const int line = int(json.left(at).count('\n')) + 1;
        json.replace(at, from.size(), to);
        const QStringList problems = RulePack::check(json);
        QVERIFY(!problems.isEmpty());
        QVERIFY2(problems.join(u'\n').contains(expected), qPrintable(problems.join(u'\n')));
        // Reported on the line of the bad value (or, for syntax, where parsing stopped).
        QVERIFY2(problems.first().startsWith(QStringLiteral("line %1").arg(line)),
            qPrintable(problems.first() + QStringLiteral(" vs line %1").arg(line)));
        QVERIFY(!RulePack::fromJson(json).ok()); // never half-loaded
    }
    void badSlotRegex()
    {
        QByteArray json = validPack();
        json.replace(
            "\"intents\": [", "\"slots\": [{\"name\": \"order_id\", \"pattern\": \"(unclosed\"}],\n  \"intents\": [");
        const QStringList problems = RulePack::check(json);
        QVERIFY2(problems.join(u'\n').contains(QStringLiteral("slots[0].pattern")), qPrintable(problems.join(u'\n')));
    }
    void notAnObject()
    {
        QVERIFY(!RulePack::check("[]").isEmpty());
        QVERIFY(!RulePack::check("").isEmpty());
        QVERIFY(!RulePack::fromFile(QStringLiteral("/nonexistent.json")).ok());
    }
    void linesByPath()
    {
        auto d = JsonWithLines::parse("{\n\"a\": [\n 1,\n {\"b\": 2}\n]\n}");
        QVERIFY(d.ok());
        QCOMPARE(d->lineOf(QStringLiteral("a")), 2);
        QCOMPARE(d->lineOf(QStringLiteral("a[0]")), 3);
        QCOMPARE(d->lineOf(QStringLiteral("a[1].b")), 4);
        QCOMPARE(d->lineOf(QStringLiteral("a[1].zzz")), 4);
    }
};

QTEST_APPLESS_MAIN(TestRulePack)
#include "tst_rulepack.moc"
