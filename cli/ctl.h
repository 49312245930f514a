#pragma once

#include <QStringList>
#include <QTextStream>

#include "command.h"

namespace l0 {

// The l0ctl command line, callable from tests. args excludes the program name. Prints data to
// io.out and one-line errors to io.err; returns the process exit code (0 ok, 1 failure, 2 usage).
int runCtl(const QStringList &args, CommandIo &io);

// The same with standard input and the system clock.
int runCtl(const QStringList &args, QTextStream &out, QTextStream &err);

// What `l0ctl --help` prints: the synopsis and description of every command.
QString ctlUsage();

} // namespace l0
