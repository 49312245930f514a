#include "reviewwidget.h"
#include "workerthread.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDataStream>
#include <QDialog>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyledItemDelegate>
#include <QTabBar>
#include <QTableWidget>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTextDocument>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <array>

#include "aliasreview.h"
#include "diffview.h"
#include "findingsview.h"
#include "money.h"
#include "trust/approvals.h"
#include "trust/reviewqueue.h"

namespace l0::ui {

namespace {

// Names (tenants, reviewers) read from their start: "globex-retail…" rather than "glo…ing".
class ElideRightDelegate final : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        option->textElideMode = Qt::ElideRight;
    }
};

} // namespace

ReviewWidget::ReviewWidget(QWidget *parent)
    : QWidget(parent)
    , m_lanes(new QTabBar(this))
    , m_search(new QLineEdit(this))
    , m_mine(new QCheckBox(tr("&Mine (M)"), this))
    , m_table(new QTableWidget(this))
    , m_header(new QLabel(this))
    , m_answer(new QTextBrowser(this))
    , m_diff(new DiffView(this))
    , m_findings(new FindingsView(this))
    , m_status(new QLabel(this))
    , m_sort(new QComboBox(this))
    , m_queueCount(new QLabel(this))
    , m_blind(new QCheckBox(tr("&Blind A/B (B)"), this))
    , m_diffLabel(new QLabel(this))
    , m_preferA(new QPushButton(tr("Prefer A ([)"), this))
    , m_preferB(new QPushButton(tr("Prefer B (])"), this))
{
    auto prices = PriceTable::builtin();
    m_prices = std::make_shared<const PriceTable>(prices ? std::move(prices.value()) : PriceTable());
    qRegisterMetaType<ItemDetail>();
    qRegisterMetaType<std::vector<QueueItem>>();
    qRegisterMetaType<std::shared_ptr<const SigningKey>>();
    qRegisterMetaType<QList<qint64>>();
    for (int lane = 0; lane < 4; ++lane) {
        m_lanes->addTab(laneText(lane));
        m_lanes->setTabToolTip(lane, tr("Key %1").arg(lane + 1));
    }
    m_aliases = new AliasReview(this);
    m_lanes->addTab(laneText(kAliasLane));
    m_lanes->setTabToolTip(kAliasLane,
        tr("Key 5: queries that came close to an approved entry. A: same question (served as that entry), "
           "R: not the same"));
    connect(m_aliases, &AliasReview::countChanged, this, [this](qint64 n) {
        m_aliasCount = n;
        m_lanes->setTabText(kAliasLane, laneText(kAliasLane));
    });
    connect(m_aliases, &AliasReview::decisionMade, this, &ReviewWidget::decisionMade);
    m_lanes->setAccessibleName(tr("Lanes"));
    m_search->setPlaceholderText(tr("Search queries and tenants (/)"));
    m_search->setAccessibleName(tr("Search"));
    m_sort->addItems({ tr("By demand"), tr("By would-be savings"), tr("Newest first"), tr("By risk") });
    m_sort->setAccessibleName(tr("Sort order"));
    m_sort->setToolTip(tr("Sort the queue (O)"));
    m_sort->setFocusPolicy(Qt::TabFocus);
    m_queueCount->setToolTip(tr("Items listed in this lane, of all it holds"));
    m_queueCount->setVisible(false); // only when the lane holds more than the list shows
    // The query first: in a narrow window it is what stays in view.
    m_table->setColumnCount(7);
    m_table->setHorizontalHeaderLabels(
        { tr("Entry"), tr("Query"), tr("Risk"), tr("Demand"), tr("Would save"), tr("Tenant"), tr("Claimed by") });
    m_table->horizontalHeaderItem(4)->setToolTip(
        tr("Demand × the cost of answering once upstream: what approving it would save at today's demand"));
    m_table->horizontalHeaderItem(6)->setToolTip(tr("Who is reviewing it now (their lease runs out by itself)"));
    // Widths are set by fitColumns(); a column the reviewer drags keeps its width.
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setMinimumSectionSize(m_table->fontMetrics().averageCharWidth() * 3);
    m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setTextElideMode(Qt::ElideMiddle); // a long query keeps its start and its end
    auto *names = new ElideRightDelegate(m_table);
    m_table->setItemDelegateForColumn(5, names);
    m_table->setItemDelegateForColumn(6, names);
    m_table->viewport()->installEventFilter(this);
    connect(m_table->horizontalHeader(), &QHeaderView::sectionResized, this, [this](int column, int, int size) {
        if (m_fitting || column == 1)
            return;
        m_userWidths.insert(column, size);
        QTimer::singleShot(0, this, &ReviewWidget::fitColumns);
    });
    m_table->verticalHeader()->setVisible(false);
    // Dense rows: more of the queue in view.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->setWordWrap(false);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAccessibleName(tr("Review queue"));
    m_header->setTextFormat(Qt::RichText);
    m_header->setWordWrap(true);
    // Status, queries and history: room for them even where the layout ignores height-for-width.
    m_header->setMinimumHeight(m_header->fontMetrics().lineSpacing() * 4 + 4);
    m_header->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_answer->setAccessibleName(tr("Answer under review, findings highlighted"));
    m_diff->browser()->setAccessibleName(tr("Changes against the live approved version"));
    m_status->setAccessibleName(tr("Review status"));
    m_blind->setAccessibleName(tr("Blind A/B comparison"));
    m_blind->setToolTip(tr("Compare two candidates as A and B in random order, without their models"));
    m_blind->setFocusPolicy(Qt::TabFocus);
    m_diffLabel->setTextFormat(Qt::RichText);
    m_preferA->setAccessibleName(tr("Prefer candidate A"));
    m_preferB->setAccessibleName(tr("Prefer candidate B"));

    auto *left = new QWidget(this);
    auto *lv = new QVBoxLayout(left);
    lv->setContentsMargins(0, 0, 0, 0);
    auto *searchRow = new QHBoxLayout;
    searchRow->addWidget(m_search, 1);
    searchRow->addWidget(m_mine);
    lv->addLayout(searchRow);
    lv->addWidget(m_table);
    auto *right = new QWidget(this);
    auto *rv = new QVBoxLayout(right);
    rv->setContentsMargins(0, 0, 0, 0);
    rv->addWidget(m_header);
    // Answer, diff and findings share the height by content (balancePanes); the reviewer can drag.
    m_answerPane = new QWidget(right);
    auto *av = new QVBoxLayout(m_answerPane);
    av->setContentsMargins(0, 0, 0, 0);
    av->addWidget(new QLabel(tr("<b>Answer</b>"), m_answerPane));
    av->addWidget(m_answer, 1);
    m_diffPane = new QWidget(right);
    auto *dv = new QVBoxLayout(m_diffPane);
    dv->setContentsMargins(0, 0, 0, 0);
    auto *diffRow = new QHBoxLayout;
    diffRow->addWidget(m_diffLabel, 1);
    diffRow->addWidget(m_blind);
    dv->addLayout(diffRow);
    dv->addWidget(m_diff, 1);
    m_panes = new QSplitter(Qt::Vertical, right);
    m_panes->addWidget(m_answerPane);
    m_panes->addWidget(m_diffPane);
    m_panes->addWidget(m_findings);
    m_panes->setChildrenCollapsible(false);
    rv->addWidget(m_panes, 1);
    auto *buttons = new QHBoxLayout;
    auto *approve = new QPushButton(tr("&Approve (A)"), right);
    auto *reject = new QPushButton(tr("&Reject (R)"), right);
    auto *skip = new QPushButton(tr("&Skip (S)"), right);
    auto *undo = new QPushButton(tr("&Undo (U)"), right);
    auto *help = new QPushButton(tr("Keys (?)"), right);
    for (QPushButton *b : { approve, reject, skip, undo, m_preferA, m_preferB, help }) {
        b->setFocusPolicy(Qt::TabFocus);
        buttons->addWidget(b);
    }
    buttons->addStretch(1);
    rv->addWidget(m_status);
    rv->addLayout(buttons);
    m_split = new QSplitter(this);
    auto *split = m_split;
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({ 600, 400 }); // three fifths for the queue: all its columns fit at 1280
    split->setChildrenCollapsible(false);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    // The lanes span the window: all four stay readable in a narrow window or at 200 %.
    m_lanes->setExpanding(false);
    auto *laneRow = new QHBoxLayout;
    laneRow->addWidget(m_lanes, 1);
    laneRow->addWidget(m_queueCount);
    laneRow->addWidget(m_sort);
    outer->addLayout(laneRow);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(split);
    m_stack->addWidget(m_aliases);
    outer->addWidget(m_stack);

    auto action = [this](const QKeySequence &keys, auto slot) {
        auto *a = new QAction(this);
        a->setShortcut(keys);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(a, &QAction::triggered, this, slot);
        addAction(a);
        return a;
    };
    action(QKeySequence(Qt::Key_A), &ReviewWidget::approveCurrent);
    action(QKeySequence(Qt::Key_R), &ReviewWidget::askReject);
    action(QKeySequence(Qt::Key_J), [this] { move(1); });
    action(QKeySequence(Qt::Key_S), [this] { move(1); });
    action(QKeySequence(Qt::Key_K), [this] { move(-1); });
    action(QKeySequence(Qt::Key_Slash), [this] {
        m_search->setFocus();
        m_search->selectAll(); // typing replaces the last search
    });
    action(QKeySequence(Qt::Key_E), &ReviewWidget::askEdit);
    action(QKeySequence(Qt::Key_D), [this] { m_diff->setSideBySide(!m_diff->sideBySide()); });
    action(QKeySequence(Qt::Key_N), [this] { stepChange(1); });
    action(QKeySequence(Qt::Key_P), [this] { stepChange(-1); });
    connect(m_diff, &DiffView::changeShown, this,
        [this](int index, int count) { m_status->setText(tr("Change %1 of %2").arg(index + 1).arg(count)); });
    action(QKeySequence(Qt::Key_U), &ReviewWidget::undo);
    action(QKeySequence::Undo, &ReviewWidget::undo);
    action(QKeySequence(Qt::Key_C), &ReviewWidget::cycleCompare);
    action(QKeySequence(Qt::Key_B), [this] { m_blind->toggle(); });
    action(QKeySequence(Qt::Key_BracketLeft), [this] { prefer(true); });
    action(QKeySequence(Qt::Key_BracketRight), [this] { prefer(false); });
    action(
        QKeySequence(Qt::Key_O), [this] { m_sort->setCurrentIndex((m_sort->currentIndex() + 1) % m_sort->count()); });
    action(QKeySequence(Qt::Key_Question), [this] { QMessageBox::information(this, tr("Keys"), shortcutHelp()); });
    for (int lane = 0; lane < 5; ++lane)
        action(QKeySequence(Qt::Key_1 + lane), [this, lane] { m_lanes->setCurrentIndex(lane); });
    connect(approve, &QPushButton::clicked, this, &ReviewWidget::approveCurrent);
    connect(reject, &QPushButton::clicked, this, &ReviewWidget::askReject);
    connect(skip, &QPushButton::clicked, this, [this] { move(1); });
    connect(undo, &QPushButton::clicked, this, &ReviewWidget::undo);
    connect(m_preferA, &QPushButton::clicked, this, [this] { prefer(true); });
    connect(m_preferB, &QPushButton::clicked, this, [this] { prefer(false); });
    connect(m_sort, &QComboBox::currentIndexChanged, this, &ReviewWidget::refresh);
    connect(m_blind, &QCheckBox::toggled, this, [this] {
        m_abSwap = m_blind->isChecked() && QRandomGenerator::global()->bounded(2) == 1;
        showDetail(ItemDetail(m_detail));
    });
    m_preferA->setVisible(false);
    m_preferB->setVisible(false);
    connect(help, &QPushButton::clicked, this, [this] { QMessageBox::information(this, tr("Keys"), shortcutHelp()); });
    connect(m_lanes, &QTabBar::currentChanged, this, &ReviewWidget::refresh);
    connect(m_search, &QLineEdit::textChanged, this, &ReviewWidget::applyFilter);
    // Enter or Esc leaves the search for the list, on the first item that matches: the letter
    // keys act again.
    auto backToList = [this] {
        m_table->setFocus();
        const int row = m_table->currentRow();
        if (row < 0 || m_table->isRowHidden(row)) {
            m_table->setCurrentCell(-1, 0);
            move(1);
        }
    };
    connect(m_search, &QLineEdit::returnPressed, this, backToList);
    auto *leaveSearch = new QAction(m_search);
    leaveSearch->setShortcut(QKeySequence(Qt::Key_Escape));
    leaveSearch->setShortcutContext(Qt::WidgetShortcut);
    connect(leaveSearch, &QAction::triggered, this, backToList);
    m_search->addAction(leaveSearch);
    connect(m_mine, &QCheckBox::toggled, this, &ReviewWidget::applyFilter);
    action(QKeySequence(Qt::Key_M), [this] { m_mine->toggle(); });
    m_mine->setToolTip(tr("Only items you are reviewing"));
    // Leases last 5 minutes: keep the open item's while the reviewer is on it.
    auto *renew = new QTimer(this);
    renew->setInterval(120'000);
    connect(renew, &QTimer::timeout, this, [this] {
        if (m_detail.entryId && m_detail.claimedBy.isEmpty())
            emit requestRenew(m_detail.entryId, m_detail.version);
    });
    renew->start();
    connect(m_table, &QTableWidget::currentCellChanged, this, [this](int row) { openRow(row); });
    connect(m_findings, &FindingsView::evidenceChosen, this, &ReviewWidget::selectInAnswer);
}

ReviewWidget::~ReviewWidget()
{
    // Closing the console gives the open item back at once rather than when its lease runs out.
    if (m_worker && m_detail.entryId && m_detail.claimedBy.isEmpty()) {
        const qint64 entry = m_detail.entryId;
        const int version = m_detail.version;
        QMetaObject::invokeMethod(
            m_worker, [w = m_worker, entry, version] { w->release(entry, version); }, Qt::BlockingQueuedConnection);
    }
    stopWorkerThread(m_thread);
}

bool ReviewWidget::aliasLane() const
{
    return m_lanes->currentIndex() == kAliasLane;
}

void ReviewWidget::setReviewerKey(std::shared_ptr<const SigningKey> key)
{
    m_aliases->setReviewerKey(key);
    m_key = std::move(key);
}

QString ReviewWidget::laneText(int lane) const
{
    if (lane == kAliasLane) {
        const QString name = tr("Same question?");
        return m_aliasCount < 0 ? name : tr("%1 · %2").arg(name, QLocale().toString(m_aliasCount));
    }
    static const char *const names[] { QT_TR_NOOP("Needs review"), QT_TR_NOOP("Needs second approval"),
        QT_TR_NOOP("Approved"), QT_TR_NOOP("Rejected") };
    const QString name = tr(names[std::clamp(lane, 0, 3)]);
    if (lane < 0 || lane >= m_laneCounts.size() || m_laneCounts.at(lane) < 0)
        return name;
    return tr("%1 · %2").arg(name, QLocale().toString(m_laneCounts.at(lane)));
}

void ReviewWidget::showLaneCounts(const QList<qint64> &counts)
{
    m_laneCounts = counts;
    for (int lane = 0; lane < m_lanes->count() && lane < 4; ++lane)
        m_lanes->setTabText(lane, laneText(lane));
}

bool ReviewWidget::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table->viewport() && event->type() == QEvent::Resize)
        QTimer::singleShot(0, this, &ReviewWidget::fitColumns);
    return QWidget::eventFilter(watched, event);
}

