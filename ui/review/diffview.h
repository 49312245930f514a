#pragma once

#include <QWidget>

class QTextBrowser;

namespace l0::ui {

class DiffOverview;

// Text for rich-text views: escaped, line breaks kept.
QString htmlText(const QString &text);

// A word diff of two texts, inline or side by side (one document, so both sides scroll
// together), with an overview strip of where the changes are and stepping from change to
// change. A revision (approved → candidate) reads as deletions and insertions; alternatives
// (candidate A, candidate B) as "only in A" and "only in B", neither colour a verdict.
class DiffView final : public QWidget {
    Q_OBJECT
public:
    enum class Kind { Revision, Alternatives };
    explicit DiffView(QWidget *parent = nullptr);

    void setTexts(
        const QString &left, const QString &right, const QString &leftTitle, const QString &rightTitle, Kind kind);
    // Nothing to compare: a note instead of a diff.
    void setMessage(const QString &html);
    void setSideBySide(bool on);
    bool sideBySide() const { return m_sideBySide; }
    int changeCount() const { return m_changeCount; }
    int currentChange() const { return m_current; }
    // Goes to the next (1) or previous (-1) change, round the ends; false when there is none.
    bool step(int delta);
    QTextBrowser *browser() const { return m_browser; }

signals:
    void changeShown(int index, int count);

private:
    void render();

    QTextBrowser *m_browser;
    DiffOverview *m_overview;
    QString m_left, m_right, m_leftTitle, m_rightTitle;
    Kind m_kind = Kind::Revision;
    bool m_hasTexts = false;
    bool m_sideBySide = false;
    int m_changeCount = 0;
    int m_current = -1;
};

} // namespace l0::ui
