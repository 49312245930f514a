#pragma once

#include <QDir>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>

#include <pwd.h>
#include <unistd.h>

// A throwaway PostgreSQL server for tests: initdb + pg_ctl in a temporary directory, on a free
// port on 127.0.0.1, trust authentication. As root, the server runs as the postgres user
// (initdb and pg_ctl refuse root).
class PgServer {
public:
    ~PgServer() { stop(); }

    bool start(QString *error)
    {
        const QStringList candidates = QDir(QStringLiteral("/usr/lib/postgresql"))
                                           .entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name | QDir::Reversed);
        for (const QString &v : candidates) {
            if (QFile::exists(QStringLiteral("/usr/lib/postgresql/%1/bin/initdb").arg(v))) {
                m_bin = QStringLiteral("/usr/lib/postgresql/%1/bin/").arg(v);
                break;
            }
        }
        if (m_bin.isEmpty()) {
            *error = QStringLiteral(
                "no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)");
            return false;
        }
        if (!m_dir.isValid()) {
            *error = QStringLiteral("cannot make a temporary directory");
            return false;
        }
        m_data = m_dir.filePath(QStringLiteral("data"));
        if (geteuid() == 0) {
            const passwd *pw = getpwnam("postgres");
            if (!pw) {
                *error = QStringLiteral("running as root but there is no postgres user");
                return false;
            }
            m_runAs = QStringLiteral("postgres");
            if (::chown(QFile::encodeName(m_dir.path()).constData(), pw->pw_uid, pw->pw_gid) != 0) {
                *error = QStringLiteral("cannot hand the temporary directory to postgres");
                return false;
            }
        }
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        m_port = probe.serverPort();
        probe.close();
        if (!run(QStringLiteral("initdb"),
                { QStringLiteral("-D"), m_data, QStringLiteral("-A"), QStringLiteral("trust"), QStringLiteral("-U"),
                    QStringLiteral("postgres"), QStringLiteral("-E"), QStringLiteral("UTF8"),
                    QStringLiteral("--no-sync") },
                error))
            return false;
        const QString options
            = QStringLiteral("-p %1 -k %2 -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60")
                  .arg(m_port)
                  .arg(m_dir.path());
        if (!run(QStringLiteral("pg_ctl"),
                { QStringLiteral("-D"), m_data, QStringLiteral("-o"), options, QStringLiteral("-l"),
                    m_dir.filePath(QStringLiteral("server.log")), QStringLiteral("-w"), QStringLiteral("start") },
                error))
            return false;
        m_running = true;
        return true;
    }

    void stop()
    {
        if (!m_running)
            return;
        QString ignored;
        run(QStringLiteral("pg_ctl"),
            { QStringLiteral("-D"), m_data, QStringLiteral("-m"), QStringLiteral("immediate"), QStringLiteral("-w"),
                QStringLiteral("stop") },
            &ignored);
        m_running = false;
    }
    // Stops and starts the same server (for outage tests).
    bool restart(QString *error)
    {
        stop();
        const QString options
            = QStringLiteral("-p %1 -k %2 -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60")
                  .arg(m_port)
                  .arg(m_dir.path());
        m_running = run(QStringLiteral("pg_ctl"),
            { QStringLiteral("-D"), m_data, QStringLiteral("-o"), options, QStringLiteral("-l"),
                m_dir.filePath(QStringLiteral("server.log")), QStringLiteral("-w"), QStringLiteral("start") },
            error);
        return m_running;
    }

    quint16 port() const { return m_port; }
    QString url(const QString &db = QStringLiteral("postgres"), const QString &user = QStringLiteral("postgres")) const
    {
        return QStringLiteral("postgresql://%1@127.0.0.1:%2/%3?connect_timeout=5").arg(user).arg(m_port).arg(db);
    }

    // Runs SQL with psql-free libpq through the store under test is not possible before a
    // database exists, so databases are made with createdb.
    bool createDatabase(const QString &name, QString *error)
    {
        return run(QStringLiteral("createdb"),
            { QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(m_port),
                QStringLiteral("-U"), QStringLiteral("postgres"), name },
            error);
    }

private:
    bool run(const QString &tool, const QStringList &args, QString *error)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.setWorkingDirectory(m_dir.path());
        if (m_runAs.isEmpty()) {
            p.start(m_bin + tool, args);
        } else {
            QStringList all { QStringLiteral("-u"), m_runAs, QStringLiteral("--"), m_bin + tool };
            all += args;
            p.start(QStringLiteral("runuser"), all);
        }
        if (!p.waitForFinished(120'000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
            *error = tool + QStringLiteral(" failed: ") + QString::fromLocal8Bit(p.readAll()).trimmed().right(800);
            return false;
        }
        return true;
    }

    QTemporaryDir m_dir;
    QString m_bin, m_data, m_runAs;
    quint16 m_port = 0;
    bool m_running = false;
};
