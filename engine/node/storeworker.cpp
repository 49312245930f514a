#include "storeworker.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSocketNotifier>
#include <QThread>

#include <algorithm>
#include <tuple>

#include "cache/hotcache.h"
#include "core/clock.h"
#include "core/logging.h"
#include "core/text.h"
#include "ledger/budget.h"
#include "ledger/retention.h"
#include "normalize/intentmatcher.h"
#include "normalize/packdirectory.h"
#include "normalize/rulepack.h"
#include "review/safetyprofile.h"
#include "review/safetyscanner.h"
#include "store/aliasrules.h"
#include "store/experimentrules.h"
#include "store/journal.h"
#include "tenantdirectory.h"
#include "trust/aliasdecisions.h"
#include "trust/approvals.h"
#include "trust/chaingate.h"
#include "trust/reviewqueue.h"

namespace l0 {

namespace {
constexpr int kFlushIntervalMs = 20;
constexpr int kChangeBatch = 5000;
} // namespace

StoreWorker::StoreWorker(
    QString url, HotCache *cache, TenantDirectory *tenants, PackDirectory *packs, int syncIntervalMs)
    : m_url(std::move(url))
    , m_cache(cache)
    , m_tenants(tenants)
    , m_packs(packs)
    , m_syncIntervalMs(qMax(50, syncIntervalMs))
    , m_gate(std::make_unique<ChainGate>())
{
}

QByteArray StoreWorker::renderTrustMetrics() const
{
    return m_gate->renderMetrics(m_pins.empty());
}

StoreWorker::~StoreWorker()
{
    stop();
}

Status StoreWorker::start()
{
    if (auto profiles = loadSafetyProfiles(); !profiles)
        return profiles;
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("store"));
    moveToThread(m_thread.get());
    m_thread->start();
    QMetaObject::invokeMethod(this, &StoreWorker::open, Qt::BlockingQueuedConnection);
    return m_startStatus;
}

void StoreWorker::open()
{
    auto store = openStore(m_url);
    if (!store) {
        m_startStatus = store.error();
        return;
    }
    m_store = std::move(store.value());
    m_store->setClock(m_clock); // leases, lifetimes and stamps run on the node's clock
    if (auto s = m_store->checkSession(); !s) {
        m_startStatus = s;
        return;
    }
    if (auto s = m_store->checkSchema(); !s) {
        m_startStatus = s;
        return;
    }
    m_nodeId = randomBytes(6).toHex();
    if (!m_journalBase.isEmpty()) {
        auto j = Journal::open(m_journalBase);
        if (!j) {
            m_startStatus = j.error();
            return;
        }
        m_journal = std::move(j.value());
        if (auto s = replayJournal(); !s) {
            m_startStatus = s;
            return;
        }
    }
    sync();
    if (!m_ready) {
        m_startStatus = makeError(ErrorCode::Unavailable, QStringLiteral("could not read the store at start"));
        return;
    }
    listen();
    m_timer = new QTimer(this);
    m_timer->setInterval(kFlushIntervalMs);
    connect(m_timer, &QTimer::timeout, this, &StoreWorker::tick);
    m_timer->start();
}

void StoreWorker::stop()
{
    if (!m_thread)
        return;
    if (m_thread->isRunning()) {
        QMetaObject::invokeMethod(
            this,
            [this] {
                delete m_timer;
                m_timer = nullptr;
                delete m_notifier;
                m_notifier = nullptr;
                if (m_store)
                    flush();
                m_store.reset();
                // Hand the object back so it can be destroyed on the owner's thread.
                moveToThread(QCoreApplication::instance() ? QCoreApplication::instance()->thread() : nullptr);
            },
            Qt::BlockingQueuedConnection);
        m_thread->quit();
        m_thread->wait();
    }
    m_thread.reset();
}

