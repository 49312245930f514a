#include "dashboardwidget.h"
#include "workerthread.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QMessageBox>
#include <QPen>
#include <QPieSeries>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QStackedBarSeries>
#include <QTableWidget>
#include <QTimeZone>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>

#include "experimentpanel.h"
#include "money.h"
#include "review/entryreads.h"

namespace l0::ui {

namespace {

QString duration(qint64 ms)
{
    const qint64 s = ms / 1000;
    if (s < 120)
        return DashboardWidget::tr("%1 s").arg(s);
    if (s < 7200)
        return DashboardWidget::tr("%1 min").arg(s / 60);
    return DashboardWidget::tr("%1 h").arg(QLocale().toString(double(s) / 3600.0, 'f', 1));
}

QString categoryLabel(qint64 ms, Grain grain, const QTimeZone &zone)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms, zone);
    switch (grain) {
    case Grain::Minute:
        return t.toString(QStringLiteral("HH:mm"));
    case Grain::Hour:
        return t.toString(QStringLiteral("d MMM HH:00"));
    default:
        return QLocale().toString(t.date(), QStringLiteral("d MMM"));
    }
}

} // namespace

DashboardWorker::DashboardWorker(QString url, const Clock *clock)
    : m_store(std::move(url))
    , m_clock(clock)
{
}

DashboardWorker::~DashboardWorker() = default;

void DashboardWorker::load(const RollupQuery &query, int breakdown, quint64 generation)
{
    QString error;
    SqlSession *s = m_store.session(&error);
    DashboardData d;
    if (!s) {
        d.error = error;
    } else {
        d = loadDashboard(*s, query, Dimension(breakdown), 10, m_clock->nowMs());
        if (!d.error.isEmpty())
            m_store.reset(); // reconnect next time: the database may have gone away
    }
    d.generation = generation;
    emit loaded(d);
}

void DashboardWorker::history(qint64 entryId)
{
    QString error;
    QStringList lines;
    if (SqlSession *s = m_store.session(&error)) {
        if (auto history = versionHistory(*s, entryId); !history) {
            error = history.error().message;
        } else {
            for (const VersionSummary &v : *history) {
                QString line
                    = DashboardWidget::tr("v%1  %2  risk %3  by %4, %5")
                          .arg(v.version)
                          .arg(v.state, v.risk, v.author,
                              QLocale().toString(QDateTime::fromMSecsSinceEpoch(v.createdMs), QLocale::ShortFormat));
                if (!v.decidedBy.isEmpty())
                    line += DashboardWidget::tr("; decided by %1, %2")
                                .arg(v.decidedBy,
                                    QLocale().toString(
                                        QDateTime::fromMSecsSinceEpoch(v.decidedMs), QLocale::ShortFormat));
                lines << line;
            }
        }
    }
    emit historyLoaded(entryId, lines, error);
}

