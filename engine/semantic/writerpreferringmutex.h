#pragma once

#include <pthread.h>

namespace l0 {

// A shared mutex under which a waiting writer goes before new readers. std::shared_mutex on
// glibc prefers readers: with searches arriving from every HTTP thread, a revocation could wait
// for as long as the load lasts. Here, once a writer waits, new readers queue behind it, so a
// removal lands after the searches already running. Not recursive: a thread holding it shared
// must not take it shared again. Works with std::unique_lock and std::shared_lock.
class WriterPreferringMutex {
public:
    WriterPreferringMutex()
    {
        pthread_rwlockattr_t attr;
        pthread_rwlockattr_init(&attr);
        pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
        pthread_rwlock_init(&m_lock, &attr);
        pthread_rwlockattr_destroy(&attr);
    }
    ~WriterPreferringMutex() { pthread_rwlock_destroy(&m_lock); }
    WriterPreferringMutex(const WriterPreferringMutex &) = delete;
    WriterPreferringMutex &operator=(const WriterPreferringMutex &) = delete;

    void lock() { pthread_rwlock_wrlock(&m_lock); }
    bool try_lock() { return pthread_rwlock_trywrlock(&m_lock) == 0; }
    void unlock() { pthread_rwlock_unlock(&m_lock); }
    void lock_shared() { pthread_rwlock_rdlock(&m_lock); }
    bool try_lock_shared() { return pthread_rwlock_tryrdlock(&m_lock) == 0; }
    void unlock_shared() { pthread_rwlock_unlock(&m_lock); }

private:
    pthread_rwlock_t m_lock;
};

} // namespace l0
