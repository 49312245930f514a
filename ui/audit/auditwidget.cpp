#include "auditwidget.h"
#include "workerthread.h"

#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace l0::ui {

AuditWorker::AuditWorker(QString url)
    : m_store(std::move(url))
{
}

AuditWorker::~AuditWorker() = default;

void AuditWorker::load(int limit)
{
    AuditView v;
    SqlSession *session = m_store.session(&v.error);
    if (!session) {
        emit loaded(v);
        return;
    }
    auto rows = recentAudit(*session, limit);
    if (!rows) {
        v.error = rows.error().message;
        m_store.reset();
        emit loaded(v);
        return;
    }
    v.rows = std::move(*rows);
    auto report = verifyAudit(*session);
    if (!report)
        v.error = report.error().message;
    else
        v.report = *report;
    emit loaded(v);
}

AuditWidget::AuditWidget(QWidget *parent)
    : QWidget(parent)
    , m_verdict(new QLabel(this))
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
    auto *top = new QHBoxLayout;
    top->addWidget(m_verdict, 1);
    top->addWidget(verify);
    auto *v = new QVBoxLayout(this);
    v->addLayout(top);
    v->addWidget(m_table);
    connect(verify, &QPushButton::clicked, this, &AuditWidget::refresh);
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

void AuditWidget::show(const AuditView &v)
{
    if (!v.error.isEmpty()) {
        m_verdict->setText(tr("<span style=\"color:#b3261e\">Cannot read or verify the audit log: %1</span>")
                               .arg(v.error.toHtmlEscaped()));
    } else if (v.report.ok) {
        m_verdict->setText(tr("<span style=\"color:#1b5e20\">✔ The chain verifies: %n row(s), every version and "
                              "signature as recorded.</span>",
            nullptr, int(v.report.rows)));
    } else {
        m_verdict->setText(tr("<span style=\"color:#b3261e\">✘ The chain is broken at row %1: %2</span>")
                               .arg(v.report.brokenRow)
                               .arg(v.report.reason.toHtmlEscaped()));
    }
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