Status StoreWorker::replayJournal()
{
    qint64 candidates = 0, events = 0, feedback = 0, nearMisses = 0;
    for (const QString &segment : m_journal->closedSegments()) {
        auto records = Journal::readSegment(segment);
        if (!records)
            return records.error();
        std::vector<CostEvent> ledger;
        std::vector<ResponseFeedback> scores;
        for (const QByteArray &r : *records) {
            Candidate c;
            CostEvent e;
            Feedback f;
            bool isCandidate = false;
            AliasProposal p;
            if (journalAliasProposal(r, &p)) {
                if (auto receipt = addAliasProposal(m_store->session(), p);
                    !receipt && receipt.error().code != ErrorCode::NotFound)
                    return receipt.error();
                ++nearMisses;
                continue;
            }
            ResponseFeedback score;
            if (journalResponseFeedback(r, &score)) {
                scores.push_back(std::move(score)); // after the segment's ledger events: they name the response
                continue;
            }
            if (journalFeedback(r, &f)) {
                if (auto s = m_store->addFeedback(f); !s && s.error().code != ErrorCode::NotFound)
                    return s;
                ++feedback;
                continue;
            }
            if (!journalRecord(r, &c, &e, &isCandidate))
                continue;
            if (isCandidate) {
                scoreCandidate(c);
                if (auto receipt = m_store->addCandidate(c); !receipt)
                    return receipt.error();
                ++candidates;
            } else {
                ledger.push_back(std::move(e));
            }
        }
        if (auto s = m_store->appendLedger(ledger); !s)
            return s;
        events += qint64(ledger.size());
        for (const ResponseFeedback &score : scores) {
            if (auto s = m_store->addResponseFeedback(score); !s && s.error().code != ErrorCode::NotFound)
                return s;
            ++feedback;
        }
        QFile::remove(segment);
    }
    if (candidates + events + feedback + nearMisses > 0)
        qCInfo(lcStore) << "replayed the journal:" << candidates << "candidates," << events << "ledger events,"
                        << feedback << "feedback," << nearMisses << "alias proposals (each applied once)";
    return {};
}

QString StoreWorker::nextUid()
{
    return QString::fromLatin1(m_nodeId) + QLatin1Char('-') + QString::number(++m_nextUid);
}

// The records go to the journal before anything is acknowledged, and what they stand for to the
// queues, both under the rotation lock: a segment that flush() closes holds exactly its batch.
template <typename Enqueue>
void StoreWorker::journalThenQueue(std::initializer_list<QByteArray> records, Enqueue enqueue)
{
    std::shared_lock rotate(m_rotateLock);
    if (m_journal) {
        if (auto s = m_journal->append(records); !s)
            qCCritical(lcStore) << "journal:" << s.error().message;
    }
    std::lock_guard lock(m_queueMutex);
    enqueue();
}

void StoreWorker::submitCandidate(Candidate candidate)
{
    QByteArray record;
    if (m_journal) {
        candidate.uid = nextUid();
        record = candidateToJournal(candidate);
    }
    journalThenQueue({ record }, [&] { m_candidates.push_back(std::move(candidate)); });
}

void StoreWorker::submitLedger(CostEvent event)
{
    QByteArray record;
    if (m_journal) {
        event.uid = nextUid();
        record = ledgerToJournal(event);
    }
    journalThenQueue({ record }, [&] { m_ledger.push_back(std::move(event)); });
}

void StoreWorker::submitAnswer(CostEvent event, Candidate candidate)
{
    QByteArray eventRecord, candidateRecord;
    if (m_journal) {
        event.uid = nextUid();
        candidate.uid = nextUid();
        eventRecord = ledgerToJournal(event);
        candidateRecord = candidateToJournal(candidate);
    }
    journalThenQueue({ eventRecord, candidateRecord }, [&] {
        m_ledger.push_back(std::move(event));
        m_candidates.push_back(std::move(candidate));
    });
}