void ReviewWidget::fitColumns()
{
    if (m_fitting)
        return;
    m_fitting = true;
    QHeaderView *header = m_table->horizontalHeader();
    const int available = m_table->viewport()->width();
    const int em = m_table->fontMetrics().averageCharWidth();
    constexpr int kQuery = 1;
    // What stays in view first when the queue is narrow: which item, what it saves, its risk.
    static const int priority[] { 0, 4, 2, 3, 5, 6 };
    const auto whole = [](int c) { return c != 5 && c != 6; }; // entry, risk, numbers: never elided
    // The query keeps room for a readable start and end, at least its header.
    const int queryMin = std::max(header->sectionSizeHint(kQuery), em * 24);
    std::vector<int> shown;
    int least = queryMin, natural = 0;
    QHash<int, int> mins, naturals;
    for (int c : priority) {
        const int content = std::max(0, static_cast<QAbstractItemView *>(m_table)->sizeHintForColumn(c));
        const int head = header->sectionSizeHint(c); // the header's text, whole
        const int nat = std::max(head, m_userWidths.contains(c) ? m_userWidths.value(c) : std::min(content, em * 24));
        const int min = whole(c) ? nat : std::min(nat, head);
        if (least + min > available) { // this one and all after it do not fit
            for (int rest : priority) {
                if (std::find(shown.begin(), shown.end(), rest) == shown.end())
                    m_table->setColumnHidden(rest, true);
            }
            break;
        }
        shown.push_back(c);
        least += min;
        natural += nat;
        mins.insert(c, min);
        naturals.insert(c, nat);
    }
    // The other columns get their natural widths while the query keeps about two fifths; when
    // they cannot, each gives up the same share of what it has above its minimum (elided).
    const int budget = std::max(least - queryMin, available - std::max(queryMin, available * 2 / 5));
    const int minSum = least - queryMin;
    int used = 0;
    for (int c : shown) {
        int w = naturals.value(c);
        if (natural > budget)
            w = mins.value(c)
                + int(qint64(naturals.value(c) - mins.value(c)) * std::max(0, budget - minSum)
                    / std::max(1, natural - minSum));
        m_table->setColumnHidden(c, false);
        m_table->setColumnWidth(c, w);
        used += w;
    }
    m_table->setColumnHidden(kQuery, false);
    m_table->setColumnWidth(kQuery, std::max(queryMin, available - used));
    m_fitting = false;
}

