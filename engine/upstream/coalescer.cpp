#include "coalescer.h"

#include <QJsonObject>
#include <QPointer>
#include <QThread>

#include <atomic>
#include <optional>
#include <vector>

namespace l0 {

struct Coalescer::Flight : std::enable_shared_from_this<Coalescer::Flight> {
    struct Waiter {
        int id = 0;
        QPointer<QObject> context;
        QThread *thread = nullptr; // the context's
        ChatSink sink;
        bool gone = false;
        std::atomic<int> queued { 0 }; // events posted to it and not yet run
    };
    using Delivery = std::pair<std::shared_ptr<Waiter>, std::function<void(Waiter &)>>;
    std::mutex mutex;
    std::vector<std::shared_ptr<Waiter>> waiters;
    int nextId = 0;
    QList<QJsonObject> deltas;
    QString model;
    std::optional<ChatResult> result;
    std::optional<Error> error;
    bool done = false;
    QPointer<QObject> leaderContext;
    std::shared_ptr<UpstreamCall> upstream;

    // Runs fn for the waiter on its own thread; queued, so each waiter sees events in order.
    static void post(const std::shared_ptr<Waiter> &w, std::function<void(Waiter &)> fn)
    {
        if (!w->context)
            return;
        ++w->queued;
        QMetaObject::invokeMethod(
            w->context.data(),
            [w, fn = std::move(fn)] {
                --w->queued;
                if (!w->gone)
                    fn(*w);
            },
            Qt::QueuedConnection);
    }
    // A live event (called under the flight's lock, on the leader's thread). A waiter on this
    // very thread with nothing queued gets it directly, once the lock is released (deliver()):
    // no trip through the event loop for the common case of a leader waiting alone.
    static void fanOut(
        const std::shared_ptr<Waiter> &w, std::function<void(Waiter &)> fn, std::vector<Delivery> *direct)
    {
        if (w->context && w->thread == QThread::currentThread() && w->queued.load() == 0) {
            direct->emplace_back(w, std::move(fn));
            return;
        }
        post(w, std::move(fn));
    }
    static void deliver(std::vector<Delivery> &direct)
    {
        for (auto &[w, fn] : direct) {
            if (!w->gone && w->context)
                fn(*w);
        }
    }
    void replayTo(const std::shared_ptr<Waiter> &w)
    {
        if (!model.isEmpty()) {
            const QString m = model;
            post(w, [m](Waiter &x) {
                if (x.sink.onModel)
                    x.sink.onModel(m);
            });
        }
        for (const QJsonObject &d : std::as_const(deltas))
            post(w, [d](Waiter &x) { x.sink.onDelta(d); });
        if (result) {
            const ChatResult r = *result;
            post(w, [r](Waiter &x) { x.sink.onComplete(r); });
        } else if (error) {
            const Error e = *error;
            post(w, [e](Waiter &x) { x.sink.onError(e); });
        }
    }
};

namespace {

// What a waiter holds: leaving cancels the upstream call only when nobody else waits.
class Ticket final : public UpstreamCall {
public:
    Ticket(std::shared_ptr<Coalescer::Flight> flight, std::shared_ptr<Coalescer::Flight::Waiter> waiter)
        : m_flight(std::move(flight))
        , m_waiter(std::move(waiter))
    {
    }
    void cancel() override
    {
        std::shared_ptr<UpstreamCall> stop;
        QPointer<QObject> where;
        {
            std::lock_guard lock(m_flight->mutex);
            if (m_waiter->gone)
                return;
            m_waiter->gone = true;
            bool anyone = false;
            for (const auto &w : m_flight->waiters)
                anyone = anyone || !w->gone;
            if (!anyone && !m_flight->done) {
                stop = m_flight->upstream;
                where = m_flight->leaderContext;
            }
        }
        // The upstream call belongs to the leader's thread: cancel it there.
        if (stop && where)
            QMetaObject::invokeMethod(
                where.data(), [stop] { stop->cancel(); }, Qt::QueuedConnection);
    }
    int attempts() const override
    {
        std::lock_guard lock(m_flight->mutex);
        return m_flight->upstream ? m_flight->upstream->attempts() : 1;
    }

private:
    std::shared_ptr<Coalescer::Flight> m_flight;
    std::shared_ptr<Coalescer::Flight::Waiter> m_waiter;
};

} // namespace

int Coalescer::inFlight() const
{
    std::lock_guard lock(m_mutex);
    return int(m_flights.size());
}

std::shared_ptr<UpstreamCall> Coalescer::join(
    const QByteArray &key, QObject *context, ChatSink sink, const Start &start, bool *leads)
{
    auto waiter = std::make_shared<Flight::Waiter>();
    waiter->context = context;
    waiter->thread = context ? context->thread() : nullptr;
    waiter->sink = std::move(sink);
    std::shared_ptr<Flight> flight;
    {
        std::lock_guard lock(m_mutex);
        flight = m_flights.value(key);
        *leads = !flight;
        if (!flight) {
            flight = std::make_shared<Flight>();
            flight->leaderContext = context;
            m_flights.insert(key, flight);
        }
        std::lock_guard flightLock(flight->mutex);
        waiter->id = flight->nextId++;
        flight->waiters.push_back(waiter);
        if (!*leads)
            flight->replayTo(waiter);
    }
    auto ticket = std::make_shared<Ticket>(flight, waiter);
    if (!*leads)
        return ticket;

    // Every event is recorded and fanned out under the flight's lock, so a late joiner gets the
    // replay and then the live events, in order.
    auto finish = [this, key, flight] {
        std::lock_guard lock(m_mutex);
        if (m_flights.value(key) == flight)
            m_flights.remove(key);
    };
    ChatSink fanOut;
    fanOut.onModel = [flight](const QString &model) {
        std::vector<Flight::Delivery> direct;
        {
            std::lock_guard lock(flight->mutex);
            flight->model = model;
            for (const auto &w : flight->waiters)
                Flight::fanOut(
                    w,
                    [model](Flight::Waiter &x) {
                        if (x.sink.onModel)
                            x.sink.onModel(model);
                    },
                    &direct);
        }
        Flight::deliver(direct);
    };
    fanOut.onDelta = [flight](const QJsonObject &delta) {
        std::vector<Flight::Delivery> direct;
        {
            std::lock_guard lock(flight->mutex);
            flight->deltas.append(delta);
            for (const auto &w : flight->waiters)
                Flight::fanOut(
                    w, [delta](Flight::Waiter &x) { x.sink.onDelta(delta); }, &direct);
        }
        Flight::deliver(direct);
    };
    fanOut.onComplete = [flight, finish](const ChatResult &result) {
        finish();
        std::vector<Flight::Delivery> direct;
        {
            std::lock_guard lock(flight->mutex);
            flight->result = result;
            flight->done = true;
            for (const auto &w : flight->waiters)
                Flight::fanOut(
                    w, [result](Flight::Waiter &x) { x.sink.onComplete(result); }, &direct);
        }
        Flight::deliver(direct);
    };
    fanOut.onError = [flight, finish](const Error &error) {
        finish();
        std::vector<Flight::Delivery> direct;
        {
            std::lock_guard lock(flight->mutex);
            flight->error = error;
            flight->done = true;
            for (const auto &w : flight->waiters)
                Flight::fanOut(
                    w, [error](Flight::Waiter &x) { x.sink.onError(error); }, &direct);
        }
        Flight::deliver(direct);
    };
    auto upstream = start(std::move(fanOut));
    {
        std::lock_guard lock(flight->mutex);
        flight->upstream = std::move(upstream);
    }
    return ticket;
}

} // namespace l0
