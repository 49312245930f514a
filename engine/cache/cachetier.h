#pragma once

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

#include "cache/hotcache.h"
#include "core/chat.h"
#include "core/entry.h"
#include "core/tenant.h"
#include "core/tier.h"

namespace l0 {

// What a tier keeps about its key beyond the key itself (the intent tier: the match and its
// slot values). Each tier reads back only the detail it made.
class TierKeyDetail {
public:
    virtual ~TierKeyDetail() = default;
};

// One tier's key for one request. An empty key is an abstention: the tier cannot say which
// answers this request may share.
struct TierKey {
    QByteArray key; // hex; empty: abstained
    QString intent; // recorded on ledger events (the intent tier), empty otherwise
    std::shared_ptr<const TierKeyDetail> detail;
    bool abstained() const { return key.isEmpty(); }
};

// What a request is keyed in: who asks, and in which namespace.
struct TierScope {
    qint64 tenantId = 0;
    QString ns;
};

// An approved answer a tier found for a request, ready to send.
struct TierHit {
    std::shared_ptr<const CachedAnswer> answer;
    std::optional<ChatResult> filled; // set when this request changes the answer (templates filled)

    // The answer to send. Verbatim (the stored answer unchanged), its rendering may be reused;
    // the stored answer is not copied on the hit path.
    const ChatResult &result() const { return filled ? *filled : answer->result; }
    bool verbatim() const { return !filled; }
};

// Whether the tenant's policy lets this answer be served at nowMs (for shadow tenants:
// whether it would be): approved, or a low-risk candidate under auto_low_risk, and not past
// its lifetime.
bool servableUnder(Policy policy, const CachedAnswer &answer, qint64 nowMs);

// One tier of the cache: keys a request or abstains, looks a key up among the answers the
// tenant may be served, and says how a candidate answer for that key is filed. Tiers are
// immutable after construction and thread-safe: every HTTP worker calls the same objects.
//
// Adding a tier is one subclass and one line in buildTierChain() (service/tierchain.cpp).
class CacheTier {
public:
    virtual ~CacheTier() = default;

    virtual Tier tier() const = 0;

    // What this tier's keys depend on besides the request (the intent tier: the tenant's
    // active pack). A remembered key is reused only while its basis is the same object.
    virtual std::shared_ptr<const void> keyBasis(qint64 tenantId) const
    {
        Q_UNUSED(tenantId);
        return nullptr;
    }
    // Keys the request under basis (from keyBasis()), or abstains.
    virtual TierKey key(
        const TierScope &scope, const ChatRequest &request, const std::shared_ptr<const void> &basis) const = 0;
    // A servable answer for the key, or nothing (the chain goes on to the next tier).
    virtual std::optional<TierHit> lookup(
        const TierScope &scope, const TierKey &key, Policy policy, qint64 nowMs) const = 0;
    // Files an upstream answer as a candidate under this tier's key: sets the candidate's tier,
    // cache key, canonical request and, where the tier generalises, its template. Returns
    // false when this tier files no candidates (the chain then asks the next narrower tier).
    virtual bool fileCandidate(
        const TierScope &scope, const TierKey &key, const ChatRequest &request, Candidate &candidate) const = 0;
};

} // namespace l0
