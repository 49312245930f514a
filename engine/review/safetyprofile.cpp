#include "safetyprofile.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <mutex>

#include "core/resources.h"

namespace l0 {

namespace {

using Re = QRegularExpression;

Result<Re> compile(const QString &pattern, bool caseInsensitive, const QString &where)
{
    Re r(pattern, (caseInsensitive ? Re::CaseInsensitiveOption : Re::NoPatternOption));
    if (!r.isValid())
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("safety profile: %1: bad pattern at offset %2: %3")
                .arg(where)
                .arg(r.patternErrorOffset())
                .arg(r.errorString()));
    r.optimize();
    return r;
}

QStringList strings(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &x : v.toArray())
        out << x.toString();
    return out;
}

Severity severityFrom(const QString &s, Severity fallback)
{
    if (s == QLatin1String("low"))
        return Severity::Low;
    if (s == QLatin1String("medium"))
        return Severity::Medium;
    if (s == QLatin1String("high"))
        return Severity::High;
    return fallback;
}

Result<std::vector<SafetyProfile::Pattern>> patterns(
    const QJsonValue &list, const QString &key, const QString &family, Severity fallback, bool caseInsensitive)
{
    std::vector<SafetyProfile::Pattern> out;
    int i = 0;
    for (const QJsonValue &v : list.toArray()) {
        SafetyProfile::Pattern p;
        QString pattern;
        if (v.isString()) {
            pattern = v.toString();
            p.name = family + QStringLiteral("instruction");
        } else {
            const QJsonObject o = v.toObject();
            pattern = o.value(QLatin1String("pattern")).toString();
            p.name = o.value(QLatin1String("name")).toString();
            p.message = o.value(QLatin1String("message")).toString();
            p.severity = severityFrom(o.value(QLatin1String("severity")).toString(), fallback);
            for (const QString &n : strings(o.value(QLatin1String("requires"))))
                p.needles << n.toLower();
            if (!p.name.startsWith(family))
                return makeError(ErrorCode::InvalidArgument,
                    QStringLiteral("safety profile: %1[%2]: the name must start with %3").arg(key).arg(i).arg(family));
        }
        if (v.isString())
            p.severity = fallback;
        auto r = compile(pattern, caseInsensitive || v.toObject().value(QLatin1String("case_insensitive")).toBool(),
            QStringLiteral("%1[%2]").arg(key).arg(i));
        if (!r)
            return r.error();
        p.re = *r;
        out.push_back(std::move(p));
        ++i;
    }
    return out;
}

// One alternation per word list: separators may sit between letters, '*' may stand for a vowel.
QString lexiconAlternation(const QStringList &words)
{
    QStringList alternatives;
    for (const QString &word : words) {
        QString pattern;
        for (qsizetype i = 0; i < word.size(); ++i) {
            if (i > 0)
                pattern += QStringLiteral("[\\s._*-]{0,2}");
            const QChar c = word.at(i).toLower();
            pattern += QStringLiteral("aeiou").contains(c) ? QStringLiteral("[%1*]").arg(c)
                                                           : QRegularExpression::escape(QString(c));
        }
        alternatives << pattern;
    }
    return alternatives.join(QLatin1Char('|'));
}

Result<std::shared_ptr<const TextModel>> model(const QJsonObject &models, const char *key)
{
    const QString path = models.value(QLatin1String(key)).toString();
    if (path.isEmpty())
        return std::shared_ptr<const TextModel>();
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (path.startsWith(QLatin1Char(':')))
            return std::shared_ptr<const TextModel>(); // not trained into this build
        return makeError(ErrorCode::NotFound, QStringLiteral("safety profile: cannot read model %1").arg(path));
    }
    auto m = TextModel::fromJson(f.readAll());
    if (!m)
        return makeError(m.error().code, path + QStringLiteral(": ") + m.error().message);
    return std::make_shared<const TextModel>(std::move(*m));
}

} // namespace

QJsonObject mergeProfileJson(const QJsonObject &base, const QJsonObject &over)
{
    QJsonObject out = base;
    for (auto it = over.begin(); it != over.end(); ++it) {
        if (it.key() == QLatin1String("remove"))
            continue;
        const QJsonValue b = out.value(it.key());
        if (b.isArray() && it->isArray()) {
            QJsonArray merged = b.toArray();
            for (const QJsonValue &v : it->toArray()) {
                if (!merged.contains(v))
                    merged.append(v);
            }
            out.insert(it.key(), merged);
        } else if (b.isObject() && it->isObject()) {
            out.insert(it.key(), mergeProfileJson(b.toObject(), it->toObject()));
        } else {
            out.insert(it.key(), *it);
        }
    }
    const QJsonObject remove = over.value(QLatin1String("remove")).toObject();
    for (auto it = remove.begin(); it != remove.end(); ++it) {
        QJsonArray kept;
        const QJsonArray drop = it->toArray();
        for (const QJsonValue &v : out.value(it.key()).toArray()) {
            if (!drop.contains(v))
                kept.append(v);
        }
        out.insert(it.key(), kept);
    }
    return out;
}

