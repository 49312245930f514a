#include "cacheapicontroller.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "api/anthropiccodec.h"
#include "api/jsonchecks.h"
#include "api/openaicodec.h"
#include "authenticator.h"
#include "cache/hotcache.h"
#include "core/clock.h"
#include "core/text.h"
#include "metrics.h"
#include "service/cacheservice.h"
#include "service/ratelimiter.h"
#include "tenantdirectory.h"
#include "upstream/anthropicwire.h"

namespace l0 {

namespace {

bool anthropicFormat(const QJsonObject &o)
{
    return o.value(QLatin1String("format")).toString() == QLatin1String("anthropic");
}

// A chat request in either wire format, as the chat APIs read it.
Result<ChatRequest> parseChat(QJsonObject request, bool anthropic)
{
    request.remove(QLatin1String("format"));
    const QByteArray body = QJsonDocument(request).toJson(QJsonDocument::Compact);
    return anthropic ? api::parseAnthropicMessages(body) : api::parseOpenAiChat(body);
}

} // namespace

CacheApiController::CacheApiController(Action action, Deps deps, ApiResponse response)
    : m_action(action)
    , m_deps(deps)
    , m_response(response)
{
    if (!m_deps.clock)
        m_deps.clock = Clock::system();
}

void CacheApiController::handle(const http::HttpRequest &request, const http::ResponderPtr &responder)
{
    const auto refuse = [&](const Error &e, const QString &code = QString()) {
        m_response.sendError(responder, WireFormat::OpenAi, e, {}, code);
    };
    const auto principal = m_response.admitCaller(*m_deps.auth, m_deps.limiter, request, responder);
    if (!principal)
        return;
    const auto nsResult = requestNamespace(*principal, request);
    if (!nsResult)
        return refuse(nsResult.error());
    const QByteArray &ns = *nsResult;
    if (!isValidUtf8(request.body))
        return refuse(makeError(ErrorCode::InvalidArgument, QStringLiteral("the request body is not valid UTF-8")));
    const auto body = api::jsonObjectBody(request.body);
    if (!body)
        return refuse(body.error());
    if (m_action == Action::Lookup)
        return lookup(*principal, ns, *body, responder);
    if (m_action == Action::Feedback)
        return feedback(*principal, *body, responder);
    store(*principal, ns, *body, responder);
}

void CacheApiController::lookup(
    const Principal &principal, const QByteArray &ns, const QJsonObject &body, const http::ResponderPtr &responder)
{
    const Tenant &tenant = principal.tenant;
    QElapsedTimer timer;
    timer.start();
    const bool anthropic = anthropicFormat(body);
    auto request = parseChat(body, anthropic);
    if (!request)
        return m_response.sendError(responder, WireFormat::OpenAi, request.error());
    const QString model = request->model;
    auto prepared = m_deps.cache->prepare(tenant.id, QString::fromLatin1(ns), std::move(*request));
    CacheLookup found = m_deps.cache->lookup(tenant, std::move(prepared), CacheControl {});
    found.user = principal.user;
    if (found.outcome != CacheLookup::Outcome::Hit) {
        // What the tiers made of it, so the caller can see why nothing matched.
        QJsonObject keys;
        const TierChain &chain = m_deps.cache->chain();
        for (size_t i = 0; i < chain.size() && i < found.keys.size(); ++i)
            keys.insert(QLatin1String(tierName(chain[i]->tier())),
                found.keys[i].abstained() ? QJsonValue() : QJsonValue(QString::fromLatin1(found.keys[i].key)));
        QJsonObject error = QJsonDocument::fromJson(
            api::openAiErrorBody(404,
                found.outcome == CacheLookup::Outcome::ShadowHit
                    ? QStringLiteral("this tenant is in shadow mode: nothing is served from the cache")
                    : QStringLiteral("no approved answer for this request"),
                QString(), QStringLiteral("cache_miss")))
                                .object();
        error.insert(QLatin1String("keys"), keys);
        if (!found.intent.isEmpty())
            error.insert(QLatin1String("intent"), found.intent);
        return m_response.sendJson(responder, 404, QJsonDocument(error).toJson(QJsonDocument::Compact));
    }
    const TierHit &hit = *found.hit;
    if (const auto saved = m_deps.cache->recordHit(found, timer.elapsed()))
        m_response.metrics()->addSaved(*saved);
    m_response.metrics()->countOutcome(Metrics::Outcome::Hit, tierName(found.tier));
    m_response.metrics()->observeRequest(tierName(found.tier), timer.nsecsElapsed() / 1000);
    const ChatResult &result = hit.result();
    const QString answeredAs = result.modelUsed.isEmpty() ? model : result.modelUsed;
    QByteArray rendered;
    if (anthropic) {
        api::AnthropicRenderer r(QStringLiteral("msg_l0") + QString::fromLatin1(randomBytes(12).toHex()), answeredAs);
        rendered = r.completion(result);
    } else {
        api::OpenAiRenderer r(QStringLiteral("chatcmpl-l0") + QString::fromLatin1(randomBytes(12).toHex()),
            m_deps.clock->nowMs() / 1000, answeredAs, false);
        rendered = r.completion(result);
    }
    const QString entry = QStringLiteral("%1@%2").arg(hit.answer->entryId).arg(hit.answer->version);
    const QJsonObject out { { QLatin1String("tier"), QLatin1String(tierName(found.tier)) },
        { QLatin1String("entry"), entry }, { QLatin1String("response"), QJsonDocument::fromJson(rendered).object() } };
    m_response.sendJson(responder, 200, QJsonDocument(out).toJson(QJsonDocument::Compact),
        { { "x-l0-cache", "hit" }, { "x-l0-tier", tierName(found.tier) }, { "x-l0-entry", entry.toLatin1() } });
}

void CacheApiController::store(
    const Principal &principal, const QByteArray &ns, const QJsonObject &body, const http::ResponderPtr &responder)
{
    const Tenant &tenant = principal.tenant;
    const bool anthropic = anthropicFormat(body);
    if (!body.value(QLatin1String("request")).isObject() || !body.value(QLatin1String("response")).isObject())
        return m_response.sendError(responder, WireFormat::OpenAi,
            makeFieldError(QStringLiteral("request"),
                QStringLiteral(
                    "send {\"request\": <the chat request>, \"response\": <the answer the upstream gave>}")));
    auto request = parseChat(body.value(QLatin1String("request")).toObject(), anthropic);
    if (!request) {
        Error e = request.error();
        e.field = QStringLiteral("request") + (e.field.isEmpty() ? QString() : QLatin1Char('.') + e.field);
        return m_response.sendError(responder, WireFormat::OpenAi, e);
    }
    const QJsonObject response = body.value(QLatin1String("response")).toObject();
    ChatResult result;
    if (anthropic) {
        auto r = chatResultFromAnthropic(response);
        if (!r)
            return m_response.sendError(responder, WireFormat::OpenAi,
                makeFieldError(QStringLiteral("response"), QStringLiteral("response: %1").arg(r.error().message)));
        result = *r;
    } else {
        if (!response.value(QLatin1String("choices"))
                 .toArray()
                 .at(0)
                 .toObject()
                 .value(QLatin1String("message"))
                 .isObject())
            return m_response.sendError(responder, WireFormat::OpenAi,
                makeFieldError(QStringLiteral("response.choices"),
                    QStringLiteral("response must be a chat.completion with choices[0].message")));
        result = api::chatResultFromOpenAi(response);
    }
    if (result.modelUsed.isEmpty())
        result.modelUsed = request->model;
    const QString &fr = result.finishReason;
    const bool complete
        = fr == QLatin1String("stop") || fr == QLatin1String("length") || fr == QLatin1String("tool_calls");
    auto prepared = m_deps.cache->prepare(tenant.id, QString::fromLatin1(ns), std::move(*request));
    CacheLookup found = m_deps.cache->lookup(tenant, std::move(prepared), CacheControl {});
    found.user = principal.user;
    if (found.outcome == CacheLookup::Outcome::Hit) {
        // An approved answer serves this request already: the caller should have looked it up.
        return m_response.sendJson(responder, 200,
            QJsonDocument(
                QJsonObject { { QLatin1String("filed"), false },
                    { QLatin1String("reason"), QStringLiteral("an approved answer serves this request") },
                    { QLatin1String("entry"),
                        QStringLiteral("%1@%2").arg(found.hit->answer->entryId).arg(found.hit->answer->version) } })
                .toJson(QJsonDocument::Compact));
    }
    // The caller's upstream call: its cost in the ledger, and (when complete and cacheable) a
    // candidate under the broadest tier that keyed it, as for the node's own misses.
    m_deps.cache->recordAnswer(found, result, 0);
    const bool filed = complete && found.prepared->uncacheable.isEmpty();
    QJsonObject out { { QLatin1String("filed"), filed } };
    if (!filed)
        out.insert(QLatin1String("reason"),
            !complete ? QStringLiteral("only complete answers are filed (finish reason '%1')").arg(fr)
                      : QStringLiteral("this request cannot be cached: %1").arg(found.prepared->uncacheable));
    m_response.sendJson(responder, filed ? 202 : 200, QJsonDocument(out).toJson(QJsonDocument::Compact));
}

void CacheApiController::feedback(
    const Principal &principal, const QJsonObject &body, const http::ResponderPtr &responder)
{
    const auto refuse = [&](const QString &field, const QString &message) {
        m_response.sendError(responder, WireFormat::OpenAi, makeFieldError(field, message));
    };
    // The entry as x-l0-entry names it ("42@3"), or its id with an optional version.
    const QJsonValue entryValue = body.value(QLatin1String("entry"));
    qint64 entryId = 0;
    int version = 0;
    if (entryValue.isString()) {
        const QStringList parts = entryValue.toString().split(QLatin1Char('@'));
        bool okId = false, okVersion = parts.size() == 1;
        entryId = parts.value(0).toLongLong(&okId);
        if (parts.size() == 2)
            version = parts.at(1).toInt(&okVersion);
        if (!okId || !okVersion || parts.size() > 2)
            entryId = 0;
    } else if (entryValue.isDouble()) {
        entryId = entryValue.toInteger();
    }
    if (body.contains(QLatin1String("version"))) {
        if (!body.value(QLatin1String("version")).isDouble() || version != 0)
            return refuse(QStringLiteral("version"),
                QStringLiteral("version is a whole number, given once (\"entry\": \"ID@VERSION\" already names it)"));
        version = body.value(QLatin1String("version")).toInt();
    }
    if (entryId <= 0 || version < 0)
        return refuse(QStringLiteral("entry"),
            QStringLiteral("entry names the answer, as x-l0-entry gave it: \"ID@VERSION\" (or the id as a number)"));

    const QJsonValue ratingValue = body.value(QLatin1String("rating"));
    int rating = 0;
    if (ratingValue.isString()) {
        const QString r = ratingValue.toString().toLower();
        if (r == QLatin1String("up") || r == QLatin1String("good"))
            rating = 1;
        else if (r == QLatin1String("down") || r == QLatin1String("bad"))
            rating = -1;
    } else if (ratingValue.isDouble() && (ratingValue.toDouble() == 1.0 || ratingValue.toDouble() == -1.0)) {
        rating = ratingValue.toInt();
    }
    if (rating == 0)
        return refuse(QStringLiteral("rating"), QStringLiteral("rating is \"up\" or \"down\" (or 1 or -1)"));
    const QJsonValue reasonValue = body.value(QLatin1String("reason"));
    if (!reasonValue.isUndefined() && !reasonValue.isNull() && !reasonValue.isString())
        return refuse(QStringLiteral("reason"), QStringLiteral("reason is a string"));
    const QString reason = reasonValue.toString();
    if (reason.size() > Feedback::kMaxReason)
        return refuse(QStringLiteral("reason"),
            QStringLiteral("reason is at most %1 characters (this one has %2)")
                .arg(Feedback::kMaxReason)
                .arg(reason.size()));

    // Feedback is about an answer this tenant is served: another tenant's entry, or one no longer
    // served, is not found (and says nothing about whether it exists).
    const auto served = m_deps.answers ? m_deps.answers->servedVersion(principal.tenant.id, entryId) : std::nullopt;
    if (!served || version > *served) {
        return m_response.sendError(responder, WireFormat::OpenAi,
            makeError(ErrorCode::NotFound,
                QStringLiteral("no answer %1%2 is served to this tenant")
                    .arg(entryId)
                    .arg(version ? QStringLiteral("@%1").arg(version) : QString())),
            {}, QStringLiteral("entry_not_found"));
    }
    Feedback f;
    f.tenantId = principal.tenant.id;
    f.entryId = entryId;
    f.version = version ? version : *served;
    f.rating = rating;
    f.reason = reason;
    f.user = principal.user;
    f.createdMs = m_deps.clock->nowMs();
    m_deps.feedback(f);
    m_response.sendJson(responder, 202,
        QJsonDocument(QJsonObject { { QLatin1String("recorded"), true },
                          { QLatin1String("entry"), QStringLiteral("%1@%2").arg(f.entryId).arg(f.version) },
                          { QLatin1String("rating"), rating > 0 ? QStringLiteral("up") : QStringLiteral("down") } })
            .toJson(QJsonDocument::Compact));
}

} // namespace l0
