#include <QFile>
#include <QRandomGenerator>
#include <QTest>

#include <algorithm>

#include "normalize/intentmatcher.h"

using namespace l0;

namespace {
std::shared_ptr<const RulePack> supportPack()
{
    static auto pack = RulePack::fromFile(QStringLiteral(L0_TEST_DATA_DIR "/support-pack.json"));
    if (!pack)
        qFatal("support pack: %s", qPrintable(pack.error().message));
    return *pack;
}

QString slotValue(const IntentMatch &m, const QString &name)
{
    for (const SlotValue &s : m.slotValues) {
        if (s.name == name)
            return s.value;
    }
    return {};
}
} // namespace

class TestIntentMatcher : public QObject {
    Q_OBJECT
    std::unique_ptr<IntentMatcher> m;

private slots:
    void initTestCase() { m = std::make_unique<IntentMatcher>(supportPack()); }

    void equivalentQuestionsShareAKey()
    {
        const IntentMatch a = m->match(QStringLiteral("I need to cancel order #12345"));
        const IntentMatch b = m->match(QStringLiteral("cancel my order 67890"));
        const IntentMatch c = m->match(QStringLiteral("please stop shipment ABC-999"));
        QVERIFY(!a.abstained);
        QCOMPARE(a.key(), QStringLiteral("cancel_order|order_id"));
        QCOMPARE(b.key(), a.key());
        QCOMPARE(c.key(), a.key());
        QCOMPARE(slotValue(a, QStringLiteral("order_id")), QStringLiteral("12345"));
        QCOMPARE(slotValue(b, QStringLiteral("order_id")), QStringLiteral("67890"));
        QCOMPARE(slotValue(c, QStringLiteral("order_id")), QStringLiteral("ABC-999"));
    }
    void nfkcAndCaseFolding()
    {
        // Full-width letters and odd case normalise to the same words.
        const NormalizedText n = m->normalize(QStringLiteral("ＣＡＮＣＥＬ My ORDER"));
        QCOMPARE(n.tokens, QStringList({ QStringLiteral("cancel"), QStringLiteral("my"), QStringLiteral("order") }));
    }
    void contractionsAndPunctuation()
    {
        const NormalizedText n = m->normalize(QStringLiteral("I can't log-in!!! It's broken…"));
        QVERIFY2(n.tokens.contains(QStringLiteral("can")) && n.tokens.contains(QStringLiteral("not")),
            qPrintable(n.tokens.join(u' ')));
        QVERIFY(!n.tokens.join(QString()).contains(QLatin1Char('!')));
        const NormalizedText curly = m->normalize(QStringLiteral("I don\u2019t know"));
        QVERIFY(curly.tokens.contains(QStringLiteral("not")));
    }
    void stemmingAndSynonyms()
    {
        QCOMPARE(IntentMatcher::stem(QStringLiteral("cancelled")), IntentMatcher::stem(QStringLiteral("cancel")));
        QCOMPARE(IntentMatcher::stem(QStringLiteral("arriving")), IntentMatcher::stem(QStringLiteral("arrived")));
        QCOMPARE(IntentMatcher::stem(QStringLiteral("orders")), QStringLiteral("order"));
        QCOMPARE(m->match(QStringLiteral("where is my parcel")).intent, QStringLiteral("track_order"));
    }
    void slotTypes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("slot");
        QTest::addColumn<QString>("value");
        QTest::newRow("order hash") << QStringLiteral("order #A12345 is late") << QStringLiteral("order_id")
                                    << QStringLiteral("A12345");
        QTest::newRow("order words") << QStringLiteral("my order number 998877") << QStringLiteral("order_id")
                                     << QStringLiteral("998877");
        QTest::newRow("tracking") << QStringLiteral("tracking 1Z999AA10123456784 please")
                                  << QStringLiteral("tracking_number") << QStringLiteral("1Z999AA10123456784");
        QTest::newRow("invoice") << QStringLiteral("send invoice INV-2024-001 again")
                                 << QStringLiteral("invoice_number") << QStringLiteral("INV-2024-001");
        QTest::newRow("email") << QStringLiteral("mail me at jane.doe@example.com") << QStringLiteral("email")
                               << QStringLiteral("jane.doe@example.com");
        QTest::newRow("phone") << QStringLiteral("call +44 20 7946 0958 now") << QStringLiteral("phone")
                               << QStringLiteral("+44 20 7946 0958");
        QTest::newRow("amount") << QStringLiteral("I was charged $49.99 twice") << QStringLiteral("amount")
                                << QStringLiteral("$49.99");
        QTest::newRow("amount eur") << QStringLiteral("refund 20 EUR") << QStringLiteral("amount")
                                    << QStringLiteral("20 EUR");
        QTest::newRow("date iso") << QStringLiteral("delivered on 2026-03-01") << QStringLiteral("date")
                                  << QStringLiteral("2026-03-01");
        QTest::newRow("date words") << QStringLiteral("since March 3rd") << QStringLiteral("date")
                                    << QStringLiteral("March 3rd");
        QTest::newRow("card last4") << QStringLiteral("card ending in 4242 declined") << QStringLiteral("card_last4")
                                    << QStringLiteral("4242");
        QTest::newRow("url") << QStringLiteral("see https://shop.example.com/o/1 pls") << QStringLiteral("url")
                             << QStringLiteral("https://shop.example.com/o/1");
        QTest::newRow("placeholder") << QStringLiteral("cancel order {{Order Number}}")
                                     << QStringLiteral("order_number") << QStringLiteral("Order Number");
    }
    void slotTypes()
    {
        QFETCH(QString, text);
        QFETCH(QString, slot);
        QFETCH(QString, value);
        const NormalizedText n = m->normalize(text);
        bool found = false;
        for (const SlotValue &s : n.slotValues)
            found = found || (s.name == slot && s.value == value);
        QStringList got;
        for (const SlotValue &s : n.slotValues)
            got << s.name + QLatin1Char('=') + s.value;
        QVERIFY2(found, qPrintable(got.join(QStringLiteral(", "))));
        QVERIFY(n.tokens.contains(QLatin1Char('<') + slot + QLatin1Char('>')));
        QVERIFY(!n.tokens.join(u' ').contains(value.toCaseFolded()) || value.size() < 3);
    }
    void negationNeverMapsToTheIntent()
    {
        for (const QString &q : { QStringLiteral("I don't want to cancel my order"),
                 QStringLiteral("do not cancel order 12345"), QStringLiteral("never cancel my order") }) {
            const IntentMatch r = m->match(q);
            QVERIFY2(r.intent != QStringLiteral("cancel_order"), qPrintable(q));
        }
        // Negation is learned where it belongs to the intent itself.
        QCOMPARE(m->match(QStringLiteral("my package has not arrived")).intent, QStringLiteral("track_order"));
    }
    // Every way of saying it, the cue covering what makes it cancel_order (issue examples).
    void negationVetoInEveryForm_data()
    {
        QTest::addColumn<QString>("text");
        for (const char *q : { "I don't want to cancel my order 12345", "please do not cancel order 12345",
                 "never cancel my order", "I no longer want to cancel my order", "do NOT cancel order ABC-999!",
                 "I do not want you to cancel my order" })
            QTest::newRow(q) << QString::fromUtf8(q);
    }
    void negationVetoInEveryForm()
    {
        QFETCH(QString, text);
        QStringList trace;
        const IntentMatch r = m->match(text, &trace);
        QVERIFY2(r.intent != QStringLiteral("cancel_order"), qPrintable(trace.join(u'\n')));
    }
    void negationLeavesWhatStands()
    {
        // A negation of something else leaves the request standing.
        QCOMPARE(
            m->match(QStringLiteral("cancel my order, please don't ship it")).intent, QStringLiteral("cancel_order"));
        // Inability is no negation of the request: the veto stays out of it (this pack's own
        // weights decide; its "not_cancel" weighs against cancelling).
        for (const char *q : { "I can't cancel my order", "I don't know how to cancel my order" })
            QVERIFY2(!m->match(QString::fromUtf8(q)).reason.startsWith(QStringLiteral("negated")), q);
        // Negation the intent was taught stays its own.
        QCOMPARE(m->match(QStringLiteral("my package has not arrived")).intent, QStringLiteral("track_order"));
        // So in a question with its subject after the negated auxiliary: the cue negates the
        // verb ("arrived"), not the subject ("my package").
        for (const char *q : { "why hasn't my package arrived", "why hasn't the package arrived yet" }) {
            QStringList trace;
            QVERIFY2(m->match(QString::fromUtf8(q), &trace).intent == QStringLiteral("track_order"),
                qPrintable(trace.join(u'\n')));
        }
        for (const char *q : { "why can I not cancel my order" })
            QVERIFY2(!m->match(QString::fromUtf8(q)).reason.startsWith(QStringLiteral("negated")), q);
        // The guard derived from the weights of a pack that has none.
        const int cancel = 0;
        QCOMPARE(m->pack().intents[cancel].name, QStringLiteral("cancel_order"));
        QCOMPARE(m->definingWords(cancel), QStringList { QStringLiteral("cancel") });
        QCOMPARE(m->expectedNegated(1), QStringList { QStringLiteral("arriv") });
    }
    // A negated state the intent's own rows negate ("I didn't make this payment") is the
    // intent's own negation; a negated request ("please do not make this payment") still is not.
    void negatedStateIsTheIntentsOwn()
    {
        auto pack = RulePack::fromJson(QByteArrayLiteral(R"({
  "schema": "l0.rulepack/1", "name": "states", "version": 1,
  "abstain": {"margin": 1000, "min_evidence": 1},
  "intents": [
    {"name": "payment_not_recognised", "features": {"payment": 3000, "recogn": 2000, "not_make": 1500},
     "negation_guard": {"defining": ["payment"], "expected": ["make"]}},
    {"name": "make_payment", "features": {"make": 2000, "payment": 2000, "pay": 1000},
     "negation_guard": {"defining": ["make", "pay"]}}
  ]
})"));
        QVERIFY2(pack.ok(), qPrintable(pack.ok() ? QString() : pack.error().message));
        const IntentMatcher states(*pack);
        for (const char *q : { "I didn't make this payment", "I did not make this payment!" }) {
            QStringList trace;
            QVERIFY2(states.match(QString::fromUtf8(q), &trace).intent == QStringLiteral("payment_not_recognised"),
                qPrintable(trace.join(u'\n')));
        }
        for (const char *q :
            { "please do not make this payment", "I don't want to make this payment", "never make this payment" }) {
            const IntentMatch r = states.match(QString::fromUtf8(q));
            QVERIFY2(r.abstained, qPrintable(QString::fromUtf8(q) + QStringLiteral(" -> ") + r.intent));
        }
    }
    // A written guard can name the intent a negation means instead.
    void negationMapsToTheNegatedIntent()
    {
        QFile f(QStringLiteral(L0_TEST_DATA_DIR "/support-pack.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray json = f.readAll();
        // Without negated features (scope 0) the weights alone would answer cancel_order: the
        // guard turns it into the intent the negation means.
        json.replace("\"scope\": 3", "\"scope\": 0");
        json.replace(", \"not_cancel\": -4000", "");
        json.replace("\"features\": {\"cancel\": 3000,",
            "\"negation_guard\": {\"defining\": [\"cancel\"], \"maps_to\": \"keep_order\"},\n      "
            "\"features\": {\"cancel\": 3000,");
        json.replace(
            "\"intents\": [", "\"intents\": [\n    {\"name\": \"keep_order\", \"features\": {\"keep\": 3000}},");
        auto pack = RulePack::fromJson(json);
        QVERIFY2(pack.ok(), qPrintable(pack.ok() ? QString() : pack.error().message));
        const IntentMatcher guarded(*pack);
        QCOMPARE(guarded.match(QStringLiteral("please do not cancel my order 12345")).key(),
            QStringLiteral("keep_order|order_id"));
        QCOMPARE(guarded.match(QStringLiteral("cancel my order 12345")).key(), QStringLiteral("cancel_order|order_id"));
    }
    // With the out-of-scope guard, words the winning intent never saw lower its confidence.
    void coverageLowersConfidence()
    {
        QFile f(QStringLiteral(L0_TEST_DATA_DIR "/support-pack.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray json = f.readAll();
        json.replace("\"abstain\": {\"margin\": 1500, \"min_evidence\": 1},",
            "\"abstain\": {\"margin\": 1500, \"min_evidence\": 1, \"coverage_power\": 2},\n"
            "  \"vocabulary\": {\"folds\": 5, \"unknown_idf\": 9000, \"idf\": {\"cancel\": 2000, \"order\": 1000, "
            "\"my\": 300, \"pleas\": 300}},");
        json.replace("\"examples\": [\"I need to cancel order #12345\"",
            "\"vocabulary\": {\"cancel\": 5, \"order\": 5, \"my\": 5, \"pleas\": 4},\n      "
            "\"examples\": [\"I need to cancel order #12345\"");
        auto pack = RulePack::fromJson(json);
        QVERIFY2(pack.ok(), qPrintable(pack.ok() ? QString() : pack.error().message));
        const IntentMatcher guarded(*pack);
        const IntentMatch seen = guarded.match(QStringLiteral("cancel my order"));
        QCOMPARE(seen.intent, QStringLiteral("cancel_order"));
        QCOMPARE(seen.coverage, 1000);
        QCOMPARE(seen.confidence, seen.margin);
        // "spaceship" is unknown to the pack: most of the query's weight is new to cancel_order.
        QStringList trace;
        const IntentMatch odd = guarded.match(QStringLiteral("cancel my spaceship order"), &trace);
        QVERIFY(odd.abstained);
        QVERIFY2(odd.reason.contains(QStringLiteral("coverage")), qPrintable(odd.reason));
        QVERIFY(trace.join(u'\n').contains(QStringLiteral("coverage:")));
        QCOMPARE(odd.coverage, int(3300 * 1000 / (3300 + 9000)));
        QCOMPARE(guarded.match(QStringLiteral("cancel my spaceship order")).confidence, odd.confidence);
        // Integer arithmetic: margin x coverage x coverage / 10^6, truncated at each step.
        QCOMPARE(odd.confidence, odd.margin * odd.coverage / 1000 * odd.coverage / 1000);
    }
    // match() scores by a word table built from the pack; with a trace it scores by featuresOf's
    // strings. The two agree on every decision, also where the table's shortcuts could slip: a
    // synonym with a space in it (a token that is also a bigram), a synonym that looks negated,
    // words as written, negation scopes, clause breakers, conjunctions split, unknown words.
    void wordTableScoresAsTheStrings()
    {
        auto pack = RulePack::fromJson(QByteArrayLiteral(R"({
  "schema": "l0.rulepack/1", "name": "tricky", "version": 1, "raw_words": true,
  "abstain": {"margin": 200, "min_evidence": 1},
  "negation": {"cues": ["not", "never", "no"], "scope": 2},
  "conflicts": {"split": true, "conjunctions": ["and", "plus"]},
  "normalizers": {"synonyms": {"creditcard": "credit card", "halt": "not_go", "parcel": "packag"}},
  "intents": [
    {"name": "card", "features": {"credit card": 3000, "credit": 500, "=creditcard": 700,
      "not_go": -400, "block": 1200, "block my": 300}},
    {"name": "stop", "features": {"not_go": 2500, "not_not_go": 900, "go": 800, "=halt": 600, "order": 700,
      "not_ship": 1100, "=not_ship": 400}},
    {"name": "parcel", "features": {"packag": 2000, "my packag": 900, "track": 1500, "where": 300, "=parcel": 250,
      "track my": 400}}
  ]
})"));
        QVERIFY2(pack.ok(), qPrintable(pack.ok() ? QString() : pack.error().message));
        const IntentMatcher tricky(*pack);
        for (const char *q : { "block my creditcard", "my credit card please", "creditcard creditcard credit card",
                 "halt the order", "do not halt the order", "never ship it", "not ship, track my parcel",
                 "track my parcel and block my creditcard", "block my card plus track my packages",
                 "no no no not go", "where is my parcel?", "qwerty zxcvb", "", "not", "creditcard not creditcard" }) {
            const QString text = QString::fromUtf8(q);
            QStringList steps;
            const IntentMatch a = tricky.match(text), b = tricky.match(text, &steps);
            QVERIFY2(a.key() == b.key() && a.margin == b.margin && a.confidence == b.confidence
                    && a.coverage == b.coverage && a.reason == b.reason && a.top.size() == b.top.size(),
                qPrintable(text + QLatin1Char('\n') + steps.join(QLatin1Char('\n'))));
            for (size_t i = 0; i < a.top.size(); ++i) {
                QCOMPARE(a.top[i].intent, b.top[i].intent);
                QCOMPARE(a.top[i].score, b.top[i].score);
            }
        }
        // A token with a space ("credit card", from a synonym) scores as the feature it spells,
        // once, also where two tokens spell it too.
        for (const char *q : { "block my creditcard", "block my creditcard credit card" }) {
            const IntentMatch r = tricky.match(QString::fromUtf8(q));
            QVERIFY(!r.top.empty());
            QCOMPARE(r.top[0].intent, QStringLiteral("card"));
            QCOMPARE(r.top[0].score, qint64(3000 + 700 + 1200 + 300 + (qstrlen(q) > 20 ? 500 : 0)));
        }
    }
    void twoRequestsAbstain()
    {
        const IntentMatch r = m->match(QStringLiteral("please cancel my order and also reset my password"));
        QVERIFY(r.abstained);
        QVERIFY2(r.reason.contains(QStringLiteral("two requests")) || r.reason.contains(QStringLiteral("confident")),
            qPrintable(r.reason));
    }
    void slotsNeverLeak()
    {
        const IntentMatch a = m->match(QStringLiteral("cancel order 11111"));
        const IntentMatch b = m->match(QStringLiteral("cancel my order"));
        QCOMPARE(slotValue(a, QStringLiteral("order_id")), QStringLiteral("11111"));
        QVERIFY(b.slotValues.empty());
        QVERIFY(a.key() != b.key());
    }
    void outOfScopeAndEdgeInput()
    {
        QVERIFY(m->match(QStringLiteral("tell me a joke")).abstained);
        QVERIFY(m->match(QString()).abstained);
        QVERIFY(m->match(QStringLiteral("   ")).abstained);
        QVERIFY(m->match(QStringLiteral("🙂🙂🙂")).abstained);
        QVERIFY(m->match(QStringLiteral("Ich möchte meine Bestellung stornieren")).abstained);
        QVERIFY(m->match(QStringLiteral("注文をキャンセルしたい")).abstained);
        const NormalizedText emoji = m->normalize(QStringLiteral("cancel 🙂 my order"));
        QCOMPARE(
            emoji.tokens, QStringList({ QStringLiteral("cancel"), QStringLiteral("my"), QStringLiteral("order") }));
        QString longText;
        for (int i = 0; i < 5000; ++i)
            longText += QStringLiteral("cancel my order ");
        QCOMPARE(m->match(longText).intent, QStringLiteral("cancel_order"));
    }
    void deterministicOverShuffledRuns()
    {
        QStringList queries { QStringLiteral("I need to cancel order #12345"),
            QStringLiteral("where is my parcel 1Z999AA10123456784"), QStringLiteral("I forgot my password"),
            QStringLiteral("refund $20 please"), QStringLiteral("tell me a joke"),
            QStringLiteral("I don't want to cancel"), QStringLiteral("ＣＡＮＣＥＬ order ABC-999"),
            QStringLiteral("") };
        QHash<QString, QString> first;
        for (const QString &q : queries) {
            const IntentMatch r = m->match(q);
            first.insert(q, r.key() + QLatin1Char('|') + QString::number(r.margin));
        }
        QRandomGenerator rng(42);
        for (int run = 0; run < 1000; ++run) {
            std::shuffle(queries.begin(), queries.end(), rng);
            // A fresh matcher each time: nothing carries over between queries or runs.
            const IntentMatcher fresh(supportPack());
            for (const QString &q : queries) {
                const IntentMatch r = (run % 2 ? fresh : *m).match(q);
                QCOMPARE(r.key() + QLatin1Char('|') + QString::number(r.margin), first.value(q));
            }
        }
    }
    void explainTraceHasEveryStep()
    {
        QStringList trace;
        m->match(QStringLiteral("Cancel order #12345"), &trace);
        const QString all = trace.join(u'\n');
        for (const char *step :
            { "nfkc:", "slots:", "casefold:", "words:", "stem+negate:", "scores:", "negation:", "result:" })
            QVERIFY2(all.contains(QLatin1String(step)), step);
    }
};

QTEST_APPLESS_MAIN(TestIntentMatcher)
#include "tst_intentmatcher.moc"
