#include "mainwindow.h"

#include <QAction>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>

#include "dashboard/dashboardwidget.h"
#include "store/store.h"

namespace l0::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_tabs(new QTabWidget(this))
    , m_table(new QTableWidget(this))
    , m_dashboard(new DashboardWidget(this))
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("L0 Cache Console"));
    m_table->setColumnCount(6);
    m_table->setHorizontalHeaderLabels(
        { tr("Entry"), tr("State"), tr("Tenant"), tr("Model"), tr("Demand"), tr("Query") });
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAccessibleName(tr("Review queue"));
    m_tabs->addTab(m_table, tr("Review &queue"));
    m_tabs->addTab(m_dashboard, tr("&Savings"));
    setCentralWidget(m_tabs);
    statusBar()->addWidget(m_status, 1);
    m_status->setText(tr("Not connected"));

    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open SQLite store..."));
    open->setShortcut(QKeySequence::Open);
    connect(open, &QAction::triggered, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Open store"), QString(), tr("SQLite (*.sqlite *.db);;All files (*)"));
        if (!path.isEmpty())
            openStore(QStringLiteral("sqlite:") + path);
    });
    QAction *reload = file->addAction(tr("&Refresh"));
    reload->setShortcut(QKeySequence::Refresh);
    connect(reload, &QAction::triggered, this, &MainWindow::refresh);
    QAction *quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);
    resize(1100, 700);
}

bool MainWindow::openStore(const QString &url)
{
    m_url = url;
    m_canReview = true;
    if (auto store = l0::openStore(url); store) {
        auto &s = (*store)->session();
        if (s.dialect() == QLatin1String("postgresql")) {
            auto roles = s.query(QStringLiteral(
                "SELECT pg_has_role(current_user, 'l0_reviewer', 'MEMBER') OR pg_has_role(current_user, 'l0_admin', "
                "'MEMBER') OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"));
            m_canReview = roles && !roles->empty() && (roles->at(0).text(0) == QLatin1String("t"));
        }
    }
    const int queueTab = m_tabs->indexOf(m_table);
    m_tabs->setTabEnabled(queueTab, m_canReview);
    m_tabs->setTabToolTip(
        queueTab, m_canReview ? QString() : tr("Reviewing needs the reviewer role; managers see savings."));
    if (!m_canReview)
        m_tabs->setCurrentWidget(m_dashboard);
    m_dashboard->setStore(url);
    refresh();
    return !m_status->text().startsWith(tr("Error"));
}

void MainWindow::refresh()
{
    if (m_url.isEmpty() || !m_canReview)
        return;
    auto store = l0::openStore(m_url);
    if (!store) {
        m_status->setText(tr("Error: %1").arg(store.error().message));
        return;
    }
    auto items = (*store)->queue(QueueFilter {});
    if (!items) {
        m_status->setText(tr("Error: %1").arg(items.error().message));
        return;
    }
    m_table->setRowCount(int(items->size()));
    int row = 0;
    for (const QueueItem &i : *items) {
        const QStringList cells { QStringLiteral("%1@%2").arg(i.entryId).arg(i.version),
            QString::fromLatin1(versionStateName(i.state)), i.tenant, i.model, QString::number(i.hits), i.query };
        for (int c = 0; c < cells.size(); ++c)
            m_table->setItem(row, c, new QTableWidgetItem(cells.at(c)));
        ++row;
    }
    m_status->setText(tr("%n candidate(s) waiting in %1", nullptr, int(items->size())).arg(m_url));
}

} // namespace l0::ui
