#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "cache/hotcache.h"
#include "ledger/pricetable.h"
#include "nodefixture.h"
#include "store/sqlsession.h"
#include "upstream/simulatedprovider.h"

using namespace l0;

namespace {
const QByteArray kHello
    = R"({"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"How do I reset my password?"}]})";

qint64 metric(NodeFixture &f, const QByteArray &name)
{
    const auto r = f.request("GET", QStringLiteral("/metrics"), {});
    for (const QByteArray &line : r.body.split('\n')) {
        if (line.startsWith(QByteArray(name + " ")))
            return line.mid(name.size() + 1).toLongLong();
    }
    return -1;
}
} // namespace

// The node's request path, in process, over real HTTP.
class TestNodeService : public QObject {
    Q_OBJECT
    NodeFixture f;

private slots:
    void initTestCase() { QVERIFY(f.start()); }
    void cleanupTestCase() { f.node.reset(); }

    void approvedEntryIsServedWithoutUpstream()
    {
        const auto miss = f.chat(f.keyApproved, kHello);
        QCOMPARE(miss.status, 200);
        QCOMPARE(miss.headers.value("x-l0-cache"), QByteArray("miss"));
        f.settle();
        const auto again = f.chat(f.keyApproved, kHello);
        QCOMPARE(again.headers.value("x-l0-cache"), QByteArray("miss")); // not approved yet
        f.settle();

        auto store = f.store();
        auto queue = store->queue(QueueFilter {});
        QCOMPARE(int(queue->size()), 1);
        QCOMPARE(queue->at(0).tenant, QStringLiteral("approved"));
        QCOMPARE(queue->at(0).hits, 2);
        QVERIFY(
            store->decide(queue->at(0).entryId, queue->at(0).version, VersionState::Approved, QStringLiteral("rev"), {})
                .ok());
        f.settle();

        const qint64 callsBefore = metric(f, "l0_simulated_upstream_calls_total");
        const auto hit = f.chat(f.keyApproved, kHello);
        QCOMPARE(hit.status, 200);
        QCOMPARE(hit.headers.value("x-l0-cache"), QByteArray("hit"));
        QCOMPARE(hit.headers.value("x-l0-tier"), QByteArray("exact"));
        QCOMPARE(hit.headers.value("x-l0-entry"), QByteArray::number(queue->at(0).entryId) + "@1");
        QCOMPARE(NodeFixture::content(hit), NodeFixture::content(miss));
        QCOMPARE(metric(f, "l0_simulated_upstream_calls_total"), callsBefore);

        // Another tenant never sees it.
        QCOMPARE(f.chat(f.keyAuto, kHello).headers.value("x-l0-cache"), QByteArray("miss"));

        // Revocation stops serving.
        QVERIFY(store->decide(queue->at(0).entryId, 1, VersionState::Revoked, QStringLiteral("rev"), {}).ok());
        f.settle();
        QCOMPARE(f.chat(f.keyApproved, kHello).headers.value("x-l0-cache"), QByteArray("miss"));
    }
    void autoLowRiskServesCandidates()
    {
        const QByteArray body
            = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"auto policy question"}]})";
        QCOMPARE(f.chat(f.keyAuto, body).headers.value("x-l0-cache"), QByteArray("miss"));
        f.settle();
        QCOMPARE(f.chat(f.keyAuto, body).headers.value("x-l0-cache"), QByteArray("hit"));
    }
    void shadowRecordsWouldBeHits()
    {
        const QByteArray body = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"shadow question"}]})";
        f.chat(f.keyShadow, body);
        f.settle();
        auto store = f.store();
        auto q = store->queue(QueueFilter { std::nullopt, false, QStringLiteral("shadow"), 10 });
        QCOMPARE(int(q->size()), 1);
        QVERIFY(store->decide(q->at(0).entryId, 0, VersionState::Approved, QStringLiteral("rev"), {}).ok());
        f.settle();
        const auto r = f.chat(f.keyShadow, body);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers.value("x-l0-cache"), QByteArray("shadow-hit"));
        f.settle();
        auto totals = store->ledgerTotals(LedgerFilter { std::nullopt, std::nullopt, QStringLiteral("shadow") });
        QCOMPARE(totals->shadowHits, 1);
        QCOMPARE(totals->hits, 0);
        QVERIFY(totals->shadowWouldSaveMicros > 0);
    }
    void riskyCandidatesNeedReview()
    {
        // The simulated answer quotes the question, card number included: high risk, so even an
        // auto_low_risk tenant does not serve it before two people approve it.
        const QByteArray body
            = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"is 4111 1111 1111 1111 my card?"}]})";
        QCOMPARE(f.chat(f.keyAuto, body).headers.value("x-l0-cache"), QByteArray("miss"));
        f.settle();
        QCOMPARE(f.chat(f.keyAuto, body).headers.value("x-l0-cache"), QByteArray("miss"));
        f.settle();
        // A phishing link in the answer: high risk too.
        const QByteArray phish
            = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"log in at http://192.168.4.4/paypal-login/verify now"}]})";
        QCOMPARE(f.chat(f.keyAuto, phish).headers.value("x-l0-cache"), QByteArray("miss"));
        f.settle();
        QCOMPARE(f.chat(f.keyAuto, phish).headers.value("x-l0-cache"), QByteArray("miss"));
        f.settle();
        auto store = f.store();
        const auto items = store->queue(QueueFilter { std::nullopt, false, QStringLiteral("auto"), 100 });
        bool card = false, link = false;
        for (const auto &item : *items) {
            // The findings are stored with the version, evidence spans included.
            const QJsonObject report = QJsonDocument::fromJson(item.findings).object();
            QStringList detectors;
            for (const QJsonValue &v : report.value(QStringLiteral("findings")).toArray()) {
                detectors << v.toObject().value(QStringLiteral("detector")).toString();
                QVERIFY(!v.toObject().value(QStringLiteral("spans")).toArray().isEmpty());
            }
            QCOMPARE(report.value(QStringLiteral("risk")).toString(), item.risk);
            if (item.query.contains(QStringLiteral("4111"))) {
                card = item.risk == QStringLiteral("high") && detectors.contains(QStringLiteral("pii.card"));
                QVERIFY(!report.value(QStringLiteral("reasons")).toArray().isEmpty());
            }
            if (item.query.contains(QStringLiteral("192.168.4.4")))
                link = item.risk == QStringLiteral("high")
                    && detectors.contains(QStringLiteral("phishing.ip_literal_url"));
        }
        QVERIFY(card);
        QVERIFY(link);
    }
    void tenantSafetyProfile()
    {
        // The "auto" tenant's profile adds a national ID format: its candidates carry it, and
        // the finding makes them high risk, so auto_low_risk does not serve them.
        NodeFixture g;
        const QString dir = g.dir.filePath(QStringLiteral("safety"));
        QVERIFY(QDir().mkpath(dir));
        QFile profile(dir + QStringLiteral("/auto.json"));
        QVERIFY(profile.open(QIODevice::WriteOnly));
        profile.write("{\"national_ids\": [{\"name\": \"pii.staff_id\", \"pattern\": \"\\\\bEMP-\\\\d{6}\\\\b\", "
                      "\"severity\": \"high\"}]}");
        profile.close();
        NodeConfig config;
        config.safetyProfiles = dir;
        QVERIFY(g.start(config));
        const QByteArray body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":"
                                "\"who is EMP-123456?\"}]}";
        QCOMPARE(g.chat(g.keyAuto, body).headers.value("x-l0-cache"), QByteArray("miss"));
        g.settle();
        QCOMPARE(g.chat(g.keyAuto, body).headers.value("x-l0-cache"), QByteArray("miss"));
        g.settle();
        auto store = g.store();
        const auto items = store->queue(QueueFilter { std::nullopt, false, QStringLiteral("auto"), 100 });
        QVERIFY(items.ok() && !items->empty());
        QVERIFY(items->front().findings.contains("pii.staff_id"));
        QCOMPARE(items->front().risk, QStringLiteral("high"));
        // A profile that does not load stops the node from starting, with the file named.
        NodeFixture h;
        QFile bad(h.dir.filePath(QStringLiteral("auto.json")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{\"national_ids\": [{\"name\": \"pii.x\", \"pattern\": \"(\"}]}");
        bad.close();
        NodeConfig badConfig;
        badConfig.safetyProfiles = h.dir.path();
        QVERIFY(!h.start(badConfig));
    }
    void cacheControl()
    {
        const QByteArray body = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"cache control"}]})";
        QCOMPARE(f.chat(f.keyAuto, body, { { "Cache-Control", "no-store" } }).headers.value("x-l0-cache"),
            QByteArray("miss"));
        f.settle();
        QCOMPARE(f.chat(f.keyAuto, body).headers.value("x-l0-cache"), QByteArray("miss")); // nothing was stored
        f.settle();
        QCOMPARE(f.chat(f.keyAuto, body).headers.value("x-l0-cache"), QByteArray("hit"));
        QCOMPARE(f.chat(f.keyAuto, body, { { "Cache-Control", "no-cache" } }).headers.value("x-l0-cache"),
            QByteArray("bypass"));
    }
    void namespacesPartition()
    {
        const QByteArray body = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"namespaced"}]})";
        f.chat(f.keyAuto, body, { { "x-l0-namespace", "team-a" } });
        f.settle();
        QCOMPARE(
            f.chat(f.keyAuto, body, { { "x-l0-namespace", "team-a" } }).headers.value("x-l0-cache"), QByteArray("hit"));
        QCOMPARE(f.chat(f.keyAuto, body, { { "x-l0-namespace", "team-b" } }).headers.value("x-l0-cache"),
            QByteArray("miss"));
        QCOMPARE(f.chat(f.keyAuto, body, { { "x-l0-namespace", "bad namespace!" } }).status, 400);
    }
    void uncacheableRequestsBypass()
    {
        const QByteArray body = R"({"model":"gpt-4o-mini","n":2,"messages":[{"role":"user","content":"two answers"}]})";
        QCOMPARE(f.chat(f.keyAuto, body).headers.value("x-l0-cache"), QByteArray("bypass"));
    }
    void upstreamFailureIsNotCached()
    {
        const QByteArray body
            = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"fail please [sim-fail:500]"}]})";
        const auto r = f.chat(f.keyAuto, body);
        QCOMPARE(r.status, 502);
        QVERIFY(r.json.value(QStringLiteral("error")).toObject().contains(QStringLiteral("message")));
        f.settle();
        QCOMPARE(f.chat(f.keyAuto, body).status, 502);
        auto q = f.store()->queue(QueueFilter { std::nullopt, true, QStringLiteral("auto"), 100 });
        for (const auto &item : *q)
            QVERIFY(!item.query.contains(QStringLiteral("sim-fail")));
        const auto rate = f.chat(f.keyAuto, R"({"model":"m","messages":[{"role":"user","content":"[sim-fail:429]"}]})");
        QCOMPARE(rate.status, 429);
    }
    void ledgerCountsEveryRequest()
    {
        f.settle();
        auto t = f.store()->ledgerTotals({});
        QVERIFY(t->requests >= 10);
        QVERIFY(t->hits >= 3);
        QVERIFY(t->savedMicros > 0);
        QCOMPARE(t->savedMicros, t->baselineMicros - t->actualMicros);
    }
    void unpricedModelIsFlagged()
    {
        const QByteArray body = R"({"model":"house-model-7b","messages":[{"role":"user","content":"unpriced"}]})";
        QCOMPARE(f.chat(f.keyApproved, body).status, 200);
        f.settle();
        QVERIFY(f.store()->ledgerTotals({})->unpricedRequests >= 1);
    }
    void intentTierServesParaphrasesWithFilledTemplates()
    {
        QFile packFile(QStringLiteral(L0_TEST_DATA_DIR "/support-pack.json"));
        QVERIFY(packFile.open(QIODevice::ReadOnly));
        auto store = f.store();
        auto rec = store->addRulePack(
            QStringLiteral("auto"), QStringLiteral("support"), 1, packFile.readAll(), QStringLiteral("admin"));
        QVERIFY(rec.ok());
        f.settle();
        // Not active until approved.
        const QByteArray first
            = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"I need to cancel order #12345"}]})";
        QCOMPARE(f.chat(f.keyAuto, first).headers.value("x-l0-cache"), QByteArray("miss"));
        f.settle();
        QVERIFY(store->decideRulePack(rec->id, true, QStringLiteral("reviewer")).ok());
        f.settle();

        const auto miss = f.chat(f.keyAuto, first, { { "Cache-Control", "no-cache" } }); // skip the exact answer
        QCOMPARE(miss.status, 200);
        f.settle();
        auto queue = store->queue(QueueFilter { std::nullopt, false, QStringLiteral("auto"), 100 });
        bool templated = false;
        for (const auto &item : *queue)
            templated = templated
                || (item.tier == QStringLiteral("l0") && item.preview.contains(QStringLiteral("{order_id}")));
        QVERIFY2(templated, "the L0 candidate carries {order_id} in place of 12345");

        const auto para
            = f.chat(f.keyAuto, R"({"model":"gpt-4o","messages":[{"role":"user","content":"cancel my order 67890"}]})");
        QCOMPARE(para.headers.value("x-l0-cache"), QByteArray("hit"));
        QCOMPARE(para.headers.value("x-l0-tier"), QByteArray("l0"));
        QVERIFY2(NodeFixture::content(para).contains(QStringLiteral("67890")), qPrintable(NodeFixture::content(para)));
        QVERIFY(!NodeFixture::content(para).contains(QStringLiteral("12345")));

        // Streamed, the filled template replays too.
        const auto stream = f.chat(f.keyAuto,
            R"({"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"please stop shipment ABC-999"}]})");
        QCOMPARE(stream.headers.value("x-l0-tier"), QByteArray("l0"));
        QVERIFY(stream.body.contains("ABC-999"));

        // Without an order number the key differs; with earlier turns too; a negation abstains.
        QCOMPARE(f.chat(f.keyAuto, R"({"model":"gpt-4o","messages":[{"role":"user","content":"cancel my order"}]})")
                     .headers.value("x-l0-cache"),
            QByteArray("miss"));
        QCOMPARE(
            f.chat(f.keyAuto,
                 R"({"model":"gpt-4o","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"},{"role":"user","content":"cancel my order 4444"}]})")
                .headers.value("x-l0-cache"),
            QByteArray("miss"));
        QCOMPARE(
            f.chat(f.keyAuto,
                 R"({"model":"gpt-4o","messages":[{"role":"user","content":"I do not want to cancel order 5555"}]})")
                .headers.value("x-l0-tier"),
            QByteArray("upstream"));
        // Other tenants have no pack.
        QCOMPARE(f.chat(f.keyApproved,
                      R"({"model":"gpt-4o","messages":[{"role":"user","content":"cancel my order 67890"}]})")
                     .headers.value("x-l0-tier"),
            QByteArray("upstream"));
        f.settle();
        QVERIFY(store->ledgerTotals({})->requestsByTier.value(QStringLiteral("l0")) >= 2);
    }
    void authAndRoutes()
    {
        QCOMPARE(f.chat(QString(), kHello).status, 401);
        const auto wrong = f.chat(QStringLiteral("l0-not-a-key"), kHello);
        QCOMPARE(wrong.status, 401);
        QCOMPARE(wrong.json.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
            QStringLiteral("invalid_api_key"));
        QCOMPARE(f.request("GET", QStringLiteral("/v1/models"), QString()).status, 401);
        QCOMPARE(f.request("GET", QStringLiteral("/v1/models"), f.keyApproved)
                     .json.value(QStringLiteral("object"))
                     .toString(),
            QStringLiteral("list"));
        // The list comes from configuration: by default every model in the price table.
        QStringList listed;
        for (const QJsonValue &m :
            f.request("GET", QStringLiteral("/v1/models"), f.keyApproved).json.value(QStringLiteral("data")).toArray())
            listed.append(m.toObject().value(QStringLiteral("id")).toString());
        QCOMPARE(listed, PriceTable::builtin()->models());
        QVERIFY(listed.contains(QStringLiteral("gpt-4o-mini")));
        const auto missing = f.request("GET", QStringLiteral("/nope"), f.keyApproved);
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.json.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
            QStringLiteral("unknown_url"));
        const auto wrongMethod = f.request("GET", QStringLiteral("/v1/messages"), f.keyApproved);
        QCOMPARE(wrongMethod.status, 405);
        QCOMPARE(wrongMethod.headers.value("allow"), QByteArray("POST"));
        QCOMPARE(
            wrongMethod.json.value(QStringLiteral("type")).toString(), QStringLiteral("error")); // Anthropic's shape
        QCOMPARE(f.request("GET", QStringLiteral("/v1/chat/completions"), f.keyApproved).status, 405);
        QCOMPARE(f.request("GET", QStringLiteral("/healthz"), {}).status, 200);
        QCOMPARE(f.request("GET", QStringLiteral("/readyz"), {}).status, 200);
        QVERIFY(metric(f, "l0_cache_misses_total") > 0);
    }
    void modelsFromConfiguration()
    {
        NodeFixture g;
        NodeConfig config;
        config.upstreamModels = QStringList { QStringLiteral("house-model"), QStringLiteral("gpt-4o") };
        QVERIFY(g.start(config));
        QStringList listed;
        for (const QJsonValue &m :
            g.request("GET", QStringLiteral("/v1/models"), g.keyApproved).json.value(QStringLiteral("data")).toArray())
            listed.append(m.toObject().value(QStringLiteral("id")).toString());
        QCOMPARE(listed, config.upstreamModels);
    }
    // GET /v1/models says what each model takes and costs; a request for a feature the model
    // does not take is a 400 naming the field.
    void modelCatalogue()
    {
        NodeFixture g;
        NodeConfig config;
        config.upstreamModels = QStringList { QStringLiteral("house-model"), QStringLiteral("gpt-4o-2024-08-06") };
        config.models = QJsonDocument::fromJson(
            R"({"house-model": {"context_window": 8192, "tools": false, "images": false, "json_output": false}})")
                            .object();
        QVERIFY(g.start(config));
        const auto list = g.request("GET", QStringLiteral("/v1/models"), g.keyApproved);
        QCOMPARE(list.status, 200);
        const QJsonArray data = list.json.value(QStringLiteral("data")).toArray();
        QCOMPARE(data.size(), 2);
        const QJsonObject house = data.at(0).toObject();
        QCOMPARE(house.value(QStringLiteral("context_window")).toInt(), 8192);
        QCOMPARE(
            house.value(QStringLiteral("capabilities")).toObject().value(QStringLiteral("tools")).toBool(true), false);
        QVERIFY(house.value(QStringLiteral("price")).isNull()); // unpriced: flagged, never $0
        QCOMPARE(house.value(QStringLiteral("providers")).toArray().at(0).toString(), QStringLiteral("sim"));
        const QJsonObject dated = data.at(1).toObject(); // read as its family, gpt-4o
        QCOMPARE(dated.value(QStringLiteral("context_window")).toInt(), 128000);
        QCOMPARE(dated.value(QStringLiteral("capabilities")).toObject().value(QStringLiteral("images")).toBool(), true);
        QCOMPARE(dated.value(QStringLiteral("price")).toObject().value(QStringLiteral("input_micros_per_mtok")).toInt(),
            2500000);
        const auto anthropic = g.request(
            "GET", QStringLiteral("/v1/models"), g.keyApproved, {}, { { "anthropic-version", "2023-06-01" } });
        QCOMPARE(anthropic.json.value(QStringLiteral("data")).toArray().at(0).toObject().value(QStringLiteral("type")),
            QJsonValue(QStringLiteral("model")));
        QCOMPARE(anthropic.json.value(QStringLiteral("has_more")), QJsonValue(false));
        QCOMPARE(anthropic.json.value(QStringLiteral("last_id")).toString(), QStringLiteral("gpt-4o-2024-08-06"));

        auto param = [](const NodeFixture::Reply &r) {
            return r.json.value(QStringLiteral("error")).toObject().value(QStringLiteral("param")).toString();
        };
        const auto tools = g.chat(g.keyApproved,
            R"({"model":"house-model","messages":[{"role":"user","content":"weather?"}],"tools":[{"type":"function","function":{"name":"weather","parameters":{"type":"object"}}}]})");
        QCOMPARE(tools.status, 400);
        QCOMPARE(param(tools), QStringLiteral("tools"));
        QVERIFY(tools.json.value(QStringLiteral("error"))
                    .toObject()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("house-model does not take tools")));
        const auto image = g.chat(g.keyApproved,
            R"({"model":"house-model","messages":[{"role":"user","content":[{"type":"text","text":"what is this"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}]})");
        QCOMPARE(image.status, 400);
        QCOMPARE(param(image), QStringLiteral("messages[0].content[1]"));
        const auto json = g.chat(g.keyApproved,
            R"({"model":"house-model","messages":[{"role":"user","content":"list"}],"response_format":{"type":"json_object"}})");
        QCOMPARE(json.status, 400);
        QCOMPARE(param(json), QStringLiteral("response_format"));
        // What it does take passes, and models that take tools get them.
        QCOMPARE(g.chat(g.keyApproved, R"({"model":"house-model","messages":[{"role":"user","content":"hi"}]})").status,
            200);
        QCOMPARE(
            g.chat(g.keyApproved,
                 R"({"model":"gpt-4o-2024-08-06","messages":[{"role":"user","content":"weather?"}],"tools":[{"type":"function","function":{"name":"weather","parameters":{"type":"object"}}}]})")
                .status,
            200);
        // Anthropic clients get the same refusal in their shape.
        const auto anthropicTools = g.request("POST", QStringLiteral("/v1/messages"), g.keyApproved,
            R"({"model":"house-model","max_tokens":50,"messages":[{"role":"user","content":"weather?"}],"tools":[{"name":"weather","input_schema":{"type":"object"}}]})",
            { { "anthropic-version", "2023-06-01" } });
        QCOMPARE(anthropicTools.status, 400);
        QCOMPARE(anthropicTools.json.value(QStringLiteral("error")).toObject().value(QStringLiteral("type")).toString(),
            QStringLiteral("invalid_request_error"));
    }
    // The cache API for other gateways: look up, store what the caller got upstream (a
    // candidate, reviewed like any), and after approval the lookup answers in either format.
    void cacheApiForGateways()
    {
        const QByteArray chat
            = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"What is the gateway return policy?"}]})";
        const auto miss = f.request("POST", QStringLiteral("/v1/cache/lookup"), f.keyApproved, chat);
        QCOMPARE(miss.status, 404);
        const QJsonObject error = miss.json.value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("cache_miss"));
        QCOMPARE(
            miss.json.value(QStringLiteral("keys")).toObject().value(QStringLiteral("exact")).toString().size(), 64);

        const QByteArray completion
            = R"({"id":"chatcmpl-up","object":"chat.completion","created":1,"model":"gpt-4o-mini",
            "choices":[{"index":0,"message":{"role":"assistant","content":"Returns are free within 30 days."},"finish_reason":"stop"}],
            "usage":{"prompt_tokens":12,"completion_tokens":8,"total_tokens":20}})";
        const QByteArray store = "{\"request\":" + chat + ",\"response\":" + completion + "}";
        const auto filed = f.request("POST", QStringLiteral("/v1/cache/store"), f.keyApproved, store);
        QCOMPARE(filed.status, 202);
        QCOMPARE(filed.json.value(QStringLiteral("filed")).toBool(), true);
        f.settle();
        // Never served before approval.
        QCOMPARE(f.request("POST", QStringLiteral("/v1/cache/lookup"), f.keyApproved, chat).status, 404);
        auto st = f.store();
        auto queue = st->queue(QueueFilter {});
        qint64 entry = 0;
        for (const auto &item : *queue) {
            if (item.query == QStringLiteral("What is the gateway return policy?"))
                entry = item.entryId;
        }
        QVERIFY(entry > 0);
        QVERIFY(st->decide(entry, 1, VersionState::Approved, QStringLiteral("rev"), {}).ok());
        f.settle();

        const auto hit = f.request("POST", QStringLiteral("/v1/cache/lookup"), f.keyApproved, chat);
        QCOMPARE(hit.status, 200);
        QCOMPARE(hit.json.value(QStringLiteral("tier")).toString(), QStringLiteral("exact"));
        QCOMPARE(hit.json.value(QStringLiteral("entry")).toString(), QStringLiteral("%1@1").arg(entry));
        const QJsonObject response = hit.json.value(QStringLiteral("response")).toObject();
        QCOMPARE(response.value(QStringLiteral("object")).toString(), QStringLiteral("chat.completion"));
        QCOMPARE(NodeFixture::content(NodeFixture::Reply { 200, {}, response, {} }),
            QStringLiteral("Returns are free within 30 days."));
        // The same question through chat completions is a hit on that entry.
        QCOMPARE(f.chat(f.keyApproved, chat).headers.value("x-l0-entry"), QByteArray::number(entry) + "@1");
        // In Anthropic's format too: stored, approved, then answered as a Message.
        const QByteArray aRequest
            = R"({"model":"claude-sonnet-4-5","max_tokens":256,"messages":[{"role":"user","content":"Do you ship abroad?"}]})";
        const QByteArray aStore = R"({"format":"anthropic","request":)" + aRequest
            + R"(,"response":{"id":"msg_up","type":"message","role":"assistant","model":"claude-sonnet-4-5",
                "content":[{"type":"text","text":"We ship to 40 countries."}],"stop_reason":"end_turn",
                "usage":{"input_tokens":9,"output_tokens":6}}})";
        QCOMPARE(f.request("POST", QStringLiteral("/v1/cache/store"), f.keyApproved, aStore).status, 202);
        f.settle();
        qint64 aEntry = 0;
        const auto aQueue = st->queue(QueueFilter {});
        for (const auto &item : *aQueue) {
            if (item.query == QStringLiteral("Do you ship abroad?"))
                aEntry = item.entryId;
        }
        QVERIFY(aEntry > 0);
        const auto decided = st->decide(aEntry, 1, VersionState::Approved, QStringLiteral("rev"), {});
        QVERIFY2(decided.ok(), decided.ok() ? "" : qPrintable(decided.error().message));
        f.settle();
        const auto anthropic = f.request(
            "POST", QStringLiteral("/v1/cache/lookup"), f.keyApproved, R"({"format":"anthropic",)" + aRequest.mid(1));
        QCOMPARE(anthropic.status, 200);
        const QJsonObject message = anthropic.json.value(QStringLiteral("response")).toObject();
        QCOMPARE(message.value(QStringLiteral("type")).toString(), QStringLiteral("message"));
        QCOMPARE(message.value(QStringLiteral("content"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("text"))
                     .toString(),
            QStringLiteral("We ship to 40 countries."));
        QCOMPARE(message.value(QStringLiteral("stop_reason")).toString(), QStringLiteral("end_turn"));
        // Another tenant sees nothing; bad input names the field.
        QCOMPARE(f.request("POST", QStringLiteral("/v1/cache/lookup"), f.keyAuto, chat).status, 404);
        QCOMPARE(f.request("POST", QStringLiteral("/v1/cache/lookup"), QString(), chat).status, 401);
        const auto bad = f.request(
            "POST", QStringLiteral("/v1/cache/store"), f.keyApproved, R"({"request":{"model":"m"},"response":{}})");
        QCOMPARE(bad.status, 400);
        QCOMPARE(bad.json.value(QStringLiteral("error")).toObject().value(QStringLiteral("param")).toString(),
            QStringLiteral("request.messages"));
        // The ledger: the caller's upstream call priced, the hits saved.
        f.settle();
        auto rows = st->session().query(QStringLiteral("SELECT tier, actual_micros FROM ledger_events WHERE entry_id = "
                                                       "? OR (tier = 'upstream' AND prompt_tokens = 12 "
                                                       "AND completion_tokens = 8) ORDER BY id"),
            { SqlSession::num(entry) });
        QVERIFY(rows.ok());
        QVERIFY(rows->size() >= 3);
        QCOMPARE(rows->at(0).text(0), QStringLiteral("upstream"));
        QVERIFY(rows->at(0).int64(1) > 0);
        QCOMPARE(rows->at(1).text(0), QStringLiteral("exact"));
    }
    void configuredUpstreamsAndFallbacks()
    {
        NodeFixture g;
        NodeConfig config;
        UpstreamConfig primary;
        primary.name = QStringLiteral("primary");
        primary.kind = QStringLiteral("openai");
        primary.baseUrl = QStringLiteral("http://127.0.0.1:1/v1"); // nobody listens: every call is refused
        primary.apiKey = "sk-unused";
        primary.models = QStringList { QStringLiteral("gpt-4o") };
        UpstreamConfig backup;
        backup.name = QStringLiteral("backup");
        backup.kind = QStringLiteral("sim");
        backup.models = QStringList { QStringLiteral("gpt-4o-mini") };
        config.upstreams = { primary, backup };
        config.fallbacks.insert(QStringLiteral("gpt-4o"), { QStringLiteral("gpt-4o-mini") });
        config.retry.baseBackoffMs = 5;
        config.retry.maxBackoffMs = 10;
        QVERIFY(g.start(config));

        QStringList listed;
        for (const QJsonValue &m :
            g.request("GET", QStringLiteral("/v1/models"), g.keyApproved).json.value(QStringLiteral("data")).toArray())
            listed.append(m.toObject().value(QStringLiteral("id")).toString());
        QCOMPARE(listed, QStringList({ QStringLiteral("gpt-4o"), QStringLiteral("gpt-4o-mini") }));

        const auto unknown
            = g.chat(g.keyApproved, R"({"model":"gpt-3.5-turbo","messages":[{"role":"user","content":"hi"}]})");
        QCOMPARE(unknown.status, 404);
        QCOMPARE(unknown.json.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
            QStringLiteral("model_not_found"));
        QCOMPARE(unknown.json.value(QStringLiteral("error")).toObject().value(QStringLiteral("param")).toString(),
            QStringLiteral("model"));

        // gpt-4o's upstream is down: the fallback answers, and says so.
        const auto fell
            = g.chat(g.keyApproved, R"({"model":"gpt-4o","messages":[{"role":"user","content":"fall back"}]})");
        QCOMPARE(fell.status, 200);
        QCOMPARE(fell.headers.value("x-l0-model"), QByteArray("gpt-4o-mini"));
        QCOMPARE(fell.json.value(QStringLiteral("model")).toString(), QStringLiteral("gpt-4o-mini"));
        const auto streamed = g.chat(g.keyApproved,
            R"({"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"fall back, streamed"}]})");
        QCOMPARE(streamed.headers.value("x-l0-model"), QByteArray("gpt-4o-mini"));
        QVERIFY(streamed.body.contains("[DONE]"));
        g.settle();
        // The ledger prices what answered, and keeps the attempts.
        auto store = g.store();
        auto rows
            = store->session().query(QStringLiteral("SELECT model_requested, model_used, status FROM ledger_events "
                                                    "WHERE model_requested = 'gpt-4o' ORDER BY id"));
        QVERIFY(rows.ok());
        QCOMPARE(int(rows->size()), 2);
        QCOMPARE(rows->at(0).text(1), QStringLiteral("gpt-4o-mini"));
        QCOMPARE(rows->at(0).int64(2), 200);
        const auto totals = store->ledgerTotals({});
        QVERIFY(totals.ok());
        QCOMPARE(totals->unpricedRequests, 0);
    }
    void badBodies()
    {
        QCOMPARE(f.chat(f.keyApproved, "{not json").status, 400);
        QCOMPARE(f.chat(f.keyApproved, R"({"model":1,"messages":[]})")
                     .json.value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("param"))
                     .toString(),
            QStringLiteral("model"));
        QCOMPARE(f.chat(f.keyApproved,
                      QByteArray("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"\xff\xfe\"}]}"))
                     .status,
            400);
        QCOMPARE(f.chat(f.keyApproved, kHello).status, 200); // still serving
    }
};

QTEST_GUILESS_MAIN(TestNodeService)
#include "tst_nodeservice.moc"
