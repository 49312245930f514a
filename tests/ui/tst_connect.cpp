#include <QApplication>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "connect/connectdialog.h"

using namespace l0::ui;

// Connection profiles: the URL is remembered, the password never in the settings file (only the
// system keyring may hold it; without one it is simply not remembered).
class TestConnect : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("l0cache-test"));
        QCoreApplication::setApplicationName(QStringLiteral("console"));
    }
    void profilesKeepTheUrlNeverThePassword()
    {
        {
            ConnectDialog d;
            QSignalSpy done(&d, &ConnectDialog::keyringDone);
            d.saveProfile(QStringLiteral("prod"), QStringLiteral("postgresql://ann:s3cret-in-url@db.example:5432/l0"),
                QStringLiteral("s3cret-Passw0rd"), true);
            QVERIFY(done.count() > 0 || done.wait(10000));
            // Either the keyring took it, or the dialog says it was not stored anywhere. Run by
            // tests/ui/with_keyring.sh there is a real Secret Service (gnome-keyring), and it must.
            if (qEnvironmentVariableIsSet("L0_EXPECT_KEYRING"))
                QVERIFY2(done.at(0).at(0).toBool(), qPrintable(d.message()));
            else if (!done.at(0).at(0).toBool())
                QVERIFY2(d.message().contains(QStringLiteral("not stored anywhere else")), qPrintable(d.message()));
        }
        QSettings s;
        s.sync();
        QFile ini(s.fileName());
        QVERIFY(ini.open(QIODevice::ReadOnly));
        const QByteArray stored = ini.readAll();
        QVERIFY(stored.contains("db.example"));
        QVERIFY(!stored.contains("s3cret"));
        ConnectDialog again;
        QVERIFY(again.profiles().contains(QStringLiteral("prod")));
        QSignalSpy read(&again, &ConnectDialog::keyringDone);
        again.selectProfile(QStringLiteral("prod"));
        QVERIFY(read.count() > 0 || read.wait(10000));
        QVERIFY(again.url().startsWith(QStringLiteral("postgresql://ann")));
        QVERIFY(again.url().contains(QStringLiteral("db.example:5432/l0")));
        // From the keyring, into the URL in memory only.
        if (qEnvironmentVariableIsSet("L0_EXPECT_KEYRING"))
            QVERIFY2(again.url().contains(QStringLiteral("s3cret-Passw0rd")), qPrintable(redactedUrl(again.url())));
    }
    void urlsShownWithoutPasswords()
    {
        QCOMPARE(urlWithPassword(QStringLiteral("postgresql://ann@h/db"), QStringLiteral("p w")),
            QStringLiteral("postgresql://ann:p%20w@h/db"));
        QVERIFY(!redactedUrl(QStringLiteral("postgresql://ann:pw@h/db")).contains(QStringLiteral("pw")));
        QCOMPARE(redactedUrl(QStringLiteral("sqlite:/tmp/x.sqlite")), QStringLiteral("sqlite:/tmp/x.sqlite"));
    }
};

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    TestConnect t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_connect.moc"