void StoreWorker::submitFeedback(Feedback feedback)
{
    // Always a uid, journal or not: a retried write must not count twice.
    feedback.uid = nextUid();
    const QByteArray record = m_journal ? feedbackToJournal(feedback) : QByteArray();
    journalThenQueue({ record }, [&] { m_feedback.push_back(std::move(feedback)); });
}

void StoreWorker::submitResponseFeedback(ResponseFeedback feedback)
{
    feedback.uid = nextUid();
    const QByteArray record = m_journal ? responseFeedbackToJournal(feedback) : QByteArray();
    journalThenQueue({ record }, [&] { m_scores.push_back(std::move(feedback)); });
}

void StoreWorker::submitNearMiss(AliasProposal proposal)
{
    // Always a uid, journal or not: a retried write must not count twice.
    proposal.uid = nextUid();
    if (proposal.createdMs <= 0)
        proposal.createdMs = m_clock->nowMs();
    const QByteArray record = m_journal ? aliasProposalToJournal(proposal) : QByteArray();
    journalThenQueue({ record }, [&] { m_nearMisses.push_back(std::move(proposal)); });
}

qint64 StoreWorker::pendingWrites() const
{
    std::lock_guard lock(m_queueMutex);
    return qint64(m_candidates.size() + m_ledger.size() + m_feedback.size() + m_scores.size() + m_nearMisses.size());
}

bool StoreWorker::writeNearMisses(std::vector<AliasProposal> &nearMisses)
{
    size_t done = 0;
    for (; done < nearMisses.size(); ++done) {
        auto receipt = addAliasProposal(m_store->session(), nearMisses[done]);
        if (receipt)
            continue;
        if (receipt.error().code == ErrorCode::Unavailable) {
            markUnavailable(receipt.error());
            break;
        }
        // The entry is gone or not the tenant's: nothing to propose.
        qCWarning(lcStore) << "alias proposal refused by the store:" << receipt.error().message;
    }
    if (done == nearMisses.size())
        return true;
    std::lock_guard lock(m_queueMutex);
    m_nearMisses.insert(m_nearMisses.begin(), std::make_move_iterator(nearMisses.begin() + qsizetype(done)),
        std::make_move_iterator(nearMisses.end()));
    return false;
}

bool StoreWorker::syncAliases(const std::vector<ReviewerRecord> &reviewers)
{
    constexpr int kAliasBatch = 5000;
    for (;;) {
        auto decided = aliasDecisionsSince(m_store->session(), m_lastAliasSeq, kAliasBatch);
        if (!decided) {
            markUnavailable(decided.error());
            return false;
        }
        if (auto g = m_gate->advance(m_store->session()); !g) {
            markUnavailable(g.error());
            return false;
        }
        for (const AliasProposalRecord &a : *decided) {
            m_lastAliasSeq = qMax(m_lastAliasSeq, a.seq);
            bool admitted = m_gate->admitAlias(a);
            QString why;
            if (admitted && !m_pins.empty() && !aliasDecisionVerifies(a, reviewers, m_pins, &why)) {
                qCWarning(lcStore) << "not using alias decision" << a.id << "on entry" << a.entryId << "-" << why;
                admitted = false;
            }
            // Someone with write access to the database alone cannot make this node serve an alias.
            if (a.confirmed())
                m_cache->setAlias(a.tenantId, a.queryKey, a.entryId, admitted);
            if (admitted && m_verdicts)
                m_verdicts(AliasVerdict {
                    a.tenantId, a.ns, a.entryId, a.version, a.queryKey, a.similarity, a.confirmed(), a.decidedMs });
        }
        if (int(decided->size()) < kAliasBatch)
            return true;
    }
}

void StoreWorker::syncNow()
{
    QMetaObject::invokeMethod(
        this,
        [this] {
            flush();
            sync();
        },
        Qt::BlockingQueuedConnection);
}

