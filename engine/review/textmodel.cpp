#include "textmodel.h"

#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

#include "core/csv.h"
#include "review/safetyvalue.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <random>
#include <string>

namespace l0 {

namespace {

// FNV-1a over 16-bit units, with a tag per feature family so equal strings in different
// families land in different buckets.
struct Hash {
    uint32_t h = 2166136261u;
    explicit Hash(char tag) { add(char16_t(tag)); }
    Hash &add(char16_t c)
    {
        h ^= c & 0xFF;
        h *= 16777619u;
        h ^= c >> 8;
        h *= 16777619u;
        return *this;
    }
    Hash &add(std::u16string_view s)
    {
        for (char16_t c : s)
            add(c);
        return *this;
    }
    Hash &add(const char *s)
    {
        for (; *s; ++s)
            add(char16_t(*s));
        return *this;
    }
    Hash &addInt(int v)
    {
        add(char16_t(':'));
        return add(char16_t(0x100 + v));
    }
};

uint32_t combine(uint32_t a, uint32_t b)
{
    uint64_t x = (uint64_t(a) << 32) ^ b;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return uint32_t(x);
}

struct Sink {
    std::vector<uint32_t> &out;
    uint32_t mask;
    void put(uint32_t h) { out.push_back(h & mask); }
    void put(const Hash &h) { put(h.h); }
};

int bucketLog2(double v)
{
    return v < 1 ? 0 : 1 + int(std::log2(v));
}

bool isWordChar(char16_t c)
{
    return QChar(c).isLetterOrNumber() || QChar(c).isMark();
}

void charGrams(Sink &s, char tag, std::u16string_view word, int minN, int maxN, size_t cap = 64)
{
    // With boundary marks: "^word$".
    std::u16string w;
    w.reserve(std::min(word.size(), cap) + 2);
    w += u'^';
    w.append(word.substr(0, cap));
    w += u'$';
    for (int n = minN; n <= maxN; ++n) {
        if (w.size() < size_t(n))
            break;
        for (size_t i = 0; i + size_t(n) <= w.size(); ++i)
            s.put(Hash(tag).addInt(n).add(std::u16string_view(w).substr(i, size_t(n))));
    }
}

double entropyBits(std::u16string_view v)
{
    if (v.empty())
        return 0;
    int counts[128] = {};
    int other = 0;
    for (char16_t c : v) {
        if (c < 128)
            ++counts[c];
        else
            ++other;
    }
    double h = 0;
    auto term = [&](int n) {
        if (n) {
            const double p = double(n) / double(v.size());
            h -= p * std::log2(p);
        }
    };
    for (int n : counts)
        term(n);
    term(other);
    return h;
}

std::u16string lower(QStringView in, int *upper, int *letters)
{
    std::u16string s;
    s.reserve(size_t(in.size()));
    for (QChar c : in) {
        if (c.isLetter()) {
            ++*letters;
            if (c.isUpper())
                ++*upper;
        }
        const char16_t l = c.toLower().unicode();
        switch (l) {
        case u'\u2018':
        case u'\u2019':
            s += u'\'';
            break;
        case u'\u201C':
        case u'\u201D':
            s += u'"';
            break;
        default:
            s += l;
        }
    }
    return s;
}

bool looksLikeUrl(std::u16string_view chunk)
{
    if (chunk.find(u"://") != std::u16string_view::npos || chunk.substr(0, 4) == u"www.")
        return true;
    // bare domain with a path: name.tld/...
    const size_t slash = chunk.find(u'/');
    const size_t dot = chunk.find(u'.');
    return dot != std::u16string_view::npos && slash != std::u16string_view::npos && dot < slash && dot > 0
        && slash - dot >= 3 && chunk.find(u'@') == std::u16string_view::npos;
}

std::u16string_view hostOf(std::u16string_view url)
{
    size_t start = url.find(u"://");
    start = start == std::u16string_view::npos ? 0 : start + 3;
    size_t end = start;
    while (end < url.size() && url[end] != u'/' && url[end] != u'?' && url[end] != u'#' && url[end] != u':')
        ++end;
    std::u16string_view host = url.substr(start, end - start);
    const size_t at = host.rfind(u'@');
    return at == std::u16string_view::npos ? host : host.substr(at + 1);
}

std::u16string_view tldOf(std::u16string_view host)
{
    const size_t dot = host.rfind(u'.');
    return dot == std::u16string_view::npos ? std::u16string_view() : host.substr(dot + 1);
}

void textFeatures(Sink &s, QStringView input)
{
    int upper = 0, letters = 0;
    const std::u16string t = lower(input, &upper, &letters);
    const std::u16string_view v(t);
    uint32_t prev = Hash('B').add("^").h;
    int exclamations = 0;
    auto word = [&](uint32_t h) {
        s.put(h);
        s.put(combine(prev, h));
        prev = h;
    };
    size_t i = 0;
    while (i < v.size()) {
        while (i < v.size() && QChar(v[i]).isSpace())
            ++i;
        size_t j = i;
        while (j < v.size() && !QChar(v[j]).isSpace())
            ++j;
        const std::u16string_view chunk = v.substr(i, j - i);
        i = j;
        if (chunk.empty())
            continue;
        if (looksLikeUrl(chunk)) {
            const std::u16string_view host = hostOf(chunk);
            word(Hash('W').add("<url>").h);
            s.put(Hash('T').add(tldOf(host)));
            bool digitsOnly = !host.empty();
            for (char16_t c : host)
                digitsOnly = digitsOnly && (QChar(c).isDigit() || c == u'.');
            if (digitsOnly)
                s.put(Hash('W').add("<ip-url>"));
            if (chunk.size() < 30 && chunk.find(u'/') != std::u16string_view::npos)
                s.put(Hash('W').add("<short-url>"));
            continue;
        }
        const size_t at = chunk.find(u'@');
        if (at != std::u16string_view::npos && at > 0 && chunk.find(u'.', at) != std::u16string_view::npos) {
            word(Hash('W').add("<email>").h);
            continue;
        }
        size_t k = 0;
        while (k < chunk.size()) {
            const char16_t c = chunk[k];
            if (!isWordChar(c)) {
                if (c == u'!')
                    ++exclamations;
                if (c == u'$' || c == u'\u00A3' || c == u'\u20AC')
                    word(Hash('W').add("<cur>").h);
                ++k;
                continue;
            }
            size_t e = k;
            bool hasDigit = false, hasLetter = false;
            while (e < chunk.size() && isWordChar(chunk[e])) {
                hasDigit |= QChar(chunk[e]).isDigit();
                hasLetter |= QChar(chunk[e]).isLetter();
                ++e;
            }
            const std::u16string_view w = chunk.substr(k, e - k);
            k = e;
            if (hasDigit && !hasLetter) {
                word(Hash('W').add("<num>").addInt(std::min<int>(int(w.size()), 12)).h);
            } else {
                word(Hash('W').add(w).h);
                if (hasDigit)
                    s.put(Hash('W').add("<alnum>"));
                if (w.size() >= 3)
                    charGrams(s, 'C', w, 3, 5, 24);
            }
        }
    }
    word(Hash('B').add("$").h);
    s.put(Hash('L').addInt(bucketLog2(double(input.size()))));
    if (letters >= 8)
        s.put(Hash('U').addInt(std::min(4, upper * 5 / letters)));
    s.put(Hash('X').addInt(std::min(exclamations, 3)));
}

void urlFeatures(Sink &s, QStringView input)
{
    int upper = 0, letters = 0;
    const std::u16string t = lower(input.trimmed(), &upper, &letters);
    const std::u16string_view v(t);
    const size_t schemeEnd = v.find(u"://");
    s.put(Hash('S').add(schemeEnd == std::u16string_view::npos ? u"none" : v.substr(0, schemeEnd)));
    const size_t authorityStart = schemeEnd == std::u16string_view::npos ? 0 : schemeEnd + 3;
    size_t authorityEnd = authorityStart;
    while (authorityEnd < v.size() && v[authorityEnd] != u'/' && v[authorityEnd] != u'?' && v[authorityEnd] != u'#')
        ++authorityEnd;
    const std::u16string_view host = hostOf(v);
    const std::u16string_view rest = v.substr(authorityEnd);
    if (v.substr(authorityStart, authorityEnd - authorityStart).find(u':') != std::u16string_view::npos)
        s.put(Hash('I').add("port"));
    // Host: labels, top-level domain, registrable-ish name, counts.
    int labels = 0, hyphens = 0, digits = 0;
    size_t a = 0;
    bool allNumeric = !host.empty();
    while (a <= host.size()) {
        size_t b = host.find(u'.', a);
        if (b == std::u16string_view::npos)
            b = host.size();
        const std::u16string_view label = host.substr(a, b - a);
        if (!label.empty()) {
            ++labels;
            s.put(Hash('H').add(label));
        }
        a = b + 1;
    }
    for (char16_t c : host) {
        hyphens += c == u'-';
        digits += QChar(c).isDigit();
        allNumeric = allNumeric && (QChar(c).isDigit() || c == u'.');
    }
    const std::u16string_view tld = tldOf(host);
    s.put(Hash('T').add(tld));
    {
        // The label before the top-level domain, and the pair.
        const std::u16string_view head = host.substr(0, host.size() - std::min(host.size(), tld.size() + 1));
        const size_t dot = head.rfind(u'.');
        const std::u16string_view name = dot == std::u16string_view::npos ? head : head.substr(dot + 1);
        s.put(Hash('N').add(name).add(u'.').add(tld));
    }
    s.put(Hash('n').addInt(std::min(labels, 8)));
    s.put(Hash('y').addInt(std::min(hyphens, 5)));
    s.put(Hash('d').addInt(std::min(digits, 6)));
    s.put(Hash('l').addInt(bucketLog2(double(host.size()))));
    s.put(Hash('Q').addInt(bucketLog2(double(v.size()))));
    if (allNumeric)
        s.put(Hash('I').add("ip"));
    if (host.substr(0, 4) == u"xn--" || host.find(u".xn--") != std::u16string_view::npos)
        s.put(Hash('I').add("puny"));
    if (v.find(u'@') != std::u16string_view::npos)
        s.put(Hash('I').add("at"));
    charGrams(s, 'h', host, 3, 5, 80);
    // Path and query: words, depth, character n-grams.
    int depth = 0, params = 0;
    size_t k = 0;
    while (k < rest.size()) {
        const char16_t c = rest[k];
        depth += c == u'/';
        params += c == u'=' || c == u'&';
        if (!isWordChar(c)) {
            ++k;
            continue;
        }
        size_t e = k;
        while (e < rest.size() && isWordChar(rest[e]))
            ++e;
        const std::u16string_view w = rest.substr(k, e - k);
        bool numeric = true;
        for (char16_t x : w)
            numeric = numeric && QChar(x).isDigit();
        if (numeric)
            s.put(Hash('P').add("<num>").addInt(std::min<int>(int(w.size()), 12)));
        else if (w.size() > 20)
            s.put(Hash('P').add("<long>"));
        else
            s.put(Hash('P').add(w));
        k = e;
    }
    s.put(Hash('D').addInt(std::min(depth, 8)));
    s.put(Hash('p').addInt(std::min(params, 6)));
    s.put(Hash('r').addInt(bucketLog2(double(rest.size()))));
    if (rest.size() > 1) {
        const std::u16string_view head = rest.substr(0, std::min<size_t>(rest.size(), 120));
        for (size_t i = 0; i + 4 <= head.size(); ++i)
            s.put(Hash('g').add(head.substr(i, 4)));
    }
    if (rest.empty() || rest == u"/")
        s.put(Hash('E').add("bare"));
}

// What a name is about, in coarse classes: the words that change what a value given to it
// means (a password HINT, a token's LENGTH, a key's ID), not the name itself.
std::vector<const char *> nameClasses(Sink &s, char tag, QStringView name)
{
    std::vector<const char *> found;
    static const struct {
        const char *cls;
        std::initializer_list<const char *> words;
    } classes[] = {
        { "pass", { "pass", "passwd", "password", "pwd", "pw", "passphrase", "pin" } },
        { "secret", { "secret", "secrete", "private", "priv" } },
        { "token", { "token", "bearer", "jwt", "session", "cookie" } },
        { "key", { "key", "apikey", "keys" } },
        { "auth", { "auth", "authorization", "credential", "credentials", "cred", "creds", "login" } },
        { "derived",
            { "salt", "nonce", "hash", "hashed", "digest", "checksum", "signature", "sig", "encrypted", "cipher",
                "public", "pub", "fingerprint" } },
        { "id", { "id", "ids", "uuid", "guid", "arn", "sid", "kid", "identifier" } },
        { "where", { "url", "uri", "host", "endpoint", "domain", "path", "file", "dir", "header", "env", "var" } },
        { "user", { "user", "username", "name", "email", "account", "owner" } },
        { "label",
            { "hint", "label", "title", "message", "msg", "tooltip", "error", "text", "description", "desc", "help",
                "prompt", "placeholder", "confirm", "repeat", "forgot", "invalid", "mandatory", "show", "hide",
                "change", "reset", "new", "current", "old" } },
        { "meta",
            { "length", "len", "min", "max", "size", "count", "type", "field", "policy", "format", "regex", "pattern",
                "param", "mode", "provider", "enabled", "required", "expires", "expiry", "ttl", "timeout", "algorithm",
                "alg", "version" } },
        { "example",
            { "test", "example", "sample", "dummy", "fake", "mock", "demo", "default", "expected", "wrong", "bad" } },
    };
    bool any = false;
    std::u16string part;
    auto flush = [&] {
        if (part.empty())
            return;
        for (const auto &c : classes) {
            for (const char *w : c.words) {
                if (part == std::u16string(w, w + std::strlen(w))) {
                    s.put(Hash(tag).add("nc").add(c.cls));
                    if (std::find(found.begin(), found.end(), c.cls) == found.end())
                        found.push_back(c.cls);
                    any = true;
                }
            }
        }
        part.clear();
    };
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar c = name.at(i);
        if (!c.isLetter()) {
            flush();
            continue;
        }
        if (c.isUpper() && i > 0 && name.at(i - 1).isLower())
            flush();
        part += char16_t(c.toLower().unicode());
    }
    flush();
    if (!any) {
        s.put(Hash(tag).add("nc").add("other"));
        found.push_back("other");
    }
    return found;
}

// The value's own structure: shape, length, entropy, kinds of characters and the outline of
// how its characters alternate (letters, digits, punctuation), never which letters.
ValueJudgement valueFeatures(Sink &s, char tag, QStringView value, bool quoted)
{
    const ValueJudgement j = judgeValue(value, quoted);
    const char *shape = valueShapeName(j.shape);
    s.put(Hash(tag).add("shape").add(shape));
    s.put(Hash(tag).add("len").addInt(bucketLog2(double(j.length))));
    s.put(Hash(tag).add("shape-len").add(shape).addInt(bucketLog2(double(j.length))));
    s.put(Hash(tag).add("ent").addInt(int(j.bitsPerChar * 2)));
    s.put(Hash(tag).add("cls").addInt(j.classes));
    s.put(Hash(tag).add("cls-ent").addInt(j.classes * 16 + int(j.bitsPerChar * 2)));
    if (j.uuid)
        s.put(Hash(tag).add("uuid"));
    else if (j.hex)
        s.put(Hash(tag).add("hex").addInt(bucketLog2(double(j.length))));
    if (j.base64Json)
        s.put(Hash(tag).add("b64json"));
    // Outline: a = lower, A = upper, 0 = digit, punctuation as itself; runs squeezed.
    std::u16string outline;
    for (QChar c : value.left(64)) {
        const char16_t k = c.isLower() ? u'a'
            : c.isUpper()              ? u'A'
            : c.isDigit()              ? u'0'
            : c.isSpace()              ? u' '
                                       : c.unicode();
        if (outline.empty() || outline.back() != k)
            outline += k;
    }
    const std::u16string_view o(outline);
    for (size_t i = 0; i + 3 <= o.size() && i < 24; ++i)
        s.put(Hash('o').add(o.substr(i, 3)));
    s.put(Hash('o').add("n").addInt(std::min<int>(int(o.size()), 24)));
    // The value's own character trigrams (digits as 0): hash schemes, encodings and formats
    // show here, and so does a value made of words.
    {
        std::u16string lv;
        for (QChar c : value.left(64))
            lv += c.isDigit() ? u'0' : char16_t(c.toLower().unicode());
        for (size_t i = 0; i + 3 <= lv.size(); ++i)
            s.put(Hash('g').add(std::u16string_view(lv).substr(i, 3)));
    }
    // How it starts: hash schemes ($2a$), encodings (eyJ), vendor prefixes (sk_, ghp_, xox).
    std::u16string head;
    for (QChar c : value.left(4))
        head += c.isDigit() ? u'0' : char16_t(c.toLower().unicode());
    s.put(Hash(tag).add("head").add(head));
    return j;
}

void lineFeatures(Sink &s, QStringView input)
{
    const QStringView line = input.left(600);
    const LineSyntax syntax = guessLineSyntax(line);
    s.put(Hash('S').add(lineSyntaxName(syntax)));
    // Up to three assignments: the first one speaks loudest.
    qsizetype from = 0;
    for (int k = 0; k < 3 && from < line.size(); ++k) {
        const Assignment a = findAssignment(line.mid(from));
        if (!a.found()) {
            if (k == 0)
                s.put(Hash('A').add("none"));
            break;
        }
        const char tag = k == 0 ? 'A' : 'a';
        const QStringView name = line.mid(from + a.nameStart, a.nameEnd - a.nameStart);
        const QStringView value = line.mid(from + a.valueStart, a.valueEnd - a.valueStart);
        const char16_t q = a.quote.isNull() ? u'-' : a.quote.unicode();
        s.put(Hash(tag)
                  .add("op")
                  .add(std::u16string_view(reinterpret_cast<const char16_t *>(a.op.utf16()), size_t(a.op.size())))
                  .add(q));
        s.put(Hash(tag).add("syntax-op").add(lineSyntaxName(syntax)).add(q));
        const std::vector<const char *> classes = nameClasses(s, tag, name);
        const ValueJudgement j = valueFeatures(s, tag, value, !a.quote.isNull());
        // What a value of this shape means depends on what the name is about (a short random
        // word given to a password, the same given to a label): the pairs.
        for (const char *c : classes) {
            s.put(Hash(tag).add("nc-shape").add(c).add(valueShapeName(j.shape)));
            s.put(Hash(tag).add("nc-len").add(c).addInt(bucketLog2(double(j.length))));
            s.put(Hash(tag).add("nc-cls").add(c).addInt(j.classes));
        }
        s.put(Hash(tag).add("syntax-shape").add(lineSyntaxName(syntax)).add(valueShapeName(j.shape)));
        from += a.valueEnd + 1;
    }
    // The most secret-looking run of characters, wherever it is (bare tokens, URLs, headers).
    std::u16string_view best;
    double bestScore = 0;
    const std::u16string orig(reinterpret_cast<const char16_t *>(line.utf16()), size_t(line.size()));
    const std::u16string_view o(orig);
    auto isBreak = [](char16_t c) {
        return QChar(c).isSpace() || c == u'"' || c == u'\'' || c == u'`' || c == u'=' || c == u',' || c == u';'
            || c == u'(' || c == u')' || c == u'[' || c == u']' || c == u'{' || c == u'}' || c == u'<' || c == u'>'
            || c == u'\\';
    };
    size_t i = 0;
    while (i < o.size()) {
        while (i < o.size() && isBreak(o[i]))
            ++i;
        size_t j = i;
        while (j < o.size() && !isBreak(o[j]))
            ++j;
        std::u16string_view tok = o.substr(i, j - i);
        const size_t colon = tok.rfind(u':');
        if (colon != std::u16string_view::npos && colon + 1 < tok.size()
            && tok.find(u"//") == std::u16string_view::npos)
            tok = tok.substr(colon + 1);
        if (tok.size() >= 6) {
            const double score = entropyBits(tok) * std::log2(double(tok.size()));
            if (score > bestScore) {
                bestScore = score;
                best = tok;
            }
        }
        i = j;
    }
    if (best.empty())
        s.put(Hash('V').add("none"));
    else
        valueFeatures(s, 'V', QStringView(best.data(), qsizetype(best.size())), false);
    // Credentials inside a link: scheme://user:password@host.
    {
        const qsizetype scheme = line.indexOf(QLatin1String("://"));
        if (scheme >= 0) {
            s.put(Hash('F').add("url"));
            qsizetype end = scheme + 3;
            while (end < line.size() && !line.at(end).isSpace() && !QStringLiteral("/\"'`").contains(line.at(end)))
                ++end;
            const QStringView authority = line.mid(scheme + 3, end - scheme - 3);
            const qsizetype at = authority.lastIndexOf(QLatin1Char('@'));
            const qsizetype colon = at > 0 ? authority.left(at).indexOf(QLatin1Char(':')) : -1;
            if (colon >= 0) {
                valueFeatures(s, 'U', authority.mid(colon + 1, at - colon - 1), false);
                const QStringView host = authority.mid(at + 1);
                if (host.startsWith(QLatin1String("localhost")) || host.startsWith(QLatin1String("127."))
                    || host.contains(QLatin1String("example")) || host.startsWith(QLatin1Char('%'))
                    || host.startsWith(QLatin1Char('$')) || host.startsWith(QLatin1Char('{')))
                    s.put(Hash('U').add("host-local"));
            }
        }
    }
    // Generic words that say a line is a test, an example or documentation.
    {
        static const char *const markers[] = { "example", "sample", "dummy", "fake", "mock", "test", "assert", "expect",
            "todo", "placeholder", "describe", "should", "e.g.", "your", "default" };
        for (const char *m : markers) {
            if (line.contains(QLatin1String(m), Qt::CaseInsensitive))
                s.put(Hash('M').add(m));
        }
    }
    auto has = [&](const char *needle) { return line.contains(QLatin1String(needle)); };
    if (has("\""))
        s.put(Hash('F').add("dq"));
    if (has("'"))
        s.put(Hash('F').add("sq"));
    if (has("("))
        s.put(Hash('F').add("call"));
    if (has("Basic ") || has("Bearer ") || has("basic ") || has("bearer "))
        s.put(Hash('F').add("authheader"));
    const QStringView head = line.trimmed().left(2);
    if (head == QLatin1String("//") || head.startsWith(QLatin1Char('#')) || head.startsWith(QLatin1Char('*'))
        || head == QLatin1String("/*") || head.startsWith(QLatin1String("<!")))
        s.put(Hash('F').add("comment"));
    s.put(Hash('F').add("len").addInt(bucketLog2(double(line.size()))));
}

} // namespace

