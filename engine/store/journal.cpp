#include "journal.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include "core/text.h"

namespace l0 {

namespace {

QString segmentPath(const QString &base, qint64 n)
{
    return base + QStringLiteral(".%1").arg(n, 8, 10, QLatin1Char('0'));
}

qint64 segmentNumber(const QString &base, const QString &path)
{
    bool ok = false;
    const qint64 n = path.mid(base.size() + 1).toLongLong(&ok);
    return ok ? n : -1;
}

QStringList segmentsOf(const QString &base)
{
    const QFileInfo info(base);
    QStringList out;
    for (const QString &name :
        QDir(info.absolutePath()).entryList({ info.fileName() + QStringLiteral(".*") }, QDir::Files, QDir::Name)) {
        const QString path = info.absolutePath() + QLatin1Char('/') + name;
        if (segmentNumber(info.absoluteFilePath(), path) >= 0)
            out << path;
    }
    return out;
}

} // namespace

Journal::~Journal()
{
    if (m_fd >= 0) {
        ::fdatasync(m_fd);
        ::close(m_fd);
        // An empty last segment says nothing: do not leave it behind.
        const QString path = segmentPath(m_base, m_number);
        if (QFileInfo(path).size() == 0)
            QFile::remove(path);
    }
}

Result<std::unique_ptr<Journal>> Journal::open(const QString &base)
{
    const QFileInfo info(base);
    if (!QDir().mkpath(info.absolutePath()))
        return makeError(
            ErrorCode::Unavailable, QStringLiteral("cannot create the journal directory %1").arg(info.absolutePath()));
    std::unique_ptr<Journal> j(new Journal);
    j->m_base = info.absoluteFilePath();
    qint64 last = 0;
    for (const QString &s : segmentsOf(j->m_base))
        last = std::max(last, segmentNumber(j->m_base, s));
    if (auto s = j->openSegment(last + 1); !s)
        return s.error();
    return j;
}

Status Journal::openSegment(qint64 number)
{
    const QByteArray path = QFile::encodeName(segmentPath(m_base, number));
    const int fd = ::open(path.constData(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        return makeError(
            ErrorCode::Unavailable, QStringLiteral("cannot open journal %1").arg(QString::fromLocal8Bit(path)));
    m_fd = fd;
    m_number = number;
    return {};
}

QByteArray Journal::frame(const QByteArray &payload)
{
    return "L0J1 " + QByteArray::number(payload.size()) + ' ' + sha256Hex(payload).left(16) + '\n' + payload + '\n';
}

Status Journal::append(const QByteArray &record)
{
    return writeFramed(frame(record));
}

Status Journal::append(std::initializer_list<QByteArray> records)
{
    QByteArray framed;
    for (const QByteArray &r : records)
        framed += frame(r);
    return writeFramed(framed);
}

Status Journal::writeFramed(const QByteArray &framed)
{
    qsizetype done = 0;
    while (done < framed.size()) {
        const ssize_t n = ::write(m_fd, framed.constData() + done, size_t(framed.size() - done));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return makeError(ErrorCode::Unavailable,
                QStringLiteral("journal write failed: %1").arg(QString::fromLocal8Bit(strerror(errno))));
        }
        done += n;
    }
    m_dirty = true;
    return {};
}

Status Journal::sync()
{
    std::lock_guard lock(m_mutex);
    if (!m_dirty)
        return {};
    if (::fdatasync(m_fd) != 0)
        return makeError(ErrorCode::Unavailable, QStringLiteral("journal sync failed"));
    m_dirty = false;
    return {};
}

Result<QString> Journal::rotate()
{
    std::lock_guard lock(m_mutex);
    // No fsync here: callers hold every writer off while rotating, and the records are safe
    // from a killed process once written; the tick's sync() bounds what power loss can take.
    ::close(m_fd);
    m_fd = -1;
    m_dirty = false;
    const QString closed = segmentPath(m_base, m_number);
    if (auto s = openSegment(m_number + 1); !s)
        return s.error();
    return closed;
}

QStringList Journal::closedSegments() const
{
    std::lock_guard lock(m_mutex);
    QStringList out;
    for (const QString &s : segmentsOf(m_base)) {
        if (segmentNumber(m_base, s) != m_number)
            out << s;
    }
    return out;
}

Result<std::vector<QByteArray>> Journal::readSegment(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Unavailable, QStringLiteral("cannot read journal %1").arg(path));
    const QByteArray all = f.readAll();
    std::vector<QByteArray> out;
    qsizetype pos = 0;
    while (pos < all.size()) {
        const qsizetype nl = all.indexOf('\n', pos);
        if (nl < 0)
            break; // torn header
        const QList<QByteArray> head = all.mid(pos, nl - pos).split(' ');
        if (head.size() != 3 || head[0] != "L0J1")
            break;
        bool ok = false;
        const qsizetype len = head[1].toLongLong(&ok);
        if (!ok || len < 0 || nl + 1 + len + 1 > all.size())
            break; // torn record
        const QByteArray payload = all.mid(nl + 1, len);
        if (sha256Hex(payload).left(16) != head[2] || all.at(nl + 1 + len) != '\n')
            break;
        out.push_back(payload);
        pos = nl + 1 + len + 1;
    }
    return out;
}

namespace {
// Candidates are journalled on the request thread before the answer goes out: their record is
// written straight as JSON text, not built as a QJsonObject first (several times cheaper). It
// reads back with QJsonDocument like any other.
void appendJsonString(QByteArray &out, const QByteArray &utf8)
{
    static const char hex[] = "0123456789abcdef";
    out += '"';
    for (const char ch : utf8) {
        const auto u = uchar(ch);
        if (ch == '"' || ch == '\\') {
            out += '\\';
            out += ch;
        } else if (u < 0x20) {
            out += "\\u00";
            out += hex[u >> 4];
            out += hex[u & 0xf];
        } else {
            out += ch;
        }
    }
    out += '"';
}

void appendJsonString(QByteArray &out, const QString &text)
{
    appendJsonString(out, text.toUtf8());
}

void appendJsonKey(QByteArray &out, const char *key)
{
    out += ",\"";
    out += key;
    out += "\":";
}

void appendJsonField(QByteArray &out, const char *key, const QString &value)
{
    appendJsonKey(out, key);
    appendJsonString(out, value);
}

void appendJsonField(QByteArray &out, const char *key, const QByteArray &utf8)
{
    appendJsonKey(out, key);
    appendJsonString(out, utf8);
}

void appendJsonField(QByteArray &out, const char *key, qint64 value)
{
    appendJsonKey(out, key);
    out += QByteArray::number(value);
}
} // namespace

QByteArray candidateToJournal(const Candidate &c)
{
    QByteArray out;
    out.reserve(512 + c.query.size() * 2 + c.requestJson.size() * 2
        + c.result.message.value(QLatin1String("content")).toString().size() * 3);
    out += "{\"type\":\"candidate\"";
    appendJsonField(out, "uid", c.uid);
    appendJsonField(out, "tenant", c.tenantId);
    appendJsonField(out, "ns", c.ns);
    appendJsonField(out, "tier", c.tier);
    appendJsonField(out, "key", c.cacheKey);
    appendJsonField(out, "model", c.model);
    appendJsonField(out, "query", c.query);
    appendJsonField(out, "request", c.requestJson);
    // The result as ChatResult::toJson() has it.
    appendJsonKey(out, "result");
    out += "{\"message\":";
    out += QJsonDocument(c.result.message).toJson(QJsonDocument::Compact);
    appendJsonField(out, "finish_reason", c.result.finishReason);
    appendJsonField(out, "model", c.result.modelUsed);
    appendJsonKey(out, "usage");
    out += "{\"prompt_tokens\":" + QByteArray::number(c.result.usage.promptTokens)
        + ",\"completion_tokens\":" + QByteArray::number(c.result.usage.completionTokens) + '}';
    if (!c.result.stopSequence.isEmpty())
        appendJsonField(out, "stop_sequence", c.result.stopSequence);
    out += '}';
    appendJsonField(out, "risk", c.risk);
    appendJsonField(out, "author", c.author);
    appendJsonField(out, "created", c.createdMs);
    if (!c.responseId.isEmpty())
        appendJsonField(out, "response", c.responseId);
    out += '}';
    return out;
}

QByteArray feedbackToJournal(const Feedback &f)
{
    const QJsonObject o { { QLatin1String("type"), QStringLiteral("feedback") }, { QLatin1String("uid"), f.uid },
        { QLatin1String("tenant"), f.tenantId }, { QLatin1String("entry"), f.entryId },
        { QLatin1String("version"), f.version }, { QLatin1String("rating"), f.rating },
        { QLatin1String("reason"), f.reason }, { QLatin1String("user"), f.user },
        { QLatin1String("created"), f.createdMs } };
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray responseFeedbackToJournal(const ResponseFeedback &f)
{
    const QJsonObject o { { QLatin1String("type"), QStringLiteral("response_feedback") },
        { QLatin1String("uid"), f.uid }, { QLatin1String("tenant"), f.tenantId },
        { QLatin1String("response"), f.responseId }, { QLatin1String("user"), f.user },
        { QLatin1String("score_micros"), f.scoreMicros }, { QLatin1String("created"), f.createdMs } };
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

bool journalResponseFeedback(const QByteArray &record, ResponseFeedback *f)
{
    if (!record.startsWith('{') || !record.contains("\"response_feedback\""))
        return false;
    const QJsonObject o = QJsonDocument::fromJson(record).object();
    if (o.value(QLatin1String("type")).toString() != QLatin1String("response_feedback"))
        return false;
    f->uid = o.value(QLatin1String("uid")).toString();
    f->tenantId = o.value(QLatin1String("tenant")).toInteger();
    f->responseId = o.value(QLatin1String("response")).toString();
    f->user = o.value(QLatin1String("user")).toString();
    f->scoreMicros = o.value(QLatin1String("score_micros")).toInteger(-1);
    f->createdMs = o.value(QLatin1String("created")).toInteger();
    return !f->uid.isEmpty() && !f->responseId.isEmpty() && f->scoreMicros >= 0 && f->scoreMicros <= 1000000;
}

bool journalFeedback(const QByteArray &record, Feedback *f)
{
    if (!record.startsWith('{') || !record.contains("\"feedback\""))
        return false;
    const QJsonObject o = QJsonDocument::fromJson(record).object();
    if (o.value(QLatin1String("type")).toString() != QLatin1String("feedback"))
        return false;
    f->uid = o.value(QLatin1String("uid")).toString();
    f->tenantId = o.value(QLatin1String("tenant")).toInteger();
    f->entryId = o.value(QLatin1String("entry")).toInteger();
    f->version = o.value(QLatin1String("version")).toInt();
    f->rating = o.value(QLatin1String("rating")).toInt();
    f->reason = o.value(QLatin1String("reason")).toString();
    f->user = o.value(QLatin1String("user")).toString();
    f->createdMs = o.value(QLatin1String("created")).toInteger();
    return !f->uid.isEmpty() && (f->rating == 1 || f->rating == -1);
}

namespace {
// Ledger records are many (one per request): a compact tab-separated line rather than JSON.
void appendField(QByteArray &out, const QString &text)
{
    out += '\t';
    const QByteArray utf8 = text.toUtf8();
    if (!utf8.contains('\t') && !utf8.contains('\n') && !utf8.contains('\\')) {
        out += utf8; // the usual case: nothing to escape
        return;
    }
    for (char c : utf8) {
        if (c == '\t')
            out += "\\t";
        else if (c == '\n')
            out += "\\n";
        else if (c == '\\')
            out += "\\\\";
        else
            out += c;
    }
}

QString unescapeField(const QByteArray &field)
{
    QByteArray out;
    out.reserve(field.size());
    for (qsizetype i = 0; i < field.size(); ++i) {
        if (field[i] == '\\' && i + 1 < field.size()) {
            const char n = field[++i];
            out += n == 't' ? '\t' : n == 'n' ? '\n' : n;
        } else {
            out += field[i];
        }
    }
    return QString::fromUtf8(out);
}

void appendNumber(QByteArray &out, qint64 v)
{
    out += '\t';
    out += QByteArray::number(v);
}
} // namespace

QByteArray ledgerToJournal(const CostEvent &e)
{
    QByteArray out;
    out.reserve(160);
    out += "L1";
    appendField(out, e.uid);
    appendNumber(out, e.tsMs);
    appendNumber(out, e.tenantId);
    appendField(out, e.ns);
    out += '\t';
    out += tierName(e.tier);
    appendNumber(out, e.shadowHit ? 1 : 0);
    appendField(out, e.modelRequested);
    appendField(out, e.modelUsed);
    appendNumber(out, e.promptTokens);
    appendNumber(out, e.completionTokens);
    out += '\t';
    if (e.actualMicros)
        out += QByteArray::number(*e.actualMicros);
    out += '\t';
    if (e.baselineMicros)
        out += QByteArray::number(*e.baselineMicros);
    appendNumber(out, e.entryId);
    appendNumber(out, e.status);
    appendNumber(out, e.latencyMs);
    appendField(out, e.intent);
    appendNumber(out, e.attempts);
    appendNumber(out, e.feeMicros);
    appendField(out, e.user);
    appendNumber(out, e.experimentId);
    appendField(out, e.arm);
    appendField(out, e.route);
    appendField(out, e.responseId);
    return out;
}

bool journalRecord(const QByteArray &record, Candidate *c, CostEvent *e, bool *isCandidate)
{
    if (record.startsWith("L1\t")) {
        const QList<QByteArray> f = record.split('\t');
        // 16: written before intents were recorded; 17: before attempts were; 18: before fees
        // and end users were; 20: before experiments were
        // 22: before routes were; 23: before response ids were
        if (f.size() < 16 || f.size() > 24 || f.size() == 19 || f.size() == 21)
            return false;
        *isCandidate = false;
        e->uid = unescapeField(f[1]);
        e->tsMs = f[2].toLongLong();
        e->tenantId = f[3].toLongLong();
        e->ns = unescapeField(f[4]);
        e->tier = tierFromName(QString::fromLatin1(f[5])).value_or(Tier::Upstream);
        e->shadowHit = f[6] == "1";
        e->modelRequested = unescapeField(f[7]);
        e->modelUsed = unescapeField(f[8]);
        e->promptTokens = f[9].toLongLong();
        e->completionTokens = f[10].toLongLong();
        if (!f[11].isEmpty())
            e->actualMicros = f[11].toLongLong();
        if (!f[12].isEmpty())
            e->baselineMicros = f[12].toLongLong();
        e->entryId = f[13].toLongLong();
        e->status = f[14].toInt();
        e->latencyMs = f[15].toLongLong();
        if (f.size() > 16)
            e->intent = unescapeField(f[16]);
        if (f.size() > 17)
            e->attempts = f[17].toInt();
        if (f.size() > 19) {
            e->feeMicros = f[18].toLongLong();
            e->user = unescapeField(f[19]);
        }
        if (f.size() > 21) {
            e->experimentId = f[20].toLongLong();
            e->arm = unescapeField(f[21]);
        }
        if (f.size() > 22)
            e->route = unescapeField(f[22]);
        if (f.size() > 23)
            e->responseId = unescapeField(f[23]);
        return !e->uid.isEmpty();
    }
    const QJsonObject o = QJsonDocument::fromJson(record).object();
    const QString type = o.value(QLatin1String("type")).toString();
    if (type == QLatin1String("candidate")) {
        *isCandidate = true;
        c->uid = o.value(QLatin1String("uid")).toString();
        c->tenantId = o.value(QLatin1String("tenant")).toInteger();
        c->ns = o.value(QLatin1String("ns")).toString();
        c->tier = o.value(QLatin1String("tier")).toString();
        c->cacheKey = o.value(QLatin1String("key")).toString().toLatin1();
        c->model = o.value(QLatin1String("model")).toString();
        c->query = o.value(QLatin1String("query")).toString();
        c->requestJson = o.value(QLatin1String("request")).toString().toUtf8();
        auto r = ChatResult::fromJson(o.value(QLatin1String("result")).toObject());
        if (!r)
            return false;
        c->result = *r;
        c->risk = o.value(QLatin1String("risk")).toString();
        c->author = o.value(QLatin1String("author")).toString();
        c->createdMs = o.value(QLatin1String("created")).toInteger();
        c->responseId = o.value(QLatin1String("response")).toString(); // absent in older records
        return !c->uid.isEmpty();
    }
    if (type == QLatin1String("ledger")) {
        *isCandidate = false;
        e->uid = o.value(QLatin1String("uid")).toString();
        e->tsMs = o.value(QLatin1String("ts")).toInteger();
        e->tenantId = o.value(QLatin1String("tenant")).toInteger();
        e->ns = o.value(QLatin1String("ns")).toString();
        e->tier = tierFromName(o.value(QLatin1String("tier")).toString()).value_or(Tier::Upstream);
        e->shadowHit = o.value(QLatin1String("shadow")).toBool();
        e->modelRequested = o.value(QLatin1String("requested")).toString();
        e->modelUsed = o.value(QLatin1String("used")).toString();
        e->promptTokens = o.value(QLatin1String("prompt")).toInteger();
        e->completionTokens = o.value(QLatin1String("completion")).toInteger();
        e->entryId = o.value(QLatin1String("entry")).toInteger();
        e->status = o.value(QLatin1String("status")).toInt(200);
        e->latencyMs = o.value(QLatin1String("latency")).toInteger();
        if (o.contains(QLatin1String("actual")))
            e->actualMicros = o.value(QLatin1String("actual")).toInteger();
        if (o.contains(QLatin1String("baseline")))
            e->baselineMicros = o.value(QLatin1String("baseline")).toInteger();
        return !e->uid.isEmpty();
    }
    return false;
}

} // namespace l0
