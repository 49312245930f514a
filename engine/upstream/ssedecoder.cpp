#include "ssedecoder.h"

namespace l0 {

bool SseDecoder::feed(QByteArrayView bytes, const EventFn &onEvent)
{
    if (m_stopped)
        return false;
    m_buffer.append(bytes);
    qsizetype from = 0;
    qsizetype nl;
    while ((nl = m_buffer.indexOf('\n', from)) >= 0) {
        const QByteArrayView line(m_buffer.constData() + from, nl - from);
        from = nl + 1;
        if (!takeLine(line, onEvent)) {
            m_stopped = true;
            m_buffer.clear();
            return false;
        }
    }
    m_buffer.remove(0, from);
    return true;
}

bool SseDecoder::finish(const EventFn &onEvent)
{
    if (m_stopped)
        return false;
    m_stopped = true;
    if (!m_buffer.isEmpty()) {
        const QByteArray last = std::exchange(m_buffer, QByteArray());
        if (!takeLine(last, onEvent))
            return false;
    }
    return m_framing == Framing::PerEvent ? dispatch(onEvent) : true;
}

bool SseDecoder::takeLine(QByteArrayView line, const EventFn &onEvent)
{
    if (line.endsWith('\r'))
        line.chop(1);
    if (m_framing == Framing::PerDataLine) {
        line = line.trimmed();
        if (!line.startsWith("data:"))
            return true;
        const QByteArrayView payload = line.sliced(5).trimmed();
        return payload.isEmpty() || onEvent(payload.toByteArray());
    }
    if (line.isEmpty())
        return dispatch(onEvent);
    if (!line.startsWith("data:"))
        return true;
    QByteArrayView piece = line.sliced(5);
    if (piece.startsWith(' '))
        piece = piece.sliced(1);
    m_data.append(piece);
    m_data.append('\n');
    return true;
}

bool SseDecoder::dispatch(const EventFn &onEvent)
{
    if (m_data.isEmpty())
        return true;
    m_data.chop(1); // the LF after the last data line
    const QByteArray data = std::exchange(m_data, QByteArray());
    return data.isEmpty() || onEvent(data);
}

} // namespace l0
