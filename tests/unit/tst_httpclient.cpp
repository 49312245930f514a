#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <functional>
#include <memory>
#include <optional>

#include "http/httpclient.h"

using namespace l0::http;

namespace {

// A loopback server that reads whole requests (head plus Content-Length body) and lets each
// test decide what goes back, byte by byte. Counts the connections it accepted.
class ScriptedServer : public QObject {
public:
    struct Request {
        QByteArray head;
        QByteArray body;
        int connection = 0; // which accepted connection it came on, from 1
        int onConnection = 0; // its number on that connection, from 1
    };
    std::function<void(QTcpSocket *, const Request &)> respond;
    int accepts = 0;
    QList<Request> seen;

    ScriptedServer()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                const int id = ++accepts;
                auto buffer = std::make_shared<QByteArray>();
                auto count = std::make_shared<int>(0);
                QObject::connect(s, &QTcpSocket::readyRead, s, [this, s, id, buffer, count] {
                    *buffer += s->readAll();
                    for (;;) {
                        const qsizetype end = buffer->indexOf("\r\n\r\n");
                        if (end < 0)
                            return;
                        const QByteArray head = buffer->left(end);
                        qsizetype length = 0;
                        for (const QByteArray &line : head.split('\n')) {
                            if (line.toLower().startsWith("content-length:"))
                                length = line.mid(15).trimmed().toLongLong();
                        }
                        if (buffer->size() < end + 4 + length)
                            return;
                        Request r { head, buffer->mid(end + 4, length), id, ++*count };
                        buffer->remove(0, end + 4 + length);
                        seen.append(r);
                        if (respond)
                            respond(s, r);
                        if (s->state() != QAbstractSocket::ConnectedState)
                            return;
                    }
                });
                QObject::connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }
    QUrl url(const QString &path = QStringLiteral("/v1/chat")) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path));
    }

private:
    QTcpServer m_server;
};

QByteArray okResponse(const QByteArray &body)
{
    return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\n\r\n" + body;
}

struct Outcome {
    std::optional<ClientResponseHead> head;
    QByteArray body;
    int pieces = 0;
    bool finished = false;
    std::optional<ClientError> error;
    bool done() const { return finished || error; }
};

std::shared_ptr<Outcome> start(HttpClient &client, ClientRequest request, std::shared_ptr<ClientCall> *handle = nullptr)
{
    auto out = std::make_shared<Outcome>();
    ClientHandler h;
    h.onHead = [out](const ClientResponseHead &head) { out->head = head; };
    h.onData = [out](const QByteArray &data) {
        out->body += data;
        ++out->pieces;
    };
    h.onFinished = [out] { out->finished = true; };
    h.onError = [out](const ClientError &e) { out->error = e; };
    auto call = client.send(std::move(request), h);
    if (handle)
        *handle = call;
    return out;
}

Outcome run(HttpClient &client, ClientRequest request)
{
    auto out = start(client, std::move(request));
    (void)QTest::qWaitFor([&] { return out->done(); }, 10000);
    return *out;
}

ClientRequest post(const QUrl &url, const QByteArray &body = QByteArrayLiteral("{\"q\":1}"))
{
    ClientRequest r;
    r.url = url;
    r.headers = { { "Content-Type", "application/json" } };
    r.body = body;
    return r;
}

} // namespace

class TestHttpClient : public QObject {
    Q_OBJECT
private slots:
    void keepAliveReusesOneConnection()
    {
        ScriptedServer server;
        server.respond
            = [](QTcpSocket *s, const ScriptedServer::Request &r) { s->write(okResponse("echo " + r.body)); };
        HttpClient client;
        for (int i = 0; i < 10; ++i) {
            const Outcome o = run(client, post(server.url(), QByteArray::number(i)));
            QVERIFY(o.finished);
            QCOMPARE(o.head->status, 200);
            QCOMPARE(o.body, "echo " + QByteArray::number(i));
        }
        QCOMPARE(server.accepts, 1);
        QCOMPARE(client.connectionsOpened(), 1);
        QCOMPARE(client.idleConnections(), 1);
        // What went out: one request line, Host, the body's length, the caller's headers.
        const QByteArray head = server.seen.first().head;
        QVERIFY(head.startsWith("POST /v1/chat HTTP/1.1\r\n"));
        QVERIFY(head.contains("\r\nHost: 127.0.0.1:"));
        QVERIFY(head.contains("\r\nContent-Length: 1"));
        QVERIFY(head.contains("\r\nContent-Type: application/json"));
        QCOMPARE(server.seen.last().onConnection, 10);
    }

