#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <functional>

namespace l0 {

// Splits an upstream's text/event-stream into the data of its events, whatever pieces the
// bytes arrive in. Lines end with LF or CRLF (split across pieces or not); only `data:` fields
// matter (event names, ids and comments are skipped: the data says what the event is).
//
// - PerEvent: the SSE rule. An event's data lines are joined with LF (one leading space of
//   each dropped) and the event is complete at its blank line. Anthropic streams.
// - PerDataLine: each `data:` line is an event of its own, trimmed; blank lines are not
//   needed. OpenAI-compatible streams, some of which leave the blank lines out.
class SseDecoder {
public:
    enum class Framing { PerEvent, PerDataLine };
    // Receives one event's data; returns false to stop (the stream failed or is complete).
    using EventFn = std::function<bool(const QByteArray &data)>;

    explicit SseDecoder(Framing framing)
        : m_framing(framing)
    {
    }

    // Takes the next bytes of the stream. Returns false when onEvent asked to stop; the
    // decoder is then spent.
    bool feed(QByteArrayView bytes, const EventFn &onEvent);
    // The stream ended: a last line without its newline, an event without its blank line.
    bool finish(const EventFn &onEvent);

    // Bytes held for a line not yet complete.
    qsizetype pendingBytes() const { return m_buffer.size() + m_data.size(); }

private:
    bool takeLine(QByteArrayView line, const EventFn &onEvent);
    bool dispatch(const EventFn &onEvent);

    Framing m_framing;
    QByteArray m_buffer; // bytes after the last newline
    QByteArray m_data; // PerEvent: the data lines of the event being read, each ending in LF
    bool m_stopped = false;
};

} // namespace l0
