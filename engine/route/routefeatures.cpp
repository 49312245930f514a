#include "routefeatures.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <unordered_map>

namespace l0 {

namespace {

// ---- hashing: FNV-1a over lower-cased UTF-16 code units, then a 64-bit mixer. Stable across
// runs and platforms (never qHash, which is seeded per process).
constexpr uint64_t kFnvOffset = 1469598103934665603ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;

inline uint64_t fnvStep(uint64_t h, char16_t c)
{
    h ^= uint64_t(c & 0xff);
    h *= kFnvPrime;
    h ^= uint64_t(c >> 8);
    h *= kFnvPrime;
    return h;
}

inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

inline uint32_t bucket(uint64_t h, uint64_t salt, int bits)
{
    return uint32_t(mix64(h ^ (salt * 0x9e3779b97f4a7c15ULL)) >> (64 - bits));
}

uint64_t hashWord(const char *ascii)
{
    uint64_t h = kFnvOffset;
    for (const char *p = ascii; *p; ++p)
        h = fnvStep(h, char16_t(*p));
    return h;
}

// ---- keyword classes (matched by the hash of the lower-cased word)
enum KeywordClass : uint32_t {
    KwMath = 1u << 0,
    KwReasoning = 1u << 1,
    KwMultiStep = 1u << 2,
    KwCode = 1u << 3,
    KwNegation = 1u << 4,
    KwCreative = 1u << 5,
    KwHedge = 1u << 6,
    KwRefusal = 1u << 7,
    KwApology = 1u << 8,
};

const std::unordered_map<uint64_t, uint32_t> &keywords()
{
    static const std::unordered_map<uint64_t, uint32_t> table = [] {
        std::unordered_map<uint64_t, uint32_t> t;
        const auto add = [&t](uint32_t cls, std::initializer_list<const char *> words) {
            for (const char *w : words)
                t[hashWord(w)] |= cls;
        };
        add(KwMath,
            { "calculate", "compute", "solve", "equation", "equations", "integral", "derivative", "probability", "sum",
                "total", "percent", "percentage", "average", "ratio", "theorem", "matrix", "polynomial", "function",
                "value", "area", "volume", "speed", "rate", "profit", "cost", "price", "interest", "fraction",
                "multiply", "divide", "divided", "product", "remainder", "prime", "integer", "root", "square", "angle",
                "triangle", "circle", "radius", "mean", "median", "expected", "variance" });
        add(KwReasoning,
            { "why", "explain", "reason", "reasoning", "prove", "proof", "compare", "analyze", "analyse", "evaluate",
                "justify", "derive", "implications", "critique", "argue", "infer", "assume", "assumption", "conclude",
                "conclusion", "logic", "logical", "hypothesis", "deduce" });
        add(KwMultiStep,
            { "then", "after", "before", "first", "second", "third", "next", "finally", "each", "every", "remaining",
                "rest", "twice", "half", "times", "per", "left", "more", "less", "than", "fewer", "step", "steps",
                "until", "while", "later", "another", "additional", "respectively" });
        add(KwCode,
            { "def", "function", "class", "return", "import", "include", "public", "void", "int", "var", "let", "const",
                "select", "python", "javascript", "java", "code", "program", "algorithm", "implement", "script", "sql",
                "regex", "api", "bug", "compile", "array", "string", "struct", "lambda" });
        add(KwNegation, { "not", "except", "never", "false", "incorrect", "least", "no", "cannot", "without" });
        add(KwCreative,
            { "write", "story", "poem", "email", "draft", "essay", "imagine", "role", "pretend", "compose", "describe",
                "creative", "letter", "blog", "slogan", "song", "character", "persuasive" });
        add(KwHedge,
            { "maybe", "perhaps", "might", "unclear", "approximately", "assuming", "however", "unfortunately", "seems",
                "likely", "possibly", "probably", "uncertain", "unsure", "guess", "roughly", "estimate" });
        add(KwRefusal, { "cannot", "can't", "unable", "impossible", "refuse", "inappropriate", "ai" });
        add(KwApology, { "sorry", "apologize", "apologies", "apologise", "mistake", "confusion", "error", "oops" });
        return t;
    }();
    return table;
}

inline float lg(double x)
{
    return float(std::log1p(std::max(0.0, x)));
}

inline bool isAsciiDigit(char16_t c)
{
    return c >= u'0' && c <= u'9';
}

inline bool isWordChar(char16_t c)
{
    if (c < 128)
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || isAsciiDigit(c) || c == u'\'' || c == u'_';
    return QChar(c).isLetterOrNumber();
}

inline char16_t lower(char16_t c)
{
    if (c < 128)
        return (c >= u'A' && c <= u'Z') ? char16_t(c + 32) : c;
    return QChar(c).toLower().unicode();
}

// Parses the number starting at text[i] (digits with "," thousands and one "." decimal part).
// Returns the index past it; value and decimals receive what was read.
qsizetype readNumber(QStringView text, qsizetype i, double *value, int *decimals, int *intDigits)
{
    char buf[64];
    int n = 0;
    int digits = 0;
    int dec = -1;
    const qsizetype size = text.size();
    while (i < size) {
        const char16_t c = text[i].unicode();
        if (isAsciiDigit(c)) {
            if (n < 60)
                buf[n++] = char(c);
            if (dec >= 0)
                ++dec;
            else
                ++digits;
            ++i;
        } else if (c == u',' && dec < 0 && i + 1 < size && isAsciiDigit(text[i + 1].unicode()) && digits > 0) {
            ++i; // thousands separator
        } else if (c == u'.' && dec < 0 && i + 1 < size && isAsciiDigit(text[i + 1].unicode())) {
            if (n < 60)
                buf[n++] = '.';
            dec = 0;
            ++i;
        } else {
            break;
        }
    }
    buf[n] = 0;
    *value = std::strtod(buf, nullptr);
    *decimals = std::max(0, dec);
    *intDigits = digits;
    return i;
}

// ---- arithmetic tokens and a small recursive-descent evaluator
struct Tok {
    enum Kind { Num, Op, Eq, LParen, RParen, Break } kind = Break;
    double value = 0;
    int decimals = 0;
    char16_t op = 0;
};

void tokenizeArithmetic(QStringView text, std::vector<Tok> &out)
{
    out.clear();
    const qsizetype size = text.size();
    qsizetype i = 0;
    while (i < size) {
        const char16_t c = text[i].unicode();
        if (isAsciiDigit(c) || (c == u'.' && i + 1 < size && isAsciiDigit(text[i + 1].unicode()))) {
            Tok t;
            t.kind = Tok::Num;
            int intDigits = 0;
            i = readNumber(text, i, &t.value, &t.decimals, &intDigits);
            out.push_back(t);
            continue;
        }
        switch (c) {
        case u' ':
        case u'\t':
        case u'$':
        case u'\u00a0':
            break;
        case u'+':
        case u'-':
        case u'*':
        case u'/':
        case u'\u00d7':
        case u'\u00f7':
        case u'\u2212': {
            Tok t;
            t.kind = Tok::Op;
            t.op = c == u'\u00d7' ? u'*' : c == u'\u00f7' ? u'/' : c == u'\u2212' ? u'-' : c;
            out.push_back(t);
            break;
        }
        case u'=': {
            Tok t;
            t.kind = Tok::Eq;
            out.push_back(t);
            break;
        }
        case u'(': {
            Tok t;
            t.kind = Tok::LParen;
            out.push_back(t);
            break;
        }
        case u')': {
            Tok t;
            t.kind = Tok::RParen;
            out.push_back(t);
            break;
        }
        default:
            if (out.empty() || out.back().kind != Tok::Break)
                out.push_back(Tok {});
        }
        ++i;
    }
}

class ExprParser {
public:
    ExprParser(const std::vector<Tok> &toks, size_t begin, size_t end)
        : m_toks(toks)
        , m_pos(begin)
        , m_end(end)
    {
    }
    bool parse(double *value)
    {
        if (!expr(value, 0) || m_pos != m_end)
            return false;
        return std::isfinite(*value);
    }
    int ops() const { return m_opCount; }

private:
    const Tok *peek() const { return m_pos < m_end ? &m_toks[m_pos] : nullptr; }
    bool expr(double *v, int depth)
    {
        if (depth > 20 || !term(v, depth))
            return false;
        while (const Tok *t = peek()) {
            if (t->kind != Tok::Op || (t->op != u'+' && t->op != u'-'))
                break;
            const char16_t op = t->op;
            ++m_pos;
            ++m_opCount;
            double r = 0;
            if (!term(&r, depth))
                return false;
            *v = op == u'+' ? *v + r : *v - r;
        }
        return true;
    }
    bool term(double *v, int depth)
    {
        if (!factor(v, depth))
            return false;
        while (const Tok *t = peek()) {
            if (t->kind != Tok::Op || (t->op != u'*' && t->op != u'/'))
                break;
            const char16_t op = t->op;
            ++m_pos;
            ++m_opCount;
            double r = 0;
            if (!factor(&r, depth))
                return false;
            if (op == u'/' && r == 0)
                return false;
            *v = op == u'*' ? *v * r : *v / r;
        }
        return true;
    }
    bool factor(double *v, int depth)
    {
        const Tok *t = peek();
        if (!t)
            return false;
        if (t->kind == Tok::Op && t->op == u'-') {
            ++m_pos;
            if (!factor(v, depth + 1))
                return false;
            *v = -*v;
            return true;
        }
        if (t->kind == Tok::Num) {
            *v = t->value;
            ++m_pos;
            return true;
        }
        if (t->kind == Tok::LParen) {
            ++m_pos;
            if (!expr(v, depth + 1))
                return false;
            const Tok *close = peek();
            if (!close || close->kind != Tok::RParen)
                return false;
            ++m_pos;
            return true;
        }
        return false;
    }

