#include "command.h"

namespace l0 {

Command::Command(QString name, QString synopsis, QString description, QList<QCommandLineOption> options)
    : m_name(std::move(name))
    , m_synopsis(std::move(synopsis))
    , m_description(std::move(description))
    , m_options(std::move(options))
{
}

QString Command::help() const
{
    return QStringLiteral("Usage: l0ctl [--db URL] ") + m_synopsis + QStringLiteral("\n\n") + m_description
        + QLatin1Char('\n');
}

} // namespace l0