DashboardWidget::DashboardWidget(QWidget *parent, const Clock *clock)
    : QWidget(parent)
    , m_clock(clock)
    , m_timer(new QTimer(this))
    , m_range(new QComboBox(this))
    , m_from(new QDateTimeEdit(this))
    , m_to(new QDateTimeEdit(this))
    , m_zone(new QComboBox(this))
    , m_tenant(new QComboBox(this))
    , m_breakdownBy(new QComboBox(this))
    , m_state(new QLabel(this))
    , m_budgets(new QLabel(this))
    , m_experiments(new ExperimentPanel(this))
    , m_costChart(new QChart)
    , m_hitChart(new QChart)
    , m_mixChart(new QChart)
    , m_routeChart(new QChart)
    , m_breakdown(new QTableWidget(this))
    , m_top(new QTableWidget(this))
    , m_health(new QLabel(this))
    , m_reviewers(new QTableWidget(this))
    , m_reasons(new QTableWidget(this))
{
    qRegisterMetaType<DashboardData>();
    qRegisterMetaType<RollupQuery>();
    setAccessibleName(tr("Savings dashboard"));
    m_budgets->setTextFormat(Qt::RichText);
    m_budgets->setWordWrap(true);
    m_budgets->setAccessibleName(tr("Monthly budgets"));
    m_budgets->setToolTip(tr("Set with: l0ctl tenant set-budget NAME --budget DOLLARS"));
    m_budgets->setVisible(false);

    // Filters.
    m_range->addItem(tr("Last 24 hours"), 1);
    m_range->addItem(tr("Last 7 days"), 7);
    m_range->addItem(tr("Last 30 days"), 30);
    m_range->addItem(tr("Custom range"), 0);
    m_range->setCurrentIndex(1);
    m_range->setAccessibleName(tr("Range"));
    for (QDateTimeEdit *e : { m_from, m_to }) {
        e->setCalendarPopup(true);
        e->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
        e->setEnabled(false);
    }
    m_from->setAccessibleName(tr("From"));
    m_to->setAccessibleName(tr("To"));
    const QByteArray systemZone = QTimeZone::systemTimeZoneId();
    m_zone->addItem(tr("%1 (this computer)").arg(QString::fromUtf8(systemZone)), systemZone);
    for (const char *z : { "UTC", "Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles",
             "Asia/Kolkata", "Asia/Tokyo" }) {
        if (QByteArray(z) != systemZone)
            m_zone->addItem(QString::fromLatin1(z), QByteArray(z));
    }
    m_zone->setAccessibleName(tr("Time zone"));
    m_tenant->addItem(tr("All tenants"), QString());
    m_tenant->setAccessibleName(tr("Tenant"));
    for (Dimension d :
        { Dimension::Tenant, Dimension::Namespace, Dimension::Model, Dimension::Tier, Dimension::Intent }) {
        static const QHash<int, QString> names { { int(Dimension::Tenant), tr("tenant") },
            { int(Dimension::Namespace), tr("namespace") }, { int(Dimension::Model), tr("model") },
            { int(Dimension::Tier), tr("tier") }, { int(Dimension::Intent), tr("intent") } };
        m_breakdownBy->addItem(tr("By %1").arg(names.value(int(d))), int(d));
    }
    m_breakdownBy->setAccessibleName(tr("Break down by"));
    auto *refreshButton = new QPushButton(tr("&Refresh"), this);
    refreshButton->setShortcut(QKeySequence::Refresh);
    refreshButton->setToolTip(tr("Read the ledger again (F5)"));
    auto *csvButton = new QPushButton(tr("Export &CSV..."), this);
    auto *pngButton = new QPushButton(tr("Export &charts..."), this);
    // Two rows: when and where, then what and the actions.
    auto *filters = new QHBoxLayout;
    filters->addWidget(m_range);
    filters->addWidget(m_from);
    filters->addWidget(m_to);
    filters->addWidget(m_zone);
    filters->addStretch(1);
    filters->addWidget(m_state);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_tenant);
    actions->addWidget(m_breakdownBy);
    actions->addStretch(1);
    actions->addWidget(refreshButton);
    actions->addWidget(csvButton);
    actions->addWidget(pngButton);

    // KPI cards.
    m_cardGrid = new QGridLayout;
    m_cardGrid->setSpacing(12);
    const std::pair<const char *, QString> cardDefs[] = {
        { "saved", tr("Saved") },
        { "cache_saved", tr("Saved by the cache") },
        { "routing_saved", tr("Saved by routing") },
        { "net_saved", tr("Saved after hit fees") },
        { "fees", tr("Hit fees (operator revenue)") },
        { "baseline", tr("Cost: baseline → actual") },
        { "hit_rate", tr("Hit rate") },
        { "time_saved", tr("Time saved") },
        { "backlog", tr("Review backlog") },
        { "shadow", tr("Shadow: would have saved") },
        { "unpriced", tr("Unpriced requests") },
    };
    for (const auto &[name, title] : cardDefs) {
        QLabel *value = addCard(QString::fromLatin1(name), title, QString());
        m_cardBoxes << value->parentWidget();
    }

    // Charts.
    auto makeView = [this](QChart *chart, const QString &title, const QString &name) {
        chart->setTitle(title);
        chart->legend()->setAlignment(Qt::AlignBottom);
        chart->setAnimationOptions(QChart::NoAnimation);
        auto *view = new QChartView(chart, this);
        view->setRenderHint(QPainter::Antialiasing);
        view->setMinimumHeight(260);
        view->setObjectName(name);
        view->setAccessibleName(title);
        m_views << view;
        return view;
    };
    QChartView *costView
        = makeView(m_costChart, tr("Cost over time by model, with the cost without the cache"), QStringLiteral("cost"));
    QChartView *hitView = makeView(m_hitChart, tr("Hit rate by tier"), QStringLiteral("hit_rate"));
    QChartView *mixView = makeView(m_mixChart, tr("Model mix (requests)"), QStringLiteral("model_mix"));
    QChartView *routeView
        = makeView(m_routeChart, tr("Routed misses: model asked for and model used"), QStringLiteral("route_mix"));

    m_breakdown->setColumnCount(6);
    m_breakdown->setHorizontalHeaderLabels(
        { tr("Group"), tr("Requests"), tr("Hit rate"), tr("Saved"), tr("Hit fees"), tr("Unpriced") });
    m_top->setColumnCount(6);
    m_top->setHorizontalHeaderLabels(
        { tr("Entry"), tr("Tenant"), tr("Tier / intent"), tr("Hits"), tr("Saved"), tr("Query") });
    m_reviewers->setColumnCount(6);
    m_reviewers->setHorizontalHeaderLabels(
        { tr("Day (UTC)"), tr("Reviewer"), tr("Approved"), tr("Rejected"), tr("Undone"), tr("Edits withdrawn") });
    m_reviewers->setAccessibleName(tr("Decisions per reviewer and day"));
    m_reasons->setColumnCount(3);
    m_reasons->setHorizontalHeaderLabels({ tr("Day (UTC)"), tr("Reason"), tr("Rejections") });
    m_reasons->setAccessibleName(tr("Rejection reasons over time"));
    m_health->setTextFormat(Qt::RichText);
    m_health->setWordWrap(true);
    m_health->setAccessibleName(tr("Queue health"));
    for (QTableWidget *t : { m_reviewers, m_reasons }) {
        t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
        t->horizontalHeader()->setStretchLastSection(true);
        t->verticalHeader()->setVisible(false);
        t->setEditTriggers(QAbstractItemView::NoEditTriggers);
        t->setAlternatingRowColors(true);
        t->setMinimumHeight(150);
    }
    for (QTableWidget *t : { m_breakdown, m_top }) {
        t->horizontalHeader()->setStretchLastSection(true);
        t->verticalHeader()->setVisible(false);
        t->setEditTriggers(QAbstractItemView::NoEditTriggers);
        t->setSelectionBehavior(QAbstractItemView::SelectRows);
        t->setAlternatingRowColors(true);
        t->setMinimumHeight(180);
    }
    m_breakdown->setAccessibleName(tr("Savings by group"));
    m_top->setAccessibleName(tr("Top entries by savings; press Enter for the entry's review history"));
    m_top->setToolTip(tr("Double-click or press Enter for the entry's review history"));

    m_chartGrid = new QGridLayout;
    auto *breakdownCell = new QWidget(this);
    auto *breakdownBox = new QVBoxLayout(breakdownCell);
    breakdownBox->setContentsMargins(0, 0, 0, 0);
    breakdownBox->addWidget(new QLabel(tr("<b>Savings by group</b>"), breakdownCell));
    breakdownBox->addWidget(m_breakdown);
    m_chartCells = { costView, mixView, hitView, breakdownCell, routeView };
    reflow();

    auto *content = new QWidget(this);
    auto *v = new QVBoxLayout(content);
    v->addLayout(filters);
    v->addLayout(actions);
    v->addLayout(m_cardGrid);
    v->addWidget(m_budgets);
    v->addWidget(m_experiments);
    // Queue health, near the top: what a manager staffs the review queue by.
    auto *healthRow = new QHBoxLayout;
    auto *healthBox = new QVBoxLayout;
    healthBox->addWidget(new QLabel(tr("<b>Review queue health</b>"), content));
    healthBox->addWidget(m_health);
    healthBox->addStretch(1);
    healthRow->addLayout(healthBox, 4);
    healthRow->addWidget(m_reviewers, 4);
    healthRow->addWidget(m_reasons, 3);
    v->addLayout(healthRow);
    v->addLayout(m_chartGrid, 1);
    v->addWidget(new QLabel(tr("<b>Top entries by savings</b>"), content));
    v->addWidget(m_top);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setAccessibleName(tr("Savings charts and tables"));
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);

    connect(m_range, &QComboBox::currentIndexChanged, this, [this] {
        const bool custom = m_range->currentData().toInt() == 0;
        m_from->setEnabled(custom);
        m_to->setEnabled(custom);
        refresh();
    });
    for (QComboBox *c : { m_zone, m_tenant, m_breakdownBy })
        connect(c, &QComboBox::currentIndexChanged, this, &DashboardWidget::refresh);
    for (QDateTimeEdit *e : { m_from, m_to })
        connect(e, &QDateTimeEdit::editingFinished, this, &DashboardWidget::refresh);
    connect(refreshButton, &QPushButton::clicked, this, &DashboardWidget::refresh);
    connect(csvButton, &QPushButton::clicked, this, &DashboardWidget::exportCsvInteractive);
    connect(pngButton, &QPushButton::clicked, this, &DashboardWidget::exportChartsInteractive);
    auto openHistory = [this](int row) {
        if (row >= 0 && size_t(row) < m_data.topEntries.size())
            emit requestHistory(m_data.topEntries[size_t(row)].entryId);
    };
    connect(m_top, &QTableWidget::cellDoubleClicked, this, [openHistory](int row, int) { openHistory(row); });
    connect(
        m_top, &QTableWidget::itemActivated, this, [openHistory](QTableWidgetItem *item) { openHistory(item->row()); });
    m_timer->setInterval(30'000);
    connect(m_timer, &QTimer::timeout, this, &DashboardWidget::refresh);
}

