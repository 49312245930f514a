#include "intentmatcher.h"

#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace l0 {

namespace {

bool isAscii(const QString &s)
{
    for (QChar c : s) {
        if (c.unicode() >= 0x80)
            return false;
    }
    return true;
}

bool isVowel(QChar c)
{
    return c == QLatin1Char('a') || c == QLatin1Char('e') || c == QLatin1Char('i') || c == QLatin1Char('o')
        || c == QLatin1Char('u');
}

bool hasVowel(const QString &s, qsizetype upTo)
{
    for (qsizetype i = 0; i < upTo; ++i) {
        if (isVowel(s.at(i)) || (i > 0 && s.at(i) == QLatin1Char('y')))
            return true;
    }
    return false;
}

} // namespace

QString IntentMatch::key() const
{
    if (abstained)
        return {};
    QStringList names;
    for (const SlotValue &s : slotValues) {
        if (!names.contains(s.name))
            names << s.name;
    }
    std::sort(names.begin(), names.end());
    return names.isEmpty() ? intent : intent + QLatin1Char('|') + names.join(QLatin1Char(','));
}

IntentMatcher::IntentMatcher(std::shared_ptr<const RulePack> pack)
    : m_pack(std::move(pack))
{
    for (int i = 0; i < int(m_pack->intents.size()); ++i) {
        const Intent &in = m_pack->intents[size_t(i)];
        // Sorted so the postings (and so the summation order) do not depend on hash order.
        QStringList names = in.features.keys();
        std::sort(names.begin(), names.end());
        for (const QString &f : names)
            m_postings[f].push_back(Posting { i, in.features.value(f) });
    }
    // The words that make each intent what it is: unigram features weighing at least half of
    // the intent's heaviest one. A query negating one of them is not asking for that intent.
    for (int i = 0; i < int(m_pack->intents.size()); ++i) {
        const Intent &in = m_pack->intents[size_t(i)];
        if (in.abstain)
            continue;
        qint32 heaviest = 0;
        for (auto it = in.features.begin(); it != in.features.end(); ++it) {
            if (!it.key().contains(QLatin1Char(' ')) && !it.key().startsWith(QLatin1String("not_")))
                heaviest = std::max(heaviest, it.value());
        }
        for (auto it = in.features.begin(); it != in.features.end(); ++it) {
            if (heaviest > 0 && !it.key().contains(QLatin1Char(' ')) && !it.key().startsWith(QLatin1String("not_"))
                && !it.key().startsWith(QLatin1Char('<')) && it.value() * 2 >= heaviest)
                m_definingWords.insert(it.key());
        }
    }
    m_negationCues = QSet<QString>(m_pack->negationCues.begin(), m_pack->negationCues.end());
    m_clauseBreakers = QSet<QString>(m_pack->clauseBreakers.begin(), m_pack->clauseBreakers.end());
    m_conjunctions = QSet<QString>(m_pack->conjunctions.begin(), m_pack->conjunctions.end());
    for (auto it = m_pack->contractions.begin(); it != m_pack->contractions.end(); ++it) {
        if (it.key().startsWith(QLatin1Char('\'')) || it.key().startsWith(QLatin1String("n'")))
            m_contractionSuffixes.append({ it.key(), it.value() });
        else
            m_contractionWords.insert(it.key(), it.value());
    }
    std::sort(m_contractionSuffixes.begin(), m_contractionSuffixes.end(), [](const auto &a, const auto &b) {
        return a.first.size() != b.first.size() ? a.first.size() > b.first.size() : a.first < b.first;
    });
}

QString IntentMatcher::stem(const QString &w)
{
    if (w.size() <= 3 || !isAscii(w) || w.startsWith(QLatin1Char('<')))
        return w;
    QString s = w;
    if (s.endsWith(QLatin1String("sses")))
        s.chop(2);
    else if (s.endsWith(QLatin1String("ies")) && s.size() > 4)
        s = s.left(s.size() - 3) + QLatin1Char('y');
    else if (s.endsWith(QLatin1Char('s')) && !s.endsWith(QLatin1String("ss")) && !s.endsWith(QLatin1String("us"))
        && !s.endsWith(QLatin1String("is")))
        s.chop(1);
    bool chopped = false;
    if (s.endsWith(QLatin1String("ing")) && s.size() > 5 && hasVowel(s, s.size() - 3)) {
        s.chop(3);
        chopped = true;
    } else if (s.endsWith(QLatin1String("ed")) && s.size() > 4 && hasVowel(s, s.size() - 2)) {
        s.chop(2);
        chopped = true;
    }
    if (chopped && s.size() >= 3) {
        const QChar a = s.at(s.size() - 1), b = s.at(s.size() - 2);
        if (a == b && !isVowel(a) && a != QLatin1Char('l') && a != QLatin1Char('s') && a != QLatin1Char('z'))
            s.chop(1); // stopped -> stop
    }
    if (s.endsWith(QLatin1String("ll")) && s.size() > 5)
        s.chop(1); // cancelled, cancelling -> cancel
    if (s.endsWith(QLatin1String("ly")) && s.size() > 5)
        s.chop(2);
    if (s.endsWith(QLatin1Char('e')) && s.size() > 4)
        s.chop(1); // arrive/arrived/arriving -> arriv
    return s;
}

