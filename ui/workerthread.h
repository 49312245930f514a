#pragma once

#include <QString>
#include <QThread>

#include <memory>

#include "store/store.h"

namespace l0::ui {

// The console's store work runs on worker objects, each on a thread of its own with its own
// store connection, so no query ever runs on the GUI thread.

// A thread (owned by owner, not yet started) that runs worker and deletes it when it ends.
inline QThread *newWorkerThread(QObject *owner, QObject *worker, const QString &name)
{
    auto *thread = new QThread(owner);
    thread->setObjectName(name);
    worker->moveToThread(thread);
    QObject::connect(thread, &QThread::finished, worker, &QObject::deleteLater);
    return thread;
}

// Ends a worker thread (its worker goes with it) and forgets it.
inline void stopWorkerThread(QThread *&thread)
{
    if (!thread)
        return;
    thread->quit();
    thread->wait();
    delete thread;
    thread = nullptr;
}

// A worker's store connection: opened on first use; after a failure, reset() drops it so the
// next use reconnects (the database may have gone away).
class LazyStore {
public:
    explicit LazyStore(QString url)
        : m_url(std::move(url))
    {
    }
    Store *get(QString *error)
    {
        if (!m_store) {
            auto s = openStore(m_url);
            if (!s) {
                *error = s.error().message;
                return nullptr;
            }
            m_store = std::move(*s);
        }
        return m_store.get();
    }
    SqlSession *session(QString *error)
    {
        Store *s = get(error);
        return s ? &s->session() : nullptr;
    }
    void reset() { m_store.reset(); }

private:
    QString m_url;
    std::unique_ptr<Store> m_store;
};

} // namespace l0::ui
