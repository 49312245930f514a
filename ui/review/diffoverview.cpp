#include "diffoverview.h"

#include <QMouseEvent>
#include <QPainter>

#include <cmath>

namespace l0::ui {

DiffOverview::DiffOverview(QWidget *parent)
    : QWidget(parent)
{
    setFixedWidth(12);
    setToolTip(tr("Where the changes are; click to go to one"));
    setAccessibleName(tr("Overview of the changes"));
}

void DiffOverview::setMarks(std::vector<Mark> marks)
{
    m_marks = std::move(marks);
    m_current = -1;
    update();
}

void DiffOverview::setCurrent(int index)
{
    m_current = index;
    update();
}

void DiffOverview::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::AlternateBase));
    const int h = std::max(1, height() - 3);
    for (int i = 0; i < int(m_marks.size()); ++i) {
        const int y = int(std::lround(m_marks[size_t(i)].at * h));
        p.fillRect(QRect(1, y, width() - 2, 3), m_marks[size_t(i)].color.darker(115));
        if (i == m_current) {
            p.setPen(QPen(palette().color(QPalette::Text), 1));
            p.drawRect(QRect(0, y - 2, width() - 1, 6));
        }
    }
}

void DiffOverview::mousePressEvent(QMouseEvent *event)
{
    if (m_marks.empty())
        return;
    const double at = event->position().y() / std::max(1, height());
    int best = 0;
    for (int i = 1; i < int(m_marks.size()); ++i) {
        if (std::abs(m_marks[size_t(i)].at - at) < std::abs(m_marks[size_t(best)].at - at))
            best = i;
    }
    emit changeClicked(best);
}

} // namespace l0::ui
