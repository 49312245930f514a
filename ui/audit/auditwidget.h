#pragma once

#include <QWidget>

#include "store/sqlsession.h"
#include "trust/auditlog.h"
#include "trust/auditreads.h"
#include "workerthread.h"

class QLabel;
class QTableWidget;
class QThread;

namespace l0 {
class Store;
}

namespace l0::ui {

struct AuditView {
    std::vector<AuditRecord> rows; // newest first
    AuditReport report;
    QString error;
};

// Reads the audit chain and verifies it, off the GUI thread.
class AuditWorker final : public QObject {
    Q_OBJECT
public:
    explicit AuditWorker(QString url);
    ~AuditWorker() override;
public slots:
    void load(int limit);
signals:
    void loaded(const l0::ui::AuditView &view);

private:
    LazyStore m_store;
};

// The audit log: who did what to which entry, newest first, with the verification of the whole
// chain (hashes, and the versions and signatures it describes) on top.
class AuditWidget final : public QWidget {
    Q_OBJECT
public:
    explicit AuditWidget(QWidget *parent = nullptr);
    ~AuditWidget() override;
    void setStore(const QString &url);
    void refresh();
    QString verdict() const;
    int rowCount() const;

signals:
    void shown();
    void requestLoad(int limit);

private:
    void show(const AuditView &v);
    QThread *m_thread = nullptr;
    AuditWorker *m_worker = nullptr;
    QLabel *m_verdict;
    QTableWidget *m_table;
};

} // namespace l0::ui

Q_DECLARE_METATYPE(l0::ui::AuditView)