QStringList IntentMatcher::rawTokens(const QString &input, std::vector<SlotValue> *slotOut, QStringList *trace) const
{
    // 1. Unicode NFKC (ASCII is already in NFKC).
    QString text = isAscii(input) ? input : input.normalized(QString::NormalizationForm_KC);
    if (trace)
        *trace << QStringLiteral("nfkc:         %1").arg(text);

    // 2. Slots: typed placeholders, values kept. Earlier patterns win.
    struct Span {
        qsizetype start, end;
        QString name, value;
    };
    std::vector<Span> spans;
    // Which ASCII characters occur (case-folded), so patterns whose trigger characters are
    // all absent are skipped without running their regular expression.
    bool present[128] = {};
    bool nonAscii = false;
    for (QChar c : text) {
        const char16_t u = c.unicode();
        if (u < 128)
            present[u >= 'A' && u <= 'Z' ? u + 32 : u] = true;
        else
            nonAscii = true;
    }
    for (const SlotPattern &p : m_pack->slotPatterns) {
        if (!p.trigger.isEmpty() && !nonAscii) {
            bool any = false;
            for (QChar t : p.trigger) {
                const char16_t u = t.unicode();
                if (u >= 128 || present[u >= 'A' && u <= 'Z' ? u + 32 : u]) {
                    any = true;
                    break;
                }
            }
            if (!any)
                continue;
        }
        auto it = p.regex.globalMatch(text);
        while (it.hasNext()) {
            const auto m = it.next();
            const int g = m.lastCapturedIndex() >= 1 ? 1 : 0;
            const qsizetype s = m.capturedStart(g), e = m.capturedEnd(g);
            if (s < 0 || e <= s)
                continue;
            const bool overlaps
                = std::any_of(spans.begin(), spans.end(), [&](const Span &x) { return s < x.end && x.start < e; });
            if (overlaps)
                continue;
            QString name = p.name;
            QString value = m.captured(g);
            if (p.name == QLatin1String("placeholder")) {
                // "{{Order Number}}" is a placeholder for the slot order_number.
                name = value.toCaseFolded().simplified().replace(QLatin1Char(' '), QLatin1Char('_'));
                static const QRegularExpression nonIdent(QStringLiteral("[^\\w]"));
                name.remove(nonIdent);
                if (name.isEmpty())
                    continue;
            }
            spans.push_back(Span { s, e, name, value });
        }
    }
    std::sort(spans.begin(), spans.end(), [](const Span &a, const Span &b) { return a.start < b.start; });
    if (!spans.empty()) {
        QString replaced;
        qsizetype pos = 0;
        for (const Span &sp : spans) {
            replaced += text.mid(pos, sp.start - pos);
            replaced += QStringLiteral(" <%1> ").arg(sp.name);
            pos = sp.end;
            if (slotOut)
                slotOut->push_back(SlotValue { sp.name, sp.value });
        }
        replaced += text.mid(pos);
        text = replaced;
    }
    if (trace) {
        QStringList s;
        for (const Span &sp : spans)
            s << QStringLiteral("%1=%2").arg(sp.name, sp.value);
        *trace << QStringLiteral("slots:        %1")
                      .arg(s.isEmpty() ? QStringLiteral("(none)") : s.join(QStringLiteral(", ")));
    }

    // 3. Case folding and apostrophes.
    text = text.toCaseFolded();
    text.replace(QChar(0x2019), QLatin1Char('\''))
        .replace(QChar(0x2018), QLatin1Char('\''))
        .replace(QChar(0x02BC), QLatin1Char('\''));
    if (trace)
        *trace << QStringLiteral("casefold:     %1").arg(text.simplified());

    // 4. Words: letters, digits and placeholders; everything else separates. Contractions
    // are expanded word by word.
    QStringList tokens;
    QString word;
    auto flush = [&] {
        if (word.isEmpty())
            return;
        QString w = word;
        word.clear();
        auto whole = m_contractionWords.constFind(w);
        if (whole != m_contractionWords.constEnd()) {
            tokens += whole->split(QLatin1Char(' '), Qt::SkipEmptyParts);
            return;
        }
        if (w.contains(QLatin1Char('\''))) {
            for (const auto &suffix : m_contractionSuffixes) {
                if (w.endsWith(suffix.first) && w.size() > suffix.first.size()) {
                    w = w.left(w.size() - suffix.first.size()) + suffix.second;
                    break;
                }
            }
            w.remove(QLatin1Char('\''));
            tokens += w.split(QLatin1Char(' '), Qt::SkipEmptyParts);
            return;
        }
        tokens << w;
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == QLatin1Char('<')) {
            const qsizetype close = text.indexOf(QLatin1Char('>'), i);
            if (close > i + 1 && close - i < 64) {
                flush();
                tokens << text.mid(i, close - i + 1);
                i = close;
                continue;
            }
        }
        if (c.isLetterOrNumber() || c.isMark() || (c == QLatin1Char('\'') && !word.isEmpty()))
            word += c;
        else
            flush();
    }
    flush();
    if (trace)
        *trace << QStringLiteral("words:        %1").arg(tokens.join(QLatin1Char(' ')));
    return tokens;
}