// Where the store pushes changes (PostgreSQL: LISTEN), sync as soon as a notification arrives.
// The periodic sync stays as the safety net (and is all there is on SQLite).
void StoreWorker::listen()
{
    Store *store = m_store.get();
    if (!store)
        return;
    if (m_notifier && m_listenSocket == store->changeSocket())
        return;
    delete m_notifier;
    m_notifier = nullptr;
    if (auto s = store->listenForChanges(); !s) {
        qCWarning(lcStore) << "LISTEN failed, relying on polling:" << s.error().message;
        return;
    }
    m_listenSocket = store->changeSocket();
    if (m_listenSocket < 0)
        return; // nothing is pushed by this store
    m_notifier = new QSocketNotifier(qintptr(m_listenSocket), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this, store] {
        const int n = store->takeNotifications();
        if (n < 0) {
            // The connection went away: stop watching its socket; sync reconnects and listens again.
            m_notifier->setEnabled(false);
            m_notifier->deleteLater();
            m_notifier = nullptr;
            m_listenSocket = -1;
            return;
        }
        if (n > 0)
            sync();
    });
}

void StoreWorker::markUnavailable(const Error &error)
{
    // Logged once per outage, not on every retry.
    if (m_ready.exchange(false) || m_outageStartMs == 0) {
        m_outageStartMs = m_clock->nowMs();
        qCWarning(lcStore) << "store unavailable; serving from memory and keeping writes queued:" << error.message;
    }
}

void StoreWorker::tick()
{
    if (m_journal)
        (void)m_journal->sync(); // group fsync: power loss costs at most one tick
    flush();
    const qint64 now = m_clock->nowMs();
    if (now - m_lastSyncMs >= m_syncIntervalMs)
        sync();
}

void StoreWorker::flush()
{
    if (!m_store)
        return;
    // While the store is down, writes are retried with each sync rather than every tick.
    if (!m_ready && m_clock->nowMs() - m_lastSyncMs < m_syncIntervalMs)
        return;
    std::vector<Candidate> candidates;
    std::vector<CostEvent> ledger;
    std::vector<Feedback> feedback;
    std::vector<ResponseFeedback> scores;
    std::vector<AliasProposal> nearMisses;
    {
        std::unique_lock rotate(m_rotateLock);
        std::lock_guard lock(m_queueMutex);
        candidates.swap(m_candidates);
        ledger.swap(m_ledger);
        feedback.swap(m_feedback);
        scores.swap(m_scores);
        nearMisses.swap(m_nearMisses);
        // The closed segment holds exactly this batch (and older, still unconfirmed ones).
        if (m_journal
            && (!candidates.empty() || !ledger.empty() || !feedback.empty() || !scores.empty()
                || !nearMisses.empty())) {
            if (auto closed = m_journal->rotate())
                m_unconfirmedSegments << *closed;
        }
    }
    if (candidates.empty() && ledger.empty() && feedback.empty() && scores.empty() && nearMisses.empty())
        return;
    const size_t done = writeCandidates(candidates);
    // Proposals name approved entries, so the candidates above never hold what they need.
    const bool nearMissesOk = done == candidates.size() ? writeNearMisses(nearMisses) : [&] {
        std::lock_guard lock(m_queueMutex);
        m_nearMisses.insert(m_nearMisses.begin(), std::make_move_iterator(nearMisses.begin()),
            std::make_move_iterator(nearMisses.end()));
        return false;
    }();
    bool ledgerOk = true;
    if (!ledger.empty()) {
        if (auto s = m_store->appendLedger(ledger); !s) {
            if (s.error().code == ErrorCode::Unavailable) {
                markUnavailable(s.error());
                ledgerOk = false;
            } else {
                // One bad event must not hold back the others: write them one by one and set
                // aside only what the store refuses.
                for (const CostEvent &e : ledger) {
                    if (auto one = m_store->appendLedger({ e }); !one)
                        qCWarning(lcLedger) << "ledger event refused by the store:" << one.error().message;
                }
            }
        }
    }
    size_t feedbackDone = 0;
    if (ledgerOk) {
        for (; feedbackDone < feedback.size(); ++feedbackDone) {
            auto s = m_store->addFeedback(feedback[feedbackDone]);
            if (s)
                continue;
            if (s.error().code == ErrorCode::Unavailable) {
                markUnavailable(s.error());
                break;
            }
            // The entry is gone or not the tenant's: nothing to attach it to.
            qCWarning(lcStore) << "feedback refused by the store:" << s.error().message;
        }
    }
    size_t scoresDone = 0;
    if (ledgerOk && feedbackDone == feedback.size()) {
        for (; scoresDone < scores.size(); ++scoresDone) {
            auto s = m_store->addResponseFeedback(scores[scoresDone]);
            if (s)
                continue;
            if (s.error().code == ErrorCode::Unavailable) {
                markUnavailable(s.error());
                break;
            }
            qCWarning(lcStore) << "response feedback refused by the store:" << s.error().message;
        }
    }
    const bool feedbackOk = feedbackDone == feedback.size() && scoresDone == scores.size();
    if (done == candidates.size() && ledgerOk && feedbackOk && nearMissesOk) {
        // All in the database: the journal segments up to this batch can go.
        for (const QString &segment : std::as_const(m_unconfirmedSegments))
            QFile::remove(segment);
        m_unconfirmedSegments.clear();
    }
    if (done < candidates.size() || !ledgerOk || !feedbackOk) {
        std::lock_guard lock(m_queueMutex);
        if (!feedbackOk) {
            m_feedback.insert(m_feedback.begin(), std::make_move_iterator(feedback.begin() + qsizetype(feedbackDone)),
                std::make_move_iterator(feedback.end()));
            m_scores.insert(m_scores.begin(), std::make_move_iterator(scores.begin() + qsizetype(scoresDone)),
                std::make_move_iterator(scores.end()));
        }
        if (done < candidates.size())
            m_candidates.insert(m_candidates.begin(), std::make_move_iterator(candidates.begin() + qsizetype(done)),
                std::make_move_iterator(candidates.end()));
        if (!ledgerOk)
            m_ledger.insert(
                m_ledger.begin(), std::make_move_iterator(ledger.begin()), std::make_move_iterator(ledger.end()));
    }
}

