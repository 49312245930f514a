#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "nodefixture.h"
#ifdef L0_STORE_PG
#include "pgserver.h"
#endif
#include "ledger/experimentreport.h"
#include "route/routefeatures.h"
#include "route/routepolicy.h"
#include "route/routermodel.h"
#include "route/routesettings.h"
#include "store/experimentrules.h"
#include "store/sqlsession.h"

using namespace l0;

namespace {

QByteArray ask(const QString &question, const QString &user = QString())
{
    QJsonObject body { { QStringLiteral("model"), QStringLiteral("gpt-4o-mini") },
        { QStringLiteral("messages"),
            QJsonArray { QJsonObject {
                { QStringLiteral("role"), QStringLiteral("user") }, { QStringLiteral("content"), question } } } } };
    if (!user.isEmpty())
        body.insert(QStringLiteral("user"), user);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

// A router model file of this test's own that gives every request the same score: the test
// needs only that the learned strategy applies, not which model it picks.
QString writeFlatRouter(const QString &path)
{
    auto logit = [](size_t dense) {
        RouteLogit l;
        l.denseMean.assign(dense, 0.0);
        l.denseScale.assign(dense, 1.0);
        l.denseWeights.assign(dense, 0.0);
        l.bits = 8;
        l.hashedWeights.assign(size_t(1) << l.bits, 0.0f);
        return l;
    };
    RouterModel::Parts parts;
    parts.name = QStringLiteral("tst_experiment_node");
    parts.strong = QStringLiteral("gpt-4o");
    parts.weak = QStringLiteral("gpt-4o-mini");
    parts.learned = logit(size_t(requestFeatureNames().size()));
    parts.cascade = logit(size_t(requestFeatureNames().size() + answerFeatureNames().size()));
    parts.learnedCurve = { { 0.5, 0.5, 0.96 }, { 0.0, 0.0, 0.8 }, { 1.01, 1.0, 1.0 } };
    parts.cascadeCurve = parts.learnedCurve;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QString();
    file.write(RouterModel::fromParts(std::move(parts)).toJson());
    return path;
}

// A POST /v1/feedback body.
QByteArray scoreBody(const QString &id, double score)
{
    return QJsonDocument(QJsonObject { { QStringLiteral("id"), id }, { QStringLiteral("score"), score } })
        .toJson(QJsonDocument::Compact);
}

} // namespace

// Experiments on live nodes: every node, and a node after a restart, puts a caller in the same
// arm; the arm's cache policy is what serves it; its ledger events name the arm.
class TestExperimentNode : public QObject {
    Q_OBJECT
#ifdef L0_STORE_PG
    PgServer m_pg;
    int m_databases = 0;
#endif
    // A fresh store for each test: a SQLite file of the fixture's, or a new PostgreSQL database.
    bool startFixture(NodeFixture &f)
    {
#ifdef L0_STORE_PG
        QString error;
        const QString db = QStringLiteral("x%1").arg(++m_databases);
        if (!m_pg.createDatabase(db, &error)) {
            qWarning() << error;
            return false;
        }
        return f.start({}, m_pg.url(db));
#else
        return f.start();
#endif
    }

    NodeConfig configFor(const NodeFixture &f, const QString &journal)
    {
        NodeConfig c;
        c.db = f.url;
        c.port = 0;
        c.threads = 2;
        c.upstream = QStringLiteral("sim");
        c.syncIntervalMs = 50;
        c.journal = f.dir.filePath(journal);
        c.trustDatabase = true;
        return c;
    }
    static NodeFixture::Reply chatOn(NodeFixture &f, quint16 port, const QString &key, const QByteArray &body)
    {
        return f.requestOn(port, "POST", QStringLiteral("/v1/chat/completions"), key, body);
    }

private slots:
#ifdef L0_STORE_PG
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_pg.start(&error), qPrintable(error));
    }
