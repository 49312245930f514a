#include "aliasreview.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBrowser>
#include <QTextDocument>
#include <QVBoxLayout>

#include "aliasworker.h"
#include "diffview.h"
#include "workerthread.h"

namespace l0::ui {

namespace {

constexpr int kPage = 500;

QString similarityText(double s)
{
    return QLocale().toString(s, 'f', 3);
}

} // namespace

AliasReview::AliasReview(QWidget *parent)
    : QWidget(parent)
    , m_table(new QTableWidget(this))
    , m_header(new QLabel(this))
    , m_questions(new DiffView(this))
    , m_answer(new QTextBrowser(this))
    , m_answerTitle(new QLabel(this))
    , m_status(new QLabel(this))
    , m_split(new QSplitter(this))
{
    qRegisterMetaType<std::vector<AliasProposalRecord>>();
    qRegisterMetaType<std::shared_ptr<const SigningKey>>();
    m_table->setColumnCount(5);
    m_table->setHorizontalHeaderLabels({ tr("Similarity"), tr("Query"), tr("Same as"), tr("Seen"), tr("Tenant") });
    m_table->horizontalHeaderItem(0)->setToolTip(
        tr("How close the query came to the entry (cosine similarity; it did not pass the entry's threshold)"));
    m_table->horizontalHeaderItem(3)->setToolTip(tr("How often this query came close to the entry"));
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideMiddle);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAccessibleName(tr("Alias proposals"));
    m_header->setTextFormat(Qt::RichText);
    m_header->setWordWrap(true);
    m_header->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_header->setAccessibleName(tr("Alias question"));
    m_questions->setSideBySide(true);
    m_questions->browser()->setAccessibleName(tr("The entry's question and this query, side by side"));
    m_answerTitle->setTextFormat(Qt::RichText);
    m_answerTitle->setWordWrap(true);
    m_answer->setAccessibleName(tr("The answer a yes would serve for this query"));
    m_status->setAccessibleName(tr("Alias review status"));
    m_status->setWordWrap(true);

    auto *right = new QWidget(this);
    auto *rv = new QVBoxLayout(right);
    rv->setContentsMargins(0, 0, 0, 0);
    rv->addWidget(m_header);
    auto *questionsTitle = new QLabel(tr("<b>The two questions</b> (words only in one of them are marked)"), right);
    questionsTitle->setTextFormat(Qt::RichText);
    auto *panes = m_panes = new QSplitter(Qt::Vertical, right);
    auto *questionsPane = new QWidget(panes);
    auto *qv = new QVBoxLayout(questionsPane);
    qv->setContentsMargins(0, 0, 0, 0);
    qv->addWidget(questionsTitle);
    qv->addWidget(m_questions, 1);
    auto *answerPane = new QWidget(panes);
    auto *av = new QVBoxLayout(answerPane);
    av->setContentsMargins(0, 0, 0, 0);
    av->addWidget(m_answerTitle);
    av->addWidget(m_answer, 1);
    panes->addWidget(questionsPane);
    panes->addWidget(answerPane);
    panes->setChildrenCollapsible(false);
    panes->setStretchFactor(0, 2);
    panes->setStretchFactor(1, 3);
    rv->addWidget(panes, 1);
    rv->addWidget(m_status);
    auto *buttons = new QHBoxLayout;
    auto *same = new QPushButton(tr("&Same question (A)"), right);
    auto *notSame = new QPushButton(tr("&Not the same (R)"), right);
    auto *skip = new QPushButton(tr("S&kip (S)"), right);
    same->setToolTip(tr("Signed with your key: this query is answered as the entry from now on (an exact hit)"));
    notSame->setToolTip(tr("Signed with your key: recorded, and this query is not proposed for the entry again"));
    for (QPushButton *b : { same, notSame, skip }) {
        b->setFocusPolicy(Qt::TabFocus);
        buttons->addWidget(b);
    }
    buttons->addStretch(1);
    rv->addLayout(buttons);
    connect(same, &QPushButton::clicked, this, &AliasReview::confirmCurrent);
    connect(notSame, &QPushButton::clicked, this, [this] { rejectCurrent(); });
    connect(skip, &QPushButton::clicked, this, [this] { move(1); });

