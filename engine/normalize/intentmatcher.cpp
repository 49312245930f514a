#include "intentmatcher.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <QVarLengthArray>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <utility>

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
    m_transparent = QSet<QString>(m_pack->transparentWords.begin(), m_pack->transparentWords.end());
    m_scopeEnds = QSet<QString>(m_pack->scopeEnds.begin(), m_pack->scopeEnds.end());
    m_inability = QSet<QString>(m_pack->inabilityWords.begin(), m_pack->inabilityWords.end());
    if (m_pack->language.isEmpty() || m_pack->language.startsWith(QLatin1String("en"))) {
        // For questions with the subject after a negated auxiliary ("isn't my card working",
        // "can I not ..."): see negationCover.
        for (const char *w : { "is", "are", "was", "were", "has", "have", "had", "does", "did", "will", "would",
                 "should", "shall", "must" })
            m_auxiliaries.insert(QLatin1String(w));
        for (const char *w :
            { "my", "the", "your", "our", "their", "his", "her", "its", "this", "that", "these", "those" })
            m_determiners.insert(QLatin1String(w));
        for (const char *w : { "i", "you", "we", "they", "he", "she", "it" })
            m_subjectPronouns.insert(QLatin1String(w));
        for (const char *w : { "is", "are", "was", "were", "has", "have", "had", "does", "did" })
            m_stateAuxiliaries.insert(QLatin1String(w));
    }
    for (auto it = m_pack->wordIdf.begin(); it != m_pack->wordIdf.end(); ++it)
        m_words[it.key()].idf = it.value();
    m_hasVocabulary.assign(m_pack->intents.size(), 0);
    for (int i = 0; i < int(m_pack->intents.size()); ++i) {
        const Intent &in = m_pack->intents[size_t(i)];
        m_hasVocabulary[size_t(i)] = in.vocabulary.isEmpty() ? 0 : 1;
        for (auto v = in.vocabulary.begin(); v != in.vocabulary.end(); ++v) {
            auto it = m_words.find(v.key());
            if (it == m_words.end())
                it = m_words.insert(v.key(), Word { m_pack->unknownIdf, {} });
            it->intents.emplace_back(i, v.value()); // i grows: stays sorted
        }
    }
    deriveGuards();
    buildWordTable();
}

void IntentMatcher::buildWordTable()
{
    m_wordPath = m_pack->charNgrams <= 0;
    if (!m_wordPath)
        return;
    QStringList names = m_postings.keys();
    std::sort(names.begin(), names.end());
    const size_t intents = m_pack->intents.size();
    m_denseStride = (intents + 7) / 8 * 8;
    // Dense from a quarter of the intents on: adding a whole row then costs less than a scatter.
    const size_t denseFrom = std::max<size_t>(16, intents / 4);
    m_featurePostings.reserve(size_t(names.size()));
    m_denseRow.reserve(size_t(names.size()));
    for (const QString &f : std::as_const(names)) {
        m_featureIndex.insert(f, int(m_featurePostings.size()));
        std::vector<Posting> postings = m_postings.value(f);
        if (postings.size() >= denseFrom) {
            m_denseRow.push_back(int(m_dense.size() / m_denseStride));
            m_dense.resize(m_dense.size() + m_denseStride, 0);
            qint32 *row = m_dense.data() + m_dense.size() - m_denseStride;
            for (const Posting &p : postings) {
                row[p.intent] += p.weight;
                m_denseMaxAbs = std::max(m_denseMaxAbs, std::abs(qint64(p.weight)));
            }
            postings.clear();
        } else {
            m_denseRow.push_back(-1);
        }
        m_featurePostings.push_back(std::move(postings));
    }
    auto sideId = [this](const QString &side) {
        auto it = m_sideIds.constFind(side);
        if (it != m_sideIds.constEnd())
            return *it;
        const int id = int(m_sideIds.size());
        m_sideIds.insert(side, id);
        return id;
    };
    // A bigram feature "a b" (sides with spaces of their own, from synonyms, split at every space:
    // whatever two tokens spell it find it).
    for (const QString &f : std::as_const(names)) {
        for (qsizetype at = f.indexOf(QLatin1Char(' ')); at >= 0; at = f.indexOf(QLatin1Char(' '), at + 1)) {
            const quint64 key = (quint64(quint32(sideId(f.left(at)))) << 32) | quint32(sideId(f.mid(at + 1)));
            m_bigrams.insert(key, m_featureIndex.value(f));
        }
    }
    // The words worth a WordInfo ahead: every word in the pack's features, vocabulary and lists.
    QSet<QString> words;
    auto add = [&](const QString &w) {
        if (w.isEmpty())
            return;
        words.insert(w);
        if (w.startsWith(QLatin1String("not_")))
            words.insert(w.mid(4));
    };
    for (const QString &f : std::as_const(names)) {
        if (f.startsWith(QLatin1Char('=')))
            add(f.mid(1));
        else
            for (const QString &part : f.split(QLatin1Char(' '), Qt::SkipEmptyParts))
                add(part);
    }
    for (auto it = m_words.constBegin(); it != m_words.constEnd(); ++it)
        add(it.key());
    for (const QSet<QString> *list :
        { &m_negationCues, &m_clauseBreakers, &m_conjunctions, &m_transparent, &m_scopeEnds, &m_inability })
        for (const QString &w : *list)
            add(w);
    for (auto it = m_pack->synonyms.constBegin(); it != m_pack->synonyms.constEnd(); ++it)
        add(it.key());
    m_wordTable.reserve(words.size());
    for (const QString &w : std::as_const(words))
        m_wordTable.insert(w, wordInfo(w));
}

