#pragma once

#include <QString>
#include <QStringList>
#include <QWidget>

#include <vector>

class QLineEdit;
class QTableWidget;

namespace l0::ui {

// One finding of a safety report, its evidence as UTF-16 ranges of the answer's text (the
// report counts code points).
struct Finding {
    QString detector;
    QString severity;
    QString message;
    double score = 0;
    std::vector<std::pair<qsizetype, qsizetype>> spans;
};
std::vector<Finding> readFindings(const QByteArray &reportJson, const QString &text);

// The safety findings of the open answer: a table (detector, severity, score, evidence,
// message), strongest first, sortable by any column (severity by rank), filtered by a text.
// Choosing a finding asks for its evidence to be selected in the answer.
class FindingsView final : public QWidget {
    Q_OBJECT
public:
    explicit FindingsView(QWidget *parent = nullptr);

    void setFindings(const std::vector<Finding> &findings, const QString &text);
    void setFilter(const QString &text);
    // "detector|score" per listed row, in the order shown.
    QStringList visibleRows() const;

signals:
    void evidenceChosen(qsizetype start, qsizetype end);

private:
    void applyFilter();

    QTableWidget *m_table;
    QLineEdit *m_filter;
};

} // namespace l0::ui
