#include "tlscontext.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace l0::http {

namespace {

Result<QByteArray> readFile(const QString &what, const QString &path)
{
    if (path.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("tls: no %1 file given").arg(what));
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(
            ErrorCode::NotFound, QStringLiteral("tls: cannot read %1 file %2: %3").arg(what, path, f.errorString()));
    return f.readAll();
}

// OpenSSL's own check that the key is the certificate's: Qt only finds out at the first
// handshake, and then every client sees a failure.
bool keyMatchesCertificate(const QByteArray &certPem, const QByteArray &keyPem, const QByteArray &passphrase)
{
    BIO *cb = BIO_new_mem_buf(certPem.constData(), int(certPem.size()));
    BIO *kb = BIO_new_mem_buf(keyPem.constData(), int(keyPem.size()));
    X509 *cert = cb ? PEM_read_bio_X509(cb, nullptr, nullptr, nullptr) : nullptr;
    EVP_PKEY *key
        = kb ? PEM_read_bio_PrivateKey(kb, nullptr, nullptr, const_cast<char *>(passphrase.constData())) : nullptr;
    const bool ok = cert && key && X509_check_private_key(cert, key) == 1;
    EVP_PKEY_free(key);
    X509_free(cert);
    BIO_free(kb);
    BIO_free(cb);
    return ok;
}

} // namespace

Result<QSslConfiguration> TlsContext::load(const TlsFiles &files)
{
    auto certPem = readFile(QStringLiteral("certificate"), files.certFile);
    if (!certPem)
        return certPem.error();
    auto keyPem = readFile(QStringLiteral("key"), files.keyFile);
    if (!keyPem)
        return keyPem.error();

    const QList<QSslCertificate> chain = QSslCertificate::fromData(*certPem, QSsl::Pem);
    if (chain.isEmpty() || chain.first().isNull())
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("tls: %1 holds no PEM certificate (-----BEGIN CERTIFICATE-----)").arg(files.certFile));
    const QSslCertificate &leaf = chain.first();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (leaf.expiryDate() < now)
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("tls: the certificate in %1 expired on %2")
                .arg(files.certFile, leaf.expiryDate().toString(Qt::ISODate)));
    if (leaf.effectiveDate() > now)
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("tls: the certificate in %1 is not valid before %2")
                .arg(files.certFile, leaf.effectiveDate().toString(Qt::ISODate)));

    QSslKey key;
    for (QSsl::KeyAlgorithm algorithm : { QSsl::Rsa, QSsl::Ec }) {
        key = QSslKey(*keyPem, algorithm, QSsl::Pem, QSsl::PrivateKey, files.keyPassphrase);
        if (!key.isNull())
            break;
    }
    if (key.isNull())
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("tls: %1 holds no RSA or EC private key in PEM that can be read%2")
                .arg(files.keyFile,
                    files.keyPassphrase.isEmpty() ? QStringLiteral(" (an encrypted key needs tls.key_passphrase_env)")
                                                  : QStringLiteral(" with the passphrase given")));
    if (!keyMatchesCertificate(*certPem, *keyPem, files.keyPassphrase))
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("tls: the key in %1 is not the key of the certificate in %2")
                .arg(files.keyFile, files.certFile));

    QSslConfiguration c = QSslConfiguration::defaultConfiguration();
    c.setLocalCertificateChain(chain);
    c.setPrivateKey(key);
    c.setProtocol(QSsl::TlsV1_2OrLater);
    c.setPeerVerifyMode(QSslSocket::VerifyNone); // clients authenticate with API keys or JWTs
    // Only HTTP/1.1 is spoken: a client offering h2 must not be told it got it.
    c.setAllowedNextProtocols({ QByteArrayLiteral("http/1.1") });
    return c;
}

Result<std::shared_ptr<TlsContext>> TlsContext::create(const TlsFiles &files)
{
    if (!QSslSocket::supportsSsl())
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("tls: this Qt has no TLS backend (%1)").arg(QSslSocket::activeBackend()));
    std::shared_ptr<TlsContext> ctx(new TlsContext(files));
    if (auto s = ctx->reload(); !s)
        return s.error();
    return ctx;
}

Status TlsContext::reload()
{
    auto loaded = load(m_files);
    if (!loaded)
        return loaded.error();
    QMutexLocker lock(&m_mutex);
    m_config = std::move(*loaded);
    return {};
}

QSslConfiguration TlsContext::configuration() const
{
    QMutexLocker lock(&m_mutex);
    return m_config;
}

QString TlsContext::subject() const
{
    QMutexLocker lock(&m_mutex);
    const auto chain = m_config.localCertificateChain();
    return chain.isEmpty() ? QString() : chain.first().subjectDisplayName();
}

QDateTime TlsContext::notAfter() const
{
    QMutexLocker lock(&m_mutex);
    const auto chain = m_config.localCertificateChain();
    return chain.isEmpty() ? QDateTime() : chain.first().expiryDate();
}

} // namespace l0::http
