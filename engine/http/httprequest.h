#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>

namespace l0::http {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// One parsed HTTP/1.x request. Header names are lower-cased.
struct HttpRequest {
    QByteArray method;
    QByteArray path; // without the query string
    QByteArray query; // without the leading '?'
    HeaderList headers;
    QByteArray body;
    QHostAddress peer;
    bool keepAlive = true;

    // First value of a header (name in lower case), or an empty array.
    QByteArray header(const QByteArray &lowerName) const;
    bool hasHeader(const QByteArray &lowerName) const;
};

const char *statusReason(int status);

} // namespace l0::http
