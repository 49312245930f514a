#include <QTest>
#include <QTimer>

#include "http/httpserver.h"
#include "httptestclient.h"

using namespace l0::http;

namespace {

// Echoes requests; /stream answers in chunks, /slow after a delay.
class EchoHandler final : public IRequestHandler {
public:
    void handleRequest(const HttpRequest &request, const ResponderPtr &responder) override
    {
        if (request.path == "/stream") {
            responder->beginStream(200, { { "Content-Type", "text/plain" } });
            responder->write("one,");
            responder->write("two,");
            responder->write("three");
            responder->endStream();
            return;
        }
        if (request.path == "/slow") {
            auto *timer = new QTimer;
            timer->setSingleShot(true);
            QObject::connect(timer, &QTimer::timeout, timer, [responder, timer] {
                responder->send(200, {}, "slow done");
                timer->deleteLater();
            });
            timer->start(150);
            return;
        }
        QByteArray body = request.method + ' ' + request.path;
        if (!request.query.isEmpty())
            body += '?' + request.query;
        body += '|' + request.header("x-test") + '|' + request.body;
        responder->send(200, { { "Content-Type", "text/plain" } }, body);
    }
};

} // namespace

class TestHttpServer : public QObject {
    Q_OBJECT
    EchoHandler m_handler;
    std::unique_ptr<HttpServer> m_server;
    quint16 m_port = 0;

    void startServer(HttpLimits limits = {})
    {
        m_server = std::make_unique<HttpServer>(&m_handler, limits, 2);
        QString error;
        QVERIFY2(m_server->start(QHostAddress::LocalHost, 0, &error), qPrintable(error));
        m_port = m_server->serverPort();
    }

private slots:
    void init()
    {
        HttpLimits limits;
        limits.maxBodyBytes = 1024;
        limits.maxHeaderBytes = 2048;
        limits.readTimeoutMs = 400;
        limits.idleTimeoutMs = 400;
        startServer(limits);
    }
    void cleanup() { m_server.reset(); }

    void keepAliveServesSeveralRequests()
    {
        RawHttpClient c(m_port);
        QVERIFY(c.waitConnected());
        for (int i = 0; i < 3; ++i) {
            c.send("GET /a?x=" + QByteArray::number(i) + " HTTP/1.1\r\nHost: t\r\nX-Test: v\r\n\r\n");
            const RawResponse r = c.read();
            QVERIFY(r.complete);
            QCOMPARE(r.status, 200);
            QCOMPARE(r.body, "GET /a?x=" + QByteArray::number(i) + "|v|");
            QVERIFY(!r.headers.contains("connection"));
            QVERIFY(r.headers.contains("date"));
        }
    }
    void pipelinedRequestsAnswerInOrder()
    {
        RawHttpClient c(m_port);
        QVERIFY(c.waitConnected());
        c.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\nPOST /b HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabcGET /c "
               "HTTP/1.1\r\nHost: t\r\n\r\n");
        QCOMPARE(c.read().body, QByteArray("slow done"));
        QCOMPARE(c.read().body, QByteArray("POST /b||abc"));
        QCOMPARE(c.read().body, QByteArray("GET /c||"));
    }
    void chunkedRequestBody()
    {
        RawHttpClient c(m_port);
        QVERIFY(c.waitConnected());
        c.send("POST /e HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
        QCOMPARE(c.read().body, QByteArray("POST /e||abcde"));
    }
    void chunkedResponse()
    {
        RawHttpClient c(m_port);
        QVERIFY(c.waitConnected());
        c.send("GET /stream HTTP/1.1\r\nHost: t\r\n\r\n");
        const RawResponse r = c.read();
        QCOMPARE(r.headers.value("transfer-encoding"), QByteArray("chunked"));
        QCOMPARE(r.body, QByteArray("one,two,three"));
        c.send("GET /after HTTP/1.1\r\nHost: t\r\n\r\n"); // the connection is still usable
        QCOMPARE(c.read().status, 200);
    }
    void bodyOverLimitIs413()
    {
        RawHttpClient c(m_port);
        QVERIFY(c.waitConnected());
        c.send("POST /e HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n" + QByteArray(5000, 'x'));
        const RawResponse r = c.read();
        QCOMPARE(r.status, 413);
        QCOMPARE(r.headers.value("connection"), QByteArray("close"));
        QVERIFY(r.body.contains("\"error\""));
        QVERIFY(c.waitClosed());
    }
    void chunkedBodyOverLimitIs413()
    {
        RawHttpClient c(m_port);
        QVERIFY(c.waitConnected());
        const QByteArray chunk = QByteArray::number(600, 16) + "\r\n" + QByteArray(600, 'y') + "\r\n";
        c.send("POST /e HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk);
        QCOMPARE(c.read().status, 413);
    }
    void headersOverLimitIs431()
    {
        RawHttpClient c(m_port);
        QVERIFY(c.waitConnected());
        c.send("GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + QByteArray(4000, 'h') + "\r\n\r\n");
        QCOMPARE(c.read().status, 431);
    }
    void malformedIs400()
    {
        RawHttpClient c(m_port);
        QVERIFY(c.waitConnected());
        c.send("THIS IS NOT HTTP\r\n\r\n");
        const RawResponse r = c.read();
        QCOMPARE(r.status, 400);
        QVERIFY(c.waitClosed());
    }
    void incompleteRequestTimesOut()
    {
        RawHttpClient c(m_port);
        QVERIFY(c.waitConnected());
        c.send("POST /e HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc");
        const RawResponse r = c.read(5000);
        QCOMPARE(r.status, 408);
    }
    void idleConnectionIsClosed()
    {
        RawHttpClient c(m_port);
        QVERIFY(c.waitConnected());
        QVERIFY(c.waitClosed(5000));
    }
    void connectionCloseIsHonoured()
    {
        RawHttpClient c(m_port);
        QVERIFY(c.waitConnected());
        c.send("GET /x HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        const RawResponse r = c.read();
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers.value("connection"), QByteArray("close"));
        QVERIFY(c.waitClosed());
    }
    void http10ClosesByDefault()
    {
        RawHttpClient c(m_port);
        QVERIFY(c.waitConnected());
        c.send("GET /x HTTP/1.0\r\n\r\n");
        QCOMPARE(c.read().status, 200);
        QVERIFY(c.waitClosed());
    }
    void manyConnections()
    {
        std::vector<std::unique_ptr<RawHttpClient>> clients;
        for (int i = 0; i < 40; ++i)
            clients.push_back(std::make_unique<RawHttpClient>(m_port));
        for (auto &c : clients)
            QVERIFY(c->waitConnected());
        for (size_t i = 0; i < clients.size(); ++i)
            clients[i]->send("GET /n" + QByteArray::number(qulonglong(i)) + " HTTP/1.1\r\nHost: t\r\n\r\n");
        for (size_t i = 0; i < clients.size(); ++i)
            QCOMPARE(clients[i]->read().body, "GET /n" + QByteArray::number(qulonglong(i)) + "||");
    }
    void drainWaitsForInFlight()
    {
        RawHttpClient c(m_port);
        QVERIFY(c.waitConnected());
        c.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
        QVERIFY(QTest::qWaitFor([&] { return m_server->inFlight() == 1; }, 2000));
        m_server->drainAndStop(3000);
        QCOMPARE(m_server->inFlight(), 0);
        QCOMPARE(c.read().body, QByteArray("slow done"));
    }
};

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_httpserver.moc"