void ReviewWidget::balancePanes()
{
    // Each pane asks for what its content needs (at least a few lines); the height there is is
    // shared in that proportion, and what is left over goes to the answer.
    const int line = fontMetrics().lineSpacing();
    const auto docHeight = [](QTextBrowser *b) {
        QTextDocument *doc = b->document();
        doc->setTextWidth(b->viewport()->width() > 50 ? b->viewport()->width() : 400);
        return int(doc->size().height()) + 2 * b->frameWidth() + 8;
    };
    const int answer = docHeight(m_answer) + line * 2;
    const int diff = docHeight(m_diff->browser()) + line * 2;
    const int findings = (int(m_findings->visibleRows().size()) + 3) * (line + 8);
    std::array<int, 3> need { std::max(answer, line * 5), std::max(diff, line * 5), std::max(findings, line * 5) };
    const int total = m_panes->height() - 2 * m_panes->handleWidth();
    if (total <= 0)
        return;
    const int sum = need[0] + need[1] + need[2];
    QList<int> sizes;
    if (sum <= total) {
        sizes = { need[0] + (total - sum), need[1], need[2] };
    } else {
        for (int n : need)
            sizes << std::max(line * 4, int(qint64(total) * n / sum));
    }
    m_panes->setSizes(sizes);
}

