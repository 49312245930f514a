#pragma once

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QtEndian>

#include <atomic>

// A TCP relay between a client and PostgreSQL that can lose the acknowledgement of a commit:
// armed, it forwards everything until the server's CommandComplete for the COMMIT of a
// transaction whose statements mention a given text (a table, say), and then closes both
// sides instead of passing that message on. The transaction is committed on the
// server while the client sees only a dropped connection: the case a retried write must not
// count twice. Connect with sslmode=disable and gssencmode=disable (the relay reads the
// server's messages, which encryption would hide).
// It runs on a thread of its own, so that a test may block on the connection it relays.
class PgAckDropper : public QObject {
public:
    PgAckDropper() { m_thread.start(); }
    ~PgAckDropper() override
    {
        QMetaObject::invokeMethod(
            &m_listener, [this] { m_listener.close(); }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    bool listen(quint16 serverPort)
    {
        m_serverPort = serverPort;
        moveToThread(&m_thread);
        m_listener.moveToThread(&m_thread);
        bool ok = false;
        QMetaObject::invokeMethod(
            &m_listener,
            [this, &ok] {
                connect(&m_listener, &QTcpServer::newConnection, this, [this] {
                    while (QTcpSocket *client = m_listener.nextPendingConnection())
                        relay(client);
                });
                ok = m_listener.listen(QHostAddress::LocalHost, 0);
                m_port = m_listener.serverPort();
            },
            Qt::BlockingQueuedConnection);
        return ok;
    }
    quint16 port() const { return m_port; }
    // The acknowledgement of the next commit of a transaction that mentions needle is lost.
    void arm(const QByteArray &needle)
    {
        QMetaObject::invokeMethod(
            &m_listener, [this, needle] { m_needle = needle; }, Qt::BlockingQueuedConnection);
        m_armed = true;
    }
    int dropped() const { return m_dropped; }

private:
    void relay(QTcpSocket *client)
    {
        auto *server = new QTcpSocket(client);
        auto *pending = new QByteArray; // server bytes not yet forwarded: an incomplete message
        auto *said = new QByteArray; // what the client sent since the last commit
        connect(client, &QObject::destroyed, this, [pending, said] {
            delete pending;
            delete said;
        });
        // The client may speak before the server connection is up: its bytes wait in its socket.
        const auto forward = [client, server, said] {
            if (server->state() != QAbstractSocket::ConnectedState)
                return;
            const QByteArray bytes = client->readAll();
            said->append(bytes);
            server->write(bytes);
        };
        connect(client, &QTcpSocket::readyRead, server, forward);
        connect(server, &QTcpSocket::connected, client, forward);
        connect(server, &QTcpSocket::readyRead, client, [this, client, server, pending, said] {
            pending->append(server->readAll());
            // Server messages: a type byte, then a big-endian length that counts itself.
            qsizetype at = 0;
            while (pending->size() - at >= 5) {
                const qint32 length = qFromBigEndian<qint32>(pending->constData() + at + 1);
                if (pending->size() - at < 1 + length)
                    break;
                const char type = pending->at(at);
                const bool commit = type == 'C' && pending->mid(at + 5, 6) == "COMMIT";
                if (commit && m_armed && said->contains(m_needle)) {
                    m_armed = false;
                    ++m_dropped;
                    client->write(pending->constData(), at); // what came before the acknowledgement
                    client->flush();
                    server->abort();
                    client->abort();
                    client->deleteLater();
                    return;
                }
                if (commit)
                    said->clear();
                at += 1 + length;
            }
            client->write(pending->constData(), at);
            pending->remove(0, at);
        });
        connect(client, &QTcpSocket::disconnected, client, [client, server] {
            server->disconnectFromHost();
            client->deleteLater();
        });
        connect(server, &QTcpSocket::disconnected, client, [client] { client->disconnectFromHost(); });
        server->connectToHost(QHostAddress::LocalHost, m_serverPort);
    }

    QThread m_thread;
    QTcpServer m_listener;
    quint16 m_serverPort = 0;
    quint16 m_port = 0;
    QByteArray m_needle; // on the relay's thread
    std::atomic<bool> m_armed { false };
    std::atomic<int> m_dropped { 0 };
};