DashboardWidget::~DashboardWidget()
{
    stopWorkerThread(m_thread);
}

void DashboardWidget::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    reflow();
}

void DashboardWidget::reflow()
{
    const int w = width();
    // As many cards in a row as their widest one allows (values change their width).
    int widest = 1;
    for (QWidget *box : m_cardBoxes)
        widest = std::max(widest, box->sizeHint().width());
    const int spacing = m_cardGrid->spacing();
    const int usable = w - 40; // margins and a vertical scroll bar
    const int cardColumns = std::clamp((usable + spacing) / (widest + spacing), 2, int(m_cardBoxes.size()));
    const int chartColumns = w >= 1150 ? 2 : 1;
    if (cardColumns != m_cardColumns) {
        m_cardColumns = cardColumns;
        for (QWidget *box : m_cardBoxes)
            m_cardGrid->removeWidget(box);
        for (int i = 0; i < m_cardBoxes.size(); ++i)
            m_cardGrid->addWidget(m_cardBoxes.at(i), i / cardColumns, i % cardColumns);
    }
    if (chartColumns != m_chartColumns) {
        m_chartColumns = chartColumns;
        for (QWidget *cell : m_chartCells)
            m_chartGrid->removeWidget(cell);
        for (int i = 0; i < m_chartCells.size(); ++i)
            m_chartGrid->addWidget(m_chartCells.at(i), i / chartColumns, i % chartColumns);
        m_chartGrid->setColumnStretch(0, 3);
        m_chartGrid->setColumnStretch(1, chartColumns == 2 ? 2 : 0);
    }
}

