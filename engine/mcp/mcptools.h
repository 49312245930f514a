#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <functional>

#include "ledger/pricetable.h"
#include "node/authenticator.h"

namespace l0 {

class CacheService;
class Clock;
class PackDirectory;
class TenantDirectory;

namespace mcp {

class StoreReader;

// What the MCP server offers, over the engine's own functions:
//   tools      savings_report         the ledger rollups, exactly as `l0ctl ledger report --json`
//              queue_stats            the review queue's backlog by state and risk, leases, age
//              lookup_answer          whether the cache holds an approved answer for a question
//                                     (the cache service's lookup; read-only: no ledger event)
//              explain_normalization  the tenant's active rule pack on a text, step by step, as
//                                     `l0ctl rules explain --json`
//   resources  l0://prices            the price table this node charges by
//              l0://tenants/policies  policy and limits: the key's tenant, or every tenant for a
//                                     manager key
// Who may see what: a tenant key its own tenant only; a manager key (l0ctl key issue --scope
// manager) any tenant, or "all". Money is integer micro-dollars in structured results.
// Thread-safe; answers arrive on the calling thread (see StoreReader).
class McpTools {
public:
    struct Deps {
        CacheService *cache = nullptr;
        const PackDirectory *packs = nullptr;
        const TenantDirectory *tenants = nullptr;
        StoreReader *reader = nullptr;
        PriceTable prices;
        const Clock *clock = nullptr; // null: the system clock
    };

    // A tools/call or resources/read outcome: a result object for the JSON-RPC response, or a
    // protocol error (rpcCode != 0) such as an unknown tool or resource.
    struct Outcome {
        QJsonObject result;
        int rpcCode = 0;
        QString rpcMessage;
    };
    using Done = std::function<void(Outcome)>;

    explicit McpTools(Deps deps);

    // The tools/list result's "tools": name, title, description and inputSchema of each.
    QJsonArray toolList() const;
    // resources/list's "resources".
    QJsonArray resourceList(const Principal &principal) const;

    // Runs a tool: done gets a CallToolResult ({"content": [{"type": "text", ...}],
    // "structuredContent": {...}, "isError": bool}); arguments that break the tool's schema,
    // a tenant the key may not read, or a store that fails are results with isError true.
    void callTool(const Principal &principal, const QString &name, const QJsonObject &arguments, Done done) const;
    void readResource(const Principal &principal, const QString &uri, Done done) const;

private:
    void savingsReport(const Principal &principal, const QJsonObject &args, Done done) const;
    void queueStats(const Principal &principal, const QJsonObject &args, Done done) const;
    void lookupAnswer(const Principal &principal, const QJsonObject &args, Done done) const;
    void explainNormalization(const Principal &principal, const QJsonObject &args, Done done) const;
    qint64 nowMs() const;

    Deps m_deps;
};

// Checks a JSON value against the small JSON Schema subset the tools publish (type, properties,
// required, additionalProperties false, enum, items, minLength, minimum, maximum, pattern);
// the first violation, as a message naming the field, or an empty string.
QString schemaViolation(const QJsonObject &schema, const QJsonValue &value, const QString &path = QString());

} // namespace mcp
} // namespace l0
