#include <QTest>

#include <cmath>
#include <random>

#include "semantic/thresholdbook.h"

using namespace l0;

namespace {

double sigmoid(double x)
{
    return 1.0 / (1.0 + std::exp(-x));
}

// Observations drawn from a known model: P(correct | s) = sigmoid(a + b * (s - 0.8) / 0.1),
// s uniform in [0.55, 1]. Deterministic (fixed seed).
void feed(ThresholdBook &book, qint64 tenant, double a, double b, int n, unsigned seed, qint64 entries = 1000)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> sim(0.55, 1.0), u(0.0, 1.0);
    for (int i = 0; i < n; ++i) {
        const double s = sim(rng);
        const bool correct = u(rng) < sigmoid(a + b * ThresholdBook::scaled(s));
        book.observe(tenant, 1 + qint64(i) % entries, s, correct);
    }
}

// Where the model's error 1 - sigmoid(a + b z) equals target: z = (logit(1 - target) - a) / b.
double knownThreshold(double a, double b, double target)
{
    return 0.8 + 0.1 * (std::log((1 - target) / target) - a) / b;
}

} // namespace

// The threshold learner on synthetic sets whose answer is known: it recovers the model, serves
// exactly above the similarity where the error bound meets the target, never before it has
// evidence, and moves one entry's threshold by that entry's own verdicts.
class TestThresholdBook : public QObject {
    Q_OBJECT
private slots:
    void recoversTheModelAndItsThreshold()
    {
        // True model: a = 1, b = 2; the known answer for a target is where the model's error
        // meets it (1%: s = 0.9798).
        ThresholdBook book;
        book.setTarget(1, 0.01);
        feed(book, 1, 1.0, 2.0, 200000, 7);
        const auto fit = book.tenantFit(1);
        QVERIFY(fit.usable);
        QVERIFY2(std::abs(fit.a - 1.0) < 0.15, qPrintable(QString::number(fit.a)));
        QVERIFY2(std::abs(fit.b - 2.0) < 0.15, qPrintable(QString::number(fit.b)));
        const double s1 = knownThreshold(1.0, 2.0, 0.01);
        QVERIFY2(std::abs(s1 - 0.9798) < 0.0005, qPrintable(QString::number(s1)));
        // Entries never observed follow the tenant's: served a little above the known threshold
        // (the confidence margin), refused below it. (2%: away from the top of the scale,
        // where the window is cut.)
        const qint64 fresh = 999999;
        const double s2 = knownThreshold(1.0, 2.0, 0.02);
        QVERIFY2(book.decide(1, fresh, s2 + 0.02, 0.02).serve,
            qPrintable(QString::number(book.decide(1, fresh, s2 + 0.02, 0.02).errorBound)));
        QVERIFY(!book.decide(1, fresh, s2 - 0.01, 0.02).serve);
        QVERIFY(!book.decide(1, fresh, s1 - 0.02).serve);
        const auto at = book.decide(1, fresh, s1);
        QVERIFY2(std::abs(at.estimate - 0.01) < 0.003, qPrintable(QString::number(at.estimate)));
        QVERIFY(at.errorBound > at.estimate);
        // A looser target serves lower similarities.
        const double s5 = knownThreshold(1.0, 2.0, 0.05);
        QVERIFY(s5 < s1 - 0.03);
        QVERIFY(book.decide(1, fresh, s5 + 0.02, 0.05).serve);
        QVERIFY(!book.decide(1, fresh, s5 - 0.01, 0.05).serve);
    }

    void fewObservationsServeNothing()
    {
        ThresholdBook book;
        QVERIFY(!book.decide(1, 1, 1.0).serve); // nothing known: explore
        feed(book, 1, 1.0, 2.0, 20, 3);
        QVERIFY(!book.decide(1, 1, 1.0).serve); // under minObservations
        QVERIFY(!book.tenantFit(1).usable);
        // Below the similarity floor nothing is served whatever the fit says.
        ThresholdOptions o;
        o.minSimilarity = 0.7;
        ThresholdBook loose(o);
        feed(loose, 1, 6.0, 2.0, 5000, 5);
        QVERIFY(loose.decide(1, 1, 0.75, 0.5).serve);
        QVERIFY(!loose.decide(1, 1, 0.69, 0.5).serve);
    }

    void confidenceWidensWithFewerObservations()
    {
        ThresholdBook many, few;
        feed(many, 1, 1.0, 2.0, 40000, 11);
        feed(few, 1, 1.0, 2.0, 400, 11);
        const auto m = many.decide(1, 99999, 0.97);
        const auto f = few.decide(1, 99999, 0.97);
        QVERIFY(few.tenantFit(1).usable);
        QVERIFY2(f.errorBound - f.estimate > m.errorBound - m.estimate,
            qPrintable(
                QStringLiteral("%1 %2 / %3 %4").arg(f.errorBound).arg(f.estimate).arg(m.errorBound).arg(m.estimate)));
    }

    // Exploit only with confidence: a low observed error on few observations is not enough.
    void servesOnlyWithConfidence()
    {
        ThresholdBook book;
        for (int i = 0; i < 40; ++i)
            book.observe(1, 1000 + i, 0.95, i != 0); // 1 wrong in 40: 2.5%
        const auto few = book.decide(1, 1, 0.95, 0.05);
        QVERIFY(few.estimate <= 0.05);
        QVERIFY(few.errorBound > 0.05);
        QVERIFY(!few.serve);
        for (int i = 0; i < 2000; ++i)
            book.observe(1, 2000 + i, 0.95, i % 40 != 0); // the same 2.5%, 50 times the evidence
        const auto many = book.decide(1, 1, 0.95, 0.05);
        QVERIFY(many.errorBound <= 0.05);
        QVERIFY(many.serve);
    }

    void entryVerdictsMoveItsThreshold()
    {
        ThresholdBook book;
        book.setTarget(1, 0.05);
        feed(book, 1, 1.0, 2.0, 40000, 13);
        const double s = 0.97; // well above the known threshold for 5%: served for a fresh entry
        QVERIFY(s > knownThreshold(1.0, 2.0, 0.05) + 0.03);
        QVERIFY(book.decide(1, 500000, s).serve);
        const double before = book.decide(1, 500001, s).errorBound;
        // Entry 500000's neighbours proved wrong at high similarity: its own threshold rises.
        for (int i = 0; i < 4; ++i)
            book.feedVerdict(1, QString(), 500000, 1, 0.99, false);
        QVERIFY(!book.decide(1, 500000, s).serve);
        QVERIFY(!book.decide(1, 500000, 1.0).serve);
        // The others' barely move.
        QVERIFY(book.decide(1, 500001, s).serve);
        QVERIFY(book.decide(1, 500001, s).errorBound < before + 0.005);
        // Entry 500002's proved right well below: its threshold falls below the tenant's.
        const double low = knownThreshold(1.0, 2.0, 0.05) - 0.02;
        QVERIFY(!book.decide(1, 500002, low).serve);
        for (int i = 0; i < 12; ++i)
            book.observe(1, 500002, 0.85, true);
        QVERIFY(book.decide(1, 500002, low).serve);
        book.forget(1, 500002);
        QVERIFY(!book.decide(1, 500002, low).serve);
    }
};

QTEST_GUILESS_MAIN(TestThresholdBook)
#include "tst_thresholdbook.moc"
