#include "diffview.h"

#include <QAbstractTextDocumentLayout>
#include <QHBoxLayout>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextDocument>

#include "diffoverview.h"
#include "review/worddiff.h"

namespace l0::ui {

QString htmlText(const QString &text)
{
    return text.toHtmlEscaped().replace(QLatin1Char('\n'), QLatin1String("<br>"));
}

namespace {

struct Palette {
    QColor del, ins;
    QString delStyle, insStyle;
};

Palette paletteFor(DiffView::Kind kind)
{
    if (kind == DiffView::Kind::Alternatives)
        return { QColor(0xffe0b2), QColor(0xd1c4e9),
            QStringLiteral("<span style=\"background:#ffe0b2;color:#000\">%1</span>"),
            QStringLiteral("<span style=\"background:#d1c4e9;color:#000\">%1</span>") };
    return { QColor(0xffcdd2), QColor(0xc8e6c9),
        QStringLiteral("<span style=\"background:#ffcdd2;color:#000;text-decoration:line-through\">%1</span>"),
        QStringLiteral("<span style=\"background:#c8e6c9;color:#000\">%1</span>") };
}

} // namespace

DiffView::DiffView(QWidget *parent)
    : QWidget(parent)
    , m_browser(new QTextBrowser(this))
    , m_overview(new DiffOverview(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_browser, 1);
    layout->addWidget(m_overview);
    connect(m_overview, &DiffOverview::changeClicked, this, [this](int index) {
        m_current = index - 1;
        step(1);
    });
}

void DiffView::setTexts(
    const QString &left, const QString &right, const QString &leftTitle, const QString &rightTitle, Kind kind)
{
    m_left = left;
    m_right = right;
    m_leftTitle = leftTitle;
    m_rightTitle = rightTitle;
    m_kind = kind;
    m_hasTexts = true;
    render();
}

void DiffView::setMessage(const QString &html)
{
    m_hasTexts = false;
    m_changeCount = 0;
    m_current = -1;
    m_browser->setHtml(html);
    m_overview->setMarks({});
}

void DiffView::setSideBySide(bool on)
{
    m_sideBySide = on;
    if (m_hasTexts)
        render();
}

void DiffView::render()
{
    const auto ops = wordDiff(m_left, m_right);
    const Palette pal = paletteFor(m_kind);
    std::vector<QColor> changeColors;
    auto anchor = [&](const QColor &color) -> QString {
        const QString a = QStringLiteral("<a name=\"c%1\"></a>").arg(changeColors.size());
        changeColors.push_back(color);
        return a;
    };
    QString html;
    if (!m_sideBySide) {
        for (const DiffOp &op : ops) {
            const QString t = htmlText(op.text);
            if (op.kind == DiffOp::Equal)
                html += t;
            else if (op.kind == DiffOp::Delete)
                html += anchor(pal.del) + pal.delStyle.arg(t);
            else
                html += anchor(pal.ins) + pal.insStyle.arg(t);
        }
    } else {
        // One table row per line; the changed ranges of each side marked.
        auto mark = [](const QString &line, const std::vector<std::pair<qsizetype, qsizetype>> &ranges,
                        const QString &style) -> QString {
            QString out;
            qsizetype pos = 0;
            for (const auto &[a, b] : ranges) {
                out += line.mid(pos, a - pos).toHtmlEscaped();
                out += style.arg(line.mid(a, b - a).toHtmlEscaped());
                pos = b;
            }
            return out + line.mid(pos).toHtmlEscaped();
        };
        html = QStringLiteral(
            "<table width=\"100%\" cellspacing=\"0\" cellpadding=\"2\"><tr><th>%1</th><th>%2</th></tr>")
                   .arg(m_leftTitle.toHtmlEscaped(), m_rightTitle.toHtmlEscaped());
        for (const DiffRow &row : l0::sideBySide(ops)) {
            QString a;
            if (row.changed())
                a = anchor(row.leftChanged.empty() ? pal.ins : row.rightChanged.empty() ? pal.del : QColor(0xffe082));
            html += QStringLiteral(
                "<tr><td width=\"50%\" valign=\"top\">%1%2</td><td width=\"50%\" valign=\"top\">%3</td></tr>")
                        .arg(a, row.leftPresent ? mark(row.left, row.leftChanged, pal.delStyle) : QString(),
                            row.rightPresent ? mark(row.right, row.rightChanged, pal.insStyle) : QString());
        }
        html += QStringLiteral("</table>");
    }
    m_browser->setHtml(html);
    m_changeCount = int(changeColors.size());
    m_current = -1;
    // Where each change sits in the laid-out text, for the overview strip.
    std::vector<DiffOverview::Mark> marks;
    QTextDocument *doc = m_browser->document();
    QAbstractTextDocumentLayout *layout = doc->documentLayout();
    const double height = std::max(1.0, layout->documentSize().height());
    for (QTextBlock block = doc->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            for (const QString &name : it.fragment().charFormat().anchorNames()) {
                bool ok = false;
                const int index = name.mid(1).toInt(&ok);
                if (name.startsWith(QLatin1Char('c')) && ok && size_t(index) < changeColors.size())
                    marks.push_back({ layout->blockBoundingRect(block).top() / height, changeColors[size_t(index)] });
            }
        }
    }
    m_overview->setMarks(std::move(marks));
}

bool DiffView::step(int delta)
{
    if (m_changeCount == 0)
        return false;
    m_current = ((m_current + delta) % m_changeCount + m_changeCount) % m_changeCount;
    m_browser->scrollToAnchor(QStringLiteral("c%1").arg(m_current));
    m_overview->setCurrent(m_current);
    emit changeShown(m_current, m_changeCount);
    return true;
}

} // namespace l0::ui