    void concurrentCallsOpenTheirOwnConnections()
    {
        ScriptedServer server;
        server.respond = [](QTcpSocket *s, const ScriptedServer::Request &r) { s->write(okResponse(r.body)); };
        HttpClient client;
        QList<std::shared_ptr<Outcome>> outs;
        for (int i = 0; i < 4; ++i)
            outs.append(start(client, post(server.url(), QByteArray::number(i))));
        QVERIFY(QTest::qWaitFor([&] {
            for (const auto &o : outs)
                if (!o->done())
                    return false;
            return true;
        }));
        for (int i = 0; i < 4; ++i) {
            QVERIFY(outs[i]->finished);
            QCOMPARE(outs[i]->body, QByteArray::number(i));
        }
        QCOMPARE(server.accepts, 4);
        QCOMPARE(client.idleConnections(), 4);
        // Afterwards they are all reused.
        QVERIFY(run(client, post(server.url())).finished);
        QCOMPARE(server.accepts, 4);
    }

    void chunkedBody()
    {
        ScriptedServer server;
        server.respond = [](QTcpSocket *s, const ScriptedServer::Request &) {
            s->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Test: yes\r\n\r\n"
                     "5\r\nhello\r\n1;ext=1\r\n \r\n6\r\nworld!\r\n0\r\nTrailer: x\r\n\r\n");
        };
        HttpClient client;
        for (int i = 0; i < 2; ++i) {
            const Outcome o = run(client, post(server.url()));
            QVERIFY(o.finished);
            QCOMPARE(o.body, QByteArray("hello world!"));
            QCOMPARE(o.head->header("x-test"), QByteArray("yes"));
        }
        QCOMPARE(server.accepts, 1); // a chunked answer leaves the connection reusable
    }

    void bodyUntilClose()
    {
        ScriptedServer server;
        server.respond = [](QTcpSocket *s, const ScriptedServer::Request &) {
            s->write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nall of it");
            s->disconnectFromHost();
        };
        HttpClient client;
        const Outcome o = run(client, post(server.url()));
        QVERIFY(o.finished);
        QCOMPARE(o.body, QByteArray("all of it"));
        QCOMPARE(client.idleConnections(), 0);
        QVERIFY(run(client, post(server.url())).finished);
        QCOMPARE(server.accepts, 2);
    }

    void streamArrivesInPieces()
    {
        ScriptedServer server;
        QPointer<QTcpSocket> socket;
        server.respond = [&socket](QTcpSocket *s, const ScriptedServer::Request &) {
            socket = s;
            s->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "d\r\ndata: first\n\n\r\n");
            s->flush();
        };
        HttpClient client;
        auto out = start(client, post(server.url()));
        // The first event is delivered while the server still holds the rest back.
        QVERIFY(QTest::qWaitFor([&] { return out->pieces == 1; }));
        QCOMPARE(out->body, QByteArray("data: first\n\n"));
        QVERIFY(out->head);
        QCOMPARE(out->head->status, 200);
        QVERIFY(!out->done());
        QVERIFY(socket);
        socket->write("e\r\ndata: second\n\n\r\n");
        socket->flush();
        QVERIFY(QTest::qWaitFor([&] { return out->pieces == 2; }));
        QVERIFY(!out->done());
        socket->write("0\r\n\r\n");
        QVERIFY(QTest::qWaitFor([&] { return out->done(); }));
        QVERIFY(out->finished);
        QCOMPARE(out->body, QByteArray("data: first\n\ndata: second\n\n"));
    }

    void idleConnectionClosedByServer()
    {
        ScriptedServer server;
        server.respond = [](QTcpSocket *s, const ScriptedServer::Request &) {
            s->write(okResponse("one"));
            s->flush();
            s->disconnectFromHost(); // keep-alive as far as the headers go, then gone
        };
        HttpClient client;
        QVERIFY(run(client, post(server.url())).finished);
        QVERIFY(QTest::qWaitFor([&] { return client.idleConnections() == 0; }));
        const Outcome o = run(client, post(server.url()));
        QVERIFY(o.finished);
        QCOMPARE(o.body, QByteArray("one"));
        QCOMPARE(server.accepts, 2);
    }

    void staleKeptAliveConnectionIsRetriedOnce()
    {
        // The server reads the second request on a kept-alive connection and closes it without a
        // byte in reply, as a server timing out an idle connection does: sent again, once.
        ScriptedServer server;
        server.respond = [](QTcpSocket *s, const ScriptedServer::Request &r) {
            if (r.onConnection >= 2) {
                s->abort();
                return;
            }
            s->write(okResponse("fresh"));
        };
        HttpClient client;
        QVERIFY(run(client, post(server.url())).finished);
        const Outcome o = run(client, post(server.url()));
        QVERIFY(o.finished);
        QCOMPARE(o.body, QByteArray("fresh"));
        QCOMPARE(server.accepts, 2);
        QCOMPARE(server.seen.size(), 3);
    }

    void closeWithoutAnswerOnNewConnectionIsAnError()
    {
        ScriptedServer server;
        server.respond = [](QTcpSocket *s, const ScriptedServer::Request &) { s->abort(); };
        HttpClient client;
        const Outcome o = run(client, post(server.url()));
        QVERIFY(o.error);
        QCOMPARE(o.error->kind, ClientError::Kind::ConnectionLost);
        QVERIFY(!o.error->responseStarted);
        QCOMPARE(server.accepts, 1); // a request on a fresh connection is never sent twice
        QCOMPARE(server.seen.size(), 1);
    }

    void cutMidBody()
    {
        ScriptedServer server;
        server.respond = [](QTcpSocket *s, const ScriptedServer::Request &) {
            s->write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly some");
            s->flush();
            s->disconnectFromHost();
        };
        HttpClient client;
        const Outcome o = run(client, post(server.url()));
        QVERIFY(o.error);
        QCOMPARE(o.error->kind, ClientError::Kind::ConnectionLost);
        QVERIFY(o.error->responseStarted);
        QCOMPARE(server.seen.size(), 1);
    }

    void connectRefused()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        HttpClient client;
        const Outcome o = run(client, post(QUrl(QStringLiteral("http://127.0.0.1:%1/x").arg(port))));
        QVERIFY(o.error);
        QCOMPARE(o.error->kind, ClientError::Kind::ConnectRefused);
        QVERIFY(o.error->message.contains(QStringLiteral("refused")));
    }

    void firstByteTimeout()
    {
        ScriptedServer server; // reads, never answers
        HttpClient client;
        ClientRequest r = post(server.url());
        r.firstByteTimeoutMs = 200;
        const Outcome o = run(client, r);
        QVERIFY(o.error);
        QCOMPARE(o.error->kind, ClientError::Kind::FirstByteTimeout);
        QVERIFY(o.error->isTimeout());
        QVERIFY(!o.error->responseStarted);
    }

    void idleTimeoutMidStream()
    {
        ScriptedServer server;
        server.respond = [](QTcpSocket *s, const ScriptedServer::Request &) {
            s->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
        };
        HttpClient client;
        ClientRequest r = post(server.url());
        r.idleTimeoutMs = 200;
        const Outcome o = run(client, r);
        QVERIFY(o.error);
        QCOMPARE(o.error->kind, ClientError::Kind::IdleTimeout);
        QVERIFY(o.error->responseStarted);
        QCOMPARE(o.body, QByteArray("abc"));
    }

    void malformedResponse()
    {
        ScriptedServer server;
        server.respond = [](QTcpSocket *s, const ScriptedServer::Request &) { s->write("SMTP ready\r\n\r\n"); };
        HttpClient client;
        const Outcome o = run(client, post(server.url()));
        QVERIFY(o.error);
        QCOMPARE(o.error->kind, ClientError::Kind::MalformedResponse);
        QVERIFY(o.error->message.contains(QStringLiteral("malformed response")));
        QVERIFY(!o.head);
    }

    void oversizedResponseRefused()
    {
        ScriptedServer server;
        server.respond = [](QTcpSocket *s, const ScriptedServer::Request &r) {
            if (r.body == "announced")
                s->write("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n");
            else
                s->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n" + QByteArray(1024, 'x')
                    + "\r\n400\r\n" + QByteArray(1024, 'y') + "\r\n0\r\n\r\n");
        };
        HttpClient::Options opts;
        opts.maxResponseBytes = 1500;
        HttpClient client(opts);
        const Outcome announced = run(client, post(server.url(), "announced"));
        QVERIFY(announced.error);
        QCOMPARE(announced.error->kind, ClientError::Kind::ResponseTooLarge);
        QVERIFY(announced.error->message.contains(QStringLiteral("1500")));
        const Outcome chunked = run(client, post(server.url(), "chunked"));
        QVERIFY(chunked.error);
        QCOMPARE(chunked.error->kind, ClientError::Kind::ResponseTooLarge);
        QVERIFY(chunked.body.size() <= 1500);
    }

    void errorStatusIsAnAnswer()
    {
        ScriptedServer server;
        server.respond = [](QTcpSocket *s, const ScriptedServer::Request &) {
            s->write("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 2\r\nContent-Length: 9\r\n\r\nslow down");
        };
        HttpClient client;
        const Outcome o = run(client, post(server.url()));
        QVERIFY(o.finished);
        QCOMPARE(o.head->status, 429);
        QCOMPARE(o.head->header("retry-after"), QByteArray("2"));
        QCOMPARE(o.body, QByteArray("slow down"));
    }

    void cancelStopsCallbacks()
    {
        ScriptedServer server;
        QPointer<QTcpSocket> socket;
        server.respond = [&socket](QTcpSocket *s, const ScriptedServer::Request &) {
            socket = s;
            s->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
        };
        HttpClient client;
        std::shared_ptr<ClientCall> call;
        auto out = start(client, post(server.url()), &call);
        QVERIFY(QTest::qWaitFor([&] { return out->pieces == 1; }));
        call->cancel();
        if (socket)
            socket->write("3\r\ndef\r\n0\r\n\r\n");
        QTest::qWait(100);
        QVERIFY(!out->done());
        QCOMPARE(out->body, QByteArray("abc"));
        QCOMPARE(client.idleConnections(), 0); // half-read: never reused
    }

    void badUrlIsReportedAsynchronously()
    {
        HttpClient client;
        bool inside = true;
        std::optional<ClientError> error;
        ClientHandler h;
        h.onError = [&](const ClientError &e) {
            QVERIFY(!inside);
            error = e;
        };
        ClientRequest r;
        r.url = QUrl(QStringLiteral("https://example.invalid/x"));
        client.send(r, h);
        inside = false;
        QVERIFY(QTest::qWaitFor([&] { return error.has_value(); }));
        QCOMPARE(error->kind, ClientError::Kind::BadRequest);

        ClientRequest injected;
        injected.url = QUrl(QStringLiteral("http://127.0.0.1:1/x"));
        injected.headers = { { "X-Bad", "a\r\nHost: elsewhere" } };
        error.reset();
        client.send(injected, h);
        QVERIFY(QTest::qWaitFor([&] { return error.has_value(); }));
        QCOMPARE(error->kind, ClientError::Kind::BadRequest);
    }
};

QTEST_GUILESS_MAIN(TestHttpClient)
#include "tst_httpclient.moc"
