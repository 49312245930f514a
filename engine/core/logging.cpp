#include "logging.h"

Q_LOGGING_CATEGORY(lcHttp, "l0.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcApi, "l0.api", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCache, "l0.cache", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStore, "l0.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcLedger, "l0.ledger", QtInfoMsg)
Q_LOGGING_CATEGORY(lcUpstream, "l0.upstream", QtInfoMsg)
Q_LOGGING_CATEGORY(lcNode, "l0.node", QtInfoMsg)
Q_LOGGING_CATEGORY(lcConfig, "l0.config", QtInfoMsg)
Q_LOGGING_CATEGORY(lcNormalize, "l0.normalize", QtInfoMsg)