IntentMatcher::WordInfo IntentMatcher::wordInfo(const QString &t) const
{
    WordInfo info;
    info.cue = m_negationCues.contains(t);
    info.breaker = m_clauseBreakers.contains(t);
    // As featuresOf writes the token: a cue as it stands (never within a scope), any other word
    // through synonyms, stemmer and synonyms again.
    QString token[2];
    if (info.cue) {
        token[0] = token[1] = t;
    } else {
        QString w = stem(m_pack->synonyms.value(t, t));
        w = m_pack->synonyms.value(w, w);
        token[0] = w;
        token[1] = QStringLiteral("not_") + w;
    }
    for (int k = 0; k < 2; ++k) {
        info.unigram[k] = m_featureIndex.value(token[k], -1);
        info.side[k] = m_sideIds.value(token[k], -1);
        // As match() gives the decision its stems: without the mark, empty for a slot.
        const QString s = token[k].startsWith(QLatin1String("not_")) ? token[k].mid(4) : token[k];
        if (!s.startsWith(QLatin1Char('<'))) {
            info.stem[k] = s;
            auto it = m_words.constFind(s);
            info.word[k] = it == m_words.constEnd() ? nullptr : &*it;
        }
    }
    info.raw[0] = m_featureIndex.value(QLatin1Char('=') + t, -1);
    info.raw[1] = info.cue ? info.raw[0] : m_featureIndex.value(QStringLiteral("=not_") + t, -1);
    return info;
}

