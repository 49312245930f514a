#include <QTest>

#include "review/worddiff.h"

using namespace l0;

namespace {
QString side(const std::vector<DiffOp> &ops, bool oldSide)
{
    QString out;
    for (const DiffOp &op : ops) {
        if (op.kind == DiffOp::Equal || (oldSide ? op.kind == DiffOp::Delete : op.kind == DiffOp::Insert))
            out += op.text;
    }
    return out;
}
} // namespace

class TestWordDiff : public QObject {
    Q_OBJECT
private slots:
    void roundTrips_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::newRow("empty") << QString() << QString();
        QTest::newRow("from empty") << QString() << QStringLiteral("new text\nhere");
        QTest::newRow("to empty") << QStringLiteral("old text") << QString();
        QTest::newRow("identical") << QStringLiteral("same\nlines\n") << QStringLiteral("same\nlines\n");
        QTest::newRow("all different") << QStringLiteral("alpha beta gamma") << QStringLiteral("one two three four");
        QTest::newRow("unicode") << QStringLiteral("Grüße 😀 aus Köln") << QStringLiteral("Grüße 🙂 aus Köln!");
        QTest::newRow("crlf") << QStringLiteral("line one\r\nline two\r\n") << QStringLiteral("line one\r\nline 2\r\n");
        QTest::newRow("mixed") << QStringLiteral("a\nb\nc\nd\n") << QStringLiteral("a\nB\nc\nd\ne\n");
    }
    void roundTrips()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        const auto ops = wordDiff(a, b);
        QCOMPARE(side(ops, true), a);
        QCOMPARE(side(ops, false), b);
        if (a == b) {
            QVERIFY(ops.size() <= 1);
            for (const DiffRow &r : sideBySide(ops))
                QVERIFY(!r.changed());
        }
    }
    void marksOnlyTheChangedWords()
    {
        const auto ops = wordDiff(QStringLiteral("Deliveries take three to five business days."),
            QStringLiteral("Deliveries take two to four business days."));
        QStringList deleted, inserted;
        for (const DiffOp &op : ops) {
            if (op.kind == DiffOp::Delete)
                deleted << op.text;
            if (op.kind == DiffOp::Insert)
                inserted << op.text;
        }
        QCOMPARE(deleted, QStringList({ QStringLiteral("three"), QStringLiteral("five") }));
        QCOMPARE(inserted, QStringList({ QStringLiteral("two"), QStringLiteral("four") }));
        const auto rows = sideBySide(ops);
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].leftChanged.size(), size_t(2));
        QCOMPARE(rows[0].left.mid(
                     rows[0].leftChanged[0].first, rows[0].leftChanged[0].second - rows[0].leftChanged[0].first),
            QStringLiteral("three"));
    }
    void alignsLinesSideBySide()
    {
        const auto rows = sideBySide(wordDiff(QStringLiteral("a\nb\nc\n"), QStringLiteral("a\nb2\nb3\nc\n")));
        QCOMPARE(rows.size(), size_t(4));
        QVERIFY(!rows[0].changed());
        QVERIFY(rows[1].changed());
        QVERIFY(rows[2].changed());
        QVERIFY(!rows[2].leftPresent); // the extra inserted line pads the left side
        QVERIFY(!rows[3].changed());
        QCOMPARE(changeStarts(rows), std::vector<int>({ 1 }));
    }
};

QTEST_APPLESS_MAIN(TestWordDiff)
#include "tst_worddiff.moc"
