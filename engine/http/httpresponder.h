#pragma once

#include <QByteArray>
#include <QPointer>

#include <functional>
#include <memory>

#include "httprequest.h"

namespace l0::http {

class HttpConnection;

// Writes the answer to one request. Lives on the connection's thread and must only be used
// there; it is safe to keep after the client went away (writes are then dropped and
// isOpen() is false). Exactly one of send() or beginStream()...endStream() per request.
class HttpResponder {
public:
    explicit HttpResponder(HttpConnection *connection);
    ~HttpResponder();
    HttpResponder(const HttpResponder &) = delete;
    HttpResponder &operator=(const HttpResponder &) = delete;

    bool isOpen() const;
    bool isFinished() const { return m_finished; }

    void send(int status, const HeaderList &headers, const QByteArray &body);
    // Starts a chunked response; write() sends one chunk each, endStream() the last one.
    void beginStream(int status, const HeaderList &headers);
    void write(const QByteArray &data);
    void endStream();
    // Drops the connection at once, without finishing the response (a simulated network failure).
    void closeConnection();

    // Called once if the client disconnects before the response finished.
    void setOnAbort(std::function<void()> callback) { m_onAbort = std::move(callback); }

private:
    friend class HttpConnection;
    void abort();

    QPointer<HttpConnection> m_connection;
    bool m_started = false;
    bool m_finished = false;
    std::function<void()> m_onAbort;
};

using ResponderPtr = std::shared_ptr<HttpResponder>;

} // namespace l0::http
