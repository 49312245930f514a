#include <QTemporaryDir>
#include <QTest>

#include "config/nodeconfig.h"

using namespace l0;

class TestNodeConfig : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QString write(const QByteArray &json)
    {
        const QString path = m_dir.filePath(QStringLiteral("c%1.json").arg(++m_n));
        QFile f(path);
        f.open(QIODevice::WriteOnly);
        f.write(json);
        return path;
    }
    int m_n = 0;

private slots:
    void defaults()
    {
        auto c = loadNodeConfig({}, QProcessEnvironment());
        QVERIFY(c.ok());
        QCOMPARE(c->port, quint16(8080));
        QCOMPARE(c->limits.maxBodyBytes, 32LL * 1024 * 1024);
        QCOMPARE(c->effectiveUpstream(), QStringLiteral("sim"));
    }
    void fileThenEnvironment()
    {
        const QString path = write(R"({"db":"sqlite:/tmp/x.sqlite","listen":"0.0.0.0:9000","threads":3,
            "limits":{"max_body_bytes":2048},"upstream":{"kind":"sim","sim_latency_ms":5,"models":["m-one","m-two"]}})");
        QProcessEnvironment env;
        env.insert(QStringLiteral("L0_LISTEN"), QStringLiteral("127.0.0.1:9100"));
        env.insert(QStringLiteral("OPENAI_API_KEY"), QStringLiteral("sk-test"));
        auto c = loadNodeConfig(path, env);
        QVERIFY2(c.ok(), qPrintable(c.ok() ? QString() : c.error().message));
        QCOMPARE(c->db, QStringLiteral("sqlite:/tmp/x.sqlite"));
        QCOMPARE(c->port, quint16(9100));
        QCOMPARE(c->threads, 3);
        QCOMPARE(c->limits.maxBodyBytes, 2048);
        QCOMPARE(c->simLatencyMs, 5);
        QCOMPARE(c->upstreamModels, QStringList({ QStringLiteral("m-one"), QStringLiteral("m-two") }));
        QCOMPARE(c->upstreamApiKey, QByteArray("sk-test"));
        QCOMPARE(c->effectiveUpstream(), QStringLiteral("sim")); // explicit kind wins over auto
    }
    void autoUpstreamFollowsKey()
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("OPENAI_API_KEY"), QStringLiteral("sk-test"));
        env.insert(QStringLiteral("OPENAI_BASE_URL"), QStringLiteral("http://127.0.0.1:1/v1"));
        auto c = loadNodeConfig({}, env);
        QCOMPARE(c->effectiveUpstream(), QStringLiteral("openai"));
        QCOMPARE(c->upstreamBaseUrl, QStringLiteral("http://127.0.0.1:1/v1"));
    }
    void errors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("not json") << QByteArray("{nope") << QStringLiteral("not a JSON object");
        QTest::newRow("unknown key") << QByteArray(R"({"listn":"x"})") << QStringLiteral("listn");
        QTest::newRow("unknown nested") << QByteArray(R"({"limits":{"max_bodybytes":1}})")
                                        << QStringLiteral("limits.max_bodybytes");
        QTest::newRow("bad type") << QByteArray(R"({"threads":"two"})") << QStringLiteral("threads");
        QTest::newRow("bad listen") << QByteArray(R"({"listen":"nowhere"})") << QStringLiteral("HOST:PORT");
        QTest::newRow("bad upstream") << QByteArray(R"({"upstream":{"kind":"magic"}})") << QStringLiteral("magic");
        QTest::newRow("catalogue key") << QByteArray(R"({"models":{"house":{"context_window":4096,"vision":true}}})")
                                       << QStringLiteral("house: unknown key 'vision'");
        QTest::newRow("catalogue type") << QByteArray(R"({"models":{"house":{"tools":"yes"}}})")
                                        << QStringLiteral("'tools' must be true or false");
        QTest::newRow("catalogue window")
            << QByteArray(R"({"models":{"house":{"context_window":-1}}})") << QStringLiteral("positive whole number");
        QTest::newRow("limit nodes") << QByteArray(R"({"tenant_limits":{"nodes":0}})")
                                     << QStringLiteral("'nodes' must be an integer");
        QTest::newRow("budget zone") << QByteArray(R"({"tenant_limits":{"budget_time_zone":"Mars/Olympus"}})")
                                     << QStringLiteral("Mars/Olympus");
        QTest::newRow("bad models") << QByteArray(R"({"upstream":{"models":"gpt-4o"}})")
                                    << QStringLiteral("upstream.models");
        QTest::newRow("empty model") << QByteArray(R"({"upstream":{"models":["gpt-4o",""]}})")
                                     << QStringLiteral("upstream.models");
        QTest::newRow("tls type") << QByteArray(R"({"tls":"on"})") << QStringLiteral("'tls' must be an object");
        QTest::newRow("tls key name") << QByteArray(R"({"tls":{"cert":"/a.pem"}})") << QStringLiteral("tls.cert");
        QTest::newRow("tls half") << QByteArray(R"({"tls":{"cert_file":"/a.pem"}})")
                                  << QStringLiteral("TLS needs both");
        QTest::newRow("tls passphrase unset")
            << QByteArray(R"({"tls":{"cert_file":"/a.pem","key_file":"/a.key","key_passphrase_env":"L0_NO_SUCH"}})")
            << QStringLiteral("names L0_NO_SUCH, which is not set");
    }
    void tlsFilesAndEnvironment()
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("L0_TLS_KEY_FILE"), QStringLiteral("/env.key"));
        env.insert(QStringLiteral("TLS_PASS"), QStringLiteral("s3cret"));
        auto c = loadNodeConfig(
            write(R"({"tls":{"cert_file":"/c.pem","key_file":"/c.key","key_passphrase_env":"TLS_PASS"}})"), env);
        QVERIFY2(c.ok(), c.ok() ? "" : qPrintable(c.error().message));
        QVERIFY(c->tlsEnabled());
        QCOMPARE(c->tls.certFile, QStringLiteral("/c.pem"));
        QCOMPARE(c->tls.keyFile, QStringLiteral("/env.key")); // the environment wins over the file
        QCOMPARE(c->tls.keyPassphrase, QByteArray("s3cret"));
        QVERIFY(!loadNodeConfig({}, QProcessEnvironment())->tlsEnabled());
    }
    void errors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, mentions);
        auto c = loadNodeConfig(write(json), QProcessEnvironment());
        QVERIFY(!c.ok());
        QVERIFY2(c.error().message.contains(mentions), qPrintable(c.error().message));
    }
    void semanticAndEmbedders()
    {
        auto off = loadNodeConfig({}, QProcessEnvironment());
        QVERIFY(!off->semantic.enabled);
        QCOMPARE(off->semantic.embedder, QStringLiteral("builtin"));
        QCOMPARE(off->semantic.tiers, QStringList { QStringLiteral("exact") });
        QProcessEnvironment env;
        env.insert(QStringLiteral("EMB_KEY"), QStringLiteral("sk-emb"));
        auto c = loadNodeConfig(write("{\"semantic\": {\"enabled\": true, \"embedder\": \"remote:local\", "
                                      "\"index_threads\": 2}, \"embedders\": {\"local\": {\"base_url\": "
                                      "\"http://127.0.0.1:11434/v1/\", \"model\": \"nomic-embed-text\", "
                                      "\"api_key_env\": \"EMB_KEY\", \"dimensions\": 768, \"batch_size\": 32, "
                                      "\"max_in_flight\": 2, \"timeout_ms\": 5000, \"cache_entries\": 100}}}"),
            env);
        QVERIFY2(c.ok(), qPrintable(c.ok() ? QString() : c.error().message));
        QVERIFY(c->semantic.enabled);
        QCOMPARE(c->semantic.embedder, QStringLiteral("remote:local"));
        QCOMPARE(c->semantic.indexThreads, 2);
        QCOMPARE(int(c->embedders.size()), 1);
        const EmbedderConfig &e = c->embedders.front();
        QCOMPARE(e.name, QStringLiteral("local"));
        QCOMPARE(e.baseUrl, QStringLiteral("http://127.0.0.1:11434/v1"));
        QCOMPARE(e.model, QStringLiteral("nomic-embed-text"));
        QCOMPARE(e.apiKey, QByteArray("sk-emb")); // from the environment, never the file
        QCOMPARE(e.dimensions, 768);
        QCOMPARE(e.batchSize, 32);
        QCOMPARE(e.maxInFlight, 2);
        QCOMPARE(e.timeoutMs, 5000);
        QCOMPARE(e.cacheEntries, 100);
        for (const char *bad : { "{\"semantic\": {\"enabld\": true}}", "{\"semantic\": {\"enabled\": 1}}",
                 "{\"embedders\": {\"x\": {\"model\": \"m\"}}}",
                 "{\"embedders\": {\"x\": {\"base_url\": \"http://h/v1\"}}}",
                 "{\"embedders\": {\"x\": {\"base_url\": \"http://h/v1\", \"model\": \"m\", \"api_key\": \"k\"}}}",
                 "{\"embedders\": {\"x\": {\"base_url\": \"http://h/v1\", \"model\": \"m\", \"batch_size\": 0}}}" })
            QVERIFY2(!loadNodeConfig(write(bad), QProcessEnvironment()).ok(), bad);
    }
    void missingFile() { QVERIFY(!loadNodeConfig(QStringLiteral("/nonexistent/l0.json"), QProcessEnvironment()).ok()); }
    void listenForms()
    {
        QString h;
        quint16 p = 0;
        QVERIFY(parseListen(QStringLiteral("[::1]:81"), &h, &p).ok());
        QCOMPARE(h, QStringLiteral("::1"));
        QCOMPARE(p, quint16(81));
        QVERIFY(parseListen(QStringLiteral(":82"), &h, &p).ok());
        QCOMPARE(h, QStringLiteral("0.0.0.0"));
        QVERIFY(!parseListen(QStringLiteral("host:99999"), &h, &p).ok());
    }
};

QTEST_APPLESS_MAIN(TestNodeConfig)
#include "tst_nodeconfig.moc"
