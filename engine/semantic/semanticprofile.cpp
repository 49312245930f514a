#include "semanticprofile.h"

#include <QRegularExpression>

#include <algorithm>

#include "semantictext.h"

namespace l0 {

namespace {

bool isCalendarWord(const QString &w)
{
    static const QSet<QString> s = [] {
        QSet<QString> out;
        for (const QString &x : QStringLiteral(
                 "january february march april may june july august september october november december jan feb mar "
                 "apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday "
                 "today tomorrow yesterday tonight morning evening night weekend")
                                    .split(QLatin1Char(' '), Qt::SkipEmptyParts))
            out.insert(x);
        out.remove(QStringLiteral("may")); // mostly the verb
        out.remove(QStringLiteral("march"));
        return out;
    }();
    return s.contains(w);
}

QString questionForm(const QStringList &words)
{
    static const QSet<QString> yesNo { QStringLiteral("is"), QStringLiteral("are"), QStringLiteral("was"),
        QStringLiteral("were"), QStringLiteral("do"), QStringLiteral("does"), QStringLiteral("did"),
        QStringLiteral("can"), QStringLiteral("could"), QStringLiteral("should"), QStringLiteral("would"),
        QStringLiteral("will"), QStringLiteral("shall"), QStringLiteral("may"), QStringLiteral("might"),
        QStringLiteral("must"), QStringLiteral("am"), QStringLiteral("has"), QStringLiteral("have"),
        QStringLiteral("had") };
    for (qsizetype i = 0; i < std::min<qsizetype>(4, words.size()); ++i) {
        const QString &w = words.at(i);
        if (w == QLatin1String("why"))
            return QStringLiteral("why");
        if (w == QLatin1String("who") || w == QLatin1String("whom") || w == QLatin1String("whose"))
            return QStringLiteral("who");
        if (w == QLatin1String("when"))
            return QStringLiteral("when");
        if (w == QLatin1String("where"))
            return QStringLiteral("where");
        if (w == QLatin1String("what") || w == QLatin1String("which") || w == QLatin1String("how"))
            return QStringLiteral("open");
    }
    if (!words.isEmpty() && yesNo.contains(words.first()))
        return QStringLiteral("yes_no");
    return QStringLiteral("statement");
}

} // namespace

SemanticProfile SemanticProfile::of(const QString &text, const QByteArray &context)
{
    SemanticProfile p;
    p.text = text;
    p.context = context;
    static const QRegularExpression email(QStringLiteral("[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+"));
    for (auto it = email.globalMatch(text); it.hasNext();)
        p.slotValues << it.next().captured(0).toLower();
    const QStringList words = semanticWords(text);
    p.form = questionForm(words);
    int negScope = 0;
    QSet<QString> seen;
    for (const QString &w : words) {
        if (isNegationCue(w)) {
            ++p.negations;
            negScope = 3;
            continue;
        }
        bool digit = false;
        for (QChar c : w)
            digit = digit || c.isDigit();
        if (digit || isCalendarWord(w))
            p.slotValues << w;
        if (isStopWord(w))
            continue;
        const QString stem = lightStem(w);
        if (negScope > 0) {
            p.negated.insert(stem);
            --negScope;
        }
        if (!seen.contains(stem)) {
            seen.insert(stem);
            p.contentStems << stem;
        }
    }
    std::sort(p.slotValues.begin(), p.slotValues.end());
    p.slotValues.erase(std::unique(p.slotValues.begin(), p.slotValues.end()), p.slotValues.end());
    return p;
}

} // namespace l0
