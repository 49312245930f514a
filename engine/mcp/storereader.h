#pragma once

#include <QJsonObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

#include "core/result.h"

class QObject;
class QThread;

namespace l0 {

class Clock;
class Store;

namespace mcp {

// Reads for the MCP server, off the HTTP worker threads: one connection of its own to the
// node's store (opened on first use, reopened after a failure) on a thread of its own, so a
// report never holds up the node's writes or a worker's event loop. Jobs run one at a time, in
// the order given. Thread-safe.
class StoreReader {
public:
    using Job = std::function<Result<QJsonObject>(Store &store)>;
    using Done = std::function<void(Result<QJsonObject>)>;

    // clock: the store's "now" (leases, stamps); must outlive the reader. Null: the system clock.
    // threadName: what the reader's thread is called (one reader per use: a slow report never
    // holds up another user's reads).
    StoreReader(
        QString url, const Clock *clock, int maxQueued = 64, const QString &threadName = QStringLiteral("mcp-store"));
    ~StoreReader();

    // Runs job on the reader's thread, then done on the calling thread, which must run a Qt
    // event loop (an HTTP worker does). done is dropped if the calling thread ended meanwhile.
    // With maxQueued jobs waiting already, done gets Unavailable at once.
    void read(Job job, Done done);

private:
    struct Worker;
    QString m_url;
    const Clock *m_clock;
    int m_maxQueued;
    std::atomic<int> m_queued { 0 };
    std::unique_ptr<QThread> m_thread;
    QObject *m_context = nullptr; // lives on m_thread
    std::shared_ptr<Worker> m_worker; // used on m_thread only
};

} // namespace mcp
} // namespace l0