QStringList IntentMatcher::featuresOf(const QStringList &raw, QStringList *finalTokens) const
{
    QStringList tokens, written;
    tokens.reserve(raw.size());
    int negated = 0;
    for (const QString &t : raw) {
        if (m_negationCues.contains(t)) {
            negated = m_pack->negationScope;
            tokens << t;
            written << t;
            continue;
        }
        if (m_clauseBreakers.contains(t))
            negated = 0;
        QString w = stem(m_pack->synonyms.value(t, t));
        w = m_pack->synonyms.value(w, w);
        if (negated > 0) {
            w = QStringLiteral("not_") + w;
            written << QStringLiteral("not_") + t;
            --negated;
        } else {
            written << t;
        }
        tokens << w;
    }
    QStringList features;
    QSet<QString> seen;
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        if (!seen.contains(tokens[i])) {
            seen.insert(tokens[i]);
            features << tokens[i];
        }
        if (i + 1 < tokens.size()) {
            const QString bigram = tokens[i] + QLatin1Char(' ') + tokens[i + 1];
            if (!seen.contains(bigram)) {
                seen.insert(bigram);
                features << bigram;
            }
        }
    }
    if (m_pack->rawWords) {
        // Words as written: the stemmer merges some that mean different things.
        for (const QString &t : std::as_const(written)) {
            const QString f = QLatin1Char('=') + t;
            if (!seen.contains(f)) {
                seen.insert(f);
                features << f;
            }
        }
    }
    if (m_pack->charNgrams > 0) {
        // Pieces of words catch spelling variants and word forms the stemmer misses.
        const int n = m_pack->charNgrams;
        for (const QString &t : tokens) {
            if (t.startsWith(QLatin1Char('<')) || t.startsWith(QLatin1String("not_")))
                continue;
            const QString w = QLatin1Char('^') + t + QLatin1Char('$');
            for (qsizetype i = 0; i + n <= w.size(); ++i) {
                const QString piece = QLatin1Char('~') + w.mid(i, n);
                if (!seen.contains(piece)) {
                    seen.insert(piece);
                    features << piece;
                }
            }
        }
    }
    if (finalTokens)
        *finalTokens = tokens;
    return features;
}

NormalizedText IntentMatcher::normalize(const QString &text, QStringList *trace) const
{
    NormalizedText out;
    const QStringList raw = rawTokens(text, &out.slotValues, trace);
    out.features = featuresOf(raw, &out.tokens);
    if (trace)
        *trace << QStringLiteral("stem+negate:  %1").arg(out.tokens.join(QLatin1Char(' ')));
    return out;
}

void IntentMatcher::scoreFeatures(const QStringList &features, std::vector<qint64> &scores, int *evidence) const
{
    scores.assign(m_pack->intents.size(), 0);
    for (size_t i = 0; i < m_pack->intents.size(); ++i)
        scores[i] = m_pack->intents[i].bias;
    int known = 0;
    for (const QString &f : features) {
        auto it = m_postings.constFind(f);
        if (it == m_postings.constEnd())
            continue;
        ++known;
        for (const Posting &p : *it)
            scores[size_t(p.intent)] += p.weight;
    }
    if (evidence)
        *evidence = known;
}

