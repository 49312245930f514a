#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace l0 {

// Tenants and their API keys: who asks, and what the cache may serve them.
enum class Policy { Shadow, Approved, AutoLowRisk };
const char *policyName(Policy p);
std::optional<Policy> policyFromName(const QString &name);

// What a tenant may ask of the upstreams (set with `l0ctl tenant set-limits`). Every node
// enforces its share of the per-minute limits (see NodeConfig::limitNodes).
// Per-minute limits above this are refused when set and read as this (no bucket arithmetic
// overflows below it).
constexpr qint64 kMaxPerMinuteLimit = 1'000'000'000;

struct TenantLimits {
    std::optional<qint64> requestsPerMinute; // every request, hits included; unset: no limit
    std::optional<qint64> tokensPerMinute; // upstream tokens (prompt + completion); hits never count
    bool hardBudget = false; // once the monthly budget is spent, misses are refused (hits still served)
    qint64 staleGraceMs = 0; // when every upstream fails, an approved answer this far past its end is served
    bool operator==(const TenantLimits &) const = default;
};

struct Tenant {
    qint64 id = 0;
    QString name;
    Policy policy = Policy::Approved;
    TenantLimits limits;
    // How long its Responses API responses are kept (ms); unset: the node's default; 0: none.
    std::optional<qint64> responseRetentionMs;
    // What the operator charges the tenant for each answer served from the cache (integer
    // micro-dollars; 0: nothing), recorded on every hit's ledger event apart from model costs.
    qint64 hitFeeMicros = 0;
    // Its route policies as stored (a JSON array read by route/routepolicy.h; set with `l0ctl
    // tenant set-route`); empty: its requests are never routed.
    QByteArray routePolicies;
};

// What a key may read besides its own tenant's traffic: a tenant key sees only its tenant; a
// manager key may also read other tenants' numbers (the MCP server's reports and statistics).
// Neither changes what is served: requests are always answered as the key's own tenant.
enum class KeyScope { Tenant, Manager };
const char *keyScopeName(KeyScope s);
std::optional<KeyScope> keyScopeFromName(const QString &name);

struct ApiKeyRecord {
    qint64 id = 0;
    qint64 tenantId = 0;
    QByteArray keyHash; // raw SHA-256 of the key
    QString prefix; // first characters, for people to recognise a key; never enough to use it
    KeyScope scope = KeyScope::Tenant;
};

struct IssuedKey {
    QString key; // shown once; never stored
    ApiKeyRecord record;
};

} // namespace l0