void DashboardWidget::showBudgets(const std::vector<BudgetStatus> &budgets)
{
    // One line per tenant with a budget, worst first; nothing at all without budgets.
    std::vector<const BudgetStatus *> order;
    for (const BudgetStatus &b : budgets)
        order.push_back(&b);
    std::stable_sort(order.begin(), order.end(),
        [](const BudgetStatus *a, const BudgetStatus *b) { return int(a->level) > int(b->level); });
    QStringList lines;
    for (const BudgetStatus *b : order) {
        QString line = tr("<b>%1</b>: %2 of %3 this month")
                           .arg(b->tenant.toHtmlEscaped(), money(b->spentMicros), money(b->budgetMicros));
        if (b->projectedMicros)
            line += tr(", on course for %1").arg(money(*b->projectedMicros));
        if (b->unpricedRequests > 0)
            line += tr(", and %n unpriced request(s) whose cost is unknown", nullptr, int(b->unpricedRequests));
        if (b->level == BudgetStatus::Level::Over)
            line = tr("<span style=\"color:#b3261e\">⚠ Over budget: %1</span>").arg(line);
        else if (b->level == BudgetStatus::Level::Warning)
            line = tr("<span style=\"color:#8a5a00\">⚠ Budget warning: %1</span>").arg(line);
        lines << line;
    }
    m_budgets->setText(lines.join(QStringLiteral("<br>")));
    m_budgets->setVisible(!lines.isEmpty());
}

QString DashboardWidget::experimentsText() const
{
    return m_experiments->isHidden() ? QString() : m_experiments->text();
}

QString DashboardWidget::queueHealthText() const
{
    return m_health->text();
}

void DashboardWidget::showQueueHealth(const DashboardData &d)
{
    m_reviewers->setRowCount(0);
    m_reasons->setRowCount(0);
    if (!d.queue || !d.queue->health) {
        m_health->setText(tr("<i>The queue's health cannot be read: %1</i>").arg(d.queueError.toHtmlEscaped()));
        return;
    }
    const QueueStats &q = *d.queue;
    const QueueHealth &h = *q.health;
    const auto ages = [](const DurationStats &s) {
        return s.count == 0
            ? tr("none")
            : tr("%1 · p50 %2 · p95 %3 · oldest %4")
                  .arg(QLocale().toString(s.count), duration(s.p50Ms), duration(s.p95Ms), duration(s.maxMs));
    };
    const auto times = [](const DurationStats &s) {
        return s.count == 0 ? tr("none in this range")
                            : tr("p50 %1 · p95 %2 (%3 versions)")
                                  .arg(duration(s.p50Ms), duration(s.p95Ms), QLocale().toString(s.count));
    };
    const double share = h.demandTotal > 0 ? 100.0 * double(h.demandWaiting) / double(h.demandTotal) : 0.0;
    QString savings = money(h.wouldSaveMicros);
    if (h.unpricedEntries > 0)
        savings += tr(" <span style=\"color:#b3261e\">(%n entries unpriced, not counted)</span>", nullptr,
            int(h.unpricedEntries));
    m_health->setText(tr("<table cellspacing=\"2\">"
                         "<tr><td>Needs review</td><td>%1</td></tr>"
                         "<tr><td>Needs second approval</td><td>%2</td></tr>"
                         "<tr><td>Being reviewed now</td><td>%3</td></tr>"
                         "<tr><td>Filed → decided</td><td>%4</td></tr>"
                         "<tr><td>Filed → first served</td><td>%5</td></tr>"
                         "<tr><td>Demand waiting on review</td><td>%6 % (%7 of %8 requests)</td></tr>"
                         "<tr><td>Would-be savings in the queue</td><td>%9</td></tr></table>")
                          .arg(ages(h.backlogAge.value(QStringLiteral("pending"))),
                              ages(h.backlogAge.value(QStringLiteral("needs_second"))), QLocale().toString(q.claimed),
                              times(h.toDecision), times(h.toServing), QLocale().toString(share, 'f', 1),
                              QLocale().toString(h.demandWaiting), QLocale().toString(h.demandTotal), savings));
    m_cards[QStringLiteral("backlog")]->setToolTip(
        tr("Oldest waiting: %1").arg(duration(h.backlogAge.value(QStringLiteral("awaiting")).maxMs)));
    const auto cell = [](QTableWidget *t, int row, int column, const QString &text, bool number) {
        auto *item = new QTableWidgetItem(text);
        if (number)
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        t->setItem(row, column, item);
    };
    m_reviewers->setRowCount(int(h.reviewerDays.size()));
    for (int row = 0; row < int(h.reviewerDays.size()); ++row) {
        const ReviewerDay &r = h.reviewerDays[size_t(row)];
        cell(m_reviewers, row, 0, r.day, false);
        cell(m_reviewers, row, 1, r.reviewer, false);
        cell(m_reviewers, row, 2, QLocale().toString(r.approvals), true);
        cell(m_reviewers, row, 3, QLocale().toString(r.rejections), true);
        cell(m_reviewers, row, 4, QLocale().toString(r.undone), true);
        cell(m_reviewers, row, 5, QLocale().toString(r.editsWithdrawn), true);
    }
    m_reasons->setRowCount(int(h.rejectionReasons.size()));
    for (int row = 0; row < int(h.rejectionReasons.size()); ++row) {
        const ReasonDay &r = h.rejectionReasons[size_t(row)];
        cell(m_reasons, row, 0, r.day, false);
        cell(m_reasons, row, 1, r.code, false);
        cell(m_reasons, row, 2, QLocale().toString(r.count), true);
    }
}

