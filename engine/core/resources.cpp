#include "resources.h"

#include <QtGlobal>

static void initEngineResourcesOnce()
{
    Q_INIT_RESOURCE(resources);
}

namespace l0 {
void ensureEngineResources()
{
    static const bool done = (initEngineResourcesOnce(), true);
    Q_UNUSED(done);
}
} // namespace l0
