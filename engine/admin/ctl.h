#pragma once

#include <QStringList>
#include <QTextStream>

namespace l0 {

// The l0ctl command line, callable from tests. args excludes the program name. Prints data to
// out and one-line errors to err; returns the process exit code (0 ok, 1 failure, 2 usage).
int runCtl(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace l0
