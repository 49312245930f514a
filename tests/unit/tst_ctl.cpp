#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "admin/ctl.h"
#include "store/store.h"

using namespace l0;

class TestCtl : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_db;

    struct Run {
        int code;
        QString out;
        QString err;
    };
    Run ctl(QStringList args)
    {
        QString out, err;
        QTextStream o(&out), e(&err);
        const int code = runCtl(args, o, e);
        o.flush();
        e.flush();
        return {code, out, err};
    }
    Run db(QStringList args)
    {
        args.prepend(m_db);
        args.prepend(QStringLiteral("--db"));
        return ctl(args);
    }

private slots:
    void initTestCase() { m_db = QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("ctl.sqlite")); }

    void helpAndVersion()
    {
        QCOMPARE(ctl({QStringLiteral("--help")}).code, 0);
        QVERIFY(ctl({QStringLiteral("--help")}).out.contains(QStringLiteral("key issue --tenant NAME")));
        QCOMPARE(ctl({QStringLiteral("--version")}).code, 0);
        const Run h = ctl({QStringLiteral("ledger"), QStringLiteral("--help")});
        QCOMPARE(h.code, 0);
        QVERIFY(h.out.contains(QStringLiteral("ledger report")));
        QCOMPARE(ctl({}).code, 2);
        QCOMPARE(ctl({QStringLiteral("frobnicate")}).code, 2);
    }
    void needsADatabase()
    {
        qunsetenv("L0_DB");
        const Run r = ctl({QStringLiteral("queue"), QStringLiteral("list")});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.startsWith(QStringLiteral("l0ctl: ")));
        QCOMPARE(r.err.count(QLatin1Char('\n')), 1); // one line
    }
    void unmigratedStoreIsRefused()
    {
        const Run r = ctl({QStringLiteral("--db"), QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("raw.sqlite")),
                           QStringLiteral("tenant"), QStringLiteral("list")});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.contains(QStringLiteral("l0ctl migrate")));
    }
    void workflow()
    {
        QCOMPARE(db({QStringLiteral("migrate")}).code, 0);
        QCOMPARE(db({QStringLiteral("migrate")}).code, 0);
        QCOMPARE(db({QStringLiteral("tenant"), QStringLiteral("add"), QStringLiteral("acme"), QStringLiteral("--policy"), QStringLiteral("shadow")}).code, 0);
        QCOMPARE(db({QStringLiteral("tenant"), QStringLiteral("add"), QStringLiteral("acme")}).code, 1);
        QCOMPARE(db({QStringLiteral("tenant"), QStringLiteral("add"), QStringLiteral("b"), QStringLiteral("--policy"), QStringLiteral("sometimes")}).code, 2);
        const Run list = db({QStringLiteral("tenant"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(QJsonDocument::fromJson(list.out.toUtf8()).array().at(0).toObject().value(QStringLiteral("policy")).toString(), QStringLiteral("shadow"));

        const Run key = db({QStringLiteral("key"), QStringLiteral("issue"), QStringLiteral("--tenant"), QStringLiteral("acme")});
        QCOMPARE(key.code, 0);
        const QString last = key.out.trimmed().split(QLatin1Char('\n')).last();
        QVERIFY(last.startsWith(QStringLiteral("l0-")));
        QCOMPARE(db({QStringLiteral("key"), QStringLiteral("issue"), QStringLiteral("--tenant"), QStringLiteral("nobody")}).code, 1);

        // Seed a candidate through the store, then list, approve and report.
        {
            auto store = openStore(m_db);
            Candidate c;
            c.tenantId = (*store)->tenantByName(QStringLiteral("acme"))->id;
            c.cacheKey = "abc";
            c.model = QStringLiteral("gpt-4o");
            c.query = QStringLiteral("hello?");
            c.result.message = QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")}, {QStringLiteral("content"), QStringLiteral("hi")}};
            c.author = QStringLiteral("test");
            QVERIFY((*store)->addCandidate(c).ok());
        }
        const Run q = db({QStringLiteral("queue"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(q.code, 0);
        const QJsonObject item = QJsonDocument::fromJson(q.out.toUtf8()).array().at(0).toObject();
        for (const char *field : {"id", "version", "state", "tenant"})
            QVERIFY2(item.contains(QLatin1String(field)), field);
        QCOMPARE(item.value(QStringLiteral("state")).toString(), QStringLiteral("pending"));
        const QString id = QString::number(item.value(QStringLiteral("id")).toInteger());

        QCOMPARE(db({QStringLiteral("approve"), id, QStringLiteral("--reject")}).code, 2); // no reason
        QCOMPARE(db({QStringLiteral("approve"), QStringLiteral("x@y")}).code, 2);
        QCOMPARE(db({QStringLiteral("approve"), id + QStringLiteral("@1")}).code, 0);
        QCOMPARE(db({QStringLiteral("approve"), id + QStringLiteral("@1")}).code, 1); // already approved
        QCOMPARE(db({QStringLiteral("queue"), QStringLiteral("list"), QStringLiteral("--json")}).out.trimmed(), QStringLiteral("[]"));
        QCOMPARE(db({QStringLiteral("revoke"), id}).code, 0);

        const Run rep = db({QStringLiteral("ledger"), QStringLiteral("report"), QStringLiteral("--json"), QStringLiteral("--since"), QStringLiteral("7d")});
        QCOMPARE(rep.code, 0);
        const QJsonObject totals = QJsonDocument::fromJson(rep.out.toUtf8()).object();
        for (const char *field : {"requests", "hits", "actual_micros", "baseline_micros", "saved_micros"})
            QVERIFY2(totals.contains(QLatin1String(field)), field);
        QCOMPARE(db({QStringLiteral("ledger"), QStringLiteral("report"), QStringLiteral("--since"), QStringLiteral("yesterday-ish")}).code, 2);
        QCOMPARE(db({QStringLiteral("ledger"), QStringLiteral("report"), QStringLiteral("--csv")}).out.count(QLatin1Char('\n')), 2);
    }
};

QTEST_GUILESS_MAIN(TestCtl)
#include "tst_ctl.moc"
