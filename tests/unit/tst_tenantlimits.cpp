// Per-tenant limits, hard budgets and stale-if-error, on a real node over HTTP with the
// simulated upstream as an HTTP server: requests and tokens per minute answered with 429 and
// Retry-After in each client API's error shape, hits never counted against tokens, limits
// split between nodes, a spent hard budget refusing misses but not hits, and an expired
// approved answer served (x-l0-cache: stale) when every upstream fails.
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "core/clock.h"
#include "ledger/budget.h"
#include "nodefixture.h"
#include "service/ratelimiter.h"
#include "store/sqlsession.h"
#include "trust/reviewqueue.h"
#include "upstream/simulatedupstreamserver.h"

using namespace l0;

namespace {

QByteArray ask(const QString &question, bool stream = false)
{
    QJsonObject o { { QStringLiteral("model"), QStringLiteral("gpt-4o-mini") },
        { QStringLiteral("messages"),
            QJsonArray { QJsonObject {
                { QStringLiteral("role"), QStringLiteral("user") }, { QStringLiteral("content"), question } } } } };
    if (stream)
        o.insert(QStringLiteral("stream"), true);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray askAnthropic(const QString &question)
{
    return QJsonDocument(
        QJsonObject { { QStringLiteral("model"), QStringLiteral("gpt-4o-mini") }, { QStringLiteral("max_tokens"), 64 },
            { QStringLiteral("messages"),
                QJsonArray { QJsonObject {
                    { QStringLiteral("role"), QStringLiteral("user") }, { QStringLiteral("content"), question } } } } })
        .toJson(QJsonDocument::Compact);
}

void setLimits(NodeFixture &f, const char *tenant, const TenantLimits &limits)
{
    auto store = f.store();
    QVERIFY(setTenantLimits(store->session(), QLatin1String(tenant), limits).ok());
    f.settle();
}

QString errorCode(const NodeFixture::Reply &r)
{
    return r.json.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString();
}

Tenant limited(qint64 id, std::optional<qint64> rpm, std::optional<qint64> tpm)
{
    Tenant t { id, QStringLiteral("t"), Policy::Approved, {} };
    t.limits.requestsPerMinute = rpm;
    t.limits.tokensPerMinute = tpm;
    return t;
}

} // namespace

class TestTenantLimits : public QObject {
    Q_OBJECT
    std::unique_ptr<SimulatedUpstreamServer> m_sim;
    ManualClock m_clock { QDateTime::currentMSecsSinceEpoch() };

    NodeConfig simConfig(int limitNodes = 1) const
    {
        NodeConfig config;
        UpstreamConfig up;
        up.name = QStringLiteral("sim-http");
        up.kind = QStringLiteral("openai");
        up.baseUrl = QStringLiteral("http://127.0.0.1:%1/v1").arg(m_sim->port());
        up.apiKey = "sk-sim";
        up.models = QStringList { QStringLiteral("gpt-4o-mini") };
        config.upstreams = { up };
        config.retry.baseBackoffMs = 1;
        config.retry.maxBackoffMs = 2;
        config.breaker.minCalls = 10'000; // these tests count every attempt
        config.limitNodes = limitNodes;
        return config;
    }
    void failEverything(bool fail)
    {
        SimulatedUpstreamConfig c;
        c.faults.errorRate = fail ? 1.0 : 0.0;
        c.faults.errorStatus = 503;
        m_sim->setConfig(c);
    }

private slots:
    void initTestCase()
    {
        SimulatedUpstreamOptions o;
        o.apiKey = "sk-sim";
        m_sim = std::make_unique<SimulatedUpstreamServer>(o);
        QVERIFY(m_sim->start().ok());
    }

