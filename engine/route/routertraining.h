#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <vector>

#include "route/routedata.h"
#include "route/routermodel.h"

namespace l0 {

struct RouteTrainOptions {
    QString name = QStringLiteral("router");
    int bits = 18;
    int epochs = 10;
    double learningRate = 0.1; // AdaGrad step
    // L2 strengths tried; the one with the lowest out-of-fold log loss on the training rows wins.
    std::vector<double> l2Grid { 1e-3, 3e-3, 1e-2, 3e-2, 1e-1 };
    // L2 of the dense features (every example has them all, so they need far less); negative: the grid's.
    double denseL2 = 1e-3;
    int folds = 5; // inner folds: the L2 choice and the model's stored threshold curve
    bool cascade = true; // also train the cascade part, on the rows that have the weak text (10 or more)
    uint64_t seed = 17;
};

struct RouteTrainReport {
    int rows = 0;
    int weakGood = 0;
    double learnedL2 = 0;
    double learnedLogLoss = 0; // out of fold, at learnedL2
    double cascadeL2 = 0;
    double cascadeLogLoss = 0;
    bool cascade = false;
};

// The fold (0..folds-1) of a prompt: SHA-256 of salt + prompt, so fold membership depends on the
// prompt alone (stable across files, runs and machines).
int routeFold(const QString &prompt, int folds, const QByteArray &salt = QByteArrayLiteral("l0-route-fold:"));

// Trains a router for (strong, weak) on these rows. Deterministic: the same rows (in the same
// order) and options give the same model, byte for byte. Single-threaded.
// The label is RouteExample::weakGood(); the learned part reads the prompt only, the cascade part
// the prompt and the weak model's text.
RouterModel trainRouterModel(const std::vector<RouteExample> &rows, const QString &strong, const QString &weak,
    const RouteTrainOptions &options, RouteTrainReport *report = nullptr);

// Out-of-fold scores: for each fold k of routeFold(prompt, folds), a model trained on `extra`
// plus the rows outside k scores the rows in k. scores[i] belongs to rows[i]. cascadeScores is
// filled when the options train a cascade and every row of rows has the weak text (rows of
// extra without it train the learned part only).
void crossValidatedScores(const std::vector<RouteExample> &rows, const std::vector<RouteExample> &extra,
    const QString &strong, const QString &weak, const RouteTrainOptions &options, int folds,
    std::vector<double> *learnedScores, std::vector<double> *cascadeScores);

} // namespace l0
