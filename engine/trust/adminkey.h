#pragma once

#include <QString>

#include "core/result.h"
#include "signing.h"

namespace l0 {

// The admin key a fresh install makes for itself in its data directory: admin.pem (PKCS#8,
// encrypted), admin.pem.pub, and admin.passphrase (random, mode 0600) that unlocks it. The
// passphrase lives next to the key so that a single host can run unattended; anyone who can read
// that directory holds the admin key, so move the passphrase off the host (and pass it through
// L0_PASSPHRASE) where that matters.
struct AdminKeyFiles {
    QString privateKey; // DIR/admin.pem
    QString publicKey; // DIR/admin.pem.pub
    QString passphrase; // DIR/admin.passphrase
    bool created = false; // made by this call (else they were there already)
};

// Makes the three files in dir unless admin.pem.pub is there already; never overwrites a key.
// An error names the file that could not be written.
Result<AdminKeyFiles> ensureAdminKey(const QString &dir);

// Writes an encrypted private key (mode 0600, refusing to overwrite) and its public half (path.pub).
Status writeKeyPair(const SigningKey &key, const QString &path, const QByteArray &passphrase);

// A passphrase file's first line, as bytes.
Result<QByteArray> readPassphraseFile(const QString &path);

} // namespace l0
