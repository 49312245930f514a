#include "safetyscanner.h"

#include "safetyprofile.h"
#include "safetyvalue.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>

#include <cmath>

namespace l0 {

namespace {

using Re = QRegularExpression;

const Re &re(const char *pattern, bool caseInsensitive = true)
{
    // Patterns are compiled once and shared; QRegularExpression is thread-safe for matching.
    static thread_local QHash<const char *, Re> cache;
    auto it = cache.find(pattern);
    if (it == cache.end()) {
        Re r(QString::fromUtf8(pattern), (caseInsensitive ? Re::CaseInsensitiveOption : Re::NoPatternOption));
        r.optimize();
        it = cache.insert(pattern, r);
    }
    return *it;
}

struct Scan {
    const QString &text;
    const SafetyProfile &profile;
    std::vector<Finding> out;
    int surrogates = -1; // -1: not yet known
    std::vector<char> present; // which of the profile's needles the text holds (filled on first use)

    bool holds(int needleId)
    {
        if (present.empty())
            findNeedles();
        return needleId >= 0 && present[size_t(needleId)];
    }

    // One pass: at each position, only the needles starting with that letter are compared.
    void findNeedles()
    {
        present.assign(size_t(profile.needles.size()) + 1, 0);
        const qsizetype n = text.size();
        const QChar *d = text.constData();
        auto lower = [](char16_t c) { return c >= u'A' && c <= u'Z' ? char16_t(c + 32) : c; };
        for (qsizetype i = 0; i < n; ++i) {
            const char16_t c = lower(d[i].unicode());
            if (c >= 128)
                continue;
            for (int id : profile.needlesByFirst[c]) {
                if (present[size_t(id)])
                    continue;
                const QString &needle = profile.needles.at(id);
                if (i + needle.size() > n)
                    continue;
                qsizetype k = 1;
                while (k < needle.size() && lower(d[i + k].unicode()) == needle.at(k).unicode())
                    ++k;
                if (k == needle.size())
                    present[size_t(id)] = 1;
            }
        }
    }

    qint64 offset(qsizetype i)
    {
        if (surrogates < 0) {
            surrogates = 0;
            for (QChar c : text)
                surrogates += c.isSurrogate() ? 1 : 0;
        }
        return surrogates == 0 ? qint64(i)
                               : codePointOffset(text, i); // UTF-16 index is the code point index without surrogates
    }

