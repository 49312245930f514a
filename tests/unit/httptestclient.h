#pragma once

#include <QByteArray>
#include <QMap>
#include <QTcpSocket>
#include <QTest>

// A raw HTTP/1.1 client for tests: writes bytes as given and reads responses back while
// the event loop keeps running (servers under test may live on this thread too).
struct RawResponse {
    int status = 0;
    QMap<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body; // de-chunked
    bool complete = false;
};

class RawHttpClient {
public:
    explicit RawHttpClient(quint16 port) { m_socket.connectToHost(QStringLiteral("127.0.0.1"), port); }
    bool waitConnected()
    {
        return QTest::qWaitFor([&] { return m_socket.state() == QAbstractSocket::ConnectedState; }, 5000);
    }
    void send(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.flush();
    }
    bool isClosed() { return m_socket.state() == QAbstractSocket::UnconnectedState; }
    bool waitClosed(int ms = 5000)
    {
        return QTest::qWaitFor(
            [&] {
                m_buffer += m_socket.readAll();
                return m_socket.state() == QAbstractSocket::UnconnectedState;
            },
            ms);
    }

    RawResponse read(int timeoutMs = 10000)
    {
        RawResponse r;
        (void)QTest::qWaitFor(
            [&] {
                m_buffer += m_socket.readAll();
                r = tryParse();
                return r.complete || m_socket.state() == QAbstractSocket::UnconnectedState;
            },
            timeoutMs);
        if (!r.complete) {
            m_buffer += m_socket.readAll();
            r = tryParse();
        }
        return r;
    }

private:
    RawResponse tryParse()
    {
        RawResponse r;
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return r;
        const QList<QByteArray> lines = m_buffer.left(end).split('\n');
        r.status = lines.value(0).split(' ').value(1).toInt();
        for (int i = 1; i < lines.size(); ++i) {
            const qsizetype c = lines[i].indexOf(':');
            if (c > 0)
                r.headers.insert(lines[i].left(c).trimmed().toLower(), lines[i].mid(c + 1).trimmed());
        }
        qsizetype pos = end + 4;
        if (r.headers.value("transfer-encoding") == "chunked") {
            for (;;) {
                const qsizetype nl = m_buffer.indexOf("\r\n", pos);
                if (nl < 0)
                    return r;
                bool ok = false;
                const qsizetype size = m_buffer.mid(pos, nl - pos).toLongLong(&ok, 16);
                if (!ok || m_buffer.size() < nl + 2 + size + 2)
                    return r;
                r.body += m_buffer.mid(nl + 2, size);
                pos = nl + 2 + size + 2;
                if (size == 0)
                    break;
            }
        } else {
            const qsizetype len = r.headers.value("content-length").toLongLong();
            if (m_buffer.size() < pos + len)
                return r;
            r.body = m_buffer.mid(pos, len);
            pos += len;
        }
        r.complete = true;
        m_buffer.remove(0, pos);
        return r;
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
};
