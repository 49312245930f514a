#include <QTest>

#include "normalize/slottemplate.h"

using namespace l0;

class TestSlotTemplate : public QObject {
    Q_OBJECT
private slots:
    void proposesFromLiteralValues()
    {
        const ProposedTemplate t
            = proposeTemplate(QStringLiteral("Order 12345 is cancelled; a refund goes to jane@example.com."),
                { { QStringLiteral("order_id"), QStringLiteral("12345") },
                    { QStringLiteral("email"), QStringLiteral("jane@example.com") } });
        QVERIFY(t.changed());
        QCOMPARE(t.text, QStringLiteral("Order {order_id} is cancelled; a refund goes to {email}."));
        QCOMPARE(t.slotsUsed, QStringList({ QStringLiteral("email"), QStringLiteral("order_id") }));
    }
    void leavesAnswersWithoutValuesAlone()
    {
        const ProposedTemplate t = proposeTemplate(
            QStringLiteral("Use the {curly} menu."), { { QStringLiteral("order_id"), QStringLiteral("999") } });
        QVERIFY(!t.changed());
        QCOMPARE(t.text, QStringLiteral("Use the {curly} menu."));
        QVERIFY(!proposeTemplate(QStringLiteral("a 12 b"), { { QStringLiteral("n"), QStringLiteral("12") } })
                     .changed()); // too short
    }
    void fillsAndRefusesMissingSlots()
    {
        const QString tmpl = QStringLiteral("Order {order_id} is on its way.");
        QCOMPARE(fillTemplate(tmpl, { { QStringLiteral("order_id"), QStringLiteral("777") } }).value(),
            QStringLiteral("Order 777 is on its way."));
        QVERIFY(!fillTemplate(tmpl, {}).has_value());
        QVERIFY(!fillTemplate(tmpl, { { QStringLiteral("email"), QStringLiteral("x@y.z") } }).has_value());
        QCOMPARE(fillTemplate(QStringLiteral("No slots here."), {}).value(), QStringLiteral("No slots here."));
        QCOMPARE(templateSlots(QStringLiteral("{a} and {b} and {a} but {{not}}")),
            QStringList({ QStringLiteral("a"), QStringLiteral("b") }));
    }
    void roundTripKeepsLiteralBraces()
    {
        const QString answer = QStringLiteral("Run `x {y}` for order ORD-5555.");
        const ProposedTemplate t
            = proposeTemplate(answer, { { QStringLiteral("order_id"), QStringLiteral("ORD-5555") } });
        QCOMPARE(t.text, QStringLiteral("Run `x {{y}}` for order {order_id}."));
        QCOMPARE(fillTemplate(t.text, { { QStringLiteral("order_id"), QStringLiteral("ORD-5555") } }).value(), answer);
        QCOMPARE(fillTemplate(t.text, { { QStringLiteral("order_id"), QStringLiteral("Z-1}}") } }).value(),
            QStringLiteral("Run `x {y}` for order Z-1}}."));
    }
};

QTEST_APPLESS_MAIN(TestSlotTemplate)
#include "tst_slottemplate.moc"
