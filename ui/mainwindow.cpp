#include "mainwindow.h"

#include <QAction>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QStatusBar>
#include <QTableWidget>

#include "store/store.h"

namespace l0::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_table(new QTableWidget(this))
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
    setCentralWidget(m_table);
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
    refresh();
    return !m_status->text().startsWith(tr("Error"));
}

void MainWindow::refresh()
{
    if (m_url.isEmpty())
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
