#pragma once

#include <QLabel>

#include <vector>

#include "ledger/experimentreport.h"

namespace l0::ui {

// The dashboard's running experiments: per arm, its policy and share, requests, cost per
// request, hit rate, p95 latency and good client feedback with their 95% intervals, and each arm
// against the first with its p-value (the figures of `l0ctl experiment report`, from the same
// engine function). Hidden when no experiment runs.
class ExperimentPanel final : public QLabel {
    Q_OBJECT
public:
    explicit ExperimentPanel(QWidget *parent = nullptr);
    // error non-empty: the experiments could not be read (the rest of the dashboard stands).
    void showReports(const std::vector<ExperimentReport> &reports, const QString &error);
};

} // namespace l0::ui
