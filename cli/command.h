#pragma once

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include "core/clock.h"

namespace l0 {

// What a command talks through. Tests pass string streams, their own input and a manual clock;
// l0ctl passes stdout, stderr and the system clock.
struct CommandIo {
    QTextStream &out; // data
    QTextStream &err; // one-line errors ("l0ctl: ...")
    QTextStream *in = nullptr; // lines `safety scan` reads; nullptr reads standard input
    const Clock *clock = Clock::system(); // "now" for leases, decisions, ranges and budgets
};

// The parsed command line as a command sees it. The parser knows the options of every command
// (an option given to a command that does not read it is ignored, as it always was); args are
// the positional words, args[0] being the command's own name ("tenant", "approve").
struct CommandLine {
    const QCommandLineParser &parser;
    QStringList args;

    bool isSet(const QString &option) const { return parser.isSet(option); }
    QString value(const QString &option) const { return parser.value(option); }
};

// One l0ctl command (or group of subcommands: `tenant add|list|...`). Commands are stateless and
// built once; run() may be called any number of times, each call opening what it needs.
class Command {
public:
    // synopsis: the usage after "l0ctl [--db URL] "; description: one paragraph for --help.
    // options: the options run() reads besides the global --db, --help and --version.
    Command(QString name, QString synopsis, QString description, QList<QCommandLineOption> options);
    virtual ~Command() = default;
    Command(const Command &) = delete;
    Command &operator=(const Command &) = delete;

    const QString &name() const { return m_name; }
    const QString &synopsis() const { return m_synopsis; }
    const QString &description() const { return m_description; }
    const QList<QCommandLineOption> &options() const { return m_options; }

    // What `l0ctl NAME --help` prints.
    QString help() const;

    // Runs the command; returns the process exit code: 0 ok, 1 failure, 2 usage. Data goes to
    // io.out; a failure prints one line to io.err.
    virtual int run(const CommandLine &cmd, CommandIo &io) const = 0;

private:
    QString m_name;
    QString m_synopsis;
    QString m_description;
    QList<QCommandLineOption> m_options;
};

} // namespace l0
