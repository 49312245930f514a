#pragma once

#include <QString>

namespace l0 {

// What a client said of an answer it was served from the cache (POST /v1/cache/feedback).
struct Feedback {
    QString uid; // journal id: feedback with a uid already stored is skipped
    qint64 tenantId = 0;
    qint64 entryId = 0;
    int version = 0;
    int rating = 0; // +1 good, -1 bad
    QString reason; // optional, at most kMaxReason characters
    QString user; // the end user a token named; empty for API keys
    qint64 createdMs = 0;

    static constexpr int kMaxReason = 2000;
};

// Feedback on one entry version, summed.
struct FeedbackSummary {
    qint64 entryId = 0;
    int version = 0;
    QString tenant;
    QString query; // the entry's first query, for people to recognise it
    qint64 up = 0;
    qint64 down = 0;
    qint64 lastMs = 0;
    QString lastReason; // the latest non-empty reason given with a thumbs-down
};

} // namespace l0
