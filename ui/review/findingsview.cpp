#include "findingsview.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QTableWidget>
#include <QVBoxLayout>

namespace l0::ui {

namespace {

// Code point offsets -> UTF-16 indexes.
std::vector<qsizetype> utf16Index(const QString &text)
{
    std::vector<qsizetype> out;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i).isLowSurrogate() && i > 0 && text.at(i - 1).isHighSurrogate())
            continue;
        out.push_back(i);
    }
    out.push_back(text.size());
    return out;
}

// Sorts by a rank (severity: low < medium < high) rather than by its text.
class RankedItem final : public QTableWidgetItem {
public:
    RankedItem(const QString &text, int rank)
        : QTableWidgetItem(text)
    {
        setData(Qt::UserRole, rank);
    }
    bool operator<(const QTableWidgetItem &other) const override
    {
        return data(Qt::UserRole).toInt() < other.data(Qt::UserRole).toInt();
    }
};

} // namespace

std::vector<Finding> readFindings(const QByteArray &reportJson, const QString &text)
{
    const auto map = utf16Index(text);
    std::vector<Finding> out;
    for (const QJsonValue &v :
        QJsonDocument::fromJson(reportJson).object().value(QLatin1String("findings")).toArray()) {
        const QJsonObject f = v.toObject();
        Finding finding { f.value(QLatin1String("detector")).toString(), f.value(QLatin1String("severity")).toString(),
            f.value(QLatin1String("message")).toString(), f.value(QLatin1String("score")).toDouble(), {} };
        for (const QJsonValue &span : f.value(QLatin1String("spans")).toArray()) {
            const qint64 a = span.toArray().at(0).toInteger(), b = span.toArray().at(1).toInteger();
            if (a >= 0 && b > a && size_t(b) < map.size())
                finding.spans.emplace_back(map[size_t(a)], map[size_t(b)]);
        }
        out.push_back(std::move(finding));
    }
    return out;
}

FindingsView::FindingsView(QWidget *parent)
    : QWidget(parent)
    , m_table(new QTableWidget(this))
    , m_filter(new QLineEdit(this))
{
    m_table->setAccessibleName(tr("Safety findings"));
    m_table->setColumnCount(5);
    m_table->setHorizontalHeaderLabels({ tr("Detector"), tr("Severity"), tr("Score"), tr("Evidence"), tr("Message") });
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->setToolTip(tr("Click a header to sort; choose a finding to highlight its evidence in the answer"));
    m_filter->setPlaceholderText(tr("Filter findings"));
    m_filter->setAccessibleName(tr("Filter safety findings by detector, severity or text"));
    m_filter->setClearButtonEnabled(true);

    auto *title = new QHBoxLayout;
    title->addWidget(new QLabel(tr("<b>Safety findings</b>"), this), 1);
    title->addWidget(m_filter);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(title);
    layout->addWidget(m_table, 1);

    connect(m_filter, &QLineEdit::textChanged, this, &FindingsView::applyFilter);
    connect(m_table, &QTableWidget::currentCellChanged, this, [this](int row) {
        if (row < 0 || row >= m_table->rowCount())
            return;
        const qsizetype start = m_table->item(row, 0)->data(Qt::UserRole).toLongLong();
        const qsizetype end = m_table->item(row, 0)->data(Qt::UserRole + 1).toLongLong();
        if (start >= 0)
            emit evidenceChosen(start, end);
    });
}

void FindingsView::setFindings(const std::vector<Finding> &findings, const QString &text)
{
    static const QHash<QString, int> severityRank { { QStringLiteral("low"), 1 }, { QStringLiteral("medium"), 2 },
        { QStringLiteral("high"), 3 } };
    const QSignalBlocker block(m_table);
    m_table->setSortingEnabled(false);
    m_table->setRowCount(0);
    for (const Finding &f : findings) {
        // A row keeps its first evidence span.
        const qsizetype start = f.spans.empty() ? -1 : f.spans.front().first;
        const qsizetype end = f.spans.empty() ? -1 : f.spans.front().second;
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        auto *detector = new QTableWidgetItem(f.detector);
        detector->setData(Qt::UserRole, start);
        detector->setData(Qt::UserRole + 1, end);
        auto *score = new QTableWidgetItem;
        score->setData(Qt::DisplayRole, f.score);
        score->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_table->setItem(row, 0, detector);
        m_table->setItem(row, 1, new RankedItem(f.severity, severityRank.value(f.severity)));
        m_table->setItem(row, 2, score);
        m_table->setItem(
            row, 3, new QTableWidgetItem(start >= 0 ? text.mid(start, end - start).simplified() : QString()));
        m_table->setItem(row, 4, new QTableWidgetItem(f.message));
    }
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(2, Qt::DescendingOrder); // strongest first
    applyFilter();
}

void FindingsView::setFilter(const QString &text)
{
    m_filter->setText(text);
}

void FindingsView::applyFilter()
{
    const QString needle = m_filter->text().trimmed();
    for (int row = 0; row < m_table->rowCount(); ++row) {
        bool match = needle.isEmpty();
        for (int c = 0; c < m_table->columnCount() && !match; ++c)
            match = m_table->item(row, c)->text().contains(needle, Qt::CaseInsensitive);
        m_table->setRowHidden(row, !match);
    }
}

QStringList FindingsView::visibleRows() const
{
    QStringList out;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        if (!m_table->isRowHidden(row))
            out << m_table->item(row, 0)->text() + QLatin1Char('|') + m_table->item(row, 2)->text();
    }
    return out;
}

} // namespace l0::ui
