#pragma once

namespace l0 {
// Registers the resources compiled into the engine (migrations, prices). Idempotent, thread-safe.
void ensureEngineResources();
} // namespace l0