void IntentMatcher::deriveGuards()
{
    m_guards.assign(m_pack->intents.size(), Guard {});
    for (int i = 0; i < int(m_pack->intents.size()); ++i) {
        const Intent &in = m_pack->intents[size_t(i)];
        Guard &g = m_guards[size_t(i)];
        if (!in.negatedIntent.isEmpty()) {
            for (int j = 0; j < int(m_pack->intents.size()); ++j) {
                if (m_pack->intents[size_t(j)].name == in.negatedIntent)
                    g.mapsTo = j;
            }
        }
        if (in.hasNegationGuard) {
            for (qsizetype k = 0; k < in.defining.size(); ++k) {
                if (!g.defining.contains(in.defining[k]))
                    g.defining.insert(in.defining[k], int(in.defining.size() - k));
            }
            g.expected = QSet<QString>(in.negationExpected.begin(), in.negationExpected.end());
            continue;
        }
        // No guard written: the words weighted at least half the intent's strongest word, and
        // more than any other intent weighs them, define it; a negated word it weighs up is
        // expected ("not_arriv" for "has not arrived").
        qint32 strongest = 0;
        for (auto it = in.features.begin(); it != in.features.end(); ++it) {
            const QString &f = it.key();
            if (!f.contains(QLatin1Char(' ')) && !f.startsWith(QLatin1String("not_")) && f.at(0).isLetterOrNumber())
                strongest = std::max(strongest, it.value());
        }
        for (auto it = in.features.begin(); it != in.features.end(); ++it) {
            const QString &f = it.key();
            if (f.contains(QLatin1Char(' ')) || !f.at(0).isLetterOrNumber())
                continue;
            if (f.startsWith(QLatin1String("not_"))) {
                if (it.value() > 0)
                    g.expected.insert(f.mid(4));
                continue;
            }
            if (strongest <= 0 || 2 * qint64(it.value()) < qint64(strongest) || m_transparent.contains(f)
                || m_negationCues.contains(f))
                continue;
            bool strongestHere = true;
            for (const Posting &p : m_postings.value(f)) {
                if (p.intent != i && !m_pack->intents[size_t(p.intent)].abstain && p.weight >= it.value())
                    strongestHere = false;
            }
            if (strongestHere)
                g.defining.insert(f, it.value());
        }
    }
}

QStringList IntentMatcher::definingWords(int intent) const
{
    const QHash<QString, int> &d = m_guards.at(size_t(intent)).defining;
    QStringList out = d.keys();
    std::sort(out.begin(), out.end(),
        [&](const QString &a, const QString &b) { return d.value(a) != d.value(b) ? d.value(a) > d.value(b) : a < b; });
    return out;
}