IntentMatch IntentMatcher::decide(const std::vector<qint64> &scores, int evidence) const
{
    IntentMatch m;
    // The five best, ties broken by intent order in the pack: deterministic. One pass.
    std::vector<int> order;
    order.reserve(6);
    for (int i = 0; i < int(scores.size()); ++i) {
        if (order.size() == 5 && scores[size_t(i)] <= scores[size_t(order.back())])
            continue;
        auto pos
            = std::find_if(order.begin(), order.end(), [&](int j) { return scores[size_t(i)] > scores[size_t(j)]; });
        order.insert(pos, i);
        if (order.size() > 5)
            order.pop_back();
    }
    for (int i : order)
        m.top.push_back(IntentScore { m_pack->intents[size_t(i)].name, scores[size_t(i)] });
    if (order.empty()) {
        m.reason = QStringLiteral("the pack has no intents");
        return m;
    }
    const Intent &best = m_pack->intents[size_t(order[0])];
    m.margin = order.size() > 1 ? scores[size_t(order[0])] - scores[size_t(order[1])] : scores[size_t(order[0])];
    if (evidence < m_pack->minEvidence) {
        m.reason = QStringLiteral("no known words");
        return m;
    }
    if (best.abstain) {
        m.reason = QStringLiteral("out of scope (%1)").arg(best.name);
        return m;
    }
    const qint32 needed = best.margin >= 0 ? best.margin : m_pack->abstainMargin;
    if (m.margin < needed) {
        m.reason = QStringLiteral("not confident: margin %1 < %2").arg(m.margin).arg(needed);
        return m;
    }
    m.abstained = false;
    m.intent = best.name;
    return m;
}

IntentMatch IntentMatcher::match(const QString &text, QStringList *trace) const
{
    std::vector<SlotValue> slotValues;
    const QStringList raw = rawTokens(text, &slotValues, trace);
    QStringList tokens;
    const QStringList features = featuresOf(raw, &tokens);
    if (trace)
        *trace << QStringLiteral("stem+negate:  %1").arg(tokens.join(QLatin1Char(' ')));
    std::vector<qint64> scores;
    int evidence = 0;
    scoreFeatures(features, scores, &evidence);
    IntentMatch m = decide(scores, evidence);
    m.slotValues = std::move(slotValues);
    if (trace) {
        QStringList top;
        for (const IntentScore &s : m.top)
            top << QStringLiteral("%1=%2").arg(s.intent).arg(s.score);
        *trace << QStringLiteral("scores:       %1 (known features: %2)")
                      .arg(top.join(QStringLiteral(", ")))
                      .arg(evidence);
    }

    // A negated request is never answered as the intent it negates, nor as another one that
    // only the rest of the words point to ("I don't want to cancel my order" is not about
    // tracking it): when a negation covers a word that defines some intent, the tier abstains,
    // unless the winning intent itself was taught the negated form (a positive "not_" feature,
    // e.g. "my parcel has not arrived" for tracking).
    if (!m.abstained) {
        const Intent *winner = nullptr;
        for (const Intent &in : m_pack->intents)
            winner = in.name == m.intent ? &in : winner;
        for (const QString &t : std::as_const(tokens)) {
            if (!t.startsWith(QLatin1String("not_")))
                continue;
            const QString word = t.mid(4);
            if (!m_definingWords.contains(word))
                continue;
            if (winner && winner->features.value(t) > 0)
                continue;
            m.abstained = true;
            m.reason = QStringLiteral("negated request: \"%1\" defines an intent").arg(word);
            m.intent.clear();
            if (trace)
                *trace << QStringLiteral("negation:     %1 vetoes the match").arg(t);
            break;
        }
    }

    // Two requests in one query ("cancel my order and update my address") abstain: each
    // part is scored alone, and confident, different answers for the parts are a conflict.
    if (!m.abstained && m_pack->splitConflicts) {
        for (qsizetype i = 2; i + 2 <= raw.size(); ++i) {
            if (!m_conjunctions.contains(raw[i]))
                continue;
            std::vector<qint64> left, right;
            int el = 0, er = 0;
            scoreFeatures(featuresOf(raw.mid(0, i)), left, &el);
            scoreFeatures(featuresOf(raw.mid(i + 1)), right, &er);
            const IntentMatch a = decide(left, el), b = decide(right, er);
            if (!a.abstained && !b.abstained && a.intent != b.intent) {
                m.abstained = true;
                m.reason = QStringLiteral("two requests: %1 and %2").arg(a.intent, b.intent);
                m.intent.clear();
                break;
            }
        }
    }
    if (trace)
        *trace << (m.abstained ? QStringLiteral("result:       abstain (%1)").arg(m.reason)
                               : QStringLiteral("result:       %1 (margin %2)").arg(m.key()).arg(m.margin));
    return m;
}

} // namespace l0
