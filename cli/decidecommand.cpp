#include "commands.h"

#include "commandsupport.h"
#include "trust/approvals.h"
#include "trust/reviewqueue.h"

namespace l0 {

namespace {

class DecideCommand final : public Command {
public:
    DecideCommand(QString name, QString synopsis, QString description)
        : Command(std::move(name), std::move(synopsis), std::move(description),
            { { QStringLiteral("reviewer"), QStringLiteral("Reviewer name recorded with a decision."),
                  QStringLiteral("NAME") },
                { QStringLiteral("reject"), QStringLiteral("Reject instead of approving.") },
                { QStringLiteral("reason"), QStringLiteral("Reason for a rejection."), QStringLiteral("TEXT") },
                { QStringLiteral("reason-code"),
                    QStringLiteral("Why a rejection: incorrect, unsafe, outdated, off_topic, incomplete, tone, "
                                   "private_data, other."),
                    QStringLiteral("CODE") },
                { QStringLiteral("requeue"),
                    QStringLiteral("With --reject: send the text back to the queue as a new version, for an edit "
                                   "(edit) or for another model's answer (model), instead of removing it."),
                    QStringLiteral("FOR") },
                { QStringLiteral("key"), QStringLiteral("Your reviewer key (encrypted PEM)."), QStringLiteral("FILE") },
                { QStringLiteral("ttl"), QStringLiteral("How long an approved answer lives (7d, 12h)."),
                    QStringLiteral("DURATION") } })
    {
    }

