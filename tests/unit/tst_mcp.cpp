#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "core/clock.h"
#include "ledger/ledgerreport.h"
#include "ledger/routingreport.h"
#include "mcp/jsonrpc.h"
#include "mcp/mcpsessions.h"
#include "mcp/mcptools.h"
#include "nodefixture.h"
#include "review/queuereads.h"
#include "store/store.h"
#include "teststore.h"
#include "trust/reviewqueue.h"

using namespace l0;
using namespace l0::mcp;

// The MCP server's parts below HTTP: JSON-RPC parsing, the tools' argument checks, sessions
// bound to their credential, and the store reads it adds (key scopes, queue statistics), on
// SQLite and on PostgreSQL.
class TestMcp : public QObject {
    Q_OBJECT
    TestStore m_db;
    std::unique_ptr<Store> m_store;
    static constexpr qint64 kT0 = 1'780'000'000'000;

    CandidateReceipt add(
        qint64 tenant, const QByteArray &key, const QString &risk, qint64 createdMs, const QString &ns = QString())
    {
        Candidate c;
        c.tenantId = tenant;
        c.ns = ns;
        c.cacheKey = key;
        c.model = QStringLiteral("gpt-4o-mini");
        c.query = QStringLiteral("question %1").arg(QString::fromLatin1(key));
        c.requestJson = "{}";
        c.result.message = QJsonObject { { QStringLiteral("role"), QStringLiteral("assistant") },
            { QStringLiteral("content"), QStringLiteral("answer %1").arg(QLatin1String(key)) } };
        c.result.usage = { 10, 10 };
        c.result.modelUsed = c.model;
        c.risk = risk;
        c.riskScanned = true;
        c.author = QStringLiteral("upstream:test");
        c.createdMs = createdMs;
        auto r = m_store->addCandidate(c);
        if (!r)
            qFatal("addCandidate: %s", qPrintable(r.error().message));
        return *r;
    }

private slots:
    void initTestCase()
    {
        QString error;
        m_store = m_db.open(QStringLiteral("mcp"), &error);
        QVERIFY2(m_store, qPrintable(error));
    }

    void messages()
    {
        RpcParsed p = parseMessage(QJsonObject { { QStringLiteral("jsonrpc"), QStringLiteral("2.0") },
            { QStringLiteral("id"), 7 }, { QStringLiteral("method"), QStringLiteral("tools/list") } });
        QVERIFY(p.ok);
        QCOMPARE(p.message.kind, RpcMessage::Kind::Request);
        QCOMPARE(p.message.id.toInt(), 7);
        QVERIFY(p.message.params.isEmpty());

        p = parseMessage(QJsonObject { { QStringLiteral("jsonrpc"), QStringLiteral("2.0") },
            { QStringLiteral("method"), QStringLiteral("notifications/initialized") } });
        QVERIFY(p.ok);
        QCOMPARE(p.message.kind, RpcMessage::Kind::Notification);

        p = parseMessage(QJsonObject { { QStringLiteral("jsonrpc"), QStringLiteral("2.0") },
            { QStringLiteral("id"), QStringLiteral("a") }, { QStringLiteral("result"), QJsonObject() } });
        QVERIFY(p.ok);
        QCOMPARE(p.message.kind, RpcMessage::Kind::Response);

        // Faults keep the id when it can be read, so the answer goes to the right request.
        p = parseMessage(
            QJsonObject { { QStringLiteral("id"), 3 }, { QStringLiteral("method"), QStringLiteral("x") } });
        QVERIFY(!p.ok);
        QCOMPARE(p.fault.code, rpc::kInvalidRequest);
        QCOMPARE(p.fault.id.toInt(), 3);
        p = parseMessage(
            QJsonObject { { QStringLiteral("jsonrpc"), QStringLiteral("2.0") }, { QStringLiteral("id"), 4 },
                { QStringLiteral("method"), QStringLiteral("x") }, { QStringLiteral("params"), QJsonArray { 1 } } });
        QCOMPARE(p.fault.code, rpc::kInvalidParams);
        p = parseMessage(QJsonObject { { QStringLiteral("jsonrpc"), QStringLiteral("2.0") },
            { QStringLiteral("id"), 1.5 }, { QStringLiteral("method"), QStringLiteral("x") } });
        QVERIFY(!p.ok);
        QVERIFY(p.fault.id.isNull());
        QVERIFY(!parseMessage(QJsonValue(5)).ok);
    }

