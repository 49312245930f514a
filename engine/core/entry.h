#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

#include "chat.h"

namespace l0 {

// Cache entries and their versions: candidates filed for review, and the state changes
// nodes follow.
enum class VersionState { Pending, NeedsSecond, Approved, Rejected, Revoked, Expired };
const char *versionStateName(VersionState s);
std::optional<VersionState> versionStateFromName(const QString &name);

// A complete, successful upstream answer offered for review.
struct Candidate {
    qint64 tenantId = 0;
    QString ns;
    QString tier = QStringLiteral("exact");
    QByteArray cacheKey; // hex
    QString model; // model requested
    QString query; // the last user text, shown to reviewers
    QByteArray requestJson; // the canonical request
    ChatResult result;
    QString risk = QStringLiteral("low");
    QString author; // who produced it, e.g. "node:host" or "upstream:model"
    qint64 createdMs = 0;
    QString uid; // journal id: a candidate with a uid already applied is skipped
    bool riskScanned = false; // risk set by the safety pass
    QByteArray findings = "{}"; // the safety pass's report (JSON), kept with the version
    // The id of the response the client was sent with this answer (its ledger event names it
    // too): a reviewer's verdict on the version is a quality signal for the experiment arm
    // that served it. Empty for candidates filed otherwise (edits, requeues, imports).
    QString responseId;
};

struct CandidateReceipt {
    qint64 entryId = 0;
    int version = 0;
    bool newVersion = false;
};

// A version whose state changed: what nodes need to update their hot cache.
struct VersionChange {
    qint64 seq = 0;
    qint64 entryId = 0;
    int version = 0;
    VersionState state = VersionState::Pending;
    qint64 tenantId = 0;
    QString ns;
    QString tier;
    QByteArray cacheKey;
    QString risk;
    ChatResult result;
    QByteArray content; // the stored content, exactly (approvals sign its hash)
    QString author;
    qint64 expiresMs = 0; // 0: no end of life
};

} // namespace l0
