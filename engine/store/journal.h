#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <atomic>
#include <initializer_list>
#include <mutex>
#include <vector>

#include "core/result.h"
#include "storetypes.h"

namespace l0 {

// The node's local journal: every candidate and ledger event is appended (one write() each,
// or one for a miss's event and candidate together,
// so a killed process loses nothing it acknowledged) before it is answered, and fsync'd in
// groups. Records live in numbered segment files next to `base`; a segment is deleted once
// everything in it is in the database. Records are framed with their length and a checksum,
// so a torn last record is recognised and dropped. Thread-safe.
class Journal {
public:
    ~Journal();
    static Result<std::unique_ptr<Journal>> open(const QString &base);

    // Safe from many threads at once (each record is one O_APPEND write), but not at the same
    // time as rotate(): the caller keeps the two apart.
    Status append(const QByteArray &record);
    // Several records in one write() (a miss's ledger event and its candidate).
    Status append(std::initializer_list<QByteArray> records);
    Status sync();
    // Closes the current segment and starts a new one; returns the closed segment's path.
    Result<QString> rotate();
    // Segments other than the current one, oldest first.
    QStringList closedSegments() const;
    static Result<std::vector<QByteArray>> readSegment(const QString &path);
    static QByteArray frame(const QByteArray &payload);

private:
    Journal() = default;
    Status openSegment(qint64 number);
    Status writeFramed(const QByteArray &framed);

    mutable std::mutex m_mutex;
    QString m_base;
    qint64 m_number = 0;
    int m_fd = -1;
    std::atomic<bool> m_dirty { false };
};

QByteArray candidateToJournal(const Candidate &c);
QByteArray ledgerToJournal(const CostEvent &e);
QByteArray feedbackToJournal(const Feedback &f);
// Decodes a feedback record; false when the record is something else.
bool journalFeedback(const QByteArray &record, Feedback *feedback);
// A score for a response (POST /v1/feedback) as a journal record, and back.
QByteArray responseFeedbackToJournal(const ResponseFeedback &f);
bool journalResponseFeedback(const QByteArray &record, ResponseFeedback *feedback);
// Decodes a record into one of the two; false when it is neither.
bool journalRecord(const QByteArray &record, Candidate *candidate, CostEvent *event, bool *isCandidate);

} // namespace l0