    void bodies()
    {
        RpcBody b = parseBody("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}");
        QVERIFY(b.ok);
        QVERIFY(!b.batch);
        QCOMPARE(b.items.size(), size_t(1));
        b = parseBody("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}, 3]");
        QVERIFY(b.ok && b.batch);
        QCOMPARE(b.items.size(), size_t(2));
        QVERIFY(b.items[0].ok);
        QVERIFY(!b.items[1].ok);
        b = parseBody("{\"jsonrpc\":");
        QVERIFY(!b.ok);
        QCOMPARE(b.fault.code, rpc::kParseError);
        b = parseBody("[]");
        QVERIFY(!b.ok);
        QCOMPARE(b.fault.code, rpc::kInvalidRequest);

        const QJsonObject e = rpcError(QJsonValue::Undefined, rpc::kMethodNotFound, QStringLiteral("no"));
        QVERIFY(e.value(QStringLiteral("id")).isNull());
        QCOMPARE(e.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toInt(), -32601);
    }

    void argumentSchemas()
    {
        const QJsonObject schema { { QStringLiteral("type"), QStringLiteral("object") },
            { QStringLiteral("properties"),
                QJsonObject { { QStringLiteral("day"),
                                  QJsonObject { { QStringLiteral("type"), QStringLiteral("string") },
                                      { QStringLiteral("pattern"), QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$") } } },
                    { QStringLiteral("n"),
                        QJsonObject { { QStringLiteral("type"), QStringLiteral("integer") },
                            { QStringLiteral("minimum"), 0 }, { QStringLiteral("maximum"), 10 } } },
                    { QStringLiteral("g"),
                        QJsonObject { { QStringLiteral("type"), QStringLiteral("string") },
                            { QStringLiteral("enum"), QJsonArray { QStringLiteral("a"), QStringLiteral("b") } } } } } },
            { QStringLiteral("required"), QJsonArray { QStringLiteral("day") } },
            { QStringLiteral("additionalProperties"), false } };
        const auto check = [&](const QJsonObject &args) { return schemaViolation(schema, args); };
        QCOMPARE(check({ { QStringLiteral("day"), QStringLiteral("2026-12-01") } }), QString());
        QCOMPARE(check({}), QStringLiteral("day is required"));
        QVERIFY(check({ { QStringLiteral("day"), QStringLiteral("today") } }).contains(QStringLiteral("day 'today'")));
        QVERIFY(check({ { QStringLiteral("day"), 5 } }).contains(QStringLiteral("must be a string")));
        QVERIFY(check({ { QStringLiteral("day"), QStringLiteral("2026-12-01") }, { QStringLiteral("n"), 2.5 } })
                    .contains(QStringLiteral("integer")));
        QVERIFY(check({ { QStringLiteral("day"), QStringLiteral("2026-12-01") }, { QStringLiteral("n"), 11 } })
                    .contains(QStringLiteral("at most 10")));
        QVERIFY(check(
            { { QStringLiteral("day"), QStringLiteral("2026-12-01") }, { QStringLiteral("g"), QStringLiteral("c") } })
                    .contains(QStringLiteral("one of a, b")));
        QVERIFY(check({ { QStringLiteral("day"), QStringLiteral("2026-12-01") }, { QStringLiteral("x"), 1 } })
                    .contains(QStringLiteral("unknown argument 'x'")));
        // Every tool publishes a schema this checker reads.
        McpTools tools(McpTools::Deps {});
        const QJsonArray list = tools.toolList();
        QCOMPARE(list.size(), 4);
        for (const QJsonValue &t : list)
            QCOMPARE(
                t.toObject().value(QStringLiteral("inputSchema")).toObject().value(QStringLiteral("type")).toString(),
                QStringLiteral("object"));
    }

    void sessionsBelongToTheirCredential()
    {
        ManualClock clock(kT0);
        McpSessions sessions(&clock, 1000, 2);
        const QByteArray a = sessions.open("alice", QStringLiteral("2025-06-18"));
        QVERIFY(a.size() >= 24);
        QCOMPARE(sessions.use(a, "alice")->protocolVersion, QStringLiteral("2025-06-18"));
        QVERIFY(!sessions.use(a, "mallory"));
        QVERIFY(!sessions.close(a, "mallory"));
        clock.advance(900);
        QVERIFY(sessions.use(a, "alice")); // used: the idle time starts again
        clock.advance(900);
        QVERIFY(sessions.use(a, "alice"));
        clock.advance(1001);
        QVERIFY(!sessions.use(a, "alice")); // idle too long
        const QByteArray b = sessions.open("bob", QStringLiteral("2025-11-25"));
        clock.advance(1);
        const QByteArray c = sessions.open("carol", QStringLiteral("2025-11-25"));
        clock.advance(1);
        QVERIFY(sessions.use(c, "carol"));
        const QByteArray d = sessions.open("dave", QStringLiteral("2025-11-25")); // full: the least recent goes
        QVERIFY(!sessions.use(b, "bob"));
        QVERIFY(sessions.use(c, "carol"));
        QVERIFY(sessions.close(d, "dave"));
        QVERIFY(!sessions.use(d, "dave"));
    }

    void keyScopes()
    {
        QVERIFY(m_store->addTenant(QStringLiteral("scoped"), Policy::Approved).ok());
        auto plain = m_store->issueKey(QStringLiteral("scoped"));
        auto manager = m_store->issueKey(QStringLiteral("scoped"), KeyScope::Manager);
        QVERIFY(plain.ok() && manager.ok());
        QCOMPARE(plain->record.scope, KeyScope::Tenant);
        auto keys = m_store->activeKeys();
        QVERIFY(keys.ok());
        int seen = 0;
        for (const ApiKeyRecord &k : *keys) {
            if (k.id == plain->record.id) {
                QCOMPARE(k.scope, KeyScope::Tenant);
                ++seen;
            }
            if (k.id == manager->record.id) {
                QCOMPARE(k.scope, KeyScope::Manager);
                ++seen;
            }
        }
        QCOMPARE(seen, 2);
        QCOMPARE(keyScopeFromName(QStringLiteral("manager")), std::optional<KeyScope>(KeyScope::Manager));
        QVERIFY(!keyScopeFromName(QStringLiteral("root")));
    }

    void queueStatistics()
    {
        const qint64 a = m_store->addTenant(QStringLiteral("qa"), Policy::Approved)->id;
        const qint64 b = m_store->addTenant(QStringLiteral("qb"), Policy::Approved)->id;
        add(a, "a1", QStringLiteral("high"), kT0 + 5000);
        add(a, "a2", QStringLiteral("low"), kT0 + 1000);
        const CandidateReceipt done = add(a, "a3", QStringLiteral("low"), kT0 + 2000);
        QVERIFY(
            m_store->decide(done.entryId, done.version, VersionState::Approved, QStringLiteral("ann"), QString()).ok());
        const CandidateReceipt held = add(b, "b1", QStringLiteral("medium"), kT0 + 3000);
        QVERIFY(claimItem(m_store->session(), held.entryId, held.version, QStringLiteral("ann"), 60'000, kT0 + 10'000)
                    .ok());

        auto qa = queueStats(m_store->session(), QStringLiteral("qa"), kT0 + 20'000);
        QVERIFY2(qa.ok(), qa.ok() ? "" : qPrintable(qa.error().message));
        QCOMPARE(qa->awaiting, 2);
        QCOMPARE(qa->byState.value(QStringLiteral("pending")), 2);
        QCOMPARE(qa->byState.value(QStringLiteral("approved")), 1);
        QCOMPARE(qa->byState.value(QStringLiteral("rejected")), 0);
        QCOMPARE(qa->awaitingByRisk.value(QStringLiteral("high")), 1);
        QCOMPARE(qa->awaitingByRisk.value(QStringLiteral("low")), 1);
        QCOMPARE(qa->claimed, 0);
        QCOMPARE(*qa->oldestAwaitingMs, kT0 + 1000); // the approved one is not waiting

        std::vector<QueueStats> per;
        auto all = queueStats(m_store->session(), QString(), kT0 + 20'000, &per);
        QVERIFY(all.ok());
        QCOMPARE(all->awaiting, 3);
        QCOMPARE(all->claimed, 1);
        QCOMPARE(all->awaitingByRisk.value(QStringLiteral("medium")), 1);
        QCOMPARE(per.size(), size_t(2));
        QCOMPARE(per[0].tenant, QStringLiteral("qa"));
        QCOMPARE(per[1].tenant, QStringLiteral("qb"));
        QCOMPARE(per[1].claimed, 1);
        // A lease that ran out is no longer a claim.
        auto later = queueStats(m_store->session(), QStringLiteral("qb"), kT0 + 100'000);
        QCOMPARE(later->claimed, 0);
        // One namespace only, for credentials pinned to it.
        add(a, "a4", QStringLiteral("medium"), kT0 + 6000, QStringLiteral("support"));
        const QString support = QStringLiteral("support");
        auto pinned = queueStats(m_store->session(), QStringLiteral("qa"), kT0 + 20'000, nullptr, &support);
        QVERIFY(pinned.ok());
        QCOMPARE(pinned->awaiting, 1);
        QCOMPARE(pinned->awaitingByRisk.value(QStringLiteral("medium")), 1);
        const QString none0;
        QCOMPARE(queueStats(m_store->session(), QStringLiteral("qa"), kT0 + 20'000, nullptr, &none0)->awaiting, 2);
        auto none = queueStats(m_store->session(), QStringLiteral("nobody"), kT0);
        QVERIFY(none.ok());
        QCOMPARE(none->awaiting, 0);
        QVERIFY(!none->oldestAwaitingMs);
    }

    // A node on this store answers MCP over HTTP, its reports read on the MCP server's own
    // connection: the same numbers as the engine's report functions read directly.
    void nodeReportsOverHttp()
    {
        NodeFixture fx;
#ifdef L0_STORE_PG
        QVERIFY(fx.start({}, m_db.url()));
#else
        QVERIFY(fx.start());
#endif
        const QByteArray chatBody
            = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"How long does shipping take?"}]})";
        QCOMPARE(fx.chat(fx.keyApproved, chatBody).status, 200);
        QCOMPARE(fx.chat(fx.keyApproved, chatBody).status, 200);
        fx.settle();

        const QList<QPair<QByteArray, QByteArray>> accept { { "Accept", "application/json, text/event-stream" } };
        auto init = fx.request("POST", QStringLiteral("/mcp"), fx.keyApproved,
            R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})",
            accept);
        QCOMPARE(init.status, 200);
        QCOMPARE(
            init.json.value(QStringLiteral("result")).toObject().value(QStringLiteral("protocolVersion")).toString(),
            QStringLiteral("2025-06-18"));
        const QByteArray session = init.headers.value("mcp-session-id");
        QVERIFY(!session.isEmpty());
        auto headers = accept;
        headers.append({ "Mcp-Session-Id", session });

        const QDate today = QDateTime::currentDateTimeUtc().date();
        const QString day = today.toString(Qt::ISODate);
        auto report = fx.request("POST", QStringLiteral("/mcp"), fx.keyApproved,
            QJsonDocument(QJsonObject { { QStringLiteral("jsonrpc"), QStringLiteral("2.0") },
                              { QStringLiteral("id"), 2 }, { QStringLiteral("method"), QStringLiteral("tools/call") },
                              { QStringLiteral("params"),
                                  QJsonObject { { QStringLiteral("name"), QStringLiteral("savings_report") },
                                      { QStringLiteral("arguments"),
                                          QJsonObject { { QStringLiteral("from"), day }, { QStringLiteral("to"), day },
                                              { QStringLiteral("group_by"), QStringLiteral("model") } } } } } })
                .toJson(QJsonDocument::Compact),
            headers);
        QCOMPARE(report.status, 200);
        const QJsonObject result = report.json.value(QStringLiteral("result")).toObject();
        QCOMPARE(result.value(QStringLiteral("isError")).toBool(true), false);
        QJsonObject got = result.value(QStringLiteral("structuredContent")).toObject();
        QCOMPARE(got.take(QStringLiteral("tenant")).toString(), QStringLiteral("approved"));
        QCOMPARE(got.value(QStringLiteral("requests")).toInteger(), 2);

        RollupQuery q;
        q.fromMs = QDateTime(today, QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch();
        q.toMs = QDateTime(today.addDays(1), QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch();
        q.grain = Grain::Total;
        q.groupBy = Dimension::Model;
        q.tenant = QStringLiteral("approved");
        auto store = fx.store();
        auto direct = queryRollups(store->session(), q);
        QVERIFY(direct.ok());
        auto routing = routingSavings(store->session(), q);
        QVERIFY(routing.ok());
        QJsonObject engineReport = ledgerReportJson(q, *direct);
        engineReport.insert(QStringLiteral("routing"), routingSavingsJson(*routing));
        QCOMPARE(got, engineReport);

        auto stats = fx.request("POST", QStringLiteral("/mcp"), fx.keyApproved,
            R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"queue_stats","arguments":{}}})",
            headers);
        const QJsonObject queue = stats.json.value(QStringLiteral("result"))
                                      .toObject()
                                      .value(QStringLiteral("structuredContent"))
                                      .toObject();
        auto expected = queueStats(store->session(), QStringLiteral("approved"), QDateTime::currentMSecsSinceEpoch());
        QVERIFY(expected.ok());
        QCOMPARE(queue.value(QStringLiteral("awaiting_review")).toInteger(), expected->awaiting);
        QVERIFY(expected->awaiting >= 1);

        // Another tenant's key cannot take over the session.
        auto other = fx.request(
            "POST", QStringLiteral("/mcp"), fx.keyAuto, R"({"jsonrpc":"2.0","id":4,"method":"tools/list"})", headers);
        QCOMPARE(other.status, 404);
        fx.node->stop();
    }
};

QTEST_GUILESS_MAIN(TestMcp)
#include "tst_mcp.moc"
