#include "safetyscanner.h"

#include <QJsonArray>
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
        Re r(QString::fromUtf8(pattern),
            (caseInsensitive ? Re::CaseInsensitiveOption : Re::NoPatternOption) | Re::UseUnicodePropertiesOption);
        r.optimize();
        it = cache.insert(pattern, r);
    }
    return *it;
}

struct Scan {
    const QString &text;
    std::vector<Finding> out;
    int surrogates = -1; // -1: not yet known

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
        Finding f;
        f.detector = QString::fromLatin1(detector);
        f.severity = sev;
        f.score = score;
        f.spans.emplace_back(offset(start), offset(end));
        f.message = message;
        out.push_back(std::move(f));
    }
};

QString digitsOf(const QString &s)
{
    QString d;
    for (QChar c : s)
        if (c.isDigit())
            d += c;
    return d;
}

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

void scanPii(Scan &s)
{
    const QString &t = s.text;
    auto it = re(R"([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b)").globalMatch(t);
    while (it.hasNext()) {
        const auto m = it.next();
        s.add(
            "pii.email", Severity::Medium, 0.95, m.capturedStart(), m.capturedEnd(), QStringLiteral("e-mail address"));
    }
    // Card numbers: 13 to 19 digits, grouped or not, that pass Luhn.
    it = re(R"((?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-]))").globalMatch(t);
    while (it.hasNext()) {
        const auto m = it.next();
        const QString d = digitsOf(m.captured());
        if (d.size() >= 13 && d.size() <= 19 && luhnValid(d) && QStringLiteral("3456").contains(d.at(0)))
            s.add("pii.card", Severity::High, 0.95, m.capturedStart(), m.capturedEnd(),
                QStringLiteral("payment card number (Luhn-valid)"));
    }
    it = re(R"(\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b)", false).globalMatch(t);
    while (it.hasNext()) {
        const auto m = it.next();
        if (ibanValid(m.captured()))
            s.add("pii.iban", Severity::High, 0.97, m.capturedStart(), m.capturedEnd(),
                QStringLiteral("IBAN (checksum valid)"));
    }
    it = re(R"((?<!\d)(\d{3})[- .](\d{2})[- .](\d{4})(?!\d))").globalMatch(t);
    while (it.hasNext()) {
        const auto m = it.next();
        const int area = m.captured(1).toInt(), group = m.captured(2).toInt(), serial = m.captured(3).toInt();
        if (area != 0 && area != 666 && area < 900 && group != 0 && serial != 0)
            s.add("pii.ssn", Severity::High, 0.7, m.capturedStart(), m.capturedEnd(),
                QStringLiteral("US social security number"));
    }
    it = re(R"((?<![\d.])((?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3})(?![\d.]))").globalMatch(t);
    while (it.hasNext()) {
        const auto m = it.next();
        s.add("pii.ip_address", Severity::Low, 0.8, m.capturedStart(), m.capturedEnd(), QStringLiteral("IPv4 address"));
    }
    it = re(R"((?<![:\w])(?:[0-9a-f]{1,4}:){2,7}(?::|[0-9a-f]{1,4})(?![:\w]))").globalMatch(t);
    while (it.hasNext()) {
        const auto m = it.next();
        if (m.captured().count(QLatin1Char(':')) >= 3)
            s.add("pii.ip_address", Severity::Low, 0.7, m.capturedStart(), m.capturedEnd(),
                QStringLiteral("IPv6 address"));
    }
    // Phones: an international +CC number, or a North American (xxx) xxx-xxxx form.
    it = re(
        R"((?<![\w+])(\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]?\d{2,4}){1,4}|\(\d{3}\)\s?\d{3}[\s.-]\d{4}|\b\d{3}[.-]\d{3}[.-]\d{4})(?![\w]))")
             .globalMatch(t);
    while (it.hasNext()) {
        const auto m = it.next();
        const QString d = digitsOf(m.captured());
        if (d.size() < 7 || d.size() > 15 || (luhnValid(d) && d.size() >= 13))
            continue;
        s.add("pii.phone", Severity::Medium, 0.8, m.capturedStart(), m.capturedEnd(), QStringLiteral("phone number"));
    }
}

