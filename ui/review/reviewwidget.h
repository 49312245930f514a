#pragma once

#include <QHash>
#include <QWidget>

#include <memory>
#include <vector>

#include "ledger/pricetable.h"
#include "reviewworker.h"

class QCheckBox;
class QComboBox;
class QPushButton;
class QLabel;
class QLineEdit;
class QSplitter;
class QStackedWidget;
class QTabBar;
class QTableWidget;
class QTextBrowser;
class QThread;

namespace l0::ui {

// The review queue and the item view, keyboard first: lanes (1–4), next/previous (J/K), approve
// (A, signed with the reviewer's key), reject (R, a reason is required), skip (S), undo (U),
// sort by would-be savings (O), diff against the live approved version or, for A/B, another
// candidate of the same entry (C; blind with B, pick with [ and ]), findings highlighted in
// the answer, the queries that mapped to the key, the dual-approval status ("1 of 2"). ? lists
// the keys. The store work runs on a worker thread.
class ReviewWidget final : public QWidget {
    Q_OBJECT
public:
    explicit ReviewWidget(QWidget *parent = nullptr);
    ~ReviewWidget() override;

    void setStore(const QString &url, const QString &reviewer);
    void setReviewerKey(std::shared_ptr<const SigningKey> key);
    void refresh();

    // Where a rejected text goes: away (the default), or back to the queue as a new version, for
    // an edit or for another model's answer (requeueSigned).
    enum class RejectOutcome { Remove, RequeueEdit, RequeueModel };
    // For tests and the menu: act on the open item. Reject refuses an empty reason code.
    bool rejectCurrent(const QString &reasonCode, const QString &text, RejectOutcome outcome = RejectOutcome::Remove);
    bool submitEdit(const QString &text);
    bool sideBySide() const;
    const ItemDetail &current() const { return m_detail; }
    const std::vector<QueueItem> &items() const { return m_items; }
    using Sort = QueueSort;
    void setSort(Sort sort);
    Sort sort() const;
    std::optional<qint64> wouldSave(const QueueItem &item) const { return ui::wouldSave(*m_prices, item); }
    qint64 laneTotal() const { return m_laneTotal; }
    // A lane's label as shown, with what it holds: "Needs review · 43" (its key is the tooltip).
    QString laneText(int lane) const;
    QTableWidget *queueTable() const { return m_table; }
    // The fifth lane (key 5): alias proposals, "same question as entry N?" (aliasreview.h).
    static constexpr int kAliasLane = 4;
    class AliasReview *aliasReview() const { return m_aliases; }
    // The splitters and the queue's column widths, for QSettings; restoreState() is false for
    // state it cannot read.
    QByteArray saveState() const;
    bool restoreState(const QByteArray &state);
    // How many items of a lane the list shows (500 by default).
    void setPageSize(int items) { m_pageSize = std::max(1, items); }
    // A/B: the version shown as A and as B (0 when not comparing two candidates).
    int versionA() const;
    int versionB() const;
    bool blindAB() const;
    QString diffTitle() const;
    QString headerText() const;
    bool canUndo() const { return !m_undoStack.empty(); }
    // The findings table as shown (sorted, filtered): "detector|score" per visible row.
    QStringList visibleFindings() const;
    void setFindingFilter(const QString &text);
    QString selectedAnswerText() const;
    int changeCount() const;
    int currentChange() const;
    QString statusText() const;
    static QString shortcutHelp();

signals:
    void detailShown();
    void queueShown();
    void decisionMade(const QString &message);
    void requestQueue(int lane, int sort, int shown);
    void requestOpen(qint64 entryId, int version);
    void requestApprove(qint64 entryId, int version, std::shared_ptr<const l0::SigningKey> key);
    void requestReject(qint64 entryId, int version, std::shared_ptr<const l0::SigningKey> key, const QString &reason);
    void requestRequeue(
        qint64 entryId, int version, std::shared_ptr<const l0::SigningKey> key, const QString &reason, int requeueFor);
    void requestRelease(qint64 entryId, int version);
    void requestEdit(qint64 entryId, int version, const QString &text);
    void requestRenew(qint64 entryId, int version);
    void requestPrefer(qint64 entryId, int winner, int loser, std::shared_ptr<const l0::SigningKey> key);
    void requestUndo(qint64 entryId, int version, int kind, std::shared_ptr<const l0::SigningKey> key);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showLaneCounts(const QList<qint64> &counts);
    // The queue's columns by priority: each shown one at least as wide as its header, the query
    // takes what is left; columns that do not fit are hidden (their cells are in the row's
    // tooltip), so nothing hides behind a horizontal scroll bar.
    void fitColumns();
    // The answer, diff and findings panes share the height by how much each has to show.
    void balancePanes();
    void showQueue(int lane, const std::vector<QueueItem> &items, qint64 total, const QString &error);
    void showDetail(const ItemDetail &d);
    void onDecided(qint64 entryId, int version, const QString &message);
    void move(int delta);
    void openRow(int row);
    void approveCurrent();
    void askReject();
    void applyFilter();
    void askEdit();
    void renderDiff();
    void stepChange(int delta); // next (1) or previous (-1) change, round the ends
    void cycleCompare();
    void prefer(bool a);
    void undo();
    void onUndone(qint64 entryId, int version, const QString &state, const QString &message);
    void selectInAnswer(qsizetype start, qsizetype end);
    const Alternative *comparedAlternative() const;

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
    class DiffView *m_diff;
    class FindingsView *m_findings;
    QLabel *m_status;
    QComboBox *m_sort;
    QLabel *m_queueCount;
    QSplitter *m_split = nullptr; // queue | item
    QSplitter *m_panes = nullptr; // answer / diff / findings
    QWidget *m_answerPane = nullptr;
    QWidget *m_diffPane = nullptr;
    QHash<int, int> m_userWidths; // columns the reviewer sized by hand
    bool m_fitting = false;
    QList<qint64> m_laneCounts;
    class AliasReview *m_aliases = nullptr;
    QStackedWidget *m_stack = nullptr; // the queue and item, or the alias lane
    qint64 m_aliasCount = -1;
    bool aliasLane() const;
    qint64 m_laneTotal = 0;
    int m_pageSize = 500;
    bool m_queueFailed = false; // the last queue read failed (the store went away)
    QCheckBox *m_blind;
    QLabel *m_diffLabel;
    QPushButton *m_preferA;
    QPushButton *m_preferB;
    std::shared_ptr<const PriceTable> m_prices; // loaded once, shared with the worker
    int m_compare = -1; // index into m_detail.alternatives; -1: the approved version
    bool m_abSwap = false; // blind A/B: the open item is shown as B
    // A decision this console made, for undo.
    struct LastDecision {
        qint64 entryId = 0;
        int version = 0;
        UndoKind kind = UndoKind::Decision;
        int reopenVersion = 0; // what to show after the undo
        int otherVersion = 0; // A/B: the rejected rival
        int copyVersion = 0; // requeue: the copy that waits again (withdrawn first)
    } m_pending, m_undoing;
    // Newest last; U takes them back one by one (the engine allows 10 minutes each).
    std::vector<LastDecision> m_undoStack;
    static constexpr size_t kUndoDepth = 50;
    qint64 m_selectEntry = 0; // after an undo: the item to bring back up
    int m_selectVersion = 0;
    int m_shownLane = -1;
    int m_nextRow = 0;
    QString m_reviewer;
    QString m_shownClaim; // who else held the open item when it was shown
};

} // namespace l0::ui