const char *featureKindName(FeatureKind k)
{
    switch (k) {
    case FeatureKind::Text:
        return "text";
    case FeatureKind::Url:
        return "url";
    case FeatureKind::Line:
        return "line";
    }
    return "text";
}

std::optional<FeatureKind> featureKindFromName(const QString &name)
{
    for (FeatureKind k : { FeatureKind::Text, FeatureKind::Url, FeatureKind::Line }) {
        if (name == QLatin1String(featureKindName(k)))
            return k;
    }
    return std::nullopt;
}

void extractFeatures(FeatureKind kind, QStringView input, int bits, std::vector<uint32_t> &out)
{
    out.clear();
    Sink s { out, (1u << bits) - 1 };
    switch (kind) {
    case FeatureKind::Text:
        textFeatures(s, input);
        break;
    case FeatureKind::Url:
        urlFeatures(s, input);
        break;
    case FeatureKind::Line:
        lineFeatures(s, input);
        break;
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
}

namespace {

double sigmoid(double z)
{
    return 1.0 / (1.0 + std::exp(-z));
}

double dot(const std::vector<float> &w, float bias, const std::vector<uint32_t> &f)
{
    if (f.empty())
        return bias;
    double z = 0;
    for (uint32_t i : f)
        z += w[i];
    return bias + z / std::sqrt(double(f.size()));
}

struct Trained {
    std::vector<float> weights;
    float bias = 0;
};

Trained fit(const std::vector<std::vector<uint32_t>> &x, const std::vector<char> &y, const std::vector<size_t> &rows,
    const TrainOptions &o)
{
    Trained m;
    m.weights.assign(size_t(1) << o.bits, 0.0f);
    std::vector<float> g2(m.weights.size(), 1e-8f);
    double biasG2 = 1e-8;
    int pos = 0;
    for (size_t r : rows)
        pos += y[r];
    const int neg = int(rows.size()) - pos;
    // Balanced classes: each class weighs half.
    const double wPos = pos ? double(rows.size()) / (2.0 * pos) : 1.0;
    const double wNeg = neg ? double(rows.size()) / (2.0 * neg) : 1.0;
    std::vector<size_t> order = rows;
    std::mt19937 rng(1234567u);
    for (int epoch = 0; epoch < o.epochs; ++epoch) {
        std::shuffle(order.begin(), order.end(), rng);
        for (size_t r : order) {
            const auto &f = x[r];
            const double scale = f.empty() ? 0.0 : 1.0 / std::sqrt(double(f.size()));
            const double p = sigmoid(dot(m.weights, m.bias, f));
            const double g = (p - double(y[r])) * (y[r] ? wPos : wNeg);
            for (uint32_t i : f) {
                const double gi = g * scale + o.l2 * m.weights[i];
                g2[i] += float(gi * gi);
                m.weights[i] -= float(o.learningRate * gi / std::sqrt(double(g2[i])));
            }
            biasG2 += g * g;
            m.bias -= float(o.learningRate * g / std::sqrt(biasG2));
        }
    }
    return m;
}

} // namespace

QStringList groupsSharingText(const std::vector<std::pair<QString, bool>> &examples, const QStringList &groups)
{
    // Union-find over rows: rows of one group, and rows whose text without white space is the
    // same, end up together; each is named by the smallest group name of its component.
    const size_t n = examples.size();
    std::vector<size_t> parent(n);
    std::iota(parent.begin(), parent.end(), 0);
    auto find = [&](size_t a) {
        while (parent[a] != a) {
            parent[a] = parent[parent[a]];
            a = parent[a];
        }
        return a;
    };
    auto unite = [&](size_t a, size_t b) {
        a = find(a);
        b = find(b);
        if (a != b)
            parent[std::max(a, b)] = std::min(a, b);
    };
    auto name = [&](size_t i) {
        return qsizetype(i) < groups.size() ? groups.at(qsizetype(i)) : QStringLiteral("#%1").arg(i);
    };
    QHash<QString, size_t> firstOfGroup, firstOfText;
    for (size_t i = 0; i < n; ++i) {
        const QString g = name(i);
        if (auto it = firstOfGroup.constFind(g); it != firstOfGroup.constEnd())
            unite(i, *it);
        else
            firstOfGroup.insert(g, i);
        QString bare;
        bare.reserve(examples[i].first.size());
        for (QChar c : examples[i].first)
            if (!c.isSpace())
                bare += c;
        if (auto it = firstOfText.constFind(bare); it != firstOfText.constEnd())
            unite(i, *it);
        else
            firstOfText.insert(bare, i);
    }
    std::vector<QString> smallest(n);
    for (size_t i = 0; i < n; ++i) {
        QString &s = smallest[find(i)];
        const QString g = name(i);
        if (s.isEmpty() || g < s)
            s = g;
    }
    QStringList out;
    out.reserve(qsizetype(n));
    for (size_t i = 0; i < n; ++i)
        out << smallest[find(i)];
    return out;
}

double TextModel::score(QStringView input) const
{
    static thread_local std::vector<uint32_t> f;
    extractFeatures(kind, input, bits, f);
    if (weights.size() != (size_t(1) << bits))
        return 0;
    return sigmoid(dot(weights, bias, f));
}

TextModel trainTextModel(const std::vector<std::pair<QString, bool>> &examples, const TrainOptions &o,
    TrainReport *report, const QStringList *groups)
{
    std::vector<std::vector<uint32_t>> x(examples.size());
    std::vector<char> y(examples.size());
    for (size_t i = 0; i < examples.size(); ++i) {
        extractFeatures(o.kind, examples[i].first, o.bits, x[i]);
        y[i] = examples[i].second ? 1 : 0;
    }
    // Out-of-fold scores: each row scored by a model that never saw it. Rows of one group (and
    // rows whose text is the same, whatever their group) share a fold; without groups, folds are
    // fixed by position after a seeded shuffle, so the result does not depend on the input
    // order's luck.
    const QStringList merged = groupsSharingText(examples, groups ? *groups : QStringList());
    std::vector<size_t> idx(examples.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::mt19937 rng(7654321u);
    std::shuffle(idx.begin(), idx.end(), rng);
    std::vector<double> oof(examples.size(), 0);
    const int folds = std::max(2, o.folds);
    std::vector<int> foldOf(examples.size());
    {
        QHash<QString, int> byGroup;
        for (size_t i = 0; i < idx.size(); ++i) {
            const QString &g = merged.at(qsizetype(idx[i]));
            auto it = byGroup.find(g);
            if (it == byGroup.end())
                it = byGroup.insert(g,
                    groups ? int(
                        Hash('G')
                            .add(std::u16string_view(reinterpret_cast<const char16_t *>(g.utf16()), size_t(g.size())))
                            .h
                        % uint32_t(folds))
                           : int(byGroup.size() % folds));
            foldOf[idx[i]] = *it;
        }
    }
    for (int k = 0; k < folds; ++k) {
        std::vector<size_t> train, held;
        for (size_t i = 0; i < idx.size(); ++i)
            (foldOf[idx[i]] == k ? held : train).push_back(idx[i]);
        const Trained m = fit(x, y, train, o);
        for (size_t r : held)
            oof[r] = sigmoid(dot(m.weights, m.bias, x[r]));
    }
    // The lowest threshold whose out-of-fold precision reaches the target: most recall for
    // the precision asked.
    std::vector<size_t> byScore(examples.size());
    std::iota(byScore.begin(), byScore.end(), 0);
    std::sort(byScore.begin(), byScore.end(), [&](size_t a, size_t b) { return oof[a] > oof[b]; });
    int totalPos = 0;
    for (char v : y)
        totalPos += v;
    int tp = 0, fp = 0;
    double threshold = 1.0;
    double bestP = 0, bestR = 0;
    for (size_t i = 0; i < byScore.size(); ++i) {
        const size_t r = byScore[i];
        (y[r] ? tp : fp) += 1;
        if (i + 1 < byScore.size() && oof[byScore[i + 1]] == oof[r])
            continue; // ties go together
        const double p = double(tp) / double(tp + fp);
        if (p >= o.targetPrecision) {
            threshold = oof[r];
            bestP = p;
            bestR = totalPos ? double(tp) / totalPos : 0;
        }
    }
    std::vector<size_t> all(examples.size());
    std::iota(all.begin(), all.end(), 0);
    const Trained m = fit(x, y, all, o);
    TextModel model;
    model.name = o.name;
    model.kind = o.kind;
    model.bits = o.bits;
    model.weights = m.weights;
    model.bias = m.bias;
    model.threshold = float(threshold);
    model.features = TextModel::currentFeatures(o.kind);
    if (report) {
        report->foldPrecision = bestP;
        report->foldRecall = bestR;
        report->positives = totalPos;
        report->negatives = int(examples.size()) - totalPos;
    }
    return model;
}

int TextModel::currentFeatures(FeatureKind kind)
{
    // Line features became structural (value shape, syntax, name classes) in version 2.
    return kind == FeatureKind::Line ? 2 : 1;
}

QByteArray TextModel::toJson() const
{
    float maxAbs = 0;
    for (float w : weights)
        maxAbs = std::max(maxAbs, std::abs(w));
    const float scale = maxAbs > 0 ? maxAbs / 32767.0f : 1.0f;
    QByteArray packed;
    for (size_t i = 0; i < weights.size(); ++i) {
        const long q = std::lround(weights[i] / scale);
        if (q == 0)
            continue;
        const uint32_t index = uint32_t(i);
        const int16_t value = int16_t(std::clamp<long>(q, -32767, 32767));
        for (int b = 0; b < 4; ++b)
            packed.append(char((index >> (8 * b)) & 0xFF));
        packed.append(char(uint16_t(value) & 0xFF));
        packed.append(char(uint16_t(value) >> 8));
    }
    QJsonObject o { { QStringLiteral("format"), QStringLiteral("l0-safety-model/1") }, { QStringLiteral("name"), name },
        { QStringLiteral("kind"), QLatin1String(featureKindName(kind)) }, { QStringLiteral("features"), features },
        { QStringLiteral("bits"), bits }, { QStringLiteral("bias"), double(bias) },
        { QStringLiteral("threshold"), double(threshold) }, { QStringLiteral("scale"), double(scale) },
        { QStringLiteral("weights"), QString::fromLatin1(packed.toBase64()) } };
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

Result<TextModel> TextModel::fromJson(const QByteArray &json)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (!doc.isObject())
        return makeError(
            ErrorCode::InvalidArgument, QStringLiteral("model: not a JSON object (%1)").arg(pe.errorString()));
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("format")).toString() != QLatin1String("l0-safety-model/1"))
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("model: format is not l0-safety-model/1"));
    TextModel m;
    m.name = o.value(QStringLiteral("name")).toString();
    const auto kind = featureKindFromName(o.value(QStringLiteral("kind")).toString());
    if (!kind)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("model: unknown kind"));
    m.kind = *kind;
    m.features = o.value(QStringLiteral("features")).toInt(1);
    if (m.features != currentFeatures(m.kind))
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("model: built for version %1 of the %2 features, this build reads version %3; retrain it "
                           "with l0ctl safety train")
                .arg(m.features)
                .arg(QLatin1String(featureKindName(m.kind)))
                .arg(currentFeatures(m.kind)));
    m.bits = o.value(QStringLiteral("bits")).toInt();
    if (m.bits < 8 || m.bits > 24)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("model: bits must be 8..24"));
    m.bias = float(o.value(QStringLiteral("bias")).toDouble());
    m.threshold = float(o.value(QStringLiteral("threshold")).toDouble(0.5));
    const float scale = float(o.value(QStringLiteral("scale")).toDouble(1.0));
    const QByteArray packed = QByteArray::fromBase64(o.value(QStringLiteral("weights")).toString().toLatin1());
    if (packed.size() % 6 != 0)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("model: weights are cut short"));
    m.weights.assign(size_t(1) << m.bits, 0.0f);
    for (qsizetype p = 0; p < packed.size(); p += 6) {
        uint32_t index = 0;
        for (int b = 0; b < 4; ++b)
            index |= uint32_t(uchar(packed[p + b])) << (8 * b);
        const int16_t value = int16_t(uint16_t(uchar(packed[p + 4])) | (uint16_t(uchar(packed[p + 5])) << 8));
        if (index >= m.weights.size())
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("model: weight index out of range"));
        m.weights[index] = float(value) * scale;
    }
    return m;
}

} // namespace l0

