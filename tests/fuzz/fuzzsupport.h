#pragma once

// What every fuzz target shares: the input as bytes or text, and a check that stops the run
// with a message when a property the code promises does not hold. fuzzinit.cpp, linked into
// every target, keeps Qt quiet. A target that needs set-up (a pack, a scanner) makes it on its
// first input, in a function-local static.

#include <QByteArray>
#include <QString>
#include <QtGlobal>

#include <cstdio>
#include <cstdlib>

namespace l0::fuzz {

// The input as bytes, and as text the way the node decodes UTF-8 it receives.
inline QByteArray bytes(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}

inline QString text(const uint8_t *data, size_t size)
{
    return QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
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
