#pragma once

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

#include "node/node.h"
#include "node/storeworker.h"
#include "store/store.h"

// An in-process node on a temporary SQLite store with one tenant per policy.
struct NodeFixture {
    QTemporaryDir dir;
    QString url;
    QString keyApproved, keyAuto, keyShadow;
    std::unique_ptr<l0::Node> node;
    QNetworkAccessManager nam;
    const l0::Clock *clock = nullptr; // set before start() for a node on a clock of its own

    // storeUrl: empty for a fresh SQLite file.
    bool start(l0::NodeConfig config = {}, const QString &storeUrl = QString())
    {
        url = storeUrl.isEmpty() ? QStringLiteral("sqlite:") + dir.filePath(QStringLiteral("node.sqlite")) : storeUrl;
        auto store = l0::openStore(url);
        if (!store || !(*store)->migrate())
            return false;
        auto addTenant = [&](const char *name, l0::Policy p) {
            (*store)->addTenant(QString::fromLatin1(name), p).value();
            return (*store)->issueKey(QString::fromLatin1(name))->key;
        };
        keyApproved = addTenant("approved", l0::Policy::Approved);
        keyAuto = addTenant("auto", l0::Policy::AutoLowRisk);
        keyShadow = addTenant("shadow", l0::Policy::Shadow);
        config.db = url;
        // Tests that pin no admin key run on the database's word, as they always did.
        config.trustDatabase = config.adminPubkeys.isEmpty();
        if (config.journal.isEmpty())
            config.journal = dir.filePath(QStringLiteral("journal"));
        config.port = 0;
        config.threads = 2;
        config.upstream = QStringLiteral("sim");
        config.syncIntervalMs = 50;
        node = std::make_unique<l0::Node>(config);
        if (clock)
            node->setClock(clock);
        auto s = node->start();
        if (!s)
            qWarning() << s.error().toString();
        return s.ok();
    }
    std::unique_ptr<l0::Store> store() { return std::move(l0::openStore(url).value()); }

    struct Reply {
        int status = 0;
        QByteArray body;
        QJsonObject json;
        QMap<QByteArray, QByteArray> headers;
    };
    Reply request(const QByteArray &method, const QString &path, const QString &key, const QByteArray &body = {},
        const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        return requestOn(node->port(), method, path, key, body, headers);
    }
    // The same, to another node on the fixture's store (listening on `port`).
    Reply requestOn(quint16 port, const QByteArray &method, const QString &path, const QString &key,
        const QByteArray &body = {}, const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        QNetworkRequest req(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path)));
        if (!key.isEmpty())
            req.setRawHeader("Authorization", "Bearer " + key.toUtf8());
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        for (const auto &h : headers)
            req.setRawHeader(h.first, h.second);
        QNetworkReply *reply = nam.sendCustomRequest(req, method, body);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        Reply r;
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.body = reply->readAll();
        r.json = QJsonDocument::fromJson(r.body).object();
        for (const auto &h : reply->rawHeaderPairs())
            r.headers.insert(h.first.toLower(), h.second);
        reply->deleteLater();
        return r;
    }
    Reply chat(const QString &key, const QByteArray &body, const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        return request("POST", QStringLiteral("/v1/chat/completions"), key, body, headers);
    }
    // Waits until the node's store worker has written everything it was handed.
    void settle()
    {
        (void)QTest::qWaitFor([&] { return node->storeWorker()->pendingWrites() == 0; }, 5000);
        node->storeWorker()->syncNow();
    }
    static QString content(const Reply &r)
    {
        return r.json.value(QStringLiteral("choices"))
            .toArray()
            .at(0)
            .toObject()
            .value(QStringLiteral("message"))
            .toObject()
            .value(QStringLiteral("content"))
            .toString();
    }
    // A complete answer for tenant, filed under the exact tier with a key and query of its own.
    static l0::Candidate candidate(qint64 tenant, const QString &name)
    {
        l0::Candidate c;
        c.tenantId = tenant;
        c.tier = QStringLiteral("exact");
        c.cacheKey = name.toUtf8().toHex();
        c.model = QStringLiteral("gpt-4o-mini");
        c.query = name;
        c.result.message = QJsonObject { { QStringLiteral("role"), QStringLiteral("assistant") },
            { QStringLiteral("content"), QString(QStringLiteral("the answer to ") + name) } };
        c.result.finishReason = QStringLiteral("stop");
        c.author = QStringLiteral("upstream:gpt-4o-mini");
        return c;
    }
    // The demand of each pending version whose query is given, by query (absent: not queued).
    QMap<QString, qint64> queued(const QStringList &queries)
    {
        QMap<QString, qint64> out;
        const auto items = store()->queue(l0::QueueFilter {});
        for (const auto &item : *items) {
            if (queries.contains(item.query))
                out[item.query] += item.hits;
        }
        return out;
    }
};