namespace l0 {

Result<std::vector<std::pair<QString, bool>>> readLabelled(const LabelledSource &src, QStringList *groups)
{
    QFile f(src.path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::NotFound, QStringLiteral("cannot read %1: %2").arg(src.path, f.errorString()));
    const QByteArray data = f.readAll();
    std::vector<std::pair<QString, bool>> rows;
    auto take = [&](const QString &text, const QString &label, const QString &group) {
        const bool positive = src.positive.contains(label);
        if (!positive && !src.negative.isEmpty() && !src.negative.contains(label))
            return;
        rows.emplace_back(text, positive);
        if (groups)
            *groups << group;
    };
    if (src.path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive)) {
        auto records = parseCsv(data);
        if (!records)
            return makeError(records.error().code, src.path + QStringLiteral(": ") + records.error().message);
        if (records->empty())
            return makeError(ErrorCode::InvalidArgument, src.path + QStringLiteral(": no header"));
        const QStringList &header = records->front();
        const qsizetype t = header.indexOf(src.textField), l = header.indexOf(src.labelField);
        const qsizetype g = src.groupField.isEmpty() ? -1 : header.indexOf(src.groupField);
        if (t < 0 || l < 0)
            return makeError(ErrorCode::InvalidArgument,
                QStringLiteral("%1: the header has no column %2")
                    .arg(src.path, t < 0 ? src.textField : src.labelField));
        for (size_t r = 1; r < records->size(); ++r) {
            const QStringList &rec = (*records)[r];
            if (rec.size() != header.size())
                return makeError(ErrorCode::InvalidArgument,
                    QStringLiteral("%1: record %2 has %3 fields, the header %4")
                        .arg(src.path)
                        .arg(r + 1)
                        .arg(rec.size())
                        .arg(header.size()));
            take(rec.at(t), rec.at(l).trimmed(), g >= 0 ? rec.at(g) : QString());
        }
        return rows;
    }
    int line = 0;
    for (const QByteArray &raw : data.split('\n')) {
        ++line;
        if (raw.trimmed().isEmpty())
            continue;
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(raw, &pe);
        if (!doc.isObject())
            return makeError(ErrorCode::InvalidArgument,
                QStringLiteral("%1:%2: not a JSON object (%3)").arg(src.path).arg(line).arg(pe.errorString()));
        const QJsonObject o = doc.object();
        const QJsonValue text = o.value(src.textField);
        if (!text.isString())
            return makeError(ErrorCode::InvalidArgument,
                QStringLiteral("%1:%2: no string field %3").arg(src.path).arg(line).arg(src.textField));
        auto str = [](const QJsonValue &v) {
            return v.isDouble() ? QString::number(v.toDouble()) : v.toVariant().toString();
        };
        take(text.toString(), str(o.value(src.labelField)),
            src.groupField.isEmpty() ? QString() : str(o.value(src.groupField)));
    }
    return rows;
}

} // namespace l0