QString DashboardWidget::budgetText() const
{
    return m_budgets->isHidden() ? QString() : m_budgets->text();
}

QLabel *DashboardWidget::addCard(const QString &name, const QString &title, const QString &help)
{
    auto *frame = new QFrame(this);
    frame->setFrameShape(QFrame::StyledPanel);
    frame->setObjectName(QStringLiteral("kpi_") + name);
    auto *layout = new QVBoxLayout(frame);
    auto *caption = new QLabel(title, frame);
    caption->setStyleSheet(QStringLiteral("color: palette(mid);"));
    auto *value = new QLabel(QStringLiteral("–"), frame);
    QFont f = value->font();
    f.setPointSizeF(f.pointSizeF() * 1.6);
    f.setBold(true);
    value->setFont(f);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    value->setAccessibleName(title);
    value->setToolTip(help);
    layout->addWidget(caption);
    layout->addWidget(value);
    m_cards.insert(name, value);
    return value;
}

QString DashboardWidget::kpiText(const QString &name) const
{
    const QLabel *l = m_cards.value(name);
    return l ? l->text() : QString();
}

void DashboardWidget::setStore(const QString &url)
{
    stopWorkerThread(m_thread);
    m_worker = new DashboardWorker(url, m_clock);
    m_thread = newWorkerThread(this, m_worker, QStringLiteral("dashboard"));
    connect(this, &DashboardWidget::requestLoad, m_worker, &DashboardWorker::load);
    connect(this, &DashboardWidget::requestHistory, m_worker, &DashboardWorker::history);
    connect(m_worker, &DashboardWorker::loaded, this, &DashboardWidget::showData);
    connect(m_worker, &DashboardWorker::historyLoaded, this, &DashboardWidget::showHistory);
    m_thread->start();
    m_timer->start();
    refresh();
}

void DashboardWidget::setRange(const QDateTime &from, const QDateTime &to, const QTimeZone &zone)
{
    const QSignalBlocker b1(m_range), b2(m_zone);
    const int zi = m_zone->findData(zone.id());
    if (zi >= 0) {
        m_zone->setCurrentIndex(zi);
    } else {
        m_zone->addItem(QString::fromUtf8(zone.id()), zone.id());
        m_zone->setCurrentIndex(m_zone->count() - 1);
    }
    m_range->setCurrentIndex(m_range->findData(0));
    m_from->setEnabled(true);
    m_to->setEnabled(true);
    // The edits show wall-clock time in the chosen zone.
    const QDateTime f = from.toTimeZone(zone), t = to.toTimeZone(zone);
    m_from->setDateTime(QDateTime(f.date(), f.time()));
    m_to->setDateTime(QDateTime(t.date(), t.time()));
    refresh();
}

