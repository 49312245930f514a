#pragma once

#include <QString>

#include <vector>

#include "core/experiment.h"
#include "core/result.h"
#include "sqlsession.h"

namespace l0 {

// Experiments' rules, written once over SqlSession for both stores (migration 0018).
//
// An experiment belongs to one tenant and has two or more arms, each a policy and a share of
// the tenant's units (end users or conversations). A tenant runs at most one experiment at a
// time, so a request is in at most one. Names are unique forever: assignment hashes the name, so
// a stopped experiment's name is never given to a new one (its arms would land elsewhere).

inline constexpr int kMaxExperimentName = 64;
inline constexpr int kMaxArmName = 32;
inline constexpr int kMaxArms = 8;

// Checks and stores a running experiment. InvalidArgument for a bad name, arm or split;
// NotFound for an unknown tenant; AlreadyExists for a name already used; Conflict when the
// tenant already runs one.
Result<Experiment> createExperiment(SqlSession &session, const QString &name, const QString &tenant,
    const std::vector<ExperimentArm> &arms, const QString &createdBy);
// Experiments with their arms, newest first; tenant empty: every tenant's.
Result<std::vector<Experiment>> listExperiments(SqlSession &session, const QString &tenant = QString());
// NotFound when there is none by that name.
Result<Experiment> experimentByName(SqlSession &session, const QString &name);
// Every running experiment with its arms (what a node applies), by tenant id ascending.
Result<std::vector<Experiment>> runningExperiments(SqlSession &session);
// Stops a running experiment (its requests go back to the tenant's own policies; its ledger
// events stay for the report). NotFound: no such experiment; Conflict: stopped already.
Status stopExperiment(SqlSession &session, const QString &name);

} // namespace l0
