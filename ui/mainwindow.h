#pragma once

#include <QMainWindow>

class QLabel;
class QTabWidget;
class QTableWidget;

namespace l0::ui {

// The console's main window: a queue view over a store, a status bar. The full reviewer
// workflow builds on this shell.
class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);

    // Opens a store URL: asks (off the GUI thread) what the login may do, then opens the tabs
    // it may use. connected() tells when, and whether it worked.
    void openStore(const QString &url);
    // File > Connect: the profiles dialog; opens the chosen store.
    void askConnect();

    // Whether the connected login may review (PostgreSQL: l0_reviewer or l0_admin; a manager
    // sees the dashboard only). SQLite files are single-user: always.
    bool canReview() const { return m_canReview; }
    class DashboardWidget *dashboard() const { return m_dashboard; }
    class ReviewWidget *review() const { return m_review; }
    class AuditWidget *audit() const { return m_audit; }
    class RuleBenchWidget *ruleBench() const { return m_bench; }
    QTabWidget *tabs() const { return m_tabs; }

    // The first window: the geometry, splitters and column widths saved last time (QSettings),
    // else a size taken from the screen's available geometry (maximised on a small screen).
    // From then on they are saved when the window closes.
    void restoreLayout();
    void saveLayout() const;

signals:
    void connected(bool ok);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void applyConnection(const QString &url, bool canReview, const QString &error);
    void refresh();
    void loadKey();

    QString m_url;
    QTabWidget *m_tabs;
    class ReviewWidget *m_review;
    class DashboardWidget *m_dashboard;
    class AuditWidget *m_audit;
    class RuleBenchWidget *m_bench;
    QLabel *m_status;
    bool m_canReview = true;
    bool m_keepLayout = false; // restoreLayout() was called: save it on close
};

} // namespace l0::ui
