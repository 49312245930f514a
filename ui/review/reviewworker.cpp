#include "reviewworker.h"
#include "workerthread.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>
#include <QTimer>

#include "core/chat.h"
#include "review/safetyscanner.h"
#include "store/pgstore.h"
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

namespace {

// The first `limit` versions of a lane in an order the store does not give by itself, ranked
// in the database over plain columns (no answer is read): newest, risk, or would-be savings
// with the same integer rounding as PriceTable::cost. Prices are resolved here for the models
// the lane holds and handed over as a small table.
Result<std::vector<std::pair<qint64, int>>> rankLane(
    SqlSession &s, const QString &state, QueueSort order, int limit, const PriceTable &prices)
{
    QString orderBy;
    std::vector<SqlSession::Value> params;
    QString with;
    QString joins;
    if (order == QueueSort::WouldSave) {
        auto models = s.query(QStringLiteral("SELECT DISTINCT e.model FROM versions v JOIN entries e ON e.id = "
                                             "v.entry_id WHERE v.state = ? UNION SELECT DISTINCT model_used FROM "
                                             "versions WHERE state = ?"),
            { SqlSession::str(state), SqlSession::str(state) });
        if (!models)
            return models.error();
        QStringList rows { QStringLiteral("(CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT))") };
        // A typed first row that matches no model (an empty table is not valid SQL).
        params = { SqlSession::str(QStringLiteral(" none")), SqlSession::num(0), SqlSession::num(0) };
        for (const auto &m : *models) {
            if (const auto p = prices.priceFor(m.text(0))) {
                rows << QStringLiteral("(?, ?, ?)");
                params.insert(params.end(),
                    { SqlSession::str(m.text(0)), SqlSession::num(p->inputPerMillion),
                        SqlSession::num(p->outputPerMillion) });
            }
        }
        with = QStringLiteral("WITH p (model, pin, pout) AS (VALUES %1) ").arg(rows.join(QStringLiteral(", ")));
        joins = QStringLiteral(" LEFT JOIN p pr ON pr.model = e.model LEFT JOIN p pu ON pu.model = v.model_used");
        // The requested model's price, else the one that answered; unpriced last.
        const QString pin = QStringLiteral("CASE WHEN pr.model IS NOT NULL THEN pr.pin ELSE pu.pin END");
        const QString pout = QStringLiteral("CASE WHEN pr.model IS NOT NULL THEN pr.pout ELSE pu.pout END");
        orderBy = QStringLiteral("CASE WHEN pr.model IS NULL AND pu.model IS NULL THEN 1 ELSE 0 END, "
                                 "e.demand * ((v.prompt_tokens * %1 + 500000) / 1000000 + "
                                 "(v.completion_tokens * %2 + 500000) / 1000000) DESC, ")
                      .arg(pin, pout);
    } else if (order == QueueSort::Newest) {
        orderBy = QStringLiteral("v.created_ms DESC, ");
    } else {
        orderBy = QStringLiteral("CASE v.risk WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, ");
    }
    params.push_back(SqlSession::str(state));
    params.push_back(SqlSession::num(limit));
    auto rows = s.query(with
            + QStringLiteral("SELECT v.entry_id, v.version FROM versions v JOIN entries e ON e.id = v.entry_id%1 "
                             "WHERE v.state = ? ORDER BY %2e.demand DESC, v.created_ms, v.entry_id, v.version LIMIT ?")
                  .arg(joins, orderBy),
        params);
    if (!rows)
        return rows.error();
    std::vector<std::pair<qint64, int>> out;
    out.reserve(rows->size());
    for (const auto &r : *rows)
        out.emplace_back(r.int64(0), int(r.int64(1)));
    return out;
}

} // namespace

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

