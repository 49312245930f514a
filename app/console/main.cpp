#include <QApplication>
#include <QCommandLineParser>

#include "mainwindow.h"

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
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
    if (p.isSet(QStringLiteral("db")))
        w.openStore(p.value(QStringLiteral("db")));
    w.show();
    return app.exec();
}