#endif
    void assignmentStableAcrossNodesAndRestarts()
    {
        NodeFixture a;
        QVERIFY(startFixture(a));
        std::vector<ExperimentArm> arms { { QStringLiteral("A"),
                                              parseArmPolicy(QStringLiteral("cache:approved")).value(), 50 },
            { QStringLiteral("B"), parseArmPolicy(QStringLiteral("cache:shadow")).value(), 50 } };
        auto x = createExperiment(a.store()->session(), QStringLiteral("ab-1"), QStringLiteral("approved"), arms, {});
        QVERIFY(x.ok());
        a.node->storeWorker()->syncNow();
        auto b = std::make_unique<Node>(configFor(a, QStringLiteral("journal-b")));
        QVERIFY(b->start().ok());

        // Twenty end users and three conversations without one, on both nodes.
        QStringList users;
        for (int i = 0; i < 20; ++i)
            users << QStringLiteral("user-%1").arg(i);
        const QStringList conversations { QStringLiteral("first chat"), QStringLiteral("second chat"),
            QStringLiteral("third chat") };
        QMap<QString, QByteArray> armOf; // unit -> the arm node a put it in
        QMap<QByteArray, int> expectedEvents;
        int requests = 0;
        auto expect = [&](const QString &unit, const NodeFixture::Reply &r) {
            QCOMPARE(r.status, 200);
            const QByteArray arm = r.headers.value("x-l0-arm");
            QVERIFY2(!arm.isEmpty(), qPrintable(unit));
            // The arm is the pure hash of experiment name and unit: nothing the node remembered.
            QCOMPARE(QString::fromUtf8(arm), assignArm(*x, unit)->name);
            if (armOf.contains(unit))
                QCOMPARE(arm, armOf.value(unit));
            armOf.insert(unit, arm);
            ++expectedEvents[arm];
            ++requests;
        };
        auto round = [&](quint16 port, const QString &tag) {
            for (const QString &u : users) {
                const auto r
                    = chatOn(a, port, a.keyApproved, ask(QStringLiteral("question %1 from %2").arg(tag, u), u));
                expect(QStringLiteral("user:") + u, r);
            }
            for (const QString &c : conversations) {
                ChatRequest probe;
                probe.messages = QJsonArray { QJsonObject {
                    { QStringLiteral("role"), QStringLiteral("user") }, { QStringLiteral("content"), c } } };
                const auto r = chatOn(a, port, a.keyApproved, ask(c));
                expect(assignmentUnit(probe, QString()), r);
            }
        };
        round(a.node->port(), QStringLiteral("on a"));
        round(b->port(), QStringLiteral("on b"));
        QVERIFY(expectedEvents.value("A") > 0 && expectedEvents.value("B") > 0); // both arms in use

        // A restart of node b: nothing in memory carried over, the same arms.
        b->stop();
        b = std::make_unique<Node>(configFor(a, QStringLiteral("journal-b")));
        QVERIFY(b->start().ok());
        round(b->port(), QStringLiteral("after restart"));
        b->stop();

        // Every event names the experiment and the arm it was served under.
        a.settle();
        auto rows = a.store()->session().query(
            QStringLiteral("SELECT arm, COUNT(*) FROM ledger_events WHERE experiment_id = ? GROUP BY arm ORDER BY arm"),
            { SqlSession::num(x->id) });
        QVERIFY(rows.ok());
        QCOMPARE(rows->size(), size_t(2));
        QCOMPARE(rows->at(0).text(0), QStringLiteral("A"));
        QCOMPARE(int(rows->at(0).int64(1)), expectedEvents.value("A"));
        QCOMPARE(rows->at(1).text(0), QStringLiteral("B"));
        QCOMPARE(int(rows->at(1).int64(1)), expectedEvents.value("B"));
        auto outside
            = a.store()->session().query(QStringLiteral("SELECT COUNT(*) FROM ledger_events WHERE experiment_id = 0"));
        QCOMPARE(outside->at(0).int64(0), 0);
        QCOMPARE(int(rows->at(0).int64(1) + rows->at(1).int64(1)), requests);
    }

    // The arm's cache policy serves the request: an approved answer is a hit for arm A
    // (cache:approved) and only a shadow hit for arm B (cache:shadow); once the experiment
    // stops, both get the tenant's own policy and no arm.
    void armPolicyApplies()
    {
        NodeFixture f;
        QVERIFY(startFixture(f));
        const QByteArray question = ask(QStringLiteral("how do I reset my password"));
        QCOMPARE(f.chat(f.keyApproved, question).status, 200);
        f.settle();
        auto store = f.store();
        auto queue = store->queue(QueueFilter {});
        QCOMPARE(int(queue->size()), 1);
        QVERIFY(
            store->decide(queue->at(0).entryId, queue->at(0).version, VersionState::Approved, QStringLiteral("rev"), {})
                .ok());
        std::vector<ExperimentArm> arms { { QStringLiteral("A"),
                                              parseArmPolicy(QStringLiteral("cache:approved")).value(), 50 },
            { QStringLiteral("B"), parseArmPolicy(QStringLiteral("cache:shadow")).value(), 50 } };
        auto x = createExperiment(
            store->session(), QStringLiteral("shadow-vs-served"), QStringLiteral("approved"), arms, {});
        QVERIFY(x.ok());
        f.node->storeWorker()->syncNow();
        // A user of each arm, found by the assignment function.
        QString userA, userB;
        for (int i = 0; (userA.isEmpty() || userB.isEmpty()) && i < 1000; ++i) {
            const QString u = QStringLiteral("u%1").arg(i);
            (assignArm(*x, QStringLiteral("user:") + u)->name == QLatin1String("A") ? userA : userB) = u;
        }
        const QByteArray same = ask(QStringLiteral("how do I reset my password"), userA);
        auto ra = f.chat(f.keyApproved, same);
        QCOMPARE(ra.headers.value("x-l0-arm"), QByteArray("A"));
        QCOMPARE(ra.headers.value("x-l0-cache"), QByteArray("hit"));
        auto rb = f.chat(f.keyApproved, ask(QStringLiteral("how do I reset my password"), userB));
        QCOMPARE(rb.headers.value("x-l0-arm"), QByteArray("B"));
        QCOMPARE(rb.headers.value("x-l0-cache"), QByteArray("shadow-hit"));

        QVERIFY(stopExperiment(store->session(), QStringLiteral("shadow-vs-served")).ok());
        f.node->storeWorker()->syncNow();
        rb = f.chat(f.keyApproved, ask(QStringLiteral("how do I reset my password"), userB));
        QVERIFY(!rb.headers.contains("x-l0-arm"));
        QCOMPARE(rb.headers.value("x-l0-cache"), QByteArray("hit"));
        f.settle();
        auto rows = store->session().query(QStringLiteral("SELECT arm, shadow_hit, tier FROM ledger_events WHERE "
                                                          "experiment_id = ? ORDER BY id"),
            { SqlSession::num(x->id) });
        QCOMPARE(rows->size(), size_t(2));
        QCOMPARE(rows->at(0).text(0), QStringLiteral("A"));
        QCOMPARE(rows->at(0).text(2), QStringLiteral("exact"));
        QCOMPARE(rows->at(1).text(0), QStringLiteral("B"));
        QCOMPARE(rows->at(1).int64(1), 1);
        QCOMPARE(rows->at(1).text(2), QStringLiteral("upstream"));
    }
    // An arm's route part replaces the strategy of the tenant's route policy: the tenant routes
    // gpt-4o by the learned router; arm A (route:fixed) asks gpt-4o as requested, arm B
    // (route:learned) is routed as the tenant is without the experiment.
    void armRouteStrategyApplies()
    {
        NodeFixture f;
        QVERIFY(startFixture(f));
        RoutePolicy p;
        p.model = QStringLiteral("gpt-4o");
        p.candidates = { QStringLiteral("gpt-4o-mini"), QStringLiteral("gpt-4o") };
        p.strategy = RouteStrategy::Learned;
        p.router = writeFlatRouter(f.dir.filePath(QStringLiteral("router.json")));
        QVERIFY(!p.router.isEmpty());
        QVERIFY(setTenantRoutePolicies(f.store()->session(), QStringLiteral("approved"), { p }).ok());
        f.settle();
        auto body = [](const QString &q, const QString &user) {
            QJsonObject o = QJsonDocument::fromJson(ask(q, user)).object();
            o.insert(QStringLiteral("model"), QStringLiteral("gpt-4o"));
            return QJsonDocument(o).toJson(QJsonDocument::Compact);
        };
        const auto before = f.chat(f.keyApproved, body(QStringLiteral("what is two plus two"), QStringLiteral("x")));
        QCOMPARE(before.status, 200);
        QCOMPARE(before.headers.value("x-l0-route"), QByteArray("learned"));

        std::vector<ExperimentArm> arms { { QStringLiteral("A"), parseArmPolicy(QStringLiteral("route:fixed")).value(),
                                              50 },
            { QStringLiteral("B"), parseArmPolicy(QStringLiteral("route:learned@0.9")).value(), 50 } };
        auto x
            = createExperiment(f.store()->session(), QStringLiteral("route-ab"), QStringLiteral("approved"), arms, {});
        QVERIFY(x.ok());
        f.node->storeWorker()->syncNow();
        int seenA = 0, seenB = 0;
        for (int i = 0; i < 12; ++i) {
            const QString u = QStringLiteral("r%1").arg(i);
            const QString arm = assignArm(*x, QStringLiteral("user:") + u)->name;
            const auto r = f.chat(f.keyApproved, body(QStringLiteral("route question %1").arg(i), u));
            QCOMPARE(r.status, 200);
            QCOMPARE(QString::fromUtf8(r.headers.value("x-l0-arm")), arm);
            if (arm == QLatin1String("A")) {
                ++seenA;
                QCOMPARE(r.headers.value("x-l0-route"), QByteArray("fixed"));
                QCOMPARE(r.headers.value("x-l0-model"), QByteArray("gpt-4o"));
            } else {
                ++seenB;
                QCOMPARE(r.headers.value("x-l0-route"), QByteArray("learned"));
            }
        }
        QVERIFY(seenA > 0 && seenB > 0);
    }
    // POST /v1/feedback {"id", "score"}: the id a response carried is on its ledger event (a miss
    // here), a score for it is stored (the same end user's later score replacing the earlier) and
    // counts in the arm that served it; another tenant's id is unknown; bad bodies get 400s.
    void responseFeedbackScoresArms()
    {
        NodeFixture f;
        QVERIFY(startFixture(f));
        auto store = f.store();
        std::vector<ExperimentArm> arms { { QStringLiteral("A"),
                                              parseArmPolicy(QStringLiteral("cache:approved")).value(), 50 },
            { QStringLiteral("B"), parseArmPolicy(QStringLiteral("cache:shadow")).value(), 50 } };
        auto x = createExperiment(store->session(), QStringLiteral("scores"), QStringLiteral("approved"), arms, {});
        QVERIFY(x.ok());
        f.node->storeWorker()->syncNow();
        QString userA, userB;
        for (int i = 0; (userA.isEmpty() || userB.isEmpty()) && i < 1000; ++i) {
            const QString u = QStringLiteral("s%1").arg(i);
            (assignArm(*x, QStringLiteral("user:") + u)->name == QLatin1String("A") ? userA : userB) = u;
        }
        const auto ra = f.chat(f.keyApproved, ask(QStringLiteral("first scored question"), userA));
        const auto rb = f.chat(f.keyApproved, ask(QStringLiteral("second scored question"), userB));
        QCOMPARE(ra.status, 200);
        QCOMPARE(ra.headers.value("x-l0-cache"), QByteArray("miss"));
        const QString idA = ra.json.value(QStringLiteral("id")).toString();
        const QString idB = rb.json.value(QStringLiteral("id")).toString();
        QVERIFY(idA.startsWith(QLatin1String("chatcmpl-")));
        QVERIFY(idA != idB);
        // An Anthropic response's id too (the tenant is outside any experiment here: "auto").
        const auto rm = f.request("POST", QStringLiteral("/v1/messages"), f.keyAuto,
            QByteArrayLiteral(R"({"model":"claude-3-5-haiku-latest","max_tokens":50,)"
                              R"("messages":[{"role":"user","content":"an anthropic question"}]})"));
        QCOMPARE(rm.status, 200);
        const QString idM = rm.json.value(QStringLiteral("id")).toString();
        QVERIFY(idM.startsWith(QLatin1String("msg_")));
        f.settle();
        auto rows = store->session().query(
            QStringLiteral(
                "SELECT response_id, arm, tier FROM ledger_events WHERE response_id IN (?, ?, ?) ORDER BY id"),
            { SqlSession::str(idA), SqlSession::str(idB), SqlSession::str(idM) });
        QVERIFY(rows.ok());
        QCOMPARE(rows->size(), size_t(3));
        QCOMPARE(rows->at(0).text(0), idA);
        QCOMPARE(rows->at(0).text(1), QStringLiteral("A"));
        QCOMPARE(rows->at(0).text(2), QStringLiteral("upstream"));
        QCOMPARE(rows->at(1).text(1), QStringLiteral("B"));
        QCOMPARE(rows->at(2).text(0), idM);

        // Each miss filed its answer as a candidate that names the response; a reviewer approves
        // arm A's and rejects arm B's: the verdicts count for the arms that sent them.
        auto filed = store->session().query(
            QStringLiteral("SELECT v.entry_id, v.version, v.response_id FROM versions v WHERE v.response_id IN (?, ?) "
                           "ORDER BY v.response_id"),
            { SqlSession::str(idA), SqlSession::str(idB) });
        QVERIFY(filed.ok());
        QCOMPARE(filed->size(), size_t(2));
        for (const SqlSession::Row &v : *filed) {
            const bool good = v.text(2) == idA;
            QVERIFY(store
                        ->decide(v.int64(0), int(v.int64(1)), good ? VersionState::Approved : VersionState::Rejected,
                            QStringLiteral("rev"), good ? QString() : QStringLiteral("wrong"))
                        .ok());
        }

        auto rate = [&](const QString &key, const QByteArray &body) {
            return f.request("POST", QStringLiteral("/v1/feedback"), key, body);
        };
        QCOMPARE(rate(f.keyApproved, scoreBody(idA, 0.2)).status, 202);
        const auto again = rate(f.keyApproved, scoreBody(idA, 0.9)); // replaces the 0.2
        QCOMPARE(again.status, 202);
        QCOMPARE(again.json.value(QStringLiteral("id")).toString(), idA);
        QCOMPARE(rate(f.keyApproved, scoreBody(idB, 0.25)).status, 202);

        // Another tenant's response reads as unknown, as does an id never sent.
        const auto foreign = rate(f.keyApproved, scoreBody(idM, 1));
        QCOMPARE(foreign.status, 404);
        QCOMPARE(foreign.json.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
            QStringLiteral("response_not_found"));
        QCOMPARE(rate(f.keyAuto, scoreBody(idA, 1)).status, 404);
        QCOMPARE(rate(f.keyApproved, scoreBody(QStringLiteral("chatcmpl-never"), 1)).status, 404);
        QCOMPARE(rate(f.keyAuto, scoreBody(idM, 1)).status, 202); // its own
        // Bad bodies: clear 400s naming the field.
        auto param = [](const NodeFixture::Reply &r) {
            return r.json.value(QStringLiteral("error")).toObject().value(QStringLiteral("param")).toString();
        };
        const auto outOfRange = rate(f.keyApproved, scoreBody(idA, 1.5));
        QCOMPARE(outOfRange.status, 400);
        QCOMPARE(param(outOfRange), QStringLiteral("score"));
        QCOMPARE(rate(f.keyApproved, scoreBody(idA, -0.1)).status, 400);
        const auto boolean = rate(f.keyApproved, QByteArray(R"({"id":")" + idA.toUtf8() + R"(","score":true})"));
        QCOMPARE(boolean.status, 400);
        QCOMPARE(param(boolean), QStringLiteral("score"));
        const auto noId = rate(f.keyApproved, QByteArrayLiteral(R"({"score":0.5})"));
        QCOMPARE(noId.status, 400);
        QCOMPARE(param(noId), QStringLiteral("id"));
        QCOMPARE(rate(f.keyApproved, QByteArrayLiteral(R"({"id": 12, "score":0.5})")).status, 400);
        QCOMPARE(rate(f.keyApproved, QByteArrayLiteral("{not json")).status, 400);
        QCOMPARE(rate(f.keyApproved, QByteArrayLiteral("[1,2]")).status, 400);
        QCOMPARE(rate(f.keyApproved, QByteArrayLiteral("")).status, 400);
        QCOMPARE(rate(f.keyApproved, QByteArray("{\"id\":\"\xff\xfe\",\"score\":1}")).status, 400);
        QCOMPARE(rate(QStringLiteral("not-a-key"), scoreBody(idA, 1)).status, 401);

        f.settle();
        auto stored = store->session().query(QStringLiteral("SELECT response_id, score_micros FROM response_feedback "
                                                            "ORDER BY response_id"));
        QVERIFY(stored.ok());
        QCOMPARE(stored->size(), size_t(3)); // idA once (the later score), idB, idM
        auto report = loadExperimentReport(store->session(), QStringLiteral("scores"));
        QVERIFY(report.ok());
        QCOMPARE(report->arms[0].scores, std::vector<double>({ 0.9 }));
        QCOMPARE(report->arms[1].scores, std::vector<double>({ 0.25 }));
        const QJsonObject j = experimentReportJson(*report);
        const QJsonObject qa
            = j.value(QStringLiteral("arms")).toArray().at(0).toObject().value(QStringLiteral("quality")).toObject();
        QCOMPARE(qa.value(QStringLiteral("signal")).toString(), QStringLiteral("response_score"));
        QCOMPARE(qa.value(QStringLiteral("n")).toInt(), 1);
        QCOMPARE(qa.value(QStringLiteral("mean")).toDouble(), 0.9);
        QCOMPARE(report->arms[0].reviewApproved, 1);
        QCOMPARE(report->arms[0].reviewRejected, 0);
        QCOMPARE(report->arms[1].reviewApproved, 0);
        QCOMPARE(report->arms[1].reviewRejected, 1);
        const QJsonObject vb = j.value(QStringLiteral("arms"))
                                   .toArray()
                                   .at(1)
                                   .toObject()
                                   .value(QStringLiteral("reviewer_verdicts"))
                                   .toObject();
        QCOMPARE(vb.value(QStringLiteral("rejected")).toInt(), 1);
        QCOMPARE(vb.value(QStringLiteral("good_rate")).toObject().value(QStringLiteral("rate")).toDouble(), 0.0);
        QVERIFY(experimentReportText(*report).contains(QLatin1String("1 approved, 0 rejected")));
    }
    // A response this node sent before a restart, or another node sent, is not in the node's
    // memory: its ledger event in the store says whether the tenant was sent it. The score is
    // taken (202) and lands; another tenant's id or one never sent is still unknown (404); with
    // the store down, a clear 503 rather than a 404 the client would believe.
    void responseFeedbackAfterRestartAndAcrossNodes()
    {
        NodeFixture f;
        QVERIFY(startFixture(f));
        const auto before
            = f.chat(f.keyApproved, ask(QStringLiteral("asked before the restart"), QStringLiteral("u1")));
        const auto foreign = f.chat(f.keyAuto, ask(QStringLiteral("asked by another tenant")));
        QCOMPARE(before.status, 200);
        QCOMPARE(foreign.status, 200);
        const QString idBefore = before.json.value(QStringLiteral("id")).toString();
        const QString idForeign = foreign.json.value(QStringLiteral("id")).toString();
        QVERIFY(!idBefore.isEmpty() && !idForeign.isEmpty());

        // The same node again, on the same store and journal: its memory of what it sent is gone.
        f.node->stop();
        f.node = std::make_unique<Node>(configFor(f, QStringLiteral("journal")));
        QVERIFY(f.node->start().ok());
        auto b = std::make_unique<Node>(configFor(f, QStringLiteral("journal-b")));
        QVERIFY(b->start().ok());

        auto rateOn = [&](quint16 port, const QString &key, const QByteArray &body) {
            return f.requestOn(port, "POST", QStringLiteral("/v1/feedback"), key, body);
        };
        auto code = [](const NodeFixture::Reply &r) {
            return r.json.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString();
        };
        const quint16 a = f.node->port();

        const auto restarted = rateOn(a, f.keyApproved, scoreBody(idBefore, 0.7));
        QCOMPARE(restarted.status, 202);
        QCOMPARE(restarted.json.value(QStringLiteral("id")).toString(), idBefore);
        const auto theirs = rateOn(a, f.keyApproved, scoreBody(idForeign, 1));
        QCOMPARE(theirs.status, 404);
        QCOMPARE(code(theirs), QStringLiteral("response_not_found"));
        QCOMPARE(rateOn(a, f.keyApproved, scoreBody(QStringLiteral("chatcmpl-never-sent"), 1)).status, 404);
        QCOMPARE(rateOn(b->port(), f.keyApproved, scoreBody(idForeign, 1)).status, 404);

        // Sent by the restarted node, scored on the other one once its ledger event is written.
        const auto later = f.chat(f.keyApproved, ask(QStringLiteral("asked after the restart")));
        QCOMPARE(later.status, 200);
        const QString idLater = later.json.value(QStringLiteral("id")).toString();
        f.settle();
        QCOMPARE(rateOn(b->port(), f.keyApproved, scoreBody(idLater, 0.4)).status, 202);
        QCOMPARE(rateOn(b->port(), f.keyAuto, scoreBody(idForeign, 0.1)).status, 202);
        QCOMPARE(rateOn(b->port(), f.keyAuto, scoreBody(idLater, 0.1)).status, 404);

        QVERIFY(QTest::qWaitFor([&] { return b->storeWorker()->pendingWrites() == 0; }, 5000));
        b->storeWorker()->syncNow();
        f.settle();
        auto store = f.store();
        auto stored = store->session().query(QStringLiteral("SELECT response_id, score_micros, end_user FROM "
                                                            "response_feedback ORDER BY score_micros"));
        QVERIFY(stored.ok());
        QCOMPARE(stored->size(), size_t(3));
        QCOMPARE(stored->at(0).text(0), idForeign);
        QCOMPARE(stored->at(0).int64(1), qint64(100000));
        QCOMPARE(stored->at(1).text(0), idLater);
        QCOMPARE(stored->at(1).int64(1), qint64(400000));
        QCOMPARE(stored->at(2).text(0), idBefore);
        QCOMPARE(stored->at(2).int64(1), qint64(700000));

#ifdef L0_STORE_PG
        // The store down: an id the node does not hold cannot be checked, and says so.
        m_pg.stop();
        const auto down = rateOn(b->port(), f.keyApproved, scoreBody(idBefore, 0.9));
        QCOMPARE(down.status, 503);
        QCOMPARE(code(down), QStringLiteral("store_unavailable"));
        QVERIFY(down.headers.contains("retry-after"));
        // What the node sent itself is still known from memory.
        QCOMPARE(rateOn(a, f.keyApproved, scoreBody(idLater, 0.5)).status, 202);
        QString error;
        QVERIFY2(m_pg.restart(&error), qPrintable(error));
        QVERIFY(QTest::qWaitFor(
            [&] { return rateOn(b->port(), f.keyApproved, scoreBody(idBefore, 0.9)).status == 202; }, 15000));
#endif
        b->stop();
    }
};

QTEST_MAIN(TestExperimentNode)
#include "tst_experiment_node.moc"