size_t StoreWorker::writeCandidates(std::vector<Candidate> &candidates)
{
    // The safety pass decides each candidate's risk (high needs two reviewers); here, off the
    // request threads, and before the write transaction takes the store's lock.
    for (Candidate &c : candidates) {
        if (!c.riskScanned)
            scoreCandidate(c);
    }
    if (candidates.size() > 1) {
        // One transaction (one commit, one fsync) for the whole batch. Entries are locked in one
        // order, so that nodes writing overlapping batches do not wait on each other in a circle.
        std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate &a, const Candidate &b) {
            return std::tie(a.tenantId, a.tier, a.cacheKey) < std::tie(b.tenantId, b.tier, b.cacheKey);
        });
        auto batch = withTransaction(m_store->session(), [&]() -> Status {
            for (const Candidate &c : candidates) {
                if (auto receipt = m_store->addCandidate(c); !receipt)
                    return receipt.error();
            }
            return {};
        });
        if (batch)
            return candidates.size();
        if (batch.error().code == ErrorCode::Unavailable) {
            markUnavailable(batch.error());
            return 0; // rolled back: all of it stays queued
        }
        // One candidate the store refuses must not cost the others: the batch was rolled back
        // (on PostgreSQL a failed statement spoils the transaction), so write them one by one.
    }
    size_t done = 0;
    for (; done < candidates.size(); ++done) {
        auto receipt = m_store->addCandidate(candidates[done]);
        if (!receipt) {
            if (receipt.error().code != ErrorCode::Unavailable) {
                qCWarning(lcStore) << "dropping a candidate the store refuses:" << receipt.error().toString();
                continue;
            }
            markUnavailable(receipt.error());
            break;
        }
    }
    return done;
}