int SafetyProfile::needleId(const QString &lowerAscii)
{
    if (lowerAscii.isEmpty())
        return -1;
    for (QChar c : lowerAscii) {
        if (c.unicode() >= 128)
            return -1;
    }
    const qsizetype known = needles.indexOf(lowerAscii);
    if (known >= 0)
        return int(known);
    needles << lowerAscii;
    needlesByFirst[lowerAscii.at(0).unicode()].push_back(int(needles.size() - 1));
    return int(needles.size() - 1);
}

QJsonObject SafetyProfile::builtinJson()
{
    ensureEngineResources();
    QFile f(QStringLiteral(":/l0/safety/profile.json"));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("the built-in safety profile is missing from the resources");
    return QJsonDocument::fromJson(f.readAll()).object();
}

Result<std::shared_ptr<const SafetyProfile>> SafetyProfile::fromJson(const QJsonObject &o)
{
    if (o.value(QLatin1String("format")).toString() != QLatin1String("l0-safety-profile/1"))
        return makeError(
            ErrorCode::InvalidArgument, QStringLiteral("safety profile: format is not l0-safety-profile/1"));
    auto p = std::make_shared<SafetyProfile>();
    p->trustedDomains = strings(o.value(QLatin1String("trusted_domains")));
    for (QString &d : p->trustedDomains)
        d = d.toLower();
    p->blastRadiusMedium = o.value(QLatin1String("blast_radius_medium")).toInteger(50);
    p->suspiciousUrlScore = o.value(QLatin1String("suspicious_url_score")).toInt(3);
    auto secrets = patterns(o.value(QLatin1String("secret_patterns")), QStringLiteral("secret_patterns"),
        QStringLiteral("secret."), Severity::High, false);
    if (!secrets)
        return secrets.error();
    p->secretPatterns = std::move(*secrets);
    for (Pattern &k : p->secretPatterns) {
        for (const QString &n : k.needles) {
            const int id = p->needleId(n);
            if (id < 0)
                return makeError(ErrorCode::InvalidArgument,
                    QStringLiteral("safety profile: %1: \"requires\" entries must be ASCII").arg(k.name));
            k.needleIds.push_back(id);
        }
    }
    for (const char *w : { "pass", "pwd", "secret", "key", "token" })
        p->credentialNeedleIds.push_back(p->needleId(QString::fromLatin1(w)));
    auto ids = patterns(o.value(QLatin1String("national_ids")), QStringLiteral("national_ids"), QStringLiteral("pii."),
        Severity::High, false);
    if (!ids)
        return ids.error();
    p->nationalIds = std::move(*ids);
    // PII in free text: the words around numbers, and addresses written out.
    const QJsonObject pii = o.value(QLatin1String("pii")).toObject();
    for (auto [key, target] :
        { std::pair { "phone_context", &p->phoneContext }, std::pair { "not_phone_context", &p->notPhoneContext },
            std::pair { "ssn_context", &p->ssnContext }, std::pair { "phone_labels_after", &p->phoneLabelsAfter },
            std::pair { "not_ip_context", &p->notIpContext } }) {
        const QJsonObject c = pii.value(QLatin1String(key)).toObject();
        for (const QString &w : strings(c.value(QLatin1String("words"))))
            target->words.insert(w.toLower());
        for (const QString &w : strings(c.value(QLatin1String("stems"))))
            target->stems << w.toLower();
    }
    for (const QString &tld : strings(pii.value(QLatin1String("email_tlds"))))
        p->emailTlds.insert(tld.toLower());
    for (const char *n : { "(at)", "[at]", "{at}", "<at>", "[@]", "(@)" })
        p->bracketAtNeedleIds.push_back(p->needleId(QString::fromLatin1(n)));
    p->spelledDotNeedleId = p->needleId(QStringLiteral(" dot "));
    for (const char *n : { "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine" })
        p->digitWordNeedleIds.push_back(p->needleId(QString::fromLatin1(n)));
    {
        static const QString local = QStringLiteral("[\\p{L}\\p{N}._%+-]+");
        static const QString label = QStringLiteral("[\\p{L}\\p{N}-]+");
        static const QString bracketAt = QStringLiteral("\\s*[\\[({<]\\s*(?:at|@)\\s*[\\])}>]\\s*");
        static const QString bracketDot = QStringLiteral("(?:\\s*[\\[({<]\\s*dot\\s*[\\])}>]\\s*|\\.)");
        auto obfuscated
            = compile(QStringLiteral("(?<![\\p{L}\\p{N}._%+-])%1%2%3(?:%4%3)*%4(?<tld>\\p{L}{2,24})(?![\\p{L}\\p{N}])")
                          .arg(local, bracketAt, label, bracketDot),
                true, QStringLiteral("pii e-mail"));
        auto spelled = compile(QStringLiteral("(?<![\\p{L}\\p{N}._%+-])%1(?:\\s+dot\\s+%2)*\\s+at\\s+%2(?:\\s+dot\\s+%"
                                              "2)*\\s+dot\\s+(?<tld>\\p{L}{2,24})(?![\\p{L}\\p{N}])")
                                   .arg(local, label),
            true, QStringLiteral("pii e-mail"));
        const QString digit = QStringLiteral("(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)");
        auto digits = compile(
            QStringLiteral("\\b%1(?:[\\s,;.-]{1,3}%1){6,14}\\b").arg(digit), true, QStringLiteral("pii digits"));
        if (!obfuscated)
            return obfuscated.error();
        if (!spelled)
            return spelled.error();
        if (!digits)
            return digits.error();
        p->obfuscatedEmail = *obfuscated;
        p->spelledEmail = *spelled;
        p->spelledDigits = *digits;
    }
    auto injections = patterns(o.value(QLatin1String("injection_patterns")), QStringLiteral("injection_patterns"),
        QStringLiteral("injection."), Severity::High, true);
    if (!injections)
        return injections.error();
    p->injectionPatterns = std::move(*injections);
    auto times = patterns(o.value(QLatin1String("time_patterns")), QStringLiteral("time_patterns"),
        QStringLiteral("time."), Severity::Low, true);
    if (!times)
        return times.error();
    p->timePatterns = std::move(*times);
    for (auto [list, combined] : { std::pair { &p->injectionPatterns, &p->injectionCombined },
             std::pair { &p->timePatterns, &p->timeCombined } }) {
        QStringList parts;
        int group = 1;
        for (const Pattern &pattern : *list) {
            parts << QLatin1Char('(') + pattern.re.pattern() + QLatin1Char(')');
            combined->groupOf.push_back(group);
            group += 1 + pattern.re.captureCount();
        }
        if (!parts.isEmpty()) {
            auto r = compile(parts.join(QLatin1Char('|')), true, QStringLiteral("combined patterns"));
            if (!r)
                return r.error();
            combined->re = *r;
        }
    }
    const QString names = o.value(QLatin1String("credential_names")).toString();
    auto nameRe = compile(names, true, QStringLiteral("credential_names"));
    if (!nameRe)
        return nameRe.error();
    p->credentialNames = *nameRe;
    p->commandFlagNeedleId = p->needleId(QStringLiteral(" -"));
    p->valueNeedleId = p->needleId(QStringLiteral("value"));
    p->closingTagNeedleId = p->needleId(QStringLiteral("</"));
    static const QString quotedValue
        = QString::fromUtf8(R"re("([^"\n]{4,200})"|'([^'\n]{4,200})'|`([^`\n]{4,200})`)re");
    auto assignment = compile(
        QString::fromUtf8(
            R"re((?:%1)["'`]?(?:\s*(?:===?|!==?|:=|=>|=|:)\s*|\s+|\.assign\(|\(\s*(?=["'`]))(?:%2|([^\s"'`,;]{6,})))re")
            .arg(names, quotedValue),
        true, QStringLiteral("credential_names"));
    if (!assignment)
        return assignment.error();
    p->credentialAssignment = *assignment;
    auto comparison = compile(QString::fromUtf8(R"re((?:%1)\s*(?:===?|!==?)\s*\w*(?:%2)())re").arg(quotedValue, names),
        true, QStringLiteral("credential_names"));
    if (!comparison)
        return comparison.error();
    p->credentialComparison = *comparison;
    p->quotedSupport = o.value(QLatin1String("quoted_credential_support")).toDouble(0.25);
    p->placeholderWords = strings(o.value(QLatin1String("secret_placeholder_words")));
    for (const QString &s : strings(o.value(QLatin1String("placeholders"))))
        p->placeholders.insert(s.toLower());
    // Every language and strength in one pass: a capture group per list tells which matched.
    const QJsonObject toxicity = o.value(QLatin1String("toxicity")).toObject();
    QStringList groups;
    for (auto it = toxicity.begin(); it != toxicity.end(); ++it) {
        const QJsonObject lang = it->toObject();
        for (const char *strength : { "strong", "mild" }) {
            const QStringList words = strings(lang.value(QLatin1String(strength)));
            if (words.isEmpty())
                continue;
            const bool strong = qstrcmp(strength, "strong") == 0;
            groups << QLatin1Char('(') + lexiconAlternation(words) + QLatin1Char(')');
            p->toxicity.push_back(
                Pattern { strong ? QStringLiteral("toxicity.slur_or_profanity") : QStringLiteral("toxicity.insult"), {},
                    QStringLiteral("offensive language (%1)").arg(it.key()), strong ? Severity::High : Severity::Medium,
                    {} });
        }
    }
    if (!groups.isEmpty()) {
        auto r = compile(QStringLiteral("\\b(?:") + groups.join(QLatin1Char('|'))
                + QStringLiteral(")(?:s|es|ed|ing|er|ers|y|en|e)?\\b"),
            true, QStringLiteral("toxicity"));
        if (!r)
            return r.error();
        p->toxicityRe = *r;
    }
    const QJsonObject phishing = o.value(QLatin1String("phishing")).toObject();
    p->brands = strings(phishing.value(QLatin1String("brands")));
    p->urlWords = strings(phishing.value(QLatin1String("url_words")));
    p->throwawayHosts = strings(phishing.value(QLatin1String("throwaway_hosts")));
    for (const QString &t : strings(phishing.value(QLatin1String("odd_tlds"))))
        p->oddTlds.insert(t);
    auto bait = compile(phishing.value(QLatin1String("bait")).toString(), true, QStringLiteral("phishing.bait"));
    auto urgency
        = compile(phishing.value(QLatin1String("urgency")).toString(), true, QStringLiteral("phishing.urgency"));
    if (!bait)
        return bait.error();
    if (!urgency)
        return urgency.error();
    auto cues = compile(o.value(QLatin1String("injection_cues")).toString(), true, QStringLiteral("injection_cues"));
    if (!cues)
        return cues.error();
    p->injectionCues = *cues;
    p->injectionCueFactor = o.value(QLatin1String("injection_cue_factor")).toDouble(0.7);
    p->bait = *bait;
    p->urgency = *urgency;
    const QJsonObject models = o.value(QLatin1String("models")).toObject();
    struct Slot {
        const char *key;
        std::shared_ptr<const TextModel> SafetyProfile::*member;
        FeatureKind kind;
    };
    for (const Slot &s : { Slot { "injection", &SafetyProfile::injectionModel, FeatureKind::Text },
             Slot { "smishing", &SafetyProfile::smishingModel, FeatureKind::Text },
             Slot { "phishing_url", &SafetyProfile::urlModel, FeatureKind::Url },
             Slot { "credential_line", &SafetyProfile::lineModel, FeatureKind::Line } }) {
        auto m = model(models, s.key);
        if (!m)
            return m.error();
        if (*m && (*m)->kind != s.kind)
            return makeError(ErrorCode::InvalidArgument,
                QStringLiteral("safety profile: model %1 reads %2, expected %3")
                    .arg(QLatin1String(s.key), QLatin1String(featureKindName((*m)->kind)),
                        QLatin1String(featureKindName(s.kind))));
        (*p).*(s.member) = *m;
    }
    return std::shared_ptr<const SafetyProfile>(std::move(p));
}

std::shared_ptr<const SafetyProfile> SafetyProfile::builtin()
{
    static const std::shared_ptr<const SafetyProfile> profile = [] {
        auto p = fromJson(builtinJson());
        if (!p)
            qFatal("the built-in safety profile does not load: %s", qPrintable(p.error().message));
        return *p;
    }();
    return profile;
}

Result<std::shared_ptr<const SafetyProfile>> SafetyProfile::withOverrides(const QByteArray &tenantJson)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(tenantJson, &pe);
    if (!doc.isObject())
        return makeError(ErrorCode::InvalidArgument,
            QStringLiteral("safety profile: not a JSON object (%1 at offset %2)").arg(pe.errorString()).arg(pe.offset));
    return fromJson(mergeProfileJson(builtinJson(), doc.object()));
}

} // namespace l0
