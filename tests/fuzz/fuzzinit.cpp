// Linked into every fuzz target: Qt quiet. The engine's warnings about bad input are expected
// and would flood the fuzzer's output; a qFatal still stops the run as a crash.
#include <QString>
#include <QtGlobal>

#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &, const QString &msg) {
        if (type == QtFatalMsg) {
            std::fprintf(stderr, "qFatal: %s\n", qPrintable(msg));
            std::abort();
        }
    });
    return 0;
}