    m_split->addWidget(m_table);
    m_split->addWidget(right);
    m_split->setStretchFactor(0, 2);
    m_split->setStretchFactor(1, 3);
    m_split->setSizes({ 440, 560 });
    m_split->setChildrenCollapsible(false);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_split);
    connect(m_table, &QTableWidget::currentCellChanged, this, [this] { showCurrent(); });
    showCurrent();
}

AliasReview::~AliasReview()
{
    stopWorkerThread(m_thread);
}

void AliasReview::setStore(const QString &url)
{
    stopWorkerThread(m_thread);
    m_worker = new AliasWorker(url);
    m_thread = newWorkerThread(this, m_worker, QStringLiteral("aliases"));
    connect(this, &AliasReview::requestLoad, m_worker, &AliasWorker::load);
    connect(this, &AliasReview::requestDecide, m_worker, &AliasWorker::decide);
    connect(m_worker, &AliasWorker::loaded, this, &AliasReview::showItems);
    connect(m_worker, &AliasWorker::changed, this, &AliasReview::refresh);
    connect(m_worker, &AliasWorker::decided, this, [this](qint64, bool, const QString &message) {
        m_status->setText(message);
        emit decisionMade(message);
        refresh();
    });
    connect(m_worker, &AliasWorker::failed, this, [this](const QString &message) {
        m_status->setText(tr("Refused: %1").arg(message));
        emit decisionMade(m_status->text());
    });
    connect(m_thread, &QThread::started, m_worker, &AliasWorker::watch);
    m_thread->start();
    refresh();
}

void AliasReview::refresh()
{
    if (m_worker)
        emit requestLoad(kPage);
}

const AliasProposalRecord *AliasReview::current() const
{
    const int row = m_table->currentRow();
    return row >= 0 && row < int(m_items.size()) ? &m_items[size_t(row)] : nullptr;
}

QString AliasReview::headerText() const
{
    return m_header->text();
}

QString AliasReview::statusText() const
{
    return m_status->text();
}

void AliasReview::showItems(const std::vector<AliasProposalRecord> &items, qint64 total, const QString &error)
{
    if (!error.isEmpty()) {
        m_status->setText(tr("Cannot read the alias proposals: %1").arg(error));
        return;
    }
    const qint64 keep = m_keepId ? m_keepId : (current() ? current()->id : 0);
    int keepRow = -1;
    {
        const QSignalBlocker block(m_table);
        m_items = items;
        m_table->setRowCount(int(m_items.size()));
        for (int row = 0; row < int(m_items.size()); ++row) {
            const AliasProposalRecord &a = m_items[size_t(row)];
            const QStringList cells { similarityText(a.similarity), a.query, tr("entry %1").arg(a.entryId),
                QLocale().toString(a.seen), a.tenant };
            const QString tip
                = tr("<p>%1</p><p>≈ entry %2: %3</p><p>similarity %4 · seen %5 · tenant %6</p>")
                      .arg(a.query.toHtmlEscaped())
                      .arg(a.entryId)
                      .arg(a.entryQuery.toHtmlEscaped(), cells.at(0), cells.at(3), a.tenant.toHtmlEscaped());
            for (int c = 0; c < cells.size(); ++c) {
                auto *cell = new QTableWidgetItem(cells.at(c));
                cell->setToolTip(tip);
                if (c == 0 || c == 3)
                    cell->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                m_table->setItem(row, c, cell);
            }
            if (a.id == keep)
                keepRow = row;
        }
        if (!m_items.empty())
            m_table->setCurrentCell(keepRow >= 0
                    ? keepRow
                    : std::min(m_table->currentRow() < 0 ? 0 : m_table->currentRow(), int(m_items.size()) - 1),
                0);
    }
    m_keepId = 0;
    if (m_total != total) {
        m_total = total;
        emit countChanged(total);
    }
    showCurrent();
    emit shown();
}

