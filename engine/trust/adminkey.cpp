#include "adminkey.h"

#include <QDir>
#include <QFile>

#include "core/text.h"

namespace l0 {

namespace {

Status writeNew(const QString &path, const QByteArray &bytes, bool secret)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        return makeError(ErrorCode::Internal, QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
    // Restricted before anything secret is in it.
    if (secret && !f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return makeError(ErrorCode::Internal, QStringLiteral("cannot restrict %1 to its owner").arg(path));
    if (f.write(bytes) != bytes.size() || !f.flush())
        return makeError(ErrorCode::Internal, QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
    return {};
}

} // namespace

Status writeKeyPair(const SigningKey &key, const QString &path, const QByteArray &passphrase)
{
    auto pem = key.privatePem(passphrase);
    if (!pem)
        return pem.error();
    if (auto s = writeNew(path, *pem, true); !s)
        return s;
    return writeNew(path + QStringLiteral(".pub"), key.publicPem(), false);
}

Result<QByteArray> readPassphraseFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::NotFound, QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
    QByteArray line = f.readLine();
    while (line.endsWith('\n') || line.endsWith('\r'))
        line.chop(1);
    if (line.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("%1 holds no passphrase").arg(path));
    return line;
}

Result<AdminKeyFiles> ensureAdminKey(const QString &dir)
{
    AdminKeyFiles files { dir + QStringLiteral("/admin.pem"), dir + QStringLiteral("/admin.pem.pub"),
        dir + QStringLiteral("/admin.passphrase"), false };
    if (QFile::exists(files.publicKey))
        return files;
    if (!QDir().mkpath(dir))
        return makeError(ErrorCode::Internal, QStringLiteral("cannot create %1").arg(dir));
    auto key = SigningKey::generate();
    if (!key)
        return key.error();
    const QByteArray passphrase
        = randomBytes(32).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    if (auto s = writeNew(files.passphrase, passphrase + '\n', true); !s)
        return s.error();
    if (auto s = writeKeyPair(*key, files.privateKey, passphrase); !s)
        return s.error();
    files.created = true;
    return files;
}

} // namespace l0
