#include <QAbstractButton>
#include <QAbstractScrollArea>
#include <QAccessible>
#include <QApplication>
#include <QComboBox>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

#include "mainwindow.h"
#include "review/reviewwidget.h"
#include "store/store.h"

using namespace l0;

// Accessibility basics on every tab of the console, at 200 % scaling (this test runs with
// QT_SCALE_FACTOR=2) in a window of 960 × 540 logical pixels, which is a 1920 × 1080 screen:
// every control a keyboard reaches has a name a screen reader can say, no button or check box
// is cut off or pushed out of the window, and keyboard focus is visible.
class TestAccessibility : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_url;

    static QString accessibleName(QWidget *w)
    {
        QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(w);
        return iface ? iface->text(QAccessible::Name).trimmed() : QString();
    }

    static QString describe(QWidget *w)
    {
        return QStringLiteral("%1 \"%2\" in %3")
            .arg(QLatin1String(w->metaObject()->className()), w->objectName(),
                w->parentWidget() ? QLatin1String(w->parentWidget()->metaObject()->className()) : QLatin1String("-"));
    }

    // The controls of one tab, as a reviewer at 200 % sees them.
    static void checkTab(QMainWindow &window, QWidget *tab, const QString &name)
    {
        QStringList unnamed, clipped, strayMnemonics;
        const QRect visibleArea = window.rect();
        for (QWidget *w : tab->findChildren<QWidget *>()) {
            // Qt's own parts of a compound control (a spin box's line edit) speak through it.
            if (!w->isVisibleTo(&window) || w->inherits("QScrollBar")
                || w->objectName().startsWith(QLatin1String("qt_")))
                continue;
            // Viewports take focus for their view; the view carries the name.
            if (auto *area = qobject_cast<QAbstractScrollArea *>(w->parentWidget()); area && area->viewport() == w)
                continue;
            if (w->focusPolicy() != Qt::NoFocus && accessibleName(w).isEmpty())
                unnamed << describe(w);
            // "&Query" on a label without a buddy shows the ampersand and moves focus nowhere.
            if (auto *l = qobject_cast<QLabel *>(w); l && l->textFormat() != Qt::RichText && !l->buddy()) {
                static const QRegularExpression mnemonic(QStringLiteral("(^|[^&])&[^&\\s]"));
                if (mnemonic.match(l->text()).hasMatch())
                    strayMnemonics << l->text();
            }
            if (auto *b = qobject_cast<QAbstractButton *>(w)) {
                const QRect inWindow(b->mapTo(&window, QPoint(0, 0)), b->size());
                if (b->width() < b->minimumSizeHint().width() || !visibleArea.contains(inWindow))
                    clipped << QStringLiteral("%1 %2 (%3 px of %4)")
                                   .arg(describe(b), b->text())
                                   .arg(b->width())
                                   .arg(b->minimumSizeHint().width());
            }
        }
        QVERIFY2(unnamed.isEmpty(),
            qPrintable(name + QStringLiteral(": no accessible name: ") + unnamed.join(QStringLiteral("; "))));
        QVERIFY2(strayMnemonics.isEmpty(),
            qPrintable(name + QStringLiteral(": label with a mnemonic but no buddy: ")
                + strayMnemonics.join(QStringLiteral("; "))));
        QVERIFY2(
            clipped.isEmpty(), qPrintable(name + QStringLiteral(": cut off: ") + clipped.join(QStringLiteral("; "))));
    }

private slots:
    void initTestCase()
    {
        QCOMPARE(qApp->devicePixelRatio(), 2.0);
        m_url = QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("a11y.sqlite"));
        auto store = openStore(m_url);
        QVERIFY(store && (*store)->migrate());
        const qint64 tenant = (*store)->addTenant(QStringLiteral("acme"), Policy::Approved)->id;
        Candidate c;
        c.tenantId = tenant;
        c.cacheKey = "k";
        c.model = QStringLiteral("gpt-4o-mini");
        c.query = QStringLiteral("where is my order {order_id}?");
        c.requestJson = "{}";
        c.result.message = QJsonObject { { QStringLiteral("role"), QStringLiteral("assistant") },
            { QStringLiteral("content"), QStringLiteral("Order {order_id} ships tomorrow; call +49 30 1234567.") } };
        c.author = QStringLiteral("upstream:gpt-4o-mini");
        QVERIFY((*store)->addCandidate(c).ok());
    }
    void everyTabAtDoubleScale_data()
    {
        QTest::addColumn<QString>("language");
        QTest::newRow("English") << QString();
        QTest::newRow("German") << QStringLiteral("de"); // the longest words
        QTest::newRow("French") << QStringLiteral("fr");
    }
    void everyTabAtDoubleScale()
    {
        QFETCH(QString, language);
        QTranslator translator;
        if (!language.isEmpty()) {
            QVERIFY(translator.load(QStringLiteral(":/l0/i18n/l0cache_%1.qm").arg(language)));
            QCoreApplication::installTranslator(&translator);
        }
        const auto untranslate = qScopeGuard([&] { QCoreApplication::removeTranslator(&translator); });
        ui::MainWindow window;
        window.resize(960, 540);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy connected(&window, &ui::MainWindow::connected);
        window.openStore(m_url);
        QVERIFY(connected.wait(10000));
        QVERIFY(connected.at(0).at(0).toBool());
        QSignalSpy shown(window.review(), &ui::ReviewWidget::detailShown);
        QVERIFY(window.review()->current().entryId != 0 || shown.wait(10000));
        const QString shots = qEnvironmentVariable("L0_SCREENSHOT_DIR");
        for (int i = 0; i < window.tabs()->count(); ++i) {
            window.tabs()->setCurrentIndex(i);
            QTest::qWait(100);
            checkTab(window, window.tabs()->widget(i), window.tabs()->tabText(i));
            if (!shots.isEmpty())
                QVERIFY(window.grab().save(shots
                    + QStringLiteral("/scale200-%1-tab%2.png")
                          .arg(language.isEmpty() ? QStringLiteral("en") : language)
                          .arg(i)));
        }
    }
    void keyboardFocusIsVisible()
    {
        // A button that gets the focus by Tab looks different from the same button without it.
        QWidget host;
        auto *first = new QPushButton(QStringLiteral("First"), &host);
        auto *button = new QPushButton(QStringLiteral("Approve (A)"), &host);
        button->move(0, 40);
        host.resize(200, 100);
        host.show();
        QVERIFY(QTest::qWaitForWindowActive(&host));
        first->setFocus(Qt::TabFocusReason);
        QTest::qWait(50);
        const QImage without = button->grab().toImage();
        QTest::keyClick(first, Qt::Key_Tab);
        QTRY_VERIFY(button->hasFocus());
        QTest::qWait(50);
        const QImage with = button->grab().toImage();
        QVERIFY(without != with);
    }
};

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("QT_SCALE_FACTOR", "2");
    QApplication app(argc, argv);
    TestAccessibility t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_accessibility.moc"