QByteArray ReviewWidget::saveState() const
{
    QByteArray out;
    QDataStream ds(&out, QIODevice::WriteOnly);
    ds << quint32(1) << m_split->saveState() << m_panes->saveState();
    QList<int> widths;
    for (int c = 0; c < m_table->columnCount(); ++c)
        widths << m_userWidths.value(c, 0);
    ds << widths;
    return out;
}

bool ReviewWidget::restoreState(const QByteArray &state)
{
    QDataStream ds(state);
    quint32 version = 0;
    QByteArray split, panes;
    QList<int> widths;
    ds >> version >> split >> panes >> widths;
    if (ds.status() != QDataStream::Ok || version != 1)
        return false;
    m_split->restoreState(split);
    m_panes->restoreState(panes);
    m_userWidths.clear();
    for (int c = 0; c < widths.size() && c < m_table->columnCount(); ++c) {
        if (widths.at(c) > 0)
            m_userWidths.insert(c, widths.at(c));
    }
    fitColumns();
    return true;
}

QString ReviewWidget::shortcutHelp()
{
    return tr(
        "A  approve (signed with your key)\nR  reject (a reason is required; digits pick it; it can requeue the "
        "text for an edit or another model's answer instead of removing it)\nS  skip to "
        "the next item\nU  undo your decisions, newest first (each for 10 minutes)\n"
        "E  edit: your text becomes a new version someone else approves\nD  diff: inline or side by side\n"
        "N / P  next / previous change in the diff\nC  compare with the approved version or another candidate (A/B)\n"
        "B  blind A/B: random sides, models hidden\n[ / ]  prefer A / prefer B: approve one, reject the "
        "other\nJ / K  next / previous item\n1 2 3 4  lanes: needs review, needs second "
        "approval, approved, rejected\n5  same question? (alias proposals: A same question, R not the same)\n"
        "/  search\nM  only mine\nO  sort: demand, would-be savings, newest, risk\nF5  refresh\n?  this "
        "list");
}

void ReviewWidget::setStore(const QString &url, const QString &reviewer)
{
    m_reviewer = reviewer;
    m_aliases->setStore(url);
    stopWorkerThread(m_thread);
    m_worker = new ReviewWorker(url, reviewer, m_prices);
    m_thread = newWorkerThread(this, m_worker, QStringLiteral("review"));
    connect(this, &ReviewWidget::requestQueue, m_worker, &ReviewWorker::loadQueue);
    connect(this, &ReviewWidget::requestOpen, m_worker, &ReviewWorker::open);
    connect(this, &ReviewWidget::requestApprove, m_worker, &ReviewWorker::approve);
    connect(this, &ReviewWidget::requestReject, m_worker, &ReviewWorker::reject);
    connect(this, &ReviewWidget::requestRequeue, m_worker, &ReviewWorker::requeue);
    connect(m_worker, &ReviewWorker::laneCountsLoaded, this, &ReviewWidget::showLaneCounts);
    connect(m_worker, &ReviewWorker::requeued, this,
        [this](qint64 entryId, int version, int newVersion, const QString &message) {
            if (m_pending.entryId == entryId)
                m_pending.copyVersion = newVersion;
            onDecided(entryId, version, message);
        });
    connect(this, &ReviewWidget::requestRelease, m_worker, &ReviewWorker::release);
    connect(this, &ReviewWidget::requestEdit, m_worker, &ReviewWorker::edit);
    connect(this, &ReviewWidget::requestRenew, m_worker, &ReviewWorker::renew);
    connect(this, &ReviewWidget::requestPrefer, m_worker, &ReviewWorker::prefer);
    connect(this, &ReviewWidget::requestUndo, m_worker, &ReviewWorker::undo);
    connect(m_worker, &ReviewWorker::undone, this, &ReviewWidget::onUndone);
    connect(m_worker, &ReviewWorker::queueLoaded, this, &ReviewWidget::showQueue);
    connect(m_worker, &ReviewWorker::opened, this, &ReviewWidget::showDetail);
    connect(m_worker, &ReviewWorker::decided, this, &ReviewWidget::onDecided);
    connect(m_worker, &ReviewWorker::failed, this, [this](const QString &message) {
        // A refused undo can be tried again (after loading the key, say).
        if (m_undoing.entryId)
            m_undoStack.push_back(m_undoing);
        m_undoing = LastDecision {};
        m_status->setText(tr("Refused: %1").arg(message));
        emit decisionMade(m_status->text());
    });
    connect(m_worker, &ReviewWorker::changed, this, &ReviewWidget::refresh);
    connect(m_thread, &QThread::started, m_worker, &ReviewWorker::watch);
    m_thread->start();
    refresh();
}

