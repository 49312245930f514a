#include "intenttier.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "exactkey.h"
#include "l0key.h"
#include "normalize/intentmatcher.h"
#include "normalize/packdirectory.h"
#include "normalize/slottemplate.h"

namespace l0 {

namespace {

struct IntentKeyDetail final : TierKeyDetail {
    std::shared_ptr<const IntentMatcher> matcher;
    IntentMatch match;
};

const IntentKeyDetail &detailOf(const TierKey &key)
{
    return static_cast<const IntentKeyDetail &>(*key.detail);
}

} // namespace

IntentTier::IntentTier(const HotCache *answers, const PackDirectory *packs)
    : m_answers(answers)
    , m_packs(packs)
{
}

std::shared_ptr<const void> IntentTier::keyBasis(qint64 tenantId) const
{
    return m_packs ? m_packs->matcherFor(tenantId) : nullptr;
}

TierKey IntentTier::key(
    const TierScope &scope, const ChatRequest &request, const std::shared_ptr<const void> &basis) const
{
    if (!basis)
        return {};
    auto detail = std::make_shared<IntentKeyDetail>();
    detail->matcher = std::static_pointer_cast<const IntentMatcher>(basis);
    detail->match = detail->matcher->match(request.lastUserText());
    if (detail->match.abstained)
        return {};
    const Tenant tenant { scope.tenantId, QString(), Policy::Approved };
    TierKey k;
    k.key = l0KeyFor(tenant, scope.ns, detail->matcher->pack().id(), request, detail->match);
    k.intent = detail->match.intent;
    k.detail = std::move(detail);
    return k;
}

std::optional<TierHit> IntentTier::lookup(const TierScope &scope, const TierKey &key, Policy policy, qint64 nowMs) const
{
    auto answer = m_answers->find(HotKey { scope.tenantId, Tier::L0, key.key });
    if (!answer || !servableUnder(policy, *answer, nowMs))
        return std::nullopt;
    const QString text = answer->result.text();
    const auto filled = fillTemplate(text, detailOf(key).match.slotValues);
    if (!filled)
        return std::nullopt;
    if (*filled == text)
        return TierHit { std::move(answer), std::nullopt };
    ChatResult result = answer->result;
    result.message.insert(QLatin1String("content"), *filled);
    return TierHit { std::move(answer), std::move(result) };
}

bool IntentTier::fileCandidate(
    const TierScope &scope, const TierKey &key, const ChatRequest &request, Candidate &candidate) const
{
    const IntentKeyDetail &d = detailOf(key);
    candidate.tier = QStringLiteral("l0");
    candidate.cacheKey = key.key;
    const ProposedTemplate t = proposeTemplate(candidate.result.text(), d.match.slotValues);
    if (t.changed())
        candidate.result.message.insert(QLatin1String("content"), t.text);
    QJsonObject req = QJsonDocument::fromJson(canonicalExactRequest(scope.tenantId, scope.ns, request)).object();
    QJsonArray slotList;
    for (const SlotValue &v : d.match.slotValues)
        slotList.append(QJsonObject { { QLatin1String("name"), v.name }, { QLatin1String("value"), v.value } });
    req.insert(QLatin1String("l0"),
        QJsonObject { { QLatin1String("pack"), d.matcher->pack().id() }, { QLatin1String("intent"), d.match.intent },
            { QLatin1String("key"), d.match.key() }, { QLatin1String("slots"), slotList },
            { QLatin1String("template_slots"), QJsonArray::fromStringList(t.slotsUsed) } });
    candidate.requestJson = QJsonDocument(req).toJson(QJsonDocument::Compact);
    return true;
}

} // namespace l0
