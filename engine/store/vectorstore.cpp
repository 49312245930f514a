#include "vectorstore.h"

#include <QtEndian>

#include <algorithm>
#include <cstring>
#include <optional>

namespace l0 {

namespace {

// Statements stay below every driver's parameter limit (SQLite: 999 before 3.32).
constexpr size_t kIdsPerStatement = 400;

QString placeholders(size_t n)
{
    QString out;
    out.reserve(int(n) * 2);
    for (size_t i = 0; i < n; ++i)
        out += i ? QStringLiteral(",?") : QStringLiteral("?");
    return out;
}

} // namespace

QByteArray encodeVector(const QVector<float> &vector)
{
    QByteArray raw(vector.size() * qsizetype(sizeof(float)), Qt::Uninitialized);
    for (qsizetype i = 0; i < vector.size(); ++i) {
        quint32 bits;
        std::memcpy(&bits, &vector[i], sizeof bits);
        qToLittleEndian(bits, raw.data() + i * qsizetype(sizeof bits));
    }
    return raw.toBase64();
}

std::optional<QVector<float>> decodeVector(const QByteArray &base64, int dims)
{
    auto decoded = QByteArray::fromBase64Encoding(base64, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || dims <= 0 || decoded.decoded.size() != qsizetype(dims) * qsizetype(sizeof(float)))
        return std::nullopt;
    QVector<float> out(dims);
    for (int i = 0; i < dims; ++i) {
        const quint32 bits = qFromLittleEndian<quint32>(decoded.decoded.constData() + i * qsizetype(sizeof(float)));
        std::memcpy(&out[i], &bits, sizeof bits);
    }
    return out;
}

Status saveEntryVectors(SqlSession &session, const std::vector<StoredVector> &vectors, qint64 nowMs)
{
    if (vectors.empty())
        return {};
    return withTransaction(session, [&]() -> Status {
        // ON CONFLICT ... DO UPDATE is spelled alike by SQLite (3.24+) and PostgreSQL.
        const QString sql = QStringLiteral(
            "INSERT INTO entry_vectors (entry_id, version, model, dims, text_sha256, vector, created_ms) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (entry_id, version, model) DO UPDATE SET "
            "dims = excluded.dims, text_sha256 = excluded.text_sha256, vector = excluded.vector, "
            "created_ms = excluded.created_ms");
        for (const StoredVector &v : vectors) {
            if (v.vector.isEmpty() || v.model.isEmpty())
                return makeError(ErrorCode::InvalidArgument,
                    QStringLiteral("entry %1@%2: no vector or model to store").arg(v.entryId).arg(v.version));
            auto r = session.execute(sql,
                { SqlSession::num(v.entryId), SqlSession::num(v.version), SqlSession::str(v.model),
                    SqlSession::num(v.vector.size()), v.textSha256, encodeVector(v.vector), SqlSession::num(nowMs) });
            if (!r)
                return r.error();
        }
        return {};
    });
}

Result<std::vector<StoredVector>> entryVectors(
    SqlSession &session, const QString &model, const std::vector<std::pair<qint64, int>> &versions)
{
    std::vector<StoredVector> out;
    QHash<qint64, QList<int>> wanted;
    std::vector<qint64> ids;
    for (const auto &[entry, version] : versions) {
        if (!wanted.contains(entry))
            ids.push_back(entry);
        wanted[entry].append(version);
    }
    for (size_t start = 0; start < ids.size(); start += kIdsPerStatement) {
        const size_t n = std::min(kIdsPerStatement, ids.size() - start);
        std::vector<SqlSession::Value> params { SqlSession::str(model) };
        for (size_t i = 0; i < n; ++i)
            params.push_back(SqlSession::num(ids[start + i]));
        auto rows = session.query(QStringLiteral("SELECT entry_id, version, dims, text_sha256, vector FROM "
                                                 "entry_vectors WHERE model = ? AND entry_id IN (%1)")
                                      .arg(placeholders(n)),
            params);
        if (!rows)
            return rows.error();
        for (const auto &row : *rows) {
            StoredVector v;
            v.entryId = row.int64(0);
            v.version = int(row.int64(1));
            if (!wanted.value(v.entryId).contains(v.version))
                continue;
            auto decoded = decodeVector(row.bytes(4), int(row.int64(2)));
            if (!decoded)
                return makeError(ErrorCode::Corruption,
                    QStringLiteral("entry %1@%2: the stored vector of %3 does not decode")
                        .arg(v.entryId)
                        .arg(v.version)
                        .arg(model));
            v.model = model;
            v.textSha256 = row.bytes(3);
            v.vector = std::move(*decoded);
            out.push_back(std::move(v));
        }
    }
    return out;
}

Result<qint64> countEntryVectors(SqlSession &session, const QString &model)
{
    auto rows = session.query(
        QStringLiteral("SELECT COUNT(*) FROM entry_vectors WHERE model = ?"), { SqlSession::str(model) });
    if (!rows)
        return rows.error();
    return rows->empty() ? 0 : rows->front().int64(0);
}

Result<int> deleteEntryVectors(SqlSession &session, qint64 entryId)
{
    return session.execute(
        QStringLiteral("DELETE FROM entry_vectors WHERE entry_id = ?"), { SqlSession::num(entryId) });
}

Result<QHash<qint64, EntryRequest>> entryRequests(SqlSession &session, const std::vector<qint64> &entryIds)
{
    QHash<qint64, EntryRequest> out;
    for (size_t start = 0; start < entryIds.size(); start += kIdsPerStatement) {
        const size_t n = std::min(kIdsPerStatement, entryIds.size() - start);
        std::vector<SqlSession::Value> params;
        for (size_t i = 0; i < n; ++i)
            params.push_back(SqlSession::num(entryIds[start + i]));
        auto rows = session.query(QStringLiteral("SELECT id, tenant_id, namespace, tier, cache_key, request FROM "
                                                 "entries WHERE id IN (%1)")
                                      .arg(placeholders(n)),
            params);
        if (!rows)
            return rows.error();
        for (const auto &row : *rows) {
            EntryRequest e;
            e.entryId = row.int64(0);
            e.tenantId = row.int64(1);
            e.ns = row.text(2);
            e.tier = row.text(3);
            e.cacheKey = row.bytes(4);
            e.requestJson = row.bytes(5);
            out.insert(e.entryId, std::move(e));
        }
    }
    return out;
}

} // namespace l0
