#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <condition_variable>
#include <mutex>

#include "cache/exactkey.h"
#include "core/clock.h"
#include "semantic/hashedngramembedder.h"
#include "semantic/semanticcorpus.h"
#include "semantic/semanticindexer.h"
#include "semantic/semantictext.h"
#include "semantic/vectorindexdirectory.h"
#include "store/store.h"
#include "store/vectorstore.h"
#ifdef L0_STORE_PG
#include "pgserver.h"
#endif

using namespace l0;

namespace {

ChatRequest ask(const QString &text)
{
    ChatRequest r;
    r.model = QStringLiteral("gpt-4o-mini");
    r.messages = QJsonArray { QJsonObject {
        { QStringLiteral("role"), QStringLiteral("user") }, { QStringLiteral("content"), text } } };
    return r;
}

// The built-in embedder under another model id, counting its texts, and able to hold embed()
// until released (to put a revocation between the embedding and the insert).
class TestEmbedder final : public Embedder {
public:
    TestEmbedder(QString id, int dims)
        : m_id(std::move(id))
        , m_inner(dims)
    {
    }
    QString modelId() const override { return m_id; }
    int dimensions() const override { return m_inner.dimensions(); }
    bool computesInline() const override { return true; }
    Result<QList<Embedding>> embed(const QStringList &texts) const override
    {
        {
            std::unique_lock lock(m_mutex);
            ++m_entered;
            m_changed.notify_all();
            m_changed.wait(lock, [this] { return !m_hold; });
            m_texts += int(texts.size());
        }
        if (m_fail)
            return makeError(ErrorCode::Unavailable, QStringLiteral("test embedder down"));
        return m_inner.embed(texts);
    }
    void hold(bool on)
    {
        std::lock_guard lock(m_mutex);
        m_hold = on;
        m_changed.notify_all();
    }
    bool waitEntered(int n)
    {
        std::unique_lock lock(m_mutex);
        return m_changed.wait_for(lock, std::chrono::seconds(30), [&] { return m_entered >= n; });
    }
    int texts() const
    {
        std::lock_guard lock(m_mutex);
        return m_texts;
    }
    std::atomic<bool> m_fail { false };

private:
    QString m_id;
    HashedNgramEmbedder m_inner;
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_changed;
    mutable int m_texts = 0;
    mutable int m_entered = 0;
    bool m_hold = false;
};

} // namespace

// The node's semantic index against a real store: SQLite, and (L0_STORE_PG) PostgreSQL.
class TestSemanticIndexer : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_url;
    std::unique_ptr<Store> m_store;
    qint64 m_tenant = 0;
    qint64 m_lastSeq = 0;
    int m_databases = 0;
#ifdef L0_STORE_PG
    PgServer m_pg;
#endif

    QString freshUrl(const QString &name)
    {
#ifdef L0_STORE_PG
        QString error;
        const QString db = QStringLiteral("s%1_%2").arg(++m_databases).arg(name.toLower());
        if (!m_pg.createDatabase(db, &error))
            qFatal("%s", qPrintable(error));
        return m_pg.url(db);
#else
        return QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("%1-%2.sqlite").arg(++m_databases).arg(name));