void ReviewWidget::refresh()
{
    m_stack->setCurrentIndex(aliasLane() ? 1 : 0);
    m_sort->setEnabled(!aliasLane());
    m_search->setEnabled(!aliasLane());
    m_aliases->refresh(); // its count is shown on its lane whichever lane is open
    if (m_worker && !aliasLane())
        emit requestQueue(m_lanes->currentIndex(), m_sort->currentIndex(), m_pageSize);
}

QString ReviewWidget::statusText() const
{
    return m_status->text();
}

void ReviewWidget::showQueue(int lane, const std::vector<QueueItem> &items, qint64 total, const QString &error)
{
    if (lane != m_lanes->currentIndex())
        return;
    if (!error.isEmpty()) {
        m_status->setText(tr("Cannot read the queue: %1").arg(error));
        m_queueFailed = true;
        return;
    }
    if (m_queueFailed) {
        m_queueFailed = false;
        m_status->setText(tr("The store is back"));
    }
    // After an undo the item it brought back is shown, wherever it sorts.
    const bool select = m_selectEntry != 0;
    const qint64 keepEntry = select ? m_selectEntry : m_detail.entryId;
    const int keepVersion = select ? m_selectVersion : m_detail.version;
    m_selectEntry = 0;
    m_items = items;
    m_laneTotal = total;
    m_queueCount->setText(
        tr("%1 of %2 listed").arg(QLocale().toString(qint64(items.size())), QLocale().toString(total)));
    m_queueCount->setVisible(total > qint64(items.size()));
    const QSignalBlocker block(m_table);
    m_table->setRowCount(int(m_items.size()));
    int keepRow = -1;
    for (int row = 0; row < int(m_items.size()); ++row) {
        const QueueItem &i = m_items[size_t(row)];
        const auto save = wouldSave(i);
        const QStringList cells { QStringLiteral("%1@%2").arg(i.entryId).arg(i.version), i.query, riskLabel(i.risk),
            QString::number(i.hits), save ? preciseMoney(*save) : tr("unpriced"), i.tenant, i.claimedBy };
        // The whole row in the tooltip: the query uncut, and what hidden columns would show.
        const QString tip
            = tr("<p>%1</p><p>%2 · risk %3 · demand %4 · would save %5 · tenant %6%7</p>")
                  .arg(i.query.toHtmlEscaped(), cells.at(0), cells.at(2), cells.at(3), cells.at(4),
                      i.tenant.toHtmlEscaped(),
                      i.claimedBy.isEmpty() ? QString()
                                            : tr(" · being reviewed by %1").arg(i.claimedBy.toHtmlEscaped()));
        for (int c = 0; c < cells.size(); ++c) {
            auto *cell = new QTableWidgetItem(cells.at(c));
            cell->setToolTip(tip);
            if (c == 3 || c == 4)
                cell->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (c == 4 && !save)
                cell->setForeground(QColor(0xb3, 0x26, 0x1e));
            m_table->setItem(row, c, cell);
        }
        if (i.entryId == keepEntry && i.version == keepVersion)
            keepRow = row;
    }
    applyFilter();
    fitColumns();
    emit queueShown();
    // After a decision the item leaves the lane: the one that took its place is next.
    // With a search or "mine" on, the next item is the next one still listed.
    int fallback = std::clamp(m_nextRow, 0, std::max(0, int(items.size()) - 1));
    m_nextRow = 0;
    while (fallback < m_table->rowCount() && m_table->isRowHidden(fallback))
        ++fallback;
    if (fallback >= m_table->rowCount()) {
        fallback = m_table->rowCount() - 1;
        while (fallback >= 0 && m_table->isRowHidden(fallback))
            --fallback;
    }
    const int row = keepRow >= 0 ? keepRow : (m_items.empty() ? -1 : fallback);
    if (row >= 0) {
        m_table->setCurrentCell(row, 0);
        // Signals are blocked here: open it explicitly. The item already open is opened again
        // (approvals, claims) only when its row says something changed.
        const QueueItem &i = m_items[size_t(row)];
        const QString otherClaim = i.claimedBy == m_reviewer ? QString() : i.claimedBy;
        const bool same = !select && keepRow >= 0 && lane == m_shownLane && otherClaim == m_shownClaim;
        if (!same)
            openRow(row);
    }
    m_shownLane = lane;
}

void ReviewWidget::applyFilter()
{
    const QString needle = m_search->text().trimmed();
    for (int row = 0; row < m_table->rowCount(); ++row) {
        bool match = needle.isEmpty();
        for (int c = 0; c < m_table->columnCount() && !match; ++c)
            match = m_table->item(row, c) && m_table->item(row, c)->text().contains(needle, Qt::CaseInsensitive);
        if (m_mine->isChecked() && size_t(row) < m_items.size())
            match = match && m_items[size_t(row)].claimedBy == m_reviewer;
        m_table->setRowHidden(row, !match);
    }
}

