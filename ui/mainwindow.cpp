#include "mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QFileDialog>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QThread>

#include "audit/auditwidget.h"
#include "connect/connectdialog.h"
#include "dashboard/dashboardwidget.h"
#include "review/reviewwidget.h"
#include "rules/rulebenchwidget.h"
#include "store/store.h"
#include "trust/approvals.h"
#include "trust/loginroles.h"
#include "trust/signing.h"

namespace l0::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_tabs(new QTabWidget(this))
    , m_review(new ReviewWidget(this))
    , m_dashboard(new DashboardWidget(this))
    , m_audit(new AuditWidget(this))
    , m_bench(new RuleBenchWidget(this))
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("L0 Cache Console"));
    m_tabs->addTab(m_review, tr("Review &queue"));
    m_tabs->addTab(m_dashboard, tr("&Savings"));
    m_tabs->addTab(m_audit, tr("&Audit"));
    m_tabs->addTab(m_bench, tr("Rule &bench"));
    setCentralWidget(m_tabs);
    statusBar()->addWidget(m_status, 1);
    m_status->setText(tr("Not connected: File > Connect (Ctrl+Shift+O) or Open SQLite store (Ctrl+O)"));

    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open SQLite store..."));
    open->setShortcut(QKeySequence::Open);
    connect(open, &QAction::triggered, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Open store"), QString(), tr("SQLite (*.sqlite *.db);;All files (*)"));
        if (!path.isEmpty())
            openStore(QStringLiteral("sqlite:") + path);
    });
    QAction *connectAction = file->addAction(tr("&Connect..."));
    connectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    connect(connectAction, &QAction::triggered, this, &MainWindow::askConnect);
    QAction *key = file->addAction(tr("Load reviewer &key..."));
    key->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    connect(key, &QAction::triggered, this, &MainWindow::loadKey);
    QAction *reload = file->addAction(tr("&Refresh"));
    reload->setShortcut(QKeySequence::Refresh);
    connect(reload, &QAction::triggered, this, &MainWindow::refresh);
    QAction *quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);
    resize(1100, 700);
}

void MainWindow::restoreLayout()
{
    m_keepLayout = true;
    QSettings settings;
    settings.beginGroup(QStringLiteral("console"));
    const bool placed = restoreGeometry(settings.value(QStringLiteral("geometry")).toByteArray());
    m_review->restoreState(settings.value(QStringLiteral("review")).toByteArray());
    if (placed)
        return;
    QScreen *screen = this->screen() ? this->screen() : QGuiApplication::primaryScreen();
    if (!screen)
        return;
    const QRect area = screen->availableGeometry();
    // A small screen is used whole; a large one mostly, leaving room to see what is behind.
    const bool small = area.width() <= 1440 || area.height() <= 900;
    const QSize size = small ? area.size() * 0.92
                             : QSize(std::max(1400, int(area.width() * 0.85)), std::max(860, int(area.height() * 0.88)))
                                   .boundedTo(area.size());
    resize(size);
    move(area.center() - QPoint(size.width() / 2, size.height() / 2));
    if (small)
        setWindowState(windowState() | Qt::WindowMaximized);
}

void MainWindow::saveLayout() const
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("console"));
    settings.setValue(QStringLiteral("geometry"), saveGeometry());
    settings.setValue(QStringLiteral("review"), m_review->saveState());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_keepLayout)
        saveLayout();
    QMainWindow::closeEvent(event);
}

void MainWindow::askConnect()
{
    ConnectDialog dialog(this);
    if (dialog.exec() == QDialog::Accepted)
        openStore(dialog.url());
}

void MainWindow::openStore(const QString &url)
{
    m_url = url;
    m_status->setText(tr("Connecting to %1…").arg(redactedUrl(url)));
    // What this login may do is asked off the GUI thread; the tabs open when the answer is in.
    QPointer<MainWindow> self(this);
    QThread *probe = QThread::create([self, url] {
        bool canReview = true;
        QString error;
        auto store = l0::openStore(url);
        if (!store) {
            error = store.error().message;
        } else {
            auto may = mayReview((*store)->session());
            canReview = may && *may; // a role that cannot be read opens no review
        }
        QMetaObject::invokeMethod(qApp, [self, url, canReview, error] {
            if (self)
                self->applyConnection(url, canReview, error);
        });
    });
    connect(probe, &QThread::finished, probe, &QObject::deleteLater);
    probe->start();
}

void MainWindow::applyConnection(const QString &url, bool canReview, const QString &error)
{
    if (url != m_url)
        return; // another store was opened meanwhile
    if (!error.isEmpty()) {
        m_status->setText(tr("Error: %1").arg(error));
        emit connected(false);
        return;
    }
    m_canReview = canReview;
    const int queueTab = m_tabs->indexOf(m_review);
    m_tabs->setTabEnabled(queueTab, m_canReview);
    m_tabs->setTabToolTip(
        queueTab, m_canReview ? QString() : tr("Reviewing needs the reviewer role; managers see savings."));
    if (!m_canReview)
        m_tabs->setCurrentWidget(m_dashboard);
    m_dashboard->setStore(url);
    m_tabs->setTabEnabled(m_tabs->indexOf(m_audit), m_canReview);
    m_tabs->setTabEnabled(m_tabs->indexOf(m_bench), m_canReview);
    if (m_canReview) {
        m_audit->setStore(url);
        m_bench->setStore(url);
        m_review->setStore(url, qEnvironmentVariable("USER", QStringLiteral("reviewer")));
    }
    refresh();
    emit connected(true);
}

void MainWindow::refresh()
{
    if (m_url.isEmpty())
        return;
    m_dashboard->refresh();
    if (!m_canReview) {
        m_status->setText(tr("Savings of %1 (manager: reviewing is not open to this login)").arg(redactedUrl(m_url)));
        return;
    }
    m_review->refresh();
    m_status->setText(tr("Connected to %1").arg(redactedUrl(m_url)));
}

void MainWindow::loadKey()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Your reviewer key"), QString(), tr("Private keys (*.pem *.key);;All files (*)"));
    if (path.isEmpty())
        return;
    bool ok = false;
    const QString passphrase = QInputDialog::getText(
        this, tr("Reviewer key"), tr("Passphrase of %1:").arg(path), QLineEdit::Password, QString(), &ok);
    if (!ok)
        return;
    auto key = SigningKey::fromPrivateFile(path, passphrase.toUtf8());
    if (!key) {
        QMessageBox::warning(this, tr("Reviewer key"), tr("Cannot use this key: %1").arg(key.error().message));
        return;
    }
    // The key is held in memory for this session only; its registered owner (looked up off the
    // GUI thread) is the reviewer.
    auto shared = std::make_shared<const SigningKey>(std::move(*key));
    QPointer<MainWindow> self(this);
    const QString url = m_url;
    QThread *lookup = QThread::create([self, url, shared] {
        QString name;
        if (auto store = l0::openStore(url)) {
            if (auto who = reviewerForKey((*store)->session(), *shared))
                name = *who;
        }
        QMetaObject::invokeMethod(qApp, [self, url, shared, name] {
            if (!self || self->m_url != url)
                return;
            if (name.isEmpty()) {
                QMessageBox::warning(self, tr("Reviewer key"), tr("This key belongs to no registered reviewer."));
                return;
            }
            self->m_review->setStore(url, name);
            self->m_review->setReviewerKey(shared);
            self->m_status->setText(tr("Reviewing as %1").arg(name));
        });
    });
    connect(lookup, &QThread::finished, lookup, &QObject::deleteLater);
    lookup->start();
}

} // namespace l0::ui