QStringList IntentMatcher::expectedNegated(int intent) const
{
    QStringList out = m_guards.at(size_t(intent)).expected.values();
    std::sort(out.begin(), out.end());
    return out;
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

QStringList IntentMatcher::tokenize(const QString &text, std::vector<char> *breaks) const
{
    return rawTokens(text, nullptr, nullptr, breaks);
}

QStringList IntentMatcher::rawTokens(
    const QString &input, std::vector<SlotValue> *slotOut, QStringList *trace, std::vector<char> *breaks) const
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
    if (nonAscii) // the slots put only ASCII in
        text.replace(QChar(0x2019), QLatin1Char('\''))
            .replace(QChar(0x2018), QLatin1Char('\''))
            .replace(QChar(0x02BC), QLatin1Char('\''));
    if (trace)
        *trace << QStringLiteral("casefold:     %1").arg(text.simplified());

    // 4. Words: letters, digits and placeholders; everything else separates. Contractions
    // are expanded word by word.
    QStringList tokens;
    qsizetype wordStart = -1; // where the word being read starts, -1 for none
    bool pendingBreak = false; // punctuation since the last token
    auto noteBreak = [&](qsizetype before) {
        if (!breaks || tokens.size() <= before)
            return;
        breaks->resize(size_t(tokens.size()), 0);
        (*breaks)[size_t(before)] = pendingBreak ? 1 : 0;
        pendingBreak = false;
    };
    auto expand = [&](QString w) {
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
    auto flush = [&](qsizetype end) {
        if (wordStart < 0)
            return;
        const qsizetype before = tokens.size();
        expand(text.mid(wordStart, end - wordStart));
        wordStart = -1;
        noteBreak(before);
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == QLatin1Char('<')) {
            const qsizetype close = text.indexOf(QLatin1Char('>'), i);
            if (close > i + 1 && close - i < 64) {
                flush(i);
                tokens << text.mid(i, close - i + 1);
                noteBreak(tokens.size() - 1);
                i = close;
                continue;
            }
        }
        if (c.isLetterOrNumber() || c.isMark() || (c == QLatin1Char('\'') && wordStart >= 0)) {
            if (wordStart < 0)
                wordStart = i;
        } else {
            flush(i);
            if (c == QLatin1Char(',') || c == QLatin1Char('.') || c == QLatin1Char(';') || c == QLatin1Char(':')
                || c == QLatin1Char('!') || c == QLatin1Char('?') || c == QLatin1Char('(') || c == QLatin1Char(')'))
                pendingBreak = true;
        }
    }
    flush(text.size());
    if (breaks)
        breaks->resize(size_t(tokens.size()), 0);
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

void IntentMatcher::scoreWords(const std::vector<const WordInfo *> &words, qsizetype from, qsizetype to,
    std::vector<qint64> &scores, int *evidence, std::vector<char> *state) const
{
    scores.assign(m_pack->intents.size(), 0);
    for (size_t i = 0; i < m_pack->intents.size(); ++i)
        scores[i] = m_pack->intents[i].bias;
    // featuresOf's features, as indices: the same negation scope, the same bigrams; the known
    // ones counted once each.
    // Scratch kept per thread: scoring allocates nothing once warm.
    thread_local std::vector<int> found;
    thread_local std::vector<const qint32 *> dense;
    found.clear();
    dense.clear();
    int negated = 0, previous = -1; // the token before: its bigram side (-1: none, or unknown)
    for (qsizetype i = from; i < to; ++i) {
        const WordInfo &w = *words[size_t(i)];
        int k = 0;
        if (w.cue) {
            negated = m_pack->negationScope;
        } else {
            if (w.breaker)
                negated = 0;
            if (negated > 0) {
                k = 1;
                --negated;
            }
        }
        if (state)
            (*state)[size_t(i)] = char(k);
        if (w.unigram[k] >= 0)
            found.push_back(w.unigram[k]);
        const int side = w.side[k];
        if (i > from && previous >= 0 && side >= 0) {
            auto it = m_bigrams.constFind((quint64(quint32(previous)) << 32) | quint32(side));
            if (it != m_bigrams.constEnd())
                found.push_back(*it);
        }
        previous = side;
        if (m_pack->rawWords && w.raw[k] >= 0)
            found.push_back(w.raw[k]);
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    // Dense rows are summed in 32 bits where no sum can overflow them (always, for queries of
    // any sensible length), else added to the 64-bit scores one by one: exact either way.
    const size_t n = m_pack->intents.size();
    for (int f : found) {
        if (const int r = m_denseRow[size_t(f)]; r >= 0) {
            dense.push_back(m_dense.data() + size_t(r) * m_denseStride);
            continue;
        }
        for (const Posting &p : m_featurePostings[size_t(f)])
            scores[size_t(p.intent)] += p.weight;
    }
    if (!dense.empty()) {
        if (qint64(dense.size()) * m_denseMaxAbs < qint64(std::numeric_limits<qint32>::max())) {
            // Eight intents at a time over every row, the sums kept in registers (the fixed
            // inner loop is what the compiler turns into vector adds).
            for (size_t j = 0; j < m_denseStride; j += 8) {
                qint32 sum[8] = {};
                for (const qint32 *row : dense) {
                    const qint32 *at = row + j;
                    for (int k = 0; k < 8; ++k)
                        sum[k] += at[k];
                }
                for (size_t k = 0; k < 8 && j + k < n; ++k)
                    scores[j + k] += sum[k];
            }
        } else {
            for (const qint32 *row : dense) {
                for (size_t j = 0; j < n; ++j)
                    scores[j] += row[j];
            }
        }
    }
    if (evidence)
        *evidence = int(found.size());
}

std::vector<char> IntentMatcher::negationCover(const QStringList &raw, const std::vector<char> &breaks) const
{
    std::vector<char> covered(size_t(raw.size()), 0);
    for (qsizetype i = 0; i < raw.size(); ++i) {
        if (!m_negationCues.contains(raw[i]))
            continue;
        if (i > 0 && m_inability.contains(raw[i - 1]))
            continue; // "can not", "could not": asks about the thing that fails
        if (i > 1 && m_subjectPronouns.contains(raw[i - 1]) && m_inability.contains(raw[i - 2]))
            continue; // "why can I not transfer": the same, as a question
        // A question "why isn't my card working": the subject after the cue ("my card") is not
        // what is negated, the verb after it is.
        const bool inverted
            = i > 0 && i + 2 < raw.size() && m_auxiliaries.contains(raw[i - 1]) && m_determiners.contains(raw[i + 1]);
        bool subjectHead = inverted;
        // A negation reaches over coordination ("don't take $40 and transfer it") up to the end
        // of the clause: punctuation, a clause breaker other than "and"/"or", a scope end.
        int counted = 0;
        bool first = true;
        for (qsizetype j = i + 1; j < raw.size() && counted < m_pack->vetoScope; ++j) {
            const QString &t = raw[j];
            if ((j < qsizetype(breaks.size()) && breaks[size_t(j)]) || m_scopeEnds.contains(t)
                || (m_clauseBreakers.contains(t) && !m_conjunctions.contains(t) && t != QLatin1String("or")
                    && t != QLatin1String("oder")))
                break;
            if (m_negationCues.contains(t) || m_transparent.contains(t) || t.startsWith(QLatin1Char('<'))
                || m_conjunctions.contains(t) || t == QLatin1String("or") || t == QLatin1String("oder"))
                continue;
            if (m_inability.contains(t)) {
                if (first)
                    break; // "not able to", "don't know how to": still asks about it
                continue;
            }
            if (subjectHead) {
                subjectHead = false;
                continue;
            }
            first = false;
            covered[size_t(j)] = 1;
            ++counted;
        }
        if (!m_pack->vetoBackward || counted == 0)
            continue;
        // Verb last: the negation before the verb negates the clause it ends.
        for (qsizetype j = i - 1; j >= 0; --j) {
            const QString &t = raw[j];
            if (m_clauseBreakers.contains(t) || m_negationCues.contains(t))
                break;
            if (!m_transparent.contains(t) && !m_inability.contains(t) && !t.startsWith(QLatin1Char('<'))
                && !m_conjunctions.contains(t))
                covered[size_t(j)] = 1;
            if (j < qsizetype(breaks.size()) && breaks[size_t(j)])
                break; // j starts the clause
        }
    }
    return covered;
}

qint64 IntentMatcher::coverage(int intent, const View &v, QStringList *unseen) const
{
    if (!m_hasVocabulary[size_t(intent)])
        return 1000;
    qint64 total = 0, seen = 0;
    for (qsizetype i = v.from; i < v.to; ++i) {
        const QString &w = v.stems->at(i);
        if (w.isEmpty())
            continue;
        bool repeated = false; // queries are short: a scan is cheaper than a set
        const Word *known = v.words ? (*v.words)[size_t(i)] : nullptr;
        for (qsizetype k = v.from; k < i && !repeated; ++k) {
            // Two entries of m_words are two words; without both, the strings tell.
            const Word *other = v.words ? (*v.words)[size_t(k)] : nullptr;
            repeated = known && other ? known == other : v.stems->at(k) == w;
        }
        if (repeated)
            continue;
        const Word *word = nullptr;
        if (v.words) {
            word = (*v.words)[size_t(i)];
        } else if (auto it = m_words.constFind(w); it != m_words.constEnd()) {
            word = &*it;
        }
        const qint64 idf = word ? word->idf : m_pack->unknownIdf;
        total += idf * m_pack->vocabularyFolds;
        qint64 sure = 0;
        if (word) {
            const auto at
                = std::lower_bound(word->intents.begin(), word->intents.end(), std::pair<int, qint32>(intent, 0));
            if (at != word->intents.end() && at->first == intent)
                sure = at->second;
        }
        seen += idf * sure;
        if (sure < m_pack->vocabularyFolds && unseen)
            *unseen << w;
    }
    return total > 0 ? seen * 1000 / total : 1000;
}

qint64 IntentMatcher::weightOf(int intent, const QString &feature) const
{
    auto it = m_postings.constFind(feature);
    if (it == m_postings.constEnd())
        return 0;
    for (const Posting &p : *it) {
        if (p.intent == intent)
            return p.weight;
    }
    return 0;
}

bool IntentMatcher::vetoed(int intent, const View &v, QStringList *why) const
{
    // Vetoed when a negation covers words the intent does not expect negated, and they are
    // what makes the query this intent: the strongest word that defines it, or at least as
    // much of the intent's weight on the query's words as stands outside the negation.
    if (std::none_of(v.covered->begin() + v.from, v.covered->begin() + v.to, [](char c) { return c != 0; })) {
        if (why)
            why->clear();
        return false; // nothing negated: the common case
    }
    const Guard &g = m_guards[size_t(intent)];
    // A negated state rather than a negated request ("I didn't make this payment", "have I not
    // received it"): a cue after a state auxiliary (not the "do" of "don't cancel") whose first
    // covered word the intent expects negated is the intent's own negation, and nothing it
    // covers counts against the intent.
    std::vector<char> own;
    for (qsizetype i = v.from + 1; i < v.to && !m_stateAuxiliaries.isEmpty(); ++i) {
        if (!(*v.cue)[size_t(i)])
            continue;
        const QString &before = v.raw->at(i - 1);
        if (!m_stateAuxiliaries.contains(before)
            && !(
                i - 2 >= v.from && m_subjectPronouns.contains(before) && m_stateAuxiliaries.contains(v.raw->at(i - 2))))
            continue;
        qsizetype j = i + 1;
        while (j < v.to && !(*v.cue)[size_t(j)] && !(*v.covered)[size_t(j)])
            ++j;
        if (j >= v.to || (*v.cue)[size_t(j)] || !g.expected.contains(v.stems->at(j)))
            continue;
        own.resize(size_t(v.to), 0);
        for (; j < v.to && !(*v.cue)[size_t(j)]; ++j)
            own[size_t(j)] = 1;
    }
    QStringList negated;
    int negatedDefining = 0, standingDefining = 0;
    qint64 negatedWeight = 0, standingWeight = 0;
    for (qsizetype i = v.from; i < v.to; ++i) {
        const QString &w = v.stems->at(i);
        if (w.isEmpty() || (*v.cue)[size_t(i)] || m_transparent.contains(v.raw->at(i))
            || m_inability.contains(v.raw->at(i)))
            continue; // slots, cues, transparent words
        const qint64 weight = std::max<qint64>(0, weightOf(intent, w));
        const int strength = g.defining.value(w, 0);
        if ((*v.covered)[size_t(i)]) {
            if (!g.expected.contains(w) && !(i < qsizetype(own.size()) && own[size_t(i)])) {
                negated << w;
                negatedWeight += weight;
                negatedDefining = std::max(negatedDefining, strength);
            }
        } else {
            standingWeight += weight;
            standingDefining = std::max(standingDefining, strength);
        }
    }
    if (why)
        *why = negated;
    return !negated.isEmpty()
        && ((negatedDefining > 0 && negatedDefining >= standingDefining) || negatedWeight >= standingWeight);
}

IntentMatch IntentMatcher::decide(
    const std::vector<qint64> &scores, int evidence, const View &view, QStringList *trace) const
{
    IntentMatch m;
    // The five best, ties broken by intent order in the pack: deterministic. One pass.
    QVarLengthArray<int, 6> order;
    for (int i = 0; i < int(scores.size()); ++i) {
        if (order.size() == 5 && scores[size_t(i)] <= scores[size_t(order.back())])
            continue;
        auto pos
            = std::find_if(order.begin(), order.end(), [&](int j) { return scores[size_t(i)] > scores[size_t(j)]; });
        order.insert(pos, i);
        if (order.size() > 5)
            order.pop_back();
    }
    m.top.reserve(size_t(order.size()));
    for (int i : order)
        m.top.push_back(IntentScore { m_pack->intents[size_t(i)].name, scores[size_t(i)] });
    if (order.empty()) {
        m.reason = QStringLiteral("the pack has no intents");
        return m;
    }
    const int bestIndex = order[0];
    const Intent &best = m_pack->intents[size_t(bestIndex)];
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
    m.confidence = m.margin;
    qint64 confidence = m.margin;
    if (m_pack->coveragePower > 0) {
        // Words the intent never saw: the query is unlike what it was learnt from.
        QStringList unseen;
        const qint64 cov = coverage(bestIndex, view, trace ? &unseen : nullptr);
        m.coverage = int(cov);
        for (int k = 0; k < m_pack->coveragePower; ++k)
            confidence = confidence * cov / 1000;
        m.confidence = confidence;
        if (trace)
            *trace << QStringLiteral("coverage:     %1 of the words weighed by what %2 has seen%3: confidence %4")
                          .arg(double(cov) / 1000.0, 0, 'f', 3)
                          .arg(best.name,
                              unseen.isEmpty() ? QString()
                                               : QStringLiteral(" (new: %1)").arg(unseen.join(QStringLiteral(", "))))
                          .arg(confidence);
    }
    if (confidence < needed) {
        m.reason = m_pack->coveragePower > 0
            ? QStringLiteral("not confident: margin %1 x coverage = %2 < %3").arg(m.margin).arg(confidence).arg(needed)
            : QStringLiteral("not confident: margin %1 < %2").arg(m.margin).arg(needed);
        return m;
    }
    QStringList negated;
    if (vetoed(bestIndex, view, &negated)) {
        const int to = m_guards[size_t(bestIndex)].mapsTo;
        if (trace)
            *trace << QStringLiteral("negation:     %1 is vetoed: negated %2%3")
                          .arg(best.name, negated.join(QStringLiteral(", ")),
                              to >= 0 ? QStringLiteral("; maps to %1").arg(m_pack->intents[size_t(to)].name)
                                      : QString());
        if (to < 0) {
            m.reason = QStringLiteral("negated: %1 (%2)").arg(best.name, negated.join(QStringLiteral(", ")));
            return m;
        }
        m.abstained = false;
        m.intent = m_pack->intents[size_t(to)].name;
        return m;
    }
    if (trace)
        *trace << (negated.isEmpty()
                ? QStringLiteral("negation:     nothing negated that %1 does not expect").arg(best.name)
                : QStringLiteral("negation:     negated %1, which neither defines %2 nor outweighs what stands")
                      .arg(negated.join(QStringLiteral(", ")), best.name));
    m.abstained = false;
    m.intent = best.name;
    return m;
}

IntentMatch IntentMatcher::match(const QString &text, QStringList *trace) const
{
    std::vector<SlotValue> slotValues;
    std::vector<char> breaks;
    const QStringList raw = rawTokens(text, &slotValues, trace, &breaks);
    const qsizetype n = raw.size();
    // Two ways to the same scores: by WordInfo (no strings made; the words the pack knows are
    // looked up once), or, for a trace or a pack with character n-grams, by featuresOf's strings.
    const bool byWords = m_wordPath && !trace;
    std::vector<WordInfo> made; // for words the table does not hold; never reallocated
    std::vector<const WordInfo *> info;
    std::vector<char> state(size_t(n), 0);
    std::vector<qint64> scores;
    int evidence = 0;
    // Per token: its stem without the negation mark (empty for a slot), whether it is a cue,
    // and whether a cue covers it for the veto.
    QStringList stems;
    stems.reserve(n);
    std::vector<char> cue(size_t(n), 0);
    std::vector<const Word *> words;
    if (byWords) {
        made.reserve(size_t(n));
        info.resize(size_t(n));
        words.resize(size_t(n));
        for (qsizetype i = 0; i < n; ++i) {
            auto it = m_wordTable.constFind(raw[i]);
            if (it != m_wordTable.constEnd()) {
                info[size_t(i)] = &*it;
            } else {
                made.push_back(wordInfo(raw[i]));
                info[size_t(i)] = &made.back();
            }
        }
        scoreWords(info, 0, n, scores, &evidence, &state);
        for (qsizetype i = 0; i < n; ++i) {
            const WordInfo &w = *info[size_t(i)];
            cue[size_t(i)] = w.cue ? 1 : 0;
            stems << w.stem[int(state[size_t(i)])];
            words[size_t(i)] = w.word[int(state[size_t(i)])];
        }
    } else {
        QStringList tokens;
        scoreFeatures(featuresOf(raw, &tokens), scores, &evidence);
        if (trace)
            *trace << QStringLiteral("stem+negate:  %1").arg(tokens.join(QLatin1Char(' ')));
        for (qsizetype i = 0; i < tokens.size(); ++i) {
            const QString &t = tokens[i];
            cue[size_t(i)] = m_negationCues.contains(raw[i]) ? 1 : 0;
            const QString stem = t.startsWith(QLatin1String("not_")) ? t.mid(4) : t;
            stems << (stem.startsWith(QLatin1Char('<')) ? QString() : stem);
        }
    }
    auto scoreRange = [&](qsizetype from, qsizetype to, std::vector<qint64> &out, int *known) {
        if (byWords)
            scoreWords(info, from, to, out, known, nullptr);
        else
            scoreFeatures(featuresOf(raw.mid(from, to - from)), out, known);
    };
    const bool anyCue = std::any_of(cue.begin(), cue.end(), [](char c) { return c == 1; });
    const std::vector<char> covered = anyCue ? negationCover(raw, breaks) : std::vector<char>(size_t(n), 0);
    if (trace) {
        std::vector<int> order(scores.size());
        for (size_t i = 0; i < order.size(); ++i)
            order[i] = int(i);
        std::stable_sort(
            order.begin(), order.end(), [&](int a, int b) { return scores[size_t(a)] > scores[size_t(b)]; });
        QStringList top;
        for (size_t i = 0; i < order.size() && i < 5; ++i)
            top << QStringLiteral("%1=%2").arg(m_pack->intents[size_t(order[i])].name).arg(scores[size_t(order[i])]);
        *trace << QStringLiteral("scores:       %1 (known features: %2)")
                      .arg(top.join(QStringLiteral(", ")))
                      .arg(evidence);
        QStringList neg;
        for (qsizetype i = 0; i < n; ++i) {
            if (covered[size_t(i)])
                neg << stems[i];
        }
        if (!neg.isEmpty())
            *trace << QStringLiteral("negated:      %1 (for the veto)").arg(neg.join(QLatin1Char(' ')));
    }
    const std::vector<const Word *> *wordsSeen = byWords ? &words : nullptr;
    IntentMatch m = decide(scores, evidence, View { &raw, &stems, &covered, &cue, 0, n, wordsSeen }, trace);
    m.slotValues = std::move(slotValues);

    // Two requests in one query ("cancel my order and update my address") abstain: each
    // part is scored alone, and confident, different answers for the parts are a conflict.
    if (!m.abstained && m_pack->splitConflicts) {
        for (qsizetype i = 2; i + 2 <= n; ++i) {
            if (!m_conjunctions.contains(raw[i]))
                continue;
            std::vector<qint64> left, right;
            int el = 0, er = 0;
            scoreRange(0, i, left, &el);
            scoreRange(i + 1, n, right, &er);
            const IntentMatch a = decide(left, el, View { &raw, &stems, &covered, &cue, 0, i, wordsSeen }, nullptr);
            const IntentMatch b
                = decide(right, er, View { &raw, &stems, &covered, &cue, i + 1, n, wordsSeen }, nullptr);
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

QJsonObject matchExplanationJson(const IntentMatch &m, const QStringList &steps)
{
    QJsonArray top, slotList;
    for (const IntentScore &s : m.top)
        top.append(QJsonObject { { QLatin1String("intent"), s.intent }, { QLatin1String("score"), s.score } });
    for (const SlotValue &v : m.slotValues)
        slotList.append(QJsonObject { { QLatin1String("name"), v.name }, { QLatin1String("value"), v.value } });
    return QJsonObject { { QLatin1String("abstained"), m.abstained }, { QLatin1String("intent"), m.intent },
        { QLatin1String("key"), m.key() }, { QLatin1String("margin"), m.margin },
        { QLatin1String("confidence"), m.confidence }, { QLatin1String("coverage"), m.coverage },
        { QLatin1String("reason"), m.reason }, { QLatin1String("slots"), slotList }, { QLatin1String("top"), top },
        { QLatin1String("steps"), QJsonArray::fromStringList(steps) } };
}

} // namespace l0