void ReviewWidget::openRow(int row)
{
    if (row < 0 || size_t(row) >= m_items.size())
        return;
    const QueueItem &i = m_items[size_t(row)];
    if (m_detail.entryId && m_detail.claimedBy.isEmpty()
        && (m_detail.entryId != i.entryId || m_detail.version != i.version))
        emit requestRelease(m_detail.entryId, m_detail.version);
    emit requestOpen(i.entryId, i.version);
}

void ReviewWidget::move(int delta)
{
    if (aliasLane()) {
        m_aliases->move(delta);
        return;
    }
    int row = m_table->currentRow();
    do {
        row += delta;
    } while (row >= 0 && row < m_table->rowCount() && m_table->isRowHidden(row));
    if (row >= 0 && row < m_table->rowCount())
        m_table->setCurrentCell(row, 0);
}

void ReviewWidget::showDetail(const ItemDetail &d)
{
    m_shownClaim = d.claimedBy.isEmpty() ? QString() : d.claimedBy;
    if (!d.error.isEmpty()) {
        m_status->setText(tr("Cannot open %1@%2: %3").arg(d.entryId).arg(d.version).arg(d.error));
        return;
    }
    // A/B survives a refresh of the same item; another item starts on the approved version.
    if (d.entryId != m_detail.entryId || d.version != m_detail.version || m_compare >= int(d.alternatives.size()))
        m_compare = -1;
    m_detail = d;
    m_header->setText(headerText());
    // The answer with the template slots and the findings' evidence highlighted.
    struct Mark {
        qsizetype start, end;
        bool slot; // a template slot the node fills when it serves, not a finding
        bool operator<(const Mark &o) const { return start < o.start; }
    };
    std::vector<Mark> marks;
    static const QRegularExpression slotRe(QStringLiteral("\\{\\{?[A-Za-z_][A-Za-z0-9_]*\\}?\\}"));
    for (auto it = slotRe.globalMatch(d.text); it.hasNext();) {
        const auto m = it.next();
        marks.push_back(Mark { m.capturedStart(), m.capturedEnd(), true });
    }
    const std::vector<Finding> findings = readFindings(d.findings, d.text);
    for (const Finding &f : findings) {
        for (const auto &[start, end] : f.spans)
            marks.push_back(Mark { start, end, false });
    }
    m_findings->setFindings(findings, d.text);
    std::sort(marks.begin(), marks.end());
    QString html;
    qsizetype pos = 0;
    for (const Mark &mk : marks) {
        if (mk.start < pos)
            continue;
        html += htmlText(d.text.mid(pos, mk.start - pos));
        html += (mk.slot ? QStringLiteral("<span style=\"background:#bbdefb;color:#000\" title=\"template slot\">")
                         : QStringLiteral("<span style=\"background:#ffd54f;color:#000\">"))
            + htmlText(d.text.mid(mk.start, mk.end - mk.start)) + QStringLiteral("</span>");
        pos = mk.end;
    }
    html += htmlText(d.text.mid(pos));
    m_answer->setHtml(html);
    renderDiff();
    balancePanes();
    m_status->setText(d.claimedBy.isEmpty() ? tr("Claimed for you") : tr("Read only"));
    emit detailShown();
}

void ReviewWidget::setFindingFilter(const QString &text)
{
    m_findings->setFilter(text);
}

QStringList ReviewWidget::visibleFindings() const
{
    return m_findings->visibleRows();
}

void ReviewWidget::selectInAnswer(qsizetype start, qsizetype end)
{
    // The answer pane's text is the answer's, a line break for each newline: positions agree.
    QTextCursor cursor(m_answer->document());
    cursor.setPosition(int(start));
    cursor.setPosition(int(end), QTextCursor::KeepAnchor);
    m_answer->setTextCursor(cursor);
    m_answer->ensureCursorVisible();
}

QString ReviewWidget::selectedAnswerText() const
{
    return m_answer->textCursor().selectedText();
}

QString ReviewWidget::headerText() const
{
    const ItemDetail &d = m_detail;
    // Blind A/B hides what could tell the candidates apart besides their text.
    const bool hideModel = m_blind->isChecked() && comparedAlternative();
    QString header = tr("<b>%1@%2</b> · %3 · tenant %4 · risk <b>%5</b> · %6 of %7 approvals")
                         .arg(d.entryId)
                         .arg(hideModel ? QStringLiteral("?") : QString::number(d.version))
                         .arg(stateLabel(d.state), d.tenant.toHtmlEscaped(), riskLabel(d.risk))
                         .arg(d.approvals)
                         .arg(d.required);
    if (!hideModel && !d.model.isEmpty())
        header += tr(" · model %1").arg(d.model.toHtmlEscaped());
    if (!d.claimedBy.isEmpty())
        header += tr("<br><span style=\"color:#b3261e\">Being reviewed by %1: read only</span>")
                      .arg(d.claimedBy.toHtmlEscaped());
    if (d.blind)
        header += tr("<br><i>Blind second review: who approved first is shown after your decision.</i>");
    if (!d.alternatives.empty())
        header += tr("<br>%n other candidate(s) for this entry: C compares them.", nullptr, int(d.alternatives.size()));
    header += tr("<br>Queries: %1").arg(d.queries.join(QStringLiteral(" · ")).toHtmlEscaped());
    header += hideModel ? tr("<br>History: hidden during blind A/B")
                        : tr("<br>History: %1").arg(d.history.join(QStringLiteral(" · ")).toHtmlEscaped());
    return header;
}

const Alternative *ReviewWidget::comparedAlternative() const
{
    return m_compare >= 0 && size_t(m_compare) < m_detail.alternatives.size()
        ? &m_detail.alternatives[size_t(m_compare)]
        : nullptr;
}

bool ReviewWidget::blindAB() const
{
    return m_blind->isChecked();
}

