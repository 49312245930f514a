#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include "commands.h"
#include "core/clock.h"
#include "core/experiment.h"
#include "ctl.h"
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
        return { code, out, err };
    }
    // With the streams and clock a test chooses: input is what `safety scan` reads.
    Run ctlWith(QStringList args, const Clock *clock, QString input = QString())
    {
        QString out, err;
        QTextStream o(&out), e(&err), in(&input);
        CommandIo io { o, e, &in, clock };
        const int code = runCtl(args, io);
        o.flush();
        e.flush();
        return { code, out, err };
    }
    Run db(QStringList args)
    {
        args.prepend(m_db);
        args.prepend(QStringLiteral("--db"));
        return ctl(args);
    }

    // A candidate answer for tenant acme, filed straight into the store.
    bool fileCandidate(const QByteArray &key, const QString &query, const QString &answer)
    {
        auto store = openStore(m_db);
        if (!store)
            return false;
        Candidate c;
        c.tenantId = (*store)->tenantByName(QStringLiteral("acme"))->id;
        c.cacheKey = key;
        c.model = QStringLiteral("gpt-4o");
        c.query = query;
        c.result.message = QJsonObject { { QStringLiteral("role"), QStringLiteral("assistant") },
            { QStringLiteral("content"), answer } };
        c.author = QStringLiteral("test");
        return (*store)->addCandidate(c).ok();
    }

