#pragma once

#include <QDateTime>
#include <QWidget>

#include <memory>

#include "core/clock.h"
#include "dashboarddata.h"

class QComboBox;
class QGridLayout;
class QDateTimeEdit;
class QLabel;
class QTableWidget;
class QThread;
class QTimer;
class QChart;
class QChartView;
class QStackedBarSeries;
class QLineSeries;
class QPieSeries;

#include "workerthread.h"

namespace l0::ui {

// Runs the dashboard's queries on a thread of its own, with its own store connection.
class DashboardWorker final : public QObject {
    Q_OBJECT
public:
    // clock: the "now" of budgets; not owned, outlives the worker.
    DashboardWorker(QString url, const Clock *clock);
    ~DashboardWorker() override;

public slots:
    void load(const l0::RollupQuery &query, int breakdown, quint64 generation);
    void history(qint64 entryId);

signals:
    void loaded(const l0::ui::DashboardData &data);
    void historyLoaded(qint64 entryId, const QStringList &lines, const QString &error);

private:
    LazyStore m_store;
    const Clock *m_clock;
};

// Savings for managers: KPI cards, cost over time stacked by model with the baseline, hit
// rate by tier, model mix, a breakdown by tenant/namespace/..., top entries with their review
// history; CSV of what is shown and PNG of each chart. Queries never run on the GUI thread;
// the view refreshes on a timer and on F5. Every number comes from the engine's rollup
// queries, the same that `l0ctl ledger report` prints.
class DashboardWidget final : public QWidget {
    Q_OBJECT
public:
    // clock: where the range presets end and the budgets' month is; not owned, outlives the widget.
    explicit DashboardWidget(QWidget *parent = nullptr, const Clock *clock = Clock::system());
    ~DashboardWidget() override;

    void setStore(const QString &url);
    // Shows this range (custom), in this zone; for tests and links.
    void setRange(const QDateTime &from, const QDateTime &to, const QTimeZone &zone);
    void refresh();

    // What is on screen, for export and tests.
    const DashboardData &data() const { return m_data; }
    QStackedBarSeries *costSeries() const { return m_costBars; }
    QLineSeries *baselineSeries() const { return m_baseline; }
    QPieSeries *modelMix() const { return m_mix; }
    QString kpiText(const QString &name) const;
    // The budget lines as shown (rich text); empty when no tenant has a budget.
    QString budgetText() const;
    // The queue's health as shown (rich text), and its per-reviewer and rejection-reason tables.
    QString queueHealthText() const;
    // The running experiments as shown (rich text); empty when none runs.
    QString experimentsText() const;
    QTableWidget *reviewerTable() const { return m_reviewers; }
    QTableWidget *reasonTable() const { return m_reasons; }
    QByteArray csv() const;
    bool exportCharts(const QString &dir, QString *error) const;
    QList<QChartView *> chartViews() const { return m_views; }

signals:
    void dataShown();
    void requestLoad(const l0::RollupQuery &query, int breakdown, quint64 generation);
    void requestHistory(qint64 entryId);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    // Cards and charts re-flow with the width: a 1920-pixel screen at 200 % is 960 wide.
    void reflow();
    RollupQuery currentQuery() const;
    void showData(const DashboardData &data);
    void showHistory(qint64 entryId, const QStringList &lines, const QString &error);
    QLabel *addCard(const QString &name, const QString &title, const QString &help);
    void showBudgets(const std::vector<BudgetStatus> &budgets);
    void showQueueHealth(const DashboardData &d);
    void exportCsvInteractive();
    void exportChartsInteractive();

    const Clock *m_clock;
    QThread *m_thread = nullptr;
    DashboardWorker *m_worker = nullptr;
    quint64 m_generation = 0;
    DashboardData m_data;
    QTimer *m_timer;

    QComboBox *m_range;
    QDateTimeEdit *m_from;
    QDateTimeEdit *m_to;
    QComboBox *m_zone;
    QComboBox *m_tenant;
    QComboBox *m_breakdownBy;
    QLabel *m_state;
    QLabel *m_budgets;
    class ExperimentPanel *m_experiments;
    QHash<QString, QLabel *> m_cards;
    QList<QWidget *> m_cardBoxes; // in display order
    QGridLayout *m_cardGrid = nullptr;
    QGridLayout *m_chartGrid = nullptr;
    QList<QWidget *> m_chartCells; // cost, model mix, hit rate, breakdown, routing mix
    int m_cardColumns = 0;
    int m_chartColumns = 0;

    QChart *m_costChart;
    QStackedBarSeries *m_costBars = nullptr;
    QLineSeries *m_baseline = nullptr;
    QChart *m_hitChart;
    QChart *m_mixChart;
    QPieSeries *m_mix = nullptr;
    QChart *m_routeChart; // routed requests by model, asked for and answered by
    QList<QChartView *> m_views;
    QTableWidget *m_breakdown;
    QTableWidget *m_top;
    QLabel *m_health;
    QTableWidget *m_reviewers;
    QTableWidget *m_reasons;
};

} // namespace l0::ui