void StoreWorker::refreshSpentBudgets(const std::vector<Tenant> &tenants)
{
    QHash<QString, qint64> hard; // tenants whose budget stops misses, by name
    for (const Tenant &t : tenants) {
        if (t.limits.hardBudget)
            hard.insert(t.name, t.id);
    }
    QSet<qint64> spent;
    if (!hard.isEmpty()) {
        auto status = budgetStatus(m_store->session(), m_budgetZone, m_clock->nowMs());
        if (!status) {
            // Keep what was known: a failed read neither blocks nor frees anyone.
            qCWarning(lcStore) << "cannot read monthly budgets:" << status.error().message;
            return;
        }
        for (const BudgetStatus &b : *status) {
            if (b.level == BudgetStatus::Level::Over && hard.contains(b.tenant))
                spent.insert(hard.value(b.tenant));
        }
    }
    m_tenants->setBudgetSpent(std::move(spent));
}

void StoreWorker::sync()
{
    if (!m_store)
        return;
    m_lastSyncMs = m_clock->nowMs();
    auto tenants = m_store->tenants();
    auto keys = m_store->activeKeys();
    if (!tenants || !keys) {
        markUnavailable(!tenants ? tenants.error() : keys.error());
        return;
    }
    m_tenants->replace(*tenants, *keys);
    refreshSpentBudgets(*tenants);
    if (auto experiments = runningExperiments(m_store->session()); experiments)
        m_tenants->setExperiments(*experiments);
    else // keep what was known: a failed read neither starts nor ends an experiment
        qCWarning(lcStore) << "cannot read running experiments:" << experiments.error().message;
    auto packs = m_store->rulePackChangesSince(m_lastPackSeq);
    if (!packs) {
        markUnavailable(packs.error());
        return;
    }
    if (auto g = m_gate->advance(m_store->session()); !g) {
        markUnavailable(g.error());
        return;
    }
    for (const RulePackRecord &p : *packs) {
        m_lastPackSeq = qMax(m_lastPackSeq, p.seq);
        if (m_gate->admitPack(p) && p.state == QLatin1String("active")) {
            auto pack = RulePack::fromJson(p.content);
            if (!pack) {
                // Activated packs were checked when published; a broken one is never half-used.
                qCWarning(lcNormalize) << "active rule pack" << p.id << "of tenant" << p.tenant
                                       << "does not load:" << pack.error().message;
                m_packs->retire(p.tenantId, p.id);
                continue;
            }
            m_packs->set(p.tenantId, p.id, std::make_shared<IntentMatcher>(*pack));
            qCInfo(lcNormalize) << "tenant" << p.tenant << "now uses rule pack" << (*pack)->id();
        } else {
            m_packs->retire(p.tenantId, p.id);
        }
    }
    std::vector<ReviewerRecord> reviewers;
    if (!m_pins.empty()) {
        auto r = listReviewers(m_store->session());
        if (!r) {
            markUnavailable(r.error());
            return;
        }
        reviewers = std::move(r.value());
    }
    for (;;) {
        auto changes = m_store->changesSince(m_lastSeq, kChangeBatch);
        if (!changes) {
            markUnavailable(changes.error());
            return;
        }
        if (auto g = m_gate->advance(m_store->session()); !g) {
            markUnavailable(g.error());
            return;
        }
        for (VersionChange &c : *changes) {
            m_lastSeq = qMax(m_lastSeq, c.seq);
            if (!m_gate->admitVersion(c))
                c.state = VersionState::Revoked; // removes it from memory, if there
            else if (!m_pins.empty() && c.state == VersionState::Approved) {
                // Someone with write access to the database alone cannot make this node serve.
                auto approvals = approvalsFor(m_store->session(), c.entryId, c.version);
                if (!approvals) {
                    markUnavailable(approvals.error());
                    return;
                }
                QString why;
                if (!approvalsVerify(c.content, c.risk, c.author, *approvals, reviewers, m_pins, &why)) {
                    qCWarning(lcStore) << "not serving entry" << c.entryId << "version" << c.version << "-" << why;
                    c.state = VersionState::Revoked; // removes it from memory, if there
                }
            }
            m_cache->apply(c);
            if (m_changeListener)
                m_changeListener(c);
        }
        if (int(changes->size()) < kChangeBatch)
            break;
    }
    if (!syncAliases(reviewers))
        return;
    maintainLedgerHourly();
    if (!m_notifier)
        listen(); // after a reconnect
    if (!m_ready.exchange(true) && m_outageStartMs > 0) {
        qCInfo(lcStore) << "store reachable again after" << (m_clock->nowMs() - m_outageStartMs) << "ms;"
                        << pendingWrites() << "writes queued";
        m_outageStartMs = 0;
    }
}