ReviewWorker::ReviewWorker(QString url, QString reviewer, std::shared_ptr<const PriceTable> prices)
    : m_reviewer(std::move(reviewer))
    , m_store(std::move(url))
    , m_prices(std::move(prices))
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
    const QString state = QString::fromLatin1(versionStateName(*f.state));
    f.limit = shown;
    std::vector<std::pair<qint64, int>> ranked;
    if (order != QueueSort::Demand) {
        auto r = rankLane(store->session(), state, order, shown, *m_prices);
        if (!r) {
            dropStore(); // the database may have gone away: reconnect next time
            emit queueLoaded(lane, {}, 0, r.error().message);
            return;
        }
        ranked = std::move(r.value());
        for (const auto &[entry, version] : ranked)
            f.entryIds.push_back(entry);
        f.limit = std::max<int>(shown, int(ranked.size()) * 4); // an entry may have several versions waiting
    }
    auto items = order == QueueSort::Demand || !ranked.empty()
        ? store->queue(f)
        : Result<std::vector<QueueItem>>(std::vector<QueueItem> {});
    auto count = store->session().query(
        QStringLiteral("SELECT COUNT(*) FROM versions WHERE state = ?"), { SqlSession::str(state) });
    if (!items || !count) {
        dropStore();
        emit queueLoaded(lane, {}, 0, items ? count.error().message : items.error().message);
        return;
    }
    if (order != QueueSort::Demand) {
        // The page in the ranked order.
        QHash<QPair<qint64, int>, int> rank;
        for (int i = 0; i < int(ranked.size()); ++i)
            rank.insert({ ranked[size_t(i)].first, ranked[size_t(i)].second }, i);
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
    emit queueLoaded(lane, *items, count->at(0).int64(0), QString());
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
    auto row = s->query(
        QStringLiteral("SELECT v.state, v.risk, v.content, v.findings, t.name, v.claimed_by, "
                       "v.claim_expires_ms, v.author, v.model_used FROM versions v JOIN entries e ON e.id = v.entry_id "
                       "JOIN tenants t ON t.id = e.tenant_id WHERE v.entry_id = ? AND v.version = ?"),
        { SqlSession::num(entryId), SqlSession::num(version) });
    if (!row || row->empty()) {
        d.error = row ? tr("no such version") : row.error().message;
        emit opened(d);
        return;
    }
    const auto &r = row->at(0);
    d.state = r.text(0);
    d.risk = r.text(1);
    d.text = answerText(r.text(2));
    d.findings = r.bytes(3);
    d.tenant = r.text(4);
    d.author = r.text(7);
    d.model = r.text(8);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // Waiting items are claimed while open; someone else's lease makes the view read only.
    if (d.state == QLatin1String("pending") || d.state == QLatin1String("needs_second")) {
        auto claim = claimItem(*s, entryId, version, m_reviewer, kLeaseMs, now);
        if (!claim)
            d.claimedBy = r.text(5).isEmpty() ? claim.error().message : r.text(5);
    }
    auto approved = s->query(QStringLiteral("SELECT version, content FROM versions WHERE entry_id = ? AND state = "
                                            "'approved' AND version <> ? ORDER BY version DESC LIMIT 1"),
        { SqlSession::num(entryId), SqlSession::num(version) });
    if (approved && !approved->empty()) {
        d.approvedVersion = int(approved->at(0).int64(0));
        d.approvedText = answerText(approved->at(0).text(1));
    }
    // Each distinct query once, the most asked first, with how often it came.
    auto queries = s->query(QStringLiteral("SELECT query, COUNT(*), MIN(seen_ms) FROM entry_queries WHERE entry_id = ? "
                                           "GROUP BY query ORDER BY COUNT(*) DESC, MIN(seen_ms) LIMIT 20"),
        { SqlSession::num(entryId) });
    if (queries) {
        for (const auto &q : *queries) {
            const qint64 times = q.int64(1);
            d.queries << (times > 1 ? tr("%1 (×%2)").arg(q.text(0)).arg(times) : q.text(0));
            if (d.query.isEmpty())
                d.query = q.text(0);
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
    auto history = s->query(QStringLiteral("SELECT version, state, author, decided_by, reason, model_used, content "
                                           "FROM versions WHERE entry_id = ? ORDER BY version"),
        { SqlSession::num(entryId) });
    if (history) {
        for (const auto &h : *history) {
            const int v = int(h.int64(0));
            QString line = tr("v%1 %2 by %3").arg(h.text(0), stateLabel(h.text(1)), h.text(2));
            if (!(d.blind && v == version)) {
                if (!h.text(3).isEmpty())
                    line += tr(", decided by %1").arg(h.text(3));
                if (!h.text(4).isEmpty())
                    line += QStringLiteral(" (%1)").arg(h.text(4));
            }
            d.history << line;
            if (v != version && (h.text(1) == QLatin1String("pending") || h.text(1) == QLatin1String("needs_second")))
                d.alternatives.push_back({ v, h.text(5), h.text(2), answerText(h.text(6)) });
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

void ReviewWorker::decide(
    qint64 entryId, int version, bool approve, const std::shared_ptr<const SigningKey> &key, const QString &reason)
{
    QString error;
    SqlSession *s = m_store.session(&error);
    if (!s || !key) {
        emit failed(s ? tr("load your reviewer key first (File > Load reviewer key)") : error);
        return;
    }
    auto d = decideSigned(*s, entryId, version, approve, *key, reason, QDateTime::currentMSecsSinceEpoch());
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
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
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
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
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
    auto v = editVersion(
        *s, entryId, version, text, m_reviewer, QDateTime::currentMSecsSinceEpoch(), scanner.report(text));
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
        (void)claimItem(*s, entryId, version, m_reviewer, kLeaseMs, QDateTime::currentMSecsSinceEpoch());
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
    if (auto *pg = dynamic_cast<PgStore *>(m_store.get(&error)); pg && pg->listenForChanges()) {
        delete m_notifier;
        m_notifier = new QSocketNotifier(qintptr(pg->socket()), QSocketNotifier::Read, this);
        connect(m_notifier, &QSocketNotifier::activated, this, [this, pg] {
            const int n = pg->takeNotifications();
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
