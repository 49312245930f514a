#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

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

struct SafetyOptions {
    QStringList trustedDomains; // phishing: links to these (and subdomains) are fine; look-alikes are not
    qint64 blastRadiusMedium = 50; // a low-risk answer serving at least this many queries becomes medium
    int suspiciousUrlScore = 3; // phishing.suspicious_url fires at this structural score
};

// The safety pass over one answer: PII (e-mails, phones, cards with Luhn, IBANs with their
// checksum, US SSNs, IP addresses), secrets (provider key formats, private keys, JWTs,
// credential assignments), phishing (IP-literal and punycode links, look-alikes of trusted
// domains, link text naming another domain, credential bait with urgency), toxicity (lexicon,
// seeing through l33t and spacing), prompt injection (instructions to the model, hidden
// markup, zero-width and bidi controls) and time-sensitive content. Stateless; thread-safe.
class SafetyScanner {
public:
    explicit SafetyScanner(SafetyOptions options = {});
    std::vector<Finding> scan(const QString &text) const;
    // Findings + blast radius -> risk, with the reasons.
    Risk risk(const std::vector<Finding> &findings, qint64 demand, QStringList *reasons = nullptr) const;

private:
    SafetyOptions m_options;
};

// Offsets: QString (UTF-16) index -> code point index.
qint64 codePointOffset(const QString &text, qsizetype utf16Index);

bool luhnValid(const QString &digits);
bool ibanValid(const QString &iban); // spaces allowed

} // namespace l0
