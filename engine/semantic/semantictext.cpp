#include "semantictext.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

#include <optional>

#include "cache/exactkey.h"
#include "core/text.h"

namespace l0 {

namespace {

QSet<QString> wordSet(const char *list)
{
    QSet<QString> s;
    for (const QString &w : QString::fromUtf8(list).split(QLatin1Char(' '), Qt::SkipEmptyParts))
        s.insert(w);
    return s;
}

const QSet<QString> &stopWords()
{
    static const QSet<QString> s = wordSet(
        "a an the and or but if then so of to in on at by for with from into onto about as than that this these those "
        "is are was were be been being am do does did doing have has had having will would shall should can could may "
        "might must i me my mine myself you your yours we us our ours he him his she her hers it its they them their "
        "what which who whom whose when where why how there here just also very really any some such own same other "
        "only more most much many few s t ll ve re d m up out over again once all both each "
        "der die das den dem des ein eine einen einem einer und oder aber ist sind war waren bin bist sein ich du er "
        "sie es wir ihr mein meine mich mir dich dir wie was wer wo warum wann zu im am an auf mit von für bei");
    return s;
}

const QSet<QString> &negationCues()
{
    static const QSet<QString> s
        = wordSet("not no never nothing nobody none neither nor without cannot nicht kein keine keinen keinem keiner "
                  "keines nie niemals nichts ohne");
    return s;
}

} // namespace

QString semanticText(const ChatRequest &request)
{
    if (request.messages.isEmpty())
        return {};
    const QJsonObject last = request.messages.last().toObject();
    if (last.value(QLatin1String("role")).toString() != QLatin1String("user"))
        return {};
    return request.lastUserText().trimmed();
}

QByteArray semanticContext(qint64 tenantId, const QString &ns, const ChatRequest &request)
{
    ChatRequest r = request;
    if (!r.messages.isEmpty()) {
        QJsonObject last = r.messages.last().toObject();
        last.insert(QLatin1String("content"), QString());
        r.messages.replace(r.messages.size() - 1, last);
    }
    r.stream = false;
    return sha256Hex(canonicalExactRequest(tenantId, ns, r));
}

QStringList semanticWords(const QString &text)
{
    QStringList out;
    QString cur;
    const QString lower = text.toLower();
    auto flush = [&]() {
        if (cur.isEmpty())
            return;
        out << cur;
        cur.clear();
    };
    for (qsizetype i = 0; i < lower.size(); ++i) {
        const QChar c = lower.at(i);
        if (c.isLetterOrNumber()) {
            cur += c;
            continue;
        }
        const bool apostrophe = c == QLatin1Char('\'') || c == QChar(0x2019);
        if (apostrophe && !cur.isEmpty() && i + 1 < lower.size() && lower.at(i + 1) == QLatin1Char('t')
            && cur.endsWith(QLatin1Char('n')) && (i + 2 >= lower.size() || !lower.at(i + 2).isLetter())) {
            // "don't", "isn't", "can't", "won't"
            cur.chop(1);
            if (cur == QLatin1String("ca"))
                cur = QStringLiteral("can");
            else if (cur == QLatin1String("wo"))
                cur = QStringLiteral("will");
            flush();
            out << QStringLiteral("not");
            ++i;
            continue;
        }
        flush();
    }
    flush();
    return out;
}

bool isStopWord(const QString &word)
{
    return stopWords().contains(word);
}

bool isNegationCue(const QString &word)
{
    return negationCues().contains(word);
}

QString lightStem(const QString &w)
{
    if (w.size() <= 3 || !w.at(0).isLetter())
        return w;
    auto strip = [&](const char *suffix, int minStem) -> std::optional<QString> {
        const QLatin1String s(suffix);
        if (w.endsWith(s) && w.size() - s.size() >= minStem)
            return w.left(w.size() - s.size());
        return std::nullopt;
    };
    for (const char *s : { "ational", "ization", "fulness", "ousness", "iveness" })
        if (auto r = strip(s, 3))
            return *r;
    for (const char *s :
        { "ments", "ment", "ness", "ings", "ing", "edly", "ies", "ied", "ers", "er", "ed", "ly", "es", "s", "e" }) {
        if (auto r = strip(s, 3)) {
            if (QLatin1String(s) == QLatin1String("ies") || QLatin1String(s) == QLatin1String("ied"))
                return *r + QLatin1Char('y');
            if (QLatin1String(s) == QLatin1String("s") && w.endsWith(QLatin1String("ss")))
                return w;
            QString stem = *r;
            // "stopping" -> "stop", "planned" -> "plan"
            if (stem.size() >= 4 && stem.at(stem.size() - 1) == stem.at(stem.size() - 2)
                && !QStringLiteral("lsz").contains(stem.at(stem.size() - 1)))
                stem.chop(1);
            return stem;
        }
    }
    return w;
}

} // namespace l0
