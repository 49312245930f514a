#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QMutex>
#include <QSslConfiguration>
#include <QString>

#include <memory>

#include "core/result.h"

namespace l0::http {

// Where a TLS server's identity comes from: a PEM certificate file (the leaf first, then any
// intermediates) and a PEM private key file (RSA or EC), optionally encrypted.
struct TlsFiles {
    QString certFile;
    QString keyFile;
    QByteArray keyPassphrase; // from the environment only; never logged
};

// The certificate and key a TLS listener presents, re-readable while connections are open:
// reload() swaps in the new files for connections accepted afterwards, or keeps the old ones
// and says why when the new files do not load. Shared by every worker thread.
class TlsContext {
public:
    // Fails with a message naming the file and the fault: unreadable, not PEM, a key that
    // does not belong to the certificate, a certificate that has expired or is not yet valid.
    static Result<std::shared_ptr<TlsContext>> create(const TlsFiles &files);

    Status reload();

    // What a new connection is configured with (cheap: implicitly shared).
    QSslConfiguration configuration() const;
    // The leaf certificate presented now: its subject line and its expiry.
    QString subject() const;
    QDateTime notAfter() const;

private:
    explicit TlsContext(const TlsFiles &files)
        : m_files(files)
    {
    }
    static Result<QSslConfiguration> load(const TlsFiles &files);

    const TlsFiles m_files;
    mutable QMutex m_mutex;
    QSslConfiguration m_config;
};

} // namespace l0::http
