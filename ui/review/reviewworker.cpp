#include "reviewworker.h"
#include "workerthread.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>
#include <QTimer>

#include "core/chat.h"
#include "review/entryreads.h"
#include "review/queuereads.h"
#include "review/safetyscanner.h"
#include "store/store.h"
#include "trust/approvals.h"
#include "trust/reviewqueue.h"

namespace l0::ui {

namespace {
constexpr qint64 kLeaseMs = 5 * 60'000;

QString answerText(const QString &content)
{
    auto r = ChatResult::fromJson(QJsonDocument::fromJson(content.toUtf8()).object());
    return r ? r->text() : content;
}

QueueRank queueRank(QueueSort sort)
{
    switch (sort) {
    case QueueSort::WouldSave:
        return QueueRank::WouldSave;
    case QueueSort::Newest:
        return QueueRank::Newest;
    default:
        return QueueRank::Risk;
    }
}
} // namespace

QString stateLabel(const QString &state)
{
    static const QHash<QString, const char *> words { { QStringLiteral("pending"),
                                                          QT_TRANSLATE_NOOP("l0::ui::ReviewWorker", "pending") },
        { QStringLiteral("needs_second"), QT_TRANSLATE_NOOP("l0::ui::ReviewWorker", "needs a second approval") },
        { QStringLiteral("approved"), QT_TRANSLATE_NOOP("l0::ui::ReviewWorker", "approved") },
        { QStringLiteral("rejected"), QT_TRANSLATE_NOOP("l0::ui::ReviewWorker", "rejected") },
        { QStringLiteral("revoked"), QT_TRANSLATE_NOOP("l0::ui::ReviewWorker", "revoked") },
        { QStringLiteral("expired"), QT_TRANSLATE_NOOP("l0::ui::ReviewWorker", "expired") } };
    const char *word = words.value(state);
    return word ? QCoreApplication::translate("l0::ui::ReviewWorker", word) : state;
}

QString riskLabel(const QString &risk)
{
    static const QHash<QString, const char *> words { { QStringLiteral("low"),
                                                          QT_TRANSLATE_NOOP("l0::ui::ReviewWorker", "low") },
        { QStringLiteral("medium"), QT_TRANSLATE_NOOP("l0::ui::ReviewWorker", "medium") },
        { QStringLiteral("high"), QT_TRANSLATE_NOOP("l0::ui::ReviewWorker", "high") } };
    const char *word = words.value(risk);
    return word ? QCoreApplication::translate("l0::ui::ReviewWorker", word) : risk;
}

std::optional<qint64> wouldSave(const PriceTable &prices, const QueueItem &item)
{
    auto once = prices.cost(item.model, item.usage);
    if (!once)
        once = prices.cost(item.modelUsed, item.usage);
    if (!once)
        return std::nullopt;
    return *once * item.hits;
}

VersionState laneState(int lane)
{
    static const VersionState states[] { VersionState::Pending, VersionState::NeedsSecond, VersionState::Approved,
        VersionState::Rejected };
    return states[std::clamp(lane, 0, 3)];
}

int laneOf(VersionState state)
{
    for (int lane = 0; lane < 4; ++lane) {
        if (laneState(lane) == state)
            return lane;
    }
    return -1;
}

ReviewWorker::ReviewWorker(QString url, QString reviewer, std::shared_ptr<const PriceTable> prices, const Clock *clock)
    : m_reviewer(std::move(reviewer))
    , m_store(std::move(url))
    , m_prices(std::move(prices))
    , m_clock(clock)
{
}

ReviewWorker::~ReviewWorker() = default;

void ReviewWorker::loadQueue(int lane, int sort, int shown)
{
    QString error;
    Store *store = m_store.get(&error);
    if (!store) {
        emit queueLoaded(lane, {}, 0, error);
        return;
    }
    QueueFilter f;
    f.state = laneState(lane);
    // The store ranks by demand; any other order ranks the whole lane in the database first,
    // and only the page is read.
    const auto order = QueueSort(std::clamp(sort, 0, 3));
    f.limit = shown;
    std::vector<VersionRef> ranked;
    if (order != QueueSort::Demand) {
        auto r = rankQueue(store->session(), *f.state, queueRank(order), shown, *m_prices);
        if (!r) {
            dropStore(); // the database may have gone away: reconnect next time
            emit queueLoaded(lane, {}, 0, r.error().message);
            return;
        }
        ranked = std::move(r.value());
        for (const VersionRef &ref : ranked)
            f.entryIds.push_back(ref.entryId);
        f.limit = std::max<int>(shown, int(ranked.size()) * 4); // an entry may have several versions waiting
    }
    auto items = order == QueueSort::Demand || !ranked.empty()
        ? store->queue(f)
        : Result<std::vector<QueueItem>>(std::vector<QueueItem> {});
    auto count = countInState(store->session(), *f.state);
    if (!items || !count) {
        dropStore();
        emit queueLoaded(lane, {}, 0, items ? count.error().message : items.error().message);
        return;
    }
    if (order != QueueSort::Demand) {
        // The page in the ranked order.
        QHash<QPair<qint64, int>, int> rank;
        for (int i = 0; i < int(ranked.size()); ++i)
            rank.insert({ ranked[size_t(i)].entryId, ranked[size_t(i)].version }, i);
        std::vector<QueueItem> page(ranked.size());
        std::vector<bool> filled(ranked.size(), false);
        for (QueueItem &item : *items) {
            const int at = rank.value({ item.entryId, item.version }, -1);
            if (at >= 0) {
                page[size_t(at)] = std::move(item);
                filled[size_t(at)] = true;
            }
        }
        std::vector<QueueItem> shownItems;
        for (size_t i = 0; i < page.size(); ++i) {
            if (filled[i]) // a version decided between the two reads drops out
                shownItems.push_back(std::move(page[i]));
        }
        *items = std::move(shownItems);
    }
    // Every lane says what it holds, not only the one shown.
    QList<qint64> counts;
    for (int other = 0; other < 4; ++other) {
        if (other == lane) {
            counts << *count;
            continue;
        }
        auto n = countInState(store->session(), laneState(other));
        counts << (n ? *n : -1);
    }
    emit laneCountsLoaded(counts);
    emit queueLoaded(lane, *items, *count, QString());
}

void ReviewWorker::open(qint64 entryId, int version)
{
    ItemDetail d;
    d.entryId = entryId;
    d.version = version;
    QString error;
    SqlSession *s = m_store.session(&error);
    if (!s) {
        d.error = error;
        emit opened(d);
        return;
    }
    auto row = versionForReview(*s, entryId, version);
    if (!row || !*row) {
        d.error = row ? tr("no such version") : row.error().message;
        emit opened(d);
        return;
    }
    const VersionForReview &r = **row;
    d.state = r.state;
    d.risk = r.risk;
    d.text = answerText(r.content);
    d.findings = r.findings;
    d.tenant = r.tenant;
    d.author = r.author;
    d.model = r.modelUsed;
    const qint64 now = m_clock->nowMs();
    // Waiting items are claimed while open; someone else's lease makes the view read only.
    if (d.state == QLatin1String("pending") || d.state == QLatin1String("needs_second")) {
        auto claim = claimItem(*s, entryId, version, m_reviewer, kLeaseMs, now);
        if (!claim)
            d.claimedBy = r.claimedBy.isEmpty() ? claim.error().message : r.claimedBy;
    }
    auto approved = approvedVersionBesides(*s, entryId, version);
    if (approved && *approved) {
        d.approvedVersion = (*approved)->version;
        d.approvedText = answerText((*approved)->content);
    }
    // Each distinct query once, the most asked first, with how often it came.
    if (auto queries = entryQueries(*s, entryId)) {
        for (const EntryQuery &q : *queries) {
            d.queries << (q.times > 1 ? tr("%1 (×%2)").arg(q.query).arg(q.times) : q.query);
            if (d.query.isEmpty())
                d.query = q.query;
        }
    }
    bool decidedByMe = false;
    if (auto a = approvalsFor(*s, entryId, version)) {
        for (const ApprovalRecord &rec : *a) {
            d.approvals += rec.decision == QLatin1String("approve") ? 1 : 0;
            decidedByMe = decidedByMe || rec.reviewer == m_reviewer;
        }
    }
    // The second reviewer judges on their own: the first decision's author and note come after.
    d.blind = d.state == QLatin1String("needs_second") && !decidedByMe;
    if (auto history = reviewHistory(*s, entryId)) {
        for (const ReviewedVersion &h : *history) {
            QString line = tr("v%1 %2 by %3").arg(QString::number(h.version), stateLabel(h.state), h.author);
            if (!(d.blind && h.version == version)) {
                if (!h.decidedBy.isEmpty())
                    line += tr(", decided by %1").arg(h.decidedBy);
                if (!h.reason.isEmpty())
                    line += QStringLiteral(" (%1)").arg(h.reason);
            }
            d.history << line;
            if (h.version != version
                && (h.state == QLatin1String("pending") || h.state == QLatin1String("needs_second")))
                d.alternatives.push_back({ h.version, h.modelUsed, h.author, answerText(h.content) });
        }
    }
    d.required = requiredApprovals(d.risk);
    emit opened(d);
}

void ReviewWorker::approve(qint64 entryId, int version, std::shared_ptr<const SigningKey> key)
{
    decide(entryId, version, true, key, QString());
}

void ReviewWorker::reject(qint64 entryId, int version, std::shared_ptr<const SigningKey> key, const QString &reason)
{
    decide(entryId, version, false, key, reason);
}

void ReviewWorker::requeue(
    qint64 entryId, int version, std::shared_ptr<const SigningKey> key, const QString &reason, int requeueFor)
{
    QString error;
    SqlSession *s = m_store.session(&error);
    if (!s || !key) {
        emit failed(s ? tr("load your reviewer key first (File > Load reviewer key)") : error);
        return;
    }
    const auto to = RequeueFor(requeueFor) == RequeueFor::Edit ? RequeueFor::Edit : RequeueFor::OtherModel;
    auto r = requeueSigned(*s, entryId, version, to, *key, reason, m_clock->nowMs());
    if (!r) {
        emit failed(r.error().message);
        return;
    }
    (void)releaseItem(*s, entryId, r->rejected.version, m_reviewer);
    emit requeued(entryId, r->rejected.version, r->newVersion,
        to == RequeueFor::Edit ? tr("rejected and requeued for an edit as v%1").arg(r->newVersion)
                               : tr("rejected and requeued for another model's answer as v%1").arg(r->newVersion));
}

void ReviewWorker::decide(
    qint64 entryId, int version, bool approve, const std::shared_ptr<const SigningKey> &key, const QString &reason)
{
    QString error;
    SqlSession *s = m_store.session(&error);
    if (!s || !key) {
        emit failed(s ? tr("load your reviewer key first (File > Load reviewer key)") : error);
        return;
    }
    auto d = decideSigned(*s, entryId, version, approve, *key, reason, m_clock->nowMs());
    if (!d) {
        emit failed(d.error().message);
        return;
    }
    (void)releaseItem(*s, entryId, version, m_reviewer);
    QString message = tr("rejected");
    if (approve)
        message = d->state == VersionState::NeedsSecond
            ? tr("approved: %1 of %2 approvals").arg(d->approvals).arg(d->required)
            : tr("approved");
    emit decided(entryId, version, message);
}

void ReviewWorker::prefer(qint64 entryId, int winner, int loser, std::shared_ptr<const SigningKey> key)
{
    QString error;
    SqlSession *s = m_store.session(&error);
    if (!s || !key) {
        emit failed(s ? tr("load your reviewer key first (File > Load reviewer key)") : error);
        return;
    }
    const qint64 now = m_clock->nowMs();
    // The rival may be open in someone else's console: not decided behind their back.
    for (int v : { winner, loser }) {
        if (auto claim = claimItem(*s, entryId, v, m_reviewer, kLeaseMs, now); !claim) {
            emit failed(claim.error().message);
            return;
        }
    }
    auto reason = rejectionReason(
        QStringLiteral("other"), QStringLiteral("version %1 was preferred in an A/B comparison").arg(winner));
    auto d = withTransaction(*s, [&]() -> Result<SignedDecision> {
        auto won = decideSigned(*s, entryId, winner, true, *key, QString(), now);
        if (!won)
            return won;
        if (auto lost = decideSigned(*s, entryId, loser, false, *key, *reason, now); !lost)
            return lost.error();
        return won;
    });
    if (!d) {
        emit failed(d.error().message);
        return;
    }
    (void)releaseItem(*s, entryId, winner, m_reviewer);
    (void)releaseItem(*s, entryId, loser, m_reviewer);
    emit decided(entryId, winner,
        tr("v%1 preferred over v%2: %3").arg(winner).arg(loser).arg(QString::fromLatin1(versionStateName(d->state))));
}

void ReviewWorker::undo(qint64 entryId, int version, int kind, std::shared_ptr<const SigningKey> key)
{
    QString error;
    SqlSession *s = m_store.session(&error);
    if (!s) {
        emit failed(error);
        return;
    }
    const qint64 now = m_clock->nowMs();
    if (UndoKind(kind) == UndoKind::Edit) {
        if (auto w = withdrawEdit(*s, entryId, version, m_reviewer, now); !w) {
            emit failed(w.error().message);
            return;
        }
        emit undone(
            entryId, version, QStringLiteral("revoked"), tr("your edit %1@%2 was withdrawn").arg(entryId).arg(version));
        return;
    }
    if (!key) {
        emit failed(tr("load your reviewer key first (File > Load reviewer key)"));
        return;
    }
    auto w = withdrawDecision(*s, entryId, version, *key, now);
    if (!w) {
        emit failed(w.error().message);
        return;
    }
    const QString state = QString::fromLatin1(versionStateName(w->state));
    emit undone(entryId, version, state,
        tr("decision on %1@%2 withdrawn: %3, %4 of %5 approvals")
            .arg(entryId)
            .arg(version)
            .arg(state)
            .arg(w->approvals)
            .arg(w->required));
}

void ReviewWorker::edit(qint64 entryId, int version, const QString &text)
{
    QString error;
    SqlSession *s = m_store.session(&error);
    if (!s) {
        emit failed(error);
        return;
    }
    // The edited text gets its own safety pass; the engine keeps the risk from dropping.
    static const SafetyScanner scanner;
    auto v = editVersion(*s, entryId, version, text, m_reviewer, m_clock->nowMs(), scanner.report(text));
    if (!v) {
        emit failed(v.error().message);
        return;
    }
    (void)releaseItem(*s, entryId, version, m_reviewer);
    emit decided(entryId, *v, tr("edited: version %1 waits for another reviewer").arg(*v));
}

void ReviewWorker::renew(qint64 entryId, int version)
{
    QString error;
    if (SqlSession *s = m_store.session(&error))
        (void)claimItem(*s, entryId, version, m_reviewer, kLeaseMs, m_clock->nowMs());
}

void ReviewWorker::watch()
{
    armListen();
    // The safety net (and all there is on SQLite): a cheap look at the queue's state.
    if (!m_poll) {
        m_poll = new QTimer(this);
        // Also with LISTEN: a notification that arrives while a query runs is read by libpq with
        // the query's answer, and the socket never signals it.
        m_poll->setInterval(1'000);
        auto poll = [this] {
            QString e;
            SqlSession *s = m_store.session(&e);
            if (!s)
                return;
            if (!m_notifier)
                armListen(); // the connection came back
            auto r = queueFingerprint(*s);
            if (!r) {
                dropStore(); // gone away: the next look reconnects
                return;
            }
            if (m_lost) { // back: the view reloads (and its error goes)
                m_lost = false;
                emit changed();
            }
            const QByteArray state = *r;
            if (!m_lastState.isEmpty() && state != m_lastState)
                emit changed();
            m_lastState = state;
        };
        poll(); // the state the first queue load will show
        connect(m_poll, &QTimer::timeout, this, poll);
        m_poll->start();
    }
}

void ReviewWorker::dropStore()
{
    // The notifier watches the connection's socket: it goes with it.
    if (m_notifier) {
        m_notifier->setEnabled(false);
        m_notifier->deleteLater();
        m_notifier = nullptr;
    }
    m_store.reset();
    m_lost = true;
}

void ReviewWorker::armListen()
{
    QString error;
    if (!m_store.session(&error))
        return;
    Store *store = m_store.get(&error);
    if (store && store->listenForChanges() && store->changeSocket() >= 0) {
        delete m_notifier;
        m_notifier = new QSocketNotifier(qintptr(store->changeSocket()), QSocketNotifier::Read, this);
        connect(m_notifier, &QSocketNotifier::activated, this, [this, store] {
            const int n = store->takeNotifications();
            if (n < 0) { // connection lost: poll until it is back
                dropStore();
                return;
            }
            if (n > 0)
                emit changed();
        });
    }
}

void ReviewWorker::release(qint64 entryId, int version)
{
    QString error;
    if (SqlSession *s = m_store.session(&error))
        (void)releaseItem(*s, entryId, version, m_reviewer);
}

} // namespace l0::ui
