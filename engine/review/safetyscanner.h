#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <utility>
#include <vector>

namespace l0 {

enum class Severity { Low, Medium, High };
const char *severityName(Severity s);

// One thing a detector found. Spans are [start, end) offsets in Unicode code points.
struct Finding {
    QString detector; // family-prefixed: pii.card, secret.aws_access_key, phishing.ip_literal_url, ...
    Severity severity = Severity::Low;
    double score = 0; // 0..1, how sure
    std::vector<std::pair<qint64, qint64>> spans;
    QString message;

    QJsonObject toJson() const;
};

enum class Risk { Low, Medium, High };
const char *riskName(Risk r);

class SafetyProfile;

// Precision and recall counts of one detector family over labelled texts.
struct DetectionCounts {
    qint64 tp = 0, fp = 0, fn = 0, tn = 0;
    double precision() const { return tp + fp ? double(tp) / double(tp + fp) : 0; }
    double recall() const { return tp + fn ? double(tp) / double(tp + fn) : 0; }
};

// The safety pass over one answer: PII (e-mails, phones, cards with Luhn, IBANs with their
// checksum, US SSNs, IP addresses, national IDs as configured), secrets (provider key
// formats, private keys, JWTs, credential assignments, a learned model of credential lines),
// phishing (IP-literal and punycode links, look-alikes of trusted domains, link text naming
// another domain, how a link is built, a learned link model, credential bait with urgency, a
// learned model of phishing messages), toxicity (lexicons per language, seeing through l33t
// and spacing), prompt injection (instruction phrases, a learned model, hidden markup,
// zero-width and bidi controls) and time-sensitive content. Patterns, lexicons and models
// come from a SafetyProfile (resources/safety, overridable per tenant). Stateless;
// thread-safe.
class SafetyScanner {
public:
    SafetyScanner(); // the built-in profile
    explicit SafetyScanner(std::shared_ptr<const SafetyProfile> profile);
    std::vector<Finding> scan(const QString &text) const;
    // Findings + blast radius (how many queries the answer would serve) -> risk, with reasons.
    Risk risk(const std::vector<Finding> &findings, qint64 demand, QStringList *reasons = nullptr) const;
    // {"risk", "reasons", "findings"}: what the node stores with a candidate version.
    QJsonObject report(const QString &text, qint64 demand = 0) const;
    // Text level: a text counts as flagged when any detector of the family fires.
    DetectionCounts measure(const std::vector<std::pair<QString, bool>> &rows, const QString &family) const;
    const SafetyProfile &profile() const { return *m_profile; }

private:
    std::shared_ptr<const SafetyProfile> m_profile;
};

// Offsets: QString (UTF-16) index -> code point index.
qint64 codePointOffset(const QString &text, qsizetype utf16Index);

bool luhnValid(const QString &digits);
bool ibanValid(const QString &iban); // spaces allowed

} // namespace l0
