#pragma once

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

#include "chat.h"
#include "result.h"
#include "tenant.h"

namespace l0 {

// A/B experiments between route strategies or cache policies, per tenant.
//
// An arm's policy is text, one or two parts joined by '+':
//   route:fixed            the requested model (today's behaviour; for l0/auto its dearest candidate)
//   route:learned[@Q]      the learned router, quality target Q in (0, 1] (default: the tenant's)
//   route:cascade[@Q]      the cheaper model first, the dearer one when its answer scores low
//   cache:shadow | cache:approved | cache:auto_low_risk   the cache policy (see Policy)
// e.g. "route:learned@0.9+cache:approved". A part left out keeps the tenant's own setting. A
// route part changes only the strategy (and target) of the tenant's route policy for the
// requested model: the candidates are the tenant's, and a request no policy of the tenant's
// routes is never routed, whatever its arm says.
struct RouteArm {
    QString strategy; // fixed, learned or cascade
    std::optional<double> qualityTarget; // learned and cascade only
    bool operator==(const RouteArm &) const = default;
};

struct ArmPolicy {
    std::optional<RouteArm> route;
    std::optional<Policy> cache;

    // The canonical text (route part first); parseArmPolicy(text()) gives this policy back.
    QString text() const;
    bool operator==(const ArmPolicy &) const = default;
};

// InvalidArgument with what is wrong (and what is accepted) for text that is no arm policy.
Result<ArmPolicy> parseArmPolicy(const QString &text);

struct ExperimentArm {
    QString name; // [A-Za-z0-9_-], 1 to 32 characters, unique within its experiment
    ArmPolicy policy;
    int weight = 0; // percent of the units assigned to it; the arms' weights sum to 100
};

enum class ExperimentState { Running, Stopped };
const char *experimentStateName(ExperimentState s);
std::optional<ExperimentState> experimentStateFromName(const QString &name);

struct Experiment {
    qint64 id = 0;
    QString name; // unique among all experiments, never reused: assignment hashes it
    qint64 tenantId = 0;
    QString tenant;
    ExperimentState state = ExperimentState::Running;
    qint64 createdMs = 0;
    qint64 stoppedMs = 0; // 0 while running
    QString createdBy;
    std::vector<ExperimentArm> arms; // in the order they were given (the first is the control)

    const ExperimentArm *arm(const QString &name) const;
};

// "50/50", "70/30", "34/33/33": one whole percentage per arm, summing to 100. Empty text splits
// evenly (the first arms take the remainder). InvalidArgument otherwise.
Result<std::vector<int>> parseSplit(const QString &text, int arms);

// Checks a name (experiment or arm): 1 to maxLength of [A-Za-z0-9_.-].
Status checkExperimentName(const QString &name, const QString &what, int maxLength);

// What a request is assigned by: the caller's end user (the body's user field, else the user a
// token named) or, without one, its conversation (the first user message). Prefixed so a user
// id never collides with a conversation hash. Empty when the request has neither.
QString assignmentUnit(const ChatRequest &request, const QString &tokenUser);

// The arm a unit is assigned to: SHA-256 of the experiment name and the unit, its first 8 bytes
// as a number, modulo 100, walked through the arms' weights. A pure function of its inputs, so
// every node and every restart agrees; null when the experiment has no arms or unit is empty.
const ExperimentArm *assignArm(const Experiment &experiment, const QString &unit);
// The bucket (0..99) assignArm walks the weights with.
int assignmentBucket(const QString &experimentName, const QString &unit);

} // namespace l0