int ReviewWidget::versionA() const
{
    const Alternative *alt = comparedAlternative();
    return alt ? (m_abSwap ? alt->version : m_detail.version) : 0;
}

int ReviewWidget::versionB() const
{
    const Alternative *alt = comparedAlternative();
    return alt ? (m_abSwap ? m_detail.version : alt->version) : 0;
}

QString ReviewWidget::diffTitle() const
{
    return m_diffLabel->text();
}

void ReviewWidget::cycleCompare()
{
    if (!m_detail.entryId)
        return;
    // The approved version, then each other candidate, then round again.
    m_compare = m_compare + 1 < int(m_detail.alternatives.size()) ? m_compare + 1 : -1;
    m_abSwap = m_blind->isChecked() && QRandomGenerator::global()->bounded(2) == 1;
    if (m_compare < 0 && m_detail.alternatives.empty())
        m_status->setText(tr("No other candidate for this entry"));
    m_header->setText(headerText());
    renderDiff();
}

void ReviewWidget::prefer(bool a)
{
    if (!comparedAlternative()) {
        m_status->setText(tr("Compare two candidates first (C)"));
        return;
    }
    if (!m_detail.claimedBy.isEmpty()) {
        m_status->setText(tr("Refused: %1 is reviewing this item").arg(m_detail.claimedBy));
        return;
    }
    const int winner = a ? versionA() : versionB();
    const int loser = a ? versionB() : versionA();
    m_pending = { m_detail.entryId, winner, UndoKind::Decision, winner, loser };
    emit requestPrefer(m_detail.entryId, winner, loser, m_key);
}

void ReviewWidget::undo()
{
    if (m_undoing.entryId) {
        m_status->setText(tr("Undoing…")); // one at a time
        return;
    }
    if (m_undoStack.empty()) {
        m_status->setText(tr("Nothing to undo"));
        return;
    }
    m_undoing = m_undoStack.back();
    m_undoStack.pop_back();
    // A/B decided two versions: the rejection goes first, so the winner is never alone pending
    // next to a still rejected rival.
    if (m_undoing.otherVersion)
        emit requestUndo(m_undoing.entryId, m_undoing.otherVersion, int(UndoKind::Decision), m_key);
    // A requeue: its copy goes first, then the rejection is taken back.
    if (m_undoing.copyVersion)
        emit requestUndo(m_undoing.entryId, m_undoing.copyVersion, int(UndoKind::Edit), m_key);
    emit requestUndo(m_undoing.entryId, m_undoing.version, int(m_undoing.kind), m_key);
}

void ReviewWidget::onUndone(qint64 entryId, int version, const QString &state, const QString &message)
{
    m_status->setText(message);
    emit decisionMade(message);
    if (entryId != m_undoing.entryId || version != m_undoing.version)
        return; // the first half of an A/B undo
    m_selectEntry = entryId;
    m_selectVersion = m_undoing.reopenVersion;
    const bool edit = m_undoing.kind == UndoKind::Edit;
    m_undoing = LastDecision {};
    const auto decided = versionStateFromName(state);
    const int lane = edit || !decided ? m_lanes->currentIndex() : laneOf(*decided);
    if (lane >= 0 && lane != m_lanes->currentIndex())
        m_lanes->setCurrentIndex(lane); // refreshes
    else
        refresh();
}

ReviewWidget::Sort ReviewWidget::sort() const
{
    return Sort(m_sort->currentIndex());
}

void ReviewWidget::setSort(Sort sort)
{
    m_sort->setCurrentIndex(int(sort));
}

void ReviewWidget::renderDiff()
{
    const ItemDetail &d = m_detail;
    const Alternative *alt = comparedAlternative();
    m_preferA->setVisible(alt != nullptr);
    m_preferB->setVisible(alt != nullptr);
    if (!alt && d.approvedText.isEmpty()) {
        m_diffLabel->setText(tr("<b>Changes against the approved version</b>"));
        m_diff->setMessage(d.alternatives.empty()
                ? tr("<i>No approved version to compare with: this answer is new.</i>")
                : tr("<i>No approved version to compare with: C compares the other candidates.</i>"));
        return;
    }
    // Left and right: the approved version and the candidate, or candidates A and B.
    QString leftText = d.approvedText, rightText = d.text;
    QString leftTitle = tr("approved v%1").arg(d.approvedVersion), rightTitle = tr("candidate v%1").arg(d.version);
    if (alt) {
        const bool blind = m_blind->isChecked();
        auto title = [&](int version, const QString &model, const QString &letter) -> QString {
            return blind ? letter : tr("%1: v%2 (%3)").arg(letter).arg(version).arg(model);
        };
        leftText = m_abSwap ? alt->text : d.text;
        rightText = m_abSwap ? d.text : alt->text;
        leftTitle = m_abSwap ? title(alt->version, alt->model, tr("A")) : title(d.version, d.model, tr("A"));
        rightTitle = m_abSwap ? title(d.version, d.model, tr("B")) : title(alt->version, alt->model, tr("B"));
        m_diffLabel->setText(tr("<b>Candidate %1 against candidate %2</b>%3")
                                 .arg(leftTitle.toHtmlEscaped(), rightTitle.toHtmlEscaped(),
                                     blind ? tr(" · blind: [ prefers A, ] prefers B") : QString()));
    } else {
        m_diffLabel->setText(tr("<b>Changes against the approved version</b>"));
    }
    m_diff->setTexts(
        leftText, rightText, leftTitle, rightTitle, alt ? DiffView::Kind::Alternatives : DiffView::Kind::Revision);
}

bool ReviewWidget::sideBySide() const
{
    return m_diff->sideBySide();
}

int ReviewWidget::changeCount() const
{
    return m_diff->changeCount();
}

int ReviewWidget::currentChange() const
{
    return m_diff->currentChange();
}

