#include <QApplication>
#include <QCommandLineParser>
#include <QLibraryInfo>
#include <QLocale>
#include <QTimer>
#include <QTranslator>

#include "mainwindow.h"

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    // The console's language follows the system locale (German and French are shipped); Qt's
    // own dialogs follow it too when their translations are installed.
    QTranslator qtTranslator, translator;
    if (qtTranslator.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
            QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        app.installTranslator(&qtTranslator);
    if (translator.load(QLocale(), QStringLiteral("l0cache"), QStringLiteral("_"), QStringLiteral(":/l0/i18n")))
        app.installTranslator(&translator);
    QApplication::setApplicationName(QStringLiteral("l0cache"));
    QApplication::setApplicationDisplayName(QStringLiteral("L0 Cache Console"));
    QApplication::setApplicationVersion(QStringLiteral(L0_VERSION_STRING));
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("L0 Cache reviewer and manager console"));
    p.addHelpOption();
    p.addVersionOption();
    p.addOption({ QStringLiteral("db"), QStringLiteral("Store URL to open."), QStringLiteral("URL") });
    p.process(app);
    l0::ui::MainWindow w;
    w.show();
    // Without --db a new user starts where they would look first: the connection profiles.
    if (p.isSet(QStringLiteral("db")))
        w.openStore(p.value(QStringLiteral("db")));
    else
        QTimer::singleShot(0, &w, &l0::ui::MainWindow::askConnect);
    return app.exec();
}