void AliasReview::showCurrent()
{
    const AliasProposalRecord *a = current();
    if (!a) {
        m_header->setText(m_total == 0 ? tr("<b>No alias proposals wait.</b><br>Queries that come close to an "
                                            "approved entry without passing its threshold appear here.")
                                       : tr("<b>Pick a proposal.</b>"));
        m_questions->setMessage(QString());
        m_answerTitle->setText(QString());
        m_answer->clear();
        return;
    }
    m_header->setText(tr("<big><b>Same question as entry %1?</b></big><br>similarity <b>%2</b> · came up %3 · "
                         "tenant %4%5 · first %6")
                          .arg(a->entryId)
                          .arg(similarityText(a->similarity))
                          .arg(a->seen == 1 ? tr("once") : tr("%1 times").arg(QLocale().toString(a->seen)))
                          .arg(a->tenant.toHtmlEscaped(),
                              a->ns.isEmpty() ? QString() : tr(" · namespace %1").arg(a->ns.toHtmlEscaped()),
                              QLocale().toString(QDateTime::fromMSecsSinceEpoch(a->firstMs), QLocale::ShortFormat)));
    m_questions->setTexts(a->entryQuery, a->query, tr("Entry %1 asks").arg(a->entryId), tr("This query asks"),
        DiffView::Kind::Alternatives);
    if (a->entryApprovedVersion > 0) {
        m_answerTitle->setText(tr("<b>What entry %1 answers</b> (version %2): a yes serves it for this query too")
                                   .arg(a->entryId)
                                   .arg(a->entryApprovedVersion));
        m_answer->setHtml(htmlText(a->entryAnswer));
    } else {
        m_answerTitle->setText(tr("<b>Entry %1 serves no approved answer now</b>: it cannot be confirmed; "
                                  "\"not the same\" is still recorded")
                                   .arg(a->entryId));
        m_answer->clear();
    }
    balancePanes();
}

void AliasReview::balancePanes()
{
    // Two questions are a line or two each: their pane takes what they need (at least a few
    // lines), the answer a yes would serve takes the rest.
    const int line = fontMetrics().lineSpacing();
    QTextDocument *doc = m_questions->browser()->document();
    const int width = m_questions->browser()->viewport()->width();
    doc->setTextWidth(width > 50 ? width : 400);
    const int need = std::max(line * 5, int(doc->size().height()) + line * 3);
    const int total = m_panes->height() - m_panes->handleWidth();
    if (total <= 0)
        return;
    const int questions = std::min(need, total / 2);
    m_panes->setSizes({ questions, total - questions });
}

void AliasReview::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    balancePanes();
}

void AliasReview::decide(bool confirm, const QString &reason)
{
    const AliasProposalRecord *a = current();
    if (!a)
        return;
    // After the decision the list moves on to the next proposal, where this one was.
    const int row = m_table->currentRow();
    if (row + 1 < int(m_items.size()))
        m_keepId = m_items[size_t(row + 1)].id;
    else if (row > 0)
        m_keepId = m_items[size_t(row - 1)].id;
    m_status->setText(confirm ? tr("Confirming…") : tr("Recording “not the same”…"));
    emit requestDecide(a->id, confirm, m_key, reason);
}

void AliasReview::confirmCurrent()
{
    decide(true, QString());
}

void AliasReview::rejectCurrent(const QString &reason)
{
    decide(false, reason);
}

void AliasReview::move(int delta)
{
    const int row = m_table->currentRow() + delta;
    if (row >= 0 && row < m_table->rowCount())
        m_table->setCurrentCell(row, 0);
}

} // namespace l0::ui
