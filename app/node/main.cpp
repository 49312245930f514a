#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QSocketNotifier>
#include <QStandardPaths>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

#include "config/nodeconfig.h"
#include "node/node.h"
#include "store/store.h"

namespace {

int g_signalFd[2] = { -1, -1 };

// The byte says which signal came: 'H' (SIGHUP, reload the TLS files) or 'T' (stop).
void onSignal(int signal)
{
    const char c = signal == SIGHUP ? 'H' : 'T';
    [[maybe_unused]] auto n = ::write(g_signalFd[0], &c, 1);
}

int die(const QString &message)
{
    std::fprintf(stderr, "l0-node: %s\n", qPrintable(message));
    return 1;
}

} // namespace

int main(int argc, char *argv[])
{
    // Qt's own UNIX event dispatcher costs less per socket event than the GLib one.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("l0cache"));
    QCoreApplication::setApplicationVersion(QStringLiteral(L0_VERSION_STRING));

    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("L0 Cache serving node: an OpenAI-compatible proxy that answers from approved cache entries.\n"
                       "Settings come from the config file, then the environment (L0_DB, L0_LISTEN, L0_UPSTREAM,\n"
                       "OPENAI_API_KEY, OPENAI_BASE_URL, ...), then these flags."));
    p.addHelpOption();
    p.addVersionOption();
    p.addOptions({
        { QStringLiteral("config"), QStringLiteral("JSON config file."), QStringLiteral("FILE") },
        { QStringLiteral("db"),
            QStringLiteral("Store URL: sqlite:PATH or postgresql://... (default: sqlite in the data directory)."),
            QStringLiteral("URL") },
        { QStringLiteral("listen"), QStringLiteral("Address to serve on (default 127.0.0.1:8080)."),
            QStringLiteral("HOST:PORT") },
        { QStringLiteral("upstream"), QStringLiteral("sim, openai, or auto (openai when OPENAI_API_KEY is set)."),
            QStringLiteral("KIND") },
        { QStringLiteral("threads"), QStringLiteral("HTTP worker threads (default: one per core)."),
            QStringLiteral("N") },
        { QStringLiteral("max-body-bytes"), QStringLiteral("Largest request body accepted (default 32 MiB)."),
            QStringLiteral("BYTES") },
        { QStringLiteral("sim-latency-ms"), QStringLiteral("Simulated upstream: time to the first token."),
            QStringLiteral("MS") },
        { QStringLiteral("sim-chunk-delay-ms"), QStringLiteral("Simulated upstream: time between streamed chunks."),
            QStringLiteral("MS") },
        { QStringLiteral("sync-interval-ms"), QStringLiteral("How often to pick up approvals from the store."),
            QStringLiteral("MS") },
        { QStringLiteral("prices"), QStringLiteral("Price table merged over the built-in one."),
            QStringLiteral("FILE") },
        { QStringLiteral("admin-pubkey"), QStringLiteral("Pinned admin public key (may repeat)."),
            QStringLiteral("FILE") },
        { QStringLiteral("trust-database"),
            QStringLiteral("Without a pinned admin key, serve approvals from the database unverified (unsafe).") },
        { QStringLiteral("journal"), QStringLiteral("Base path of the local journal (default: in the data directory)."),
            QStringLiteral("PATH") },
        { QStringLiteral("safety-profiles"),
            QStringLiteral("Directory of tenant safety profiles (TENANT.json, merged over the built-in one)."),
            QStringLiteral("DIR") },
        { QStringLiteral("jwt-jwks"),
            QStringLiteral("Accept JWTs signed by the keys of this JWK Set file (jwt.jwks_file)."),
            QStringLiteral("FILE") },
        { QStringLiteral("jwt-keys"), QStringLiteral("Accept JWTs signed by these PEM public keys (jwt.keys_file)."),
            QStringLiteral("FILE") },
        { QStringLiteral("jwt-hs256-secret-env"),
            QStringLiteral("Accept HS256 JWTs with the secret in this environment variable (jwt.hs256_secret_env)."),
            QStringLiteral("VAR") },
        { QStringLiteral("jwt-issuer"), QStringLiteral("The iss JWTs must have (jwt.issuer)."), QStringLiteral("ISS") },
        { QStringLiteral("jwt-audience"), QStringLiteral("The aud JWTs must name (jwt.audience)."),
            QStringLiteral("AUD") },
        { QStringLiteral("tls-cert"),
            QStringLiteral("Serve HTTPS with this PEM certificate chain (tls.cert_file; re-read on SIGHUP)."),
            QStringLiteral("FILE") },
        { QStringLiteral("tls-key"),
            QStringLiteral("The certificate's PEM private key, RSA or EC (tls.key_file; re-read on SIGHUP)."),
            QStringLiteral("FILE") },
        { QStringLiteral("migrate"), QStringLiteral("Apply schema migrations before serving.") },
        { QStringLiteral("log-content"), QStringLiteral("Log prompts (debug level). Off by default.") },
    });
    p.process(app);

    auto loaded = l0::loadNodeConfig(p.value(QStringLiteral("config")), QProcessEnvironment::systemEnvironment());
    if (!loaded)
        return die(loaded.error().message);
    l0::NodeConfig config = std::move(loaded.value());
    if (p.isSet(QStringLiteral("db")))
        config.db = p.value(QStringLiteral("db"));
    if (config.db.isEmpty()) {
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        QDir().mkpath(dir);
        config.db = QStringLiteral("sqlite:") + dir + QStringLiteral("/l0.sqlite");
    }
    if (p.isSet(QStringLiteral("listen"))) {
        if (auto s = l0::parseListen(p.value(QStringLiteral("listen")), &config.listenHost, &config.port); !s)
            return die(s.error().message);
    }
    if (p.isSet(QStringLiteral("upstream")))
        config.upstream = p.value(QStringLiteral("upstream"));
    auto intFlag = [&p](const char *name, int *target) -> bool {
        if (!p.isSet(QLatin1String(name)))
            return true;
        bool ok = false;
        const int v = p.value(QLatin1String(name)).toInt(&ok);
        if (!ok || v < 0)
            return false;
        *target = v;
        return true;
    };
    int maxBody = -1;
    if (!intFlag("threads", &config.threads) || !intFlag("sim-latency-ms", &config.simLatencyMs)
        || !intFlag("sim-chunk-delay-ms", &config.simChunkDelayMs)
        || !intFlag("sync-interval-ms", &config.syncIntervalMs) || !intFlag("max-body-bytes", &maxBody))
        return die(QStringLiteral("numeric flags take a non-negative whole number"));
    if (maxBody >= 0)
        config.limits.maxBodyBytes = maxBody;
    if (p.isSet(QStringLiteral("prices")))
        config.pricesFile = p.value(QStringLiteral("prices"));
    config.adminPubkeys += p.values(QStringLiteral("admin-pubkey"));
    config.trustDatabase = p.isSet(QStringLiteral("trust-database"));
    if (p.isSet(QStringLiteral("journal")))
        config.journal = p.value(QStringLiteral("journal"));
    if (p.isSet(QStringLiteral("safety-profiles")))
        config.safetyProfiles = p.value(QStringLiteral("safety-profiles"));
    if (p.isSet(QStringLiteral("log-content")))
        config.logContent = true;
    if (p.isSet(QStringLiteral("jwt-jwks")))
        config.jwt.jwksFile = p.value(QStringLiteral("jwt-jwks"));
    if (p.isSet(QStringLiteral("jwt-keys")))
        config.jwt.keysFile = p.value(QStringLiteral("jwt-keys"));
    if (p.isSet(QStringLiteral("jwt-hs256-secret-env"))) {
        config.jwt.hs256SecretEnv = p.value(QStringLiteral("jwt-hs256-secret-env"));
        config.jwt.hs256Secret = qgetenv(config.jwt.hs256SecretEnv.toLocal8Bit().constData());
    }
    if (p.isSet(QStringLiteral("jwt-issuer")))
        config.jwt.issuer = p.value(QStringLiteral("jwt-issuer"));
    if (p.isSet(QStringLiteral("jwt-audience")))
        config.jwt.audience = p.value(QStringLiteral("jwt-audience"));
    if ((p.isSet(QStringLiteral("jwt-issuer")) || p.isSet(QStringLiteral("jwt-audience"))) && !config.jwt.enabled())
        return die(
            QStringLiteral("--jwt-issuer and --jwt-audience need --jwt-jwks, --jwt-keys or --jwt-hs256-secret-env"));
    if (p.isSet(QStringLiteral("tls-cert")))
        config.tls.certFile = p.value(QStringLiteral("tls-cert"));
    if (p.isSet(QStringLiteral("tls-key")))
        config.tls.keyFile = p.value(QStringLiteral("tls-key"));
    if (auto s = l0::finishTlsConfig(&config, QProcessEnvironment::systemEnvironment()); !s)
        return die(s.error().message);
    if (config.upstream != QLatin1String("sim") && config.upstream != QLatin1String("openai")
        && config.upstream != QLatin1String("auto"))
        return die(QStringLiteral("--upstream must be sim, openai or auto"));

    if (p.isSet(QStringLiteral("migrate"))) {
        auto store = l0::openStore(config.db);
        if (!store)
            return die(store.error().message);
        if (auto s = (*store)->migrate(); !s)
            return die(s.error().message);
    }

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFd) != 0)
        return die(QStringLiteral("socketpair failed"));
    struct sigaction sa { };
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGHUP, &sa, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    l0::Node node(config);
    QSocketNotifier notifier(g_signalFd[1], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &app, [&app, &node] {
        char c = 'T';
        [[maybe_unused]] auto n = ::read(g_signalFd[1], &c, 1);
        if (c != 'H') {
            app.quit();
            return;
        }
        if (auto s = node.reloadTls(); s)
            std::fprintf(stdout, "l0-node: TLS certificate and key reloaded\n");
        else
            std::fprintf(stderr, "l0-node: SIGHUP: %s\n", qPrintable(s.error().message));
        std::fflush(stdout);
    });

    if (auto s = node.start(); !s)
        return die(s.error().message);
    std::fprintf(stdout, "l0-node listening on %s://%s:%u (%s)\n", qPrintable(node.scheme()),
        qPrintable(config.listenHost), node.port(), qPrintable(node.upstreamDescription()));
    std::fflush(stdout);
    app.exec();
    std::fprintf(stdout, "l0-node: draining and stopping\n");
    std::fflush(stdout);
    node.stop();
    return 0;
}
