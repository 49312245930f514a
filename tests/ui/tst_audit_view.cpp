#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

#include "audit/auditwidget.h"
#include "store/store.h"
#include "trust/adminkey.h"
#include "trust/approvals.h"

using namespace l0;

// The console's Audit tab lists the stored rows that do not follow from the chain and puts them
// back with the admin key, through the same engine function as `l0ctl audit restore`.
class TestAuditView : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_url;
    std::unique_ptr<Store> m_store;

    static bool waitFor(QObject *o, const char *signal, const std::function<bool()> &done)
    {
        QSignalSpy spy(o, signal);
        for (int i = 0; i < 40 && !done(); ++i)
            spy.wait(250);
        return done();
    }

private slots:
    void listsDifferencesAndRestores()
    {
        m_url = QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("audit.sqlite"));
        m_store = std::move(openStore(m_url).value());
        QVERIFY(m_store->migrate().ok());
        const qint64 t = m_store->addTenant(QStringLiteral("acme"), Policy::Approved)->id;
        auto admin = SigningKey::generate();
        auto ann = SigningKey::generate();
        const QString adminPem = m_dir.filePath(QStringLiteral("admin.pem"));
        QVERIFY(writeKeyPair(*admin, adminPem, "console passphrase").ok());
        QVERIFY(registerReviewer(m_store->session(), QStringLiteral("ann"), *ann, *admin).ok());
        Candidate c;
        c.tenantId = t;
        c.cacheKey = "k";
        c.model = QStringLiteral("gpt-4o-mini");
        c.query = QStringLiteral("where is my parcel");
        c.requestJson = "{}";
        c.result.message = QJsonObject { { QStringLiteral("role"), QStringLiteral("assistant") },
            { QStringLiteral("content"), QStringLiteral("It is on its way.") } };
        c.author = QStringLiteral("upstream:test");
        const qint64 e = m_store->addCandidate(c)->entryId;
        // Approved behind the chain's back.
        QVERIFY(m_store->session()
                    .query(QStringLiteral("UPDATE versions SET state = 'approved' WHERE entry_id = ?"),
                        { SqlSession::num(e) })
                    .ok());

        ui::AuditWidget audit;
        audit.resize(1000, 520);
        audit.setStore(m_url);
        QVERIFY(waitFor(&audit, SIGNAL(shown()), [&] { return audit.differenceCount() == 1; }));
        QVERIFY2(audit.verdict().contains(QStringLiteral("do not follow")), qPrintable(audit.verdict()));
        audit.grab().save(QStringLiteral("/tmp/l0-audit-differences.png"));

        audit.restoreWith(adminPem, "wrong passphrase");
        QVERIFY(waitFor(&audit, SIGNAL(shown()), [&] { return audit.verdict().contains(QStringLiteral("<br>")); }));
        QCOMPARE(audit.differenceCount(), 1); // nothing changed without the key

        audit.restoreWith(adminPem, "console passphrase");
        QVERIFY(waitFor(&audit, SIGNAL(shown()), [&] { return audit.differenceCount() == 0; }));
        QVERIFY2(audit.verdict().contains(QStringLiteral("verifies")), qPrintable(audit.verdict()));
        QVERIFY(audit.verdict().contains(QStringLiteral("Restored 1 row")));
        audit.grab().save(QStringLiteral("/tmp/l0-audit-restored.png"));
        auto state = m_store->session().query(
            QStringLiteral("SELECT state FROM versions WHERE entry_id = ?"), { SqlSession::num(e) });
        QCOMPARE(state->at(0).text(0), QStringLiteral("pending"));
    }
};

QTEST_MAIN(TestAuditView)
#include "tst_audit_view.moc"
