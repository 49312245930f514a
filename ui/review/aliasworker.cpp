#include "aliasworker.h"

#include <QTimer>

#include "trust/aliasdecisions.h"

namespace l0::ui {

AliasWorker::AliasWorker(QString url, const Clock *clock)
    : m_store(std::move(url))
    , m_clock(clock)
{
}

void AliasWorker::load(int shown)
{
    QString error;
    SqlSession *s = m_store.session(&error);
    if (!s) {
        emit loaded({}, 0, error);
        return;
    }
    AliasFilter f;
    f.limit = std::max(1, shown);
    auto items = aliasProposals(*s, f);
    auto total = countAliasProposals(*s, QStringLiteral("pending"));
    if (!items || !total) {
        const QString message = !items ? items.error().message : total.error().message;
        m_store.reset();
        emit loaded({}, 0, message);
        return;
    }
    emit loaded(*items, *total, QString());
}

void AliasWorker::decide(qint64 proposalId, bool confirm, std::shared_ptr<const SigningKey> key, const QString &reason)
{
    if (!key || !key->hasPrivate()) {
        emit failed(tr("load your reviewer key first (File › Reviewer key): alias decisions are signed"));
        return;
    }
    QString error;
    SqlSession *s = m_store.session(&error);
    if (!s) {
        emit failed(error);
        return;
    }
    auto d = decideAliasSigned(*s, proposalId, confirm, *key, reason, m_clock->nowMs());
    if (!d) {
        if (d.error().code == ErrorCode::Unavailable)
            m_store.reset();
        emit failed(d.error().message);
        return;
    }
    emit decided(proposalId, confirm,
        confirm ? tr("“%1” is now answered as entry %2").arg(d->query.left(60)).arg(d->entryId)
                : tr("“%1” is not entry %2: recorded, it will not be proposed again")
                      .arg(d->query.left(60))
                      .arg(d->entryId));
}

void AliasWorker::watch()
{
    if (m_poll)
        return;
    m_poll = new QTimer(this);
    m_poll->setInterval(1'500);
    auto poll = [this] {
        QString e;
        SqlSession *s = m_store.session(&e);
        if (!s)
            return;
        auto r = aliasQueueFingerprint(*s);
        if (!r) {
            m_store.reset();
            return;
        }
        if (!m_lastState.isEmpty() && *r != m_lastState)
            emit changed();
        m_lastState = *r;
    };
    poll();
    connect(m_poll, &QTimer::timeout, this, poll);
    m_poll->start();
}

} // namespace l0::ui
