#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace l0 {

// Tenants and their API keys: who asks, and what the cache may serve them.
enum class Policy { Shadow, Approved, AutoLowRisk };
const char *policyName(Policy p);
std::optional<Policy> policyFromName(const QString &name);

struct Tenant {
    qint64 id = 0;
    QString name;
    Policy policy = Policy::Approved;
};

struct ApiKeyRecord {
    qint64 id = 0;
    qint64 tenantId = 0;
    QByteArray keyHash; // raw SHA-256 of the key
    QString prefix; // first characters, for people to recognise a key; never enough to use it
};

struct IssuedKey {
    QString key; // shown once; never stored
    ApiKeyRecord record;
};

} // namespace l0
