#pragma once

#include <QObject>
#include <QString>

#include <memory>
#include <vector>

#include "core/clock.h"
#include "ledger/pricetable.h"
#include "store/storetypes.h"
#include "trust/signing.h"
#include "workerthread.h"

class QSocketNotifier;
class QTimer;

namespace l0 {
class Store;
class SqlSession;
} // namespace l0

namespace l0::ui {

// The queue's lanes in the order the console shows them (keys 1–4): needs review, needs second
// approval, approved, rejected. The state a lane lists, and the lane of a state (-1: none).
VersionState laneState(int lane);
int laneOf(VersionState state);

// Queue order: by demand (as the store gives it), would-be savings, newest first, or risk.
enum class QueueSort { Demand, WouldSave, Newest, Risk };

// What serving this item from the cache would save: demand × the cost of one upstream answer
// (the requested model's price, else the one that answered); nullopt when neither is priced.
// Ranking by it happens in the database with the same arithmetic (rankQueue, review/queuereads.h).
std::optional<qint64> wouldSave(const PriceTable &prices, const QueueItem &item);

// Another candidate waiting under the same entry (a different model's answer, an edit): what
// A/B comparison shows next to the open one.
struct Alternative {
    int version = 0;
    QString model;
    QString author;
    QString text;
};

// What the item view shows for one version.
struct ItemDetail {
    qint64 entryId = 0;
    int version = 0;
    QString state;
    QString risk;
    QString tenant;
    QString query;
    QString text; // the answer under review
    QString approvedText; // the entry's live approved version, if another one is live
    int approvedVersion = 0;
    QByteArray findings; // the safety report (JSON)
    int approvals = 0;
    int required = 1;
    QStringList queries; // real queries that mapped to the key
    QStringList history; // every version of the entry: "v2 pending by ann", ...
    QString claimedBy; // someone else holds the lease: read only
    QString model; // the model that wrote it
    QString author;
    std::vector<Alternative> alternatives;
    // Blind second review: someone approved first; who, and their note, are withheld until this
    // reviewer has decided.
    bool blind = false;
    QString error;
};

// A version's state and risk as the console says them (the stored words are English).
QString stateLabel(const QString &state);
QString riskLabel(const QString &risk);

// What undo can take back.
enum class UndoKind { Decision, Edit };

// The reviewer's store work on a thread of its own: the queue by lane, claiming and opening an
// item, signed decisions, releases. Every result comes back as a signal.
class ReviewWorker final : public QObject {
    Q_OBJECT
public:
    // prices: what would-be savings are ranked by (shared with the view, which shows them).
    // clock: the time of leases, decisions and edits; not owned, outlives the worker.
    ReviewWorker(
        QString url, QString reviewer, std::shared_ptr<const PriceTable> prices, const Clock *clock = Clock::system());
    ~ReviewWorker() override;

public slots:
    // The first `shown` items of a lane in the given order (every item of the lane is ranked,
    // not only the most demanded), and how many the lane holds.
    void loadQueue(int lane, int sort, int shown);
    void open(qint64 entryId, int version);
    void approve(qint64 entryId, int version, std::shared_ptr<const l0::SigningKey> key);
    void reject(qint64 entryId, int version, std::shared_ptr<const l0::SigningKey> key, const QString &reason);
    // A rejection that sends the text back to the queue (requeueFor: l0::RequeueFor) as a new
    // version by this reviewer.
    void requeue(
        qint64 entryId, int version, std::shared_ptr<const l0::SigningKey> key, const QString &reason, int requeueFor);
    void release(qint64 entryId, int version);
    // "Fix": the edited text becomes a new pending version by this reviewer; someone else approves it.
    void edit(qint64 entryId, int version, const QString &text);
    // A/B: the winner is approved and the other candidate rejected ("other: ... preferred"), as one
    // transaction.
    void prefer(qint64 entryId, int winner, int loser, std::shared_ptr<const l0::SigningKey> key);
    // Undo: withdraws this reviewer's own decision (signed), or their edit while undecided.
    void undo(qint64 entryId, int version, int kind, std::shared_ptr<const l0::SigningKey> key);
    // Keeps the lease of the open item while the reviewer is still on it.
    void renew(qint64 entryId, int version);
    // Start watching for changes by others: LISTEN/NOTIFY on PostgreSQL, a light poll on SQLite.
    void watch();

signals:
    void queueLoaded(int lane, const std::vector<l0::QueueItem> &items, qint64 total, const QString &error);
    // How many versions each lane holds (in lane order), read with every queue load.
    void laneCountsLoaded(const QList<qint64> &counts);
    void requeued(qint64 entryId, int version, int newVersion, const QString &message);
    void opened(const l0::ui::ItemDetail &detail);
    void decided(qint64 entryId, int version, const QString &message);
    void undone(qint64 entryId, int version, const QString &state, const QString &message);
    void failed(const QString &message);
    void changed(); // someone else filed, claimed or decided something

private:
    void armListen(); // LISTEN on PostgreSQL, again after a reconnect
    void dropStore(); // after a failure: the connection (and its notifier) go, the next call reconnects
    void decide(
        qint64 entryId, int version, bool approve, const std::shared_ptr<const SigningKey> &key, const QString &reason);
    QString m_reviewer;
    LazyStore m_store;
    std::shared_ptr<const PriceTable> m_prices;
    const Clock *m_clock;
    QSocketNotifier *m_notifier = nullptr;
    QTimer *m_poll = nullptr;
    QByteArray m_lastState;
    bool m_lost = false; // the connection failed; the next good poll tells the view
};

} // namespace l0::ui

Q_DECLARE_METATYPE(l0::ui::ItemDetail)
Q_DECLARE_METATYPE(std::vector<l0::QueueItem>)
Q_DECLARE_METATYPE(std::shared_ptr<const l0::SigningKey>)
