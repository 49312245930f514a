#pragma once

#include <QMainWindow>

class QLabel;
class QTableWidget;

namespace l0::ui {

// The console's main window: a queue view over a store, a status bar. The full reviewer
// workflow builds on this shell.
class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);

    // Opens a store URL and shows its queue. Returns false and shows why on failure.
    bool openStore(const QString &url);

private:
    void refresh();

    QString m_url;
    QTableWidget *m_table;
    QLabel *m_status;
};

} // namespace l0::ui
