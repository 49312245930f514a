#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

#include <memory>
#include <vector>

#include "core/clock.h"
#include "reviewworker.h" // the key's metatype
#include "store/aliasrules.h"
#include "trust/signing.h"
#include "workerthread.h"

class QTimer;

namespace l0::ui {

// The alias lane's store work on a thread of its own: the waiting proposals ("same question as
// entry N?") and the reviewer's signed decisions on them. Every result comes back as a signal.
class AliasWorker final : public QObject {
    Q_OBJECT
public:
    // clock: the time decisions are signed at; not owned, outlives the worker.
    AliasWorker(QString url, const Clock *clock = Clock::system());

public slots:
    // The first `shown` waiting proposals, most seen first, and how many wait.
    void load(int shown);
    // Signed with key (decideAliasSigned): confirm makes the query an alias of the entry.
    void decide(qint64 proposalId, bool confirm, std::shared_ptr<const l0::SigningKey> key, const QString &reason);
    // Start a light poll for proposals filed or decided elsewhere.
    void watch();

signals:
    void loaded(const std::vector<l0::AliasProposalRecord> &items, qint64 total, const QString &error);
    void decided(qint64 proposalId, bool confirmed, const QString &message);
    void failed(const QString &message);
    void changed();

private:
    LazyStore m_store;
    const Clock *m_clock;
    QTimer *m_poll = nullptr;
    QByteArray m_lastState;
};

} // namespace l0::ui

Q_DECLARE_METATYPE(std::vector<l0::AliasProposalRecord>)
