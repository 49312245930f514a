#include "auditwidget.h"
#include "workerthread.h"

#include <QDateTime>
#include <QFileDialog>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "core/clock.h"
#include "trust/auditrestore.h"

namespace l0::ui {

AuditWorker::AuditWorker(QString url)
    : m_store(std::move(url))
{
}

AuditWorker::~AuditWorker() = default;

AuditView AuditWorker::build(int limit)
{
    AuditView v;
    SqlSession *session = m_store.session(&v.error);
    if (!session)
        return v;
    auto rows = recentAudit(*session, limit);
    if (!rows) {
        v.error = rows.error().message;
        m_store.reset();
        return v;
    }
    v.rows = std::move(*rows);
    auto report = verifyAudit(*session);
    if (!report)
        v.error = report.error().message;
    else
        v.report = *report;
    return v;
}

void AuditWorker::load(int limit)
{
    emit loaded(build(limit));
}

void AuditWorker::restore(const QString &adminKeyFile, const QByteArray &passphrase, int limit)
{
    QString outcome;
    SqlSession *session = m_store.session(&outcome);
    auto key = SigningKey::fromPrivateFile(adminKeyFile, passphrase);
    if (session && !key)
        outcome = key.error().message;
    else if (session) {
        auto r = restoreFromChain(*session, &*key, Clock::system()->nowMs(), false);
        if (!r)
            outcome = r.error().message;
        else
            outcome = tr("Restored %n row(s) from the chain.", nullptr, int(r->restored.size()))
                + (r->left.empty() ? QString() : tr(" %n row(s) cannot be restored.", nullptr, int(r->left.size())));
    }
    AuditView v = build(limit);
    v.restored = outcome;
    emit loaded(v);
}

AuditWidget::AuditWidget(QWidget *parent)
    : QWidget(parent)
    , m_verdict(new QLabel(this))
    , m_differences(new QTableWidget(this))
    , m_restore(new QPushButton(tr("&Restore from the chain…"), this))
    , m_table(new QTableWidget(this))
{
    qRegisterMetaType<AuditView>();
    m_verdict->setTextFormat(Qt::RichText);
    m_verdict->setAccessibleName(tr("Audit chain verification"));
    m_table->setColumnCount(5);
    m_table->setHorizontalHeaderLabels({ tr("Time"), tr("Who"), tr("Action"), tr("Subject"), tr("Details") });
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAccessibleName(tr("Audit log"));
    auto *verify = new QPushButton(tr("&Verify again"), this);
    m_differences->setColumnCount(5);
    m_differences->setHorizontalHeaderLabels({ tr("Table"), tr("Row"), tr("Stored"), tr("The chain says"), tr("Why") });
    m_differences->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_differences->horizontalHeader()->setStretchLastSection(true);
    m_differences->verticalHeader()->setVisible(false);
    m_differences->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_differences->setAccessibleName(tr("Rows that do not follow from the audit chain"));
    m_differences->setMaximumHeight(180);
    m_differences->hide();
    m_restore->setToolTip(tr("Put these rows back to what the chain and its signatures say (needs the admin key)"));
    m_restore->hide();
    auto *top = new QHBoxLayout;
    top->addWidget(m_verdict, 1);
    top->addWidget(m_restore);
    top->addWidget(verify);
    auto *v = new QVBoxLayout(this);
    v->addLayout(top);
    v->addWidget(m_differences);
    v->addWidget(m_table);
    connect(verify, &QPushButton::clicked, this, &AuditWidget::refresh);
    connect(m_restore, &QPushButton::clicked, this, &AuditWidget::askAndRestore);
}

AuditWidget::~AuditWidget()
{
    stopWorkerThread(m_thread);
}

void AuditWidget::setStore(const QString &url)
{
    stopWorkerThread(m_thread);
    m_worker = new AuditWorker(url);
    m_thread = newWorkerThread(this, m_worker, QStringLiteral("audit"));
    connect(this, &AuditWidget::requestLoad, m_worker, &AuditWorker::load);
    connect(this, &AuditWidget::requestRestore, m_worker, &AuditWorker::restore);
    connect(m_worker, &AuditWorker::loaded, this, &AuditWidget::show);
    m_thread->start();
    refresh();
}

void AuditWidget::refresh()
{
    if (!m_worker)
        return;
    m_verdict->setText(tr("Verifying the chain…"));
    emit requestLoad(500);
}

QString AuditWidget::verdict() const
{
    return m_verdict->text();
}

int AuditWidget::rowCount() const
{
    return m_table->rowCount();
}

int AuditWidget::differenceCount() const
{
    return m_differences->rowCount();
}

void AuditWidget::restoreWith(const QString &adminKeyFile, const QByteArray &passphrase)
{
    if (!m_worker)
        return;
    m_verdict->setText(tr("Restoring from the chain…"));
    emit requestRestore(adminKeyFile, passphrase, 500);
}

void AuditWidget::askAndRestore()
{
    const QString file = QFileDialog::getOpenFileName(this, tr("The admin key"), QString(), tr("Keys (*.pem)"));
    if (file.isEmpty())
        return;
    bool ok = false;
    const QString passphrase = QInputDialog::getText(
        this, tr("The admin key"), tr("Passphrase of %1:").arg(file), QLineEdit::Password, QString(), &ok);
    if (ok)
        restoreWith(file, passphrase.toUtf8());
}

void AuditWidget::showDifferences(const AuditReport &report)
{
    m_differences->setRowCount(int(report.differences.size()));
    bool restorable = false;
    int row = 0;
    for (const StateDifference &d : report.differences) {
        const QStringList cells { d.table, d.place, d.stored, d.expected, d.why };
        for (int c = 0; c < cells.size(); ++c)
            m_differences->setItem(row, c, new QTableWidgetItem(cells.at(c)));
        restorable = restorable || d.restorable();
        ++row;
    }
    m_differences->setVisible(!report.differences.empty());
    m_restore->setVisible(restorable);
}

void AuditWidget::show(const AuditView &v)
{
    if (!v.error.isEmpty()) {
        m_verdict->setText(tr("<span style=\"color:#b3261e\">Cannot read or verify the audit log: %1</span>")
                               .arg(v.error.toHtmlEscaped()));
    } else if (v.report.ok) {
        m_verdict->setText(tr("<span style=\"color:#1b5e20\">✔ The chain verifies: %n row(s), every version, "
                              "approval and rule pack as recorded.</span>",
            nullptr, int(v.report.rows)));
    } else if (v.report.brokenRow > 0) {
        m_verdict->setText(tr("<span style=\"color:#b3261e\">✘ The chain is broken at row %1: %2</span>")
                               .arg(v.report.brokenRow)
                               .arg(v.report.reason.toHtmlEscaped()));
    } else {
        m_verdict->setText(tr("<span style=\"color:#b3261e\">✘ The store is broken against its chain: %n row(s) "
                              "do not follow from the recorded decisions.</span>",
            nullptr, int(v.report.differences.size())));
    }
    if (!v.restored.isEmpty())
        m_verdict->setText(m_verdict->text() + QStringLiteral("<br>") + v.restored.toHtmlEscaped());
    showDifferences(v.report);
    m_table->setRowCount(int(v.rows.size()));
    int row = 0;
    for (const AuditRecord &r : v.rows) {
        const QStringList cells { QLocale().toString(QDateTime::fromMSecsSinceEpoch(r.tsMs), QLocale::ShortFormat),
            r.actor, r.action, r.subject, r.details };
        for (int c = 0; c < cells.size(); ++c) {
            auto *item = new QTableWidgetItem(cells.at(c));
            if (r.id == v.report.brokenRow)
                item->setBackground(QColor(0xff, 0xcd, 0xd2));
            m_table->setItem(row, c, item);
        }
        ++row;
    }
    emit shown();
}

} // namespace l0::ui