void StoreWorker::maintainLedgerHourly()
{
    constexpr qint64 kEveryMs = 3'600'000;
    const qint64 now = m_clock->nowMs();
    if (m_lastLedgerMaintenanceMs > 0 && now - m_lastLedgerMaintenanceMs < kEveryMs)
        return;
    auto done = maintainLedger(m_store->session(), now);
    if (!done) {
        // Not a reason to stop serving: partitions are made on demand too. Tried again next hour.
        qCWarning(lcStore) << "ledger maintenance failed:" << done.error().message;
    } else {
        for (const QString &p : std::as_const(done->created))
            qCInfo(lcStore) << "made ledger partition" << p << "ahead";
        for (const QString &p : std::as_const(done->dropped))
            qCInfo(lcStore) << "dropped ledger partition" << p << "(past the raw retention; rollups kept)";
        for (const QString &p : std::as_const(done->busy))
            qCInfo(lcStore) << "ledger partition" << p << "is past the raw retention but busy; next hour";
        if (done->deletedEvents > 0)
            qCInfo(lcStore) << "deleted" << done->deletedEvents << "raw ledger events past the retention";
        if (done->moreToDelete) // go on at the next sync, between flushes
            return;
    }
    m_lastLedgerMaintenanceMs = now;
}

const SafetyScanner &StoreWorker::scannerFor(qint64 tenantId) const
{
    if (!m_tenantScanners.isEmpty()) {
        if (const auto t = m_tenants->tenant(tenantId)) {
            const auto it = m_tenantScanners.constFind(t->name);
            if (it != m_tenantScanners.constEnd())
                return *it;
        }
    }
    return m_scanner;
}

void StoreWorker::scoreCandidate(Candidate &c) const
{
    const QJsonObject report = scannerFor(c.tenantId).report(c.result.text());
    c.risk = report.value(QLatin1String("risk")).toString();
    c.findings = QJsonDocument(report).toJson(QJsonDocument::Compact);
    c.riskScanned = true;
}

Status StoreWorker::loadSafetyProfiles()
{
    if (m_safetyDir.isEmpty())
        return {};
    const QDir dir(m_safetyDir);
    if (!dir.exists())
        return makeError(ErrorCode::NotFound, QStringLiteral("safety profiles: no directory %1").arg(m_safetyDir));
    for (const QFileInfo &info : dir.entryInfoList({ QStringLiteral("*.json") }, QDir::Files)) {
        QFile f(info.filePath());
        if (!f.open(QIODevice::ReadOnly))
            return makeError(
                ErrorCode::NotFound, QStringLiteral("cannot read %1: %2").arg(f.fileName(), f.errorString()));
        auto profile = SafetyProfile::withOverrides(f.readAll());
        if (!profile)
            return makeError(profile.error().code, info.filePath() + QStringLiteral(": ") + profile.error().message);
        m_tenantScanners.insert(info.completeBaseName(), SafetyScanner(*profile));
        qCInfo(lcStore) << "tenant" << info.completeBaseName() << "uses safety profile" << info.filePath();
    }
    return {};
}

} // namespace l0