#endif
    }

    // Files a question as the exact tier does and approves it; its entry id.
    qint64 approved(const QString &question, const QString &ns = QString())
    {
        const ChatRequest r = ask(question);
        Candidate c;
        c.tenantId = m_tenant;
        c.ns = ns;
        c.cacheKey = exactKey(m_tenant, ns, r);
        c.model = r.model;
        c.query = question;
        c.requestJson = canonicalExactRequest(m_tenant, ns, r);
        c.result.message = QJsonObject { { QStringLiteral("role"), QStringLiteral("assistant") },
            { QStringLiteral("content"), QString(QStringLiteral("answer to ") + question) } };
        c.result.modelUsed = r.model;
        c.author = QStringLiteral("upstream:test");
        auto receipt = m_store->addCandidate(c);
        if (!receipt)
            qFatal("%s", qPrintable(receipt.error().message));
        auto d = m_store->decide(receipt->entryId, receipt->version, VersionState::Approved, QStringLiteral("ann"), {});
        if (!d)
            qFatal("%s", qPrintable(d.error().message));
        return receipt->entryId;
    }

    void revoke(qint64 entry)
    {
        auto d = m_store->decide(entry, 0, VersionState::Revoked, QStringLiteral("ann"), QStringLiteral("wrong"));
        QVERIFY(d.ok());
    }

    // What the StoreWorker does after the hot cache: every change, in order.
    void feed(SemanticIndexer &indexer, bool fromStart = false)
    {
        if (fromStart)
            m_lastSeq = 0;
        auto changes = m_store->changesSince(m_lastSeq, 100000);
        QVERIFY(changes.ok());
        for (const VersionChange &c : *changes) {
            m_lastSeq = qMax(m_lastSeq, c.seq);
            indexer.apply(c);
        }
    }

    static std::vector<VectorNeighbour> search(
        const VectorIndexDirectory &dir, qint64 tenant, const Embedder &e, const QString &text, int k = 3)
    {
        const auto v = e.embed({ text }).value().at(0);
        return dir.search(VectorSpaceKey { tenant, QString(), e.modelId() }, v, k);
    }

    SemanticIndexer::Options options() const
    {
        SemanticIndexer::Options o;
        o.storeUrl = m_url;
        o.retryDelayMs = 20;
        return o;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
#ifdef L0_STORE_PG
        QString error;
        QVERIFY2(m_pg.start(&error), qPrintable(error));
#endif
    }

    void init()
    {
        m_url = freshUrl(QLatin1String(QTest::currentTestFunction()));
        auto s = openStore(m_url);
        QVERIFY(s.ok());
        m_store = std::move(s.value());
        QVERIFY(m_store->migrate().ok());
        m_tenant = m_store->addTenant(QStringLiteral("acme"), Policy::Approved)->id;
        m_lastSeq = 0;
    }

    void cleanup()
    {
        m_store.reset();
    }

    void indexesApprovedEntriesAndRemovesRevokedOnesAtOnce()
    {
        auto e = std::make_shared<TestEmbedder>(QStringLiteral("test:a"), 128);
        auto dir = std::make_shared<VectorIndexDirectory>();
        auto corpus = std::make_shared<SemanticCorpus>();
        SemanticIndexer indexer(options(), dir, corpus, [e](qint64) { return e; });
        indexer.start();
        const qint64 pw = approved(QStringLiteral("How do I reset my password?"));
        const qint64 ship = approved(QStringLiteral("When will my parcel be shipped?"));
        // Filed but never approved: never indexed.
        Candidate pending;
        pending.tenantId = m_tenant;
        pending.cacheKey = "pending-key";
        pending.model = QStringLiteral("m");
        pending.requestJson = canonicalExactRequest(m_tenant, QString(), ask(QStringLiteral("pending question")));
        pending.result.message = QJsonObject { { QStringLiteral("content"), QStringLiteral("x") } };
        pending.author = QStringLiteral("t");
        QVERIFY(m_store->addCandidate(pending).ok());
        feed(indexer);
        QVERIFY(indexer.waitUntilIdle(30'000));
        QCOMPARE(dir->size(), size_t(2));
        QCOMPARE(dir->servingEmbedder(m_tenant), std::shared_ptr<const Embedder>(e));

        auto hits = search(*dir, m_tenant, *e, QStringLiteral("how can I reset my password"));
        QVERIFY(!hits.empty());
        QCOMPARE(hits[0].entry.entryId, pw);
        QCOMPARE(hits[0].entry.version, 1);
        QCOMPARE(hits[0].entry.tier, QStringLiteral("exact"));
        QCOMPARE(
            hits[0].entry.cacheKey, exactKey(m_tenant, QString(), ask(QStringLiteral("How do I reset my password?"))));
        QCOMPARE(hits[0].entry.text, QStringLiteral("How do I reset my password?"));
        QCOMPARE(hits[0].entry.context,
            semanticContext(m_tenant, QString(), ask(QStringLiteral("How do I reset my password?"))));
        QVERIFY(corpus->profile(m_tenant, pw));
        QCOMPARE(countEntryVectors(m_store->session(), e->modelId()).value(), qint64(2)); // persisted

        revoke(pw);
        feed(indexer); // removed within apply(), no waiting
        for (const auto &h : search(*dir, m_tenant, *e, QStringLiteral("How do I reset my password?"), 10))
            QVERIFY(h.entry.entryId != pw);
        QCOMPARE(dir->size(), size_t(1));
        QVERIFY(!corpus->profile(m_tenant, pw));
        QVERIFY(corpus->profile(m_tenant, ship));
        indexer.stop();
    }

    void aRevocationDuringEmbeddingWins()
    {
        auto e = std::make_shared<TestEmbedder>(QStringLiteral("test:a"), 64);
        auto dir = std::make_shared<VectorIndexDirectory>();
        SemanticIndexer indexer(options(), dir, nullptr, [e](qint64) { return e; });
        e->hold(true);
        indexer.start();
        const qint64 entry = approved(QStringLiteral("Is the shop open on Sunday?"));
        feed(indexer);
        QVERIFY(e->waitEntered(1)); // the indexer is embedding it now
        revoke(entry);
        feed(indexer);
        e->hold(false);
        QVERIFY(indexer.waitUntilIdle(30'000));
        QCOMPARE(dir->size(), size_t(0));
        QVERIFY(search(*dir, m_tenant, *e, QStringLiteral("Is the shop open on Sunday?")).empty());
        // Approved again (a new version): indexed again.
        Candidate c;
        c.tenantId = m_tenant;
        c.cacheKey = exactKey(m_tenant, QString(), ask(QStringLiteral("Is the shop open on Sunday?")));
        c.model = QStringLiteral("gpt-4o-mini");
        c.requestJson = canonicalExactRequest(m_tenant, QString(), ask(QStringLiteral("Is the shop open on Sunday?")));
        c.result.message = QJsonObject { { QStringLiteral("content"), QStringLiteral("a better answer") } };
        c.author = QStringLiteral("upstream:test");
        auto v2 = m_store->addCandidate(c);
        QVERIFY(v2.ok());
        QCOMPARE(v2->entryId, entry);
        QVERIFY(m_store->decide(entry, v2->version, VersionState::Approved, QStringLiteral("ann"), {}).ok());
        feed(indexer);
        QVERIFY(indexer.waitUntilIdle(30'000));
        const auto hits = search(*dir, m_tenant, *e, QStringLiteral("Is the shop open on Sunday?"));
        QCOMPARE(int(hits.size()), 1);
        QCOMPARE(hits[0].entry.version, v2->version);
    }

    void aRestartLoadsVectorsFromTheStore()
    {
        auto e = std::make_shared<TestEmbedder>(QStringLiteral("test:a"), 128);
        QList<qint64> entries;
        for (int i = 0; i < 300; ++i)
            entries << approved(QStringLiteral("question %1 about topic %2").arg(i).arg(i * 7));
        {
            auto dir = std::make_shared<VectorIndexDirectory>();
            SemanticIndexer indexer(options(), dir, nullptr, [e](qint64) { return e; });
            indexer.start();
            feed(indexer);
            QVERIFY(indexer.waitUntilIdle(30'000));
            QCOMPARE(dir->size(), size_t(300));
            QCOMPARE(indexer.stats().embedded, qint64(300));
        }
        revoke(entries[5]); // while no node ran
        const int embeddedBefore = e->texts();
        auto dir = std::make_shared<VectorIndexDirectory>();
        SemanticIndexer::Options o = options();
        o.buildThreads = 2;
        SemanticIndexer restarted(o, dir, nullptr, [e](qint64) { return e; });
        restarted.start();
        feed(restarted, true); // the node's first sync: every change from the start
        QVERIFY(restarted.waitUntilIdle(30'000));
        QCOMPARE(dir->size(), size_t(299));
        QCOMPARE(restarted.stats().loaded, qint64(299));
        QCOMPARE(restarted.stats().embedded, qint64(0));
        QCOMPARE(e->texts(), embeddedBefore); // nothing embedded again
        const auto hits = search(*dir, m_tenant, *e, QStringLiteral("question 17 about topic 119"));
        QCOMPARE(hits.at(0).entry.entryId, entries[17]);
        for (const auto &h : search(*dir, m_tenant, *e, QStringLiteral("question 5 about topic 35"), 10))
            QVERIFY(h.entry.entryId != entries[5]);
    }

    void failuresAreRetried()
    {
        auto e = std::make_shared<TestEmbedder>(QStringLiteral("test:a"), 64);
        e->m_fail = true;
        auto dir = std::make_shared<VectorIndexDirectory>();
        SemanticIndexer indexer(options(), dir, nullptr, [e](qint64) { return e; });
        indexer.start();
        approved(QStringLiteral("Where is my refund?"));
        feed(indexer);
        QVERIFY(e->waitEntered(3)); // tried, failed, tried again...
        QCOMPARE(dir->size(), size_t(0));
        e->m_fail = false;
        QVERIFY(indexer.waitUntilIdle(30'000));
        QCOMPARE(dir->size(), size_t(1));
        QVERIFY(indexer.stats().failures >= 2);
    }

    void aNewModelFillsItsSpaceWhileTheOldServes()
    {
        auto oldModel = std::make_shared<TestEmbedder>(QStringLiteral("test:old"), 64);
        auto newModel = std::make_shared<TestEmbedder>(QStringLiteral("test:new"), 96);
        std::shared_ptr<const Embedder> current = oldModel;
        std::mutex m;
        auto dir = std::make_shared<VectorIndexDirectory>();
        SemanticIndexer indexer(options(), dir, nullptr, [&](qint64) {
            std::lock_guard lock(m);
            return current;
        });
        indexer.start();
        const qint64 a = approved(QStringLiteral("How do I change my address?"));
        approved(QStringLiteral("Can I pay by invoice?"));
        feed(indexer);
        QVERIFY(indexer.waitUntilIdle(30'000));
        QCOMPARE(dir->servingModel(m_tenant, QString()).value(), oldModel->modelId());

        newModel->hold(true);
        {
            std::lock_guard lock(m);
            current = newModel;
        }
        indexer.refreshModels();
        QVERIFY(newModel->waitEntered(1));
        // Meanwhile: the old space serves, the new one is not served, and a new approval goes into both.
        QCOMPARE(dir->servingEmbedder(m_tenant), std::shared_ptr<const Embedder>(oldModel));
        QCOMPARE(
            search(*dir, m_tenant, *oldModel, QStringLiteral("How do I change my address?")).at(0).entry.entryId, a);
        QCOMPARE(indexer.stats().switching, 1);
        const qint64 c = approved(QStringLiteral("Do you ship to Norway?"));
        feed(indexer);
        newModel->hold(false);
        QVERIFY(indexer.waitUntilIdle(30'000));
        QCOMPARE(dir->servingEmbedder(m_tenant), std::shared_ptr<const Embedder>(newModel));
        QCOMPARE(dir->servingModel(m_tenant, QString()).value(), newModel->modelId());
        QCOMPARE(indexer.stats().switching, 0);
        QVERIFY(!dir->index(VectorSpaceKey { m_tenant, QString(), oldModel->modelId() })); // dropped
        QCOMPARE(dir->index(VectorSpaceKey { m_tenant, QString(), newModel->modelId() })->size(), size_t(3));
        QCOMPARE(dir->index(VectorSpaceKey { m_tenant, QString(), newModel->modelId() })->dimension(), 96);
        QCOMPARE(search(*dir, m_tenant, *newModel, QStringLiteral("Do you ship to Norway?")).at(0).entry.entryId, c);
        QCOMPARE(countEntryVectors(m_store->session(), newModel->modelId()).value(), qint64(3));
    }

    void namespacesAndTiersStayApart()
    {
        auto e = std::make_shared<TestEmbedder>(QStringLiteral("test:a"), 64);
        auto dir = std::make_shared<VectorIndexDirectory>();
        SemanticIndexer indexer(options(), dir, nullptr, [e](qint64) { return e; });
        indexer.start();
        const qint64 inSales = approved(QStringLiteral("What does the premium plan cost?"), QStringLiteral("sales"));
        const qint64 inDefault = approved(QStringLiteral("What does the premium plan cost?"));
        feed(indexer);
        // An intent-tier entry: not embedded.
        VersionChange intent;
        intent.entryId = 999;
        intent.version = 1;
        intent.state = VersionState::Approved;
        intent.tenantId = m_tenant;
        intent.tier = QStringLiteral("l0");
        indexer.apply(intent);
        QVERIFY(indexer.waitUntilIdle(30'000));
        const auto v = e->embed({ QStringLiteral("What does the premium plan cost?") }).value().at(0);
        const auto sales = dir->search(VectorSpaceKey { m_tenant, QStringLiteral("sales"), e->modelId() }, v, 5);
        const auto plain = dir->search(VectorSpaceKey { m_tenant, QString(), e->modelId() }, v, 5);
        QCOMPARE(int(sales.size()), 1);
        QCOMPARE(sales[0].entry.entryId, inSales);
        QCOMPARE(int(plain.size()), 1);
        QCOMPARE(plain[0].entry.entryId, inDefault);
        QCOMPARE(dir->size(), size_t(2));
    }
};

QTEST_GUILESS_MAIN(TestSemanticIndexer)
#include "tst_semanticindexer.moc"
