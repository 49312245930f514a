#pragma once

#include <cstdio>
#include <memory>

#include "pgserver.h"
#include "store/store.h"

// A migrated store in a PostgreSQL server the benchmark started (pg must outlive it); null,
// with the reason printed, when either fails.
inline std::unique_ptr<l0::Store> openBenchStore(PgServer &pg)
{
    QString error;
    if (!pg.start(&error)) {
        std::fprintf(stderr, "cannot start PostgreSQL: %s\n", qPrintable(error));
        return nullptr;
    }
    auto opened = l0::openStore(pg.url());
    if (!opened) {
        std::fprintf(stderr, "cannot open the store: %s\n", qPrintable(opened.error().message));
        return nullptr;
    }
    if (auto m = (*opened)->migrate(); !m) {
        std::fprintf(stderr, "cannot migrate the store: %s\n", qPrintable(m.error().message));
        return nullptr;
    }
    return std::move(*opened);
}
