#pragma once

#include <QWidget>

#include <memory>
#include <vector>

#include "reviewworker.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QTabBar;
class QTableWidget;
class QTextBrowser;
class QThread;

namespace l0::ui {

// The review queue and the item view, keyboard first: lanes (1–4), next/previous (J/K), approve
// (A, signed with the reviewer's key), reject (R, a reason is required), skip (S), diff against
// the live approved version (inline), findings highlighted in the answer, the queries that
// mapped to the key, the dual-approval status ("1 of 2"). ? lists the keys. The store work runs
// on a worker thread.
class ReviewWidget final : public QWidget {
    Q_OBJECT
public:
    explicit ReviewWidget(QWidget *parent = nullptr);
    ~ReviewWidget() override;

    void setStore(const QString &url, const QString &reviewer);
    void setReviewerKey(std::shared_ptr<const SigningKey> key) { m_key = std::move(key); }
    void refresh();

    // For tests and the menu: act on the open item. Reject refuses an empty reason code.
    bool rejectCurrent(const QString &reasonCode, const QString &text);
    bool submitEdit(const QString &text);
    bool sideBySide() const { return m_sideBySide; }
    const ItemDetail &current() const { return m_detail; }
    const std::vector<QueueItem> &items() const { return m_items; }
    QString statusText() const;
    static QString shortcutHelp();

signals:
    void detailShown();
    void queueShown();
    void decisionMade(const QString &message);
    void requestQueue(int lane);
    void requestOpen(qint64 entryId, int version);
    void requestApprove(qint64 entryId, int version, std::shared_ptr<const l0::SigningKey> key);
    void requestReject(qint64 entryId, int version, std::shared_ptr<const l0::SigningKey> key, const QString &reason);
    void requestRelease(qint64 entryId, int version);
    void requestEdit(qint64 entryId, int version, const QString &text);
    void requestRenew(qint64 entryId, int version);

private:
    void showQueue(int lane, const std::vector<QueueItem> &items, const QString &error);
    void showDetail(const ItemDetail &d);
    void onDecided(qint64 entryId, int version, const QString &state, const QString &message);
    void move(int delta);
    void openRow(int row);
    void approveCurrent();
    void askReject();
    void applyFilter();
    void askEdit();
    void renderDiff();
    void nextChange();

    QThread *m_thread = nullptr;
    ReviewWorker *m_worker = nullptr;
    std::shared_ptr<const SigningKey> m_key;
    std::vector<QueueItem> m_items;
    ItemDetail m_detail;
    QTabBar *m_lanes;
    QLineEdit *m_search;
    QCheckBox *m_mine;
    QTableWidget *m_table;
    QLabel *m_header;
    QTextBrowser *m_answer;
    QTextBrowser *m_diff;
    QListWidget *m_findings;
    QLabel *m_status;
    bool m_sideBySide = false;
    int m_shownLane = -1;
    int m_nextRow = 0;
    QString m_reviewer;
    QString m_shownClaim; // who else held the open item when it was shown
    int m_changeIndex = -1;
};

} // namespace l0::ui
