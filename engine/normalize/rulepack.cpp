#include "rulepack.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>

#include "jsonwithlines.h"

namespace l0 {

namespace {

const QString kSchema = QStringLiteral("l0.rulepack/1");

bool isIdentifier(const QString &s)
{
    if (s.isEmpty() || s.size() > 100)
        return false;
    for (QChar c : s) {
        if (!(c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('-') || c == QLatin1Char('.')))
            return false;
    }
    return true;
}

// Intent names come from people's labels: anything printable without spaces.
bool isIntentName(const QString &s)
{
    if (s.isEmpty() || s.size() > 100)
        return false;
    for (QChar c : s) {
        if (c.isSpace() || !c.isPrint() || c == QLatin1Char('|'))
            return false;
    }
    return true;
}

// Collects problems with the line each is on.
class Checker {
public:
    explicit Checker(const JsonWithLines &doc)
        : m_doc(doc)
    {
    }
    void problem(const QString &path, const QString &what)
    {
        m_problems << QStringLiteral("line %1: %2%3")
                          .arg(m_doc.lineOf(path))
                          .arg(path.isEmpty() ? QString() : path + QStringLiteral(": "), what);
    }
    void onlyKeys(const QJsonObject &o, const QString &path, const QStringList &allowed)
    {
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (!allowed.contains(it.key()))
                problem(join(path, it.key()),
                    QStringLiteral("unknown key (allowed: %1)").arg(allowed.join(QStringLiteral(", "))));
        }
    }
    static QString join(const QString &path, const QString &key)
    {
        return path.isEmpty() ? key : path + QLatin1Char('.') + key;
    }
    bool integer(const QJsonValue &v, const QString &path, qint64 lo, qint64 hi, qint64 *out)
    {
        if (!v.isDouble() || v.toDouble() != double(v.toInteger()) || v.toInteger() < lo || v.toInteger() > hi) {
            problem(path, QStringLiteral("must be a whole number from %1 to %2").arg(lo).arg(hi));
            return false;
        }
        *out = v.toInteger();
        return true;
    }
    QStringList strings(const QJsonValue &v, const QString &path)
    {
        QStringList out;
        if (!v.isArray()) {
            problem(path, QStringLiteral("must be an array of strings"));
            return out;
        }
        const QJsonArray a = v.toArray();
        for (int i = 0; i < a.size(); ++i) {
            if (!a.at(i).isString() || a.at(i).toString().isEmpty())
                problem(path + QStringLiteral("[%1]").arg(i), QStringLiteral("must be a non-empty string"));
            else
                out << a.at(i).toString();
        }
        return out;
    }
    QHash<QString, QString> stringMap(const QJsonValue &v, const QString &path)
    {
        QHash<QString, QString> out;
        if (!v.isObject()) {
            problem(path, QStringLiteral("must be an object of strings"));
            return out;
        }
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (!it.value().isString())
                problem(join(path, it.key()), QStringLiteral("must be a string"));
            else
                out.insert(it.key(), it.value().toString());
        }
        return out;
    }
    QStringList problems() const { return m_problems; }

private:
    const JsonWithLines &m_doc;
    QStringList m_problems;
};

