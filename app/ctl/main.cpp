#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

#include "ctl.h"

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("l0cache"));
    QCoreApplication::setApplicationVersion(QStringLiteral(L0_VERSION_STRING));
    QTextStream out(stdout);
    QTextStream err(stderr);
    QStringList args = QCoreApplication::arguments();
    args.removeFirst();
    const int code = l0::runCtl(args, out, err);
    out.flush();
    err.flush();
    return code;
}