RollupQuery DashboardWidget::currentQuery() const
{
    RollupQuery q;
    q.zone = QTimeZone(m_zone->currentData().toByteArray());
    if (!q.zone.isValid())
        q.zone = QTimeZone::utc();
    const int days = m_range->currentData().toInt();
    const qint64 now = m_clock->nowMs();
    if (days > 0) {
        q.toMs = (now / 60'000 + 1) * 60'000;
        q.fromMs = q.toMs - qint64(days) * 86'400'000;
        q.grain = days == 1 ? Grain::Hour : Grain::Day;
    } else {
        q.fromMs = QDateTime(m_from->date(), m_from->time(), q.zone).toMSecsSinceEpoch();
        q.toMs = QDateTime(m_to->date(), m_to->time(), q.zone).toMSecsSinceEpoch();
        q.grain = q.toMs - q.fromMs <= 2LL * 86'400'000 ? Grain::Hour : Grain::Day;
    }
    q.tenant = m_tenant->currentData().toString();
    return q;
}

void DashboardWidget::refresh()
{
    if (!m_worker)
        return;
    m_state->setText(tr("Loading…"));
    const RollupQuery q = currentQuery();
    // A preset shows its range in the (read-only) fields, in the chosen zone; "Custom range"
    // starts from there.
    if (m_range->currentData().toInt() > 0) {
        // The zone's wall-clock time, as "Custom range" reads the fields back.
        const QDateTime from = QDateTime::fromMSecsSinceEpoch(q.fromMs, q.zone);
        const QDateTime to = QDateTime::fromMSecsSinceEpoch(q.toMs, q.zone);
        m_from->setDateTime(QDateTime(from.date(), from.time()));
        m_to->setDateTime(QDateTime(to.date(), to.time()));
    }
    emit requestLoad(q, m_breakdownBy->currentData().toInt(), ++m_generation);
}

void DashboardWidget::showData(const DashboardData &d)
{
    if (d.generation != m_generation)
        return; // an older request; a newer one is on its way
    if (!d.error.isEmpty()) {
        m_state->setText(tr("Cannot read the ledger: %1").arg(d.error));
        return;
    }
    m_data = d;
    const RollupRow &t = d.byModel.totals;
    m_cards[QStringLiteral("saved")]->setText(money(t.savedMicros()));
    m_cards[QStringLiteral("net_saved")]->setText(money(t.netSavedMicros()));
    m_cards[QStringLiteral("cache_saved")]->setText(money(d.routing.cacheSavedMicros));
    m_cards[QStringLiteral("cache_saved")]->setToolTip(
        tr("What the cache hits would have cost at the requested models' prices: %1 hits.")
            .arg(QLocale().toString(d.routing.cacheHits)));
    m_cards[QStringLiteral("routing_saved")]->setText(money(d.routing.routingSavedMicros()));
    m_cards[QStringLiteral("routing_saved")]->setToolTip(
        tr("Routed misses (route policies, set with 'l0ctl tenant set-route'): the requested model's price minus "
           "what was paid, a cascade's rejected cheaper answer included: %1 requests.")
            .arg(QLocale().toString(d.routing.routedRequests)));
    m_cards[QStringLiteral("net_saved")]->setToolTip(
        tr("What the cache saved the tenants once the operator's per-hit fees are paid."));
    m_cards[QStringLiteral("fees")]->setText(money(t.feeMicros));
    m_cards[QStringLiteral("fees")]->setToolTip(
        tr("Per-hit fees charged on cache hits (set per tenant with 'l0ctl tenant set-fee'): the operator's "
           "revenue, apart from model costs."));
    m_cards[QStringLiteral("baseline")]->setText(tr("%1 → %2").arg(money(t.baselineMicros), money(t.actualMicros)));
    m_cards[QStringLiteral("hit_rate")]->setText(
        QStringLiteral("%1 %").arg(QLocale().toString(t.hitRate() * 100, 'f', 1)));
    m_cards[QStringLiteral("time_saved")]->setText(duration(t.timeSavedMs()));
    m_cards[QStringLiteral("backlog")]->setText(QLocale().toString(d.backlog));
    showBudgets(d.budgets);
    showQueueHealth(d);
    m_experiments->showReports(d.experiments, d.experimentsError);
    m_cards[QStringLiteral("shadow")]->setText(money(t.shadowWouldSaveMicros));
    m_cards[QStringLiteral("shadow")]->setToolTip(
        tr("Shadow-mode tenants are answered upstream; this is what the cache would have saved them. "
           "It is not part of \"Saved\"."));
    QLabel *unpriced = m_cards[QStringLiteral("unpriced")];
    unpriced->setText(QLocale().toString(t.unpricedRequests));
    unpriced->setStyleSheet(t.unpricedRequests > 0 ? QStringLiteral("color: #b3261e;") : QString());
    unpriced->setToolTip(t.unpricedRequests > 0
            ? tr("Requests to models without a price: their cost is unknown, not $0. Add prices to count them.")
            : tr("Every request was priced."));

    // Tenants seen, for the filter (kept when already chosen).
    if (m_tenant->count() == 1 && d.breakdownQuery.groupBy == Dimension::Tenant) {
        const QSignalBlocker block(m_tenant);
        for (const QString &name : d.breakdown.groups)
            m_tenant->addItem(name, name);
    }

    // Cost over time, stacked by model, with the baseline.
    m_costChart->removeAllSeries();
    for (QAbstractAxis *a : m_costChart->axes())
        m_costChart->removeAxis(a);
    QStringList categories;
    QHash<qint64, int> index;
    for (qint64 b : d.byModel.buckets) {
        index.insert(b, int(categories.size()));
        categories << categoryLabel(b, d.query.grain, d.query.zone);
    }
    m_costBars = new QStackedBarSeries;
    m_baseline = new QLineSeries;
    m_baseline->setName(tr("without the cache"));
    QPen baselinePen(QColor(0x44, 0x44, 0x44));
    baselinePen.setWidthF(2.0);
    baselinePen.setStyle(Qt::DashLine);
    m_baseline->setPen(baselinePen);
    std::vector<double> baseline(size_t(categories.size()), 0.0);
    QHash<QString, QBarSet *> sets;
    for (const QString &model : d.byModel.groups) {
        auto *set = new QBarSet(model);
        for (int i = 0; i < categories.size(); ++i)
            set->append(0.0);
        sets.insert(model, set);
        m_costBars->append(set);
    }
    double maxY = 0;
    std::vector<double> stacked(size_t(categories.size()), 0.0);
    for (const RollupRow &r : d.byModel.rows) {
        const int i = index.value(r.bucketMs, -1);
        if (i < 0)
            continue;
        sets.value(r.group)->replace(i, double(r.actualMicros) / 1e6);
        baseline[size_t(i)] += double(r.baselineMicros) / 1e6;
        stacked[size_t(i)] += double(r.actualMicros) / 1e6;
    }
    for (int i = 0; i < categories.size(); ++i) {
        m_baseline->append(i, baseline[size_t(i)]);
        maxY = std::max({ maxY, baseline[size_t(i)], stacked[size_t(i)] });
    }
    m_costChart->addSeries(m_costBars);
    m_costChart->addSeries(m_baseline);
    auto *x = new QBarCategoryAxis;
    x->append(categories);
    x->setLabelsAngle(categories.size() > 12 ? -60 : 0);
    auto *y = new QValueAxis;
    y->setLabelFormat(QStringLiteral("$%.2f"));
    y->setRange(0, maxY > 0 ? maxY * 1.1 : 1);
    m_costChart->addAxis(x, Qt::AlignBottom);
    m_costChart->addAxis(y, Qt::AlignLeft);
    for (QAbstractSeries *s : m_costChart->series()) {
        s->attachAxis(x);
        s->attachAxis(y);
    }

    // Hit rate by tier over time.
    m_hitChart->removeAllSeries();
    for (QAbstractAxis *a : m_hitChart->axes())
        m_hitChart->removeAxis(a);
    std::vector<qint64> requests(size_t(categories.size()), 0);
    QMap<QString, std::vector<qint64>> byTier;
    for (const RollupRow &r : d.byModel.rows) {
        const int i = index.value(r.bucketMs, -1);
        if (i < 0)
            continue;
        requests[size_t(i)] += r.requests;
        for (auto it = r.requestsByTier.begin(); it != r.requestsByTier.end(); ++it) {
            if (it.key() == QLatin1String("upstream"))
                continue;
            auto &v = byTier[it.key()];
            v.resize(size_t(categories.size()), 0);
            v[size_t(i)] += it.value();
        }
    }
    auto *hx = new QBarCategoryAxis;
    hx->append(categories);
    hx->setLabelsAngle(categories.size() > 12 ? -60 : 0);
    auto *hy = new QValueAxis;
    hy->setRange(0, 100);
    hy->setLabelFormat(QStringLiteral("%d %%"));
    m_hitChart->addAxis(hx, Qt::AlignBottom);
    m_hitChart->addAxis(hy, Qt::AlignLeft);
    for (auto it = byTier.begin(); it != byTier.end(); ++it) {
        auto *line = new QLineSeries;
        line->setName(it.key() == QLatin1String("l0") ? tr("L0 (intent)") : it.key());
        for (int i = 0; i < categories.size(); ++i)
            line->append(
                i, requests[size_t(i)] ? 100.0 * double(it.value()[size_t(i)]) / double(requests[size_t(i)]) : 0.0);
        m_hitChart->addSeries(line);
        line->attachAxis(hx);
        line->attachAxis(hy);
    }

    // Model mix.
    m_mixChart->removeAllSeries();
    m_mix = new QPieSeries;
    QHash<QString, RollupRow> perModel;
    for (const RollupRow &r : d.byModel.rows)
        perModel[r.group].add(r);
    for (const QString &model : d.byModel.groups) {
        const RollupRow &r = perModel[model];
        QString label = QStringLiteral("%1 %2 %").arg(model).arg(t.requests
                ? QLocale().toString(100.0 * double(r.requests) / double(t.requests), 'f', 0)
                : QStringLiteral("0"));
        if (r.unpricedRequests > 0)
            label += tr(" (unpriced)");
        m_mix->append(label, double(r.requests));
    }
    m_mix->setLabelsVisible(m_mix->count() <= 8);
    m_mixChart->addSeries(m_mix);

    // Routed misses: the model mix before routing (asked for) and after (answered by).
    m_routeChart->removeAllSeries();
    for (QAbstractAxis *a : m_routeChart->axes())
        m_routeChart->removeAxis(a);
    QStringList routeModels = d.routing.requestedModels.keys();
    for (const QString &m : d.routing.usedModels.keys()) {
        if (!routeModels.contains(m))
            routeModels << m;
    }
    auto *asked = new QBarSet(tr("asked for"));
    auto *used = new QBarSet(tr("answered by"));
    qint64 routeMax = 0;
    for (const QString &m : std::as_const(routeModels)) {
        asked->append(double(d.routing.requestedModels.value(m)));
        used->append(double(d.routing.usedModels.value(m)));
        routeMax = std::max({ routeMax, d.routing.requestedModels.value(m), d.routing.usedModels.value(m) });
    }
    auto *routeBars = new QBarSeries;
    routeBars->append(asked);
    routeBars->append(used);
    m_routeChart->addSeries(routeBars);
    auto *rx = new QBarCategoryAxis;
    rx->append(routeModels.isEmpty() ? QStringList { tr("no routed requests") } : routeModels);
    auto *ry = new QValueAxis;
    ry->setLabelFormat(QStringLiteral("%d"));
    ry->setRange(0, routeMax > 0 ? double(routeMax) * 1.1 : 1);
    ry->applyNiceNumbers();
    m_routeChart->addAxis(rx, Qt::AlignBottom);
    m_routeChart->addAxis(ry, Qt::AlignLeft);
    routeBars->attachAxis(rx);
    routeBars->attachAxis(ry);

    // Breakdown.
    m_breakdown->setRowCount(int(d.breakdown.rows.size()));
    int row = 0;
    for (const RollupRow &r : d.breakdown.rows) {
        const QStringList cells { r.group.isEmpty() ? tr("(none)") : r.group, QLocale().toString(r.requests),
            QStringLiteral("%1 %").arg(QLocale().toString(r.hitRate() * 100, 'f', 1)), money(r.savedMicros()),
            r.feeMicros ? money(r.feeMicros) : QString(),
            r.unpricedRequests ? QLocale().toString(r.unpricedRequests) : QString() };
        for (int c = 0; c < cells.size(); ++c) {
            auto *item = new QTableWidgetItem(cells.at(c));
            if (c > 0)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_breakdown->setItem(row, c, item);
        }
        ++row;
    }
    m_breakdown->resizeColumnsToContents();

    // Top entries.
    m_top->setRowCount(int(d.topEntries.size()));
    row = 0;
    for (const EntrySavings &e : d.topEntries) {
        const QStringList cells { QString::number(e.entryId), e.tenant,
            e.intent.isEmpty() ? e.tier : QStringLiteral("%1 / %2").arg(e.tier, e.intent), QLocale().toString(e.hits),
            money(e.savedMicros), e.query };
        for (int c = 0; c < cells.size(); ++c)
            m_top->setItem(row, c, new QTableWidgetItem(cells.at(c)));
        ++row;
    }
    m_top->resizeColumnsToContents();
    m_state->setText(
        tr("Updated %1")
            .arg(QLocale().toString(QDateTime::fromMSecsSinceEpoch(m_clock->nowMs()).time(), QLocale::ShortFormat)));
    reflow(); // the cards' new values may need more room
    emit dataShown();
}

void DashboardWidget::showHistory(qint64 entryId, const QStringList &lines, const QString &error)
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Entry %1: review history").arg(entryId));
    auto *text = new QPlainTextEdit(&dialog);
    text->setReadOnly(true);
    text->setPlainText(error.isEmpty() ? lines.join(QLatin1Char('\n')) : tr("Cannot read the history: %1").arg(error));
    text->setAccessibleName(tr("Review history"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(text);
    layout->addWidget(buttons);
    dialog.resize(640, 320);
    dialog.exec();
}

QByteArray DashboardWidget::csv() const
{
    return rollupCsv(m_data.byModel, m_data.query);
}

bool DashboardWidget::exportCharts(const QString &dir, QString *error) const
{
    for (QChartView *view : m_views) {
        const QString path = QDir(dir).filePath(view->objectName() + QStringLiteral(".png"));
        if (!view->grab().save(path)) {
            *error = tr("cannot write %1").arg(path);
            return false;
        }
    }
    return true;
}

void DashboardWidget::exportCsvInteractive()
{
    const QString path
        = QFileDialog::getSaveFileName(this, tr("Export CSV"), QStringLiteral("savings.csv"), tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(csv()) < 0 || !f.commit())
        QMessageBox::warning(this, tr("Export CSV"), tr("Cannot write %1: %2").arg(path, f.errorString()));
}

void DashboardWidget::exportChartsInteractive()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export charts as PNG into"));
    if (dir.isEmpty())
        return;
    QString error;
    if (!exportCharts(dir, &error))
        QMessageBox::warning(this, tr("Export charts"), error);
}

} // namespace l0::ui
