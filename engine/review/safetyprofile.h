#pragma once

#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

#include "core/result.h"
#include "review/safetyscanner.h"
#include "review/textmodel.h"

namespace l0 {

// Everything the safety pass reads that is data, not code: patterns, lexicons, thresholds and
// learned models. The built-in profile is resources/safety/profile.json; a tenant profile is a
// JSON object merged over it (lists are extended, objects merged, scalars replaced; a "remove"
// object names list entries to drop), so a tenant adds its own trusted domains, words or
// national ID formats without copying the rest. Compiled once, shared read-only.
class SafetyProfile {
public:
    struct Pattern {
        QString name; // family-prefixed detector name
        QRegularExpression re;
        QString message;
        Severity severity = Severity::High;
        QStringList needles; // run only when the text holds one of these (case-insensitive); empty: always
        std::vector<int> needleIds; // their indexes in SafetyProfile::needles
    };

    // Every literal a pattern may need (lower-case ASCII), indexed by first letter, so one pass
    // over a text tells which are present.
    QStringList needles;
    std::vector<int> needlesByFirst[128];
    std::vector<int> credentialNeedleIds; // the credential-name words
    int needleId(const QString &lowerAscii);

    // Words that say what a number is (lower case): a word counts when listed or when it starts
    // with one of the stems (compounds such as Telefonnummer).
    struct WordContext {
        QSet<QString> words;
        QStringList stems;
    };
    WordContext phoneContext, notPhoneContext, ssnContext;
    WordContext phoneLabelsAfter; // "-Office", "(mobile)": a label right after a number
    WordContext notIpContext; // "section 4.3.2.1": numbering that looks like an IPv4 address
    QRegularExpression obfuscatedEmail; // jane [at] example [dot] com, max(at)firma.de
    QRegularExpression spelledEmail; // pat dot lee at example dot net
    QSet<QString> emailTlds; // top-level domains a written-out address may end in (beyond 2-letter ones)
    std::vector<int> bracketAtNeedleIds; // "(at)", "[at]", ...
    int spelledDotNeedleId = -1; // " dot "
    QRegularExpression spelledDigits; // five five five ...: a phone written in words
    std::vector<int> digitWordNeedleIds; // zero, one, ..., nine: the pattern runs when two are present

    QStringList trustedDomains;
    qint64 blastRadiusMedium = 50;
    int suspiciousUrlScore = 3;
    std::vector<Pattern> secretPatterns;
    std::vector<Pattern> nationalIds;
    std::vector<Pattern> injectionPatterns;
    std::vector<Pattern> timePatterns;
    // A list of patterns as one alternation (one pass over the text); pattern i is the capture
    // group groupOf[i].
    struct Combined {
        QRegularExpression re;
        std::vector<int> groupOf;
        bool empty() const { return groupOf.empty(); }
    };
    Combined injectionCombined, timeCombined;
    QRegularExpression credentialNames; // a name that is about a credential (password, api_key, ...)
    int commandFlagNeedleId = -1, valueNeedleId = -1; // " -", "value": command lines, key/value elements
    int closingTagNeedleId = -1; // "</": <password>...</password>
    QRegularExpression credentialAssignment; // captures: "value", 'value', `value`, value
    QRegularExpression credentialComparison; // "value" == name
    double quotedSupport = 0.25; // line-model support a quoted credential value needs
    QSet<QString> placeholders; // whole values that are no secret
    QStringList placeholderWords; // values containing these are no secret
    QRegularExpression toxicityRe; // all lexicons, one capture group per language and strength
    std::vector<Pattern> toxicity; // what capture group i + 1 means
    QStringList brands, urlWords, throwawayHosts;
    QSet<QString> oddTlds;
    QRegularExpression bait, urgency;
    QRegularExpression injectionCues; // the learned injection model speaks only where one of these is
    double injectionCueFactor = 0.7; // ... and then at this fraction of its threshold
    std::shared_ptr<const TextModel> injectionModel, smishingModel, urlModel, lineModel;

    // The compiled built-in profile (loaded once).
    static std::shared_ptr<const SafetyProfile> builtin();
    // The built-in profile with a tenant's JSON merged over it.
    static Result<std::shared_ptr<const SafetyProfile>> withOverrides(const QByteArray &tenantJson);
    static Result<std::shared_ptr<const SafetyProfile>> fromJson(const QJsonObject &profile);
    static QJsonObject builtinJson();
};

// Merge: arrays are extended (without duplicates), objects merged, scalars replaced;
// over["remove"] = {key: [values]} drops entries from top-level lists.
QJsonObject mergeProfileJson(const QJsonObject &base, const QJsonObject &over);

} // namespace l0
