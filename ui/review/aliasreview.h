#pragma once

#include <QWidget>

#include <memory>
#include <vector>

#include "reviewworker.h" // the key's metatype
#include "store/aliasrules.h"
#include "trust/signing.h"

class QLabel;
class QPushButton;
class QSplitter;
class QTableWidget;
class QTextBrowser;
class QThread;

namespace l0::ui {

class AliasWorker;
class DiffView;

// The alias lane of the review queue: queries the semantic tier found close to an approved
// entry without passing its threshold, each asked as "Same question as entry N?" with the
// similarity, the two questions side by side (word diff) and the answer a yes would serve.
// Keyboard first, with the queue's keys: A same question (signed: the query becomes an alias of
// the entry, served as an exact hit), R not the same (signed; never proposed again), J / S next,
// K previous. The store work runs on a worker thread.
class AliasReview final : public QWidget {
    Q_OBJECT
public:
    explicit AliasReview(QWidget *parent = nullptr);
    ~AliasReview() override;

    void setStore(const QString &url);
    void setReviewerKey(std::shared_ptr<const SigningKey> key) { m_key = std::move(key); }
    void refresh();

    // For the queue's keys and for tests: decide on the open proposal, or move in the list.
    void confirmCurrent();
    void rejectCurrent(const QString &reason = QString());
    void move(int delta);

    const std::vector<AliasProposalRecord> &items() const { return m_items; }
    const AliasProposalRecord *current() const;
    qint64 waiting() const { return m_total; } // -1 until the first load
    QString headerText() const;
    QString statusText() const;
    QTableWidget *table() const { return m_table; }

protected:
    void resizeEvent(QResizeEvent *event) override;

signals:
    void countChanged(qint64 waiting);
    void shown(); // a load was shown
    void decisionMade(const QString &message);
    void requestLoad(int shown);
    void requestDecide(
        qint64 proposalId, bool confirm, std::shared_ptr<const l0::SigningKey> key, const QString &reason);

private:
    void showItems(const std::vector<AliasProposalRecord> &items, qint64 total, const QString &error);
    void showCurrent();
    void decide(bool confirm, const QString &reason);

    QThread *m_thread = nullptr;
    AliasWorker *m_worker = nullptr;
    std::shared_ptr<const SigningKey> m_key;
    std::vector<AliasProposalRecord> m_items;
    qint64 m_total = -1;
    qint64 m_keepId = 0; // the proposal to stay on across a reload
    QTableWidget *m_table;
    QLabel *m_header;
    DiffView *m_questions;
    QTextBrowser *m_answer;
    QLabel *m_answerTitle;
    QLabel *m_status;
    QSplitter *m_split;
    QSplitter *m_panes = nullptr; // the questions / the answer
    void balancePanes();
};

} // namespace l0::ui
