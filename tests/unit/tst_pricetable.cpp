#include <QTest>

#include "ledger/pricetable.h"

using namespace l0;

class TestPriceTable : public QObject {
    Q_OBJECT
private slots:
    void builtinLoads()
    {
        auto t = PriceTable::builtin();
        QVERIFY2(t.ok(), qPrintable(t.ok() ? QString() : t.error().message));
        QVERIFY(t->size() > 5);
        QVERIFY(!t->effectiveDate().isEmpty());
    }
    void integerRounding()
    {
        QCOMPARE(microsForTokens(0, 2'500'000), 0);
        QCOMPARE(microsForTokens(1'000'000, 2'500'000), 2'500'000);
        QCOMPARE(microsForTokens(1, 150'000), 0); // 0.15 micro-dollars rounds down
        QCOMPARE(microsForTokens(4, 150'000), 1); // 0.6 rounds up
        QCOMPARE(microsForTokens(10, 150'000), 2); // 1.5 rounds half up
    }
    void costAndPrefixes()
    {
        auto t = PriceTable::fromJson(R"({"effective_date":"2026-01-01","models":{
            "gpt-4o":{"input":2500000,"output":10000000},"gpt-4o-mini":{"input":150000,"output":600000}}})");
        QVERIFY(t.ok());
        QCOMPARE(t->cost(QStringLiteral("gpt-4o"), { 1000, 100 }).value(), 2500 + 1000);
        QCOMPARE(t->cost(QStringLiteral("gpt-4o-2024-08-06"), { 1000, 100 }).value(), 3500);
        QCOMPARE(t->cost(QStringLiteral("gpt-4o-mini-2024-07-18"), { 1'000'000, 0 }).value(), 150'000);
        QVERIFY(!t->cost(QStringLiteral("gpt-4oo"), { 1, 1 }).has_value());
        QVERIFY(!t->cost(QStringLiteral("llama-unknown"), { 1, 1 }).has_value()); // unpriced, never 0
    }
    void rejectsBadTables()
    {
        QVERIFY(!PriceTable::fromJson("nope").ok());
        QVERIFY(!PriceTable::fromJson(R"({"models":{"m":{"input":1.5,"output":1}}})").ok());
        QVERIFY(!PriceTable::fromJson(R"({"models":{"m":{"input":-1,"output":1}}})").ok());
        QVERIFY(!PriceTable::fromJson(R"({"models":{"m":{"input":"1","output":1}}})").ok());
    }
    void mergeOverrides()
    {
        auto a = PriceTable::fromJson(R"({"models":{"m":{"input":1,"output":1}}})");
        auto b = PriceTable::fromJson(R"({"models":{"m":{"input":2000000,"output":0},"n":{"input":1,"output":1}}})");
        a->merge(*b);
        QCOMPARE(a->cost(QStringLiteral("m"), { 1, 0 }).value(), 2);
        QVERIFY(a->cost(QStringLiteral("n"), { 1, 0 }).has_value());
    }
};

QTEST_APPLESS_MAIN(TestPriceTable)
#include "tst_pricetable.moc"