    void add(const char *detector, Severity sev, double score, qsizetype start, qsizetype end, const QString &message)
    {
        add(QString::fromLatin1(detector), sev, score, start, end, message);
    }
    void add(
        const QString &detector, Severity sev, double score, qsizetype start, qsizetype end, const QString &message)
    {
        Finding f;
        f.detector = detector;
        f.severity = sev;
        f.score = score;
        f.spans.emplace_back(offset(start), offset(end));
        f.message = message;
        out.push_back(std::move(f));
    }
};

double shannonBits(const QString &s)
{
    QHash<QChar, int> counts;
    for (QChar c : s)
        ++counts[c];
    double h = 0;
    for (int n : counts) {
        const double p = double(n) / double(s.size());
        h -= p * std::log2(p);
    }
    return h;
}

// Registrable-ish domain: the last two labels (three for a few two-level public suffixes).
QString baseDomain(const QString &host)
{
    const QStringList labels = host.toLower().split(QLatin1Char('.'), Qt::SkipEmptyParts);
    if (labels.size() <= 2)
        return labels.join(QLatin1Char('.'));
    static const QSet<QString> twoLevel { QStringLiteral("co.uk"), QStringLiteral("com.au"), QStringLiteral("co.jp"),
        QStringLiteral("com.br") };
    const QString last2 = labels.mid(labels.size() - 2).join(QLatin1Char('.'));
    if (twoLevel.contains(last2) && labels.size() >= 3)
        return labels.mid(labels.size() - 3).join(QLatin1Char('.'));
    return last2;
}

// Characters people confuse: a look-alike of a trusted name maps to the same skeleton.
QString skeleton(const QString &s)
{
    QString out;
    for (QChar c : s.toLower()) {
        switch (c.unicode()) {
        case '0':
            out += QLatin1Char('o');
            break;
        case '1':
        case 'l':
        case '!':
        case '|':
            out += QLatin1Char('i');
            break;
        case '3':
            out += QLatin1Char('e');
            break;
        case '5':
            out += QLatin1Char('s');
            break;
        case 0x0430:
            out += QLatin1Char('a');
            break; // Cyrillic а
        case 0x0435:
            out += QLatin1Char('e');
            break; // е
        case 0x043E:
            out += QLatin1Char('o');
            break; // о
        case 0x0440:
            out += QLatin1Char('p');
            break; // р
        case 0x0441:
            out += QLatin1Char('c');
            break; // с
        case 0x0445:
            out += QLatin1Char('x');
            break; // х
        case '-':
            break;
        default:
            out += c;
        }
    }
    out.replace(QLatin1String("rn"), QLatin1String("m")).replace(QLatin1String("vv"), QLatin1String("w"));
    return out;
}

int editDistance(const QString &a, const QString &b)
{
    std::vector<int> prev(size_t(b.size()) + 1), cur(size_t(b.size()) + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        prev[size_t(j)] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        cur[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j)
            cur[size_t(j)] = std::min(
                { prev[size_t(j)] + 1, cur[size_t(j - 1)] + 1, prev[size_t(j - 1)] + (a[i - 1] == b[j - 1] ? 0 : 1) });
        std::swap(prev, cur);
    }
    return prev[size_t(b.size())];
}

// One pass of a combined alternation; each match reported as the pattern whose group took it.
template <typename F>
void forEachMatch(const SafetyProfile::Combined &combined, const std::vector<SafetyProfile::Pattern> &patterns,
    const QString &text, F &&report)
{
    if (combined.empty())
        return;
    auto it = combined.re.globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        for (size_t i = 0; i < patterns.size(); ++i) {
            if (m.capturedStart(combined.groupOf[i]) >= 0) {
                report(patterns[i], m, combined.groupOf[i]);
                break;
            }
        }
    }
}

// Issuer prefixes and lengths of the card networks (Visa, Mastercard incl. the 2-series, Amex,
// Discover, JCB incl. 2131/1800, Diners, Maestro, UnionPay).
bool cardPrefixPlausible(const QString &d)
{
    const qsizetype n = d.size();
    if (n < 12 || n > 19)
        return false;
    const int p2 = QStringView(d).left(2).toInt(), p4 = QStringView(d).left(4).toInt();
    if (p4 == 2131 || p4 == 1800)
        return n == 15;
    if (p4 >= 2221 && p4 <= 2720)
        return n == 16;
    if (p2 == 50 || (p2 >= 56 && p2 <= 69))
        return true; // Maestro and others: 12 to 19
    return n >= 13 && (d.at(0) == QLatin1Char('3') || d.at(0) == QLatin1Char('4') || d.at(0) == QLatin1Char('5'));
}

// Words before (or just after) a number that say what it is. A word counts when it is in the
// list or starts with one of the stems (German compounds: Telefonnummer, Handynummer).
bool inContext(const QString &w, const SafetyProfile::WordContext &c)
{
    if (c.words.contains(w))
        return true;
    for (const QString &stem : c.stems) {
        if (w.size() >= stem.size() && w.at(0) == stem.at(0) && w.startsWith(stem))
            return true;
    }
    return false;
}

// The words between `from` and `to`, nearest first, lower case (at most eight).
std::vector<QString> wordsBefore(const QString &t, qsizetype from, qsizetype to)
{
    std::vector<QString> out;
    qsizetype i = to;
    while (i > from && out.size() < 8) {
        while (i > from && !t.at(i - 1).isLetter())
            --i;
        const qsizetype end = i;
        while (i > from && t.at(i - 1).isLetter())
            --i;
        if (end == i)
            break;
        out.push_back(t.mid(i, end - i).toLower());
    }
    return out;
}

// Distance in words of the nearest context word, or -1.
int contextDistance(const std::vector<QString> &words, const SafetyProfile::WordContext &c)
{
    for (size_t k = 0; k < words.size(); ++k) {
        if (inContext(words[k], c))
            return int(k) + 1;
    }
    return -1;
}

bool contextAfter(const QString &t, qsizetype pos, const SafetyProfile::WordContext &c)
{
    qsizetype i = pos;
    const qsizetype limit = std::min<qsizetype>(t.size(), pos + 14);
    while (i < limit && !t.at(i).isLetter() && t.at(i) != QLatin1Char('\n'))
        ++i;
    const qsizetype start = i;
    while (i < t.size() && t.at(i).isLetter())
        ++i;
    if (i == start || start >= limit)
        return false;
    return inContext(t.mid(start, i - start).toLower(), c);
}

// Groups of up to four capitals or digits back to a country code and check digits (GB29 NWBK
// 6016 ...): the digits that follow belong to an IBAN.
bool ibanGroupsBefore(const QString &t, qsizetype pos)
{
    qsizetype i = pos;
    for (int groups = 0; groups < 8; ++groups) {
        if (i < 2 || t.at(i - 1) != QLatin1Char(' '))
            return false;
        const qsizetype end = i - 1;
        qsizetype start = end;
        while (start > 0 && end - start < 4 && (t.at(start - 1).isUpper() || t.at(start - 1).isDigit()))
            --start;
        if (start == end || (start > 0 && t.at(start - 1).isLetterOrNumber()))
            return false;
        const QStringView g = QStringView(t).mid(start, end - start);
        if (g.size() == 4 && g.at(0).isUpper() && g.at(1).isUpper() && g.at(2).isDigit() && g.at(3).isDigit())
            return true;
        i = start;
    }
    return false;
}

// " x204", "ext. 12", "extension 7" right after a number: where the extension ends, or pos.
qsizetype phoneExtensionEnd(const QString &t, qsizetype pos)
{
    qsizetype i = pos;
    if (i < t.size() && t.at(i) == QLatin1Char(' '))
        ++i;
    const QStringView rest = QStringView(t).mid(i, 12);
    qsizetype word = 0;
    if (rest.startsWith(QLatin1String("extension"), Qt::CaseInsensitive))
        word = 9;
    else if (rest.startsWith(QLatin1String("ext"), Qt::CaseInsensitive))
        word = rest.size() > 3 && rest.at(3) == QLatin1Char('.') ? 4 : 3;
    else if (rest.startsWith(QLatin1Char('x')) || rest.startsWith(QLatin1Char('X')))
        word = 1;
    if (!word)
        return pos;
    i += word;
    if (i < t.size() && t.at(i) == QLatin1Char(' '))
        ++i;
    const qsizetype digits = i;
    while (i < t.size() && i - digits < 6 && t.at(i).isDigit())
        ++i;
    if (i == digits || i - digits > 5 || (i < t.size() && t.at(i).isLetterOrNumber()))
        return pos;
    return i;
}

// Start of the stretch of text a context word must sit in: the same line, at most 60 characters back.
qsizetype contextStart(const QString &t, qsizetype pos)
{
    const qsizetype limit = std::max<qsizetype>(0, pos - 60);
    qsizetype i = pos;
    while (i > limit && t.at(i - 1) != QLatin1Char('\n'))
        --i;
    return i;
}

// Runs of digit groups: digits with short separators between them (spaces, dashes, dots,
// slashes, brackets), where a card, a phone or an SSN may be written. A run may continue over
// one line break, which only card numbers accept.
struct DigitRun {
    struct Group {
        qsizetype start, end; // digits only
        QString sepBefore; // what stands between the previous group and this one
    };
    std::vector<Group> groups;
    qsizetype start = 0; // including a leading '+' or '('
    bool plus = false;
};

bool isSeparatorChar(QChar c)
{
    return c == QLatin1Char(' ') || c == QLatin1Char('-') || c == QLatin1Char('.') || c == QLatin1Char('/')
        || c == QLatin1Char('(') || c == QLatin1Char(')') || c == QChar(0x00A0) || c == QLatin1Char('\t')
        || c == QChar(0x2011) || c == QChar(0x2013);
}

std::vector<DigitRun> digitRuns(const QString &t)
{
    std::vector<DigitRun> runs;
    const qsizetype n = t.size();
    qsizetype i = 0;
    while (i < n) {
        if (!t.at(i).isDigit() || t.at(i).unicode() >= 128) {
            ++i;
            continue;
        }
        DigitRun run;
        run.start = i;
        qsizetype k = i;
        while (k > 0 && k > i - 3 && (t.at(k - 1) == QLatin1Char('(') || t.at(k - 1) == QLatin1Char(' ')))
            --k;
        if (k > 0 && t.at(k - 1) == QLatin1Char('+')) {
            run.plus = true;
            run.start = k - 1;
        } else if (i > 0 && t.at(i - 1) == QLatin1Char('(')) {
            run.start = i - 1;
        }
        QString sep;
        while (true) {
            const qsizetype g = i;
            while (i < n && t.at(i).isDigit() && t.at(i).unicode() < 128)
                ++i;
            run.groups.push_back({ g, i, sep });
            // A separator of up to three characters (or one line break) and more digits.
            qsizetype j = i;
            int newlines = 0;
            while (j < n && j - i < 4 && (isSeparatorChar(t.at(j)) || t.at(j) == QLatin1Char('\n'))) {
                newlines += t.at(j) == QLatin1Char('\n');
                ++j;
            }
            if (j == i || j >= n || !t.at(j).isDigit() || t.at(j).unicode() >= 128 || newlines > 1 || j - i > 3
                || (newlines && j - i > 1))
                break;
            sep = t.mid(i, j - i);
            i = j;
        }
        runs.push_back(std::move(run));
    }
    return runs;
}

// Letters or digits glued to a number make it part of a code (SN-4482, INV-2023, 0x8007).
bool gluedBefore(const QString &t, qsizetype pos)
{
    if (pos <= 0)
        return false;
    const QChar c = t.at(pos - 1);
    if (c.isLetterOrNumber() || c == QLatin1Char('_'))
        return true;
    if ((c == QLatin1Char('-') || c == QLatin1Char('/') || c == QLatin1Char('.')) && pos >= 2)
        return t.at(pos - 2).isLetterOrNumber();
    return false;
}

bool gluedAfter(const QString &t, qsizetype pos)
{
    if (pos >= t.size())
        return false;
    const QChar c = t.at(pos);
    if (c.isLetterOrNumber() || c == QLatin1Char('_'))
        return true;
    if ((c == QLatin1Char('-') || c == QLatin1Char('/') || c == QLatin1Char('.') || c == QLatin1Char(','))
        && pos + 1 < t.size())
        return t.at(pos + 1).isDigit();
    return false;
}

QChar sepKind(const QString &sep)
{
    for (QChar c : sep) {
        if (c == QLatin1Char('-') || c == QLatin1Char('.') || c == QLatin1Char('/') || c == QLatin1Char('\n'))
            return c == QChar(0x2011) || c == QChar(0x2013) ? QLatin1Char('-') : c;
    }
    return QLatin1Char(' ');
}

void scanNumbers(Scan &s)
{
    const QString &t = s.text;
    const SafetyProfile &p = s.profile;
    std::vector<std::pair<qsizetype, qsizetype>> taken;
    auto overlaps = [&](qsizetype a, qsizetype b) {
        for (const auto &[x, y] : taken)
            if (a < y && b > x)
                return true;
        return false;
    };
    for (const DigitRun &run : digitRuns(t)) {
        const auto &g = run.groups;
        const size_t n = g.size();
        auto digitsOfRange = [&](size_t a, size_t b) {
            QString d;
            for (size_t k = a; k <= b; ++k)
                d += QStringView(t).mid(g[k].start, g[k].end - g[k].start);
            return d;
        };
        auto len = [&](size_t k) { return g[k].end - g[k].start; };
        // Cards: 12 to 19 digits that pass Luhn and start like a card network's numbers, in one
        // group or in the groups cards are printed in (4-4-4-4, 4-6-5, ...), one kind of separator.
        for (size_t a = 0; a < n; ++a) {
            // A card starts where the run (or its line) starts: digits before it make it the
            // tail of another number (an IBAN, a reference).
            if (a > 0 && !g[a].sepBefore.contains(QLatin1Char('\n')))
                continue;
            for (size_t b = n; b-- > a;) {
                qsizetype digits = 0;
                for (size_t k = a; k <= b; ++k)
                    digits += len(k);
                if (digits < 12 || digits > 19)
                    continue;
                bool sameSep = true, cardGroups = a == b;
                const QChar kind = b > a ? sepKind(g[a + 1].sepBefore) : QLatin1Char(' ');
                for (size_t k = a + 1; k <= b; ++k) {
                    const QChar sk = sepKind(g[k].sepBefore);
                    sameSep = sameSep && (sk == kind || sk == QLatin1Char('\n'));
                    sameSep = sameSep && !g[k].sepBefore.contains(QLatin1Char('('))
                        && !g[k].sepBefore.contains(QLatin1Char(')')) && !g[k].sepBefore.contains(QLatin1Char('/'));
                }
                if (b > a) {
                    bool fours = true;
                    for (size_t k = a; k < b; ++k)
                        fours = fours && len(k) == 4;
                    const bool amex = b == a + 2 && len(a) == 4 && len(a + 1) == 6 && (len(b) == 5 || len(b) == 4);
                    cardGroups
                        = (fours && len(b) >= 1 && len(b) <= 4) || amex || (b == a + 1 && len(a) >= 4 && len(b) >= 4);
                }
                if (!sameSep || !cardGroups || gluedBefore(t, g[a].start) || gluedAfter(t, g[b].end))
                    continue;
                const QString d = digitsOfRange(a, b);
                if (luhnValid(d) && cardPrefixPlausible(d)) {
                    s.add("pii.card", Severity::High, 0.95, g[a].start, g[b].end,
                        QStringLiteral("payment card number (Luhn-valid)"));
                    taken.emplace_back(g[a].start, g[b].end);
                    a = b;
                    break;
                }
            }
        }
        // Split at line breaks: phones and SSNs do not run over them.
        size_t segStart = 0;
        for (size_t e = 0; e <= n; ++e) {
            if (e < n && (e == 0 || !g[e].sepBefore.contains(QLatin1Char('\n'))))
                continue;
            const size_t a0 = segStart, b0 = e - 1;
            segStart = e;
            const qsizetype spanStart = a0 == 0 ? run.start : g[a0].start;
            const bool plus = a0 == 0 && run.plus;
            if (overlaps(spanStart, g[b0].end))
                continue;
            qsizetype digits = 0;
            for (size_t k = a0; k <= b0; ++k)
                digits += len(k);
            if (digits < 7 || digits > 15)
                continue; // neither an SSN nor a phone
            const std::vector<QString> words = wordsBefore(t, contextStart(t, spanStart), spanStart);
            const int ssnCtx = contextDistance(words, p.ssnContext);
            const int phoneCtx = contextDistance(words, p.phoneContext);
            const int notPhone = contextDistance(words, p.notPhoneContext);
            const bool glued = gluedBefore(t, spanStart) || gluedAfter(t, g[b0].end);
            // US social security numbers: AAA-GG-SSSS (dashes, dots or spaces), or nine digits
            // with an SSN word before them.
            if (!plus && !glued) {
                const size_t parts = b0 - a0 + 1;
                bool shaped = false;
                if (parts == 3 && len(a0) == 3 && len(a0 + 1) == 2 && len(b0) == 4 && g[a0 + 1].sepBefore.size() == 1
                    && g[a0 + 1].sepBefore == g[b0].sepBefore && QStringLiteral("- .").contains(g[b0].sepBefore)) {
                    shaped = g[b0].sepBefore == QLatin1String("-")
                        ? (notPhone < 0 || (ssnCtx > 0 && ssnCtx <= notPhone))
                        : ssnCtx > 0 || (notPhone < 0 && phoneCtx < 0);
                } else if (parts == 1 && len(a0) == 9) {
                    shaped = ssnCtx > 0 && (notPhone < 0 || ssnCtx <= notPhone);
                }
                if (shaped) {
                    const QString d = digitsOfRange(a0, b0);
                    const int ar = QStringView(d).left(3).toInt(), gr = QStringView(d).mid(3, 2).toInt(),
                              se = QStringView(d).mid(5).toInt();
                    if (ar != 0 && ar != 666 && ar < 900 && gr != 0 && se != 0) {
                        s.add("pii.ssn", Severity::High, ssnCtx > 0 ? 0.85 : 0.7, g[a0].start, g[b0].end,
                            QStringLiteral("US social security number"));
                        continue;
                    }
                }
            }
            // Phones.
            if (glued
                && !(gluedAfter(t, g[b0].end) && !gluedBefore(t, spanStart)
                    && (t.at(g[b0].end) == QLatin1Char('x') || t.at(g[b0].end) == QLatin1Char('X'))))
                continue;
            if (digits < 7 || digits > 15)
                continue;
            const QString d = digitsOfRange(a0, b0);
            if (luhnValid(d) && digits >= 13 && cardPrefixPlausible(d))
                continue;
            if (ibanGroupsBefore(t, spanStart))
                continue; // GI75 NWBK 0000 0000 7099 454: the digits of an IBAN, valid or not
            const size_t parts = b0 - a0 + 1;
            QChar kind = parts > 1 ? sepKind(g[a0 + 1].sepBefore) : QLatin1Char(' ');
            bool consistent = true;
            for (size_t k = a0 + 2; k <= b0; ++k)
                consistent = consistent && sepKind(g[k].sepBefore) == kind;
            // Dates and decimals are never phones.
            auto isDate = [&](size_t k) {
                if (k + 2 > b0)
                    return false;
                const QChar s1 = sepKind(g[k + 1].sepBefore), s2 = sepKind(g[k + 2].sepBefore);
                if (s1 != s2 || s1 == QLatin1Char(' ') || g[k + 1].sepBefore.size() != 1)
                    return false;
                const qsizetype l0 = len(k), l1 = len(k + 1), l2 = len(k + 2);
                auto num = [&](size_t x) { return QStringView(t).mid(g[x].start, len(x)).toInt(); };
                auto year = [](int y) { return y >= 1900 && y <= 2099; };
                auto dayMonth
                    = [](int a, int b) { return a >= 1 && b >= 1 && ((a <= 31 && b <= 12) || (a <= 12 && b <= 31)); };
                return (l0 == 4 && l1 <= 2 && l2 <= 2 && year(num(k)) && dayMonth(num(k + 2), num(k + 1)))
                    || (l0 <= 2 && l1 <= 2 && l2 == 4 && year(num(k + 2)) && dayMonth(num(k), num(k + 1)));
            };
            if (isDate(a0) || (b0 >= a0 + 2 && isDate(b0 - 2)))
                continue;
            const QChar before = spanStart > 0 ? t.at(spanStart - 1) : QChar();
            if (QStringLiteral("$€£¥#").contains(before)
                || (spanStart > 1 && QStringLiteral("$€£¥").contains(t.at(spanStart - 2))))
                continue;
            // An area code in brackets: "(" before the first group and ")" right after it.
            const bool paren = t.mid(spanStart, g[a0].start - spanStart).contains(QLatin1Char('(')) && parts > 1
                && g[a0 + 1].sepBefore.startsWith(QLatin1Char(')'));
            const bool trunk
                = t.at(g[a0].start) == QLatin1Char('0') && !(len(a0) >= 2 && t.at(g[a0].start + 1) == QLatin1Char('0'));
            const bool intlPrefix = len(a0) >= 2 && len(a0) <= 4 && t.at(g[a0].start) == QLatin1Char('0')
                && t.at(g[a0].start + 1) == QLatin1Char('0') && d.size() > 2 && d.at(2) != QLatin1Char('0');
            const bool nanp = parts >= 3 && len(b0) == 4 && len(b0 - 1) == 3 && len(b0 - 2) == 3
                && (parts == 3 || (parts == 4 && len(a0) == 1 && t.at(g[a0].start) == QLatin1Char('1')))
                && (kind == QLatin1Char('-') || kind == QLatin1Char('.') || paren);
            bool thousands = parts >= 2 && len(a0) <= 3 && (kind == QLatin1Char(' ') || kind == QLatin1Char('.'));
            for (size_t k = a0 + 1; k <= b0 && thousands; ++k)
                thousands = len(k) == 3;
            // Digits spaced out one by one: 0 7 7 0 0 9 0 0 4 6 1.
            bool spacedOut = parts >= 7;
            for (size_t k = a0; k <= b0 && spacedOut; ++k)
                spacedOut = len(k) == 1;
            bool strong = false;
            if (plus)
                strong = digits >= 8 && (parts >= 2 || digits >= 10);
            else if (intlPrefix)
                strong = digits >= 10 && parts >= 2;
            else if (nanp)
                strong = consistent || paren;
            else if (paren)
                strong = digits >= 8 && digits <= 12 && parts >= 2;
            else if (trunk)
                strong = digits >= 9 && digits <= 12 && parts >= 2 && len(a0) <= 5
                    && (consistent || kind == QLatin1Char(' '));
            if (thousands && !plus && !paren)
                strong = false;
            const bool phoneWord = (phoneCtx > 0 && (notPhone < 0 || phoneCtx < notPhone))
                || contextAfter(t, g[b0].end, p.phoneLabelsAfter);
            // AAA-GG-SSSS that failed the SSN rules is an invalid SSN, not a phone.
            const bool ssnShaped = parts == 3 && len(a0) == 3 && len(a0 + 1) == 2 && len(b0) == 4
                && g[a0 + 1].sepBefore == g[b0].sepBefore && g[b0].sepBefore.size() == 1;
            if (ssnShaped && !phoneWord)
                continue;
            const bool blocked = notPhone > 0 && notPhone <= 3 && !(phoneCtx > 0 && phoneCtx < notPhone);
            bool medium = digits >= 8 && digits <= 13 && (parts >= 2 || digits >= 10);
            medium = medium || (spacedOut && digits >= 7);
            if (!(strong && !blocked) && !(medium && phoneWord))
                continue;
            // An extension after the number belongs to it: x204, ext. 12.
            qsizetype end = g[b0].end;
            const qsizetype extensionEnd = phoneExtensionEnd(t, end);
            if (extensionEnd > end)
                end = extensionEnd;
            else if (gluedAfter(t, end))
                continue;
            s.add("pii.phone", Severity::Medium, strong ? 0.8 : 0.6, spanStart, end, QStringLiteral("phone number"));
        }
    }
    // Phone numbers written out in words: "five five five, two six seven, ...", with a phone word before.
    int digitWords = 0;
    for (int id : p.digitWordNeedleIds)
        digitWords += s.holds(id) ? 1 : 0;
    if (digitWords >= 2) {
        auto it = p.spelledDigits.globalMatch(t);
        while (it.hasNext()) {
            const auto m = it.next();
            const int ctx = contextDistance(
                wordsBefore(t, contextStart(t, m.capturedStart()), m.capturedStart()), p.phoneContext);
            // Ten digit words in a row say "number" on their own; fewer need a phone word.
            const qsizetype words
                = m.captured().split(QRegularExpression(QStringLiteral("[\\s,;.-]+")), Qt::SkipEmptyParts).size();
            if (ctx > 0 || words >= 10)
                s.add("pii.phone", Severity::Medium, 0.6, m.capturedStart(), m.capturedEnd(),
                    QStringLiteral("phone number, written in words"));
        }
    }
}

void scanPii(Scan &s)
{
    const QString &t = s.text;
    // E-mail addresses, letters of any script on both sides of the @: from each @, the local
    // part back and the domain forward; the domain needs a dot and a top-level domain of letters.
    for (qsizetype at = t.indexOf(QLatin1Char('@')); at >= 0; at = t.indexOf(QLatin1Char('@'), at + 1)) {
        auto localChar = [](QChar c) { return c.isLetterOrNumber() || QStringLiteral("._%+-").contains(c); };
        qsizetype start = at;
        while (start > 0 && localChar(t.at(start - 1)))
            --start;
        qsizetype end = at + 1;
        while (end < t.size()
            && (t.at(end).isLetterOrNumber() || t.at(end) == QLatin1Char('-') || t.at(end) == QLatin1Char('.')))
            ++end;
        while (end > at + 1 && (t.at(end - 1) == QLatin1Char('.') || t.at(end - 1) == QLatin1Char('-')))
            --end; // a sentence's full stop
        if (start == at || end <= at + 1)
            continue;
        const QStringView domain = QStringView(t).mid(at + 1, end - at - 1);
        const qsizetype dot = domain.lastIndexOf(QLatin1Char('.'));
        if (dot <= 0 || domain.contains(QLatin1String("..")))
            continue;
        const QStringView tld = domain.mid(dot + 1);
        bool letters = tld.size() >= 2 && tld.size() <= 24;
        for (QChar c : tld)
            letters = letters && c.isLetter();
        if (letters)
            s.add("pii.email", Severity::Medium, 0.95, start, end, QStringLiteral("e-mail address"));
    }
    // Addresses written to dodge harvesters: jane [at] example [dot] com, max(at)firma.de,
    // pat dot lee at example dot net.
    bool bracketAt = false;
    for (int id : s.profile.bracketAtNeedleIds)
        bracketAt = bracketAt || s.holds(id);
    auto written = [&](const QRegularExpression &r, bool anyCountryCode) {
        auto it = r.globalMatch(t);
        while (it.hasNext()) {
            const auto m = it.next();
            const QString tld = m.captured(QStringLiteral("tld")).toLower();
            if ((anyCountryCode && tld.size() == 2) || s.profile.emailTlds.contains(tld))
                s.add("pii.email", Severity::Medium, 0.7, m.capturedStart(), m.capturedEnd(),
                    QStringLiteral("e-mail address, written out"));
        }
    };
    if (bracketAt)
        written(s.profile.obfuscatedEmail, true);
    if (s.holds(s.profile.spelledDotNeedleId))
        written(s.profile.spelledEmail, false);
    scanNumbers(s);
    // IBANs: country, check digits and up to 30 letters or digits, grouped or not, any case; the
    // longest stretch whose checksum holds.
    {
        auto it
            = re(R"((?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ \-\x{00A0}]{0,2}[A-Za-z0-9]){11,32})", false).globalMatch(t);
        while (it.hasNext()) {
            const auto m = it.next();
            const qsizetype start = m.capturedStart();
            QString compact;
            std::vector<qsizetype> ends; // text position after each compact character
            for (qsizetype i = start; i < m.capturedEnd(); ++i) {
                if (t.at(i).isLetterOrNumber()) {
                    compact += t.at(i).toUpper();
                    ends.push_back(i + 1);
                }
            }
            for (qsizetype k = compact.size(); k >= 15; --k) {
                const qsizetype endPos = ends[size_t(k - 1)];
                if (endPos < t.size() && t.at(endPos).isLetterOrNumber())
                    continue; // ends inside a word
                if (ibanValid(compact.left(k))) {
                    s.add("pii.iban", Severity::High, 0.97, start, endPos, QStringLiteral("IBAN (checksum valid)"));
                    break;
                }
            }
        }
    }
    auto it
        = re(R"((?<![\w.])((?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3})(?!\w))").globalMatch(t);
    while (it.hasNext()) {
        const auto m = it.next();
        // "Section 4.3.2.1", "version 1.2.0.4": numbering, not an address.
        const std::vector<QString> before = wordsBefore(t, contextStart(t, m.capturedStart()), m.capturedStart());
        if (!before.empty() && inContext(before.front(), s.profile.notIpContext))
            continue;
        s.add("pii.ip_address", Severity::Low, 0.8, m.capturedStart(), m.capturedEnd(), QStringLiteral("IPv4 address"));
    }
    // IPv6: hex groups with colons (a zone after %), validated by the address parser; MAC
    // addresses and ratios do not parse.
    if (t.contains(QLatin1Char(':'))) {
        it = re(R"((?<![\w:.])((?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4})(?:%[\w.]+)?(?![\w:]))").globalMatch(t);
        while (it.hasNext()) {
            const auto m = it.next();
            QHostAddress address;
            if (address.setAddress(m.captured(1)) && address.protocol() == QAbstractSocket::IPv6Protocol)
                s.add("pii.ip_address", Severity::Low, 0.7, m.capturedStart(), m.capturedEnd(),
                    QStringLiteral("IPv6 address"));
        }
    }
    for (const SafetyProfile::Pattern &id : s.profile.nationalIds) {
        it = id.re.globalMatch(t);
        while (it.hasNext()) {
            const auto m = it.next();
            s.add(id.name, id.severity, 0.8, m.capturedStart(), m.capturedEnd(),
                id.message.isEmpty() ? QStringLiteral("national ID") : id.message);
        }
    }
}

QStringView lineAround(const QString &t, qsizetype pos)
{
    const qsizetype start = t.lastIndexOf(QLatin1Char('\n'), pos) + 1;
    qsizetype end = t.indexOf(QLatin1Char('\n'), pos);
    if (end < 0)
        end = t.size();
    return QStringView(t).mid(start, end - start);
}

// A bare token is left to the format patterns: the generic detectors judge tokens with
// something around them (an assignment, a label, other words).
bool hasContext(QStringView line)
{
    return line.contains(QLatin1Char('=')) || line.contains(QLatin1Char(':'));
}

// The learned line model's score for the line around a position (1 without a model): the
// generic rules (a credential name with a value, a random-looking token) fire only where the
// line, read as a whole, does not look like ordinary code.
double lineSupport(const Scan &s, qsizetype pos)
{
    const TextModel *model = s.profile.lineModel.get();
    if (!model)
        return 1;
    return model->score(lineAround(s.text, pos)) / std::max(1e-6, double(model->threshold));
}

// A JWT's first part is base64url of a JSON object naming its algorithm or type.
bool jwtHeaderValid(const QString &token)
{
    const QByteArray header = QByteArray::fromBase64(token.section(QLatin1Char('.'), 0, 0).toLatin1(),
        QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const QJsonObject o = QJsonDocument::fromJson(header).object();
    return o.contains(QLatin1String("alg")) || o.contains(QLatin1String("typ"));
}

// A JWT that could authenticate someone: its header decodes and does not say "alg": "none", it
// is not cut short ("eyJ...") and its signature is not explicitly empty ("header.payload.").
bool jwtLooksIssued(const QString &t, const QRegularExpressionMatch &m)
{
    const QString token = m.captured();
    if (!jwtHeaderValid(token))
        return false;
    const QByteArray header = QByteArray::fromBase64(token.section(QLatin1Char('.'), 0, 0).toLatin1(),
        QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const QString alg = QJsonDocument::fromJson(header).object().value(QLatin1String("alg")).toString();
    if (alg.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0)
        return false;
    const QStringView after = QStringView(t).mid(m.capturedEnd(), 3);
    if (after.startsWith(QLatin1String("...")) || after.startsWith(QChar(0x2026)))
        return false;
    return !token.endsWith(QLatin1Char('.'));
}

// What follows a "BEGIN PRIVATE KEY" line: an elided body ("..."), code that builds the key
// ("-----BEGIN...-----\n" . $key) or a repeated filler is no key.
bool privateKeyBodyPlausible(const QString &t, qsizetype headerEnd)
{
    qsizetype i = headerEnd;
    auto skip = [&] {
        while (i < t.size()) {
            if (t.at(i).isSpace()) {
                ++i;
            } else if (t.at(i) == QLatin1Char('\\')) {
                // Escaped line breaks, as code and JSON write them: \n, \\n, \r\n.
                while (i < t.size() && t.at(i) == QLatin1Char('\\'))
                    ++i;
                if (i < t.size() && (t.at(i) == QLatin1Char('n') || t.at(i) == QLatin1Char('r')))
                    ++i;
            } else {
                break;
            }
        }
    };
    skip();
    if (i < t.size() && (t.at(i) == QLatin1Char('"') || t.at(i) == QLatin1Char('\''))) {
        // The header closes a string: what comes next decides.
        ++i;
        skip();
        if (i < t.size() && QStringLiteral(".+,;)").contains(t.at(i)))
            return false;
    }
    const QStringView body = QStringView(t).mid(i, 80);
    if (body.startsWith(QLatin1String("...")) || body.startsWith(QChar(0x2026)))
        return false;
    QString letters;
    for (QChar c : body) {
        if (c == QLatin1Char('-'))
            break; // the END line
        if (c.isLetterOrNumber())
            letters += c;
    }
    return letters.size() < 12 || !repetitive(letters);
}

// A match that is a segment of a URL path or a query parameter of one (an ID in a REST path).
bool insideUrl(const QString &t, qsizetype start, qsizetype end)
{
    const QChar before = start > 0 ? t.at(start - 1) : QChar();
    const QChar after = end < t.size() ? t.at(end) : QChar();
    return (before == QLatin1Char('/')
               && (after == QLatin1Char('/') || after == QLatin1Char('.') || after == QLatin1Char('?')))
        || after == QLatin1Char('&') || (before == QLatin1Char('=') && after == QLatin1Char('&'));
}

// A token inside a password hash ($2b$12$<salt and hash>, {SSHA}...): the whole value decides.
bool partOfHash(const QString &t, qsizetype start, qsizetype end)
{
    auto inValue = [](QChar c) { return !c.isSpace() && !QStringLiteral("\"'`;").contains(c); };
    while (start > 0 && inValue(t.at(start - 1)))
        --start;
    while (end < t.size() && inValue(t.at(end)))
        ++end;
    return judgeValue(QStringView(t).mid(start, end - start), true).shape == ValueShape::Hash;
}

// scheme://user:password@host: a password that is a placeholder (user:pass, foo:bar), a
// template (%s, ${PASS}), a port ("host:80?@...": a URL trick, no password) or a word is none.
bool urlPasswordPlausible(const Scan &s, const QString &match)
{
    const qsizetype scheme = match.indexOf(QLatin1String("://"));
    const qsizetype at = match.lastIndexOf(QLatin1Char('@'));
    if (scheme < 0 || at < 0)
        return true;
    const QString userinfo = match.mid(scheme + 3, at - scheme - 3);
    const qsizetype colon = userinfo.indexOf(QLatin1Char(':'));
    if (colon < 0)
        return true;
    const QString user = userinfo.left(colon), password = userinfo.mid(colon + 1);
    bool port = !password.isEmpty();
    int digits = 0;
    for (QChar c : password) {
        digits += c.isDigit();
        port = port && (c.isDigit() || QStringLiteral("?#;").contains(c));
    }
    if ((port && digits <= 5) || user.contains(QLatin1Char('.')))
        return false;
    const ValueShape shape = judgeValue(password, false, &s.profile.placeholders, s.profile.placeholderWords).shape;
    return !shapeHoldsNoSecret(shape) && !password.startsWith(QLatin1Char('%'));
}

// A value that looks chosen to be hard to guess: long, varied, several kinds of characters.
bool strongValue(const QString &v)
{
    if (v.size() < 10 || shannonBits(v) < 3.5)
        return false;
    int lower = 0, upper = 0, digit = 0, symbol = 0;
    for (QChar c : v) {
        lower += c.isLower();
        upper += c.isUpper();
        digit += c.isDigit();
        symbol += !c.isLetterOrNumber();
    }
    const int classes = (lower > 0) + (upper > 0) + (digit > 0) + (symbol > 0);
    return classes >= 3 || (symbol >= 3 && lower + upper >= 4);
}

void scanSecrets(Scan &s)
{
    const QString &t = s.text;
    for (const SafetyProfile::Pattern &k : s.profile.secretPatterns) {
        // A literal every match holds is far cheaper to look for than the pattern.
        bool possible = k.needleIds.empty();
        for (int id : k.needleIds)
            possible = possible || s.holds(id);
        if (!possible)
            continue;
        const bool jwt = k.name == QLatin1String("secret.jwt");
        const bool pem = k.name == QLatin1String("secret.private_key");
        const bool userinfo = k.name == QLatin1String("secret.basic_auth_url");
        const bool header = k.name == QLatin1String("secret.auth_header");
        auto it = k.re.globalMatch(t);
        while (it.hasNext()) {
            const auto m = it.next();
            if (jwt && !jwtLooksIssued(t, m))
                continue;
            if (pem ? !privateKeyBodyPlausible(t, m.capturedEnd())
                    : repetitive(m.capturedView()) && insideUrl(t, m.capturedStart(), m.capturedEnd()))
                continue; // a key whose body is "..." or built by code; /Accounts/ACaaaa...aaaa/Calls.json
            if (userinfo && !urlPasswordPlausible(s, m.captured()))
                continue;
            if (header) {
                const QString token = m.captured().section(QLatin1Char(' '), -1);
                const ValueJudgement j = judgeValue(token, false, &s.profile.placeholders, s.profile.placeholderWords);
                if (!(j.shape == ValueShape::Secret || (j.shape == ValueShape::Weak && j.classes >= 2)))
                    continue;
            }
            s.add(k.name, k.severity, 0.95, m.capturedStart(), m.capturedEnd(),
                k.message.isEmpty() ? QStringLiteral("credential in the answer") : k.message);
        }
    }
    // A credential name given a value: password = "…", api_key: …, if (token == "…"),
    // secret "…". Quoted values are plain enough to trust; unquoted ones must also sit on a line
    // the line model does not take for ordinary code.
    auto weakValue = [&](const QString &value) {
        bool alnum = false;
        for (QChar c : value)
            alnum = alnum || c.isLetterOrNumber();
        if (!alnum || s.profile.placeholders.contains(value.toLower()))
            return true;
        for (const QString &w : s.profile.placeholderWords) {
            if (value.contains(w, Qt::CaseInsensitive))
                return true;
        }
        return false;
    };
    bool credentialWord = false;
    for (int id : s.profile.credentialNeedleIds)
        credentialWord = credentialWord || s.holds(id);
    for (const QRegularExpression *r : { &s.profile.credentialAssignment, &s.profile.credentialComparison }) {
        if (!credentialWord)
            break;
        auto it = r->globalMatch(t);
        while (it.hasNext()) {
            const auto m = it.next();
            int group = 0;
            for (int g = 1; g <= r->captureCount() && !group; ++g)
                group = m.capturedStart(g) >= 0 ? g : 0;
            if (!group)
                continue;
            const QString value = m.captured(group);
            const bool quoted = group < r->captureCount(); // the last group is the unquoted form
            if (weakValue(value))
                continue;
            // Placeholders, references, hashes, prose and words are no credential, whatever
            // the name says.
            if (shapeHoldsNoSecret(
                    judgeValue(value, quoted, &s.profile.placeholders, s.profile.placeholderWords).shape))
                continue;
            if (!quoted && m.capturedEnd(group) < t.size()
                && QStringView(t).mid(m.capturedEnd(group)).trimmed().startsWith(QLatin1Char(';'))
                && guessLineSyntax(lineAround(t, m.capturedStart(group))) != LineSyntax::Shell
                && guessLineSyntax(lineAround(t, m.capturedStart(group))) != LineSyntax::EnvFile)
                continue; // password = value; in code: a name, not a string
            if (!quoted
                && (value.endsWith(QLatin1Char('=')) || value.endsWith(QLatin1Char(':'))
                    || value.startsWith(QLatin1Char('$')) || value.startsWith(QLatin1Char('{'))
                    || value.startsWith(QLatin1Char('<')) || value.contains(QLatin1String("os.environ"))
                    || value.contains(QLatin1String("getenv")) || value.size() < 6))
                continue;
            // How much the line model must agree: nothing for a strong quoted value, all of its
            // threshold for a plain unquoted one.
            const bool strong = strongValue(value);
            const double needed = quoted ? (strong ? 0.0 : 0.5) : (strong ? 0.25 : 1.0);
            if (needed > 0 && lineSupport(s, m.capturedStart(group)) < needed)
                continue;
            const double bits = shannonBits(value);
            s.add("secret.assignment", Severity::High, std::min(0.95, 0.5 + bits / 10.0), m.capturedStart(group),
                m.capturedEnd(group), QStringLiteral("a value given to a credential name"));
        }
    }
    // Passwords given on a command line (sshpass -p '...', mysql -p..., curl -u user:...) and
    // in key/value configuration elements (<add key="DbPassword" value="..."/>).
    auto literal = [&](const QString &value) {
        const ValueJudgement j = judgeValue(value, true, &s.profile.placeholders, s.profile.placeholderWords);
        return j.shape == ValueShape::Secret || (j.shape == ValueShape::Weak && j.classes >= 2 && j.length >= 8);
    };
    if (s.holds(s.profile.commandFlagNeedleId)) {
        auto it = re(
            R"((?:^|[\s;|&$>(])(?:sshpass|mysql|mysqladmin|mysqldump|psql|curl|wget|smbclient|rdesktop|xfreerdp|sqlcmd|runas|net use|redis-cli|mongo|mongosh|htpasswd|openssl)\b[^\n]*?\s(?:-p\s?|--password[= ]|-u\s+[^\s:'"]+:|/p:|-a\s|--pass[= ])(['"]?)([^\s'"]{6,})\1)",
            false)
                      .globalMatch(t);
        while (it.hasNext()) {
            const auto m = it.next();
            if (literal(m.captured(2)))
                s.add("secret.command_line", Severity::High, 0.8, m.capturedStart(2), m.capturedEnd(2),
                    QStringLiteral("a password on a command line"));
        }
    }
    if (credentialWord && s.holds(s.profile.closingTagNeedleId)) {
        // <password>...</password>, <ApiKey>...</ApiKey>
        auto it = re(R"(<([A-Za-z][\w:.-]{0,60})>([^<\n]{4,200})</\1>)", false).globalMatch(t);
        while (it.hasNext()) {
            const auto m = it.next();
            if (s.profile.credentialNames.match(m.captured(1)).hasMatch() && literal(m.captured(2)))
                s.add("secret.assignment", Severity::High, 0.8, m.capturedStart(2), m.capturedEnd(2),
                    QStringLiteral("a value given to a credential name"));
        }
    }
    if (credentialWord && s.holds(s.profile.valueNeedleId)) {
        auto it = re(R"re(\bkey\s*=\s*"([^"\n]{1,80})"\s+value\s*=\s*"([^"\n]{4,200})")re").globalMatch(t);
        while (it.hasNext()) {
            const auto m = it.next();
            if (s.profile.credentialNames.match(m.captured(1)).hasMatch() && literal(m.captured(2)))
                s.add("secret.assignment", Severity::High, 0.8, m.capturedStart(2), m.capturedEnd(2),
                    QStringLiteral("a value given to a credential name"));
        }
    }
    // Long high-entropy tokens standing alone.
    auto it = re(R"((?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{32,}={0,2}(?![A-Za-z0-9+/_-]))", false).globalMatch(t);
    while (it.hasNext()) {
        const auto m = it.next();
        const QString v = m.captured();
        bool hasDigit = false, hasUpper = false, hasLower = false;
        for (QChar c : v) {
            hasDigit |= c.isDigit();
            hasUpper |= c.isUpper();
            hasLower |= c.isLower();
        }
        if (hasDigit && hasUpper && hasLower && shannonBits(v) >= 4.2 && !weakValue(v)
            && !shapeHoldsNoSecret(judgeValue(v, false, &s.profile.placeholders, s.profile.placeholderWords).shape)
            && !judgeValue(v, false).base64Json && !partOfHash(t, m.capturedStart(), m.capturedEnd())
            && !v.startsWith(QLatin1String("eyJ")) && hasContext(lineAround(t, m.capturedStart()))
            && lineSupport(s, m.capturedStart()) >= 0.5)
            s.add("secret.high_entropy", Severity::Medium, 0.6, m.capturedStart(), m.capturedEnd(),
                QStringLiteral("random-looking token"));
    }
}

// How a URL is built, scored: the cues phishing links share (brand names outside the brand's
// domain, credential words, throwaway hosting, odd top-level domains, random-looking parts).
int urlSuspicion(const SafetyProfile &p, const QUrl &url, const QString &host)
{
    const QString base = baseDomain(host);
    const QString baseName = base.section(QLatin1Char('.'), 0, 0);
    const QString rest = (url.path() + QLatin1Char('?') + url.query()).toLower();
    int score = 0;
    for (const QString &b : p.brands) {
        if ((host.contains(b) || rest.contains(b)) && baseName != b) {
            score += 2;
            break;
        }
    }
    int wordHits = 0;
    const QString subdomains = host.section(QLatin1Char('.'), 0, -3);
    for (const QString &w : p.urlWords)
        wordHits += (rest.contains(w) || subdomains.contains(w)) ? 1 : 0;
    score += std::min(wordHits, 2);
    const QString whole = url.toString();
    for (const QString &t : p.throwawayHosts) {
        if (host.endsWith(t) || host.contains(t + QLatin1Char('.')) || whole.contains(t)) {
            score += 2;
            break;
        }
    }
    if (p.oddTlds.contains(host.section(QLatin1Char('.'), -1)) || host.endsWith(QLatin1String(".ru.com")))
        score += 1;
    if (host.count(QLatin1Char('.')) >= 3)
        score += 1;
    if (host.count(QLatin1Char('-')) >= 2)
        score += 1;
    static const QRegularExpression digitsInName(QStringLiteral("[a-z]+\\d{3,}|\\d{3,}[a-z]+"));
    if (digitsInName.match(base).hasMatch())
        score += 1;
    static const QRegularExpression randomPart(QStringLiteral("[a-z0-9]{24,}"));
    if (randomPart.match(rest).hasMatch())
        score += 1;
    if (rest.contains(QLatin1Char('~')) || rest.endsWith(QLatin1String(".php")) || rest.contains(QLatin1String(".php?"))
        || rest.contains(QLatin1String(".htm")))
        score += 1;
    if (url.scheme() == QLatin1String("http"))
        score += 1;
    return score;
}

// Words outside links: a bare link is not a message.
int wordCount(const QString &t)
{
    int words = 0;
    bool inWord = false, inLink = false;
    for (qsizetype i = 0; i < t.size(); ++i) {
        const QChar c = t.at(i);
        if (c.isSpace()) {
            inWord = inLink = false;
            continue;
        }
        if (!inWord && !inLink) {
            inLink = QStringView(t).mid(i, 8).startsWith(QLatin1String("http"))
                || QStringView(t).mid(i, 4) == QLatin1String("www.");
            if (!inLink && c.isLetter()) {
                ++words;
                inWord = true;
            }
        }
    }
    return words;
}

void scanPhishing(Scan &s)
{
    const QString &t = s.text;
    const SafetyProfile &o = s.profile;
    auto trusted = [&](const QString &host) {
        for (const QString &d : o.trustedDomains) {
            if (host == d || host.endsWith(QLatin1Char('.') + d))
                return true;
        }
        return false;
    };
    bool anyUrl = false;
    auto checkUrl = [&](const QString &raw, qsizetype start, qsizetype end) {
        const QUrl url(raw.startsWith(QLatin1String("www.")) ? QStringLiteral("http://") + raw : raw);
        const QString host = url.host(QUrl::FullyEncoded).toLower(); // ACE form: xn-- stays visible
        if (host.isEmpty())
            return;
        anyUrl = true;
        if (re(R"(^\d{1,3}(\.\d{1,3}){3}$)").match(host).hasMatch() || host.startsWith(QLatin1Char('['))
            || url.host().contains(QLatin1Char(':')))
            s.add("phishing.ip_literal_url", Severity::High, 0.9, start, end,
                QStringLiteral("link to a bare IP address"));
        if (host.contains(QLatin1String("xn--")))
            s.add("phishing.punycode_url", Severity::High, 0.85, start, end,
                QStringLiteral("link to an internationalised (punycode) domain"));
        const bool isTrusted = trusted(host);
        if (!isTrusted) {
            const QString base = baseDomain(host);
            const QString name = base.section(QLatin1Char('.'), 0, 0);
            for (const QString &d : o.trustedDomains) {
                const QString trustedName = baseDomain(d).section(QLatin1Char('.'), 0, 0);
                if (trustedName.size() < 4)
                    continue;
                const bool lookalike = skeleton(name) == skeleton(trustedName) || editDistance(name, trustedName) == 1
                    || (host.contains(trustedName) && base != baseDomain(d));
                if (lookalike) {
                    s.add("phishing.lookalike_domain", Severity::High, 0.85, start, end,
                        QStringLiteral("%1 looks like %2").arg(host, d));
                    break;
                }
            }
            const int suspicion = urlSuspicion(o, url, host);
            if (suspicion >= o.suspiciousUrlScore)
                s.add("phishing.suspicious_url",
                    suspicion >= o.suspiciousUrlScore + 2 ? Severity::High : Severity::Medium,
                    std::min(0.95, 0.4 + 0.1 * suspicion), start, end,
                    QStringLiteral("the link is built like a phishing link"));
            if (o.urlModel) {
                const double score = o.urlModel->score(raw);
                if (score >= o.urlModel->threshold)
                    s.add("phishing.learned_url", Severity::High, score, start, end,
                        QStringLiteral("the link resembles known phishing links (learned model)"));
            }
        }
        if (url.userName().size() > 0 && !url.password().isEmpty())
            return;
        if (url.authority().contains(QLatin1Char('@')))
            s.add("phishing.userinfo_url", Severity::High, 0.8, start, end,
                QStringLiteral("link with text before '@' that hides the real host"));
    };
    auto it = re(R"((?:https?://|www\.)[^\s<>"')\]]+)").globalMatch(t);
    while (it.hasNext()) {
        const auto m = it.next();
        checkUrl(m.captured(), m.capturedStart(), m.capturedEnd());
    }
    // Link text that names a domain other than the target: [paypal.com](http://evil.example) or <a href>.
    auto mismatch = [&](const QString &label, const QString &href, qsizetype start, qsizetype end) {
        const auto named = re(R"(\b((?:[a-z0-9-]+\.)+[a-z]{2,24})\b)").match(label);
        const QString target = QUrl(href).host().toLower();
        if (named.hasMatch() && !target.isEmpty() && baseDomain(named.captured(1)) != baseDomain(target))
            s.add("phishing.link_text_mismatch", Severity::High, 0.9, start, end,
                QStringLiteral("link shows %1 but goes to %2").arg(named.captured(1), target));
    };
    it = re(R"(\[([^\]]{1,200})\]\((https?://[^)\s]+)\))").globalMatch(t);
    while (it.hasNext()) {
        const auto m = it.next();
        mismatch(m.captured(1), m.captured(2), m.capturedStart(), m.capturedEnd());
    }
    it = re(R"(<a\s[^>]*href\s*=\s*["']([^"']+)["'][^>]*>(.*?)</a>)").globalMatch(t);
    while (it.hasNext()) {
        const auto m = it.next();
        mismatch(m.captured(2), m.captured(1), m.capturedStart(), m.capturedEnd());
    }
    // Credential bait with urgency.
    const auto bait = o.bait.match(t);
    if (bait.hasMatch() && o.urgency.match(t).hasMatch())
        s.add("phishing.credential_bait", Severity::High, 0.75, bait.capturedStart(), bait.capturedEnd(),
            QStringLiteral("asks to confirm credentials, with urgency"));
    // The message as a whole, for short texts (a long answer is not an SMS or a mail lure).
    // Lures need a way back to the sender: a link, an address or a number to call or text.
    static const QRegularExpression shortCode(QStringLiteral("\\b\\d{5,}\\b"));
    bool contact = anyUrl || shortCode.match(t).hasMatch();
    for (const Finding &f : s.out)
        contact = contact || f.detector == QLatin1String("pii.phone") || f.detector == QLatin1String("pii.email");
    if (o.smishingModel && t.size() <= 1200 && wordCount(t) >= 5 && contact) {
        const double score = o.smishingModel->score(t);
        if (score >= o.smishingModel->threshold)
            s.add("phishing.learned_message", anyUrl ? Severity::High : Severity::Medium, score, 0, t.size(),
                QStringLiteral("the message reads like a phishing lure (learned model)"));
    }
}

void scanInjection(Scan &s)
{
    const QString &t = s.text;
    forEachMatch(s.profile.injectionCombined, s.profile.injectionPatterns, t,
        [&](const SafetyProfile::Pattern &p, const QRegularExpressionMatch &m, int group) {
            s.add(p.name, p.severity, 0.85, m.capturedStart(group), m.capturedEnd(group),
                p.message.isEmpty() ? QStringLiteral("text that instructs a model") : p.message);
        });
    // The learned model was trained on prompts; in answers, imperatives are everywhere, so it
    // is asked only when the text addresses a model (instructions, roles, "ignore", ...).
    const TextModel *model = s.profile.injectionModel.get();
    if (model && s.profile.injectionCues.match(t).hasMatch()) {
        // Sentence by sentence would miss overrides that span two; the whole text (capped) and
        // its second half, where appended overrides sit.
        const QStringView view(t);
        const double score = std::max(
            model->score(view.left(4000)), t.size() > 400 ? model->score(view.mid(t.size() / 2, 2000)) : 0.0);
        if (score >= model->threshold * s.profile.injectionCueFactor)
            s.add("injection.learned", score >= 0.9 ? Severity::Medium : Severity::Low, score, 0, t.size(),
                QStringLiteral("text that tries to steer a model (learned model)"));
    }
    auto it = re(
        R"(<[^>]+style\s*=\s*["'][^"']*(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0)[^>]*>|<!--[\s\S]*?-->)")
                  .globalMatch(t);
    while (it.hasNext()) {
        const auto m = it.next();
        s.add("injection.hidden_markup", Severity::High, 0.8, m.capturedStart(), m.capturedEnd(),
            QStringLiteral("hidden HTML"));
    }
    for (qsizetype i = 0; i < t.size(); ++i) {
        const char16_t u = t.at(i).unicode();
        if (u < 0x200B)
            continue;
        const bool zeroWidth = u == 0x200B || u == 0x200C || u == 0x200D || u == 0x2060 || u == 0xFEFF;
        const bool bidi = (u >= 0x202A && u <= 0x202E) || (u >= 0x2066 && u <= 0x2069);
        if (zeroWidth || bidi) {
            s.add(bidi ? "injection.bidi_control" : "injection.zero_width", bidi ? Severity::High : Severity::Medium,
                0.9, i, i + 1,
                bidi ? QStringLiteral("bidirectional control character") : QStringLiteral("zero-width character"));
        }
    }
}

// A line whose values are all punctuation or template references (${name}) holds no secret,
// whatever its names say.
bool onlyPlaceholderValues(QStringView line)
{
    const qsizetype eq = std::max(line.indexOf(QLatin1Char('=')), line.indexOf(QLatin1Char(':')));
    if (eq < 0)
        return false;
    const QStringView value = line.mid(eq + 1).trimmed();
    int alnum = 0;
    for (QChar c : value)
        alnum += c.isLetterOrNumber() ? 1 : 0;
    return alnum < 3 || value.startsWith(QLatin1String("${")) || value.startsWith(QLatin1String("\"${"));
}

// The line model was trained on code: in prose it is asked only about lines that name a
// credential or carry a long random-looking token.
bool credentialish(QStringView line)
{
    static const char *const words[] = { "pass", "pwd", "secret", "key", "token", "auth", "cred", "bearer", "private",
        "session", "cookie", "salt", "nonce", "sign", "api", "login", "user" };
    for (const char *w : words) {
        if (line.contains(QLatin1String(w), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

bool holdsRandomToken(QStringView line)
{
    qsizetype start = -1;
    for (qsizetype i = 0; i <= line.size(); ++i) {
        const bool part = i < line.size()
            && (line.at(i).isLetterOrNumber() || line.at(i) == QLatin1Char('-') || line.at(i) == QLatin1Char('_')
                || line.at(i) == QLatin1Char('+') || line.at(i) == QLatin1Char('/') || line.at(i) == QLatin1Char('.'));
        if (part && start < 0)
            start = i;
        if (!part && start >= 0) {
            if (i - start >= 16 && shannonBits(line.mid(start, i - start).toString()) >= 3.5)
                return true;
            start = -1;
        }
    }
    return false;
}

// A sentence, not code: mostly plain words. The line model learned from source and config
// lines; on prose without a random-looking token its score means nothing (an answer that says
// "token" near a colon is not a credential).
bool readsAsProse(QStringView line)
{
    int words = 0, plain = 0;
    for (const QStringView w : line.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        ++words;
        QStringView core = w;
        while (!core.isEmpty() && !core.back().isLetterOrNumber())
            core.chop(1);
        while (!core.isEmpty() && !core.front().isLetterOrNumber())
            core = core.mid(1);
        bool letters = !core.isEmpty();
        for (QChar c : core)
            letters = letters && (c.isLetter() || c == QLatin1Char('\'') || c == QLatin1Char('-'));
        plain += letters ? 1 : 0;
    }
    return words >= 8 && plain * 10 >= words * 8;
}

// Credential-looking lines, judged by the learned line model: only lines with a token long
// enough to be a secret are scored.
void scanCredentialLines(Scan &s)
{
    const TextModel *model = s.profile.lineModel.get();
    if (!model)
        return;
    const QString &t = s.text;
    qsizetype start = 0;
    while (start <= t.size()) {
        qsizetype end = t.indexOf(QLatin1Char('\n'), start);
        if (end < 0)
            end = t.size();
        const QStringView line = QStringView(t).mid(start, end - start);
        int run = 0, longest = 0;
        for (QChar c : line) {
            run = (c.isSpace() || c == QLatin1Char('"') || c == QLatin1Char('\'')) ? 0 : run + 1;
            longest = std::max(longest, run);
        }
        // A value that holds no secret by its shape (a placeholder, a reference, a hash, prose)
        // leaves nothing for the model to find, unless another random token sits on the line.
        // Every assignment on the line is read, nested ones too ({\"password\": \"test\"}); what
        // is left once their values are blanked must hold no random token either.
        bool shapeSaysNo = false;
        {
            int assignments = 0, empty = 0;
            qsizetype from = 0;
            QString blanked = line.toString();
            while (from < line.size() && assignments < 8) {
                const Assignment a = findAssignment(line.mid(from));
                if (!a.found())
                    break;
                ++assignments;
                const qsizetype vs = from + a.valueStart, ve = from + a.valueEnd;
                const QStringView value = line.mid(vs, ve - vs);
                const bool nested = value.contains(QLatin1String("\\\"")) || value.contains(QLatin1String("\":"));
                if (!nested && !unquotedStatement(line.mid(from), a)
                    && !shapeHoldsNoSecret(
                        judgeValue(value, !a.quote.isNull(), &s.profile.placeholders, s.profile.placeholderWords)
                            .shape))
                    break;
                ++empty;
                if (!nested)
                    for (qsizetype k = vs; k < ve; ++k)
                        blanked[k] = QLatin1Char(' ');
                from = nested ? vs : ve; // nested pairs sit inside the value
            }
            shapeSaysNo = assignments > 0 && empty == assignments && !holdsRandomToken(blanked);
        }
        const bool prose = readsAsProse(line) && !holdsRandomToken(line);
        if (longest >= 8 && line.size() >= 8 && hasContext(line) && !onlyPlaceholderValues(line) && !shapeSaysNo
            && !prose && (credentialish(line) || holdsRandomToken(line))) {
            const double score = model->score(line);
            bool placeholder = false;
            for (const QString &w : s.profile.placeholderWords)
                placeholder = placeholder || line.contains(w, Qt::CaseInsensitive);
            if (score >= model->threshold && !placeholder)
                s.add("secret.learned_line", Severity::High, score, start, end,
                    QStringLiteral("a line that looks like it holds a credential (learned model)"));
        }
        start = end + 1;
    }
}

// Letters people use to dodge word filters, mapped back.
QString deobfuscate(const QString &t, std::vector<qsizetype> *map)
{
    QString out;
    out.reserve(t.size());
    map->reserve(size_t(t.size()));
    for (qsizetype i = 0; i < t.size(); ++i) {
        QChar c = t.at(i).toLower();
        switch (c.unicode()) {
        case '0':
            c = QLatin1Char('o');
            break;
        case '1':
        case '!':
            c = QLatin1Char('i');
            break;
        case '3':
            c = QLatin1Char('e');
            break;
        case '4':
        case '@':
            c = QLatin1Char('a');
            break;
        case '5':
        case '$':
            c = QLatin1Char('s');
            break;
        case '7':
            c = QLatin1Char('t');
            break;
        default:
            break;
        }
        out += c;
        map->push_back(i);
    }
    return out;
}

void scanToxicity(Scan &s)
{
    std::vector<qsizetype> map;
    const QString t = deobfuscate(s.text, &map);
    if (s.profile.toxicity.empty())
        return;
    auto m = s.profile.toxicityRe.globalMatch(t);
    while (m.hasNext()) {
        const auto x = m.next();
        for (size_t g = 0; g < s.profile.toxicity.size(); ++g) {
            if (x.capturedStart(int(g) + 1) < 0)
                continue;
            const SafetyProfile::Pattern &p = s.profile.toxicity[g];
            s.add(p.name, p.severity, p.severity == Severity::High ? 0.9 : 0.6, map[size_t(x.capturedStart())],
                map[size_t(x.capturedEnd() - 1)] + 1, p.message);
            break;
        }
    }
}

void scanTime(Scan &s)
{
    forEachMatch(s.profile.timeCombined, s.profile.timePatterns, s.text,
        [&](const SafetyProfile::Pattern &p, const QRegularExpressionMatch &m, int group) {
            s.add(p.name, p.severity, 0.6, m.capturedStart(group), m.capturedEnd(group), p.message);
        });
}

} // namespace

const char *severityName(Severity s)
{
    switch (s) {
    case Severity::Low:
        return "low";
    case Severity::Medium:
        return "medium";
    case Severity::High:
        return "high";
    }
    return "low";
}

const char *riskName(Risk r)
{
    switch (r) {
    case Risk::Low:
        return "low";
    case Risk::Medium:
        return "medium";
    case Risk::High:
        return "high";
    }
    return "low";
}

QJsonObject Finding::toJson() const
{
    QJsonArray s;
    for (const auto &[a, b] : spans)
        s.append(QJsonArray { a, b });
    return QJsonObject { { QLatin1String("detector"), detector },
        { QLatin1String("severity"), QLatin1String(severityName(severity)) },
        { QLatin1String("score"), std::round(score * 1000) / 1000 }, { QLatin1String("spans"), s },
        { QLatin1String("message"), message } };
}

qint64 codePointOffset(const QString &text, qsizetype utf16Index)
{
    qint64 cp = 0;
    for (qsizetype i = 0; i < utf16Index && i < text.size(); ++i) {
        if (!(text.at(i).isLowSurrogate() && i > 0 && text.at(i - 1).isHighSurrogate()))
            ++cp;
    }
    return cp;
}

bool luhnValid(const QString &digits)
{
    int sum = 0;
    bool dbl = false;
    for (qsizetype i = digits.size() - 1; i >= 0; --i) {
        int d = digits.at(i).digitValue();
        if (d < 0)
            return false;
        if (dbl) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
        dbl = !dbl;
    }
    return digits.size() > 1 && sum % 10 == 0;
}

bool ibanValid(const QString &input)
{
    QString iban = input;
    iban.remove(QLatin1Char(' '));
    iban = iban.toUpper();
    static const QHash<QString, int> lengths { { QStringLiteral("AD"), 24 }, { QStringLiteral("AT"), 20 },
        { QStringLiteral("BE"), 16 }, { QStringLiteral("BG"), 22 }, { QStringLiteral("CH"), 21 },
        { QStringLiteral("CY"), 28 }, { QStringLiteral("CZ"), 24 }, { QStringLiteral("DE"), 22 },
        { QStringLiteral("DK"), 18 }, { QStringLiteral("EE"), 20 }, { QStringLiteral("ES"), 24 },
        { QStringLiteral("FI"), 18 }, { QStringLiteral("FR"), 27 }, { QStringLiteral("GB"), 22 },
        { QStringLiteral("GR"), 27 }, { QStringLiteral("HR"), 21 }, { QStringLiteral("HU"), 28 },
        { QStringLiteral("IE"), 22 }, { QStringLiteral("IL"), 23 }, { QStringLiteral("IS"), 26 },
        { QStringLiteral("IT"), 27 }, { QStringLiteral("LI"), 21 }, { QStringLiteral("LT"), 20 },
        { QStringLiteral("LU"), 20 }, { QStringLiteral("LV"), 21 }, { QStringLiteral("MC"), 27 },
        { QStringLiteral("MT"), 31 }, { QStringLiteral("NL"), 18 }, { QStringLiteral("NO"), 15 },
        { QStringLiteral("PL"), 28 }, { QStringLiteral("PT"), 25 }, { QStringLiteral("RO"), 24 },
        { QStringLiteral("SA"), 24 }, { QStringLiteral("SE"), 24 }, { QStringLiteral("SI"), 19 },
        { QStringLiteral("SK"), 24 }, { QStringLiteral("SM"), 27 }, { QStringLiteral("TR"), 26 },
        { QStringLiteral("AE"), 23 }, { QStringLiteral("BR"), 29 }, { QStringLiteral("KW"), 30 },
        { QStringLiteral("QA"), 29 }, { QStringLiteral("JO"), 30 }, { QStringLiteral("MU"), 30 },
        { QStringLiteral("UA"), 29 } };
    if (iban.size() < 15 || iban.size() > 34)
        return false;
    const auto len = lengths.constFind(iban.left(2));
    if (len != lengths.constEnd() && *len != iban.size())
        return false;
    const QString moved = iban.mid(4) + iban.left(4);
    int rem = 0;
    for (QChar c : moved) {
        if (c.isDigit())
            rem = (rem * 10 + c.digitValue()) % 97;
        else if (c >= QLatin1Char('A') && c <= QLatin1Char('Z'))
            rem = (rem * 100 + (c.unicode() - 'A' + 10)) % 97;
        else
            return false;
    }
    return rem == 1;
}

SafetyScanner::SafetyScanner()
    : m_profile(SafetyProfile::builtin())
{
}

SafetyScanner::SafetyScanner(std::shared_ptr<const SafetyProfile> profile)
    : m_profile(profile ? std::move(profile) : SafetyProfile::builtin())
{
}

std::vector<Finding> SafetyScanner::scan(const QString &text) const
{
    Scan s { text, *m_profile, {}, -1, {} };
    scanPii(s);
    scanSecrets(s);
    scanCredentialLines(s);
    scanPhishing(s);
    scanInjection(s);
    scanToxicity(s);
    scanTime(s);
    return std::move(s.out);
}

QJsonObject SafetyScanner::report(const QString &text, qint64 demand) const
{
    const auto findings = scan(text);
    QStringList reasons;
    const Risk r = risk(findings, demand, &reasons);
    QJsonArray list;
    for (const Finding &f : findings)
        list.append(f.toJson());
    return QJsonObject { { QLatin1String("risk"), QLatin1String(riskName(r)) },
        { QLatin1String("reasons"), QJsonArray::fromStringList(reasons) }, { QLatin1String("findings"), list } };
}

DetectionCounts SafetyScanner::measure(const std::vector<std::pair<QString, bool>> &rows, const QString &family) const
{
    DetectionCounts c;
    for (const auto &[text, positive] : rows) {
        bool flagged = false;
        for (const Finding &f : scan(text))
            flagged = flagged || f.detector.startsWith(family);
        c.tp += flagged && positive;
        c.fp += flagged && !positive;
        c.fn += !flagged && positive;
        c.tn += !flagged && !positive;
    }
    return c;
}

Risk SafetyScanner::risk(const std::vector<Finding> &findings, qint64 demand, QStringList *reasons) const
{
    Risk r = Risk::Low;
    for (const Finding &f : findings) {
        const Risk fr = f.severity == Severity::High ? Risk::High
            : f.severity == Severity::Medium         ? Risk::Medium
                                                     : Risk::Low;
        if (fr > r)
            r = fr;
        if (reasons && fr != Risk::Low)
            *reasons << QStringLiteral("%1: %2").arg(f.detector, f.message);
    }
    if (r == Risk::Low && demand >= m_profile->blastRadiusMedium) {
        r = Risk::Medium;
        if (reasons)
            *reasons << QStringLiteral("serves %1 queries or more").arg(m_profile->blastRadiusMedium);
    }
    return r;
}

} // namespace l0
