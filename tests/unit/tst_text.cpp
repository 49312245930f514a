#include <QTest>

#include "core/result.h"
#include "core/text.h"

using namespace l0;

class TestText : public QObject {
    Q_OBJECT
private slots:
    void utf8_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("valid");
        QTest::newRow("empty") << QByteArray() << true;
        QTest::newRow("ascii") << QByteArray("hello") << true;
        QTest::newRow("umlaut") << QByteArray("gr\xc3\xbc\xc3\x9f") << true;
        QTest::newRow("emoji") << QByteArray("\xf0\x9f\x98\x80") << true;
        QTest::newRow("cjk") << QByteArray("\xe4\xbd\xa0\xe5\xa5\xbd") << true;
        QTest::newRow("lone continuation") << QByteArray("\x80") << false;
        QTest::newRow("truncated 2-byte") << QByteArray("a\xc3") << false;
        QTest::newRow("truncated 4-byte") << QByteArray("\xf0\x9f\x98") << false;
        QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << false;
        QTest::newRow("overlong 3-byte") << QByteArray("\xe0\x80\xaf") << false;
        QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << false;
        QTest::newRow("beyond U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << false;
        QTest::newRow("latin1 byte") << QByteArray("caf\xe9") << false;
        QTest::newRow("0xff") << QByteArray("\xff") << false;
    }
    void utf8()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, valid);
        QCOMPARE(isValidUtf8(bytes), valid);
    }
    void sha256KnownVector()
    {
        QCOMPARE(sha256Hex("abc"), QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QCOMPARE(sha256("abc").size(), 32);
    }
    void constantTimeEquals_()
    {
        QVERIFY(constantTimeEquals("secret", "secret"));
        QVERIFY(!constantTimeEquals("secret", "secreT"));
        QVERIFY(!constantTimeEquals("secret", "secret1"));
        QVERIFY(constantTimeEquals(QByteArray(), QByteArray()));
    }
    void randomBytesDiffer()
    {
        const QByteArray a = randomBytes(32), b = randomBytes(32);
        QCOMPARE(a.size(), 32);
        QVERIFY(a != b);
    }
    void resultCarriesValueOrError()
    {
        Result<int> ok = 5;
        QVERIFY(ok.ok());
        QCOMPARE(*ok, 5);
        Result<int> bad = makeError(ErrorCode::NotFound, QStringLiteral("nope"));
        QVERIFY(!bad);
        QCOMPARE(bad.error().code, ErrorCode::NotFound);
        QCOMPARE(bad.error().toString(), QStringLiteral("not_found: nope"));
        Status s = makeFieldError(QStringLiteral("model"), QStringLiteral("bad"));
        QVERIFY(!s);
        QCOMPARE(s.error().field, QStringLiteral("model"));
    }
};

QTEST_APPLESS_MAIN(TestText)
#include "tst_text.moc"