Result<std::shared_ptr<const RulePack>> load(const QByteArray &json, QStringList *allProblems)
{
    auto parsed = JsonWithLines::parse(json);
    if (!parsed) {
        if (allProblems)
            *allProblems << parsed.error().message;
        return parsed.error();
    }
    Checker c(*parsed);
    auto pack = std::make_shared<RulePack>();
    if (!parsed->root.isObject()) {
        c.problem(QString(), QStringLiteral("a rule pack is a JSON object"));
    } else {
        const QJsonObject o = parsed->root.toObject();
        c.onlyKeys(o, QString(),
            { QStringLiteral("schema"), QStringLiteral("name"), QStringLiteral("version"), QStringLiteral("language"),
                QStringLiteral("description"), QStringLiteral("abstain"), QStringLiteral("negation"),
                QStringLiteral("conflicts"), QStringLiteral("normalizers"), QStringLiteral("slots"),
                QStringLiteral("intents"), QStringLiteral("induced"), QStringLiteral("char_ngrams"),
                QStringLiteral("raw_words"), QStringLiteral("vocabulary") });
        pack->rawWords = o.value(QLatin1String("raw_words")).toBool(false);
        if (o.value(QLatin1String("schema")).toString() != kSchema)
            c.problem(QStringLiteral("schema"), QStringLiteral("must be \"%1\"").arg(kSchema));
        pack->name = o.value(QLatin1String("name")).toString();
        if (!isIdentifier(pack->name))
            c.problem(QStringLiteral("name"), QStringLiteral("must be a name of letters, digits, '_', '-' or '.'"));
        qint64 n = 0;
        if (c.integer(o.value(QLatin1String("version")), QStringLiteral("version"), 1, 1'000'000'000, &n))
            pack->version = int(n);
        if (o.contains(QLatin1String("char_ngrams"))
            && c.integer(o.value(QLatin1String("char_ngrams")), QStringLiteral("char_ngrams"), 0, 8, &n))
            pack->charNgrams = int(n);
        if (o.contains(QLatin1String("language"))) {
            pack->language = o.value(QLatin1String("language")).toString();
            if (pack->language.isEmpty())
                c.problem(QStringLiteral("language"), QStringLiteral("must be a language code such as \"en\""));
        }

        const QJsonObject abstain = o.value(QLatin1String("abstain")).toObject();
        if (!o.value(QLatin1String("abstain")).isObject())
            c.problem(QStringLiteral("abstain"), QStringLiteral("is required: {\"margin\": N, \"min_evidence\": N}"));
        c.onlyKeys(abstain, QStringLiteral("abstain"),
            { QStringLiteral("margin"), QStringLiteral("min_evidence"), QStringLiteral("calibration"),
                QStringLiteral("coverage_power") });
        if (abstain.contains(QLatin1String("coverage_power"))
            && c.integer(
                abstain.value(QLatin1String("coverage_power")), QStringLiteral("abstain.coverage_power"), 0, 4, &n))
            pack->coveragePower = int(n);
        if (o.contains(QLatin1String("vocabulary"))) {
            const QJsonObject voc = o.value(QLatin1String("vocabulary")).toObject();
            if (!o.value(QLatin1String("vocabulary")).isObject())
                c.problem(QStringLiteral("vocabulary"), QStringLiteral("must be {\"unknown_idf\": N, \"idf\": {...}}"));
            c.onlyKeys(voc, QStringLiteral("vocabulary"),
                { QStringLiteral("unknown_idf"), QStringLiteral("idf"), QStringLiteral("folds") });
            if (voc.contains(QLatin1String("folds"))
                && c.integer(voc.value(QLatin1String("folds")), QStringLiteral("vocabulary.folds"), 1, 100, &n))
                pack->vocabularyFolds = int(n);
            if (c.integer(voc.value(QLatin1String("unknown_idf")), QStringLiteral("vocabulary.unknown_idf"), 0,
                    1'000'000, &n))
                pack->unknownIdf = qint32(n);
            if (!voc.value(QLatin1String("idf")).isObject()) {
                c.problem(QStringLiteral("vocabulary.idf"), QStringLiteral("must be an object of \"word\": weight"));
            } else {
                const QJsonObject idf = voc.value(QLatin1String("idf")).toObject();
                for (auto it = idf.begin(); it != idf.end(); ++it) {
                    if (c.integer(it.value(), QStringLiteral("vocabulary.idf.") + it.key(), 0, 1'000'000, &n))
                        pack->wordIdf.insert(it.key(), qint32(n));
                }
            }
        } else if (pack->coveragePower > 0) {
            c.problem(QStringLiteral("abstain.coverage_power"),
                QStringLiteral("needs the pack's \"vocabulary\" (word weights) to measure coverage"));
        }
        if (c.integer(abstain.value(QLatin1String("margin")), QStringLiteral("abstain.margin"), 0, 1'000'000'000, &n))
            pack->abstainMargin = qint32(n);
        if (abstain.contains(QLatin1String("min_evidence"))
            && c.integer(
                abstain.value(QLatin1String("min_evidence")), QStringLiteral("abstain.min_evidence"), 0, 100, &n))
            pack->minEvidence = qint32(n);

        pack->vetoBackward = RulePack::verbLast(pack->language);
        pack->negationCues = RulePack::defaultNegationCues();
        pack->clauseBreakers = RulePack::defaultClauseBreakers();
        pack->transparentWords = RulePack::defaultTransparentWords();
        pack->scopeEnds = RulePack::defaultScopeEnds();
        pack->inabilityWords = RulePack::defaultInabilityWords();
        if (o.contains(QLatin1String("negation"))) {
            const QJsonObject neg = o.value(QLatin1String("negation")).toObject();
            c.onlyKeys(neg, QStringLiteral("negation"),
                { QStringLiteral("cues"), QStringLiteral("scope"), QStringLiteral("clause_breakers"),
                    QStringLiteral("veto_scope"), QStringLiteral("transparent"), QStringLiteral("scope_ends"),
                    QStringLiteral("inability"), QStringLiteral("backward") });
            if (neg.contains(QLatin1String("backward")))
                pack->vetoBackward = neg.value(QLatin1String("backward")).toBool(false);
            if (neg.contains(QLatin1String("veto_scope"))
                && c.integer(neg.value(QLatin1String("veto_scope")), QStringLiteral("negation.veto_scope"), 0, 20, &n))
                pack->vetoScope = int(n);
            if (neg.contains(QLatin1String("transparent")))
                pack->transparentWords
                    = c.strings(neg.value(QLatin1String("transparent")), QStringLiteral("negation.transparent"));
            if (neg.contains(QLatin1String("scope_ends")))
                pack->scopeEnds
                    = c.strings(neg.value(QLatin1String("scope_ends")), QStringLiteral("negation.scope_ends"));
            if (neg.contains(QLatin1String("inability")))
                pack->inabilityWords
                    = c.strings(neg.value(QLatin1String("inability")), QStringLiteral("negation.inability"));
            if (neg.contains(QLatin1String("cues")))
                pack->negationCues = c.strings(neg.value(QLatin1String("cues")), QStringLiteral("negation.cues"));
            if (neg.contains(QLatin1String("clause_breakers")))
                pack->clauseBreakers = c.strings(
                    neg.value(QLatin1String("clause_breakers")), QStringLiteral("negation.clause_breakers"));
            if (neg.contains(QLatin1String("scope"))
                && c.integer(neg.value(QLatin1String("scope")), QStringLiteral("negation.scope"), 0, 20, &n))
                pack->negationScope = int(n);
        }
        pack->conjunctions
            = { QStringLiteral("and"), QStringLiteral("also"), QStringLiteral("plus"), QStringLiteral("then") };
        if (o.contains(QLatin1String("conflicts"))) {
            const QJsonObject conf = o.value(QLatin1String("conflicts")).toObject();
            c.onlyKeys(conf, QStringLiteral("conflicts"), { QStringLiteral("split"), QStringLiteral("conjunctions") });
            if (conf.contains(QLatin1String("split")))
                pack->splitConflicts = conf.value(QLatin1String("split")).toBool(true);
            if (conf.contains(QLatin1String("conjunctions")))
                pack->conjunctions
                    = c.strings(conf.value(QLatin1String("conjunctions")), QStringLiteral("conflicts.conjunctions"));
        }
        pack->contractions = RulePack::defaultContractions();
        if (o.contains(QLatin1String("normalizers"))) {
            const QJsonObject norm = o.value(QLatin1String("normalizers")).toObject();
            c.onlyKeys(
                norm, QStringLiteral("normalizers"), { QStringLiteral("contractions"), QStringLiteral("synonyms") });
            if (norm.contains(QLatin1String("contractions")))
                pack->contractions = c.stringMap(
                    norm.value(QLatin1String("contractions")), QStringLiteral("normalizers.contractions"));
            if (norm.contains(QLatin1String("synonyms")))
                pack->synonyms
                    = c.stringMap(norm.value(QLatin1String("synonyms")), QStringLiteral("normalizers.synonyms"));
        }

        if (!o.contains(QLatin1String("slots"))) {
            pack->slotPatterns = RulePack::defaultSlots();
        } else if (!o.value(QLatin1String("slots")).isArray()) {
            c.problem(QStringLiteral("slots"), QStringLiteral("must be an array of {\"name\", \"pattern\"}"));
        } else {
            // Several patterns may fill the same slot.
            const QJsonArray slotArray = o.value(QLatin1String("slots")).toArray();
            for (int i = 0; i < slotArray.size(); ++i) {
                const QString path = QStringLiteral("slots[%1]").arg(i);
                const QJsonObject s = slotArray.at(i).toObject();
                c.onlyKeys(s, path, { QStringLiteral("name"), QStringLiteral("pattern"), QStringLiteral("trigger") });
                SlotPattern p;
                p.name = s.value(QLatin1String("name")).toString();
                p.pattern = s.value(QLatin1String("pattern")).toString();
                p.trigger = s.value(QLatin1String("trigger")).toString();
                if (!isIdentifier(p.name))
                    c.problem(path + QStringLiteral(".name"), QStringLiteral("must be a slot name such as order_id"));
                p.regex = QRegularExpression(p.pattern,
                    QRegularExpression::CaseInsensitiveOption | QRegularExpression::UseUnicodePropertiesOption);
                if (p.pattern.isEmpty() || !p.regex.isValid())
                    c.problem(path + QStringLiteral(".pattern"),
                        QStringLiteral("is not a valid regular expression: %1").arg(p.regex.errorString()));
                else if (p.regex.match(QString()).hasMatch())
                    c.problem(path + QStringLiteral(".pattern"), QStringLiteral("matches the empty string"));
                else if (p.regex.captureCount() > 1)
                    c.problem(path + QStringLiteral(".pattern"),
                        QStringLiteral("may have at most one capture group (the value)"));
                p.regex.optimize();
                pack->slotPatterns.push_back(std::move(p));
            }
        }

        if (!o.value(QLatin1String("intents")).isArray() || o.value(QLatin1String("intents")).toArray().isEmpty()) {
            c.problem(QStringLiteral("intents"), QStringLiteral("must be a non-empty array"));
        } else {
            const QJsonArray intents = o.value(QLatin1String("intents")).toArray();
            QSet<QString> seen;
            int real = 0;
            for (int i = 0; i < intents.size(); ++i) {
                const QString path = QStringLiteral("intents[%1]").arg(i);
                if (!intents.at(i).isObject()) {
                    c.problem(path, QStringLiteral("must be an object"));
                    continue;
                }
                const QJsonObject io = intents.at(i).toObject();
                c.onlyKeys(io, path,
                    { QStringLiteral("name"), QStringLiteral("bias"), QStringLiteral("features"),
                        QStringLiteral("examples"), QStringLiteral("abstain"), QStringLiteral("description"),
                        QStringLiteral("margin"), QStringLiteral("vocabulary"), QStringLiteral("negation_guard") });
                Intent in;
                in.name = io.value(QLatin1String("name")).toString();
                if (!isIntentName(in.name))
                    c.problem(path + QStringLiteral(".name"),
                        QStringLiteral("must be an intent name such as cancel_order (no spaces or '|')"));
                else if (seen.contains(in.name))
                    c.problem(
                        path + QStringLiteral(".name"), QStringLiteral("intent %1 is defined twice").arg(in.name));
                seen.insert(in.name);
                in.abstain = io.value(QLatin1String("abstain")).toBool(false);
                if (io.contains(QLatin1String("margin"))
                    && c.integer(
                        io.value(QLatin1String("margin")), path + QStringLiteral(".margin"), 0, 1'000'000'000, &n))
                    in.margin = qint32(n);
                real += in.abstain ? 0 : 1;
                if (io.contains(QLatin1String("bias"))
                    && c.integer(io.value(QLatin1String("bias")), path + QStringLiteral(".bias"), -1'000'000'000,
                        1'000'000'000, &n))
                    in.bias = qint32(n);
                if (!io.value(QLatin1String("features")).isObject()) {
                    c.problem(
                        path + QStringLiteral(".features"), QStringLiteral("must be an object of \"phrase\": weight"));
                } else {
                    const QJsonObject f = io.value(QLatin1String("features")).toObject();
                    for (auto it = f.begin(); it != f.end(); ++it) {
                        const QString fpath = path + QStringLiteral(".features.") + it.key();
                        if (it.key().trimmed().isEmpty()
                            || it.key().split(QLatin1Char(' '), Qt::SkipEmptyParts).size() > 2)
                            c.problem(fpath, QStringLiteral("a feature is one word, two words, or a ~piece of a word"));
                        if (c.integer(it.value(), fpath, -1'000'000'000, 1'000'000'000, &n))
                            in.features.insert(it.key(), qint32(n));
                    }
                }
                if (io.contains(QLatin1String("examples")))
                    in.examples = c.strings(io.value(QLatin1String("examples")), path + QStringLiteral(".examples"));
                if (io.contains(QLatin1String("vocabulary"))) {
                    // ["word", ...] (each fully seen) or {"word": k, ...}
                    const QString vpath = path + QStringLiteral(".vocabulary");
                    const QJsonValue v = io.value(QLatin1String("vocabulary"));
                    if (v.isObject()) {
                        const QJsonObject vo = v.toObject();
                        for (auto it = vo.begin(); it != vo.end(); ++it) {
                            if (c.integer(
                                    it.value(), vpath + QLatin1Char('.') + it.key(), 1, pack->vocabularyFolds, &n))
                                in.vocabulary.insert(it.key(), qint32(n));
                        }
                    } else {
                        for (const QString &w : c.strings(v, vpath))
                            in.vocabulary.insert(w, pack->vocabularyFolds);
                    }
                }
                if (io.contains(QLatin1String("negation_guard"))) {
                    const QString gpath = path + QStringLiteral(".negation_guard");
                    const QJsonObject g = io.value(QLatin1String("negation_guard")).toObject();
                    if (!io.value(QLatin1String("negation_guard")).isObject())
                        c.problem(gpath, QStringLiteral("must be {\"defining\": [words], \"expected\": [words]}"));
                    c.onlyKeys(g, gpath,
                        { QStringLiteral("defining"), QStringLiteral("expected"), QStringLiteral("maps_to") });
                    in.hasNegationGuard = true;
                    if (g.contains(QLatin1String("defining")))
                        in.defining
                            = c.strings(g.value(QLatin1String("defining")), gpath + QStringLiteral(".defining"));
                    if (g.contains(QLatin1String("expected")))
                        in.negationExpected
                            = c.strings(g.value(QLatin1String("expected")), gpath + QStringLiteral(".expected"));
                    if (g.contains(QLatin1String("maps_to"))) {
                        in.negatedIntent = g.value(QLatin1String("maps_to")).toString();
                        if (!isIntentName(in.negatedIntent))
                            c.problem(gpath + QStringLiteral(".maps_to"), QStringLiteral("must be an intent name"));
                    }
                }
                pack->intents.push_back(std::move(in));
            }
            for (size_t i = 0; i < pack->intents.size(); ++i) {
                const QString &to = pack->intents[i].negatedIntent;
                if (to.isEmpty())
                    continue;
                const auto target = std::find_if(pack->intents.begin(), pack->intents.end(),
                    [&](const Intent &x) { return x.name == to && !x.abstain; });
                if (target == pack->intents.end() || to == pack->intents[i].name)
                    c.problem(QStringLiteral("intents[%1].negation_guard.maps_to").arg(i),
                        QStringLiteral("names no other intent of the pack: %1").arg(to));
            }
            if (real == 0)
                c.problem(QStringLiteral("intents"),
                    QStringLiteral("needs at least one intent that is not an abstain class"));
        }
    }
    const QStringList problems = c.problems();
    if (allProblems)
        *allProblems << problems;
    if (!problems.isEmpty())
        return makeError(ErrorCode::InvalidArgument,
            problems.first()
                + (problems.size() > 1 ? QStringLiteral(" (and %1 more)").arg(problems.size() - 1) : QString()));
    return std::shared_ptr<const RulePack>(std::move(pack));
}

} // namespace

Result<std::shared_ptr<const RulePack>> RulePack::fromJson(const QByteArray &json)
{
    return load(json, nullptr);
}

Result<std::shared_ptr<const RulePack>> RulePack::fromFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(
            ErrorCode::NotFound, QStringLiteral("cannot read rule pack %1: %2").arg(path, f.errorString()));
    return fromJson(f.readAll());
}

QStringList RulePack::check(const QByteArray &json)
{
    QStringList problems;
    (void)load(json, &problems);
    return problems;
}

QHash<QString, QString> RulePack::defaultContractions()
{
    return { { QStringLiteral("won't"), QStringLiteral("will not") },
        { QStringLiteral("can't"), QStringLiteral("can not") }, { QStringLiteral("cannot"), QStringLiteral("can not") },
        { QStringLiteral("shan't"), QStringLiteral("shall not") },
        { QStringLiteral("ain't"), QStringLiteral("is not") }, { QStringLiteral("n't"), QStringLiteral(" not") },
        { QStringLiteral("'m"), QStringLiteral(" am") }, { QStringLiteral("'re"), QStringLiteral(" are") },
        { QStringLiteral("'ve"), QStringLiteral(" have") }, { QStringLiteral("'ll"), QStringLiteral(" will") },
        { QStringLiteral("'d"), QStringLiteral(" would") }, { QStringLiteral("'s"), QStringLiteral("") },
        { QStringLiteral("dont"), QStringLiteral("do not") }, { QStringLiteral("doesnt"), QStringLiteral("does not") },
        { QStringLiteral("didnt"), QStringLiteral("did not") }, { QStringLiteral("cant"), QStringLiteral("can not") },
        { QStringLiteral("wont"), QStringLiteral("will not") }, { QStringLiteral("isnt"), QStringLiteral("is not") },
        { QStringLiteral("hasnt"), QStringLiteral("has not") },
        { QStringLiteral("havent"), QStringLiteral("have not") },
        { QStringLiteral("wasnt"), QStringLiteral("was not") }, { QStringLiteral("im"), QStringLiteral("i am") } };
}

namespace {
QStringList words(const char *spaceSeparated)
{
    return QString::fromUtf8(spaceSeparated).split(QLatin1Char(' '), Qt::SkipEmptyParts);
}
} // namespace

// English, then German: a cue of one language never occurs as a word of the other.
QStringList RulePack::defaultNegationCues()
{
    return words("not no never nothing nobody none neither nor without "
                 "nicht kein keine keinen keinem keiner keines nie niemals nichts");
}

bool RulePack::verbLast(const QString &language)
{
    return language.startsWith(QLatin1String("de")) || language.startsWith(QLatin1String("nl"));
}

QStringList RulePack::defaultClauseBreakers()
{
    return words("but however although though because and or aber sondern jedoch weil und oder");
}

QStringList RulePack::defaultTransparentWords()
{
    return words("to want wanna would like need wish longer really even ever be been being going gonna have has "
                 "had do does did a an the my your our their his her its this these those it me i you we us them "
                 "any anymore please just yet more still at all so too am is are was were will shall should "
                 "try trying "
                 "zu mehr möchte möchten will wollen bitte mein meine meinen meinem meiner die der das den dem ein "
                 "eine einen einem ich du sie es mir mich uns wir gern gerne doch noch jetzt mal habe hat haben "
                 "sein ist bin werden wird soll sollte");
}

QStringList RulePack::defaultScopeEnds()
{
    return words("unless except until außer bis");
}

// "I can't cancel", "I don't know how to cancel", "no idea why it was declined": still asking
// about the thing itself.
QStringList RulePack::defaultInabilityWords()
{
    return words(
        "can could unable able know understand remember sure idea let kann kannst konnte können weiß verstehe");
}

std::vector<SlotPattern> RulePack::defaultSlots()
{
    // Order matters: earlier patterns win where matches overlap.
    const QList<std::array<const char *, 3>> defs {
        { "placeholder", R"(\{\{\s*([^{}]{1,60}?)\s*\}\})", "{" },
        { "url", R"((?:https?://|www\.)[^\s<>"']+)", "/." }, // "://" or "www."
        { "email", R"([\w.+-]+@[\w-]+(?:\.[\w-]+)+)", "@" },
        { "card_last4", R"((?:ending|ends|last (?:four|4)(?: digits)?)\s*(?:in|with|of|:)?\s*(\d{4})\b)",
            "0123456789" },
        { "amount",
            R"((?:[$€£¥]\s?\d[\d,]*(?:\.\d{1,2})?|\b\d[\d,]*(?:\.\d{1,2})?\s?(?:usd|eur|gbp|dollars?|euros?|pounds?)\b))",
            "0123456789" },
        { "date",
            R"(\b(?:\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}(?:st|nd|rd|th)?)\b)",
            "0123456789" },
        { "tracking_number", R"(\b(1Z[0-9A-Z]{16}|[A-Z]{2}\d{9}[A-Z]{2})\b)", "0123456789" },
        { "invoice_number", R"(\binvoice\s*(?:number|no\.?|#|id)?\s*[:#]?\s*([A-Z]{0,5}-?\d[A-Z0-9-]{2,}))",
            "0123456789" },
        { "order_id",
            R"((?:\b(?:order|purchase|shipment|package)\s*(?:number|no\.?|#|id)?\s*[:#]?\s*|#)([A-Z]{0,5}-?\d[A-Z0-9-]{2,}))",
            "0123456789" },
        { "order_id", R"(\b([A-Z]{2,5}-\d{3,}))", "0123456789" },
        { "phone", R"((\+?\d[\d ().-]{7,}\d))", "0123456789" },
    };
    std::vector<SlotPattern> out;
    for (const auto &d : defs) {
        SlotPattern p;
        p.name = QString::fromLatin1(d[0]);
        p.pattern = QString::fromUtf8(d[1]);
        p.trigger = QString::fromLatin1(d[2]);
        p.regex = QRegularExpression(
            p.pattern, QRegularExpression::CaseInsensitiveOption | QRegularExpression::UseUnicodePropertiesOption);
        p.regex.optimize();
        out.push_back(std::move(p));
    }
    return out;
}

QByteArray RulePack::toJson() const
{
    QJsonObject o;
    o.insert(QLatin1String("schema"), kSchema);
    o.insert(QLatin1String("name"), name);
    o.insert(QLatin1String("version"), version);
    o.insert(QLatin1String("language"), language);
    if (charNgrams > 0)
        o.insert(QLatin1String("char_ngrams"), charNgrams);
    if (rawWords)
        o.insert(QLatin1String("raw_words"), true);
    QJsonObject abstain { { QLatin1String("margin"), abstainMargin }, { QLatin1String("min_evidence"), minEvidence } };
    if (coveragePower > 0)
        abstain.insert(QLatin1String("coverage_power"), coveragePower);
    o.insert(QLatin1String("abstain"), abstain);
    o.insert(QLatin1String("negation"),
        QJsonObject { { QLatin1String("cues"), QJsonArray::fromStringList(negationCues) },
            { QLatin1String("scope"), negationScope },
            { QLatin1String("clause_breakers"), QJsonArray::fromStringList(clauseBreakers) },
            { QLatin1String("veto_scope"), vetoScope }, { QLatin1String("backward"), vetoBackward },
            { QLatin1String("transparent"), QJsonArray::fromStringList(transparentWords) },
            { QLatin1String("scope_ends"), QJsonArray::fromStringList(scopeEnds) },
            { QLatin1String("inability"), QJsonArray::fromStringList(inabilityWords) } });
    if (!wordIdf.isEmpty() || coveragePower > 0) {
        QJsonObject idf;
        for (auto it = wordIdf.begin(); it != wordIdf.end(); ++it)
            idf.insert(it.key(), it.value());
        o.insert(QLatin1String("vocabulary"),
            QJsonObject { { QLatin1String("folds"), vocabularyFolds }, { QLatin1String("unknown_idf"), unknownIdf },
                { QLatin1String("idf"), idf } });
    }
    o.insert(QLatin1String("conflicts"),
        QJsonObject { { QLatin1String("split"), splitConflicts },
            { QLatin1String("conjunctions"), QJsonArray::fromStringList(conjunctions) } });
    QJsonObject contr, syn;
    for (auto it = contractions.begin(); it != contractions.end(); ++it)
        contr.insert(it.key(), it.value());
    for (auto it = synonyms.begin(); it != synonyms.end(); ++it)
        syn.insert(it.key(), it.value());
    o.insert(QLatin1String("normalizers"),
        QJsonObject { { QLatin1String("contractions"), contr }, { QLatin1String("synonyms"), syn } });
    QJsonArray slotArray;
    for (const SlotPattern &s : slotPatterns) {
        QJsonObject so { { QLatin1String("name"), s.name }, { QLatin1String("pattern"), s.pattern } };
        if (!s.trigger.isEmpty())
            so.insert(QLatin1String("trigger"), s.trigger);
        slotArray.append(so);
    }
    o.insert(QLatin1String("slots"), slotArray);
    QJsonArray intentArray;
    for (const Intent &in : intents) {
        QJsonObject io { { QLatin1String("name"), in.name }, { QLatin1String("bias"), in.bias } };
        if (in.abstain)
            io.insert(QLatin1String("abstain"), true);
        if (in.margin >= 0)
            io.insert(QLatin1String("margin"), in.margin);
        QJsonObject f;
        for (auto it = in.features.begin(); it != in.features.end(); ++it)
            f.insert(it.key(), it.value());
        io.insert(QLatin1String("features"), f);
        io.insert(QLatin1String("examples"), QJsonArray::fromStringList(in.examples));
        if (!in.vocabulary.isEmpty()) {
            QJsonObject v;
            for (auto it = in.vocabulary.begin(); it != in.vocabulary.end(); ++it)
                v.insert(it.key(), it.value());
            io.insert(QLatin1String("vocabulary"), v);
        }
        if (in.hasNegationGuard) {
            QJsonObject g { { QLatin1String("defining"), QJsonArray::fromStringList(in.defining) },
                { QLatin1String("expected"), QJsonArray::fromStringList(in.negationExpected) } };
            if (!in.negatedIntent.isEmpty())
                g.insert(QLatin1String("maps_to"), in.negatedIntent);

            io.insert(QLatin1String("negation_guard"), g);
        }
        intentArray.append(io);
    }
    o.insert(QLatin1String("intents"), intentArray);
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

} // namespace l0