    // The buckets alone, on a clock the test moves.
    void bucketsRefillAtTheLimitsPace()
    {
        ManualClock clock(1'000'000);
        RateLimiter limiter(&clock);
        const Tenant t = limited(1, 3, std::nullopt);
        for (int i = 0; i < 3; ++i)
            QVERIFY(limiter.admitRequest(t).allowed);
        auto refused = limiter.admitRequest(t);
        QVERIFY(!refused.allowed);
        QCOMPARE(refused.retryAfterMs, 20'000); // one request of 3 a minute
        QVERIFY(refused.reason.contains(QStringLiteral("3 requests per minute")));
        clock.advance(19'999);
        QVERIFY(!limiter.admitRequest(t).allowed);
        clock.advance(1);
        QVERIFY(limiter.admitRequest(t).allowed);
        // Other tenants and unlimited tenants are not affected.
        QVERIFY(limiter.admitRequest(limited(2, 3, std::nullopt)).allowed);
        for (int i = 0; i < 100; ++i)
            QVERIFY(limiter.admitRequest(limited(3, std::nullopt, std::nullopt)).allowed);

        // Tokens are charged afterwards; while in debt, upstream calls wait for the refill.
        const Tenant tok = limited(4, std::nullopt, 600);
        QVERIFY(limiter.admitUpstream(tok).allowed);
        limiter.chargeTokens(tok, 700); // 100 past the minute's 600
        auto wait = limiter.admitUpstream(tok);
        QVERIFY(!wait.allowed);
        QCOMPARE(wait.retryAfterMs, 10'001); // 100 tokens at 10 a second, and one more to be above zero
        clock.advance(10'001);
        QVERIFY(limiter.admitUpstream(tok).allowed);
        QVERIFY(limiter.admitRequest(tok).allowed); // no request limit
        // A long pause fills the bucket whatever the debt was, never beyond a minute's worth.
        const Tenant deep = limited(7, std::nullopt, 60);
        limiter.chargeTokens(deep, 600); // nine minutes of debt
        clock.advance(2 * 3'600'000);
        limiter.chargeTokens(deep, 59);
        QVERIFY(limiter.admitUpstream(deep).allowed); // 1 of 60 left
        limiter.chargeTokens(deep, 1);
        QVERIFY(!limiter.admitUpstream(deep).allowed);

        // Two nodes: each holds half of the tenant's limit.
        RateLimiter half(&clock, 2);
        const Tenant four = limited(5, 4, std::nullopt);
        QVERIFY(half.admitRequest(four).allowed);
        QVERIFY(half.admitRequest(four).allowed);
        auto third = half.admitRequest(four);
        QVERIFY(!third.allowed);
        QCOMPARE(third.retryAfterMs, 30'000); // 2 a minute on this node

        // A lowered limit applies at once: what is left is cut to the new minute's worth.
        QVERIFY(limiter.admitRequest(limited(6, 10, std::nullopt)).allowed);
        QVERIFY(limiter.admitRequest(limited(6, 10, std::nullopt)).allowed); // 8 left
        QVERIFY(limiter.admitRequest(limited(6, 1, std::nullopt)).allowed); // 1 left, taken
        QVERIFY(!limiter.admitRequest(limited(6, 1, std::nullopt)).allowed);
    }

    void requestsPerMinuteAnswer429InEachClientShape()
    {
        NodeFixture f;
        m_clock.set(QDateTime::currentMSecsSinceEpoch()); // approvals are stamped by the system clock
        f.clock = &m_clock;
        QVERIFY(f.start(simConfig()));
        TenantLimits l;
        l.requestsPerMinute = 3;
        setLimits(f, "approved", l);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(f.chat(f.keyApproved, ask(QStringLiteral("question %1").arg(i))).status, 200);
        const auto openAi = f.chat(f.keyApproved, ask(QStringLiteral("one too many")));
        QCOMPARE(openAi.status, 429);
        QCOMPARE(openAi.headers.value("retry-after"), QByteArray("20"));
        QCOMPARE(openAi.json.value(QStringLiteral("error")).toObject().value(QStringLiteral("type")).toString(),
            QStringLiteral("rate_limit_error"));
        QCOMPARE(errorCode(openAi), QStringLiteral("rate_limit_exceeded"));
        const auto anthropic = f.request("POST", QStringLiteral("/v1/messages"), f.keyApproved,
            askAnthropic(QStringLiteral("one too many")), { { "anthropic-version", "2023-06-01" } });
        QCOMPARE(anthropic.status, 429);
        QVERIFY(anthropic.headers.contains("retry-after"));
        QCOMPARE(anthropic.json.value(QStringLiteral("type")).toString(), QStringLiteral("error"));
        QCOMPARE(anthropic.json.value(QStringLiteral("error")).toObject().value(QStringLiteral("type")).toString(),
            QStringLiteral("rate_limit_error"));
        // Another tenant is not limited; the limited one is served again at the limit's pace.
        QCOMPARE(f.chat(f.keyAuto, ask(QStringLiteral("unlimited"))).status, 200);
        m_clock.advance(20'000);
        QCOMPARE(f.chat(f.keyApproved, ask(QStringLiteral("paced"))).status, 200);
        QCOMPARE(f.chat(f.keyApproved, ask(QStringLiteral("paced again"))).status, 429);
        // Refused requests are answered without an upstream call.
        m_sim->resetStats();
        QCOMPARE(f.chat(f.keyApproved, ask(QStringLiteral("refused"))).status, 429);
        QCOMPARE(m_sim->calls(), 0);
    }

    void tokensPerMinuteNeverCountHits()
    {
        NodeFixture f;
        m_clock.set(QDateTime::currentMSecsSinceEpoch()); // approvals are stamped by the system clock
        f.clock = &m_clock;
        QVERIFY(f.start(simConfig()));
        TenantLimits l;
        l.tokensPerMinute = 5; // one simulated answer uses more than that
        setLimits(f, "auto", l); // auto_low_risk: the answer serves as soon as it is filed
        const QByteArray question = ask(QStringLiteral("what are your opening hours"));
        const auto first = f.chat(f.keyAuto, question);
        QCOMPARE(first.status, 200);
        QVERIFY(first.json.value(QStringLiteral("usage")).toObject().value(QStringLiteral("total_tokens")).toInt() > 5);
        f.settle();
        // In token debt: hits are served, misses wait.
        for (int i = 0; i < 5; ++i) {
            const auto hit = f.chat(f.keyAuto, question);
            QCOMPARE(hit.status, 200);
            QCOMPARE(hit.headers.value("x-l0-cache"), QByteArray("hit"));
        }
        const auto miss = f.chat(f.keyAuto, ask(QStringLiteral("something new")));
        QCOMPARE(miss.status, 429);
        const int retryAfter = miss.headers.value("retry-after").toInt();
        // The debt (the answer's tokens past the 5 a minute) takes minutes to pay back.
        QVERIFY2(retryAfter > 60, miss.headers.value("retry-after").constData());
        QVERIFY(miss.json.value(QStringLiteral("error"))
                    .toObject()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("tokens per minute")));
        // The debt is paid back by the refill, when Retry-After said.
        m_clock.advance(qint64(retryAfter - 1) * 1000);
        QCOMPARE(f.chat(f.keyAuto, ask(QStringLiteral("something new"))).status, 429);
        m_clock.advance(1000);
        QCOMPARE(f.chat(f.keyAuto, ask(QStringLiteral("something new"))).status, 200);
        f.settle();
        // Refusals are in the ledger, unbilled.
        auto rows = f.store()->session().query(
            QStringLiteral("SELECT COUNT(*), SUM(actual_micros) FROM ledger_events WHERE status = 429"));
        QCOMPARE(rows->at(0).int64(0), 2);
        QCOMPARE(rows->at(0).int64(1), 0);
    }

    // Each node enforces its share: with tenant_limits.nodes = 2, two nodes on one store
    // together admit the tenant's limit, each half of it.
    void limitsSplitBetweenNodes()
    {
        NodeFixture a;
        m_clock.set(QDateTime::currentMSecsSinceEpoch());
        a.clock = &m_clock;
        QVERIFY(a.start(simConfig(2)));
        TenantLimits l;
        l.requestsPerMinute = 4;
        setLimits(a, "approved", l);
        NodeConfig second = simConfig(2);
        second.db = a.url;
        second.port = 0;
        second.threads = 2;
        second.syncIntervalMs = 50;
        second.journal = a.dir.filePath(QStringLiteral("journal-b"));
        second.trustDatabase = true;
        Node b(second);
        b.setClock(&m_clock);
        QVERIFY(b.start().ok());
        b.storeWorker()->syncNow();
        auto onB = [&](const QString &q) {
            NodeFixture::Reply r;
            QNetworkRequest req(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/chat/completions").arg(b.port())));
            req.setRawHeader("Authorization", "Bearer " + a.keyApproved.toUtf8());
            req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
            QNetworkReply *reply = a.nam.post(req, ask(q));
            QEventLoop loop;
            QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            loop.exec();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            reply->deleteLater();
            return status;
        };
        int admitted = 0;
        for (int i = 0; i < 4; ++i) {
            admitted += a.chat(a.keyApproved, ask(QStringLiteral("a %1").arg(i))).status == 200;
            admitted += onB(QStringLiteral("b %1").arg(i)) == 200;
        }
        QCOMPARE(admitted, 4); // 2 on each
        QCOMPARE(a.chat(a.keyApproved, ask(QStringLiteral("a more"))).status, 429);
        QCOMPARE(onB(QStringLiteral("b more")), 429);
        b.stop();
    }

    void spentHardBudgetRefusesMissesNotHits()
    {
        NodeFixture f;
        m_clock.set(QDateTime::currentMSecsSinceEpoch()); // approvals are stamped by the system clock
        f.clock = &m_clock;
        QVERIFY(f.start(simConfig()));
        const QByteArray question = ask(QStringLiteral("how do I change the delivery address on my account"));
        QCOMPARE(f.chat(f.keyApproved, question).status, 200);
        f.settle();
        auto store = f.store();
        QVERIFY(store->ledgerTotals({})->actualMicros >= 1);
        auto queue = store->queue(QueueFilter {});
        QCOMPARE(int(queue->size()), 1);
        QVERIFY(
            store->decide(queue->at(0).entryId, queue->at(0).version, VersionState::Approved, QStringLiteral("rev"), {})
                .ok());
        // One micro-dollar, spent already by the priced miss above.
        QVERIFY(setTenantBudget(store->session(), QStringLiteral("approved"), 1).ok());
        TenantLimits l;
        l.hardBudget = true;
        setLimits(f, "approved", l);
        const auto refused = f.chat(f.keyApproved, ask(QStringLiteral("a new question")));
        QCOMPARE(refused.status, 429);
        QCOMPARE(errorCode(refused), QStringLiteral("budget_exceeded"));
        QVERIFY(!refused.headers.contains("retry-after")); // no time at which it would pass
        const auto hit = f.chat(f.keyApproved, question);
        QCOMPARE(hit.status, 200);
        QCOMPARE(hit.headers.value("x-l0-cache"), QByteArray("hit"));
        // A soft budget only warns.
        l.hardBudget = false;
        setLimits(f, "approved", l);
        QCOMPARE(f.chat(f.keyApproved, ask(QStringLiteral("a new question"))).status, 200);
    }

    void staleIfErrorServesWithinTheGrace()
    {
        NodeFixture f;
        m_clock.set(QDateTime::currentMSecsSinceEpoch()); // approvals are stamped by the system clock
        f.clock = &m_clock;
        QVERIFY(f.start(simConfig()));
        auto store = f.store();
        QVERIFY(setTenantTtl(store->session(), QStringLiteral("approved"), 1000).ok());
        const QByteArray question = ask(QStringLiteral("when does the shop open"));
        const auto fresh = f.chat(f.keyApproved, question);
        QCOMPARE(fresh.status, 200);
        f.settle();
        auto queue = store->queue(QueueFilter {});
        QVERIFY(
            store->decide(queue->at(0).entryId, queue->at(0).version, VersionState::Approved, QStringLiteral("rev"), {})
                .ok());
        f.settle();
        QCOMPARE(f.chat(f.keyApproved, question).headers.value("x-l0-cache"), QByteArray("hit"));
        m_clock.advance(5'000); // past its end
        failEverything(true);
        m_sim->resetStats();

        // No grace: the failure reaches the client, after the retries.
        const auto failed = f.chat(f.keyApproved, question);
        QCOMPARE(failed.status, 502);
        QCOMPARE(m_sim->calls(), 3);

        TenantLimits l;
        l.staleGraceMs = 3'600'000;
        setLimits(f, "approved", l);
        const auto stale = f.chat(f.keyApproved, question);
        QCOMPARE(stale.status, 200);
        QCOMPARE(stale.headers.value("x-l0-cache"), QByteArray("stale"));
        QCOMPARE(stale.headers.value("x-l0-tier"), QByteArray("exact"));
        QCOMPARE(NodeFixture::content(stale), NodeFixture::content(fresh));
        // Streamed too.
        const auto streamed = f.chat(f.keyApproved, ask(QStringLiteral("when does the shop open"), true));
        QCOMPARE(streamed.headers.value("x-l0-cache"), QByteArray("stale"));
        QVERIFY(streamed.body.contains("[DONE]"));
        // A shadow tenant is never served from the cache, stale or not.
        QVERIFY(setTenantTtl(store->session(), QStringLiteral("shadow"), 1000).ok());
        TenantLimits shadowGrace;
        shadowGrace.staleGraceMs = 3'600'000;
        setLimits(f, "shadow", shadowGrace);
        failEverything(false);
        QCOMPARE(f.chat(f.keyShadow, question).status, 200);
        f.settle();
        auto shadowQueue = store->queue(QueueFilter { std::nullopt, false, QStringLiteral("shadow"), 10 });
        QCOMPARE(int(shadowQueue->size()), 1);
        QVERIFY(store
                    ->decide(shadowQueue->at(0).entryId, shadowQueue->at(0).version, VersionState::Approved,
                        QStringLiteral("rev"), {})
                    .ok());
        f.settle();
        m_clock.advance(5'000);
        failEverything(true);
        QCOMPARE(f.chat(f.keyShadow, question).status, 502);

        // Past the grace, or with upstreams that answer, nothing stale is served.
        m_clock.advance(3'600'000);
        QCOMPARE(f.chat(f.keyApproved, question).status, 502);
        failEverything(false);
        QCOMPARE(f.chat(f.keyApproved, question).headers.value("x-l0-cache"), QByteArray("miss"));
        f.settle();

        // The ledger: the failures with their attempts, the stale answers as hits.
        auto rows = store->session().query(QStringLiteral(
            "SELECT tier, status, attempts FROM ledger_events WHERE tenant_id = (SELECT id FROM tenants WHERE "
            "name = 'approved') ORDER BY id"));
        QVERIFY(rows.ok());
        QStringList seen;
        for (const auto &r : *rows)
            seen << QStringLiteral("%1/%2/%3").arg(r.text(0)).arg(r.int64(1)).arg(r.int64(2));
        QCOMPARE(seen,
            QStringList({ QStringLiteral("upstream/200/1"), QStringLiteral("exact/200/0"),
                QStringLiteral("upstream/502/3"), QStringLiteral("exact/200/0"), QStringLiteral("exact/200/0"),
                QStringLiteral("upstream/502/3"), QStringLiteral("upstream/200/1") }));
    }

    void cleanupTestCase() { m_sim.reset(); }
};

QTEST_MAIN(TestTenantLimits)
#include "tst_tenantlimits.moc"
