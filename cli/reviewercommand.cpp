#include "commands.h"

#include <QFile>

#include "commandsupport.h"
#include "passphrase.h"
#include "trust/approvals.h"

namespace l0 {

namespace {

class ReviewerCommand final : public Command {
public:
    ReviewerCommand()
        : Command(QStringLiteral("reviewer"),
            QStringLiteral("reviewer keygen --out FILE | reviewer add NAME --pubkey FILE.pub --admin-key ADMIN_FILE "
                           "| reviewer list"),
            QStringLiteral("Make an encrypted Ed25519 key pair (FILE, FILE.pub); register a reviewer's key, signed "
                           "by an admin key."),
            { { QStringLiteral("out"), QStringLiteral("Output file."), QStringLiteral("FILE") },
                { QStringLiteral("pubkey"), QStringLiteral("A public key (PEM)."), QStringLiteral("FILE") },
                { QStringLiteral("admin-key"), QStringLiteral("The admin's private key (encrypted PEM)."),
                    QStringLiteral("FILE") } })
    {
    }

    int run(const CommandLine &cmd, CommandIo &io) const override
    {
        const QString sub = cmd.args.value(1);
        if (sub == QLatin1String("keygen")) {
            if (!cmd.isSet(QStringLiteral("out")))
                return fail(io.err, QStringLiteral("usage: l0ctl reviewer keygen --out FILE"), 2);
            const QString path = cmd.value(QStringLiteral("out"));
            if (QFile::exists(path))
                return fail(io.err, QStringLiteral("%1 exists; not overwriting a key").arg(path));
            auto pass = passphrase(io.err, QStringLiteral("Passphrase for the new key: "), true);
            if (!pass)
                return 1;
            auto key = SigningKey::generate();
            if (!key)
                return fail(io.err, key.error().message);
            auto pem = key->privatePem(*pass);
            if (!pem)
                return fail(io.err, pem.error().message);
            QFile priv(path);
            if (!priv.open(QIODevice::WriteOnly | QIODevice::NewOnly))
                return fail(io.err, QStringLiteral("cannot write %1: %2").arg(path, priv.errorString()));
            priv.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
            priv.write(*pem);
            priv.close();
            QFile pub(path + QStringLiteral(".pub"));
            if (!pub.open(QIODevice::WriteOnly | QIODevice::Truncate))
                return fail(io.err, QStringLiteral("cannot write %1: %2").arg(pub.fileName(), pub.errorString()));
            pub.write(key->publicPem());
            io.out << "wrote " << path << " (encrypted private key) and " << pub.fileName() << "; fingerprint "
                   << key->fingerprint() << Qt::endl;
            return 0;
        }
        if (sub == QLatin1String("add")) {
            if (cmd.args.size() != 3 || !cmd.isSet(QStringLiteral("pubkey")) || !cmd.isSet(QStringLiteral("admin-key")))
                return fail(io.err,
                    QStringLiteral("usage: l0ctl reviewer add NAME --pubkey FILE.pub --admin-key ADMIN_FILE"), 2);
            auto pub = SigningKey::fromPublicFile(cmd.value(QStringLiteral("pubkey")));
            if (!pub)
                return fail(io.err, pub.error().message);
            auto admin = openPrivateKey(
                cmd.value(QStringLiteral("admin-key")), QStringLiteral("Passphrase of the admin key: "), io.err);
            if (!admin)
                return 1;
            auto store = openOrFail(cmd, io.err);
            if (!store)
                return 1;
            if (auto s = registerReviewer(store->session(), cmd.args.at(2), *pub, *admin); !s)
                return fail(io.err, s.error().message);
            io.out << "reviewer " << cmd.args.at(2) << " registered (key " << pub->fingerprint().left(16)
                   << ", signed by admin " << admin->fingerprint().left(16) << ")" << Qt::endl;
            return 0;
        }
        if (sub == QLatin1String("list")) {
            auto store = openOrFail(cmd, io.err);
            if (!store)
                return 1;
            auto list = listReviewers(store->session());
            if (!list)
                return fail(io.err, list.error().message);
            for (const ReviewerRecord &r : *list)
                io.out << r.name << '\t' << r.fingerprint << '\t' << "admin " << r.adminFingerprint.left(16)
                       << Qt::endl;
            return 0;
        }
        return fail(io.err, QStringLiteral("usage: l0ctl reviewer keygen|add|list ..."), 2);
    }
};

} // namespace

std::unique_ptr<Command> makeReviewerCommand()
{
    return std::make_unique<ReviewerCommand>();
}

} // namespace l0