    const std::vector<Tok> &m_toks;
    size_t m_pos;
    size_t m_end;
    int m_opCount = 0;
};

bool resultMatches(double computed, double stated, int decimals)
{
    const double tolerance = 0.5 * std::pow(10.0, -decimals) + 1e-9 * std::max(1.0, std::fabs(stated));
    return std::fabs(computed - stated) <= tolerance;
}

// ---- one pass over a text: counts, numbers and hashed words
struct TextScan {
    int chars = 0;
    int letters = 0;
    int digits = 0;
    int upper = 0;
    int nonAsciiLetters = 0;
    int cjk = 0;
    int codeChars = 0;
    int mathOps = 0;
    int backslashes = 0;
    int dollars = 0;
    int percents = 0;
    int questionMarks = 0;
    int sentenceEnds = 0;
    int quotes = 0;
    int pipes = 0;
    int lines = 1;
    int longestLine = 0;
    int listLines = 0;
    int optionLines = 0;
    int codeFences = 0;
    int words = 0;
    int wordChars = 0;
    int longWords = 0;
    int numbers = 0;
    int decimals = 0;
    int fractions = 0;
    int maxIntDigits = 0;
    int kw[9] = {};
    int repeatedLines = 0;
    int nonEmptyLines = 0;
    bool finalMarker = false; // "####" or "answer is" / "answer:"
    bool hasLastNumber = false;
    double lastNumber = 0;
    int lastNumberDecimals = 0;
    qsizetype lastNumberEnd = 0;
    std::vector<double> numberValues; // the first 64 numbers
};

constexpr int kMaxHashedTokens = 3000;
// Only the first this many UTF-16 units of a message or an answer are read (its length counts
// in full), so scoring costs the same bounded time on a huge request.
constexpr qsizetype kMaxScanChars = 8000;

void scanText(QStringView text, int bits, uint64_t unigramSalt, uint64_t bigramSalt, TextScan &s,
    std::vector<uint32_t> *hashed, bool trackLines)
{
    const auto &kws = keywords();
    const qsizetype size = text.size();
    s.chars = int(size);
    int lineStart = 0;
    int lineLen = 0;
    bool lineHasText = false;
    uint64_t lineHash = kFnvOffset;
    std::vector<uint64_t> lineHashes;
    uint64_t prevToken = 0;
    bool havePrev = false;
    uint64_t prevWord = 0;
    int tokens = 0;
    const uint64_t hAnswer = hashWord("answer");
    const uint64_t hIs = hashWord("is");

    auto endLine = [&](qsizetype at) {
        s.longestLine = std::max(s.longestLine, lineLen);
        if (trackLines && lineHasText) {
            ++s.nonEmptyLines;
            lineHashes.push_back(lineHash);
        }
        Q_UNUSED(at);
        lineLen = 0;
        lineHasText = false;
        lineHash = kFnvOffset;
    };
    auto startLine = [&](qsizetype at) {
        lineStart = int(at);
        // list items and multiple-choice options: "1." "2)" "- " "* " "A." "b)"
        qsizetype j = at;
        while (j < size && (text[j] == QLatin1Char(' ') || text[j] == QLatin1Char('\t')))
            ++j;
        if (j >= size)
            return;
        const char16_t c = text[j].unicode();
        if ((c == u'-' || c == u'*' || c == u'\u2022') && j + 1 < size && text[j + 1] == QLatin1Char(' ')) {
            ++s.listLines;
        } else if (isAsciiDigit(c)) {
            qsizetype k = j;
            while (k < size && isAsciiDigit(text[k].unicode()))
                ++k;
            if (k < size && (text[k] == QLatin1Char('.') || text[k] == QLatin1Char(')')) && k + 1 < size
                && text[k + 1] == QLatin1Char(' '))
                ++s.listLines;
        } else if (((c >= u'A' && c <= u'E') || (c >= u'a' && c <= u'e')) && j + 1 < size
            && (text[j + 1] == QLatin1Char('.') || text[j + 1] == QLatin1Char(')'))) {
            ++s.optionLines;
        }
    };
    startLine(0);
    Q_UNUSED(lineStart);

    qsizetype i = 0;
    while (i < size) {
        const char16_t c = text[i].unicode();
        if (c == u'\n') {
            endLine(i);
            ++s.lines;
            ++i;
            startLine(i);
            continue;
        }
        ++lineLen;
        if (c != u' ' && c != u'\t' && c != u'\r') {
            lineHasText = true;
            lineHash = fnvStep(lineHash, c);
        }
        if (isWordChar(c)) {
            // a token: a number or a word
            if (isAsciiDigit(c)) {
                double v = 0;
                int dec = 0;
                int intDigits = 0;
                const qsizetype end = readNumber(text, i, &v, &dec, &intDigits);
                for (qsizetype k = i; k < end; ++k) {
                    const char16_t d = text[k].unicode();
                    if (isAsciiDigit(d))
                        ++s.digits;
                    lineHash = fnvStep(lineHash, d);
                }
                lineLen += int(end - i) - 1;
                ++s.numbers;
                if (dec > 0)
                    ++s.decimals;
                s.maxIntDigits = std::max(s.maxIntDigits, intDigits);
                if (end < size && text[end] == QLatin1Char('/') && end + 1 < size
                    && isAsciiDigit(text[end + 1].unicode()))
                    ++s.fractions;
                s.hasLastNumber = true;
                s.lastNumber = v;
                s.lastNumberDecimals = dec;
                s.lastNumberEnd = end;
                if (s.numberValues.size() < 64)
                    s.numberValues.push_back(v);
                // a number's shape: how many digits, decimal or not
                uint64_t h = kFnvOffset;
                h = fnvStep(h, u'#');
                h = fnvStep(h, char16_t(u'0' + std::min(intDigits, 7)));
                if (dec > 0)
                    h = fnvStep(h, u'.');
                if (hashed && tokens < kMaxHashedTokens) {
                    hashed->push_back(bucket(h, unigramSalt, bits));
                    if (havePrev)
                        hashed->push_back(bucket(prevToken * 31 + h, bigramSalt, bits));
                }
                prevToken = h;
                havePrev = true;
                prevWord = 0;
                ++tokens;
                i = end;
                continue;
            }
            uint64_t h = kFnvOffset;
            int len = 0;
            qsizetype j = i;
            while (j < size && isWordChar(text[j].unicode())) {
                const char16_t w = text[j].unicode();
                if (w >= 128 && QChar(w).isLetter()) {
                    ++s.nonAsciiLetters;
                    if ((w >= 0x3040 && w <= 0x30ff) || (w >= 0x4e00 && w <= 0x9fff) || (w >= 0xac00 && w <= 0xd7af))
                        ++s.cjk;
                }
                if (QChar(w).isUpper())
                    ++s.upper;
                if (isAsciiDigit(w))
                    ++s.digits;
                else
                    ++s.letters;
                lineHash = fnvStep(lineHash, w);
                h = fnvStep(h, lower(w));
                ++len;
                ++j;
            }
            lineLen += len - 1;
            ++s.words;
            s.wordChars += len;
            if (len >= 10)
                ++s.longWords;
            const auto kw = kws.find(h);
            if (kw != kws.end()) {
                for (int b = 0; b < 9; ++b)
                    if (kw->second & (1u << b))
                        ++s.kw[b];
            }
            if (prevWord == hAnswer && h == hIs)
                s.finalMarker = true;
            if (h == hAnswer && j < size && text[j] == QLatin1Char(':'))
                s.finalMarker = true;
            if (hashed && tokens < kMaxHashedTokens) {
                hashed->push_back(bucket(h, unigramSalt, bits));
                if (havePrev)
                    hashed->push_back(bucket(prevToken * 31 + h, bigramSalt, bits));
            }
            prevToken = h;
            prevWord = h;
            havePrev = true;
            ++tokens;
            i = j;
            continue;
        }
        switch (c) {
        case u'{':
        case u'}':
        case u';':
        case u'<':
        case u'>':
        case u'[':
        case u']':
            ++s.codeChars;
            break;
        case u'+':
        case u'*':
        case u'/':
        case u'^':
        case u'=':
            ++s.mathOps;
            break;
        case u'\\':
            ++s.backslashes;
            break;
        case u'$':
            ++s.dollars;
            break;
        case u'%':
            ++s.percents;
            break;
        case u'?':
            ++s.questionMarks;
            ++s.sentenceEnds;
            break;
        case u'.':
        case u'!':
            ++s.sentenceEnds;
            break;
        case u'"':
        case u'\u201c':
        case u'\u201d':
            ++s.quotes;
            break;
        case u'|':
            ++s.pipes;
            break;
        case u'`':
            if (i + 2 < size && text[i + 1] == QLatin1Char('`') && text[i + 2] == QLatin1Char('`')) {
                ++s.codeFences;
                i += 3;
                lineLen += 2;
                continue;
            }
            break;
        case u'#':
            if (i + 3 < size && text[i + 1] == QLatin1Char('#') && text[i + 2] == QLatin1Char('#')
                && text[i + 3] == QLatin1Char('#'))
                s.finalMarker = true;
            break;
        default:
            break;
        }
        if (c != u' ')
            havePrev = havePrev && c != u'.' && c != u'?' && c != u'!' && c != u'\n';
        ++i;
    }
    endLine(size);
    if (trackLines && lineHashes.size() > 1) {
        std::sort(lineHashes.begin(), lineHashes.end());
        for (size_t k = 1; k < lineHashes.size(); ++k)
            if (lineHashes[k] == lineHashes[k - 1])
                ++s.repeatedLines;
    }
}

const int kBaseRequestDense = 40;
// Features whose weight differs between multiple-choice prompts (options "A." "B." ...) and open
// ones: each is given twice, once for each format (zero in the other), so a linear model has one
// slope per format (length means another thing for an exam question than for a word problem).
const int kGated[] = { 0, 2, 10, 11, 12, 17, 18, 19, 25, 26, 27, 30, 35, 38 };
const int kGatedCount = int(sizeof(kGated) / sizeof(kGated[0]));
const int kRequestDense = kBaseRequestDense + 1 + kGatedCount;
const int kAnswerDense = 24;

void finishHashed(std::vector<uint32_t> &hashed)
{
    std::sort(hashed.begin(), hashed.end());
    hashed.erase(std::unique(hashed.begin(), hashed.end()), hashed.end());
}

// The request's dense features; scan receives the last user message's scan.
void requestDense(const ChatRequest &request, int bits, RouteFeatures &out, TextScan &scan)
{
    int userTurns = 0;
    int assistantTurns = 0;
    int toolMessages = 0;
    bool system = false;
    qsizetype systemChars = 0;
    qsizetype allChars = 0;
    for (const QJsonValue &v : request.messages) {
        const QJsonObject m = v.toObject();
        const QString role = m.value(QLatin1String("role")).toString();
        const qsizetype chars = messageContentText(m.value(QLatin1String("content"))).size();
        allChars += chars;
        if (role == QLatin1String("user"))
            ++userTurns;
        else if (role == QLatin1String("assistant"))
            ++assistantTurns;
        else if (role == QLatin1String("tool") || role == QLatin1String("function"))
            ++toolMessages;
        else if (role == QLatin1String("system") || role == QLatin1String("developer")) {
            system = true;
            systemChars += chars;
        }
        if (m.contains(QLatin1String("tool_calls")))
            ++toolMessages;
    }
    const qsizetype tools = request.params.value(QLatin1String("tools")).toArray().size()
        + request.params.value(QLatin1String("functions")).toArray().size();

    const QString last = request.lastUserText();
    scanText(
        QStringView(last).first(std::min<qsizetype>(last.size(), kMaxScanChars)), bits, 1, 2, scan, &out.hashed, false);
    scan.chars = int(std::min<qsizetype>(last.size(), INT_MAX));
    finishHashed(out.hashed);

    const double words = std::max(1, scan.words);
    const double chars = std::max(1, scan.chars);
    const double letters = std::max(1, scan.letters);
    float *d = out.dense.data();
    int k = 0;
    d[k++] = lg(scan.chars);
    d[k++] = lg(double(allChars));
    d[k++] = lg(scan.words);
    d[k++] = lg(double(request.messages.size()));
    d[k++] = lg(userTurns);
    d[k++] = lg(assistantTurns);
    d[k++] = system ? 1.f : 0.f;
    d[k++] = lg(double(systemChars));
    d[k++] = tools > 0 || toolMessages > 0 ? 1.f : 0.f;
    d[k++] = lg(double(tools + toolMessages));
    d[k++] = lg(scan.digits);
    d[k++] = lg(scan.numbers);
    d[k++] = float(scan.numbers / words);
    d[k++] = lg(scan.decimals);
    d[k++] = lg(scan.fractions);
    d[k++] = lg(scan.percents);
    d[k++] = lg(scan.dollars);
    d[k++] = float(scan.maxIntDigits);
    d[k++] = lg(scan.questionMarks);
    d[k++] = lg(scan.sentenceEnds);
    d[k++] = scan.codeFences > 0 ? 1.f : 0.f;
    d[k++] = float(scan.codeChars / chars);
    d[k++] = lg(scan.kw[3]);
    d[k++] = lg(scan.mathOps);
    d[k++] = lg(scan.backslashes);
    d[k++] = lg(scan.kw[0]);
    d[k++] = lg(scan.kw[1]);
    d[k++] = lg(scan.kw[2]);
    d[k++] = lg(scan.listLines);
    d[k++] = lg(scan.optionLines);
    d[k++] = lg(scan.lines);
    d[k++] = lg(scan.longestLine);
    d[k++] = float(scan.nonAsciiLetters / letters);
    d[k++] = float(scan.cjk / letters);
    d[k++] = float(scan.upper / letters);
    d[k++] = float(scan.wordChars / words);
    d[k++] = float(scan.longWords / words);
    d[k++] = lg(scan.quotes);
    d[k++] = lg(scan.kw[4]);
    d[k++] = lg(scan.kw[5]);
    Q_ASSERT(k == kBaseRequestDense);
    const float choice = scan.optionLines >= 2 ? 1.f : 0.f;
    d[k++] = choice;
    for (int g : kGated) {
        d[k++] = choice * d[g];
        d[g] *= 1.f - choice;
    }
    Q_ASSERT(k == kRequestDense);
}

} // namespace

const QStringList &requestFeatureNames()
{
    static const QStringList base {
        QStringLiteral("log_chars"),
        QStringLiteral("log_chars_all_messages"),
        QStringLiteral("log_words"),
        QStringLiteral("log_messages"),
        QStringLiteral("log_user_turns"),
        QStringLiteral("log_assistant_turns"),
        QStringLiteral("has_system"),
        QStringLiteral("log_system_chars"),
        QStringLiteral("has_tools"),
        QStringLiteral("log_tools"),
        QStringLiteral("log_digits"),
        QStringLiteral("log_numbers"),
        QStringLiteral("numbers_per_word"),
        QStringLiteral("log_decimals"),
        QStringLiteral("log_fractions"),
        QStringLiteral("log_percents"),
        QStringLiteral("log_dollars"),
        QStringLiteral("max_integer_digits"),
        QStringLiteral("log_question_marks"),
        QStringLiteral("log_sentences"),
        QStringLiteral("has_code_fence"),
        QStringLiteral("code_char_share"),
        QStringLiteral("log_code_words"),
        QStringLiteral("log_math_operators"),
        QStringLiteral("log_backslashes"),
        QStringLiteral("log_math_words"),
        QStringLiteral("log_reasoning_words"),
        QStringLiteral("log_multistep_words"),
        QStringLiteral("log_list_lines"),
        QStringLiteral("log_option_lines"),
        QStringLiteral("log_lines"),
        QStringLiteral("log_longest_line"),
        QStringLiteral("non_ascii_letter_share"),
        QStringLiteral("cjk_share"),
        QStringLiteral("upper_share"),
        QStringLiteral("mean_word_length"),
        QStringLiteral("long_word_share"),
        QStringLiteral("log_quotes"),
        QStringLiteral("log_negations"),
        QStringLiteral("log_creative_words"),
    };
    static const QStringList names = [] {
        QStringList all = base;
        all << QStringLiteral("multiple_choice");
        for (int g : kGated)
            all << QStringLiteral("multiple_choice_x_") + base.at(g);
        return all;
    }();
    Q_ASSERT(names.size() == kRequestDense);
    return names;
}

const QStringList &answerFeatureNames()
{
    static const QStringList names {
        QStringLiteral("answer_log_chars"),
        QStringLiteral("answer_length_ratio"),
        QStringLiteral("answer_empty"),
        QStringLiteral("answer_final_marker"),
        QStringLiteral("answer_ends_with_number"),
        QStringLiteral("answer_final_integer"),
        QStringLiteral("answer_final_in_prompt"),
        QStringLiteral("answer_final_is_last_result"),
        QStringLiteral("answer_log_annotations"),
        QStringLiteral("answer_log_wrong_annotations"),
        QStringLiteral("answer_annotations_all_right"),
        QStringLiteral("answer_log_equations"),
        QStringLiteral("answer_log_wrong_equations"),
        QStringLiteral("answer_prompt_numbers_used"),
        QStringLiteral("answer_log_numbers"),
        QStringLiteral("answer_log_hedges"),
        QStringLiteral("answer_log_refusals"),
        QStringLiteral("answer_log_apologies"),
        QStringLiteral("answer_log_lines"),
        QStringLiteral("answer_repeated_line_share"),
        QStringLiteral("answer_truncated"),
        QStringLiteral("answer_has_code_fence"),
        QStringLiteral("answer_log_question_marks"),
        QStringLiteral("answer_log_list_lines"),
    };
    Q_ASSERT(names.size() == kAnswerDense);
    return names;
}

void requestFeatures(const ChatRequest &request, int bits, RouteFeatures &out)
{
    out.dense.assign(kRequestDense, 0.f);
    out.hashed.clear();
    TextScan scan;
    requestDense(request, bits, out, scan);
}

void cascadeFeatures(const ChatRequest &request, QStringView answer, int bits, RouteFeatures &out)
{
    out.dense.assign(kRequestDense + kAnswerDense, 0.f);
    out.hashed.clear();
    TextScan prompt;
    requestDense(request, bits, out, prompt);

    TextScan a;
    std::vector<uint32_t> answerHashed;
    const QStringView scanned = answer.first(std::min<qsizetype>(answer.size(), kMaxScanChars));
    scanText(scanned, bits, 3, 4, a, &answerHashed, true);
    a.chars = int(std::min<qsizetype>(answer.size(), INT_MAX));
    const ArithmeticCheck arith = checkArithmetic(scanned);

    // The final number: the last number of the text, when nothing but punctuation follows it,
    // or the number after "####".
    bool endsWithNumber = false;
    if (a.hasLastNumber) {
        endsWithNumber = true;
        for (qsizetype k = a.lastNumberEnd; k < answer.size(); ++k) {
            const QChar c = answer[k];
            if (!c.isSpace() && !c.isPunct() && c != QLatin1Char('$') && c != QLatin1Char('%')) {
                endsWithNumber = false;
                break;
            }
        }
    }
    bool finalInPrompt = false;
    if (a.hasLastNumber)
        finalInPrompt = std::find(prompt.numberValues.begin(), prompt.numberValues.end(), a.lastNumber)
            != prompt.numberValues.end();
    int promptNumbersUsed = 0;
    for (double v : prompt.numberValues)
        if (std::find(a.numberValues.begin(), a.numberValues.end(), v) != a.numberValues.end())
            ++promptNumbersUsed;
    bool truncated = false;
    {
        qsizetype k = answer.size() - 1;
        while (k >= 0 && answer[k].isSpace())
            --k;
        if (k >= 0) {
            const QChar c = answer[k];
            truncated = !(c.isPunct() || c.isDigit() || c.isSymbol());
        }
    }

    float *d = out.dense.data() + kRequestDense;
    int k = 0;
    d[k++] = lg(a.chars);
    d[k++] = float(std::log((a.chars + 1.0) / (prompt.chars + 1.0)));
    d[k++] = a.chars == 0 ? 1.f : 0.f;
    d[k++] = a.finalMarker ? 1.f : 0.f;
    d[k++] = endsWithNumber ? 1.f : 0.f;
    d[k++] = a.hasLastNumber && a.lastNumberDecimals == 0 ? 1.f : 0.f;
    d[k++] = finalInPrompt ? 1.f : 0.f;
    d[k++]
        = a.hasLastNumber && arith.hasLastResult && resultMatches(arith.lastResult, a.lastNumber, a.lastNumberDecimals)
        ? 1.f
        : 0.f;
    d[k++] = lg(arith.annotations);
    d[k++] = lg(arith.wrongAnnotations);
    d[k++] = arith.annotations > 0 && arith.wrongAnnotations == 0 ? 1.f : 0.f;
    d[k++] = lg(arith.equations);
    d[k++] = lg(arith.wrongEquations);
    d[k++] = prompt.numberValues.empty() ? 1.f : float(promptNumbersUsed) / float(prompt.numberValues.size());
    d[k++] = lg(a.numbers);
    d[k++] = lg(a.kw[6]);
    d[k++] = lg(a.kw[7]);
    d[k++] = lg(a.kw[8]);
    d[k++] = lg(a.lines);
    d[k++] = a.nonEmptyLines > 0 ? float(a.repeatedLines) / float(a.nonEmptyLines) : 0.f;
    d[k++] = truncated ? 1.f : 0.f;
    d[k++] = a.codeFences > 0 ? 1.f : 0.f;
    d[k++] = lg(a.questionMarks);
    d[k++] = lg(a.listLines);
    Q_ASSERT(k == kAnswerDense);

    out.hashed.insert(out.hashed.end(), answerHashed.begin(), answerHashed.end());
    finishHashed(out.hashed);
}

bool evaluateArithmetic(QStringView expression, double *value)
{
    std::vector<Tok> toks;
    tokenizeArithmetic(expression, toks);
    for (const Tok &t : toks)
        if (t.kind == Tok::Break || t.kind == Tok::Eq)
            return false;
    if (toks.empty())
        return false;
    ExprParser p(toks, 0, toks.size());
    return p.parse(value);
}

ArithmeticCheck checkArithmetic(QStringView text)
{
    ArithmeticCheck r;
    bool lastFromAnnotation = false;
    // Calculator annotations <<expression=result>>, and the rest of the text without them.
    QString plain;
    plain.reserve(text.size());
    std::vector<Tok> toks;
    qsizetype i = 0;
    while (i < text.size()) {
        if (text[i] == QLatin1Char('<') && i + 1 < text.size() && text[i + 1] == QLatin1Char('<')) {
            const qsizetype close = text.indexOf(QLatin1String(">>"), i + 2);
            if (close > 0) {
                const QStringView inside = text.mid(i + 2, close - i - 2);
                const qsizetype eq = inside.lastIndexOf(QLatin1Char('='));
                ++r.annotations;
                double lhs = 0;
                double rhs = 0;
                int dec = 0;
                int intDigits = 0;
                bool ok = false;
                if (eq > 0) {
                    QStringView right = inside.mid(eq + 1).trimmed();
                    while (!right.isEmpty() && right.front() == QLatin1Char('$'))
                        right = right.mid(1);
                    bool negative = false;
                    if (!right.isEmpty() && right.front() == QLatin1Char('-')) {
                        negative = true;
                        right = right.mid(1);
                    }
                    if (!right.isEmpty() && isAsciiDigit(right.front().unicode())) {
                        const qsizetype end = readNumber(right, 0, &rhs, &dec, &intDigits);
                        if (negative)
                            rhs = -rhs;
                        ok = end == right.size() && evaluateArithmetic(inside.left(eq), &lhs);
                    }
                }
                if (!ok || !resultMatches(lhs, rhs, dec))
                    ++r.wrongAnnotations;
                if (ok) {
                    r.hasLastResult = true;
                    r.lastResult = rhs;
                    lastFromAnnotation = true;
                }
                plain += QLatin1Char(' ');
                i = close + 2;
                continue;
            }
        }
        plain += text[i];
        ++i;
    }
    // Plain chains "a op b ... = c": the longest arithmetic run before each "=", its result the
    // number right after it.
    tokenizeArithmetic(plain, toks);
    for (size_t e = 0; e < toks.size(); ++e) {
        if (toks[e].kind != Tok::Eq || e + 1 >= toks.size() || toks[e + 1].kind != Tok::Num)
            continue;
        size_t b = e;
        int ops = 0;
        while (b > 0) {
            const Tok &t = toks[b - 1];
            if (t.kind == Tok::Num || t.kind == Tok::LParen || t.kind == Tok::RParen || t.kind == Tok::Op) {
                if (t.kind == Tok::Op)
                    ++ops;
                --b;
            } else {
                break;
            }
        }
        // drop leading operators and unmatched closing parentheses
        while (b < e && (toks[b].kind == Tok::Op || toks[b].kind == Tok::RParen))
            ++b;
        if (ops == 0 || b >= e)
            continue;
        double lhs = 0;
        ExprParser p(toks, b, e);
        if (!p.parse(&lhs) || p.ops() == 0)
            continue;
        // a result followed by an operator is the start of the next chain ("= 9 * 2 = 18")
        const double rhs = toks[e + 1].value;
        ++r.equations;
        if (!resultMatches(lhs, rhs, toks[e + 1].decimals))
            ++r.wrongEquations;
        if (!lastFromAnnotation) {
            r.hasLastResult = true;
            r.lastResult = rhs;
        }
    }
    return r;
}

} // namespace l0