void ReviewWidget::stepChange(int delta)
{
    if (!m_diff->step(delta))
        m_status->setText(tr("No changes to go to"));
}

bool ReviewWidget::submitEdit(const QString &text)
{
    if (!m_detail.entryId || text.trimmed().isEmpty() || text == m_detail.text)
        return false;
    if (!m_detail.claimedBy.isEmpty()) {
        m_status->setText(tr("Refused: %1 is reviewing this item").arg(m_detail.claimedBy));
        return false;
    }
    m_pending = { m_detail.entryId, m_detail.version, UndoKind::Edit, m_detail.version, 0 };
    emit requestEdit(m_detail.entryId, m_detail.version, text);
    return true;
}

void ReviewWidget::askEdit()
{
    if (!m_detail.entryId)
        return;
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Edit %1@%2").arg(m_detail.entryId).arg(m_detail.version));
    auto *text = new QPlainTextEdit(m_detail.text, &dialog);
    text->setAccessibleName(tr("Edited answer"));
    auto *note = new QLabel(tr("Your text becomes a new version; another reviewer must approve it."), &dialog);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Submit (Ctrl+Enter)"));
    buttons->button(QDialogButtonBox::Ok)->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(note);
    layout->addWidget(text);
    layout->addWidget(buttons);
    dialog.resize(700, 420);
    if (dialog.exec() == QDialog::Accepted)
        submitEdit(text->toPlainText());
}

void ReviewWidget::approveCurrent()
{
    if (aliasLane()) {
        m_aliases->confirmCurrent(); // "same question"
        return;
    }
    if (!m_detail.entryId)
        return;
    if (!m_detail.claimedBy.isEmpty()) {
        m_status->setText(tr("Refused: %1 is reviewing this item").arg(m_detail.claimedBy));
        return;
    }
    m_pending = { m_detail.entryId, m_detail.version, UndoKind::Decision, m_detail.version, 0 };
    emit requestApprove(m_detail.entryId, m_detail.version, m_key);
}

bool ReviewWidget::rejectCurrent(const QString &reasonCode, const QString &text, RejectOutcome outcome)
{
    if (!m_detail.entryId)
        return false;
    auto reason = rejectionReason(reasonCode, text);
    if (!reason) {
        m_status->setText(tr("Refused: a rejection needs a reason (%1)").arg(reason.error().message));
        emit decisionMade(m_status->text());
        return false;
    }
    m_pending = { m_detail.entryId, m_detail.version, UndoKind::Decision, m_detail.version, 0, 0 };
    if (outcome == RejectOutcome::Remove)
        emit requestReject(m_detail.entryId, m_detail.version, m_key, *reason);
    else
        emit requestRequeue(m_detail.entryId, m_detail.version, m_key, *reason,
            int(outcome == RejectOutcome::RequeueEdit ? RequeueFor::Edit : RequeueFor::OtherModel));
    return true;
}

void ReviewWidget::askReject()
{
    if (aliasLane()) {
        m_aliases->rejectCurrent(); // "not the same": no reason needed, it is the reason
        return;
    }
    if (!m_detail.entryId)
        return;
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Reject %1@%2").arg(m_detail.entryId).arg(m_detail.version));
    auto *code = new QComboBox(&dialog);
    code->addItem(tr("Choose a reason…"), QString());
    int digit = 0;
    for (const QString &c : rejectionCodes()) {
        ++digit;
        code->addItem(QStringLiteral("%1  %2").arg(digit).arg(c), c);
        // Digits pick a reason, unless the note has the focus (typing there stays typing).
        auto *pick = new QShortcut(QKeySequence(Qt::Key_0 + digit), &dialog);
        connect(pick, &QShortcut::activated, code, [code, digit] { code->setCurrentIndex(digit); });
    }
    code->setAccessibleName(tr("Rejection reason"));
    auto *outcome = new QComboBox(&dialog);
    outcome->addItem(tr("Remove it from the queue"), int(RejectOutcome::Remove));
    outcome->addItem(
        tr("Requeue it for an edit (a copy waits for someone to fix it)"), int(RejectOutcome::RequeueEdit));
    outcome->addItem(
        tr("Requeue it for another model's answer (a copy waits to be compared)"), int(RejectOutcome::RequeueModel));
    outcome->setAccessibleName(tr("After rejecting"));
    auto *text = new QPlainTextEdit(&dialog);
    text->setAccessibleName(tr("Note for the author"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    connect(code, &QComboBox::currentIndexChanged, &dialog, [code, buttons] {
        buttons->button(QDialogButtonBox::Ok)->setEnabled(!code->currentData().toString().isEmpty());
    });
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto *form = new QFormLayout(&dialog);
    form->addRow(tr("&Reason"), code);
    form->addRow(tr("&Then"), outcome);
    form->addRow(tr("&Note"), text);
    form->addRow(buttons);
    if (dialog.exec() == QDialog::Accepted)
        rejectCurrent(
            code->currentData().toString(), text->toPlainText(), RejectOutcome(outcome->currentData().toInt()));
}

void ReviewWidget::onDecided(qint64 entryId, int version, const QString &message)
{
    m_nextRow = std::max(0, m_table->currentRow());
    m_status->setText(tr("%1@%2 %3 · U undoes").arg(entryId).arg(version).arg(message));
    // What U takes back: the decision, or the edit (the new version) while nobody decided on it.
    if (m_pending.entryId == entryId) {
        LastDecision done = m_pending;
        if (m_pending.kind == UndoKind::Edit)
            done.version = version;
        m_undoStack.push_back(done);
        if (m_undoStack.size() > kUndoDepth)
            m_undoStack.erase(m_undoStack.begin());
    }
    m_pending = LastDecision {};
    m_detail = ItemDetail {};
    emit decisionMade(m_status->text());
    refresh();
}

} // namespace l0::ui