private slots:
    void initTestCase() { m_db = QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("ctl.sqlite")); }

    void helpAndVersion()
    {
        QCOMPARE(ctl({ QStringLiteral("--help") }).code, 0);
        QVERIFY(ctl({ QStringLiteral("--help") }).out.contains(QStringLiteral("key issue --tenant NAME")));
        QCOMPARE(ctl({ QStringLiteral("--version") }).code, 0);
        const Run h = ctl({ QStringLiteral("ledger"), QStringLiteral("--help") });
        QCOMPARE(h.code, 0);
        QVERIFY(h.out.contains(QStringLiteral("ledger report")));
        QCOMPARE(ctl({}).code, 2);
        QCOMPARE(ctl({ QStringLiteral("frobnicate") }).code, 2);
    }
    void everyCommandHasItsHelp()
    {
        const QString usage = ctl({ QStringLiteral("--help") }).out;
        for (const auto &[name, command] : commands()) {
            QCOMPARE(command->name(), name);
            QVERIFY2(usage.contains(QStringLiteral("  ") + command->synopsis() + QLatin1Char('\n')), qPrintable(name));
            const Run h = ctl({ name, QStringLiteral("--help") });
            QCOMPARE(h.code, 0);
            QCOMPARE(h.out, command->help());
            QVERIFY(h.out.startsWith(
                QStringLiteral("Usage: l0ctl [--db URL] ") + command->synopsis() + QStringLiteral("\n\n")));
        }
    }
    void commandsDeclareSharedOptionsAlike()
    {
        // One parser reads every command's options, so a name two commands share must take a value in both or
        // in neither.
        QHash<QString, bool> takesValue;
        for (const QCommandLineOption &o : allOptions()) {
            QCOMPARE(o.names().size(), 1);
            QVERIFY2(!takesValue.contains(o.names().constFirst()), qPrintable(o.names().constFirst()));
            takesValue.insert(o.names().constFirst(), !o.valueName().isEmpty());
        }
        for (const auto &[name, command] : commands()) {
            for (const QCommandLineOption &o : command->options()) {
                const QString option = o.names().constFirst();
                QVERIFY2(takesValue.contains(option), qPrintable(option));
                QVERIFY2(
                    takesValue.value(option) == !o.valueName().isEmpty(), qPrintable(name + QLatin1Char(' ') + option));
            }
        }
        for (const char *global : { "db", "help", "version" })
            QVERIFY(takesValue.contains(QLatin1String(global)));
    }
    void needsADatabase()
    {
        qunsetenv("L0_DB");
        const Run r = ctl({ QStringLiteral("queue"), QStringLiteral("list") });
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.startsWith(QStringLiteral("l0ctl: ")));
        QCOMPARE(r.err.count(QLatin1Char('\n')), 1); // one line
    }
    void unmigratedStoreIsRefused()
    {
        const Run r
            = ctl({ QStringLiteral("--db"), QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("raw.sqlite")),
                QStringLiteral("tenant"), QStringLiteral("list") });
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.contains(QStringLiteral("l0ctl migrate")));
    }
    void workflow()
    {
        QCOMPARE(db({ QStringLiteral("migrate") }).code, 0);
        QCOMPARE(db({ QStringLiteral("migrate") }).code, 0);
        QCOMPARE(db({ QStringLiteral("tenant"), QStringLiteral("add"), QStringLiteral("acme"),
                        QStringLiteral("--policy"), QStringLiteral("shadow") })
                     .code,
            0);
        QCOMPARE(db({ QStringLiteral("tenant"), QStringLiteral("add"), QStringLiteral("acme") }).code, 1);
        QCOMPARE(db({ QStringLiteral("tenant"), QStringLiteral("add"), QStringLiteral("b"), QStringLiteral("--policy"),
                        QStringLiteral("sometimes") })
                     .code,
            2);
        const Run list = db({ QStringLiteral("tenant"), QStringLiteral("list"), QStringLiteral("--json") });
        QCOMPARE(QJsonDocument::fromJson(list.out.toUtf8())
                     .array()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("policy"))
                     .toString(),
            QStringLiteral("shadow"));

        const Run key = db(
            { QStringLiteral("key"), QStringLiteral("issue"), QStringLiteral("--tenant"), QStringLiteral("acme") });
        QCOMPARE(key.code, 0);
        const QString last = key.out.trimmed().split(QLatin1Char('\n')).last();
        QVERIFY(last.startsWith(QStringLiteral("l0-")));
        QCOMPARE(
            db({ QStringLiteral("key"), QStringLiteral("issue"), QStringLiteral("--tenant"), QStringLiteral("nobody") })
                .code,
            1);

        // Seed a candidate through the store, then list, approve and report.
        QVERIFY(fileCandidate("abc", QStringLiteral("hello?"), QStringLiteral("hi")));
        const Run q = db({ QStringLiteral("queue"), QStringLiteral("list"), QStringLiteral("--json") });
        QCOMPARE(q.code, 0);
        const QJsonObject item = QJsonDocument::fromJson(q.out.toUtf8()).array().at(0).toObject();
        for (const char *field : { "id", "version", "state", "tenant" })
            QVERIFY2(item.contains(QLatin1String(field)), field);
        QCOMPARE(item.value(QStringLiteral("state")).toString(), QStringLiteral("pending"));
        const QString id = QString::number(item.value(QStringLiteral("id")).toInteger());

        QCOMPARE(db({ QStringLiteral("approve"), id, QStringLiteral("--reject") }).code, 2); // no reason
        QCOMPARE(db({ QStringLiteral("approve"), QStringLiteral("x@y") }).code, 2);
        QCOMPARE(db({ QStringLiteral("approve"), id + QStringLiteral("@1") }).code, 0);
        QCOMPARE(db({ QStringLiteral("approve"), id + QStringLiteral("@1") }).code, 1); // already approved
        QCOMPARE(db({ QStringLiteral("queue"), QStringLiteral("list"), QStringLiteral("--json") }).out.trimmed(),
            QStringLiteral("[]"));
        QCOMPARE(db({ QStringLiteral("revoke"), id }).code, 0);

        // Monthly budgets.
        QCOMPARE(db({ QStringLiteral("tenant"), QStringLiteral("set-budget"), QStringLiteral("acme"),
                        QStringLiteral("--budget"), QStringLiteral("-3") })
                     .code,
            2);
        QCOMPARE(db({ QStringLiteral("tenant"), QStringLiteral("set-budget"), QStringLiteral("nobody"),
                        QStringLiteral("--budget"), QStringLiteral("5") })
                     .code,
            1);
        QCOMPARE(db({ QStringLiteral("tenant"), QStringLiteral("set-budget"), QStringLiteral("acme"),
                        QStringLiteral("--budget"), QStringLiteral("12.50") })
                     .code,
            0);
        const Run budget = db({ QStringLiteral("ledger"), QStringLiteral("budget"), QStringLiteral("--json") });
        QCOMPARE(budget.code, 0);
        const QJsonObject b = QJsonDocument::fromJson(budget.out.toUtf8()).array().at(0).toObject();
        QCOMPARE(b.value(QStringLiteral("tenant")).toString(), QStringLiteral("acme"));
        QCOMPARE(b.value(QStringLiteral("budget_micros")).toInteger(), 12'500'000);
        QCOMPARE(b.value(QStringLiteral("level")).toString(), QStringLiteral("ok"));
        QVERIFY(
            db({ QStringLiteral("ledger"), QStringLiteral("budget") }).out.contains(QStringLiteral("of $12.500000")));
        QCOMPARE(db({ QStringLiteral("tenant"), QStringLiteral("set-budget"), QStringLiteral("acme"),
                        QStringLiteral("--budget"), QStringLiteral("none") })
                     .code,
            0);
        QVERIFY(db({ QStringLiteral("ledger"), QStringLiteral("budget") }).out.startsWith(QStringLiteral("no tenant")));

        // Signed: a reviewer key made and registered here approves, then takes it back.
        qputenv("L0_PASSPHRASE", "correct horse battery staple");
        const QString adminKey = m_dir.filePath(QStringLiteral("admin.pem"));
        const QString revKey = m_dir.filePath(QStringLiteral("rev.pem"));
        QCOMPARE(
            ctl({ QStringLiteral("reviewer"), QStringLiteral("keygen"), QStringLiteral("--out"), adminKey }).code, 0);
        QCOMPARE(
            ctl({ QStringLiteral("reviewer"), QStringLiteral("keygen"), QStringLiteral("--out"), revKey }).code, 0);
        QCOMPARE(
            db({ QStringLiteral("reviewer"), QStringLiteral("add"), QStringLiteral("rita"), QStringLiteral("--pubkey"),
                   revKey + QStringLiteral(".pub"), QStringLiteral("--admin-key"), adminKey })
                .code,
            0);
        QVERIFY(fileCandidate("signed", QStringLiteral("signed?"), QStringLiteral("yes")));
        const QString signedId = QString::number(QJsonDocument::fromJson(
            db({ QStringLiteral("queue"), QStringLiteral("list"), QStringLiteral("--json") }).out.toUtf8())
                                                     .array()
                                                     .at(0)
                                                     .toObject()
                                                     .value(QStringLiteral("id"))
                                                     .toInteger());
        const Run approved
            = db({ QStringLiteral("approve"), signedId + QStringLiteral("@1"), QStringLiteral("--key"), revKey });
        QCOMPARE(approved.code, 0);
        QVERIFY2(approved.out.contains(QStringLiteral("approved")), qPrintable(approved.out + approved.err));
        QCOMPARE(
            db({ QStringLiteral("withdraw"), signedId, QStringLiteral("--key"), revKey }).code, 2); // needs @VERSION
        const Run withdrawn
            = db({ QStringLiteral("withdraw"), signedId + QStringLiteral("@1"), QStringLiteral("--key"), revKey });
        QCOMPARE(withdrawn.code, 0);
        QVERIFY2(withdrawn.out.contains(QStringLiteral("pending")), qPrintable(withdrawn.out + withdrawn.err));
        const Run again
            = db({ QStringLiteral("withdraw"), signedId + QStringLiteral("@1"), QStringLiteral("--key"), revKey });
        QCOMPARE(again.code, 1);
        QVERIFY2(again.err.contains(QStringLiteral("no decision")), qPrintable(again.err));
        qunsetenv("L0_PASSPHRASE");

        const Run rep = db({ QStringLiteral("ledger"), QStringLiteral("report"), QStringLiteral("--json"),
            QStringLiteral("--since"), QStringLiteral("7d") });
        QCOMPARE(rep.code, 0);
        const QJsonObject totals = QJsonDocument::fromJson(rep.out.toUtf8()).object();
        for (const char *field : { "requests", "hits", "actual_micros", "baseline_micros", "saved_micros" })
            QVERIFY2(totals.contains(QLatin1String(field)), field);
        QCOMPARE(db({ QStringLiteral("ledger"), QStringLiteral("report"), QStringLiteral("--since"),
                        QStringLiteral("yesterday-ish") })
                     .code,
            2);
        QCOMPARE(db({ QStringLiteral("ledger"), QStringLiteral("report"), QStringLiteral("--csv") })
                     .out.count(QLatin1Char('\n')),
            2);
    }
    void commandsTakeTheClockTheyAreGiven()
    {
        QVERIFY(fileCandidate("clock", QStringLiteral("what time is it?"), QStringLiteral("noon")));
        const QJsonArray queue = QJsonDocument::fromJson(
            db({ QStringLiteral("queue"), QStringLiteral("list"), QStringLiteral("--json") }).out.toUtf8())
                                     .array();
        QString item;
        for (const QJsonValue &v : queue) {
            if (v.toObject().value(QStringLiteral("query")).toString() == QLatin1String("what time is it?"))
                item = QStringLiteral("%1@%2")
                           .arg(v.toObject().value(QStringLiteral("id")).toInteger())
                           .arg(v.toObject().value(QStringLiteral("version")).toInt());
        }
        QVERIFY(!item.isEmpty());
        const ManualClock clock(QDateTime(QDate(2026, 3, 1), QTime(12, 0), QTimeZone::utc()).toMSecsSinceEpoch());
        const Run claim = ctlWith({ QStringLiteral("--db"), m_db, QStringLiteral("queue"), QStringLiteral("claim"),
                                      item, QStringLiteral("--reviewer"), QStringLiteral("tess"),
                                      QStringLiteral("--lease"), QStringLiteral("5m"), QStringLiteral("--json") },
            &clock);
        QVERIFY2(claim.code == 0, qPrintable(claim.err));
        QCOMPARE(QJsonDocument::fromJson(claim.out.toUtf8()).object().value(QStringLiteral("expires")).toString(),
            QStringLiteral("2026-03-01T12:05:00.000+00:00"));
        QCOMPARE(ctlWith({ QStringLiteral("--db"), m_db, QStringLiteral("queue"), QStringLiteral("release"), item,
                             QStringLiteral("--reviewer"), QStringLiteral("tess") },
                     &clock)
                     .code,
            0);
        // A relative --since counts back from the same clock; the range runs through its minute.
        const Run report = ctlWith({ QStringLiteral("--db"), m_db, QStringLiteral("ledger"), QStringLiteral("report"),
                                       QStringLiteral("--since"), QStringLiteral("1h"), QStringLiteral("--json") },
            &clock);
        QVERIFY2(report.code == 0, qPrintable(report.err));
        const QJsonObject range = QJsonDocument::fromJson(report.out.toUtf8()).object();
        QCOMPARE(range.value(QStringLiteral("since")).toString(), QStringLiteral("2026-03-01T11:00:00+00:00"));
        QCOMPARE(range.value(QStringLiteral("until")).toString(), QStringLiteral("2026-03-01T12:01:00+00:00"));
    }
    void safetyScanReadsItsInput()
    {
        const Run r = ctlWith({ QStringLiteral("safety"), QStringLiteral("scan") }, Clock::system(),
            QStringLiteral("{\"text\": \"mail me at bob@example.com\"}\n\n{\"text\": \"hello\"}\n"));
        QCOMPARE(r.code, 0);
        const QStringList lines = r.out.trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 2);
        QVERIFY(!QJsonDocument::fromJson(lines.at(0).toUtf8())
                     .object()
                     .value(QStringLiteral("findings"))
                     .toArray()
                     .isEmpty());
        QCOMPARE(
            QJsonDocument::fromJson(lines.at(1).toUtf8()).object().value(QStringLiteral("findings")).toArray().size(),
            0);
        const Run bad = ctlWith(
            { QStringLiteral("safety"), QStringLiteral("scan") }, Clock::system(), QStringLiteral("not json\n"));
        QCOMPARE(bad.code, 1);
        QCOMPARE(bad.err, QStringLiteral("l0ctl: line 1: expected {\"text\": \"...\"}\n"));
    }
    void safetyTrainAndEval()
    {
        // A tiny labelled file: train a text model, measure it through the scanner with the model
        // in a tenant profile, and see bad input refused with a reason.
        const QString data = m_dir.filePath(QStringLiteral("lures.jsonl"));
        {
            QFile f(data);
            QVERIFY(f.open(QIODevice::WriteOnly));
            for (int i = 0; i < 20; ++i) {
                f.write(QStringLiteral(
                    "{\"text\": \"URGENT your parcel %1 is held, pay the fee at http://parcel-fee%1.top/pay "
                    "or call 0800%1\", \"label\": 1}\n")
                            .arg(i)
                            .toUtf8());
                f.write(
                    QStringLiteral("{\"text\": \"see you at %1 for dinner, bring the salad please\", \"label\": 0}\n")
                        .arg(i)
                        .toUtf8());
            }
        }
        const QString model = m_dir.filePath(QStringLiteral("lures.model.json"));
        const Run train = ctl({ QStringLiteral("safety"), QStringLiteral("train"), QStringLiteral("--kind"),
            QStringLiteral("text"), QStringLiteral("--name"), QStringLiteral("smishing"), QStringLiteral("--data"),
            data, QStringLiteral("--out"), model });
        QCOMPARE(train.code, 0);
        QVERIFY(train.out.contains(QStringLiteral("20 positives, 20 negatives")));
        const QString profile = m_dir.filePath(QStringLiteral("tenant-profile.json"));
        {
            QFile f(profile);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QStringLiteral("{\"models\": {\"smishing\": \"%1\"}}").arg(model).toUtf8());
        }
        const Run eval = ctl(
            { QStringLiteral("safety"), QStringLiteral("eval"), QStringLiteral("--family"), QStringLiteral("phishing."),
                QStringLiteral("--data"), data, QStringLiteral("--profile"), profile, QStringLiteral("--json") });
        QCOMPARE(eval.code, 0);
        const QJsonObject r = QJsonDocument::fromJson(eval.out.toUtf8()).object();
        QCOMPARE(r.value(QStringLiteral("rows")).toInt(), 40);
        QVERIFY(r.value(QStringLiteral("precision")).toDouble() >= 0.9);
        QVERIFY(r.value(QStringLiteral("recall")).toDouble() >= 0.9);
        // A model of the wrong kind, a missing file and an unknown kind are refused.
        {
            QFile f(profile);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QStringLiteral("{\"models\": {\"phishing_url\": \"%1\"}}").arg(model).toUtf8());
        }
        const Run wrongKind = ctl({ QStringLiteral("safety"), QStringLiteral("eval"), QStringLiteral("--family"),
            QStringLiteral("phishing."), QStringLiteral("--data"), data, QStringLiteral("--profile"), profile });
        QCOMPARE(wrongKind.code, 1);
        QVERIFY(wrongKind.err.contains(QStringLiteral("reads text, expected url")));
        const Run missing = ctl({ QStringLiteral("safety"), QStringLiteral("train"), QStringLiteral("--kind"),
            QStringLiteral("text"), QStringLiteral("--name"), QStringLiteral("x"), QStringLiteral("--data"),
            m_dir.filePath(QStringLiteral("nope.csv")), QStringLiteral("--out"), model });
        QCOMPARE(missing.code, 1);
        QCOMPARE(ctl({ QStringLiteral("safety"), QStringLiteral("train"), QStringLiteral("--kind"),
                         QStringLiteral("pictures") })
                     .code,
            2);
    }
    void rulesCommands()
    {
        const QString pack = QStringLiteral(L0_TEST_DATA_DIR "/support-pack.json");
        const Run ok = ctl({ QStringLiteral("rules"), QStringLiteral("check"), pack });
        QCOMPARE(ok.code, 0);
        QVERIFY(ok.out.startsWith(QStringLiteral("OK support@1")));

        QFile in(pack);
        QVERIFY(in.open(QIODevice::ReadOnly));
        QByteArray broken = in.readAll();
        broken.replace("\"margin\": 1500", "\"margin\": \"high\"");
        const QString brokenPath = m_dir.filePath(QStringLiteral("broken.json"));
        QFile out(brokenPath);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(broken);
        out.close();
        const Run bad = ctl({ QStringLiteral("rules"), QStringLiteral("check"), brokenPath });
        QCOMPARE(bad.code, 1);
        QVERIFY2(bad.err.startsWith(brokenPath + QStringLiteral(":7: abstain.margin")), qPrintable(bad.err));

        const Run explain = ctl(
            { QStringLiteral("rules"), QStringLiteral("explain"), pack, QStringLiteral("cancel my order 67890") });
        QCOMPARE(explain.code, 0);
        QVERIFY(explain.out.contains(QStringLiteral("result:       cancel_order|order_id")));
        const Run json = ctl({ QStringLiteral("rules"), QStringLiteral("explain"), pack,
            QStringLiteral("tell me a joke"), QStringLiteral("--json") });
        const QJsonObject o = QJsonDocument::fromJson(json.out.toUtf8()).object();
        QVERIFY(o.value(QStringLiteral("abstained")).toBool());
        QVERIFY(o.value(QStringLiteral("steps")).toArray().size() >= 6);

        // Induce from a small labelled file, then evaluate with it.
        QString csv = QStringLiteral("text,label\n");
        const QStringList cancel { QStringLiteral("cancel my order"), QStringLiteral("please cancel the order"),
            QStringLiteral("I want to cancel my purchase"), QStringLiteral("stop my order please"),
            QStringLiteral("cancel order now"), QStringLiteral("how can I cancel an order") };
        const QStringList track { QStringLiteral("where is my package"), QStringLiteral("track my parcel"),
            QStringLiteral("has my order shipped"), QStringLiteral("when will my package arrive"),
            QStringLiteral("track the delivery"), QStringLiteral("where is the parcel") };
        for (int r = 0; r < 5; ++r) {
            for (const QString &t : cancel)
                csv += t + QStringLiteral(" %1,cancel_order\n").arg(r);
            for (const QString &t : track)
                csv += t + QStringLiteral(" %1,track_order\n").arg(r);
            csv += QStringLiteral("tell me a joke %1,\n").arg(r);
        }
        const QString train = m_dir.filePath(QStringLiteral("train.csv"));
        QFile t(train);
        QVERIFY(t.open(QIODevice::WriteOnly));
        t.write(csv.toUtf8());
        t.close();
        const QString induced = m_dir.filePath(QStringLiteral("induced.json"));
        const Run ind = ctl({ QStringLiteral("rules"), QStringLiteral("induce"), QStringLiteral("--data"), train,
            QStringLiteral("--out"), induced, QStringLiteral("--target-false-hit-rate"), QStringLiteral("0.05") });
        QVERIFY2(ind.code == 0, qPrintable(ind.err));
        QCOMPARE(ctl({ QStringLiteral("rules"), QStringLiteral("check"), induced }).code, 0);
        QCOMPARE(ctl({ QStringLiteral("rules"), QStringLiteral("induce"), QStringLiteral("--data"), train }).code, 2);
        QCOMPARE(
            ctl({ QStringLiteral("rules"), QStringLiteral("induce"), QStringLiteral("--data"), train,
                    QStringLiteral("--out"), induced, QStringLiteral("--target-false-hit-rate"), QStringLiteral("2") })
                .code,
            2);

        const Run ev = ctl(
            { QStringLiteral("eval"), QStringLiteral("--tier"), QStringLiteral("chain"), QStringLiteral("--rules"),
                induced, QStringLiteral("--warm"), train, QStringLiteral("--data"), train, QStringLiteral("--json") });
        QCOMPARE(ev.code, 0);
        const QJsonObject r = QJsonDocument::fromJson(ev.out.toUtf8()).object();
        for (const char *k : { "queries", "hits", "false_hits", "hit_rate", "false_hit_rate" })
            QVERIFY2(r.contains(QLatin1String(k)), k);
        QCOMPARE(r.value(QStringLiteral("queries")).toInt(), 65);
        QCOMPARE(ctl({ QStringLiteral("eval"), QStringLiteral("--tier"), QStringLiteral("l0"), QStringLiteral("--data"),
                         train })
                     .code,
            2);
        QCOMPARE(ctl({ QStringLiteral("eval"), QStringLiteral("--tier"), QStringLiteral("bogus"),
                         QStringLiteral("--data"), train })
                     .code,
            2);
        QCOMPARE(ctl({ QStringLiteral("eval"), QStringLiteral("--tier"), QStringLiteral("exact"),
                         QStringLiteral("--data"), QStringLiteral("/nonexistent.csv") })
                     .code,
            1);

        // Publishing for a tenant, then approving.
        QCOMPARE(db({ QStringLiteral("rules"), QStringLiteral("publish"), pack }).code, 2);
        QCOMPARE(db({ QStringLiteral("rules"), QStringLiteral("publish"), brokenPath, QStringLiteral("--tenant"),
                        QStringLiteral("acme") })
                     .code,
            1);
        const Run pub = db({ QStringLiteral("rules"), QStringLiteral("publish"), pack, QStringLiteral("--tenant"),
            QStringLiteral("acme") });
        QVERIFY2(pub.code == 0, qPrintable(pub.err));
        QCOMPARE(db({ QStringLiteral("rules"), QStringLiteral("publish"), pack, QStringLiteral("--tenant"),
                        QStringLiteral("acme") })
                     .code,
            1); // same version
        const QJsonArray packs = QJsonDocument::fromJson(
            db({ QStringLiteral("rules"), QStringLiteral("list"), QStringLiteral("--json") }).out.toUtf8())
                                     .array();
        QCOMPARE(packs.size(), 1);
        QCOMPARE(packs.at(0).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("pending"));
        const QString id = QString::number(packs.at(0).toObject().value(QStringLiteral("id")).toInteger());
        QCOMPARE(db({ QStringLiteral("rules"), QStringLiteral("approve"), id }).code, 0);
        QCOMPARE(db({ QStringLiteral("rules"), QStringLiteral("approve"), id }).code, 1);
    }
    void experimentCommands()
    {
        const QString url = QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("experiments.sqlite"));
        auto x = [&](QStringList args) {
            args.prepend(url);
            args.prepend(QStringLiteral("--db"));
            return ctl(args);
        };
        const QString E = QStringLiteral("experiment");
        QCOMPARE(x({ QStringLiteral("migrate") }).code, 0);
        QCOMPARE(x({ QStringLiteral("tenant"), QStringLiteral("add"), QStringLiteral("shop") }).code, 0);
        QVERIFY(ctl({ E, QStringLiteral("--help") }).out.contains(QStringLiteral("route:learned[@TARGET]")));
        // Usage errors: 2, before the store is opened.
        QCOMPARE(x({ E }).code, 2);
        QCOMPARE(x({ E, QStringLiteral("frobnicate"), QStringLiteral("n") }).code, 2);
        QCOMPARE(x({ E, QStringLiteral("create"), QStringLiteral("ab"), QStringLiteral("--arm"),
                       QStringLiteral("A=route:fixed"), QStringLiteral("--arm"), QStringLiteral("B=route:learned") })
                     .code,
            2); // no --tenant
        const Run one = x({ E, QStringLiteral("create"), QStringLiteral("ab"), QStringLiteral("--tenant"),
            QStringLiteral("shop"), QStringLiteral("--arm"), QStringLiteral("A=route:fixed") });
        QCOMPARE(one.code, 2);
        QVERIFY(one.err.contains(QStringLiteral("two or more --arm")));
        const Run badPolicy = x({ E, QStringLiteral("create"), QStringLiteral("ab"), QStringLiteral("--tenant"),
            QStringLiteral("shop"), QStringLiteral("--arm"), QStringLiteral("A=route:fixed"), QStringLiteral("--arm"),
            QStringLiteral("B=route:psychic") });
        QCOMPARE(badPolicy.code, 2);
        QVERIFY(badPolicy.err.contains(QStringLiteral("psychic")));
        QCOMPARE(
            x({ E, QStringLiteral("create"), QStringLiteral("ab"), QStringLiteral("--tenant"), QStringLiteral("shop"),
                  QStringLiteral("--arm"), QStringLiteral("A=route:fixed"), QStringLiteral("--arm"),
                  QStringLiteral("B=route:learned"), QStringLiteral("--split"), QStringLiteral("60/30") })
                .code,
            2);
        QCOMPARE(x({ E, QStringLiteral("create"), QStringLiteral("ab"), QStringLiteral("--tenant"),
                       QStringLiteral("nobody"), QStringLiteral("--arm"), QStringLiteral("A=route:fixed"),
                       QStringLiteral("--arm"), QStringLiteral("B=route:learned") })
                     .code,
            1);

        const Run created = x({ E, QStringLiteral("create"), QStringLiteral("ab"), QStringLiteral("--tenant"),
            QStringLiteral("shop"), QStringLiteral("--arm"), QStringLiteral("control=route:fixed"),
            QStringLiteral("--arm"), QStringLiteral("router=route:cascade@0.9+cache:shadow"), QStringLiteral("--split"),
            QStringLiteral("70/30"), QStringLiteral("--json") });
        QVERIFY2(created.code == 0, qPrintable(created.err));
        QVERIFY(created.err.contains(QStringLiteral("no route policy"))); // shop routes nothing
        const QJsonObject c = QJsonDocument::fromJson(created.out.toUtf8()).object();
        QCOMPARE(c.value(QStringLiteral("state")).toString(), QStringLiteral("running"));
        const QJsonArray arms = c.value(QStringLiteral("arms")).toArray();
        QCOMPARE(arms.size(), 2);
        QCOMPARE(arms.at(1).toObject().value(QStringLiteral("policy")).toString(),
            QStringLiteral("route:cascade@0.9+cache:shadow"));
        QCOMPARE(arms.at(0).toObject().value(QStringLiteral("weight")).toInt(), 70);
        // One running experiment per tenant.
        QCOMPARE(x({ E, QStringLiteral("create"), QStringLiteral("ab2"), QStringLiteral("--tenant"),
                       QStringLiteral("shop"), QStringLiteral("--arm"), QStringLiteral("A=cache:shadow"),
                       QStringLiteral("--arm"), QStringLiteral("B=cache:approved") })
                     .code,
            1);

        const Run list = x({ E, QStringLiteral("list") });
        QCOMPARE(list.code, 0);
        QVERIFY(list.out.contains(QStringLiteral("ab  shop  running  control=route:fixed (70%)")));
        QCOMPARE(QJsonDocument::fromJson(x({ E, QStringLiteral("list"), QStringLiteral("--json") }).out.toUtf8())
                     .array()
                     .size(),
            1);
        QVERIFY(x({ E, QStringLiteral("show"), QStringLiteral("ab") }).out.contains(QStringLiteral("tenant shop")));
        QCOMPARE(x({ E, QStringLiteral("show"), QStringLiteral("nope") }).code, 1);

        // assign prints what the nodes would do: the pure hash, the same on every call.
        const Run assigned = x({ E, QStringLiteral("assign"), QStringLiteral("ab"), QStringLiteral("--user"),
            QStringLiteral("alice"), QStringLiteral("--json") });
        QCOMPARE(assigned.code, 0);
        const QString arm
            = QJsonDocument::fromJson(assigned.out.toUtf8()).object().value(QStringLiteral("arm")).toString();
        Experiment probe;
        probe.name = QStringLiteral("ab");
        probe.arms = { { QStringLiteral("control"), {}, 70 }, { QStringLiteral("router"), {}, 30 } };
        QCOMPARE(arm, assignArm(probe, QStringLiteral("user:alice"))->name);
        QCOMPARE(x({ E, QStringLiteral("assign"), QStringLiteral("ab") }).code, 2); // no --user

        // A report with no traffic yet: every arm, zero requests, no tests.
        const Run empty = x({ E, QStringLiteral("report"), QStringLiteral("ab"), QStringLiteral("--json") });
        QCOMPARE(empty.code, 0);
        const QJsonObject r = QJsonDocument::fromJson(empty.out.toUtf8()).object();
        QCOMPARE(r.value(QStringLiteral("arms")).toArray().size(), 2);
        QCOMPARE(
            r.value(QStringLiteral("arms")).toArray().at(1).toObject().value(QStringLiteral("requests")).toInt(), 0);
        QVERIFY(r.value(QStringLiteral("arms"))
                    .toArray()
                    .at(1)
                    .toObject()
                    .value(QStringLiteral("versus"))
                    .toObject()
                    .value(QStringLiteral("hit_rate"))
                    .toObject()
                    .value(QStringLiteral("p_value"))
                    .isNull());
        const Run table = x({ E, QStringLiteral("report"), QStringLiteral("ab") });
        QCOMPARE(table.code, 0);
        QVERIFY(table.out.contains(QStringLiteral("arm router  route:cascade@0.9+cache:shadow  30%")));
        QCOMPARE(x({ E, QStringLiteral("report"), QStringLiteral("nope") }).code, 1);

        QCOMPARE(x({ E, QStringLiteral("stop"), QStringLiteral("ab") }).code, 0);
        QCOMPARE(x({ E, QStringLiteral("stop"), QStringLiteral("ab") }).code, 1);
        QVERIFY(x({ E, QStringLiteral("list") }).out.contains(QStringLiteral("ab  shop  stopped")));
        // Names are never reused, even stopped.
        const Run again = x({ E, QStringLiteral("create"), QStringLiteral("ab"), QStringLiteral("--tenant"),
            QStringLiteral("shop"), QStringLiteral("--arm"), QStringLiteral("A=cache:shadow"), QStringLiteral("--arm"),
            QStringLiteral("B=cache:approved") });
        QCOMPARE(again.code, 1);
        QVERIFY(again.err.contains(QStringLiteral("never reused")));
    }

    // set-route: learned takes two candidates (its router model compares one pair) and says to use
    // cascade for more; a cascade takes three, kept in the order given.
    void setRouteCandidates()
    {
        const QString url = QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("routes.sqlite"));
        auto x = [&](QStringList args) {
            args.prepend(url);
            args.prepend(QStringLiteral("--db"));
            return ctl(args);
        };
        const QString T = QStringLiteral("tenant");
        QCOMPARE(x({ QStringLiteral("migrate") }).code, 0);
        QCOMPARE(x({ T, QStringLiteral("add"), QStringLiteral("shop") }).code, 0);
        const QString three = QStringLiteral("gpt-4o-mini,gpt-4.1-mini,gpt-4o");
        const Run learned = x({ T, QStringLiteral("set-route"), QStringLiteral("shop"), QStringLiteral("--model"),
            QStringLiteral("l0/auto"), QStringLiteral("--strategy"), QStringLiteral("learned"),
            QStringLiteral("--candidates"), three });
        QCOMPARE(learned.code, 2);
        QVERIFY2(learned.err.contains(QStringLiteral("learned routing takes two candidates"))
                && learned.err.contains(QStringLiteral("use cascade")),
            qPrintable(learned.err));
        QVERIFY(!x({ T, QStringLiteral("routes"), QStringLiteral("shop") }).out.contains(QStringLiteral("learned")));
        const Run cascade = x({ T, QStringLiteral("set-route"), QStringLiteral("shop"), QStringLiteral("--model"),
            QStringLiteral("l0/auto"), QStringLiteral("--strategy"), QStringLiteral("cascade"),
            QStringLiteral("--candidates"), three });
        QCOMPARE(cascade.code, 0);
        QVERIFY2(cascade.out.contains(QStringLiteral("l0/auto -> cascade ") + three), qPrintable(cascade.out));
        QVERIFY(x({ T, QStringLiteral("routes"), QStringLiteral("shop") }).out.contains(three));
        const Run five = x({ T, QStringLiteral("set-route"), QStringLiteral("shop"), QStringLiteral("--model"),
            QStringLiteral("l0/auto"), QStringLiteral("--strategy"), QStringLiteral("cascade"),
            QStringLiteral("--candidates"), QStringLiteral("gpt-4.1-nano,") + three + QStringLiteral(",gpt-4") });
        QCOMPARE(five.code, 2);
        QVERIFY(five.err.contains(QStringLiteral("at most")));
    }
};

QTEST_GUILESS_MAIN(TestCtl)
#include "tst_ctl.moc"