void scanSecrets(Scan &s)
{
    const QString &t = s.text;
    struct Kind {
        const char *name;
        const char *pattern;
        bool ci;
    };
    static const Kind kinds[] = {
        { "secret.aws_access_key", R"(\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b)", false },
        { "secret.github_token", R"(\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{60,255})\b)", false },
        { "secret.gitlab_token", R"(\bglpat-[A-Za-z0-9_-]{20,}\b)", false },
        { "secret.slack_token", R"(\bxox[abposr]-[A-Za-z0-9-]{10,}\b)", false },
        { "secret.slack_webhook", R"(https://hooks\.slack\.com/services/[A-Za-z0-9/]{20,})", false },
        { "secret.stripe_key", R"(\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b)", false },
        { "secret.openai_key", R"(\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}\b)", false },
        { "secret.anthropic_key", R"(\bsk-ant-[A-Za-z0-9_-]{20,}\b)", false },
        { "secret.google_api_key", R"(\bAIza[0-9A-Za-z_-]{35}\b)", false },
        { "secret.npm_token", R"(\bnpm_[A-Za-z0-9]{36}\b)", false },
        { "secret.pypi_token", R"(\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}\b)", false },
        { "secret.discord_token", R"(\b[MN][A-Za-z\d]{23,25}\.[\w-]{6}\.[\w-]{27,38}\b)", false },
        { "secret.twilio_key", R"(\bSK[0-9a-fA-F]{32}\b)", false },
        { "secret.private_key", R"(-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----)",
            false },
        { "secret.jwt", R"(\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b)", false },
        { "secret.basic_auth_url", R"(\b[a-z][a-z0-9+.-]*://[^\s:/@]+:[^\s:/@]{3,}@[^\s/]+)", true },
    };
    for (const Kind &k : kinds) {
        auto it = re(k.pattern, k.ci).globalMatch(t);
        while (it.hasNext()) {
            const auto m = it.next();
            s.add(k.name, Severity::High, 0.95, m.capturedStart(), m.capturedEnd(),
                QStringLiteral("credential in the answer"));
        }
    }
    // password = "…", api_key: …, token => … with a value that looks like a secret.
    auto it = re(
        R"((?:pass(?:word|wd)?|pwd|secret|api[_-]?key|access[_-]?key|auth[_-]?token|token|client[_-]?secret|private[_-]?key)["']?\s*(?:=|:|=>|:=)\s*["']?([^\s"',;]{6,}))")
                  .globalMatch(t);
    while (it.hasNext()) {
        const auto m = it.next();
        const QString value = m.captured(1);
        static const QSet<QString> placeholders { QStringLiteral("password"), QStringLiteral("changeme"),
            QStringLiteral("xxxxxx"), QStringLiteral("example"), QStringLiteral("your_password"),
            QStringLiteral("<password>") };
        if (placeholders.contains(value.toLower()) || value.startsWith(QLatin1Char('$'))
            || value.startsWith(QLatin1Char('{')) || value.startsWith(QLatin1Char('<'))
            || value.contains(QLatin1String("os.environ")) || value.contains(QLatin1String("getenv")))
            continue;
        const double bits = shannonBits(value);
        if (bits < 2.5 && value.size() < 12)
            continue;
        s.add("secret.assignment", Severity::High, std::min(0.95, 0.5 + bits / 10.0), m.capturedStart(1),
            m.capturedEnd(1), QStringLiteral("a value assigned to a credential name"));
    }
    // Long high-entropy tokens standing alone.
    it = re(R"((?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{32,}={0,2}(?![A-Za-z0-9+/_-]))", false).globalMatch(t);
    while (it.hasNext()) {
        const auto m = it.next();
        const QString v = m.captured();
        bool hasDigit = false, hasUpper = false, hasLower = false;
        for (QChar c : v) {
            hasDigit |= c.isDigit();
            hasUpper |= c.isUpper();
            hasLower |= c.isLower();
        }
        if (hasDigit && hasUpper && hasLower && shannonBits(v) >= 4.2)
            s.add("secret.high_entropy", Severity::Medium, 0.6, m.capturedStart(), m.capturedEnd(),
                QStringLiteral("random-looking token"));
    }
}

// How a URL is built, scored: the cues phishing links share (brand names outside the brand's
// domain, credential words, throwaway hosting, odd top-level domains, random-looking parts).
int urlSuspicion(const QUrl &url, const QString &host)
{
    static const QStringList brands { QStringLiteral("paypal"), QStringLiteral("apple"), QStringLiteral("icloud"),
        QStringLiteral("microsoft"), QStringLiteral("office365"), QStringLiteral("outlook"), QStringLiteral("hotmail"),
        QStringLiteral("amazon"), QStringLiteral("netflix"), QStringLiteral("google"), QStringLiteral("gmail"),
        QStringLiteral("facebook"), QStringLiteral("instagram"), QStringLiteral("whatsapp"), QStringLiteral("chase"),
        QStringLiteral("wellsfargo"), QStringLiteral("bankofamerica"), QStringLiteral("citibank"),
        QStringLiteral("hsbc"), QStringLiteral("santander"), QStringLiteral("dhl"), QStringLiteral("fedex"),
        QStringLiteral("usps"), QStringLiteral("ebay"), QStringLiteral("dropbox"), QStringLiteral("adobe"),
        QStringLiteral("docusign"), QStringLiteral("linkedin"), QStringLiteral("yahoo"), QStringLiteral("steam"),
        QStringLiteral("coinbase"), QStringLiteral("binance"), QStringLiteral("blockchain"), QStringLiteral("metamask"),
        QStringLiteral("wallet"), QStringLiteral("itunes"), QStringLiteral("appleid"), QStringLiteral("webmail"),
        QStringLiteral("sharepoint"), QStringLiteral("onedrive"), QStringLiteral("alibaba"), QStringLiteral("interac"),
        QStringLiteral("americanexpress") };
    static const QStringList words { QStringLiteral("login"), QStringLiteral("log-in"), QStringLiteral("signin"),
        QStringLiteral("sign-in"), QStringLiteral("verify"), QStringLiteral("verification"), QStringLiteral("validate"),
        QStringLiteral("account"), QStringLiteral("update"), QStringLiteral("secure"), QStringLiteral("webscr"),
        QStringLiteral("confirm"), QStringLiteral("banking"), QStringLiteral("password"), QStringLiteral("mailbox"),
        QStringLiteral("unlock"), QStringLiteral("suspend"), QStringLiteral("recover"), QStringLiteral("billing"),
        QStringLiteral("wp-admin"), QStringLiteral("wp-includes"), QStringLiteral("wp-content"),
        QStringLiteral("cgi-bin"), QStringLiteral("auth") };
    static const QStringList throwaway { QStringLiteral("appspot.com"), QStringLiteral("web.app"),
        QStringLiteral("firebaseapp.com"), QStringLiteral("000webhostapp.com"), QStringLiteral("weebly.com"),
        QStringLiteral("wixsite.com"), QStringLiteral("webcindario.com"), QStringLiteral("dothome.co.kr"),
        QStringLiteral("ngrok.io"), QStringLiteral("glitch.me"), QStringLiteral("repl.co"),
        QStringLiteral("herokuapp.com"), QStringLiteral("netlify.app"), QStringLiteral("vercel.app"),
        QStringLiteral("r2.dev"), QStringLiteral("workers.dev"), QStringLiteral("ipfs"), QStringLiteral("duckdns.org"),
        QStringLiteral("no-ip"), QStringLiteral("bit.ly"), QStringLiteral("tinyurl.com") };
    static const QStringList oddTlds { QStringLiteral("tk"), QStringLiteral("ml"), QStringLiteral("ga"),
        QStringLiteral("cf"), QStringLiteral("gq"), QStringLiteral("xyz"), QStringLiteral("top"),
        QStringLiteral("buzz"), QStringLiteral("icu"), QStringLiteral("cyou"), QStringLiteral("rest"),
        QStringLiteral("monster"), QStringLiteral("click"), QStringLiteral("link"), QStringLiteral("live"),
        QStringLiteral("online"), QStringLiteral("site"), QStringLiteral("website"), QStringLiteral("space"),
        QStringLiteral("fun"), QStringLiteral("ru"), QStringLiteral("cn") };
    const QString base = baseDomain(host);
    const QString baseName = base.section(QLatin1Char('.'), 0, 0);
    const QString rest = (url.path() + QLatin1Char('?') + url.query()).toLower();
    int score = 0;
    for (const QString &b : brands) {
        if ((host.contains(b) || rest.contains(b)) && baseName != b) {
            score += 2;
            break;
        }
    }
    int wordHits = 0;
    for (const QString &w : words)
        wordHits += (rest.contains(w) || host.section(QLatin1Char('.'), 0, -3).contains(w)) ? 1 : 0;
    score += std::min(wordHits, 2);
    for (const QString &t : throwaway) {
        if (host.endsWith(t) || host.contains(t + QLatin1Char('.')) || url.toString().contains(t)) {
            score += 2;
            break;
        }
    }
    if (oddTlds.contains(host.section(QLatin1Char('.'), -1)) || host.endsWith(QLatin1String(".ru.com")))
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

void scanPhishing(Scan &s, const SafetyOptions &o)
{
    const QString &t = s.text;
    auto trusted = [&](const QString &host) {
        for (const QString &d : o.trustedDomains) {
            if (host == d || host.endsWith(QLatin1Char('.') + d))
                return true;
        }
        return false;
    };
    auto checkUrl = [&](const QString &raw, qsizetype start, qsizetype end) {
        const QUrl url(raw.startsWith(QLatin1String("www.")) ? QStringLiteral("http://") + raw : raw);
        const QString host = url.host(QUrl::FullyEncoded).toLower(); // ACE form: xn-- stays visible
        if (host.isEmpty())
            return;
        if (re(R"(^\d{1,3}(\.\d{1,3}){3}$)").match(host).hasMatch() || host.startsWith(QLatin1Char('['))
            || url.host().contains(QLatin1Char(':')))
            s.add("phishing.ip_literal_url", Severity::High, 0.9, start, end,
                QStringLiteral("link to a bare IP address"));
        if (host.contains(QLatin1String("xn--")))
            s.add("phishing.punycode_url", Severity::High, 0.85, start, end,
                QStringLiteral("link to an internationalised (punycode) domain"));
        if (!trusted(host)) {
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
        }
        if (!trusted(host)) {
            const int suspicion = urlSuspicion(url, host);
            if (suspicion >= o.suspiciousUrlScore)
                s.add("phishing.suspicious_url",
                    suspicion >= o.suspiciousUrlScore + 2 ? Severity::High : Severity::Medium,
                    std::min(0.95, 0.4 + 0.1 * suspicion), start, end,
                    QStringLiteral("the link is built like a phishing link"));
        }
        if (url.userName().size() > 0 && !url.password().isEmpty())
            return;
        if (re(R"(@)").match(url.authority()).hasMatch())
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
    const auto bait = re(
        R"(\b(?:verify|confirm|update|validate|unlock|restore)\b[^.!?\n]{0,40}\b(?:account|password|login|credentials|card|bank|identity|payment details)\b)")
                          .match(t);
    const auto urgency = re(
        R"(\b(?:immediately|urgent(?:ly)?|within \d+ (?:hours?|minutes?)|suspended|locked|expires? (?:today|soon)|final notice|act now|or your account)\b)")
                             .match(t);
    if (bait.hasMatch() && urgency.hasMatch())
        s.add("phishing.credential_bait", Severity::High, 0.75, bait.capturedStart(), bait.capturedEnd(),
            QStringLiteral("asks to confirm credentials, with urgency"));
}

void scanInjection(Scan &s)
{
    const QString &t = s.text;
    static const char *const phrases[] = {
        R"(\b(?:ignore|disregard|forget|override)\b[^.\n]{0,30}\b(?:previous|prior|above|earlier|all|your|the)\b[^.\n]{0,20}\b(?:instructions?|prompts?|rules|directions|guidelines)\b)",
        R"(\b(?:ignoriere|vergiss)\b[^.\n]{0,40}\b(?:anweisungen|vorherigen|alles)\b)",
        R"(\byou are now\b[^.\n]{0,40}\b(?:dan|unrestricted|jailbroken|free|not bound)\b)",
        R"(\b(?:developer|god|dan) mode\b)",
        R"(\b(?:reveal|print|show|repeat|output)\b[^.\n]{0,20}\b(?:system prompt|your instructions|hidden instructions|initial prompt)\b)",
        R"(\bnew instructions?\s*:)",
        R"(\bdo anything now\b)",
    };
    for (const char *p : phrases) {
        auto it = re(p).globalMatch(t);
        while (it.hasNext()) {
            const auto m = it.next();
            s.add("injection.instruction", Severity::High, 0.85, m.capturedStart(), m.capturedEnd(),
                QStringLiteral("text that instructs a model"));
        }
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
        const bool zeroWidth = u == 0x200B || u == 0x200C || u == 0x200D || u == 0x2060 || u == 0xFEFF;
        const bool bidi = (u >= 0x202A && u <= 0x202E) || (u >= 0x2066 && u <= 0x2069);
        if (zeroWidth || bidi) {
            s.add(bidi ? "injection.bidi_control" : "injection.zero_width", bidi ? Severity::High : Severity::Medium,
                0.9, i, i + 1,
                bidi ? QStringLiteral("bidirectional control character") : QStringLiteral("zero-width character"));
        }
    }
}

// Letters people use to dodge word filters, mapped back.
QString deobfuscate(const QString &t, std::vector<qsizetype> *map)
{
    QString out;
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
    // Each word may be spelled with separators between its letters or a '*' for a vowel.
    static const char *const strong[]
        = { "fuck", "shit", "bitch", "cunt", "asshole", "bastard", "motherfucker", "dickhead", "whore", "slut",
              "retard", "faggot", "nigger", "nigga", "kike", "spic", "chink", "wetback", "tranny" };
    static const char *const mild[]
        = { "damn", "crap", "stupid", "idiot", "moron", "dumb", "loser", "jerk", "hoe", "pussy", "dick", "twat" };
    // One alternation per list, compiled once: each word may have separators between its
    // letters and '*' for a vowel.
    auto build = [](const char *const *words, size_t n) {
        QStringList alternatives;
        for (size_t w = 0; w < n; ++w) {
            const QString word = QString::fromLatin1(words[w]);
            QString pattern;
            for (qsizetype i = 0; i < word.size(); ++i) {
                if (i > 0)
                    pattern += QStringLiteral("[\\s._*-]{0,2}");
                const QChar c = word.at(i);
                pattern += QStringLiteral("aeiou").contains(c) ? QStringLiteral("[%1*]").arg(c) : QString(c);
            }
            alternatives << pattern;
        }
        Re r(QStringLiteral("\\b(?:") + alternatives.join(QLatin1Char('|'))
                + QStringLiteral(")(?:s|es|ed|ing|er|ers|y)?\\b"),
            Re::CaseInsensitiveOption);
        r.optimize();
        return r;
    };
    static const Re strongRe = build(strong, sizeof(strong) / sizeof(*strong));
    static const Re mildRe = build(mild, sizeof(mild) / sizeof(*mild));
    auto scanList = [&](const Re &r, Severity sev, double score) {
        auto m = r.globalMatch(t);
        while (m.hasNext()) {
            const auto x = m.next();
            s.add(sev == Severity::High ? "toxicity.slur_or_profanity" : "toxicity.insult", sev, score,
                map[size_t(x.capturedStart())], map[size_t(x.capturedEnd() - 1)] + 1,
                QStringLiteral("offensive language"));
        }
    };
    scanList(strongRe, Severity::High, 0.9);
    scanList(mildRe, Severity::Medium, 0.6);
}

void scanTime(Scan &s)
{
    const QString &t = s.text;
    struct Kind {
        const char *name;
        const char *pattern;
        const char *message;
    };
    static const Kind kinds[] = {
        { "time.relative",
            R"(\b(?:today|tonight|tomorrow|yesterday|currently|at the moment|right now|this (?:week|month|year)|as of (?:now|today)|latest|recently|upcoming|nowadays)\b)",
            "depends on when it is read" },
        { "time.date",
            R"(\b(?:\d{4}-\d{2}-\d{2}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}|\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]* \d{4}|(?:in|since|until|by) (?:19|20)\d{2})\b)",
            "a date" },
        { "time.price", R"((?:[$€£¥]\s?\d[\d,]*(?:\.\d+)?|\b\d[\d,]*(?:\.\d+)?\s?(?:usd|eur|gbp|dollars|euros)\b))",
            "a price" },
        { "time.version", R"(\b(?:v(?:ersion)?\s?\d+\.\d+(?:\.\d+)?|\d+\.\d+\.\d+)\b)", "a version number" },
    };
    for (const Kind &k : kinds) {
        auto it = re(k.pattern).globalMatch(t);
        while (it.hasNext()) {
            const auto m = it.next();
            s.add(k.name, Severity::Low, 0.6, m.capturedStart(), m.capturedEnd(), QString::fromLatin1(k.message));
        }
    }
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

SafetyScanner::SafetyScanner(SafetyOptions options)
    : m_options(std::move(options))
{
    if (m_options.trustedDomains.isEmpty()) {
        m_options.trustedDomains
            = { QStringLiteral("paypal.com"), QStringLiteral("google.com"), QStringLiteral("apple.com"),
                  QStringLiteral("microsoft.com"), QStringLiteral("amazon.com"), QStringLiteral("facebook.com"),
                  QStringLiteral("netflix.com"), QStringLiteral("github.com"), QStringLiteral("openai.com") };
    }
}

std::vector<Finding> SafetyScanner::scan(const QString &text) const
{
    Scan s { text, {}, -1 };
    scanPii(s);
    scanSecrets(s);
    scanPhishing(s, m_options);
    scanInjection(s);
    scanToxicity(s);
    scanTime(s);
    return std::move(s.out);
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
    if (r == Risk::Low && demand >= m_options.blastRadiusMedium) {
        r = Risk::Medium;
        if (reasons)
            *reasons << QStringLiteral("serves %1 queries or more").arg(m_options.blastRadiusMedium);
    }
    return r;
}

} // namespace l0
