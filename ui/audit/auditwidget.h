#pragma once

#include <QWidget>

#include "store/sqlsession.h"
#include "trust/auditlog.h"
#include "trust/auditreads.h"
#include "workerthread.h"

class QLabel;
class QPushButton;
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
    QString restored; // what the last restore did, or why it did not
};

// Reads the audit chain and verifies it, off the GUI thread.
class AuditWorker final : public QObject {
    Q_OBJECT
public:
    explicit AuditWorker(QString url);
    ~AuditWorker() override;
public slots:
    void load(int limit);
    // Puts the differing rows back (restoreFromChain), signed with the admin key, then reloads.
    void restore(const QString &adminKeyFile, const QByteArray &passphrase, int limit);
signals:
    void loaded(const l0::ui::AuditView &view);

private:
    AuditView build(int limit);
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
    // The stored rows that do not follow from the chain, as listed.
    int differenceCount() const;
    // The Restore button without its dialogs (tests): the admin key file and its passphrase.
    void restoreWith(const QString &adminKeyFile, const QByteArray &passphrase);

signals:
    void shown();
    void requestLoad(int limit);
    void requestRestore(const QString &adminKeyFile, const QByteArray &passphrase, int limit);

private:
    void show(const AuditView &v);
    void showDifferences(const AuditReport &report);
    void askAndRestore();
    QThread *m_thread = nullptr;
    AuditWorker *m_worker = nullptr;
    QLabel *m_verdict;
    QTableWidget *m_differences;
    QPushButton *m_restore;
    QTableWidget *m_table;
};

} // namespace l0::ui

Q_DECLARE_METATYPE(l0::ui::AuditView)
