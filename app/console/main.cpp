#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTimer>
#include <QTranslator>

#include "mainwindow.h"

namespace {

void nameApplication()
{
    QCoreApplication::setApplicationName(QStringLiteral("l0cache"));
    QCoreApplication::setApplicationVersion(QStringLiteral(L0_VERSION_STRING));
}

void describeOptions(QCommandLineParser &p)
{
    p.setApplicationDescription(QStringLiteral("L0 Cache reviewer and manager console"));
    p.addHelpOption();
    p.addVersionOption();
    p.addOption({ QStringLiteral("db"), QStringLiteral("Store URL to open."), QStringLiteral("URL") });
}

// --help and --version print and exit without a display: they are answered by a plain
// QCoreApplication before any GUI object exists.
bool asksForTextOnly(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray a(argv[i]);
        if (a == "-h" || a == "--help" || a == "-?" || a == "--help-all" || a == "-v" || a == "--version")
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char *argv[])
{
    if (asksForTextOnly(argc, argv)) {
        QCoreApplication core(argc, argv);
        nameApplication();
        QCommandLineParser p;
        describeOptions(p);
        p.process(core); // prints and exits
        return 0;
    }
    QApplication app(argc, argv);
    // The console's language follows the system locale (German and French are shipped); Qt's
    // own dialogs follow it too when their translations are installed.
    QTranslator qtTranslator, translator;
    if (qtTranslator.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
            QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        app.installTranslator(&qtTranslator);
    if (translator.load(QLocale(), QStringLiteral("l0cache"), QStringLiteral("_"), QStringLiteral(":/l0/i18n")))
        app.installTranslator(&translator);
    nameApplication();
    QApplication::setApplicationDisplayName(QStringLiteral("L0 Cache Console"));
    QCommandLineParser p;
    describeOptions(p);
    p.process(app);
    l0::ui::MainWindow w;
    w.restoreLayout();
    w.show();
    // Without --db a new user starts where they would look first: the connection profiles.
    if (p.isSet(QStringLiteral("db")))
        w.openStore(p.value(QStringLiteral("db")));
    else
        QTimer::singleShot(0, &w, &l0::ui::MainWindow::askConnect);
    return app.exec();
}