    int run(const CommandLine &cmd, CommandIo &io) const override
    {
        const bool revoke = cmd.args.value(0) == QLatin1String("revoke");
        if (cmd.args.size() != 2)
            return fail(io.err,
                QStringLiteral("usage: l0ctl %1 ENTRY[@VERSION]%2")
                    .arg(cmd.args.value(0), revoke ? QString() : QStringLiteral(" [--reject --reason TEXT]")),
                2);
        const QStringList parts = cmd.args.at(1).split(QLatin1Char('@'));
        bool okE = false, okV = true;
        const qint64 entry = parts.at(0).toLongLong(&okE);
        const int version = parts.size() > 1 ? parts.at(1).toInt(&okV) : 0;
        if (!okE || !okV || parts.size() > 2 || entry <= 0)
            return fail(io.err, QStringLiteral("'%1' is not ENTRY or ENTRY@VERSION").arg(cmd.args.at(1)), 2);
        if (cmd.args.value(0) == QLatin1String("withdraw")) {
            // Undo: the key's owner takes back their own recent decision.
            if (!cmd.isSet(QStringLiteral("key")) || version <= 0)
                return fail(io.err, QStringLiteral("usage: l0ctl withdraw ENTRY@VERSION --key FILE"), 2);
            auto signer = openReviewerSession(cmd, io.err);
            if (!signer)
                return 1;
            auto d = withdrawDecision(signer.store->session(), entry, version, *signer.key, io.clock->nowMs());
            if (!d)
                return fail(io.err, d.error().message);
            io.out << entry << '@' << version << ' ' << versionStateName(d->state) << " (" << d->approvals << " of "
                   << d->required << " approvals left)" << Qt::endl;
            return 0;
        }
        const bool reject = cmd.isSet(QStringLiteral("reject"));
        QString reason;
        if (reject) {
            // A code people can count, plus words for the author.
            const QString code = cmd.isSet(QStringLiteral("reason-code"))
                ? cmd.value(QStringLiteral("reason-code"))
                : (cmd.isSet(QStringLiteral("reason")) ? QStringLiteral("other") : QString());
            auto r = rejectionReason(code, cmd.value(QStringLiteral("reason")));
            if (!r)
                return fail(io.err, r.error().message + QStringLiteral(" (--reason-code CODE [--reason TEXT])"), 2);
            reason = *r;
        }
        if (cmd.isSet(QStringLiteral("requeue"))) {
            const auto requeueFor = requeueForFromName(cmd.value(QStringLiteral("requeue")));
            if (!reject || !requeueFor || !cmd.isSet(QStringLiteral("key")) || revoke)
                return fail(io.err,
                    QStringLiteral("usage: l0ctl approve ENTRY[@VERSION] --key FILE --reject --reason-code CODE "
                                   "[--reason TEXT] --requeue edit|model"),
                    2);
            auto signer = openReviewerSession(cmd, io.err);
            if (!signer)
                return 1;
            auto r = requeueSigned(
                signer.store->session(), entry, version, *requeueFor, *signer.key, reason, io.clock->nowMs());
            if (!r)
                return fail(io.err, r.error().message);
            io.out << entry << '@' << r->rejected.version << " rejected, requeued for "
                   << (*requeueFor == RequeueFor::Edit ? "an edit" : "another model's answer") << " as " << entry << '@'
                   << r->newVersion << Qt::endl;
            return 0;
        }
        std::optional<qint64> ttl;
        if (cmd.isSet(QStringLiteral("ttl"))) {
            ttl = parseDuration(cmd.value(QStringLiteral("ttl")));
            if (!ttl)
                return fail(io.err, QStringLiteral("--ttl takes a duration such as 7d"), 2);
        }
        if (cmd.isSet(QStringLiteral("key")) && !revoke) {
            // A signed decision: the reviewer is whoever the key is registered to.
            auto signer = openReviewerSession(cmd, io.err);
            if (!signer)
                return 1;
            const qint64 now = io.clock->nowMs();
            auto d = decideSigned(signer.store->session(), entry, version, !reject, *signer.key, reason, now);
            if (!d)
                return fail(io.err, d.error().message);
            if (ttl && d->state == VersionState::Approved)
                (void)applyTtl(signer.store->session(), entry, d->version, now, *ttl);
            io.out << entry << '@' << d->version << ' ' << versionStateName(d->state);
            if (d->state == VersionState::NeedsSecond)
                io.out << " (" << d->approvals << " of " << d->required << " approvals)";
            io.out << Qt::endl;
            return 0;
        }
        auto store = openOrFail(cmd, io.err);
        if (!store)
            return 1;
        const QString reviewer = reviewerName(cmd);
        const VersionState decision = revoke ? VersionState::Revoked
            : reject                         ? VersionState::Rejected
                                             : VersionState::Approved;
        auto v
            = store->decide(entry, version, decision, reviewer, revoke ? cmd.value(QStringLiteral("reason")) : reason);
        if (!v)
            return fail(io.err, v.error().message);
        if (ttl && decision == VersionState::Approved)
            (void)applyTtl(store->session(), entry, *v, io.clock->nowMs(), *ttl);
        io.out << entry << '@' << *v << ' ' << versionStateName(decision) << Qt::endl;
        return 0;
    }
};

} // namespace

std::unique_ptr<Command> makeApproveCommand()
{
    return std::make_unique<DecideCommand>(QStringLiteral("approve"),
        QStringLiteral("approve ENTRY[@VERSION] [--key FILE] [--ttl 7d] [--reject --reason-code CODE [--reason TEXT] "
                       "[--requeue edit|model]]"),
        QStringLiteral("Approve (or reject) a version, signed with your reviewer key (passphrase from "
                       "L0_PASSPHRASE or a prompt); "
                       "without @VERSION the newest waiting one. Without --key the decision is unsigned, and "
                       "nodes that pin an admin key do not serve it."));
}

std::unique_ptr<Command> makeWithdrawCommand()
{
    return std::make_unique<DecideCommand>(QStringLiteral("withdraw"),
        QStringLiteral("withdraw ENTRY@VERSION --key FILE"),
        QStringLiteral("Undo: take back your own decision on a version within 10 minutes of making it; the "
                       "version's state follows from the decisions left."));
}

std::unique_ptr<Command> makeRevokeCommand()
{
    return std::make_unique<DecideCommand>(QStringLiteral("revoke"), QStringLiteral("revoke ENTRY[@VERSION]"),
        QStringLiteral("Withdraw an approved version from serving."));
}

} // namespace l0
