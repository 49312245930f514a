#include "passphrase.h"

#include <cstdio>

#include "commandsupport.h"
#include "trust/adminkey.h"

#include <termios.h>
#include <unistd.h>

namespace l0 {

namespace {

// Writes prompt to the terminal and reads one line with echo off; the line without its end.
QByteArray askQuietly(FILE *tty, const QString &prompt)
{
    std::fprintf(tty, "%s", qPrintable(prompt));
    std::fflush(tty);
    termios old {};
    tcgetattr(fileno(tty), &old);
    termios quiet = old;
    quiet.c_lflag &= ~tcflag_t(ECHO);
    tcsetattr(fileno(tty), TCSANOW, &quiet);
    char buf[1024] = {};
    const bool ok = std::fgets(buf, sizeof buf, tty) != nullptr;
    tcsetattr(fileno(tty), TCSANOW, &old);
    std::fprintf(tty, "\n");
    QByteArray line = ok ? QByteArray(buf) : QByteArray();
    while (line.endsWith('\n') || line.endsWith('\r'))
        line.chop(1);
    return line;
}

} // namespace

std::optional<QByteArray> passphrase(QTextStream &err, const QString &prompt, bool confirm)
{
    const QByteArray env = qgetenv("L0_PASSPHRASE");
    if (!env.isEmpty())
        return env;
    // A file keeps the passphrase out of the environment other processes can read.
    const QString file = qEnvironmentVariable("L0_PASSPHRASE_FILE");
    if (!file.isEmpty()) {
        auto fromFile = readPassphraseFile(file);
        if (!fromFile) {
            fail(err, fromFile.error().message + QStringLiteral(" (L0_PASSPHRASE_FILE)"));
            return std::nullopt;
        }
        return *fromFile;
    }
    FILE *tty = std::fopen("/dev/tty", "r+");
    if (!tty) {
        fail(err, QStringLiteral("no passphrase: set L0_PASSPHRASE or run on a terminal"));
        return std::nullopt;
    }
    const QByteArray first = askQuietly(tty, prompt);
    if (confirm && askQuietly(tty, QStringLiteral("Repeat: ")) != first) {
        std::fclose(tty);
        fail(err, QStringLiteral("the passphrases differ"));
        return std::nullopt;
    }
    std::fclose(tty);
    return first;
}

} // namespace l0
