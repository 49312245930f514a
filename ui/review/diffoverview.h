#pragma once

#include <QColor>
#include <QWidget>

#include <vector>

namespace l0::ui {

// A slim strip beside a diff: one tick per change at its place in the whole text, the current
// one outlined (as in the diff tools reviewers know). A click asks to go to the nearest change.
class DiffOverview final : public QWidget {
    Q_OBJECT
public:
    struct Mark {
        double at = 0; // 0..1 down the document
        QColor color;
    };
    explicit DiffOverview(QWidget *parent = nullptr);

    void setMarks(std::vector<Mark> marks);
    void setCurrent(int index);
    int count() const { return int(m_marks.size()); }
    QSize sizeHint() const override { return { 12, 100 }; }
    QSize minimumSizeHint() const override { return { 8, 20 }; }

signals:
    void changeClicked(int index);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;

private:
    std::vector<Mark> m_marks;
    int m_current = -1;
};

} // namespace l0::ui
