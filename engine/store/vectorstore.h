#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QVector>

#include <vector>

#include "core/result.h"
#include "sqlsession.h"

namespace l0 {

// The semantic tier's vectors in the store (table entry_vectors, migration 0019), written once
// over SqlSession for both stores. One row per entry version and embedder model.
struct StoredVector {
    qint64 entryId = 0;
    int version = 0;
    QString model; // Embedder::modelId()
    QByteArray textSha256; // hex SHA-256 of the text that was embedded
    QVector<float> vector;
};

// What the indexer embeds for an entry: its namespace and canonical request as filed.
struct EntryRequest {
    qint64 entryId = 0;
    qint64 tenantId = 0;
    QString ns;
    QString tier;
    QByteArray cacheKey;
    QByteArray requestJson;
};

// Inserts the vectors, replacing any row of the same (entry, version, model), in one
// transaction (or the caller's).
Status saveEntryVectors(SqlSession &session, const std::vector<StoredVector> &vectors, qint64 nowMs);

// The vectors of `model` stored for these (entry, version) pairs; pairs without one are left
// out. Corruption when a stored vector does not decode to its dimension.
Result<std::vector<StoredVector>> entryVectors(
    SqlSession &session, const QString &model, const std::vector<std::pair<qint64, int>> &versions);

// How many vectors of `model` the store holds.
Result<qint64> countEntryVectors(SqlSession &session, const QString &model);

// Deletes every vector of the entry (all versions and models); how many rows went.
Result<int> deleteEntryVectors(SqlSession &session, qint64 entryId);

// The entries' requests, by entry id; ids the store does not know are left out.
Result<QHash<qint64, EntryRequest>> entryRequests(SqlSession &session, const std::vector<qint64> &entryIds);

// The on-disk form of a vector (little-endian float32, base64) and back; nullopt when the text
// is not a vector of `dims` floats.
QByteArray encodeVector(const QVector<float> &vector);
std::optional<QVector<float>> decodeVector(const QByteArray &base64, int dims);

} // namespace l0
