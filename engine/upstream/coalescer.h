#pragma once

#include <QByteArray>
#include <QHash>
#include <QObject>

#include <functional>
#include <memory>
#include <mutex>

#include "chatprovider.h"

namespace l0 {

// Identical misses in flight share one upstream call (a single flight per key). The first
// caller for a key leads: its call goes upstream. Callers that come while it is in flight
// follow: they get what was streamed so far, then every further chunk, then the same result
// or error, each on their own thread (through their context object). A follower that leaves
// does not cancel the others; the upstream call is cancelled only when nobody waits any more.
// When the flight ends the key is free again. Thread-safe.
class Coalescer {
public:
    // Starts the upstream call for a leader; the sink it is given fans out to everyone.
    using Start = std::function<std::shared_ptr<UpstreamCall>(ChatSink fanOut)>;

    // context: an object living on the caller's thread, where sink's callbacks run; it must
    // outlive the call or the call be cancelled first. *leads tells whether this caller started
    // the upstream call.
    std::shared_ptr<UpstreamCall> join(
        const QByteArray &key, QObject *context, ChatSink sink, const Start &start, bool *leads);

    int inFlight() const;

    struct Flight; // one key's call in flight and who waits for it

private:
    mutable std::mutex m_mutex;
    QHash<QByteArray, std::shared_ptr<Flight>> m_flights;
};

} // namespace l0
