#include "safetyvalue.h"

#include <QByteArray>

#include <cmath>

namespace l0 {

namespace {

// Letter pairs that are common inside English words and identifiers (bit b of row a: the pair
// a,b), counted once from English prose and code comments. Random letters hit about half of
// them, words nearly all.
constexpr uint32_t kCommonPairs[26] = { 0x1febd6e, 0x1164b15, 0x01e5d95, 0x11e4919, 0x1effd7f, 0x01e4931, 0x0166991,
    0x01a4111, 0x2aef87f, 0x0104010, 0x0440911, 0x11ce939, 0x01cd91b, 0x13ced7d, 0x07efd7f, 0x11ec919, 0x0100000,
    0x17efd7d, 0x15efdd5, 0x15ed9bd, 0x00eb97f, 0x0000111, 0x0066191, 0x0088115, 0x00ce110, 0x0000110 };

bool isAsciiLetter(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z');
}

double entropy(QStringView v)
{
    if (v.isEmpty())
        return 0;
    int counts[128] = {};
    int other = 0;
    for (QChar c : v) {
        if (c.unicode() < 128)
            ++counts[c.unicode()];
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

bool startsWithAny(QStringView v, std::initializer_list<const char *> prefixes, Qt::CaseSensitivity cs)
{
    for (const char *p : prefixes) {
        if (v.startsWith(QLatin1String(p), cs))
            return true;
    }
    return false;
}

bool containsAny(QStringView v, std::initializer_list<const char *> needles, Qt::CaseSensitivity cs)
{
    for (const char *p : needles) {
        if (v.contains(QLatin1String(p), cs))
            return true;
    }
    return false;
}

bool identChar(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('$');
}

// a.b.c, a->b, a::b, f(...), a[...], &T{...}, new T(...): code that computes a value.
bool expression(QStringView v)
{
    qsizetype i = 0;
    if (v.startsWith(QLatin1String("new ")))
        i = 4;
    while (i < v.size() && (v.at(i) == QLatin1Char('&') || v.at(i) == QLatin1Char('*') || v.at(i) == QLatin1Char('!')))
        ++i;
    if (i >= v.size() || !(v.at(i).isLetter() || v.at(i) == QLatin1Char('_') || v.at(i) == QLatin1Char('$')))
        return false;
    bool access = false;
    while (i < v.size()) {
        const qsizetype identStart = i;
        while (i < v.size() && identChar(v.at(i)))
            ++i;
        if (i >= v.size())
            break;
        const qsizetype identLength = i - identStart;
        const QStringView rest = v.mid(i);
        if (rest.startsWith(QLatin1String("->")) || rest.startsWith(QLatin1String("::"))) {
            access = true;
            i += 2;
        } else if (v.at(i) == QLatin1Char('.') && i + 1 < v.size()
            && (v.at(i + 1).isLetter() || v.at(i + 1) == QLatin1Char('_'))) {
            access = true;
            i += 1;
        } else if (v.at(i) == QLatin1Char('(') || v.at(i) == QLatin1Char('[') || v.at(i) == QLatin1Char('{')) {
            // A call, an index or a composite literal (Type{...}): a name of two letters or
            // more, not a doubled bracket, and for braces a type name or a qualified one.
            if (identLength < 2 || (i + 1 < v.size() && v.at(i + 1) == v.at(i)))
                return false;
            const bool emptyLiteral = i + 1 < v.size() && v.at(i + 1) == QLatin1Char('}');
            if (v.at(i) == QLatin1Char('{') && !access && !v.at(identStart).isUpper() && !emptyLiteral)
                return false;
            return true;
        } else {
            // Trailing punctuation of the statement only.
            for (; i < v.size(); ++i) {
                if (!QStringLiteral(",;)").contains(v.at(i)))
                    return false;
            }
            break;
        }
        if (i >= v.size() || !(v.at(i).isLetter() || v.at(i) == QLatin1Char('_') || v.at(i) == QLatin1Char('$')))
            return false;
    }
    return access;
}

bool hashShape(QStringView v)
{
    if (startsWithAny(v,
            { "$2a$", "$2b$", "$2x$", "$2y$", "$1$", "$5$", "$6$", "$y$", "$7$", "$apr1$", "$argon2", "$pbkdf2",
                "$scrypt", "$sha1$", "$md5", "pbkdf2_sha", "pbkdf2:sha", "bcrypt_sha256$", "bcrypt$", "argon2$",
                "scrypt:", "sha1$", "md5$", "sha256:", "sha512:", "sha1:", "md5:" },
            Qt::CaseInsensitive))
        return true;
    // Any crypt(3)-style scheme: $id$[params$]salt$hash.
    if (v.startsWith(QLatin1Char('$')) && v.count(QLatin1Char('$')) >= 3) {
        const qsizetype second = v.indexOf(QLatin1Char('$'), 1);
        bool id = second > 1 && second <= 12;
        for (qsizetype i = 1; id && i < second; ++i)
            id = v.at(i).isLetterOrNumber() || v.at(i) == QLatin1Char('-');
        if (id)
            return true;
    }
    // LDAP and Dovecot style: {SSHA}..., {CRYPT}$6$..., {PBKDF2-SHA512}...
    if (v.startsWith(QLatin1Char('{'))) {
        const qsizetype close = v.indexOf(QLatin1Char('}'));
        if (close >= 3 && close <= 20 && close + 1 < v.size()) {
            for (QChar c : v.mid(1, close - 1)) {
                if (!(c.isUpper() || c.isDigit() || c == QLatin1Char('-')))
                    return false;
            }
            return true;
        }
    }
    return false;
}

bool referenceShape(QStringView v, bool quoted)
{
    while (!v.isEmpty() && QStringLiteral("\"'`").contains(v.front()))
        v = v.mid(1); // ''${VAR:?...} in a shell string
    if (startsWithAny(v, { "arn:", "urn:" }, Qt::CaseSensitive))
        return true; // a resource name
    // A call in quotes, as templates write it: doneEdit(todo), getSecret('name').
    {
        qsizetype i = 0;
        while (
            i < v.size() && (v.at(i).isLetterOrNumber() || v.at(i) == QLatin1Char('_') || v.at(i) == QLatin1Char('.')))
            ++i;
        if (i >= 2 && i < v.size() && v.at(i) == QLatin1Char('(') && v.endsWith(QLatin1Char(')')) && v.at(0).isLetter())
            return true;
    }
    if (startsWithAny(v,
            { "${", "$(", "#{", "%{", "{{", "<%", "@{", "%(", "{%", "$env:", "env:", "vault:", "!vault",
                "ssm:", "secretsmanager:", "arn:aws:secretsmanager" },
            Qt::CaseInsensitive))
        return true;
    auto identifierAfter = [&](qsizetype from, qsizetype to) {
        if (to - from < 1)
            return false;
        for (qsizetype i = from; i < to; ++i) {
            if (!(v.at(i).isLetterOrNumber() || v.at(i) == QLatin1Char('_')))
                return false;
        }
        return v.at(from).isLetter() || v.at(from) == QLatin1Char('_');
    };
    if (v.startsWith(QLatin1Char('$')) && identifierAfter(1, v.size()))
        return true; // $VAR, $authToken
    if (v.size() >= 3 && v.startsWith(QLatin1Char('%')) && v.endsWith(QLatin1Char('%'))
        && identifierAfter(1, v.size() - 1))
        return true; // %VAR%
    if (containsAny(v,
            { "getenv", "environ", "process.env", "env[", "env.fetch", "environment.getenvironmentvariable",
                "config.get", "secrets.", "keyring.", "credentials(", "import.meta.env" },
            Qt::CaseInsensitive))
        return true;
    return !quoted && expression(v);
}

// xxx, ****, ...., ####, ????, 0000: a mask where a value would go.
bool maskShape(QStringView v)
{
    if (v.size() < 3)
        return false;
    for (QChar c : v) {
        if (!QStringLiteral("xX*.#?_-0\u2022").contains(c))
            return false;
    }
    return true;
}

// Splits an identifier into parts at non-alphanumerics, letter/digit changes and camel humps.
template <typename F> void forEachPart(QStringView v, F &&part)
{
    qsizetype start = -1;
    auto flush = [&](qsizetype end) {
        if (start >= 0 && end > start)
            part(v.mid(start, end - start));
        start = -1;
    };
    for (qsizetype i = 0; i < v.size(); ++i) {
        const QChar c = v.at(i);
        if (!c.isLetterOrNumber()) {
            flush(i);
            continue;
        }
        if (start >= 0) {
            const QChar p = v.at(i - 1);
            const bool hump = c.isUpper() && p.isLower();
            const bool kind = c.isDigit() != p.isDigit();
            // "HTTPServer": the hump sits before the last capital of a run.
            const bool runEnd = c.isLower() && p.isUpper() && i - start >= 2;
            if (hump || kind) {
                flush(i);
            } else if (runEnd) {
                flush(i - 1);
                start = i - 1;
            }
        }
        if (start < 0)
            start = i;
    }
    flush(v.size());
}

const char *const kMarkers[] = { "your", "my", "insert", "replace", "enter", "here", "example", "examples", "sample",
    "dummy", "fake", "placeholder", "redacted", "changeme", "todo", "fixme", "mock", "test", "tests", "testing", "demo",
    "xxx", "xxxx", "foo", "bar", "baz", "none", "null", "default", "generated", "secret", "password", "token", "key" };

} // namespace

const QSet<QString> &defaultPlaceholderValues()
{
    static const QSet<QString> values { QStringLiteral("changeme"), QStringLiteral("change_me"),
        QStringLiteral("change-me"), QStringLiteral("changeit"), QStringLiteral("password"), QStringLiteral("passwd"),
        QStringLiteral("pass"), QStringLiteral("pwd"), QStringLiteral("pw"), QStringLiteral("secret"),
        QStringLiteral("token"), QStringLiteral("key"), QStringLiteral("apikey"), QStringLiteral("api_key"),
        QStringLiteral("value"), QStringLiteral("none"), QStringLiteral("null"), QStringLiteral("nil"),
        QStringLiteral("undefined"), QStringLiteral("true"), QStringLiteral("false"), QStringLiteral("test"),
        QStringLiteral("testing"), QStringLiteral("example"), QStringLiteral("sample"), QStringLiteral("dummy"),
        QStringLiteral("fake"), QStringLiteral("foo"), QStringLiteral("bar"), QStringLiteral("baz"),
        QStringLiteral("foobar"), QStringLiteral("qux"), QStringLiteral("admin"), QStringLiteral("root"),
        QStringLiteral("user"), QStringLiteral("username"), QStringLiteral("guest"), QStringLiteral("default"),
        QStringLiteral("demo"), QStringLiteral("hunter2"), QStringLiteral("letmein"), QStringLiteral("qwerty"),
        QStringLiteral("123456"), QStringLiteral("1234"), QStringLiteral("12345"), QStringLiteral("12345678"),
        QStringLiteral("123456789"), QStringLiteral("password1"), QStringLiteral("password123"),
        QStringLiteral("admin123"), QStringLiteral("secret123"), QStringLiteral("test123"), QStringLiteral("abc123"),
        QStringLiteral("pass123"), QStringLiteral("welcome"), QStringLiteral("todo"), QStringLiteral("tbd"),
        QStringLiteral("redacted"), QStringLiteral("hidden"), QStringLiteral("masked"), QStringLiteral("removed"),
        QStringLiteral("replace_me"), QStringLiteral("replaceme"), QStringLiteral("your_password"),
        QStringLiteral("yourpassword"), QStringLiteral("mypassword"), QStringLiteral("wrong"),
        QStringLiteral("invalid"), QStringLiteral("bad"), QStringLiteral("empty"), QStringLiteral("required"),
        QStringLiteral("optional"), QStringLiteral("string"), QStringLiteral("str"), QStringLiteral("text"),
        QStringLiteral("xyz"), QStringLiteral("abc"), QStringLiteral("asdf") };
    return values;
}

const char *valueShapeName(ValueShape s)
{
    switch (s) {
    case ValueShape::Secret:
        return "secret";
    case ValueShape::Weak:
        return "weak";
    case ValueShape::Number:
        return "number";
    case ValueShape::Empty:
        return "empty";
    case ValueShape::Placeholder:
        return "placeholder";
    case ValueShape::Reference:
        return "reference";
    case ValueShape::Hash:
        return "hash";
    case ValueShape::Prose:
        return "prose";
    case ValueShape::Words:
        return "words";
    case ValueShape::Repetitive:
        return "repetitive";
    case ValueShape::Encoded:
        return "encoded";
    }
    return "weak";
}

bool shapeHoldsNoSecret(ValueShape s)
{
    return s != ValueShape::Secret && s != ValueShape::Weak && s != ValueShape::Number;
}

bool wordLike(QStringView letters)
{
    int pairs = 0, common = 0;
    for (qsizetype i = 0; i + 1 < letters.size(); ++i) {
        const QChar a = letters.at(i).toLower(), b = letters.at(i + 1).toLower();
        if (a.unicode() >= 128 || b.unicode() >= 128)
            return true; // accented words: not what generated secrets are made of
        if (!isAsciiLetter(a) || !isAsciiLetter(b))
            return false;
        ++pairs;
        common += (kCommonPairs[a.unicode() - 'a'] >> (b.unicode() - 'a')) & 1;
    }
    if (pairs < 2)
        return false;
    const double share = double(common) / pairs;
    return pairs <= 3 ? common == pairs : share >= (pairs <= 6 ? 0.8 : 0.85);
}

bool repetitive(QStringView v)
{
    const qsizetype n = v.size();
    if (n < 6)
        return false;
    int counts[128] = {};
    int distinct = 0, top = 0;
    for (QChar c : v) {
        if (c.unicode() >= 128)
            return false;
        if (counts[c.unicode()]++ == 0)
            ++distinct;
        top = std::max(top, counts[c.unicode()]);
    }
    if (distinct <= 2 || (n >= 8 && top * 10 >= n * 6))
        return true;
    // One block repeated, give or take two characters: abcd1234abcd1234..., s3cr3ts3cr3t...,
    // PNdeadbeefdeadbeefdeadbeee.
    for (qsizetype p = 1; p <= n / 3; ++p) {
        int misses = 0;
        for (qsizetype i = p; i < n && misses <= 2; ++i)
            misses += v.at(i) != v.at(i - p);
        if (misses <= (n >= 16 ? 2 : 0))
            return true;
    }
    return false;
}

ValueJudgement judgeValue(
    QStringView raw, bool quoted, const QSet<QString> *knownPlaceholders, const QStringList &placeholderWords)
{
    QStringView v = raw.trimmed();
    if (!quoted) {
        while (!v.isEmpty() && QStringLiteral(",;").contains(v.back()))
            v.chop(1);
    }
    if (v.size() >= 2 && (v.front() == v.back()) && QStringLiteral("\"'`").contains(v.front()))
        v = v.mid(1, v.size() - 2);
    ValueJudgement j;
    j.length = int(v.size());
    j.bitsPerChar = entropy(v);
    int lower = 0, upper = 0, digit = 0, other = 0, alnum = 0;
    bool hex = !v.isEmpty(), onlyDigits = !v.isEmpty();
    for (QChar c : v) {
        lower += c.isLower();
        upper += c.isUpper();
        digit += c.isDigit();
        other += !c.isLetterOrNumber();
        alnum += c.isLetterOrNumber();
        hex = hex
            && (c.isDigit() || (c.toLower() >= QLatin1Char('a') && c.toLower() <= QLatin1Char('f'))
                || c == QLatin1Char('-'));
        onlyDigits
            = onlyDigits && (c.isDigit() || c == QLatin1Char('-') || c == QLatin1Char('.') || c == QLatin1Char(' '));
    }
    j.classes = (lower > 0) + (upper > 0) + (digit > 0) + (other > 0);
    j.hex = hex && digit > 0;
    j.uuid = hex && v.size() == 36 && v.at(8) == QLatin1Char('-') && v.at(13) == QLatin1Char('-')
        && v.at(18) == QLatin1Char('-') && v.at(23) == QLatin1Char('-');
    if (v.startsWith(QLatin1String("eyJ")) || v.startsWith(QLatin1String("ewo"))) {
        const QStringView head
            = v.left(std::max<qsizetype>(0, v.indexOf(QLatin1Char('.')) < 0 ? v.size() : v.indexOf(QLatin1Char('.'))));
        const QByteArray decoded
            = QByteArray::fromBase64(head.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        j.base64Json = decoded.trimmed().startsWith('{') && !v.contains(QLatin1Char('.'));
    }
    auto is = [&](ValueShape s) {
        j.shape = s;
        return j;
    };
    if (alnum == 0)
        return is(ValueShape::Empty);
    if (hashShape(v))
        return is(ValueShape::Hash);
    if (referenceShape(v, quoted))
        return is(ValueShape::Reference);
    const QString lv = v.toString().toLower();
    if (defaultPlaceholderValues().contains(lv) || (knownPlaceholders && knownPlaceholders->contains(lv))
        || maskShape(v))
        return is(ValueShape::Placeholder);
    if (v.size() >= 3
        && ((v.front() == QLatin1Char('<') && v.back() == QLatin1Char('>'))
            || (v.front() == QLatin1Char('[') && v.back() == QLatin1Char(']') && !v.contains(QLatin1Char(',')))))
        return is(ValueShape::Placeholder); // <your-key>, [password]
    for (const QString &w : placeholderWords) {
        if (lv.contains(w))
            return is(ValueShape::Placeholder);
    }
    for (const char *w : { "changeme", "xxxx", "example", "placeholder", "dummy", "redacted", "sample", "fake" }) {
        if (lv.contains(QLatin1String(w)))
            return is(ValueShape::Placeholder);
    }
    if (repetitive(v))
        return is(ValueShape::Repetitive);
    if (j.base64Json)
        return is(ValueShape::Encoded);
    // Mostly letters of other scripts: a translation (generated secrets are ASCII).
    {
        int foreign = 0;
        for (QChar c : v)
            foreign += c.unicode() >= 128 && c.isLetter();
        if (foreign * 2 >= v.size())
            return is(ValueShape::Prose);
    }
    // A marker word with digits around it (test123456, 56789secret, password1) or in front of
    // a word (mybucket, yourtoken, testuser): an example value.
    {
        qsizetype a = 0, b = lv.size();
        while (a < b && lv.at(a).isDigit())
            ++a;
        while (b > a && lv.at(b - 1).isDigit())
            --b;
        const QString core = lv.mid(a, b - a);
        if (core.size() >= 2 && core.size() < lv.size()) {
            bool marker
                = defaultPlaceholderValues().contains(core) || (knownPlaceholders && knownPlaceholders->contains(core));
            for (const char *m : kMarkers)
                marker = marker || core == QLatin1String(m);
            if (marker)
                return is(ValueShape::Placeholder);
        }
        for (const char *m :
            { "my", "your", "some", "test", "example", "dummy", "fake", "sample", "demo", "default" }) {
            const QLatin1String prefix(m);
            if (lv.size() > prefix.size() + 2 && lv.startsWith(prefix)) {
                const QStringView rest = QStringView(lv).mid(prefix.size());
                bool letters = true;
                for (QChar c : rest)
                    letters = letters && isAsciiLetter(c);
                if (letters && (wordLike(rest) || defaultPlaceholderValues().contains(rest.toString())))
                    return is(ValueShape::Placeholder);
            }
        }
    }
    // Words with spaces: a label, a sentence, a translation, a passphrase from a tutorial.
    if (v.contains(QLatin1Char(' '))) {
        int tokens = 0, wordy = 0;
        for (QStringView t : v.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            ++tokens;
            int letters = 0, digits = 0;
            for (QChar c : t) {
                letters += c.isLetter();
                digits += c.isDigit();
            }
            wordy += (letters >= 1 && digits == 0 && letters * 2 >= t.size() && t.size() <= 24) ? 1 : 0;
        }
        if (tokens >= 2 && (wordy == tokens || (tokens >= 3 && wordy * 4 >= tokens * 3)))
            return is(ValueShape::Prose);
    }
    // An identifier made of words, maybe with a digit or two: real_key, LET_ME_IN-1, makis_password.
    if (!v.contains(QLatin1Char(' ')) && digit <= 2) {
        int parts = 0, wordParts = 0, markers = 0, letters = 0;
        bool plain = true;
        forEachPart(v, [&](QStringView part) {
            if (part.at(0).isDigit())
                return;
            ++parts;
            letters += int(part.size());
            const QString lp = part.toString().toLower();
            for (const char *m : kMarkers)
                markers += lp == QLatin1String(m) ? 1 : 0;
            if (part.size() <= 2 || wordLike(part))
                ++wordParts;
            else
                plain = false;
        });
        for (QChar c : v)
            plain = plain && (c.isLetterOrNumber() || QStringLiteral("_-.").contains(c));
        if (markers >= 2)
            return is(ValueShape::Placeholder); // whsec_test_placeholder, my_secret_token
        if (plain && parts >= 1 && wordParts == parts && letters >= 3 && (parts >= 2 || letters >= 4)) {
            // Two-letter fragments only ("ab_cd") say nothing.
            bool longPart = false;
            forEachPart(
                v, [&](QStringView part) { longPart = longPart || (part.size() >= 3 && !part.at(0).isDigit()); });
            if (longPart)
                return is(markers ? ValueShape::Placeholder : ValueShape::Words);
        }
    }
    if (onlyDigits)
        return is(digit <= 4 ? ValueShape::Placeholder : ValueShape::Number); // 123, 456: test values
    const bool strong
        = v.size() >= 10 && j.bitsPerChar >= 3.5 && (j.classes >= 3 || (other >= 3 && lower + upper >= 4));
    if (strong || j.uuid || (v.size() >= 16 && j.bitsPerChar >= 3.3 && j.classes >= 2) || (j.hex && v.size() >= 24))
        return is(ValueShape::Secret);
    return is(ValueShape::Weak);
}

const char *lineSyntaxName(LineSyntax s)
{
    switch (s) {
    case LineSyntax::Unknown:
        return "unknown";
    case LineSyntax::Json:
        return "json";
    case LineSyntax::Yaml:
        return "yaml";
    case LineSyntax::EnvFile:
        return "env";
    case LineSyntax::Shell:
        return "shell";
    case LineSyntax::Go:
        return "go";
    case LineSyntax::Python:
        return "python";
    case LineSyntax::JavaScript:
        return "js";
    case LineSyntax::CFamily:
        return "c";
    case LineSyntax::Ruby:
        return "ruby";
    case LineSyntax::Php:
        return "php";
    case LineSyntax::Xml:
        return "xml";
    case LineSyntax::Url:
        return "url";
    case LineSyntax::Prose:
        return "prose";
    }
    return "unknown";
}

LineSyntax guessLineSyntax(QStringView line)
{
    const QStringView t = line.trimmed();
    if (t.isEmpty())
        return LineSyntax::Unknown;
    const auto has = [&](const char *s) { return t.contains(QLatin1String(s)); };
    if (t.startsWith(QLatin1Char('<')) && t.contains(QLatin1Char('>')))
        return LineSyntax::Xml;
    if (startsWithAny(t,
            { "export ", "set ", "$ ", "curl ", "sshpass ", "echo ", "wget ", "docker ", "kubectl ", "ssh ", "#!/",
                "sudo ", "mysql ", "psql " },
            Qt::CaseSensitive))
        return LineSyntax::Shell;
    if (startsWithAny(t, { "http://", "https://", "ftp://", "mongodb", "postgres", "mysql://", "redis://", "amqp" },
            Qt::CaseInsensitive))
        return LineSyntax::Url;
    if ((t.startsWith(QLatin1Char('"')) && has("\":")) || t.startsWith(QLatin1String("{\"")))
        return LineSyntax::Json;
    if (has(":=") || startsWithAny(t, { "func ", "package " }, Qt::CaseSensitive))
        return LineSyntax::Go;
    if (has("=>"))
        return has("$") ? LineSyntax::Php
                        : (has("->") || t.endsWith(QLatin1Char(';')) ? LineSyntax::Php : LineSyntax::Ruby);
    if (t.startsWith(QLatin1Char('$')) && has("="))
        return LineSyntax::Php;
    if (startsWithAny(t, { "const ", "let ", "var ", "export const", "module.exports" }, Qt::CaseSensitive)
        || has("==="))
        return LineSyntax::JavaScript;
    if (startsWithAny(t,
            { "private ", "public ", "protected ", "static ", "final ", "String ", "string ", "char ",
                "std::", "#define" },
            Qt::CaseSensitive)
        || has(" string ") || has("String ") || has("std::"))
        return LineSyntax::CFamily;
    if (startsWithAny(t, { "def ", "self.", "import ", "from " }, Qt::CaseSensitive) || has("os.environ")
        || has("self."))
        return LineSyntax::Python;
    // KEY=value and key = value (env files, INI, properties, TOML).
    {
        qsizetype i = 0;
        while (i < t.size() && (t.at(i).isLetterOrNumber() || QStringLiteral("_.-").contains(t.at(i))))
            ++i;
        if (i > 0 && i < t.size()) {
            qsizetype k = i;
            while (k < t.size() && t.at(k) == QLatin1Char(' '))
                ++k;
            if (k < t.size() && t.at(k) == QLatin1Char('=') && (k + 1 >= t.size() || t.at(k + 1) != QLatin1Char('='))) {
                if (t.endsWith(QLatin1Char(';')))
                    return LineSyntax::JavaScript;
                bool upperName = true;
                for (QChar c : t.left(i))
                    upperName = upperName && !c.isLower();
                return upperName && k == i ? LineSyntax::EnvFile
                                           : (t.mid(k + 1).trimmed().startsWith(QLatin1Char('"'))
                                                       || t.mid(k + 1).trimmed().startsWith(QLatin1Char('\''))
                                                   ? LineSyntax::Python
                                                   : LineSyntax::EnvFile);
            }
            if (t.at(i) == QLatin1Char(':') && (i + 1 >= t.size() || t.at(i + 1) == QLatin1Char(' ')))
                return t.endsWith(QLatin1Char(',')) ? LineSyntax::JavaScript : LineSyntax::Yaml;
        }
    }
    if (t.startsWith(QLatin1String("- ")))
        return LineSyntax::Yaml;
    if (t.endsWith(QLatin1Char(';')))
        return LineSyntax::CFamily;
    int words = 0, symbols = 0;
    for (QChar c : t) {
        if (c == QLatin1Char(' '))
            ++words;
        else if (!c.isLetterOrNumber() && !QStringLiteral(".,'?!").contains(c))
            ++symbols;
    }
    if (words >= 4 && symbols * 4 <= words)
        return LineSyntax::Prose;
    return LineSyntax::Unknown;
}

Assignment findAssignment(QStringView line)
{
    Assignment a;
    const qsizetype n = line.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = line.at(i);
        QString op;
        qsizetype opLen = 0;
        if (c == QLatin1Char(':') && i + 1 < n && line.at(i + 1) == QLatin1Char('=')) {
            op = QStringLiteral(":=");
            opLen = 2;
        } else if (c == QLatin1Char('=') && i + 1 < n && line.at(i + 1) == QLatin1Char('>')) {
            op = QStringLiteral("=>");
            opLen = 2;
        } else if (c == QLatin1Char('=') && i + 1 < n && line.at(i + 1) == QLatin1Char('=')) {
            op = QStringLiteral("==");
            opLen = (i + 2 < n && line.at(i + 2) == QLatin1Char('=')) ? 3 : 2;
        } else if (c == QLatin1Char('=')) {
            if (i > 0 && QStringLiteral("!<>+-*/|&").contains(line.at(i - 1)))
                continue;
            op = QStringLiteral("=");
            opLen = 1;
        } else if (c == QLatin1Char(':')) {
            if (i + 1 < n && (line.at(i + 1) == QLatin1Char('/') || line.at(i + 1) == QLatin1Char(':')))
                continue; // ://, ::
            if (i > 0 && line.at(i - 1) == QLatin1Char(':'))
                continue;
            op = QStringLiteral(":");
            opLen = 1;
        } else {
            continue;
        }
        // The name: the identifier just before, maybe quoted.
        qsizetype e = i;
        while (e > 0 && line.at(e - 1) == QLatin1Char(' '))
            --e;
        while (e > 0 && QStringLiteral("\"'`[]\\").contains(line.at(e - 1)))
            --e;
        qsizetype s = e;
        while (s > 0 && (line.at(s - 1).isLetterOrNumber() || QStringLiteral("_.-$@").contains(line.at(s - 1))))
            --s;
        if (s == e)
            continue;
        // The value.
        qsizetype v = i + opLen;
        while (v < n && line.at(v) == QLatin1Char(' '))
            ++v;
        if (v >= n)
            continue;
        a.nameStart = s;
        a.nameEnd = e;
        a.op = op;
        bool escaped = false;
        if (line.at(v) == QLatin1Char('\\') && v + 1 < n && QStringLiteral("\"'").contains(line.at(v + 1))) {
            escaped = true;
            ++v;
        }
        const QChar q = line.at(v);
        if (q == QLatin1Char('"') || q == QLatin1Char('\'') || q == QLatin1Char('`')) {
            qsizetype end = v + 1;
            while (end < n) {
                if (line.at(end) == q) {
                    const bool backslash = line.at(end - 1) == QLatin1Char('\\');
                    if (escaped == backslash)
                        break;
                }
                ++end;
            }
            a.quote = q;
            a.valueStart = v + 1;
            a.valueEnd = escaped && end < n ? end - 1 : end;
        } else {
            qsizetype end = v;
            while (end < n && !line.at(end).isSpace() && !QStringLiteral(",;)}]").contains(line.at(end)))
                ++end;
            // A call or index stays whole so it reads as code.
            if (end < n && QStringLiteral(")]}").contains(line.at(end))) {
                qsizetype k = end;
                while (
                    k < n && !line.at(k).isSpace() && line.at(k) != QLatin1Char(',') && line.at(k) != QLatin1Char(';'))
                    ++k;
                bool opened = false;
                for (qsizetype x = v; x < end; ++x)
                    opened = opened || QStringLiteral("([{").contains(line.at(x));
                if (opened)
                    end = k;
            }
            a.valueStart = v;
            a.valueEnd = end;
        }
        if (a.valueEnd > a.valueStart)
            return a;
        a = Assignment();
    }
    return a;
}

bool unquotedStatement(QStringView line, const Assignment &a)
{
    if (!a.found() || !a.quote.isNull())
        return false;
    qsizetype i = a.valueEnd;
    while (i < line.size() && line.at(i) == QLatin1Char(' '))
        ++i;
    if (i >= line.size() || line.at(i) != QLatin1Char(';'))
        return false;
    const LineSyntax syntax = guessLineSyntax(line);
    return syntax != LineSyntax::Shell && syntax != LineSyntax::EnvFile && syntax != LineSyntax::Yaml;
}

} // namespace l0
