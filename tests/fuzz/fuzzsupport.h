#pragma once

// What every fuzz target shares: Qt quiet (the engine's warnings about bad input are expected
// and would flood the fuzzer's output), and a check that stops the run with a message when a
// property the code promises does not hold.

#include <QByteArray>
#include <QString>
#include <QtGlobal>

#include <cstdio>
#include <cstdlib>

namespace l0::fuzz {

inline void quietQt()
{
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &, const QString &msg) {
        if (type == QtFatalMsg) {
            std::fprintf(stderr, "qFatal: %s\n", qPrintable(msg));
            std::abort();
        }
    });
}

[[noreturn]] inline void broken(const char *what)
{
    std::fprintf(stderr, "property broken: %s\n", what);
    std::abort();
}

inline void check(bool ok, const char *what)
{
    if (!ok)
        broken(what);
}

// Piece sizes for feeding one input in pieces, taken from the input itself so a crash
// reproduces from its file alone: 1..16 bytes.
inline size_t pieceSize(const uint8_t *data, size_t size, size_t at)
{
    return size ? size_t(data[at % size] % 16) + 1 : 1;
}

} // namespace l0::fuzz
