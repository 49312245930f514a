#pragma once

#include <QObject>

#include <deque>

#include "httplimits.h"
#include "httprequest.h"
#include "httprequestparser.h"
#include "irequesthandler.h"

class QSocketNotifier;
class QTcpSocket;

namespace l0::http {

class HttpServer;

// One client connection on a worker thread: parses requests with http_parser, answers them
// one at a time in order (pipelined requests wait), enforces limits and timeouts.
class HttpConnection final : public QObject {
    Q_OBJECT
public:
    HttpConnection(qintptr socketDescriptor, IRequestHandler *handler, const HttpLimits &limits, HttpServer *server,
        QObject *parent);
    ~HttpConnection() override;

    bool isOpen() const;
    // Called by the worker's sweep timer: enforces read and idle timeouts. Cheaper than a
    // QTimer per connection restarted on every request.
    void checkTimeout(qint64 nowMs);

private:
    friend class HttpResponder;

    void adopt(qintptr socketDescriptor);
    void firstByteArrived();
    void dropPending();
    void readyRead();
    void dispatchNext();
    void responseFinished(bool closeAfter);
    void writeRaw(const QByteArray &data);
    void failAndClose(int status, const QByteArray &message);
    void closeNow();
    void socketGone();

    QTcpSocket *m_socket = nullptr;
    // TLS: the accepted descriptor, not yet adopted, while waiting for the client's first byte.
    qintptr m_pendingFd = -1;
    QSocketNotifier *m_firstByte = nullptr;
    IRequestHandler *m_handler;
    HttpLimits m_limits;
    HttpServer *m_server;
    HttpRequestParser m_parser;
    void setDeadline(qint64 afterMs);
    qint64 m_deadlineMs = 0;

    qint64 m_drainedBytes = 0;

    std::deque<HttpRequest> m_pending;
    ResponderPtr m_active;
    bool m_activeKeepAlive = true;
    bool m_draining = false; // an error answer was sent; discard input, then close
    bool m_closing = false;
};

} // namespace l0::http
