#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>

#include <csignal>
#include <cstdio>

#include "upstream/simulatedupstreamserver.h"

namespace {

int die(const QString &message)
{
    std::fprintf(stderr, "l0-sim-upstream: %s\n", qPrintable(message));
    return 1;
}

// JSON text, or @FILE.
bool readJson(const QString &spec, QJsonObject *out, QString *error)
{
    QByteArray bytes = spec.toUtf8();
    if (spec.startsWith(QLatin1Char('@'))) {
        QFile f(spec.mid(1));
        if (!f.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read %1: %2").arg(spec.mid(1), f.errorString());
            return false;
        }
        bytes = f.readAll();
    }
    QJsonParseError err {};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = QStringLiteral("the fault configuration must be a JSON object (%1)").arg(err.errorString());
        return false;
    }
    *out = doc.object();
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("l0-sim-upstream"));
    QCoreApplication::setApplicationVersion(QStringLiteral(L0_VERSION_STRING));

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Simulated upstream LLM for tests: POST /v1/chat/completions (OpenAI) and POST /v1/messages (Anthropic),\n"
        "plain and streamed, deterministic answers with usage and tool calls, faults on demand;\n"
        "POST /v1/embeddings (OpenAI) with deterministic vectors (similar texts near) and usage.\n"
        "GET /stats counts calls per model; POST /control/faults changes the faults at run time.\n"
        "Faults come from --faults or L0_SIM_FAULTS (JSON text or @FILE), then the flags below."));
    p.addHelpOption();
    p.addVersionOption();
    const QList<QPair<QString, QString>> faultFlags {
        { QStringLiteral("error-rate"), QStringLiteral("Share of calls answered with --error-status (0 to 1).") },
        { QStringLiteral("error-status"),
            QStringLiteral("HTTP status of injected errors (default 503; 529: overloaded).") },
        { QStringLiteral("rate-limit-rate"), QStringLiteral("Share of calls answered 429 with Retry-After.") },
        { QStringLiteral("retry-after-s"), QStringLiteral("Retry-After of injected 429s, in seconds (default 1).") },
        { QStringLiteral("hang-rate"), QStringLiteral("Share of calls never answered.") },
        { QStringLiteral("cut-rate"), QStringLiteral("Share of calls whose connection drops mid-answer.") },
        { QStringLiteral("cut-after-events"), QStringLiteral("Stream events sent before a cut (default 2).") },
        { QStringLiteral("stream-error-rate"), QStringLiteral("Share of streams ending with an error event.") },
        { QStringLiteral("first-byte-delay-ms"), QStringLiteral("Delay before any byte of an answer.") },
        { QStringLiteral("chunk-delay-ms"), QStringLiteral("Delay between stream events.") },
        { QStringLiteral("refuse-after-calls"), QStringLiteral("Stop listening after this many calls.") },
        { QStringLiteral("refuse-ms"), QStringLiteral("...for this long (0: for good).") },
        { QStringLiteral("seed"), QStringLiteral("Shifts where the shares fall (deterministic).") },
    };
    p.addOptions({
        { QStringLiteral("listen"), QStringLiteral("Loopback address to serve on (default 127.0.0.1:0)."),
            QStringLiteral("HOST:PORT") },
        { QStringLiteral("threads"), QStringLiteral("HTTP worker threads (default 2)."), QStringLiteral("N") },
        { QStringLiteral("api-key-env"),
            QStringLiteral("Name of an environment variable holding the key clients must send."),
            QStringLiteral("NAME") },
        { QStringLiteral("faults"), QStringLiteral("Fault configuration: JSON text or @FILE."),
            QStringLiteral("JSON") },
        { QStringLiteral("script"),
            QStringLiteral(
                "Outcomes of the first calls, comma-separated: ok, 503, 429, hang, cut, stream_error, refuse."),
            QStringLiteral("LIST") },
    });
    for (const auto &flag : faultFlags)
        p.addOption({ flag.first, flag.second, QStringLiteral("VALUE") });
    p.process(app);

    QJsonObject faults;
    QString error;
    const QString spec
        = p.isSet(QStringLiteral("faults")) ? p.value(QStringLiteral("faults")) : qEnvironmentVariable("L0_SIM_FAULTS");
    if (!spec.isEmpty() && !readJson(spec, &faults, &error))
        return die(error);
    for (const auto &flag : faultFlags) {
        if (!p.isSet(flag.first))
            continue;
        bool ok = false;
        const double v = p.value(flag.first).toDouble(&ok);
        if (!ok)
            return die(QStringLiteral("--%1 takes a number").arg(flag.first));
        faults.insert(QString(flag.first).replace(QLatin1Char('-'), QLatin1Char('_')), v);
    }
    if (p.isSet(QStringLiteral("script"))) {
        QJsonArray script;
        for (const QString &s : p.value(QStringLiteral("script")).split(QLatin1Char(','), Qt::SkipEmptyParts))
            script.append(s.trimmed());
        faults.insert(QStringLiteral("script"), script);
    }
    auto config = l0::SimulatedUpstreamConfig::fromJson(faults);
    if (!config)
        return die(config.error().message);

    l0::SimulatedUpstreamOptions options;
    options.config = *config;
    if (p.isSet(QStringLiteral("threads"))) {
        bool ok = false;
        options.threads = p.value(QStringLiteral("threads")).toInt(&ok);
        if (!ok || options.threads < 1)
            return die(QStringLiteral("--threads takes a positive whole number"));
    }
    if (p.isSet(QStringLiteral("api-key-env"))) {
        const QString name = p.value(QStringLiteral("api-key-env"));
        options.apiKey = qgetenv(name.toLocal8Bit().constData());
        if (options.apiKey.isEmpty())
            return die(QStringLiteral("the environment variable %1 is not set").arg(name));
    }

    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 0;
    if (p.isSet(QStringLiteral("listen"))) {
        const QString listen = p.value(QStringLiteral("listen"));
        const qsizetype colon = listen.lastIndexOf(QLatin1Char(':'));
        bool ok = false;
        const int n = listen.mid(colon + 1).toInt(&ok);
        if (colon <= 0 || !ok || n < 0 || n > 65535)
            return die(QStringLiteral("--listen takes HOST:PORT"));
        host = listen.left(colon);
        port = quint16(n);
    }
    const QHostAddress address(host == QLatin1String("localhost") ? QStringLiteral("127.0.0.1") : host);
    if (address.isNull() || !address.isLoopback())
        return die(QStringLiteral("--listen must be a loopback address (127.0.0.1)"));

    std::signal(SIGPIPE, SIG_IGN); // SIGTERM and SIGINT end the process: it keeps nothing to save

    l0::SimulatedUpstreamServer server(options);
    if (auto s = server.start(address, port); !s)
        return die(s.error().message);
    std::fprintf(stdout, "l0-sim-upstream listening on http://%s:%u\n", qPrintable(address.toString()), server.port());
    std::fflush(stdout);
    const int rc = app.exec();
    server.stop();
    return rc;
}
