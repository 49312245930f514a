#include "httpresponder.h"

#include <QDateTime>
#include <QLocale>

#include "httpconnection.h"
#include "core/clock.h"

namespace l0::http {

namespace {
// The Date header, formatted once per second per thread.
const QByteArray &httpDate()
{
    thread_local qint64 lastSecond = -1;
    thread_local QByteArray cached;
    const qint64 now = Clock::system()->nowMs() / 1000;
    if (now != lastSecond) {
        lastSecond = now;
        cached = QLocale::c()
                     .toString(QDateTime::fromSecsSinceEpoch(now, Qt::UTC), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss"))
                     .toLatin1()
            + " GMT";
    }
    return cached;
}

QByteArray statusLine(int status, const HeaderList &headers, bool closeAfter)
{
    QByteArray out;
    out.reserve(256);
    out += "HTTP/1.1 ";
    out += QByteArray::number(status);
    out += ' ';
    out += statusReason(status);
    out += "\r\nDate: ";
    out += httpDate();
    out += "\r\nServer: l0-node\r\n";
    for (const auto &h : headers) {
        out += h.first;
        out += ": ";
        out += h.second;
        out += "\r\n";
    }
    if (closeAfter)
        out += "Connection: close\r\n";
    return out;
}
} // namespace

HttpResponder::HttpResponder(HttpConnection *connection)
    : m_connection(connection)
{
}

HttpResponder::~HttpResponder() = default;

bool HttpResponder::isOpen() const
{
    return !m_finished && m_connection && m_connection->isOpen();
}

void HttpResponder::send(int status, const HeaderList &headers, const QByteArray &body)
{
    if (m_started || m_finished)
        return;
    m_started = true;
    m_finished = true;
    if (!m_connection)
        return;
    const bool closeAfter = !m_connection->m_activeKeepAlive;
    QByteArray out = statusLine(status, headers, closeAfter);
    out += "Content-Length: ";
    out += QByteArray::number(body.size());
    out += "\r\n\r\n";
    out += body;
    m_connection->writeRaw(out);
    m_connection->responseFinished(closeAfter);
}

void HttpResponder::beginStream(int status, const HeaderList &headers)
{
    if (m_started || m_finished)
        return;
    m_started = true;
    if (!m_connection)
        return;
    const bool closeAfter = !m_connection->m_activeKeepAlive;
    QByteArray out = statusLine(status, headers, closeAfter);
    out += "Transfer-Encoding: chunked\r\n\r\n";
    m_connection->writeRaw(out);
}

void HttpResponder::write(const QByteArray &data)
{
    if (!m_started || m_finished || !m_connection || data.isEmpty())
        return;
    QByteArray out = QByteArray::number(data.size(), 16);
    out += "\r\n";
    out += data;
    out += "\r\n";
    m_connection->writeRaw(out);
}

void HttpResponder::endStream()
{
    if (!m_started || m_finished)
        return;
    m_finished = true;
    if (!m_connection)
        return;
    m_connection->writeRaw(QByteArrayLiteral("0\r\n\r\n"));
    m_connection->responseFinished(!m_connection->m_activeKeepAlive);
}

void HttpResponder::closeConnection()
{
    m_finished = true;
    if (m_connection)
        m_connection->closeNow();
}

void HttpResponder::abort()
{
    if (m_finished)
        return;
    m_finished = true;
    if (auto cb = std::move(m_onAbort))
        cb();
}

} // namespace l0::http
