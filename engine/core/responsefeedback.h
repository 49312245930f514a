#pragma once

#include <QString>

namespace l0 {

// A client's score for one response it was sent (POST /v1/feedback {"id", "score"}): the id is
// the response's own (chatcmpl-..., msg_..., resp_...), as on the response's ledger event. One
// score per tenant, response and end user; a later one replaces the earlier.
struct ResponseFeedback {
    QString uid; // journal id
    qint64 tenantId = 0;
    QString responseId;
    QString user; // the end user a token named; empty for API keys
    qint64 scoreMicros = 0; // the score in [0, 1], in millionths
    qint64 createdMs = 0;

    static constexpr int kMaxIdLength = 128;
};

} // namespace l0
